#include "analysis/unpack/decoders.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "analysis/unpack/test_util.h"
#include "analysis/unpack/test_vectors.h"

namespace pyward {
namespace {

namespace tv = testvec;
namespace tu = testutil;

constexpr Encoding kAll[] = {
    Encoding::kBase64, Encoding::kBase64Url, Encoding::kBase32,
    Encoding::kBase16, Encoding::kBase85,    Encoding::kAscii85,
    Encoding::kZlib,   Encoding::kGzip,      Encoding::kBz2,
    Encoding::kLzma,   Encoding::kRot13,     Encoding::kUtf16le,
    Encoding::kReverse, Encoding::kXor,      Encoding::kFernet,
    Encoding::kMarshal};

std::string Dec(Encoding e, std::string_view in, bool* ok = nullptr,
                std::string* err_out = nullptr) {
  DecodeLimits lim;
  std::string out, err;
  bool r = Decode(e, in, lim, &out, &err);
  if (ok) *ok = r;
  if (err_out) *err_out = err;
  if (!r) return "<error: " + err + ">";
  return out;
}

bool Fails(Encoding e, std::string_view in) {
  bool ok = true;
  Dec(e, in, &ok);
  return !ok;
}

TEST(UnpackEncodingName, DistinctAndNonEmpty) {
  std::set<std::string_view> names;
  for (Encoding e : kAll) {
    EXPECT_FALSE(EncodingName(e).empty());
    names.insert(EncodingName(e));
  }
  EXPECT_EQ(names.size(), std::size(kAll));
  EXPECT_EQ(EncodingName(Encoding::kBase64), "base64");
  EXPECT_EQ(EncodingName(Encoding::kZlib), "zlib");
}

TEST(UnpackBase64, CPythonVectors) {
  EXPECT_EQ(Dec(Encoding::kBase64, tv::kB64), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kBase64Url, tv::kB64UrlBinary), tv::kBinary);
  // The url-safe encoding of these bytes uses '-' and '_': plain base64
  // discards them and so differs.
  EXPECT_NE(Dec(Encoding::kBase64, tv::kB64UrlBinary), tv::kBinary);
}

TEST(UnpackBase64, LenientLikeValidateFalse) {
  std::string b = std::string(tv::kB64);
  std::string unpadded = b.substr(0, b.find('='));
  EXPECT_EQ(Dec(Encoding::kBase64, unpadded), tv::kSnippet);
  std::string spaced;
  for (size_t i = 0; i < b.size(); ++i) {
    spaced += b[i];
    if (i % 5 == 4) spaced += "\n !";
  }
  EXPECT_EQ(Dec(Encoding::kBase64, spaced), tv::kSnippet);
  // Decoding stops at complete padding.
  EXPECT_EQ(Dec(Encoding::kBase64, b + "QUJD"), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kBase64, "aGk="), "hi");
  EXPECT_EQ(Dec(Encoding::kBase64, "aGk"), "hi");
  EXPECT_EQ(Dec(Encoding::kBase64, "aGkx" "Y"), "hi1");  // dangling char
}

TEST(UnpackBase64, GarbageFails) {
  EXPECT_TRUE(Fails(Encoding::kBase64, ""));
  EXPECT_TRUE(Fails(Encoding::kBase64, "!!!! ...."));
  EXPECT_TRUE(Fails(Encoding::kBase64, "Q"));
  EXPECT_TRUE(Fails(Encoding::kBase64Url, "==="));
}

TEST(UnpackBase64, OutputLimit) {
  DecodeLimits lim;
  lim.max_output = 5;
  std::string out, err;
  EXPECT_FALSE(Decode(Encoding::kBase64, tv::kB64, lim, &out, &err));
  EXPECT_FALSE(err.empty());
  EXPECT_LE(out.size(), 6u);
}

