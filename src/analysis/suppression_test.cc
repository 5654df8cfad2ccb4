#include "analysis/suppression.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

const std::string kSha(64, 'a');

ScanResult Result() {
  ScanResult r;
  r.package_name = "Our_Tools";
  r.package_version = "1.4.0";
  r.sha256 = kSha;
  for (const char* rule : {"indicator-tunnel", "install-exec", "indicator-webhook"}) {
    Finding f;
    f.rule = rule;
    f.severity = Severity::kHigh;
    r.findings.push_back(f);
  }
  return r;
}

std::vector<std::string> Rules(const ScanResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) out.push_back(f.rule);
  return out;
}

Policy Parse(const std::string& text) {
  Policy p;
  std::string err;
  EXPECT_TRUE(Policy::Parse(text, "policy.toml", &p, &err)) << err;
  return p;
}

TEST(SuppressionTest, ByRuleAndPackage) {
  Policy p = Parse("[[allow]]\nrule = 'indicator-tunnel'\npackage = 'our-tools'\n"
                   "reason = 'our ngrok helper'\n");
  ScanResult r = Result();
  ApplyPolicy(p, "2026-01-01", &r);
  EXPECT_EQ(Rules(r), (std::vector<std::string>{"install-exec", "indicator-webhook"}));
  ScanResult other = Result();
  other.package_name = "someone-else";
  ApplyPolicy(p, "2026-01-01", &other);
  EXPECT_EQ(other.findings.size(), 3u);
}

TEST(SuppressionTest, BySha256) {
  Policy p = Parse("[[allow]]\nsha256 = '" + std::string(64, 'A') + "'\nreason = 'reviewed'\n");
  ScanResult r = Result();
  ApplyPolicy(p, "2026-01-01", &r);
  EXPECT_TRUE(r.findings.empty());
  ScanResult other = Result();
  other.sha256 = std::string(64, 'b');
  ApplyPolicy(p, "2026-01-01", &other);
  EXPECT_EQ(other.findings.size(), 3u);
}

TEST(SuppressionTest, ByVersionRange) {
  Policy p = Parse("[[allow]]\npackage = 'our-tools'\nversion = '>=1.2,<2'\n"
                   "rule = 'install-exec'\nreason = 'builds its C helper'\n");
  ScanResult r = Result();
  ApplyPolicy(p, "2026-01-01", &r);
  EXPECT_EQ(Rules(r), (std::vector<std::string>{"indicator-tunnel", "indicator-webhook"}));
  for (const char* v : {"2.0", "1.1.9", ""}) {
    ScanResult o = Result();
    o.package_version = v;
    ApplyPolicy(p, "2026-01-01", &o);
    EXPECT_EQ(o.findings.size(), 3u) << v;
  }
  ScanResult pre = Result();
  pre.package_version = "1.5rc1";
  ApplyPolicy(p, "2026-01-01", &pre);
  EXPECT_EQ(pre.findings.size(), 2u);
}

TEST(SuppressionTest, ExpiredEntryStopsApplyingAndSaysSo) {
  Policy p = Parse("[[allow]]\nrule = 'indicator-webhook'\nreason = 'temporary'\n"
                   "expires = 2025-06-30\n");
  ScanResult before = Result();
  ApplyPolicy(p, "2025-06-30", &before);  // the expiry day itself still applies
  EXPECT_EQ(before.findings.size(), 2u);
  ScanResult after = Result();
  ApplyPolicy(p, "2025-07-01", &after);
  ASSERT_EQ(after.findings.size(), 4u);
  EXPECT_EQ(after.findings[3].rule, "policy-expired");
  EXPECT_EQ(after.findings[3].severity, Severity::kInfo);
  EXPECT_NE(after.findings[3].message.find("2025-06-30"), std::string::npos);
  EXPECT_NE(after.findings[3].message.find("temporary"), std::string::npos);
}

TEST(SuppressionTest, BadEntriesAreRejectedWithLine) {
  Policy p;
  std::string err;
  EXPECT_FALSE(Policy::Parse("[[allow]]\nrule = 'x'\n", "p.toml", &p, &err));
  EXPECT_NE(err.find("p.toml:1"), std::string::npos) << err;
  EXPECT_NE(err.find("reason"), std::string::npos) << err;
  EXPECT_FALSE(Policy::Parse("[[allow]]\nreason = 'r'\n", "p.toml", &p, &err));
  EXPECT_FALSE(Policy::Parse("[[allow]]\npackage='a'\nversion = '>>1'\nreason='r'\n", "p.toml",
                             &p, &err));
  EXPECT_NE(err.find("version"), std::string::npos) << err;
  EXPECT_FALSE(Policy::Parse("[[allow]]\nversion = '>1'\nrule='x'\nreason='r'\n", "p.toml", &p,
                             &err));
  EXPECT_FALSE(Policy::Parse("[[allow]]\nsha256 = 'abc'\nreason='r'\n", "p.toml", &p, &err));
  EXPECT_FALSE(Policy::Parse("[[allow]]\nrule='x'\nreason='r'\nexpires='soon'\n", "p.toml", &p,
                             &err));
  EXPECT_FALSE(Policy::Parse("[[allow]]\nrule='x'\nreason='r'\nrules='y'\n", "p.toml", &p, &err));
  EXPECT_NE(err.find("unknown key"), std::string::npos) << err;
  EXPECT_FALSE(Policy::Parse("allow = 1\n", "p.toml", &p, &err));
  EXPECT_FALSE(Policy::Parse("[[allow]\n", "p.toml", &p, &err));
}

TEST(SuppressionTest, AuditIgnoresStillParseBesideAllows) {
  Policy p = Parse("[[ignore]]\nid = 'PYSEC-1'\nreason = 'r'\n\n"
                   "[[allow]]\nrule = 'x'\nreason = 'r'\n");
  EXPECT_EQ(p.ignores().size(), 1u);
  EXPECT_EQ(p.allows().size(), 1u);
}

}  // namespace
}  // namespace pyward
