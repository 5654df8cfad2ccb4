#include "audit/pep440.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pyward {
namespace {

std::string Norm(const char* v) { return Version::Parse(v).Normalized(); }

bool In(const char* spec, const char* v,
        std::optional<bool> pre = std::nullopt) {
  SpecifierSet s;
  std::string err;
  EXPECT_TRUE(SpecifierSet::Parse(spec, &s, &err)) << spec << ": " << err;
  return s.Contains(Version::Parse(v), pre);
}

bool SpecValid(const char* spec) {
  SpecifierSet s;
  std::string err;
  return SpecifierSet::Parse(spec, &s, &err);
}

TEST(Pep440Version, NormalisesSpellings) {
  EXPECT_EQ(Norm("1.0"), "1.0");
  EXPECT_EQ(Norm("v1.0"), "1.0");
  EXPECT_EQ(Norm(" 01.02 "), "1.2");
  EXPECT_EQ(Norm("1.0alpha1"), "1.0a1");
  EXPECT_EQ(Norm("1.0-beta.2"), "1.0b2");
  EXPECT_EQ(Norm("1.0c3"), "1.0rc3");
  EXPECT_EQ(Norm("1.0preview"), "1.0rc0");
  EXPECT_EQ(Norm("1.0-1"), "1.0.post1");
  EXPECT_EQ(Norm("1.0.rev4"), "1.0.post4");
  EXPECT_EQ(Norm("1.0r"), "1.0.post0");
  EXPECT_EQ(Norm("1.0-dev"), "1.0.dev0");
  EXPECT_EQ(Norm("1!2.0+Ubuntu-1_A"), "1!2.0+ubuntu.1.a");
  EXPECT_EQ(Norm("0!1.0"), "1.0");
  EXPECT_EQ(Norm("1.0a1.post2.dev3"), "1.0a1.post2.dev3");
}

TEST(Pep440Version, RejectsNonPep440AsLegacy) {
  for (const char* v : {"", "1.0-foo", "dev", "1.0+", "1..0", "1.0_", "a1",
                        "1.0+abc..1", "2.0.0-SNAPSHOT", "1.0 a1"}) {
    EXPECT_TRUE(Version::Parse(v).is_legacy()) << v;
    EXPECT_FALSE(Version::IsValid(v)) << v;
  }
  // Kept as written.
  EXPECT_EQ(Version::Parse("2.0.0-SNAPSHOT").Normalized(), "2.0.0-SNAPSHOT");
}

TEST(Pep440Version, OrdersAsPep440) {
  const char* ordered[] = {
      "1.0.dev456", "1.0a1",        "1.0a2.dev456", "1.0a12.dev456",
      "1.0a12",     "1.0b1.dev456", "1.0b2",        "1.0b2.post345.dev456",
      "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",   "1.0",
      "1.0+abc.5",  "1.0+abc.7",    "1.0+5",        "1.0.post456.dev34",
      "1.0.post456", "1.0.15",      "1.1.dev1",     "1!0.1"};
  for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
    EXPECT_LT(Compare(Version::Parse(ordered[i]), Version::Parse(ordered[i + 1])), 0)
        << ordered[i] << " < " << ordered[i + 1];
    EXPECT_GT(Compare(Version::Parse(ordered[i + 1]), Version::Parse(ordered[i])), 0);
  }
  EXPECT_EQ(Compare(Version::Parse("1.0"), Version::Parse("1.0.0.0")), 0);
  EXPECT_EQ(Compare(Version::Parse("1.0+AbC"), Version::Parse("1.0+abc")), 0);
}

TEST(Pep440Version, HugeNumbersCompareExactly) {
  EXPECT_LT(Compare(Version::Parse("20240101123456789012"),
                    Version::Parse("20240101123456789013")),
            0);
  EXPECT_LT(Compare(Version::Parse("9.99999999999999999999"),
                    Version::Parse("10.0")),
            0);
}

TEST(Pep440Version, LegacySortsBeforePep440AndBySetuptoolsKey) {
  EXPECT_LT(Compare(Version::Parse("2.0.0-SNAPSHOT"), Version::Parse("0.0.1")), 0);
  EXPECT_LT(Compare(Version::Parse("1.0-foo"), Version::Parse("1.0-gar")), 0);
  EXPECT_LT(Compare(Version::Parse("1.0-foo"), Version::Parse("1.1-foo")), 0);
  EXPECT_EQ(Compare(Version::Parse("1.0-FOO"), Version::Parse("1.0-foo")), 0);
}