// Whole quads are decoded four characters at a time: text broken by noise
// at every offset, padding that ends the data mid-text, and an output limit
// met exactly or missed by one byte give what CPython's lenient decoder does.
TEST(UnpackBase64, QuadsAndStepsAgree) {
  const std::string clean = "QUJDREVGR0hJSktM";  // "ABCDEFGHIJKL"
  for (size_t cut = 0; cut <= clean.size(); ++cut) {
    std::string noisy = clean.substr(0, cut) + " \n!" + clean.substr(cut);
    EXPECT_EQ(Dec(Encoding::kBase64, noisy), "ABCDEFGHIJKL") << noisy;
  }
  EXPECT_EQ(Dec(Encoding::kBase64, "aGk=QUJD"), "hi");   // padding ends the data
  EXPECT_EQ(Dec(Encoding::kBase64, "QUJDaGk=QUJD"), "ABChi");
  EXPECT_EQ(Dec(Encoding::kBase64, "QU=JD"), "ABC");  // one pad after two: not yet the end
  DecodeLimits lim;
  std::string out, err;
  lim.max_output = 12;
  EXPECT_TRUE(Decode(Encoding::kBase64, clean, lim, &out, &err));
  EXPECT_EQ(out, "ABCDEFGHIJKL");
  lim.max_output = 11;
  EXPECT_FALSE(Decode(Encoding::kBase64, clean, lim, &out, &err));
  EXPECT_FALSE(err.empty());
}

TEST(UnpackBase32And16, CPythonVectors) {
  EXPECT_EQ(Dec(Encoding::kBase32, tv::kB32), tv::kSnippet);
  std::string lower(tv::kB32);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(Dec(Encoding::kBase32, lower), tv::kSnippet);
  std::string unpadded(tv::kB32.substr(0, tv::kB32.find('=')));
  EXPECT_EQ(Dec(Encoding::kBase32, unpadded), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kBase16, tv::kB16), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kBase16, "68 69\n0a"), "hi\n");
}

TEST(UnpackBase32And16, GarbageFails) {
  EXPECT_TRUE(Fails(Encoding::kBase32, "ABC1DEFG"));  // '1' not in alphabet
  EXPECT_TRUE(Fails(Encoding::kBase32, "A"));
  EXPECT_TRUE(Fails(Encoding::kBase32, "MFRGG===MFRGG==="));
  EXPECT_TRUE(Fails(Encoding::kBase16, "abc"));
  EXPECT_TRUE(Fails(Encoding::kBase16, "zz"));
  EXPECT_TRUE(Fails(Encoding::kBase16, ""));
}

TEST(UnpackBase85, CPythonVectors) {
  EXPECT_EQ(Dec(Encoding::kBase85, tv::kB85), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kAscii85, tv::kA85), tv::kA85Snippet);
  EXPECT_EQ(Dec(Encoding::kAscii85, tv::kA85Adobe), tv::kSnippet);
}

TEST(UnpackBase85, GarbageFails) {
  EXPECT_TRUE(Fails(Encoding::kBase85, "~~~~~"));  // overflows 32 bits
  EXPECT_TRUE(Fails(Encoding::kBase85, "abc\"d"));
  EXPECT_TRUE(Fails(Encoding::kBase85, "a"));
  EXPECT_TRUE(Fails(Encoding::kAscii85, "uuuuu"));  // overflow
  EXPECT_TRUE(Fails(Encoding::kAscii85, "abc~x"));
  EXPECT_TRUE(Fails(Encoding::kAscii85, "<~~>"));
  // Truncated: every prefix decodes or fails cleanly, never more bytes.
  for (size_t n = 0; n < tv::kB85.size(); ++n) {
    bool ok;
    std::string out = Dec(Encoding::kBase85, tv::kB85.substr(0, n), &ok);
    if (ok) {
      EXPECT_LE(out.size(), tv::kSnippet.size());
    }
  }
}

TEST(UnpackCompressors, CPythonVectors) {
  EXPECT_EQ(Dec(Encoding::kZlib, tv::kZlib), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kZlib, tv::kRawDeflate), tv::kSnippet);
  // zlib.decompress(wbits=31) reads one gzip member; gzip.decompress all.
  EXPECT_EQ(Dec(Encoding::kZlib, tv::kGzip2Members), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kGzip, tv::kGzip2Members),
            std::string(tv::kSnippet) + "# second\n");
  EXPECT_EQ(Dec(Encoding::kBz2, tv::kBz2), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kLzma, tv::kXz), tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kLzma, tv::kLzmaAlone), tv::kSnippet);
}

