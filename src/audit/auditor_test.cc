#include "audit/auditor.h"

#include <gtest/gtest.h>

#include <map>

namespace pyward {
namespace {

StoredAdvisory Adv(std::string id, std::vector<OsvEvent> events,
                   std::vector<std::string> versions = {},
                   std::vector<std::string> aliases = {},
                   std::string group = "", std::string severity = "unknown") {
  StoredAdvisory a;
  a.id = id;
  a.group_id = group.empty() ? id : group;
  a.aliases = aliases;
  a.severity = severity;
  a.summary = "summary of " + id;
  a.malicious = id.rfind("MAL-", 0) == 0;
  OsvAffected af;
  af.package = "demo";
  if (!events.empty()) af.ranges.push_back({"ECOSYSTEM", events});
  af.versions = versions;
  a.affected.push_back(af);
  return a;
}

class AuditTest : public ::testing::Test {
 protected:
  std::vector<DependencyReport> Run(std::vector<DeclaredDependency> deps,
                                    bool uses_hashes = false) {
    DependencySet set;
    set.dependencies = std::move(deps);
    set.uses_hashes = uses_hashes;
    AdvisoryLookup lookup = [this](std::string_view pkg,
                                   std::vector<StoredAdvisory>* out,
                                   std::string*) {
      auto it = db_.find(std::string(pkg));
      if (it != db_.end()) *out = it->second;
      return true;
    };
    std::vector<DependencyReport> out;
    std::string err;
    EXPECT_TRUE(AuditDependencies(set, lookup, options_, &out, &err)) << err;
    return out;
  }
  static DeclaredDependency Dep(std::string name, std::string spec,
                                std::optional<std::string> version) {
    DeclaredDependency d;
    d.name = name;
    d.specifier = spec;
    d.version = version;
    d.file = "requirements.txt";
    d.line = 3;
    return d;
  }
  static const Finding* FindRule(const DependencyReport& r, const char* rule) {
    for (const Finding& f : r.findings)
      if (f.rule == rule) return &f;
    return nullptr;
  }
  std::map<std::string, std::vector<StoredAdvisory>> db_;
  AuditOptions options_;
};

TEST_F(AuditTest, PinnedVulnerableMergedByAliasWithUpgrade) {
  db_["demo"] = {
      Adv("GHSA-aaaa", {{OsvEvent::kIntroduced, "0"}, {OsvEvent::kFixed, "1.5"}},
          {}, {"CVE-1"}, "GHSA-aaaa", "high"),
      Adv("PYSEC-1", {{OsvEvent::kIntroduced, "1.0"}, {OsvEvent::kFixed, "1.4"}},
          {}, {"CVE-1"}, "GHSA-aaaa"),
      Adv("PYSEC-2", {{OsvEvent::kIntroduced, "1.2"}, {OsvEvent::kFixed, "1.6"}}),
      Adv("PYSEC-3", {{OsvEvent::kIntroduced, "2.0"}, {OsvEvent::kFixed, "2.1"}}),
  };
  auto out = Run({Dep("Demo", "==1.3", "1.3")});
  ASSERT_EQ(out.size(), 1u);
  const DependencyReport& r = out[0];
  ASSERT_EQ(r.vulnerabilities.size(), 2u);
  EXPECT_EQ(r.vulnerabilities[0].id, "GHSA-aaaa");
  EXPECT_EQ(r.vulnerabilities[0].aliases,
            (std::vector<std::string>{"CVE-1", "PYSEC-1"}));
  EXPECT_EQ(r.vulnerabilities[0].severity, "high");
  EXPECT_EQ(r.vulnerabilities[0].fixed, (std::vector<std::string>{"1.4", "1.5"}));
  EXPECT_EQ(r.vulnerabilities[1].id, "PYSEC-2");
  EXPECT_EQ(r.upgrade.value_or(""), "1.6");
  const Finding* f = FindRule(r, "vulnerable-dependency");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->line, 3);
}

TEST_F(AuditTest, CleanPinHasNothing) {
  db_["demo"] = {Adv("PYSEC-2", {{OsvEvent::kIntroduced, "1.2"}, {OsvEvent::kFixed, "1.6"}})};
  auto out = Run({Dep("demo", "==1.6", "1.6")});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].vulnerabilities.empty());
  EXPECT_TRUE(out[0].findings.empty());
}

TEST_F(AuditTest, MaliciousPackage) {
  db_["demo"] = {Adv("MAL-2024-1", {{OsvEvent::kIntroduced, "0"}})};
  auto out = Run({Dep("demo", "", std::nullopt), Dep("demo", "==0.1", "0.1")});
  ASSERT_EQ(out.size(), 2u);
  for (const auto& r : out) {
    EXPECT_EQ(r.malicious, std::vector<std::string>{"MAL-2024-1"});
    EXPECT_TRUE(r.vulnerabilities.empty());
    const Finding* f = FindRule(r, "malicious-package");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::kCritical);
  }
}

