#include "util/strings.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(Strings, PrintableEscapesControlAndInvalidBytes) {
  EXPECT_EQ(Printable("a\x01" "b", 10), "a\\x01b");
  EXPECT_EQ(Printable("\xff", 10), "\\xff");
  EXPECT_EQ(Printable("h\xc3\xa9llo", 10), "h\xc3\xa9llo");
  EXPECT_EQ(Printable("abcdef", 3), "abc...");
}

TEST(Strings, IsValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("pkg/m\xc3\xb3" "dulo_\xd0\xb6.py"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("pkg/\xff\xfe.py"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // cut short
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Strings, LineHelpers) {
  std::string_view t = "one\ntwo\r\nthree";
  EXPECT_EQ(LineOfOffset(t, 0), 1);
  EXPECT_EQ(LineOfOffset(t, 4), 2);
  EXPECT_EQ(LineAt(t, 5), "two");
  EXPECT_EQ(LineAt(t, 4), "two");
  EXPECT_EQ(LineAt(t, 0), "one");
  EXPECT_EQ(LineAt(t, 12), "three");
}

TEST(Strings, SplitTrimLower) {
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(Trim("  x \r\n"), "x");
  EXPECT_EQ(ToLower("AbC"), "abc");
  EXPECT_TRUE(EndsWithIgnoreCase("x.WHL", ".whl"));
}

TEST(Strings, ContainsFindsAnywhereAndNothingPastTheEnd) {
  EXPECT_TRUE(Contains("exec(open('x'))", "exec(open("));
  EXPECT_TRUE(Contains("abc", "abc"));
  EXPECT_TRUE(Contains("abc", ""));
  EXPECT_FALSE(Contains("ab", "abc"));
  EXPECT_FALSE(Contains("", "a"));
  std::string_view hay("xxabyy", 3);  // "xxa": the rest of the buffer is not searched
  EXPECT_FALSE(Contains(hay, "ab"));
  EXPECT_TRUE(Contains(std::string_view("a\0b", 3), std::string_view("\0b", 2)));
}

}  // namespace
}  // namespace pyward
