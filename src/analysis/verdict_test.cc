#include "analysis/verdict.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

Finding F(const std::string& rule, Severity s, double w = 1.0) {
  Finding f;
  f.rule = rule;
  f.severity = s;
  f.weight = w;
  return f;
}

TEST(Verdict, SeverityAndCombination) {
  EXPECT_EQ(Judge({}).verdict, Verdict::kClean);
  EXPECT_EQ(Judge({F("a", Severity::kCritical)}).verdict, Verdict::kMalicious);
  EXPECT_EQ(Judge({F("a", Severity::kHigh)}).verdict, Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("a", Severity::kHigh), F("b", Severity::kHigh)}).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({F("a", Severity::kMedium)}).verdict, Verdict::kClean);
}

TEST(Verdict, OneRuleRepeatedDoesNotEscalate) {
  std::vector<Finding> many(50, F("a", Severity::kMedium));
  EXPECT_EQ(Judge(many).verdict, Verdict::kSuspicious) << "capped at twice its strongest";
  std::vector<Finding> highs(50, F("a", Severity::kHigh));
  EXPECT_LE(Judge(highs).score, 90);
}

TEST(Verdict, NamesRaiseTheVerdictOnlyWithContentEvidence) {
  Finding hook = F("install-exec", Severity::kMedium);
  hook.phase = Phase::kInstall;
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh)}).verdict, Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), F("dependency-confusion", Severity::kHigh)})
                .verdict,
            Verdict::kSuspicious)
      << "name evidence alone never makes a package malicious";
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), hook}).verdict, Verdict::kMalicious);
  EXPECT_EQ(Judge({hook}).verdict, Verdict::kClean);
  Finding runtime_only = F("bundled-executable", Severity::kMedium);
  runtime_only.phase = Phase::kRuntime;
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), runtime_only}).verdict,
            Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("known-malicious-name", Severity::kCritical)}).verdict,
            Verdict::kMalicious);
}

TEST(Verdict, TestCodeWeighsLess) {
  EXPECT_EQ(Judge({F("a", Severity::kCritical, 0.3)}).verdict, Verdict::kClean);
  EXPECT_LE(Judge({F("a", Severity::kCritical), F("b", Severity::kCritical)}).score, 100);
}

}  // namespace
}  // namespace pyward
