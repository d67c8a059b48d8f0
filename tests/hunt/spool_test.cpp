// The comment spool (issue 7, "No data loss"): the file format, unreadable files, the hunt's
// spooling when the SOAR is down, and flush_spool against the in-memory FakeSoar — delivered
// exactly once, files removed only after a confirmed post, never a comment posted twice.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "support/hunt_fixture.hpp"
#include "tools/hunt/report.hpp"
#include "tools/hunt/spool.hpp"
#include "tools/hunt/spool_flush.hpp"

namespace {

namespace fs = std::filesystem;

struct SpoolDir {
  SpoolDir() {
    std::string pattern = (fs::temp_directory_path() / "lmhunt-spool-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~SpoolDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (fs::path(path) / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
  }
  std::string path;
};

std::string comment_of(const std::string& hunt_id) {
  return "Lateral Movement Hunt (PsExec/WMI) Summary — confirmed\n" +
         hunt::comment_marker(hunt_id) +
         "\nQueries used (1):\n- [3 events] psexec_service_install\n";
}

hunt::SpooledComment spooled(const std::string& hunt_id, const std::string& case_id) {
  hunt::SpooledComment s;
  s.hunt_id = hunt_id;
  s.case_id = case_id;
  s.comment = comment_of(hunt_id);
  return s;
}

downstream::CallContext context() {
  return downstream::CallContext{};
}

hunt::SpoolContents read(const SpoolDir& dir) {
  auto contents = hunt::read_spool(dir.path);
  REQUIRE(contents.ok());
  return std::move(contents).value();
}

}  // namespace

TEST_CASE("a spool file keeps the hunt id, the case id and the whole comment", "[hunt][spool]") {
  SpoolDir dir;
  auto written = hunt::write_spool_file(dir.path, spooled("hunt-20260101T000000Z-abc123", "1041"));
  REQUIRE(written.ok());
  CHECK(written.value() == dir.file("hunt-20260101T000000Z-abc123.md"));
  std::ifstream in(written.value());
  std::string first_line;
  std::getline(in, first_line);
  CHECK(first_line.rfind("<!-- lmhunt spooled comment {", 0) == 0);
  CHECK(first_line.ends_with("} -->"));

  auto contents = read(dir);
  REQUIRE(contents.comments.size() == 1);
  CHECK(contents.unreadable.empty());
  const auto& s = contents.comments[0];
  CHECK(s.hunt_id == "hunt-20260101T000000Z-abc123");
  CHECK(s.case_id == "1041");
  CHECK(s.comment + "\n" == comment_of("hunt-20260101T000000Z-abc123"));
  CHECK(hunt::parse_time(s.spooled_at).has_value());
  CHECK(s.path == written.value());
}

TEST_CASE("a case id that would end the HTML comment is kept intact and harmless",
          "[hunt][spool]") {
  auto text = hunt::spool_file_text(spooled("hunt-1", "weird --> id\nnext"));
  const std::string header = text.substr(0, text.find('\n'));
  CHECK(header.find("-->") == header.size() - 3);
  auto parsed = hunt::parse_spool_file(text, "x.md");
  REQUIRE(parsed.ok());
  CHECK(parsed->case_id == "weird --> id\nnext");
}

TEST_CASE("spool files of the first format are still read, case none meaning no case",
          "[hunt][spool]") {
  auto with_case = hunt::parse_spool_file(
      "<!-- lmhunt spooled comment; case: 1041 -->\n" + comment_of("hunt-old-1") + "\n", "a.md");
  REQUIRE(with_case.ok());
  CHECK(with_case->hunt_id == "hunt-old-1");
  CHECK(with_case->case_id == "1041");
  auto without = hunt::parse_spool_file(
      "<!-- lmhunt spooled comment; case: none -->\n" + comment_of("hunt-old-2") + "\n", "b.md");
  REQUIRE(without.ok());
  CHECK(without->case_id.empty());
}

TEST_CASE("unreadable spool files are reported with the reason and never deleted",
          "[hunt][spool]") {
  SpoolDir dir;
  dir.write("empty.md", "");
  dir.write("no-header.md", "just some notes\nmore\n");
  dir.write("bad-json.md", "<!-- lmhunt spooled comment {\"hunt_id\": -->\n" + comment_of("h1"));
  dir.write("future.md",
            "<!-- lmhunt spooled comment {\"version\":9,\"hunt_id\":\"h2\",\"case_id\":\"\","
            "\"spooled_at\":\"\"} -->\n" +
                comment_of("h2"));
  dir.write("no-marker.md",
            "<!-- lmhunt spooled comment {\"version\":1,\"hunt_id\":\"h3\",\"case_id\":\"7\","
            "\"spooled_at\":\"\"} -->\ncut off before the marker\n");
  dir.write("bad-id.md",
            "<!-- lmhunt spooled comment {\"version\":1,\"hunt_id\":\"../etc\",\"case_id\":\"7\","
            "\"spooled_at\":\"\"} -->\n" +
                comment_of("../etc"));
  dir.write("notes.txt", "not a spool file");
  auto contents = read(dir);
  CHECK(contents.comments.empty());
  REQUIRE(contents.unreadable.size() == 6);
  std::map<std::string, std::string> why;
  for (const auto& u : contents.unreadable) why[fs::path(u.path).filename().string()] = u.error;
  CHECK_THAT(why["empty.md"], Catch::Contains("no header line"));
  CHECK_THAT(why["no-header.md"], Catch::Contains("not an lmhunt spool header"));
  CHECK_THAT(why["bad-json.md"], Catch::Contains("not valid JSON"));
  CHECK_THAT(why["future.md"], Catch::Contains("unknown spool format version 9"));
  CHECK_THAT(why["no-marker.md"], Catch::Contains("does not carry its marker"));
  CHECK_THAT(why["bad-id.md"], Catch::Contains("is not a hunt id"));

  test::FakeSoar soar;
  soar.add_case("7", "case", "");
  auto outcomes = hunt::flush_spool(contents, &soar, {}, context);
  REQUIRE(outcomes.size() == 6);
  for (const auto& o : outcomes) CHECK(o.status == "unreadable");
  CHECK_FALSE(hunt::flush_succeeded(outcomes, false));
  CHECK(soar.count("post_case_comment") == 0);
  for (const auto& u : contents.unreadable) CHECK(fs::exists(u.path));
}

TEST_CASE("flushing posts each spooled comment once and removes its file only after the post",
          "[hunt][spool]") {
  SpoolDir dir;
  REQUIRE(hunt::write_spool_file(dir.path, spooled("hunt-a", "42")).ok());
  REQUIRE(hunt::write_spool_file(dir.path, spooled("hunt-b", "42")).ok());
  test::FakeSoar soar;
  soar.add_case("42", "Hunting case", "");

  soar.fail_post = true;
  auto failed = hunt::flush_spool(read(dir), &soar, {}, context);
  REQUIRE(failed.size() == 2);
  for (const auto& o : failed) {
    CHECK(o.status == "failed");
    CHECK_THAT(o.detail, Catch::Contains("secops-soar is down") && Catch::Contains("kept"));
  }
  CHECK(read(dir).comments.size() == 2);

  soar.fail_post = false;
  auto delivered = hunt::flush_spool(read(dir), &soar, {}, context);
  REQUIRE(delivered.size() == 2);
  for (const auto& o : delivered) CHECK(o.status == "posted");
  CHECK(hunt::flush_succeeded(delivered, false));
  CHECK(read(dir).comments.empty());
  const auto comments = soar.comments("42");
  REQUIRE(comments.size() == 2);
  CHECK(comments[0].find(hunt::comment_marker("hunt-a")) != std::string::npos);
  CHECK(comments[1].find(hunt::comment_marker("hunt-b")) != std::string::npos);

  auto again = hunt::flush_spool(read(dir), &soar, {}, context);
  CHECK(again.empty());
  CHECK(soar.comments("42").size() == 2);
}

TEST_CASE("a comment the case already holds is not posted again; its file is just removed",
          "[hunt][spool]") {
  SpoolDir dir;
  REQUIRE(hunt::write_spool_file(dir.path, spooled("hunt-c", "42")).ok());
  test::FakeSoar soar;
  soar.add_case("42", "Hunting case", "");
  // An earlier flush posted it but lost the answer (or a person pasted it).
  REQUIRE(soar.post_comment("42", comment_of("hunt-c"), "", context()).ok());
  auto outcomes = hunt::flush_spool(read(dir), &soar, {}, context);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].status == "already_posted");
  CHECK(hunt::flush_succeeded(outcomes, false));
  CHECK(soar.comments("42").size() == 1);
  CHECK(soar.count("post_case_comment") == 1);
  CHECK_FALSE(fs::exists(dir.file("hunt-c.md")));
}

