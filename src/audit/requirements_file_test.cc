#include "audit/requirements_file.h"

#include <gtest/gtest.h>

#include <map>

namespace pyward {
namespace {

// An in-memory file system and environment.
class RequirementsTest : public ::testing::Test {
 protected:
  RequirementsContext Ctx() {
    RequirementsContext ctx;
    ctx.read_file = [this](const std::string& path, std::string* content,
                           std::string* err) {
      auto it = files_.find(path);
      if (it == files_.end()) {
        *err = "no such file";
        return false;
      }
      *content = it->second;
      return true;
    };
    ctx.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    return ctx;
  }
  DependencySet Read(const std::string& path) {
    DependencySet set;
    ReadRequirementsFile(path, files_.at(path), Ctx(), &set);
    return set;
  }
  std::map<std::string, std::string> files_;
  std::map<std::string, std::string> env_;
};

TEST_F(RequirementsTest, PinsRangesExtrasMarkersComments) {
  files_["req/requirements.txt"] =
      "# a comment\n"
      "Django==4.2.1  # inline comment\n"
      "\n"
      "requests[socks]>=2.8,<3 ; python_version >= '3.8'\n"
      "zope.interface\n"
      "";
  DependencySet s = Read("req/requirements.txt");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].message;
  ASSERT_EQ(s.dependencies.size(), 3u);
  EXPECT_EQ(s.dependencies[0].name, "Django");
  EXPECT_EQ(s.dependencies[0].version.value_or(""), "4.2.1");
  EXPECT_EQ(s.dependencies[0].line, 2);
  EXPECT_EQ(s.dependencies[1].name, "requests");
  EXPECT_EQ(s.dependencies[1].specifier, ">=2.8,<3");
  EXPECT_FALSE(s.dependencies[1].version.has_value());
  EXPECT_EQ(s.dependencies[1].extras, std::vector<std::string>{"socks"});
  EXPECT_EQ(s.dependencies[1].marker, "python_version >= '3.8'");
  EXPECT_EQ(s.dependencies[2].name, "zope.interface");
  EXPECT_FALSE(s.uses_hashes);
}

TEST_F(RequirementsTest, HashesAndContinuations) {
  files_["r.txt"] =
      "certifi==2023.7.22 \\\n"
      "    --hash=sha256:aaaa \\\n"
      "    --hash sha256:bbbb\n"
      "idna==3.4\n";
  DependencySet s = Read("r.txt");
  ASSERT_TRUE(s.problems.empty());
  ASSERT_EQ(s.dependencies.size(), 2u);
  EXPECT_EQ(s.dependencies[0].hashes,
            (std::vector<std::string>{"sha256:aaaa", "sha256:bbbb"}));
  EXPECT_EQ(s.dependencies[0].line, 1);
  EXPECT_EQ(s.dependencies[1].line, 4);
  EXPECT_TRUE(s.dependencies[1].hashes.empty());
  EXPECT_TRUE(s.uses_hashes);
}

TEST_F(RequirementsTest, IncludesConstraintsAndCycles) {
  files_["a/base.txt"] = "-r sub/more.txt\n-c constraints.txt\nflask\n";
  files_["a/sub/more.txt"] = "--requirement ../base.txt\nclick>=8\n";
  files_["a/constraints.txt"] = "flask==2.3.2\nnot-required==1.0\n";
  DependencySet s = Read("a/base.txt");
  ASSERT_EQ(s.dependencies.size(), 2u);
  EXPECT_EQ(s.dependencies[0].name, "click");
  EXPECT_EQ(s.dependencies[0].file, "a/sub/more.txt");
  EXPECT_EQ(s.dependencies[1].name, "flask");
  EXPECT_EQ(s.dependencies[1].version.value_or(""), "2.3.2");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].rule, "requirements-include-cycle");
  EXPECT_EQ(s.problems[0].file, "a/sub/more.txt");
  EXPECT_EQ(s.problems[0].line, 1);
}

// Two symlinks `d -> .` and `e -> .` make x.txt reachable under 2^k distinct
// paths of k links (d/x.txt, e/x.txt, d/e/x.txt ...), each of which includes
// two more, so the per-path visited set does not stop the walk. The reader
// stops at its file budget and says so instead of opening 2^64 files.
TEST(RequirementsIncludeBudget, SymlinkLoopEndsWithAProblem) {
  int reads = 0;
  RequirementsContext ctx;
  ctx.read_file = [&reads](const std::string&, std::string* content, std::string*) {
    ++reads;
    *content = "-r d/x.txt\n-r e/x.txt\nrequests==2.0\n";
    return true;
  };
  DependencySet set;
  ReadRequirementsFile("x.txt", "-r d/x.txt\n-r e/x.txt\n", ctx, &set);
  EXPECT_EQ(reads, 1000);
  EXPECT_EQ(set.dependencies.size(), 1000u);
  int budget = 0;
  for (const auto& p : set.problems)
    if (p.message.find("more than 1000 included files") != std::string::npos) {
      EXPECT_EQ(p.rule, "requirements-include");
      ++budget;
    }
  EXPECT_EQ(budget, 1);
  // The walk went 64 levels deep on the way: that limit is reported once too.
  EXPECT_EQ(set.problems.size(), 2u);
}

