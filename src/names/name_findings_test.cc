#include "names/name_findings.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

NameData Data() {
  NameData d;
  d.popular = {{"quantumleap", 1}, {"widgetkit", 2}};
  d.decorations = {{"dev", "release"}};
  d.stdlib = {"asyncio"};
  return d;
}

TEST(NamesFindings, TyposquatBecomesAFinding) {
  NameChecker c(Data());
  std::vector<Finding> f;
  AppendNameFindings(c.Check("quantumlaep"), &f);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "typosquat");
  EXPECT_GE(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].phase, Phase::kNone);
  EXPECT_NE(f[0].message.find("quantumleap"), std::string::npos);
  f.clear();
  AppendNameFindings(c.Check("zebra"), &f);
  EXPECT_TRUE(f.empty());
  AppendNameFindings(c.Check("asyncio"), &f);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "stdlib-name");
  EXPECT_EQ(f[0].severity, Severity::kLow);
}

TEST(NamesFindings, KnownMaliciousList) {
  MaliciousNameList list;
  list.Add("Evil_Thing", "MAL-2099-7");
  list.Add("evil-thing", "MAL-2099-8");
  list.Add("other", "MAL-2099-9");
  EXPECT_TRUE(list.MaliciousAdvisories("evil-thing").empty());  // not frozen
  list.Freeze();
  EXPECT_EQ(list.MaliciousAdvisories("evil-thing"),
            (std::vector<std::string>{"MAL-2099-7", "MAL-2099-8"}));
  EXPECT_TRUE(list.MaliciousAdvisories("evil").empty());
  NameChecker c(Data(), &list);
  NameReport r = c.Check("evil.thing");
  EXPECT_EQ(r.verdict, Verdict::kMalicious);
  std::vector<Finding> f;
  AppendNameFindings(r, &f);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].rule, "known-malicious-name");
  EXPECT_EQ(f[0].severity, Severity::kCritical);
}

}  // namespace
}  // namespace pyward
