#include "analysis/unpack/decoders.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "analysis/unpack/fernet.h"
#include "analysis/unpack/marshal.h"
#include "analysis/unpack/unwrap.h"
#include "util/strings.h"

namespace pyward {
namespace {

constexpr size_t kChunk = 64 << 10;

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

bool TooBig(std::string* err) {
  *err = "decoded output exceeds the limit";
  return false;
}

// Appends n bytes to *out, never letting its capacity pass `cap` bytes (the
// usual doubling could allocate twice the limit).
void AppendBounded(std::string* out, const char* data, size_t n, size_t cap) {
  size_t need = out->size() + n;
  if (need > out->capacity()) {
    out->reserve(std::min(cap, std::max(need, 2 * out->capacity())));
  }
  out->append(data, n);
}

// ---- base64 -------------------------------------------------------------

// CPython's binascii.a2b_base64 (strict_mode=False), but tolerant of missing
// padding. `alt62`/`alt63` are extra characters for '+' and '/' (0: none).
bool Base64(std::string_view in, char alt62, char alt63, size_t max,
            std::string* out, std::string* err) {
  // 0..63: value; 64: padding; 255: not in the alphabet.
  std::array<uint8_t, 256> table;
  table.fill(255);
  const char* alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(alphabet[i])] = i;
  if (alt62) table[static_cast<unsigned char>(alt62)] = 62;
  if (alt63) table[static_cast<unsigned char>(alt63)] = 63;
  table['='] = 64;
  // Written in place: never more than 3 bytes per 4 characters, nor max+1.
  out->assign(std::min(max + 1, in.size() / 4 * 3 + 3), '\0');
  char* o = out->data();
  size_t n = 0, cap = out->size();
  int quad = 0, pads = 0;
  unsigned left = 0;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(in.data());
  for (size_t i = 0; i < in.size(); ++i) {
    // Fast path: at a quad boundary, four alphabet characters make three
    // bytes (what the steps below do one character at a time).
    if (quad == 0 && i + 4 <= in.size() && n + 3 <= cap) {
      unsigned a = table[p[i]], b = table[p[i + 1]], c = table[p[i + 2]], d = table[p[i + 3]];
      if ((a | b | c | d) < 64) {
        o[n] = static_cast<char>((a << 2) | (b >> 4));
        o[n + 1] = static_cast<char>(((b & 0x0f) << 4) | (c >> 2));
        o[n + 2] = static_cast<char>(((c & 0x03) << 6) | d);
        n += 3;
        pads = 0;
        i += 3;
        continue;
      }
    }
    unsigned char c = p[i];
    unsigned v = table[c];
    if (v == 64) {
      if (quad >= 2 && quad + ++pads >= 4) {
        quad = 0;
        break;
      }
      continue;
    }
    if (v == 255) continue;  // not in the alphabet: discarded (validate=False)
    pads = 0;
    if (quad == 0) {
      left = v;
      quad = 1;
      continue;
    }
    if (n == cap) {
      out->resize(n);
      return TooBig(err);
    }
    if (quad == 1) {
      o[n++] = static_cast<char>((left << 2) | (v >> 4));
      left = v & 0x0f;
      quad = 2;
    } else if (quad == 2) {
      o[n++] = static_cast<char>((left << 4) | (v >> 2));
      left = v & 0x03;
      quad = 3;
    } else {
      o[n++] = static_cast<char>((left << 6) | v);
      quad = 0;
    }
  }
  out->resize(n);
  if (n > max) return TooBig(err);
  // quad 2/3: missing padding, accepted; quad 1: a dangling character dropped.
  if (n == 0) {
    *err = "no base64 data";
    return false;
  }
  return true;
}

// ---- base32 / base16 ------------------------------------------------------

bool Base32(std::string_view in, size_t max, std::string* out,
            std::string* err) {
  out->clear();
  uint64_t acc = 0;
  int bits = 0, chars = 0;
  bool padding = false;
  for (unsigned char c : in) {
    if (IsSpace(c)) continue;
    if (c == '=') { padding = true; continue; }
    if (padding) {
      *err = "base32 data after padding";
      return false;
    }
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a';
    else if (c >= '2' && c <= '7') v = c - '2' + 26;
    else {
      *err = "non-base32 character";
      return false;
    }
    ++chars;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
      if (out->size() > max) return TooBig(err);
    }
  }
  int rem = chars % 8;
  if (rem == 1 || rem == 3 || rem == 6 || chars == 0) {
    *err = "invalid base32 length";
    return false;
  }
  return true;
}

