// exec-decrypted: one-line tests over synthetic sources through the whole
// Python pass.
#include "analysis/xor_exec.h"

#include <gtest/gtest.h>

#include <string>

#include "support/python_rules.h"

namespace pyward {
namespace {

using testing::Analyze;
using testing::Find;

// A hex blob of `n` characters (what is in it does not matter: the key is
// not in the module).
std::string Blob(size_t n) { return std::string(n, 'a'); }

std::string Rule(const std::string& code, Phase phase = Phase::kRuntime) {
  const Finding* f = nullptr;
  auto fs = Analyze(code, phase);
  f = Find(fs, "exec-decrypted");
  return f ? std::string(SeverityName(f->severity)) + "@" + std::string(PhaseName(f->phase)) : "none";
}

TEST(XorExec, KeyPassedInDecryptsAHexBlob) {
  EXPECT_EQ(Rule("B = '" + Blob(80) + "'\ndef run(k):\n    e = bytearray.fromhex(B)\n    key = bytearray.fromhex(k)\n"
                 "    out = bytearray([e[i] ^ key[i % 6] for i in range(len(e))])\n    exec(out.decode())\n"),
            "critical@runtime");
}
TEST(XorExec, LoopThatAppendsXoredCharacters) {
  EXPECT_EQ(Rule("data = '" + Blob(100) + "'\nres = []\nfor i, ch in enumerate(data):\n"
                 "    res.append(chr(ord(ch) ^ 7))\nexec(''.join(res))\n", Phase::kImport),
            "critical@import");
}
TEST(XorExec, AugmentedXorInPlace) {
  EXPECT_EQ(Rule("buf = bytearray(b'" + Blob(90) + "')\nfor i in range(len(buf)):\n    buf[i] ^= 0x21\n"
                 "code = bytes(buf)\nexec(code)\n"),
            "critical@runtime");
}
TEST(XorExec, ShortConstantIsNotABlob) {
  EXPECT_EQ(Rule("s = 'abc'\nexec(''.join(chr(ord(c) ^ 1) for c in s))\n"), "none");
}
TEST(XorExec, XorElsewhereDoesNotReachExec) {
  EXPECT_EQ(Rule("T = '" + Blob(80) + "'\nh = 0\nfor c in T:\n    h ^= ord(c)\n"
                 "exec(open('conf.py').read())\n"),
            "none");
}
TEST(XorExec, ExecOfAFileIsNotDecryption) {
  EXPECT_EQ(Rule("import os\nwith open(os.path.join('x', '_version.py')) as f:\n    code = f.read()\n"
                 "exec(code, {})\n"),
            "none");
}

}  // namespace
}  // namespace pyward
