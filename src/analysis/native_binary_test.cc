#include "analysis/native_binary.h"

#include <gtest/gtest.h>

#include "util/file_util.h"

namespace pyward {
namespace {

TEST(NativeBinary, ClassifiesRealElfFiles) {
  std::string data, err;
  ASSERT_TRUE(ReadFile("/bin/sh", 64 << 20, &data, &err)) << err;
  EXPECT_EQ(ClassifyNative(data).kind, NativeKind::kExecutable);
  EXPECT_EQ(ClassifyNative(data).format, "ELF");
}

TEST(NativeBinary, PeHeaders) {
  std::string pe(512, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3c] = char(0x80);
  pe.replace(0x80, 4, std::string("PE\0\0", 4));
  pe[0x80 + 4 + 18] = 0x02;  // executable image
  EXPECT_EQ(ClassifyNative(pe).kind, NativeKind::kExecutable);
  pe[0x80 + 4 + 19] = 0x20;  // DLL
  EXPECT_EQ(ClassifyNative(pe).kind, NativeKind::kLibrary);
}

TEST(NativeBinary, TruncatedOrForeignDataIsNotNative) {
  EXPECT_EQ(ClassifyNative("\x7f" "ELF\x02\x01").kind, NativeKind::kNone);
  std::string mz = "MZ" + std::string(62, '\xff');  // e_lfanew far out of bounds
  EXPECT_EQ(ClassifyNative(mz).kind, NativeKind::kNone);
  EXPECT_EQ(ClassifyNative("print('hello')").kind, NativeKind::kNone);
  std::string java("\xca\xfe\xba\xbe\x00\x00\x00\x34", 8);
  java += std::string(16, '\0');
  EXPECT_EQ(ClassifyNative(java).kind, NativeKind::kNone) << "Java class, not Mach-O";
}

std::string Xor(std::string s, uint8_t key) {
  for (char& c : s) c = static_cast<char>(static_cast<uint8_t>(c) ^ key);
  return s;
}

std::string TinyPe() {
  std::string pe(512, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3c] = char(0x80);
  pe.replace(0x80, 4, std::string("PE\0\0", 4));
  pe[0x80 + 4 + 18] = 0x02;
  return pe;
}

TEST(NativeBinary, XoredExecutablesAreRecognisedWithTheirKey) {
  XoredNative x = ClassifyXoredNative(Xor(TinyPe(), 0xe8));
  EXPECT_EQ(x.info.kind, NativeKind::kExecutable);
  EXPECT_EQ(x.info.format, "PE");
  EXPECT_EQ(x.key, 0xe8);
  std::string elf, err;
  ASSERT_TRUE(ReadFile("/bin/sh", 64 << 20, &elf, &err)) << err;
  x = ClassifyXoredNative(Xor(elf, 0x5a));
  EXPECT_EQ(x.info.format, "ELF");
  EXPECT_EQ(x.key, 0x5a);
  std::string macho("\xcf\xfa\xed\xfe", 4);
  macho += std::string(8, '\0') + std::string("\x02\0\0\0", 4) + std::string(16, '\0');
  EXPECT_EQ(ClassifyXoredNative(Xor(macho, 0x17)).info.format, "Mach-O");
}

TEST(NativeBinary, PlainTextAndBrokenHeadersAreNotXoredExecutables) {
  EXPECT_EQ(ClassifyXoredNative(TinyPe()).info.kind, NativeKind::kNone) << "plain, key 0";
  std::string no_pe = TinyPe();
  no_pe.replace(0x80, 4, "XXXX");  // MZ under the key, but no PE header where it points
  EXPECT_EQ(ClassifyXoredNative(Xor(no_pe, 0xe8)).info.kind, NativeKind::kNone);
  EXPECT_EQ(ClassifyXoredNative("# just a Python comment, then code\nprint(1)\n").info.kind,
            NativeKind::kNone);
  EXPECT_EQ(ClassifyXoredNative(Xor("MZ", 0x33)).info.kind, NativeKind::kNone) << "too short";
}

}  // namespace
}  // namespace pyward
