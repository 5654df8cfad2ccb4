#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace pyward {

int RunScan(int argc, char** argv) {
  std::fprintf(stderr, "pyward scan: under construction\n");
  return kExitInternal;
}

}  // namespace pyward
