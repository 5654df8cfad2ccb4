// Encoders for unpack_tests: build encoded layers from synthetic strings
// with the same libraries (zlib, libbz2, liblzma, OpenSSL).
#pragma once

#include <bzlib.h>
#include <lzma.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <random>
#include <string>
#include <string_view>

namespace pyward::testutil {

inline std::string B64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  out.resize(n);
  return out;
}

inline std::string Hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

inline std::string B32(std::string_view s) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint64_t acc = 0;
  int bits = 0;
  for (unsigned char c : s) {
    acc = acc << 8 | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(a[(acc >> bits) & 31]);
    }
  }
  if (bits) out.push_back(a[(acc << (5 - bits)) & 31]);
  while (out.size() % 8) out.push_back('=');
  return out;
}

inline std::string Zlib(std::string_view s) {
  uLongf n = compressBound(s.size());
  std::string out(n, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &n,
            reinterpret_cast<const Bytef*>(s.data()), s.size(), 9);
  out.resize(n);
  return out;
}

inline std::string Bz2(std::string_view s) {
  unsigned n = static_cast<unsigned>(s.size() + s.size() / 100 + 700);
  std::string out(n, '\0');
  BZ2_bzBuffToBuffCompress(out.data(), &n, const_cast<char*>(s.data()),
                           static_cast<unsigned>(s.size()), 9, 0, 0);
  out.resize(n);
  return out;
}

inline std::string Xz(std::string_view s) {
  std::string out(lzma_stream_buffer_bound(s.size()), '\0');
  size_t pos = 0;
  lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                          reinterpret_cast<const uint8_t*>(s.data()), s.size(),
                          reinterpret_cast<uint8_t*>(out.data()), &pos,
                          out.size());
  out.resize(pos);
  return out;
}

inline std::string Utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

inline std::string Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

}  // namespace pyward::testutil