TEST(UnpackCompressors, RoundTripsAndConcatenation) {
  std::string text = "def f():\n    return 'x' * 3\n";
  for (int i = 0; i < 6; ++i) text += text;
  EXPECT_EQ(Dec(Encoding::kZlib, tu::Zlib(text)), text);
  EXPECT_EQ(Dec(Encoding::kBz2, tu::Bz2(text) + tu::Bz2("tail")), text + "tail");
  EXPECT_EQ(Dec(Encoding::kLzma, tu::Xz(text) + tu::Xz("tail")), text + "tail");
  // Trailing garbage after a complete stream is ignored, as CPython does.
  EXPECT_EQ(Dec(Encoding::kLzma, tu::Xz(text) + "garbage!"), text);
  EXPECT_EQ(Dec(Encoding::kZlib, tu::Zlib(text) + "garbage!"), text);
}

TEST(UnpackCompressors, TruncatedAndGarbageFail) {
  struct Case { Encoding e; std::string_view data; };
  const Case cases[] = {{Encoding::kZlib, tv::kZlib},
                        {Encoding::kGzip, tv::kGzip2Members.substr(0, 40)},
                        {Encoding::kBz2, tv::kBz2},
                        {Encoding::kLzma, tv::kXz},
                        {Encoding::kLzma, tv::kLzmaAlone}};
  for (const Case& c : cases) {
    // Cutting the stream before its end-of-data (the last 4 bytes hold a
    // checksum, or the lzma-alone end marker) must fail.
    for (size_t n = 0; n + 8 < c.data.size(); ++n)
      EXPECT_TRUE(Fails(c.e, c.data.substr(0, n)))
          << EncodingName(c.e) << " prefix " << n;
    // Corrupting the body fails or decodes something else, never crashes.
    std::string bad(c.data);
    bad[bad.size() / 2] ^= 0x55;
    bool ok;
    std::string out = Dec(c.e, bad, &ok);
    if (ok) {
      EXPECT_LE(out.size(), 1u << 20);
    }
  }
  std::string noise = tu::Random(4096, 7);
  for (Encoding e : {Encoding::kGzip, Encoding::kBz2, Encoding::kLzma})
    EXPECT_TRUE(Fails(e, noise)) << EncodingName(e);
  EXPECT_TRUE(Fails(Encoding::kZlib, "x\x9c" + noise));
  EXPECT_TRUE(Fails(Encoding::kGzip, tv::kZlib));  // gzip needs its header
}

// Each bomb expands to 1 GiB of zeros; decoding must stop at max_output.
TEST(UnpackCompressors, BombsStopAtTheLimit) {
  DecodeLimits lim;
  lim.max_output = 1 << 20;
  struct Case { Encoding outer, inner; std::string_view data; };
  const Case cases[] = {{Encoding::kZlib, Encoding::kZlib, tv::kZlibBomb2},
                        {Encoding::kBz2, Encoding::kBz2, tv::kBz2Bomb},
                        {Encoding::kLzma, Encoding::kLzma, tv::kXzBomb2}};
  for (const Case& c : cases) {
    SCOPED_TRACE(EncodingName(c.outer));
    EXPECT_LT(c.data.size(), 4096u);
    std::string layer(c.data), out, err;
    if (c.data != tv::kBz2Bomb) {
      // The outer layer holds the ~1 MB compressed bomb: fine at 8 MiB.
      ASSERT_TRUE(Decode(c.outer, c.data, DecodeLimits(), &layer, &err)) << err;
    }
    EXPECT_FALSE(Decode(c.inner, layer, lim, &out, &err));
    EXPECT_NE(err.find("limit"), std::string::npos) << err;
    EXPECT_LE(out.size(), lim.max_output);
    EXPECT_LE(out.capacity(), lim.max_output + 64);
  }
}

TEST(UnpackLzmaMemlimit, DictionaryAboveLimitFails) {
  DecodeLimits lim;
  lim.lzma_memlimit = 1 << 20;  // below xz -6's 8 MiB dictionary
  std::string out, err;
  EXPECT_FALSE(Decode(Encoding::kLzma, tv::kXz, lim, &out, &err));
  EXPECT_NE(err.find("memory"), std::string::npos) << err;
}

