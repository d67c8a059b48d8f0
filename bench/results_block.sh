#!/usr/bin/env bash
# results_block.sh — sourced by the bench scripts: write_results_block DOCS NAME TEXT replaces what
# lies between `<!-- bench/run.sh NAME: begin -->` and `<!-- bench/run.sh NAME: end -->` in the
# Markdown file DOCS with TEXT (the markers stay).
write_results_block() {
  local docs=$1
  local begin="<!-- bench/run.sh $2: begin -->"
  local end="<!-- bench/run.sh $2: end -->"
  if ! grep -qxF "$begin" "$docs" 2>/dev/null || ! grep -qxF "$end" "$docs"; then
    echo "$docs has no '$2' markers; not written" >&2
    return 0
  fi
  local tmp
  tmp=$(mktemp)
  {
    awk -v m="$begin" '{ print } $0 == m { exit }' "$docs"
    printf '%s\n' "$3"
    awk -v m="$end" '$0 == m { p = 1 } p' "$docs"
  } >"$tmp"
  cat "$tmp" >"$docs"
  rm -f "$tmp"
  echo "wrote the results into $docs"
}
