// pyward: a supply-chain firewall for Python packages. main() is the table
// of subcommands; each lives in its own cmd_*.cc.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

const Command kCommands[] = {
    {"scan", "judge package artifacts (sdist, wheel, egg, tree, file): "
             "malicious, suspicious or clean, and why",
     pyward::RunScan},
    {"names", "judge bare project names: typosquats, known-malicious names, "
              "dependency confusion",
     pyward::RunNames},
    {"audit", "audit dependency manifests offline: known vulnerabilities, "
              "malicious packages, unpinned requirements, missing hashes",
     pyward::RunAudit},
    {"db", "manage the offline advisory database (import, update, info)",
     pyward::RunDb},
    {"parse", "parse Python files with pyward's front end: syntax errors "
              "and facts (calls, imports, defs) as JSON lines",
     pyward::RunParse},
};

void Usage(FILE* out) {
  std::fprintf(out,
               "pyward %s: a supply-chain firewall for Python packages\n\n"
               "usage: pyward <command> [options] [args]\n\ncommands:\n",
               PYWARD_VERSION);
  for (const Command& c : kCommands)
    std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\n'pyward <command> --help' explains each command's options.\n"
               "example: pyward scan --format json dist/mypkg-1.0.tar.gz\n"
               "exit status: 0 nothing at or above --fail-on, 1 something is,\n"
               "             2 bad usage or unreadable input, 3 internal error\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return pyward::kExitUsage;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    Usage(stdout);
    return pyward::kExitOk;
  }
  if (cmd == "--version") {
    std::printf("pyward %s\n", PYWARD_VERSION);
    return pyward::kExitOk;
  }
  for (const Command& c : kCommands) {
    if (cmd == c.name) {
      std::string name = std::string("pyward ") + c.name;
      argv[1] = name.data();
      try {
        return c.run(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "pyward %s: internal error: %s\n", c.name, e.what());
        return pyward::kExitInternal;
      }
    }
  }
  std::fprintf(stderr, "pyward: unknown command '%s'\n\n", cmd.c_str());
  Usage(stderr);
  return pyward::kExitUsage;
}
