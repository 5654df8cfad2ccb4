// Replay driver: feeds every file named on the command line (directories:
// every regular file inside, recursively, in sorted order) to
// LLVMFuzzerTestOneInput. Used by ctest when libFuzzer is not available.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "util/file_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::vector<std::string> files;
    if (pyward::GetPathKind(arg) == pyward::PathKind::kDirectory) {
      std::vector<std::string> rel, links;
      std::string err;
      if (!pyward::ListFilesRecursive(arg, &rel, &links, &err)) {
        std::fprintf(stderr, "replay: %s\n", err.c_str());
        return 2;
      }
      for (const std::string& r : rel) files.push_back(arg + "/" + r);
    } else {
      files.push_back(arg);
    }
    for (const std::string& f : files) {
      std::string data, err;
      if (!pyward::ReadFile(f, 1ull << 30, &data, &err)) {
        std::fprintf(stderr, "replay: cannot read %s: %s\n", f.c_str(),
                     err.c_str());
        return 2;
      }
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()),
                             data.size());
      ++runs;
    }
  }
  std::printf("replay: %d inputs ran\n", runs);
  return runs > 0 ? 0 : 1;
}
