// Fuzz target for everything an artifact's bytes reach: format detection,
// the zip structure audit, libarchive reading with limits and nesting, the
// package model and the first rules.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analysis/rules.h"
#include "analysis/scanner.h"
#include "archive/zip_structure.h"

namespace {

const pyward::RuleSet& Rules() {
  static pyward::RuleSet* rules = [] {
    auto* r = new pyward::RuleSet;
    std::string err;
    if (!r->LoadDefault(&err)) {
      std::fprintf(stderr, "fuzz_archive: %s\n", err.c_str());
      std::abort();
    }
    return r;
  }();
  return *rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  pyward::ScanOptions opts;
  opts.archive.limits.max_total_bytes = 8 << 20;  // keep each run small
  opts.archive.limits.max_member_bytes = 4 << 20;
  opts.archive.limits.max_members = 1000;
  opts.archive.limits.ratio_floor_bytes = 1 << 20;
  static const pyward::Scanner* scanner = new pyward::Scanner(&Rules(), opts);
  pyward::ScanResult r = scanner->ScanBytes("fuzz", "fuzz-1.0.tar.gz", bytes);
  pyward::ZipStructure zs;
  std::string err;
  pyward::ParseZipStructure(bytes, 1000, &zs, &err);
  return 0;
}
