// Cost of blind unwrapping (analysis/unpack/unwrap.h) on inputs that decode
// to nothing, on decompression bombs and on a deep chain; prints the median
// time of each case and its ratio to one Classify pass over the same bytes.
// usage: build/bench/unpack_bench
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <zlib.h>

#include "analysis/unpack/decoders.h"
#include "analysis/unpack/unwrap.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double MedianMs(int runs, F f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto a = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::string Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string B64(const std::string& s) {
  static const char* a =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (uint8_t)s[i] << 16 | (uint8_t)s[i + 1] << 8 | (uint8_t)s[i + 2];
    for (int k = 18; k >= 0; k -= 6) out.push_back(a[(v >> k) & 63]);
  }
  if (i < s.size()) {
    uint32_t v = (uint8_t)s[i] << 16 | (i + 1 < s.size() ? (uint8_t)s[i + 1] << 8 : 0);
    out.push_back(a[v >> 18]);
    out.push_back(a[(v >> 12) & 63]);
    out.push_back(i + 1 < s.size() ? a[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string Zlib(const std::string& s) {
  uLongf n = compressBound(s.size());
  std::string out(n, '\0');
  compress2((Bytef*)out.data(), &n, (const Bytef*)s.data(), s.size(), 9);
  out.resize(n);
  return out;
}

// Times Unwrap(blob) and, as the baseline, the known `chain` applied with
// Decode directly plus one Classify of the result (for a blob that decodes
// to nothing, just Classify of the blob): the ratio is the cost of guessing.
void Report(const char* name, const std::string& blob, int runs,
            const pyward::DecodeLimits& lim,
            std::vector<pyward::Encoding> chain = {}) {
  size_t layers = 0;
  double ms = MedianMs(runs, [&] { layers = pyward::Unwrap(blob, lim).size(); });
  double base = MedianMs(runs, [&] {
    std::string cur = blob, next, err;
    for (pyward::Encoding e : chain) {
      if (!pyward::Decode(e, cur, lim, &next, &err)) break;
      cur.swap(next);
    }
    pyward::Classify(cur);
  });
  std::printf("%-32s %8zu B  unwrap %7.2f ms  %zu layers  x%.2f of the "
              "known-chain baseline (%.2f ms)\n",
              name, blob.size(), ms, layers, ms / std::max(base, 1e-3), base);
}

}  // namespace

int main() {
  pyward::DecodeLimits lim;  // defaults: 8 MiB per step, 32 MiB total
  const size_t mb = 1 << 20;
  Report("random binary 1 MiB", Random(mb, 1), 9, lim);
  Report("random base64 text 1 MiB", B64(Random(mb * 3 / 4, 2)), 9, lim);
  std::string words;
  while (words.size() < mb) words += "the quick brown fox jumps over the lazy dog ";
  words.resize(mb);
  Report("English-like text 1 MiB", words, 9, lim);
  std::string code;
  while (code.size() < mb) code += "def f(x):\n    return x + 1\n";
  Report("base64(zlib(python 1 MiB))", B64(Zlib(code)), 9, lim,
         {pyward::Encoding::kBase64, pyward::Encoding::kZlib});
  // Bomb: zlib(zlib(1 GiB of zeros)), base64 encoded (~2.4 kB).
  std::string zeros(64 << 20, '\0'), inner;
  {
    z_stream zs{};
    deflateInit(&zs, 9);
    std::string out(1 << 20, '\0');
    for (int i = 0; i < 16; ++i) {
      zs.next_in = (Bytef*)zeros.data();
      zs.avail_in = zeros.size();
      int flush = i == 15 ? Z_FINISH : Z_NO_FLUSH;
      do {
        zs.next_out = (Bytef*)out.data();
        zs.avail_out = out.size();
        deflate(&zs, flush);
        inner.append(out.data(), out.size() - zs.avail_out);
      } while (zs.avail_out == 0);
    }
    deflateEnd(&zs);
  }
  std::string bomb = B64(Zlib(inner));
  using E = pyward::Encoding;
  Report("b64(zlib(zlib(1 GiB zeros)))", bomb, 9, lim,
         {E::kBase64, E::kZlib, E::kZlib});
  pyward::DecodeLimits small = lim;
  small.max_output = 1 << 20;
  Report("  same, max_output 1 MiB", bomb, 9, small,
         {E::kBase64, E::kZlib, E::kZlib});
  return 0;
}