int HexVal(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Base16(std::string_view in, size_t max, std::string* out,
            std::string* err) {
  out->clear();
  int hi = -1;
  for (unsigned char c : in) {
    if (IsSpace(c)) continue;
    int v = HexVal(c);
    if (v < 0) {
      *err = "non-hexadecimal digit";
      return false;
    }
    if (hi < 0) {
      hi = v;
    } else {
      out->push_back(static_cast<char>(hi << 4 | v));
      hi = -1;
      if (out->size() > max) return TooBig(err);
    }
  }
  if (hi >= 0 || out->empty()) {
    *err = hi >= 0 ? "odd number of hex digits" : "no hex data";
    return false;
  }
  return true;
}

// ---- base85 / ascii85 -----------------------------------------------------

constexpr std::string_view kB85Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;"
    "<=>?@^_`{|}~";

// Decodes groups of five digits (values 0..84), padding the last group with
// 84, as both b85decode and a85decode do.
bool Flush85(const int* digits, int n, size_t max, std::string* out,
             std::string* err) {
  uint64_t acc = 0;
  for (int i = 0; i < 5; ++i) acc = acc * 85 + (i < n ? digits[i] : 84);
  if (acc > 0xffffffffull) {
    *err = "base85 group overflows 32 bits";
    return false;
  }
  int keep = n == 5 ? 4 : n - 1;
  for (int i = 0; i < keep; ++i)
    out->push_back(static_cast<char>((acc >> (24 - 8 * i)) & 0xff));
  if (out->size() > max) return TooBig(err);
  return true;
}

bool Base85(std::string_view in, size_t max, std::string* out,
            std::string* err) {
  static const std::array<int8_t, 256> table = [] {
    std::array<int8_t, 256> t;
    t.fill(-1);
    for (size_t i = 0; i < kB85Alphabet.size(); ++i)
      t[static_cast<unsigned char>(kB85Alphabet[i])] = static_cast<int8_t>(i);
    return t;
  }();
  out->clear();
  int digits[5], n = 0;
  for (unsigned char c : in) {
    if (IsSpace(c)) continue;
    int v = table[c];
    if (v < 0) {
      *err = "bad base85 character";
      return false;
    }
    digits[n++] = v;
    if (n == 5) {
      if (!Flush85(digits, 5, max, out, err)) return false;
      n = 0;
    }
  }
  if (n == 1) {
    *err = "invalid base85 length";
    return false;
  }
  if (n > 0 && !Flush85(digits, n, max, out, err)) return false;
  if (out->empty()) {
    *err = "no base85 data";
    return false;
  }
  return true;
}

bool Ascii85(std::string_view in, size_t max, std::string* out,
             std::string* err) {
  std::string_view s = Trim(in);
  if (s.substr(0, 2) == "<~") s.remove_prefix(2);
  if (s.size() >= 2 && s.substr(s.size() - 2) == "~>") s.remove_suffix(2);
  out->clear();
  int digits[5], n = 0;
  for (unsigned char c : s) {
    if (IsSpace(c)) continue;
    if (c == 'z' && n == 0) {
      out->append(4, '\0');
      if (out->size() > max) return TooBig(err);
      continue;
    }
    if (c < '!' || c > 'u') {
      *err = "non-Ascii85 character";
      return false;
    }
    digits[n++] = c - '!';
    if (n == 5) {
      if (!Flush85(digits, 5, max, out, err)) return false;
      n = 0;
    }
  }
  if (n > 1 && !Flush85(digits, n, max, out, err)) return false;
  if (out->empty()) {
    *err = "no Ascii85 data";
    return false;
  }
  return true;
}

// ---- compressors ----------------------------------------------------------

// zlib.decompress with the header detected: zlib, gzip (members in turn
// when `members`), else raw deflate.
bool Inflate(std::string_view in, bool members, size_t max, std::string* out,
             std::string* err) {
  out->clear();
  if (in.size() > UINT32_MAX) {
    *err = "compressed input too large";
    return false;
  }
  auto u = [&](size_t i) { return static_cast<unsigned char>(in[i]); };
  int wbits = -15;
  if (in.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) {
    wbits = 31;
  } else if (in.size() >= 2 && (u(0) & 0x0f) == 8 &&
             (u(0) << 8 | u(1)) % 31 == 0) {
    wbits = 15;
  }
  z_stream zs{};
  if (inflateInit2(&zs, wbits) != Z_OK) {
    *err = "zlib initialisation failed";
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[kChunk];
  bool ok = false;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    int rc = inflate(&zs, Z_NO_FLUSH);
    size_t got = sizeof buf - zs.avail_out;
    if (out->size() + got > max) {
      TooBig(err);
      break;
    }
    AppendBounded(out, buf, got, max);
    if (rc == Z_STREAM_END) {
      if (members && wbits == 31 && zs.avail_in >= 2 && zs.next_in[0] == 0x1f &&
          zs.next_in[1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      ok = true;  // bytes after the stream are ignored
      break;
    }
    if (rc == Z_NEED_DICT) {
      *err = "zlib stream needs a preset dictionary";
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      *err = std::string("corrupt compressed data") +
             (zs.msg ? std::string(": ") + zs.msg : std::string());
      break;
    }
    if (got == 0 && zs.avail_in == 0) {
      *err = "truncated compressed data";
      break;
    }
  }
  inflateEnd(&zs);
  return ok;
}

bool Bunzip2(std::string_view in, size_t max, std::string* out,
             std::string* err) {
  out->clear();
  if (in.size() > UINT32_MAX) {
    *err = "compressed input too large";
    return false;
  }
  if (in.substr(0, 3) != "BZh") {
    *err = "not bzip2 data";
    return false;
  }
  const char* next = in.data();
  size_t avail = in.size();
  char buf[kChunk];
  while (true) {
    bz_stream bz{};
    if (BZ2_bzDecompressInit(&bz, 0, 0) != BZ_OK) {
      *err = "bzip2 initialisation failed";
      return false;
    }
    bz.next_in = const_cast<char*>(next);
    bz.avail_in = static_cast<unsigned>(avail);
    bool ended = false, ok = true;
    while (!ended) {
      bz.next_out = buf;
      bz.avail_out = sizeof buf;
      int rc = BZ2_bzDecompress(&bz);
      size_t got = sizeof buf - bz.avail_out;
      if (out->size() + got > max) {
        ok = TooBig(err);
        break;
      }
      AppendBounded(out, buf, got, max);
      if (rc == BZ_STREAM_END) {
        ended = true;
      } else if (rc != BZ_OK) {
        *err = "corrupt bzip2 data";
        ok = false;
        break;
      } else if (got == 0 && bz.avail_in == 0) {
        *err = "truncated bzip2 data";
        ok = false;
        break;
      }
    }
    next = bz.next_in;
    avail = bz.avail_in;
    BZ2_bzDecompressEnd(&bz);
    if (!ok) return false;
    // bz2.decompress reads concatenated streams; other trailing bytes are
    // ignored.
    if (avail < 4 || std::string_view(next, 3) != "BZh") return true;
  }
}

bool Unxz(std::string_view in, uint64_t memlimit, size_t max,
          std::string* out, std::string* err) {
  out->clear();
  if (in.empty()) {
    *err = "no xz/lzma data";
    return false;
  }
  const uint8_t* next = reinterpret_cast<const uint8_t*>(in.data());
  size_t avail = in.size();
  uint8_t buf[kChunk];
  int streams = 0;
  while (avail > 0) {
    lzma_stream lz = LZMA_STREAM_INIT;
    if (lzma_auto_decoder(&lz, memlimit, 0) != LZMA_OK) {
      *err = "lzma initialisation failed";
      return false;
    }
    lz.next_in = next;
    lz.avail_in = avail;
    bool ok = true;
    std::string why;
    for (;;) {
      lz.next_out = buf;
      lz.avail_out = sizeof buf;
      lzma_ret rc = lzma_code(&lz, LZMA_FINISH);
      size_t got = sizeof buf - lz.avail_out;
      if (out->size() + got > max) {
        ok = false;
        why = "decoded output exceeds the limit";
        break;
      }
      AppendBounded(out, reinterpret_cast<const char*>(buf), got, max);
      if (rc == LZMA_STREAM_END) break;
      if (rc == LZMA_OK) continue;
      ok = false;
      why = rc == LZMA_MEMLIMIT_ERROR ? "lzma stream needs more memory than "
                                        "the limit"
            : rc == LZMA_FORMAT_ERROR ? "not xz/lzma data"
            : rc == LZMA_BUF_ERROR    ? "truncated xz/lzma data"
                                      : "corrupt xz/lzma data";
      break;
    }
    next = lz.next_in;
    avail = lz.avail_in;
    lzma_end(&lz);
    if (!ok) {
      // As lzma.decompress: garbage after a complete stream is ignored.
      if (streams > 0 && why != "decoded output exceeds the limit") {
        return true;
      }
      *err = why;
      return false;
    }
    ++streams;
  }
  return true;
}

// ---- text transforms ------------------------------------------------------

std::string Rot13(std::string_view in) {
  std::string s(in);
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return s;
}

bool Utf16le(std::string_view in, size_t max, std::string* out,
             std::string* err) {
  out->clear();
  if (in.size() % 2 != 0) {
    *err = "odd length for UTF-16";
    return false;
  }
  size_t i = 0;
  if (in.size() >= 2 && static_cast<unsigned char>(in[0]) == 0xff &&
      static_cast<unsigned char>(in[1]) == 0xfe) {
    i = 2;
  }
  auto unit = [&](size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(in[k]) |
                                 static_cast<unsigned char>(in[k + 1]) << 8);
  };
  for (; i < in.size(); i += 2) {
    char32_t u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= in.size()) {
        *err = "truncated UTF-16 surrogate pair";
        return false;
      }
      char32_t lo = unit(i + 2);
      if (lo < 0xdc00 || lo > 0xdfff) {
        *err = "lone UTF-16 surrogate";
        return false;
      }
      u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      *err = "lone UTF-16 surrogate";
      return false;
    }
    AppendUtf8(u, out);
    if (out->size() > max) return TooBig(err);
  }
  return true;
}