TEST(UnpackTextTransforms, Rot13ReverseUtf16) {
  EXPECT_EQ(Dec(Encoding::kRot13, "vzcbeg bf"), "import os");
  EXPECT_EQ(Dec(Encoding::kRot13, Dec(Encoding::kRot13, tv::kSnippet)),
            tv::kSnippet);
  EXPECT_EQ(Dec(Encoding::kReverse, "cba"), "abc");
  EXPECT_EQ(Dec(Encoding::kUtf16le, tu::Utf16le("IEX x")), "IEX x");
  EXPECT_EQ(Dec(Encoding::kUtf16le, std::string("\xff\xfe", 2) + tu::Utf16le("a")),
            "a");
  // U+00E9 and U+1F600 (a surrogate pair).
  EXPECT_EQ(Dec(Encoding::kUtf16le, std::string("\xe9\x00\x3d\xd8\x00\xde", 6)),
            "\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(Fails(Encoding::kUtf16le, "abc"));
  EXPECT_TRUE(Fails(Encoding::kUtf16le, std::string("\x3d\xd8", 2)));
  EXPECT_TRUE(Fails(Encoding::kUtf16le, std::string("\x00\xdc\x41\x00", 4)));
}

TEST(UnpackXor, KeyAndBlind) {
  std::string code = "import socket\nexec(open('x').read())\n";
  std::string key = "k3y";
  std::string x = XorWithKey(code, key);
  EXPECT_NE(x, code);
  EXPECT_EQ(XorWithKey(x, key), code);
  EXPECT_EQ(XorWithKey(code, ""), code);
  EXPECT_EQ(Dec(Encoding::kXor, XorWithKey(code, "\x5a")), code);
  EXPECT_TRUE(Fails(Encoding::kXor, tu::Random(2048, 3)));
  EXPECT_TRUE(Fails(Encoding::kFernet, "gAAAAAB"));
}

TEST(UnpackDecodeCall, EveryCallee) {
  DecodeLimits lim;
  struct Case {
    std::string_view callee;
    std::vector<std::string> args;
    Encoding enc;
    std::string want;
  };
  std::string snip(tv::kSnippet), hex(tv::kB16);
  const Case cases[] = {
      {"base64.b64decode", {std::string(tv::kB64)}, Encoding::kBase64, snip},
      {"base64.standard_b64decode", {std::string(tv::kB64)}, Encoding::kBase64, snip},
      {"base64.decodebytes", {std::string(tv::kB64)}, Encoding::kBase64, snip},
      {"binascii.a2b_base64", {std::string(tv::kB64)}, Encoding::kBase64, snip},
      {"base64.b64decode", {"aGk*", "*-"}, Encoding::kBase64, "hi>"},
      {"base64.urlsafe_b64decode", {std::string(tv::kB64UrlBinary)},
       Encoding::kBase64Url, std::string(tv::kBinary)},
      {"base64.b32decode", {std::string(tv::kB32)}, Encoding::kBase32, snip},
      {"base64.b16decode", {hex}, Encoding::kBase16, snip},
      {"binascii.unhexlify", {hex}, Encoding::kBase16, snip},
      {"binascii.a2b_hex", {hex}, Encoding::kBase16, snip},
      {"bytes.fromhex", {"68 69"}, Encoding::kBase16, "hi"},
      {"base64.b85decode", {std::string(tv::kB85)}, Encoding::kBase85, snip},
      {"base64.a85decode", {std::string(tv::kA85)}, Encoding::kAscii85,
       std::string(tv::kA85Snippet)},
      {"zlib.decompress", {std::string(tv::kZlib)}, Encoding::kZlib, snip},
      {"zlib.decompress", {std::string(tv::kRawDeflate), "-15"}, Encoding::kZlib, snip},
      {"gzip.decompress", {std::string(tv::kGzip2Members)}, Encoding::kGzip,
       snip + "# second\n"},
      {"bz2.decompress", {std::string(tv::kBz2)}, Encoding::kBz2, snip},
      {"lzma.decompress", {std::string(tv::kXz)}, Encoding::kLzma, snip},
      {"codecs.decode", {"vzcbeg bf", "rot13"}, Encoding::kRot13, "import os"},
      {"codecs.decode", {"vzcbeg bf", "ROT_13"}, Encoding::kRot13, "import os"},
      {"codecs.decode", {std::string(tv::kB64), "base64"}, Encoding::kBase64, snip},
      {"codecs.decode", {hex, "hex_codec"}, Encoding::kBase16, snip},
      {"codecs.decode", {std::string(tv::kZlib), "zlib"}, Encoding::kZlib, snip},
      {"codecs.decode", {std::string(tv::kBz2), "bz2"}, Encoding::kBz2, snip},
      {"codecs.decode", {tu::Utf16le("iex"), "UTF-16-LE"}, Encoding::kUtf16le, "iex"},
      {"codecs.decode", {tu::Utf16le("iex"), "utf-16le"}, Encoding::kUtf16le, "iex"},
      {"cryptography.fernet.Fernet.decrypt",
       {std::string(tv::kFernetKey), std::string(tv::kFernetToken)},
       Encoding::kFernet, snip},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.callee);
    std::string out, err;
    Encoding enc = Encoding::kXor;
    ASSERT_TRUE(DecodeCall(c.callee, c.args, lim, &out, &enc, &err)) << err;
    EXPECT_EQ(out, c.want);
    EXPECT_EQ(enc, c.enc);
  }
}

