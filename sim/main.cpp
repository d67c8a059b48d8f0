// lmhunt-sim: the local SecOps stand-in. Options → stores → server; no logic lives here.
#include <string>
#include <vector>

#include "sim/server/sim_cli.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return sim::run_sim_cli(args);
}