TEST_CASE(
    "a comment spooled without a case needs --case, and a case that cannot be read is "
    "never posted to",
    "[hunt][spool]") {
  SpoolDir dir;
  REQUIRE(hunt::write_spool_file(dir.path, spooled("hunt-d", "")).ok());
  REQUIRE(hunt::write_spool_file(dir.path, spooled("hunt-e", "999")).ok());
  test::FakeSoar soar;
  soar.add_case("42", "Hunting case", "");

  auto first = hunt::flush_spool(read(dir), &soar, {}, context);
  REQUIRE(first.size() == 2);
  CHECK(first[0].status == "skipped");
  CHECK_THAT(first[0].detail, Catch::Contains("lmhunt spool flush --case ID"));
  CHECK(first[1].status == "failed");
  CHECK_THAT(first[1].detail,
             Catch::Contains("could not read case 999") && Catch::Contains("nothing was posted"));
  CHECK(soar.count("post_case_comment") == 0);

  hunt::FlushOptions dry;
  dry.case_id = "42";
  dry.dry_run = true;
  auto would = hunt::flush_spool(read(dir), &soar, dry, context);
  CHECK(would[0].status == "would_post");
  CHECK(would[0].case_id == "42");
  CHECK(would[1].case_id == "999");  // --case fills in only comments without a case
  CHECK(soar.count("post_case_comment") == 0);
  CHECK(read(dir).comments.size() == 2);

  hunt::FlushOptions chosen;
  chosen.case_id = "42";
  chosen.hunt_id = "hunt-e";  // --hunt with --case redirects that one comment
  auto redirected = hunt::flush_spool(read(dir), &soar, chosen, context);
  REQUIRE(redirected.size() == 1);
  CHECK(redirected[0].status == "posted");
  CHECK(soar.comments("42").size() == 1);

  auto without_soar = hunt::flush_spool(read(dir), nullptr, dry, context);
  REQUIRE(without_soar.size() == 1);
  CHECK(without_soar[0].status == "failed");
  CHECK_THAT(without_soar[0].detail, Catch::Contains("no SOAR server"));
}

