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

}  // namespace
}  // namespace pyward