TEST(RequirementsIncludeBudget, DepthLimitReportedOnce) {
  // r0.txt includes r1.txt and r1b.txt, r1.txt includes r2.txt and r2b.txt ...
  RequirementsContext ctx;
  int reads = 0;
  ctx.read_file = [&reads](const std::string& path, std::string* content, std::string*) {
    ++reads;
    size_t digits = path.find_first_of("0123456789");
    int n = std::stoi(path.substr(digits));
    std::string next = std::to_string(n + 1);
    *content = "-r r" + next + ".txt\n-r r" + next + "b.txt\nx" + std::to_string(n) + "==1\n";
    return true;
  };
  DependencySet set;
  ReadRequirementsFile("r0.txt", "-r r1.txt\n-r r1b.txt\n", ctx, &set);
  EXPECT_EQ(reads, 128);  // two files at each of 64 levels
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_EQ(set.problems[0].rule, "requirements-include");
  EXPECT_NE(set.problems[0].message.find("deeper than 64"), std::string::npos);
}

TEST_F(RequirementsTest, MissingIncludeAndUrlInclude) {
  files_["r.txt"] = "-r missing.txt\n-r https://example.com/r.txt\nsix\n";
  DependencySet s = Read("r.txt");
  ASSERT_EQ(s.dependencies.size(), 1u);
  ASSERT_EQ(s.problems.size(), 2u);
  EXPECT_EQ(s.problems[0].rule, "requirements-include");
  EXPECT_EQ(s.problems[1].rule, "requirements-include");
}

TEST_F(RequirementsTest, UrlsVcsEditablesAndIndexes) {
  files_["r.txt"] =
      "--index-url https://pypi.example/simple\n"
      "--extra-index-url=https://extra.example/simple\n"
      "-e git+https://github.com/org/proj.git@v1#egg=proj\n"
      "-e ./local/thing\n"
      "pip @ https://github.com/pypa/pip/archive/22.0.zip\n"
      "https://files.example/numpy-1.26.0-cp311-cp311-linux_x86_64.whl ; sys_platform == 'linux'\n"
      "./dist/mypkg-0.3.tar.gz\n"
      "git+https://github.com/x/y.git#egg=y-pkg\n";
  DependencySet s = Read("r.txt");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].message;
  ASSERT_EQ(s.dependencies.size(), 6u);
  EXPECT_EQ(s.dependencies[0].name, "proj");
  EXPECT_TRUE(s.dependencies[0].editable);
  EXPECT_EQ(s.dependencies[1].name, "thing");
  EXPECT_EQ(s.dependencies[2].name, "pip");
  EXPECT_EQ(s.dependencies[2].url, "https://github.com/pypa/pip/archive/22.0.zip");
  EXPECT_EQ(s.dependencies[3].name, "numpy");
  EXPECT_EQ(s.dependencies[3].version.value_or(""), "1.26.0");
  EXPECT_EQ(s.dependencies[3].marker, "sys_platform == 'linux'");
  EXPECT_EQ(s.dependencies[4].name, "mypkg");
  EXPECT_EQ(s.dependencies[4].version.value_or(""), "0.3");
  EXPECT_EQ(s.dependencies[5].name, "y-pkg");
  for (const auto& d : s.dependencies)
    EXPECT_EQ(d.index_url, "https://pypi.example/simple");
}

TEST_F(RequirementsTest, EnvironmentVariables) {
  env_["PKG_VERSION"] = "1.2.3";
  files_["r.txt"] = "mylib==${PKG_VERSION}\nother==${lower_case}\n";
  DependencySet s = Read("r.txt");
  ASSERT_EQ(s.dependencies.size(), 1u);
  EXPECT_EQ(s.dependencies[0].version.value_or(""), "1.2.3");
  ASSERT_EQ(s.problems.size(), 1u);  // "${lower_case}" is not expanded
  EXPECT_EQ(s.problems[0].line, 2);
}

TEST_F(RequirementsTest, BadLinesBecomeProblemsNotCrashes) {
  files_["r.txt"] =
      "good==1.0\n"
      "bad line here\n"
      "--bogus-option x\n"
      "-r\n"
      "\xff\xfe\x00garbage\n"
      "trailing \\";
  DependencySet s = Read("r.txt");
  ASSERT_GE(s.dependencies.size(), 1u);
  EXPECT_EQ(s.dependencies[0].name, "good");
  EXPECT_GE(s.problems.size(), 4u);
  for (const auto& p : s.problems) EXPECT_EQ(p.file, "r.txt");
}

TEST_F(RequirementsTest, Utf16WithByteOrderMark) {
  std::string text = "six==1.16.0\r\nidna\r\n";
  std::string le = "\xFF\xFE";
  for (char c : text) {
    le.push_back(c);
    le.push_back('\0');
  }
  files_["r.txt"] = le;
  DependencySet s = Read("r.txt");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].message;
  ASSERT_EQ(s.dependencies.size(), 2u);
  EXPECT_EQ(s.dependencies[0].version.value_or(""), "1.16.0");
  EXPECT_EQ(s.dependencies[1].name, "idna");
}

TEST(RequirementsNameFromUrl, WheelSdistEgg) {
  std::string name;
  std::optional<std::string> version;
  ASSERT_TRUE(NameFromUrl("https://x/a/Foo_Bar-2.0-py3-none-any.whl", &name, &version));
  EXPECT_EQ(name, "Foo_Bar");
  EXPECT_EQ(version.value_or(""), "2.0");
  version.reset();
  ASSERT_TRUE(NameFromUrl("git+ssh://git@host/r.git#egg=pkg==1.1", &name, &version));
  EXPECT_EQ(name, "pkg");
  EXPECT_EQ(version.value_or(""), "1.1");
  EXPECT_FALSE(NameFromUrl("https://host/path/", &name, &version));
}

}  // namespace
}  // namespace pyward