TEST_F(AuditTest, RangeWorstCaseNotLowerBound) {
  // ">=1.0" admits 1.0 (clean) and 1.3 (vulnerable): a lower-bound audit
  // would call it clean.
  db_["demo"] = {Adv("PYSEC-2", {{OsvEvent::kIntroduced, "1.2"}, {OsvEvent::kFixed, "1.6"}},
                     {}, {}, "", "critical")};
  auto out = Run({Dep("demo", ">=1.0", std::nullopt),
                  Dep("demo", ">=1.6", std::nullopt),
                  Dep("demo", ">=1.0,<1.2", std::nullopt)});
  ASSERT_EQ(out.size(), 3u);
  const Finding* f = FindRule(out[0], "unpinned-requirement");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_NE(f->message.find("PYSEC-2"), std::string::npos);
  EXPECT_NE(f->message.find(">=1.6"), std::string::npos);
  EXPECT_TRUE(out[0].vulnerabilities.empty());  // no version is installed
  for (int i : {1, 2}) {
    f = FindRule(out[i], "unpinned-requirement");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::kInfo) << i;
  }
}

TEST_F(AuditTest, OpenEndedAdvisoryHasNoUpgrade) {
  db_["demo"] = {Adv("PYSEC-9", {{OsvEvent::kIntroduced, "2.0"}})};
  auto out = Run({Dep("demo", "==2.5", "2.5"), Dep("demo", ">=1", std::nullopt)});
  ASSERT_EQ(out[0].vulnerabilities.size(), 1u);
  EXPECT_FALSE(out[0].upgrade.has_value());
  const Finding* f = FindRule(out[1], "unpinned-requirement");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("newest releases"), std::string::npos);
}

TEST_F(AuditTest, GitOnlyAdvisoryIsFixUnknown) {
  StoredAdvisory a = Adv("PYSEC-7", {});
  a.affected[0].ranges.push_back({"GIT", {{OsvEvent::kIntroduced, "0"}, {OsvEvent::kFixed, "abc123"}}});
  db_["demo"] = {a};
  auto out = Run({Dep("demo", "==1.0", "1.0")});
  EXPECT_TRUE(out[0].vulnerabilities.empty());
  EXPECT_NE(FindRule(out[0], "advisory-fix-unknown"), nullptr);
}

TEST_F(AuditTest, MissingHashOnlyWhenFileUsesHashes) {
  DeclaredDependency hashed = Dep("a", "==1", "1");
  hashed.hashes = {"sha256:00"};
  auto out = Run({hashed, Dep("b", "==1", "1")}, true);
  EXPECT_EQ(FindRule(out[0], "missing-hash"), nullptr);
  EXPECT_NE(FindRule(out[1], "missing-hash"), nullptr);
  out = Run({Dep("b", "==1", "1")}, false);
  EXPECT_EQ(FindRule(out[0], "missing-hash"), nullptr);
}

TEST_F(AuditTest, MarkersAgainstTarget) {
  DeclaredDependency d = Dep("demo", "==1", "1");
  d.marker = "sys_platform == 'win32'";
  auto out = Run({d});
  EXPECT_EQ(out.size(), 1u);  // unknown platform: kept
  std::string err;
  ASSERT_TRUE(MarkerEnvironment::ForTarget("3.11", "linux", &options_.environment, &err));
  out = Run({d});
  EXPECT_EQ(out.size(), 0u);
}

TEST_F(AuditTest, PolicyIgnoresByAliasUntilExpiry) {
  db_["demo"] = {Adv("PYSEC-2", {{OsvEvent::kIntroduced, "0"}, {OsvEvent::kFixed, "2"}},
                     {}, {"CVE-2"})};
  Policy policy;
  std::string err;
  ASSERT_TRUE(Policy::Parse(
      "[[ignore]]\nid = \"CVE-2\"\nreason = \"not reachable\"\nexpires = 2030-01-01\n",
      "policy.toml", &policy, &err)) << err;
  options_.policy = &policy;
  options_.today = "2029-12-31";
  auto out = Run({Dep("demo", "==1", "1")});
  EXPECT_TRUE(out[0].vulnerabilities.empty());
  ASSERT_EQ(out[0].ignored.size(), 1u);
  EXPECT_NE(out[0].ignored[0].find("not reachable"), std::string::npos);
  options_.today = "2030-01-02";
  out = Run({Dep("demo", "==1", "1")});
  EXPECT_EQ(out[0].vulnerabilities.size(), 1u);
  EXPECT_NE(FindRule(out[0], "policy-ignore-expired"), nullptr);
}

TEST(AuditPolicy, RejectsEntriesWithoutReasonOrBadDates) {
  Policy p;
  std::string err;
  EXPECT_FALSE(Policy::Parse("[[ignore]]\nid = \"X\"\n", "p.toml", &p, &err));
  EXPECT_NE(err.find("reason"), std::string::npos);
  EXPECT_FALSE(Policy::Parse("[[ignore]]\nid = \"X\"\nreason = \"r\"\nexpires = \"soon\"\n",
                             "p.toml", &p, &err));
  EXPECT_FALSE(Policy::Parse("ignore = [", "p.toml", &p, &err));
  EXPECT_NE(err.find("p.toml:"), std::string::npos);
  EXPECT_TRUE(Policy::Parse("", "p.toml", &p, &err));
}

}  // namespace
}  // namespace pyward
