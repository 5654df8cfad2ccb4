// Runs Unwrap over blobs read from stdin (each a 4-byte little-endian length
// then the bytes) and prints one line per blob: its index, then
// chain:content:size of every layer found (HEADS=1 adds each layer's first
// 150 bytes, escaped); the totals and the slowest blob go to stderr.
// usage: python3 bench/unpack_corpus_feed.py | build/bench/unpack_blobs
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <string>
#include "analysis/unpack/unwrap.h"
int main() {
  using namespace pyward;
  std::string buf;
  uint32_t n;
  int idx = 0;
  double total_ms = 0, max_ms = 0;
  size_t bytes = 0;
  while (std::cin.read(reinterpret_cast<char*>(&n), 4)) {
    buf.resize(n);
    std::cin.read(buf.data(), n);
    auto a = std::chrono::steady_clock::now();
    auto layers = Unwrap(buf, DecodeLimits());
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count();
    total_ms += ms; max_ms = std::max(max_ms, ms); bytes += n;
    std::printf("%d", idx++);
    for (auto& l : layers) {
      std::string c;
      for (auto e : l.chain) { if (!c.empty()) c += ">"; c += EncodingName(e); }
      std::printf("\t%s:%s:%zu", c.c_str(), std::string(ContentName(l.content)).c_str(), l.data.size());
      if (getenv("HEADS")) {
        std::string h;
        for (unsigned char ch : l.data.substr(0, 150)) {
          if (ch >= 32 && ch < 127 && ch != '\t') h += ch; else { char b[8]; snprintf(b, 8, "\\x%02x", ch); h += b; }
        }
        std::printf(":%s", h.c_str());
      }
    }
    std::printf("\n");
  }
  std::fprintf(stderr, "blobs %d bytes %zu total %.1f ms max %.2f ms\n", idx, bytes, total_ms, max_ms);
}
