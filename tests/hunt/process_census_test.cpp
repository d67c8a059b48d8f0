// process_census_test.cpp — the /proc census the fault tests and the load check rely on sees a
// new thread, a new descriptor (with its target) and a new child, and their going.
#include "support/process_census.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <latch>
#include <thread>

TEST_CASE("the process census sees a leaked thread, descriptor and child, and their end",
          "[census]") {
  const test::Census before = test::take_census();
  REQUIRE(before.alive);
  CHECK(before.threads >= 1);
  CHECK_FALSE(test::leaks_since(before, test::take_census()).any());

  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::latch release(1);
  std::thread worker([&] { release.wait(); });
  const pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  const test::Leaks held = test::leaks_since(before, test::take_census());
  CHECK(held.threads == 1);
  REQUIRE(held.fds.size() == 2);
  CHECK(held.fds[0].find("pipe:[") != std::string::npos);
  REQUIRE(held.children.size() == 1);
  CHECK(held.children[0] == child);
  CHECK(held.describe().find("1 thread(s)") == 0);

  ::close(fds[0]);
  ::close(fds[1]);
  release.count_down();
  worker.join();
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK_FALSE(test::await_baseline(0, before, std::chrono::seconds(5)).any());
}