TEST(Pep440Specifier, Operators) {
  EXPECT_TRUE(In("==1.0", "1.0.0"));
  EXPECT_TRUE(In("==1.0", "1.0+local"));
  EXPECT_FALSE(In("==1.0+a", "1.0+b"));
  EXPECT_TRUE(In("!=1.0", "1.1"));
  EXPECT_TRUE(In(">=1.0", "1.0+x"));
  EXPECT_TRUE(In("<=1.0", "1.0+x"));
  EXPECT_FALSE(In(">1.0", "1.0.post1"));
  EXPECT_TRUE(In(">1.0.post1", "1.0.post2"));
  EXPECT_FALSE(In(">1.0", "1.0+local"));
  EXPECT_TRUE(In(">1.0", "1.1"));
  EXPECT_FALSE(In("<2.0", "2.0rc1", true));
  EXPECT_TRUE(In("<2.0rc2", "2.0rc1", true));
  EXPECT_FALSE(In("<2.0rc2", "2.0rc1"));
  EXPECT_TRUE(In("~=2.2", "2.9"));
  EXPECT_FALSE(In("~=2.2", "3.0"));
  EXPECT_TRUE(In("~=1.4.5", "1.4.9"));
  EXPECT_FALSE(In("~=1.4.5", "1.5.0"));
  EXPECT_TRUE(In("~=2.2.post3", "2.3"));
  EXPECT_TRUE(In("===1.0", "1.0"));
  EXPECT_FALSE(In("===1.0", "1.0.0"));
  EXPECT_TRUE(In("===foobar", "FooBar"));
}

TEST(Pep440Specifier, Wildcards) {
  EXPECT_TRUE(In("==1.*", "1.9"));
  EXPECT_TRUE(In("==1.*", "1"));
  EXPECT_FALSE(In("==1.*", "2.0"));
  EXPECT_TRUE(In("==1.1.*", "1.1.0.post1"));
  EXPECT_FALSE(In("==1.1.*", "1.10"));
  EXPECT_TRUE(In("!=1.1.*", "1.2"));
  EXPECT_TRUE(In("==1!2.*", "1!2.5"));
  EXPECT_FALSE(In("==1!2.*", "2.5"));
}

TEST(Pep440Specifier, PrereleasesOnlyWhenAskedOrNamed) {
  EXPECT_FALSE(In(">=1.0", "2.0a1"));
  EXPECT_TRUE(In(">=1.0", "2.0a1", true));
  EXPECT_TRUE(In(">=1.0a1", "2.0a1"));
  EXPECT_TRUE(In(">=1.0,>=0.9a1", "2.0a1"));
  EXPECT_FALSE(In("", "2.0a1"));
  EXPECT_TRUE(In("", "2.0"));
  EXPECT_FALSE(In("", "2.0.dev1"));
}

TEST(Pep440Specifier, Validation) {
  EXPECT_TRUE(SpecValid(">= 1.0 , < 2"));
  EXPECT_TRUE(SpecValid("==1.0+local"));
  EXPECT_FALSE(SpecValid(">=1.0+local"));
  EXPECT_FALSE(SpecValid("~=1"));
  EXPECT_FALSE(SpecValid("~=1.*"));
  EXPECT_FALSE(SpecValid(">=1.*"));
  EXPECT_FALSE(SpecValid("==1.0a1.*"));
  EXPECT_FALSE(SpecValid("=1.0"));
  EXPECT_FALSE(SpecValid("1.0"));
  EXPECT_FALSE(SpecValid("==1. 0"));
  EXPECT_TRUE(SpecValid("===anything-goes"));
}

TEST(Pep440Specifier, LegacyVersionsMatchOnlyArbitraryEquality) {
  EXPECT_FALSE(In(">=0", "2.0.0-SNAPSHOT"));
  EXPECT_FALSE(SpecValid("==2.0.0-SNAPSHOT"));
  EXPECT_TRUE(In("===2.0.0-snapshot", "2.0.0-SNAPSHOT"));
  EXPECT_TRUE(In("!=1.0", "2.0.0-SNAPSHOT"));
}

TEST(Pep440Specifier, PinnedVersion) {
  SpecifierSet s;
  std::string err;
  ASSERT_TRUE(SpecifierSet::Parse(">=1,==1.4.2", &s, &err));
  EXPECT_EQ(s.PinnedVersion().value_or(""), "1.4.2");
  ASSERT_TRUE(SpecifierSet::Parse("==1.4.*", &s, &err));
  EXPECT_FALSE(s.PinnedVersion().has_value());
}

}  // namespace
}  // namespace pyward
