#include "names/name_rules.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(NamesNormalize, Pep503FoldsCaseAndDelimiterRuns) {
  EXPECT_EQ(NormalizeName("Typing_Extensions"), "typing-extensions");
  EXPECT_EQ(NormalizeName("zope.interface"), "zope-interface");
  EXPECT_EQ(NormalizeName("a-_.-b"), "a-b");
  EXPECT_EQ(NormalizeName("A__B..C"), "a-b-c");
  EXPECT_EQ(NormalizeName("simple"), "simple");
  EXPECT_EQ(NormalizeName(""), "");
}

TEST(NamesNormalize, ValidityRule) {
  EXPECT_TRUE(IsValidName("requests"));
  EXPECT_TRUE(IsValidName("a"));
  EXPECT_TRUE(IsValidName("Zope.Interface_2-x"));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName("-leading"));
  EXPECT_FALSE(IsValidName("trailing."));
  EXPECT_FALSE(IsValidName("has space"));
  EXPECT_FALSE(IsValidName("caf\xc3\xa9"));  // non-ASCII
  EXPECT_FALSE(IsValidName("semi;colon"));
}

TEST(NamesNormalize, TooSimilarKeyFollowsTheIndexRule) {
  // Delimiters removed, case folded, l/L/i/I -> 1, o/O -> 0.
  EXPECT_EQ(TooSimilarKey("Py-Parsing"), "pypars1ng");
  EXPECT_EQ(TooSimilarKey("pyparsing"), TooSimilarKey("PYPARS1NG"));
  EXPECT_EQ(TooSimilarKey("f.o_o-L"), "f001");
  EXPECT_EQ(TooSimilarKey("cool"), TooSimilarKey("c0oi"));
  EXPECT_NE(TooSimilarKey("cool"), TooSimilarKey("coal"));
}

TEST(NamesNormalize, DelimitersAndRepeats) {
  EXPECT_EQ(WithoutDelimiters("typing-extensions"), "typingextensions");
  EXPECT_EQ(CollapseRepeats("aiohttpp"), "aiohtp");
  EXPECT_EQ(CollapseRepeats("mississippi"), "misisipi");
  EXPECT_EQ(CollapseRepeats(""), "");
}

}  // namespace
}  // namespace pyward
