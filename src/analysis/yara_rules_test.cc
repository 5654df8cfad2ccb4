#include "analysis/yara_rules.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "util/file_util.h"

namespace pyward {
namespace {

const char kRules[] = R"(
rule b64_exec {
  meta:
    description = "executes a base64-decoded payload"
    severity = "high"
  strings:
    $a = "exec(" ascii
    $b = "b64decode" ascii
  condition:
    $a and $b
}
rule plain_marker {
  strings:
    $m = "MARKER-42"
  condition:
    $m
}
)";

std::vector<Finding> ScanText(const YaraRules& y, std::string_view text) {
  std::vector<Finding> out;
  y.Scan(text, "pkg/setup.py", Phase::kInstall, &out);
  return out;
}

TEST(YaraRulesTest, MatchCarriesMeta) {
  YaraRules y;
  std::string err;
  ASSERT_TRUE(y.LoadFromTexts({{"t.yar", kRules}}, &err)) << err;
  std::vector<Finding> fs =
      ScanText(y, "import base64\n\nexec(base64.b64decode('cHJpbnQoMSk='))\n");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, "yara-b64_exec");
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].message, "executes a base64-decoded payload");
  EXPECT_EQ(fs[0].phase, Phase::kInstall);
  EXPECT_EQ(fs[0].file, "pkg/setup.py");
  EXPECT_EQ(fs[0].line, 3);
  EXPECT_NE(fs[0].evidence.find("exec("), std::string::npos);
}

TEST(YaraRulesTest, DefaultSeverityAndNoMatch) {
  YaraRules y;
  std::string err;
  ASSERT_TRUE(y.LoadFromTexts({{"t.yar", kRules}}, &err)) << err;
  std::vector<Finding> fs = ScanText(y, "x = 'MARKER-42'");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, "yara-plain_marker");
  EXPECT_EQ(fs[0].severity, Severity::kMedium);
  EXPECT_TRUE(ScanText(y, "print('hello')").empty());
  EXPECT_TRUE(ScanText(y, "").empty());
}

TEST(YaraRulesTest, CompileErrorNamesFileAndLine) {
  YaraRules y;
  std::string err;
  EXPECT_FALSE(y.LoadFromTexts({{"good.yar", kRules},
                                {"bad.yar", "rule ok { condition: true }\n\nrule broken {\n  condition: $nope\n}\n"}},
                               &err));
  // libyara reports the line where it noticed the error (4 or 5 here).
  EXPECT_TRUE(err.rfind("bad.yar:4: ", 0) == 0 || err.rfind("bad.yar:5: ", 0) == 0) << err;
  EXPECT_NE(err.find("$nope"), std::string::npos) << err;
  EXPECT_FALSE(y.loaded());
}

TEST(YaraRulesTest, LoadDirReadsYarAndYara) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pyward_yara_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yar") << "rule from_a { strings: $x = \"AAA-1\" condition: $x }\n";
  std::ofstream(dir / "b.yara") << "rule from_b { strings: $x = \"BBB-2\" condition: $x }\n";
  std::ofstream(dir / "notes.txt") << "not a rule {";
  YaraRules y;
  std::string err;
  ASSERT_TRUE(y.LoadDir(dir.string(), &err)) << err;
  EXPECT_EQ(ScanText(y, "AAA-1 BBB-2").size(), 2u);
  YaraRules none;
  EXPECT_FALSE(none.LoadDir((dir / "missing").string(), &err));
  std::filesystem::remove_all(dir);
}

TEST(YaraRulesTest, ShippedExamplesCompileAndMatch) {
  YaraRules y;
  std::string err;
  ASSERT_TRUE(y.LoadDir(std::string(PYWARD_SOURCE_DIR) + "/data/yara", &err)) << err;
  std::vector<Finding> fs = ScanText(
      y, "import os\nos.system('powershell -NoProfile -WindowStyle Hidden -EncodedCommand "
         "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA')\n");
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs[0].rule.rfind("yara-", 0), 0u);
  EXPECT_GE(fs[0].severity, Severity::kHigh);
  EXPECT_TRUE(ScanText(y, "from setuptools import setup\nsetup(name='x')\n").empty());
}

TEST(YaraRulesTest, ManyThreadsShareOneRuleset) {
  YaraRules y;
  std::string err;
  ASSERT_TRUE(y.LoadFromTexts({{"t.yar", kRules}}, &err)) << err;
  std::vector<std::thread> ts;
  std::vector<int> hits(40);  // more threads than libyara's 32 scanners
  for (int t = 0; t < 40; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) hits[t] += static_cast<int>(ScanText(y, "MARKER-42").size());
    });
  for (auto& t : ts) t.join();
  for (int h : hits) EXPECT_EQ(h, 20);
}

}  // namespace
}  // namespace pyward
