#include "analysis/code_mask.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(CodeMask, BlanksStringsAndComments) {
  EXPECT_EQ(MaskStringsAndComments("a = 'x#y'  # c\n"), "a = '   '     \n");
  EXPECT_EQ(MaskStringsAndComments("s = \"\"\"\nab\n\"\"\"\n"), "s = \"\"\"\n  \n\"\"\"\n");
  EXPECT_EQ(MaskStringsAndComments("r'\\''+x"), "r'  '+x");
  EXPECT_EQ(MaskStringsAndComments("'open\nx"), "'    \nx") << "unterminated ends at the line";
}

}  // namespace
}  // namespace pyward