TEST_CASE("a hunt whose SOAR is down and that has no case spools its comment with case none",
          "[hunt][spool][runner]") {
  test::Rig rig;
  SpoolDir dir;
  rig.settings.spool_dir = dir.path;
  rig.soar->fail_list = true;  // related cases cannot be listed: the SOAR is unreachable
  const std::string id = hunt::new_hunt_id();
  auto result = rig.run(rig.args(), id);
  CHECK(result.documentation.status == "skipped");
  REQUIRE(result.documentation.spool_path == dir.file(id + ".md"));
  CHECK_THAT(result.documentation.detail, Catch::Contains(result.documentation.spool_path) &&
                                              Catch::Contains("lmhunt spool flush --case ID") &&
                                              Catch::Contains("listing cases failed"));
  auto contents = read(dir);
  REQUIRE(contents.comments.size() == 1);
  CHECK(contents.comments[0].case_id.empty());
  CHECK(contents.comments[0].hunt_id == id);

  // With the SOAR reachable and still no case, nothing is spooled (there is nowhere to post).
  rig.soar->fail_list = false;
  SpoolDir quiet;
  rig.settings.spool_dir = quiet.path;
  auto healthy = rig.run(rig.args());
  CHECK(healthy.documentation.status == "skipped");
  CHECK(healthy.documentation.spool_path.empty());
  CHECK(read(quiet).comments.empty());
}
