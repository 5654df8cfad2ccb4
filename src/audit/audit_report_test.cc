#include "audit/audit_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pyward {
namespace {

std::vector<TargetReport> Sample() {
  TargetReport t;
  t.target = "reqs/requirements.txt";
  DependencyReport d;
  d.dependency.name = "Django";
  d.dependency.specifier = "==3.2.1";
  d.dependency.file = "reqs/requirements.txt";
  d.dependency.line = 4;
  d.version = "3.2.1";
  d.vulnerabilities.push_back({"PYSEC-1", {"CVE-1", "GHSA-1"}, "high", {"3.2.5"}, "bad | thing", {}});
  Finding f;
  f.rule = "vulnerable-dependency";
  f.severity = Severity::kHigh;
  f.file = "reqs/requirements.txt";
  f.line = 4;
  f.message = "Django 3.2.1 has 1 known vulnerability";
  f.evidence = "Django==3.2.5";
  d.findings.push_back(f);
  DependencyReport e;
  e.dependency.name = "flask";
  e.dependency.file = "reqs/requirements.txt";
  e.dependency.line = 5;
  Finding g = f;
  g.rule = "unpinned-requirement";
  g.severity = Severity::kInfo;
  g.line = 5;
  g.message = "flask is not pinned";
  e.findings.push_back(g);
  t.dependencies = {d, e};
  TargetReport bad;
  bad.target = "missing.txt";
  bad.error = "no such file or folder";
  return {t, bad};
}

TEST(AuditReport, JsonFollowsTheContract) {
  auto j = nlohmann::json::parse(AuditJson(Sample()));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j["tool"]["name"], "pyward");
  ASSERT_EQ(j["results"].size(), 2u);
  const auto& r = j["results"][0];
  EXPECT_EQ(r["target"], "reqs/requirements.txt");
  EXPECT_TRUE(r["error"].is_null());
  const auto& d = r["dependencies"][0];
  std::vector<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"findings", "malicious", "name", "specifier",
                                            "version", "vulnerabilities"}));
  EXPECT_EQ(d["name"], "Django");
  EXPECT_EQ(d["version"], "3.2.1");
  EXPECT_EQ(d["vulnerabilities"][0]["aliases"][1], "GHSA-1");
  EXPECT_EQ(d["vulnerabilities"][0]["fixed"][0], "3.2.5");
  EXPECT_EQ(d["vulnerabilities"][0].size(), 4u);
  const auto& f = d["findings"][0];
  EXPECT_EQ(f.size(), 7u);
  EXPECT_EQ(f["severity"], "high");
  EXPECT_EQ(f["phase"], "none");
  EXPECT_EQ(f["line"], 4);
  EXPECT_TRUE(r["dependencies"][1]["version"].is_null());
  EXPECT_EQ(j["results"][1]["error"], "no such file or folder");
  EXPECT_TRUE(j["results"][1]["dependencies"].empty());
}

TEST(AuditReport, SarifHasRulesResultsAndNotifications) {
  auto j = nlohmann::json::parse(AuditSarif(Sample()));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), 2u);
  ASSERT_EQ(run["results"].size(), 2u);
  EXPECT_EQ(run["results"][0]["level"], "error");
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  EXPECT_EQ(run["results"][1]["level"], "note");
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"].size(), 1u);
}

TEST(AuditReport, TextAndMarkdown) {
  std::string text = AuditText(Sample(), false);
  EXPECT_NE(text.find("reqs/requirements.txt:4: Django 3.2.1: [high] vulnerable-dependency"),
            std::string::npos);
  EXPECT_EQ(text.find("flask is not pinned"), std::string::npos);  // info hidden
  EXPECT_NE(AuditText(Sample(), true).find("flask is not pinned"), std::string::npos);
  EXPECT_NE(text.find("error: no such file"), std::string::npos);
  std::string md = AuditMarkdown(Sample(), false);
  EXPECT_NE(md.find("| Django | 3.2.1 |"), std::string::npos);
  EXPECT_NE(md.find("https://osv.dev/vulnerability/PYSEC-1"), std::string::npos);
  EXPECT_NE(md.find("missing.txt"), std::string::npos);
}

}  // namespace
}  // namespace pyward
