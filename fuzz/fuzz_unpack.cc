// Fuzz target for the payload decoders: every Decode step, DecodeCall of
// Fernet, ReadMarshal, Classify, FindPowerShellEncoded and a whole Unwrap on
// the input, with small limits so that bombs are cut quickly. Built with
// libFuzzer when PYWARD_FUZZ=ON with clang; otherwise linked into
// fuzz_unpack_replay, which runs it over fuzz/corpus/unpack.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analysis/unpack/decoders.h"
#include "analysis/unpack/fernet.h"
#include "analysis/unpack/marshal.h"
#include "analysis/unpack/unwrap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pyward;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  DecodeLimits lim;
  lim.max_output = 1 << 20;
  lim.max_total = 4 << 20;
  lim.max_steps = 64;
  lim.lzma_memlimit = 16 << 20;
  std::string out, err;
  for (int e = 0; e <= static_cast<int>(Encoding::kMarshal); ++e) {
    if (Decode(static_cast<Encoding>(e), in, lim, &out, &err) &&
        out.size() > lim.max_output) {
      std::abort();
    }
  }
  MarshalInfo info;
  ReadMarshal(in, &info, &err);
  FernetDecrypt("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", in, &out, &err);
  Classify(in);
  FindPowerShellEncoded(in, lim);
  size_t total = 0;
  for (const Layer& l : Unwrap(in, lim)) {
    if (l.data.size() > lim.max_output) std::abort();
    total += l.data.size();
  }
  if (total > lim.max_total) std::abort();
  return 0;
}