bool BlindXor(std::string_view in, size_t max, std::string* out,
              std::string* err) {
  if (in.size() > max) return TooBig(err);
  if (in.size() < 32) {
    *err = "too short to guess an XOR key";
    return false;
  }
  std::string_view head = in.substr(0, 512);
  for (int k = 1; k < 256; ++k) {
    // Cheap filter first: the head must become printable ASCII (19 bytes in
    // 20); a key is dropped as soon as too many bytes are not.
    size_t bad = 0;
    bool rejected = false;
    for (unsigned char ch : head) {
      unsigned char x = ch ^ static_cast<unsigned char>(k);
      if ((x >= 0x20 && x < 0x7f) || x == '\n' || x == '\r' || x == '\t') continue;
      ++bad;
      if ((head.size() - bad) * 20 < head.size() * 19) {
        rejected = true;
        break;
      }
    }
    if (rejected) continue;
    const char key = static_cast<char>(k);
    if (!LooksLikeCode(XorWithKey(head, std::string_view(&key, 1)))) continue;
    *out = XorWithKey(in, std::string_view(&key, 1));
    if (LooksLikeCode(*out)) return true;
  }
  *err = "no single-byte XOR key yields code";
  return false;
}

bool MarshalListing(std::string_view in, size_t max, std::string* out,
                    std::string* err) {
  MarshalInfo info;
  if (!ReadMarshal(in.substr(PycHeaderSize(in)), &info, err)) return false;
  out->clear();
  for (const auto* list : {&info.names, &info.strings}) {
    for (const std::string& s : *list) {
      out->append(s);
      out->push_back('\n');
      if (out->size() > max) return TooBig(err);
    }
  }
  return true;
}

