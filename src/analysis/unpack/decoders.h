// Bounded decoders for payloads hidden in string constants: base-N
// encodings, compressors, ROT13, UTF-16LE, reversal, XOR, Fernet and marshal.
// Every decoder reads untrusted bytes and stops at DecodeLimits::max_output:
// a decompression bomb costs milliseconds and never allocates more than that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pyward {

// Bounds for one decode step and for a whole Unwrap (unwrap.h).
struct DecodeLimits {
  size_t max_output = 8 << 20;  // bytes out of any one decode step
  size_t max_total = 32 << 20;  // bytes out over a whole Unwrap
  int max_layers = 8;           // depth of recursive unwrapping
  int max_steps = 256;          // decode attempts per Unwrap (bounds time)
  // Memory liblzma may use for one xz/lzma stream (its dictionary); 80 MiB
  // admits every xz preset up to -9.
  uint64_t lzma_memlimit = 80ull << 20;
};

// The decodings a layer can go through (the "chain" of a Layer).
enum class Encoding {
  kBase64, kBase64Url, kBase32, kBase16, kBase85, kAscii85, kZlib, kGzip,
  kBz2, kLzma, kRot13, kUtf16le, kReverse, kXor, kFernet, kMarshal
};

// Short lowercase name of `e` ("base64", "zlib", "utf16le", ...) for chains
// shown to a person.
std::string_view EncodingName(Encoding e);

// One decoding step of `in` into *out. Semantics follow CPython, a little
// more lenient where that cannot hide anything:
// - kBase64/kBase64Url: base64.b64decode(validate=False): characters outside
//   the alphabet are discarded, decoding stops at the first complete padding;
//   missing padding is accepted (CPython raises), one dangling character is
//   dropped. kBase64Url also accepts '-' and '_' (urlsafe_b64decode).
// - kBase32: b32decode, either letter case, padding optional.
// - kBase16: bytes.fromhex/unhexlify/b16decode: hex digits of either case,
//   ASCII whitespace ignored, an even number of digits.
// - kBase85: b85decode (RFC 1924 alphabet); kAscii85: a85decode, optional
//   "<~" "~>" delimiters, 'z' for four zero bytes, whitespace ignored.
// - kZlib: zlib.decompress, accepting a zlib header, a gzip header or raw
//   deflate (as the different wbits would); kGzip: gzip.decompress
//   (concatenated members); kBz2: bz2.decompress (concatenated streams);
//   kLzma: lzma.decompress (FORMAT_AUTO: .xz or .lzma, concatenated), with
//   limits.lzma_memlimit. Truncated streams fail; bytes after the end of the
//   (last) stream are ignored.
// - kRot13: codecs 'rot13' on ASCII letters; kReverse: s[::-1].
// - kUtf16le: UTF-16LE (a leading BOM FF FE dropped) to UTF-8; fails on an
//   odd length or a lone surrogate.
// - kXor: blind single-byte XOR: the key 1..255 that turns `in` into Python,
//   shell or PowerShell text (Classify in unwrap.h); fails when none does. A
//   key known from the code goes through XorWithKey instead.
// - kFernet: needs a key: always fails here (see FernetDecrypt, DecodeCall).
// - kMarshal: marshal.loads of a code object (or a .pyc with its 8/12/16-byte
//   header); *out is the listing of what it holds: every name, then every
//   string constant, one per line (see ReadMarshal in marshal.h).
// Returns false and sets *err when `in` is not valid for the encoding or the
// output would exceed limits.max_output (decoding stops there).
bool Decode(Encoding e, std::string_view in, const DecodeLimits& limits,
            std::string* out, std::string* err);

// Applies the Python function `qualname` resolves to, to constant positional
// `args` (bytes, as folded). Known callees:
//   base64.b64decode/standard_b64decode/decodebytes/decodestring (altchars
//   as args[1]), base64.urlsafe_b64decode, base64.b32decode,
//   base64.b16decode, base64.b85decode, base64.a85decode,
//   binascii.a2b_base64, binascii.unhexlify, binascii.a2b_hex,
//   bytes.fromhex, bytearray.fromhex, zlib.decompress (wbits as args[1] in
//   decimal is accepted and ignored: headers are detected), gzip.decompress,
//   bz2.decompress, lzma.decompress, codecs.decode (encoding name as args[1]:
//   rot13/rot_13, base64, hex, zlib/zip, bz2, utf-16le/utf_16_le, utf-16 with
//   a BOM; '_codec' suffixes and any case/dash/space spelling),
//   marshal.loads, cryptography.fernet.Fernet.decrypt (args: key, token; also
//   reached as fernet.Fernet.decrypt or Fernet.decrypt).
// On success sets *out and *enc (the Encoding used, for the chain). Returns
// false with *err when the callee is unknown, an argument is missing, or the
// decode fails.
bool DecodeCall(std::string_view qualname, std::span<const std::string> args,
                const DecodeLimits& limits, std::string* out, Encoding* enc,
                std::string* err);

// XOR of `data` with the repeating `key` (the key read from the code);
// returns `data` unchanged when `key` is empty.
std::string XorWithKey(std::string_view data, std::string_view key);

}  // namespace pyward
