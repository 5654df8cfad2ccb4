#include "report/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace pyward {
namespace {

std::vector<ScanResult> Sample() {
  ScanResult bad;
  bad.target = "dist/evil-0.1.tar.gz";
  bad.sha256 = std::string(64, 'a');
  bad.package_name = "evil";
  bad.package_version = "0.1";
  bad.verdict = Verdict::kMalicious;
  bad.score = 80;
  Finding f;
  f.rule = "install-exec";
  f.severity = Severity::kCritical;
  f.phase = Phase::kInstall;
  f.file = "evil-0.1/setup.py";
  f.line = 3;
  f.message = "runs a shell command";
  f.evidence = "os.system('curl \xff | sh')";  // invalid UTF-8 must not break JSON
  bad.findings.push_back(f);
  ScanResult err;
  err.target = "broken.whl";
  err.verdict = Verdict::kError;
  err.error = "corrupt or truncated archive";
  return {bad, err};
}

TEST(Report, JsonFollowsTheContract) {
  auto doc = nlohmann::json::parse(ScanJson(Sample()));
  EXPECT_EQ(doc["tool"]["name"], "pyward");
  ASSERT_EQ(doc["results"].size(), 2u);
  const auto& r0 = doc["results"][0];
  EXPECT_EQ(r0["target"], "dist/evil-0.1.tar.gz");
  EXPECT_EQ(r0["package"]["name"], "evil");
  EXPECT_EQ(r0["verdict"], "malicious");
  EXPECT_EQ(r0["score"], 80);
  EXPECT_TRUE(r0["error"].is_null());
  const auto& f = r0["findings"][0];
  for (const char* key : {"rule", "severity", "phase", "file", "line", "message", "evidence"})
    EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_EQ(f["phase"], "install");
  EXPECT_EQ(f["evidence"], "os.system('curl \\xff | sh')");
  const auto& r1 = doc["results"][1];
  EXPECT_EQ(r1["verdict"], "error");
  EXPECT_EQ(r1["error"], "corrupt or truncated archive");
  EXPECT_TRUE(r1["sha256"].is_null());
}

TEST(Report, SarifCarriesResultsAndErrors) {
  auto doc = nlohmann::json::parse(ScanSarif(Sample()));
  EXPECT_EQ(doc["version"], "2.1.0");
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["results"][0]["ruleId"], "install-exec");
  EXPECT_EQ(run["results"][0]["level"], "error");
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false);
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["id"], "install-exec");
}

TEST(Report, TextShowsLocationSeverityRuleAndSnippet) {
  std::string t = ScanText(Sample(), {});
  EXPECT_NE(t.find("MALICIOUS"), std::string::npos);
  EXPECT_NE(t.find("evil-0.1/setup.py:3  critical  install-exec  runs a shell command"),
            std::string::npos) << t;
  EXPECT_NE(t.find("os.system('curl \\xff | sh')"), std::string::npos);
  EXPECT_NE(t.find("error: corrupt or truncated archive"), std::string::npos);
  EXPECT_NE(t.find("2 target(s): 1 malicious, 0 suspicious, 0 clean, 1 error"), std::string::npos);
  TextOptions narrow;
  narrow.evidence_chars = 5;
  EXPECT_NE(ScanText(Sample(), narrow).find("os.sy...\n"), std::string::npos);
}

}  // namespace
}  // namespace pyward