// "UTF-16_LE codec" -> "utf_16_le_codec": codecs' own normalisation.
std::string NormaliseCodec(std::string_view name) {
  std::string s = ToLower(Trim(name));
  for (char& c : s)
    if (c == '-' || c == ' ') c = '_';
  return s;
}

}  // namespace

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kBase64: return "base64";
    case Encoding::kBase64Url: return "base64url";
    case Encoding::kBase32: return "base32";
    case Encoding::kBase16: return "hex";
    case Encoding::kBase85: return "base85";
    case Encoding::kAscii85: return "ascii85";
    case Encoding::kZlib: return "zlib";
    case Encoding::kGzip: return "gzip";
    case Encoding::kBz2: return "bz2";
    case Encoding::kLzma: return "lzma";
    case Encoding::kRot13: return "rot13";
    case Encoding::kUtf16le: return "utf16le";
    case Encoding::kReverse: return "reverse";
    case Encoding::kXor: return "xor";
    case Encoding::kFernet: return "fernet";
    case Encoding::kMarshal: return "marshal";
  }
  return "?";
}

std::string XorWithKey(std::string_view data, std::string_view key) {
  std::string out(data);
  if (key.empty()) return out;
  for (size_t i = 0, k = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(out[i] ^ key[k]);
    if (++k == key.size()) k = 0;
  }
  return out;
}

