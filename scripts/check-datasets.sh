#!/usr/bin/env bash
# scripts/check-datasets.sh: the dev-time check that the two public OTRF datasets (see
# docs/datasets.md) give the right findings through `lmhunt hunt --events`. Not part of the test
# suite: the datasets are third-party data kept outside the repository.
#
#   scripts/check-datasets.sh DIR [LMHUNT]
#
# DIR holds cmd_psexec_lsa_secrets_dump*.json and empire_wmic_add_user_backdoor*.json (or their
# .zip archives, which are unpacked into a temporary directory, never into DIR or the project).
# LMHUNT defaults to $LMHUNT, else build/lmhunt; lmhunt-sim must sit next to it or on PATH.
# Prints one line per check and exits 1 when any check fails, 2 on usage errors.
set -euo pipefail

usage() {
  echo "usage: scripts/check-datasets.sh DIR [LMHUNT]" >&2
  exit 2
}
[[ $# -ge 1 && $# -le 2 && -d "$1" ]] || usage
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
lmhunt=${2:-${LMHUNT:-$root/build/lmhunt}}
[[ -x "$lmhunt" ]] || {
  echo "check-datasets: $lmhunt is not an executable lmhunt (give it as the second argument)" >&2
  exit 2
}
command -v jq >/dev/null || {
  echo "check-datasets: jq is required" >&2
  exit 2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# dataset NAME: the JSON lines file of the dataset NAME in DIR, unzipping it into $work if needed.
dataset() {
  local name=$1 file
  file=$(find "$dir" -maxdepth 1 -name "$name*.json" | head -n 1)
  if [[ -z "$file" && -f "$dir/$name.zip" ]]; then
    unzip -q -o "$dir/$name.zip" -d "$work/$name"
    file=$(find "$work/$name" -name "$name*.json" | head -n 1)
  fi
  [[ -n "$file" ]] || {
    echo "check-datasets: no $name*.json or $name.zip in $dir" >&2
    exit 2
  }
  echo "$file"
}

failed=0
# check DESCRIPTION JSON_FILE JQ_FILTER: the filter must print true.
check() {
  local what=$1 json=$2 filter=$3
  if [[ "$(jq -r "$filter" "$json")" == true ]]; then
    echo "ok    $what"
  else
    echo "FAIL  $what"
    failed=1
  fi
}

# hunt NAME FILE: runs the hunt over FILE as JSON (and as Markdown, which must also succeed).
hunt() {
  local name=$1 file=$2
  echo "== $name: $(basename "$file")"
  local args=(hunt --events "$file" --now latest --hours 8760)
  "$lmhunt" "${args[@]}" --format json >"$work/$name.json" 2>"$work/$name.err" || {
    echo "FAIL  lmhunt hunt exited non-zero:"
    tail -n 5 "$work/$name.err"
    failed=1
    return 1
  }
  "$lmhunt" "${args[@]}" --format markdown >"$work/$name.md" 2>>"$work/$name.err" || {
    echo "FAIL  lmhunt hunt --format markdown exited non-zero"
    failed=1
  }
  jq -r '"      verdict \(.verdict): \(.verdict_reason)"' "$work/$name.json"
  jq -r '.findings[] | "      \(.id) \(.verdict) score \(.score): \(.source_host // "") → \(.targets | join(",")) \(.techniques | join(",")) user \(.user // "")"' \
    "$work/$name.json"
}

# Host names are compared as upper-case short names (the WMI file has FQDNs). $id and $min are
# jq variables, not the shell's.
# shellcheck disable=SC2016
defs='def host: ascii_upcase | split(".")[0];
  def ran($id; $min): any(.queries[]; .id == $id and (.status == "ok" or .status == "truncated") and .events >= $min);'

# --- cmd_psexec_lsa_secrets_dump: local PsExec on WORKSTATION5 ---------------------------------
psexec=$(dataset cmd_psexec_lsa_secrets_dump)
if hunt psexec "$psexec"; then
  j=$work/psexec.json
  check "the hunt ran every detection search" "$j" \
    "$defs"' [.queries[] | select(.purpose == "detection") | .status] | all(. == "ok" or . == "empty" or . == "truncated")'
  check "PSEXESVC service install (7045/4697) found" "$j" "$defs ran(\"psexec_service_install\"; 2)"
  check "PsExec named pipes (\\PSEXESVC*) found" "$j" "$defs ran(\"psexec_default_pipes\"; 1)"
  check "PsExec client (PsExec.exe / psexec.c) found" "$j" "$defs ran(\"psexec_client\"; 1)"
  check "process started by PSEXESVC.exe found" "$j" "$defs ran(\"psexesvc_children\"; 1)"
  check "a PsExec finding on WORKSTATION5 (T1569.002)" "$j" "$defs"' any(.findings[];
    (.families | index("psexec")) and (.targets | map(host) | index("WORKSTATION5"))
    and (.techniques | index("T1569.002")))'
  check "the finding names user wardog and PsExec.exe" "$j" "$defs"' any(.findings[];
    (.user // "" | ascii_downcase) == "wardog"
    and any(.examples[]; .process | ascii_downcase | endswith("psexec.exe")))'
  check "no remote target claimed (source and target are WORKSTATION5)" "$j" "$defs"' ([.findings[]
    | .targets[] | host] | all(. == "WORKSTATION5")) and all(.findings[];
    (.source_host // "" | host) == "WORKSTATION5")'
  check "no WMI finding" "$j" "$defs"' all(.findings[]; (.families | index("wmi")) | not)'
  check "the run is one finding (Security/System local times converted to UTC)" "$j" \
    '[.findings[] | select(.families | index("psexec"))] | length == 1'
  check "the finding spans the run's minutes, not the 4 h zone offset" "$j" \
    'def t: sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;
    .findings[0] | (.last_seen | t) - (.first_seen | t) < 600'
  check "verdict suspicious: credential dumping via PsExec as SYSTEM, local execution" "$j" \
    '.verdict == "suspicious" and .findings[0].verdict == "suspicious"
    and any(.findings[0].reasons[]; test("credential dumping"))
    and any(.findings[0].reasons[]; test("local execution"))
    and (.verdict_reason | test("local execution, no remote target"))'
fi

# --- empire_wmic_add_user_backdoor: wmic /node: WORKSTATION5 → WORKSTATION6 --------------------
wmi=$(dataset empire_wmic_add_user_backdoor)
if hunt wmi "$wmi"; then
  j=$work/wmi.json
  check "wmic /node: found on the source" "$j" "$defs ran(\"wmic_remote_node\"; 1)"
  check "WmiPrvSE.exe child (net.exe) found on the target" "$j" "$defs ran(\"wmiprvse_child\"; 1)"
  check "a WMI finding WORKSTATION5 → WORKSTATION6 with T1047" "$j" "$defs"' any(.findings[];
    (.source_host | host) == "WORKSTATION5" and (.targets | map(host) | index("WORKSTATION6"))
    and (.techniques | index("T1047")) and (.families | index("wmi")))'
  check "the finding's source IP is 172.18.39.5 and user pgustavo" "$j" "$defs"' any(.findings[];
    (.source_host | host) == "WORKSTATION5" and .source_ip == "172.18.39.5"
    and (.user // "" | ascii_downcase | endswith("pgustavo")))'
  check "the verdict is suspicious or confirmed" "$j" \
    '.verdict == "suspicious" or .verdict == "confirmed"'
  check "no PsExec finding" "$j" "$defs"' all(.findings[]; (.families | index("psexec")) | not)'
  check "the domain controller is not reported as a WMI target" "$j" "$defs"' all(.findings[];
    ((.families | index("wmi")) and (.targets | map(host) | index("MORDORDC"))) | not)'
fi

if ((failed)); then
  echo "check-datasets: some checks failed"
  exit 1
fi
echo "check-datasets: all checks passed"