TEST(UnpackDecodeCall, MarshalLoadsListsNamesAndStrings) {
  std::string out, err;
  Encoding enc;
  std::vector<std::string> args{std::string(tv::kMarshal311)};
  ASSERT_TRUE(DecodeCall("marshal.loads", args, DecodeLimits(), &out, &enc, &err))
      << err;
  EXPECT_EQ(enc, Encoding::kMarshal);
  EXPECT_NE(out.find("hello from marshal\n"), std::string::npos);
  EXPECT_NE(out.find("helper\n"), std::string::npos);
}

TEST(UnpackDecodeCall, UnknownOrBadArgumentsFail) {
  std::string out, err;
  Encoding enc;
  std::vector<std::string> none, one{"aGk="}, bad{"zz"};
  EXPECT_FALSE(DecodeCall("base64.b64decode", none, DecodeLimits(), &out, &enc, &err));
  EXPECT_FALSE(DecodeCall("os.system", one, DecodeLimits(), &out, &enc, &err));
  EXPECT_FALSE(DecodeCall("codecs.decode", one, DecodeLimits(), &out, &enc, &err));
  std::vector<std::string> utf8{"aGk=", "utf-8"};
  EXPECT_FALSE(DecodeCall("codecs.decode", utf8, DecodeLimits(), &out, &enc, &err));
  EXPECT_FALSE(DecodeCall("binascii.unhexlify", bad, DecodeLimits(), &out, &enc, &err));
  EXPECT_FALSE(DecodeCall("cryptography.fernet.Fernet.decrypt", one,
                          DecodeLimits(), &out, &enc, &err));
}

// Every decoder on every prefix of every vector and on noise: no crash, and
// output within max_output.
TEST(UnpackAllDecoders, NeverExceedTheLimitOnAnyInput) {
  DecodeLimits lim;
  lim.max_output = 300;
  const std::string_view inputs[] = {tv::kB64, tv::kB32, tv::kB85, tv::kA85Adobe,
                                     tv::kZlib, tv::kGzip2Members, tv::kBz2,
                                     tv::kXz, tv::kMarshal311, tv::kMarshal27,
                                     tv::kFernetToken};
  std::string noise = tu::Random(1500, 11);
  for (Encoding e : kAll) {
    for (std::string_view in : inputs) {
      for (size_t n = 0; n <= in.size(); n += 3) {
        std::string out, err;
        if (Decode(e, in.substr(0, n), lim, &out, &err)) {
          EXPECT_LE(out.size(), lim.max_output);
        } else {
          EXPECT_FALSE(err.empty());
        }
      }
    }
    std::string out, err;
    Decode(e, noise, lim, &out, &err);
    EXPECT_LE(out.size(), lim.max_output + 0);
  }
}

}  // namespace
}  // namespace pyward