bool Decode(Encoding e, std::string_view in, const DecodeLimits& limits,
            std::string* out, std::string* err) {
  const size_t max = limits.max_output;
  switch (e) {
    case Encoding::kBase64: return Base64(in, 0, 0, max, out, err);
    case Encoding::kBase64Url: return Base64(in, '-', '_', max, out, err);
    case Encoding::kBase32: return Base32(in, max, out, err);
    case Encoding::kBase16: return Base16(in, max, out, err);
    case Encoding::kBase85: return Base85(in, max, out, err);
    case Encoding::kAscii85: return Ascii85(in, max, out, err);
    case Encoding::kZlib: return Inflate(in, false, max, out, err);
    case Encoding::kGzip:
      if (in.size() < 2 || static_cast<unsigned char>(in[0]) != 0x1f ||
          static_cast<unsigned char>(in[1]) != 0x8b) {
        *err = "not gzip data";
        return false;
      }
      return Inflate(in, true, max, out, err);
    case Encoding::kBz2: return Bunzip2(in, max, out, err);
    case Encoding::kLzma: return Unxz(in, limits.lzma_memlimit, max, out, err);
    case Encoding::kRot13:
    case Encoding::kReverse:
      if (in.size() > max) return TooBig(err);
      if (e == Encoding::kRot13) {
        *out = Rot13(in);
      } else {
        out->assign(in.rbegin(), in.rend());
      }
      return true;
    case Encoding::kUtf16le: return Utf16le(in, max, out, err);
    case Encoding::kXor: return BlindXor(in, max, out, err);
    case Encoding::kFernet:
      *err = "fernet needs a key (FernetDecrypt)";
      return false;
    case Encoding::kMarshal: return MarshalListing(in, max, out, err);
  }
  *err = "unknown encoding";
  return false;
}

bool DecodeCall(std::string_view qualname, std::span<const std::string> args,
                const DecodeLimits& limits, std::string* out, Encoding* enc,
                std::string* err) {
  if (args.empty()) {
    *err = "no argument to decode";
    return false;
  }
  const std::string& a0 = args[0];
  auto use = [&](Encoding e) {
    *enc = e;
    return Decode(e, a0, limits, out, err);
  };
  if (qualname == "base64.b64decode" || qualname == "base64.standard_b64decode" ||
      qualname == "base64.decodebytes" || qualname == "base64.decodestring" ||
      qualname == "binascii.a2b_base64") {
    if (qualname == "base64.b64decode" && args.size() >= 2 &&
        args[1].size() == 2) {
      *enc = Encoding::kBase64;
      return Base64(a0, args[1][0], args[1][1], limits.max_output, out, err);
    }
    return use(Encoding::kBase64);
  }
  if (qualname == "base64.urlsafe_b64decode") return use(Encoding::kBase64Url);
  if (qualname == "base64.b32decode") return use(Encoding::kBase32);
  if (qualname == "base64.b16decode" || qualname == "binascii.unhexlify" ||
      qualname == "binascii.a2b_hex" || qualname == "bytes.fromhex" ||
      qualname == "bytearray.fromhex") {
    return use(Encoding::kBase16);
  }
  if (qualname == "base64.b85decode") return use(Encoding::kBase85);
  if (qualname == "base64.a85decode") return use(Encoding::kAscii85);
  if (qualname == "zlib.decompress") return use(Encoding::kZlib);
  if (qualname == "gzip.decompress") return use(Encoding::kGzip);
  if (qualname == "bz2.decompress") return use(Encoding::kBz2);
  if (qualname == "lzma.decompress") return use(Encoding::kLzma);
  if (qualname == "marshal.loads") return use(Encoding::kMarshal);
  if (qualname == "cryptography.fernet.Fernet.decrypt" ||
      qualname == "fernet.Fernet.decrypt" || qualname == "Fernet.decrypt") {
    *enc = Encoding::kFernet;
    if (args.size() < 2) {
      *err = "Fernet.decrypt needs the key and the token";
      return false;
    }
    if (!FernetDecrypt(args[0], args[1], out, err)) return false;
    if (out->size() > limits.max_output) return TooBig(err);
    return true;
  }
  if (qualname == "codecs.decode" || qualname == "_codecs.decode") {
    if (args.size() < 2) {
      *err = "codecs.decode without an encoding is a text decode";
      return false;
    }
    std::string name = NormaliseCodec(args[1]);
    if (name.size() > 6 && name.ends_with("_codec")) {
      name.resize(name.size() - 6);
    }
    if (name == "rot13" || name == "rot_13") return use(Encoding::kRot13);
    if (name == "base64" || name == "base_64") return use(Encoding::kBase64);
    if (name == "hex") return use(Encoding::kBase16);
    if (name == "zlib" || name == "zip") return use(Encoding::kZlib);
    if (name == "bz2") return use(Encoding::kBz2);
    if (name == "utf_16le" || name == "utf_16_le" || name == "utf16le") {
      return use(Encoding::kUtf16le);
    }
    if ((name == "utf_16" || name == "utf16") && a0.size() >= 2 &&
        static_cast<unsigned char>(a0[0]) == 0xff &&
        static_cast<unsigned char>(a0[1]) == 0xfe) {
      return use(Encoding::kUtf16le);
    }
    *err = "codec not decoded: " + name;
    return false;
  }
  *err = "not a known decoding call: " + std::string(qualname);
  return false;
}

}  // namespace pyward
