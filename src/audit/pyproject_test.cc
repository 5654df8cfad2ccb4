#include "audit/pyproject.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

DependencySet Read(const std::string& text) {
  DependencySet s;
  ReadPyproject("pyproject.toml", text, &s);
  return s;
}

const DeclaredDependency* Find(const DependencySet& s, const std::string& name,
                               const std::string& group) {
  for (const auto& d : s.dependencies)
    if (d.name == name && d.group == group) return &d;
  return nullptr;
}

TEST(RequirementsPyproject, Pep621AndOptionalAndBuildSystem) {
  DependencySet s = Read(R"(
[build-system]
requires = ["setuptools>=61", "wheel"]

[project]
name = "demo"
dependencies = [
  "requests[socks]>=2.31; python_version >= '3.8'",
  "attrs==23.1.0",
]

[project.optional-dependencies]
test = ["pytest==7.4.0", "coverage"]
)");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].message;
  ASSERT_EQ(s.dependencies.size(), 6u);
  const DeclaredDependency* r = Find(s, "requests", "");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->specifier, ">=2.31");
  EXPECT_EQ(r->marker, "python_version >= '3.8'");
  EXPECT_EQ(r->line, 8);
  EXPECT_EQ(Find(s, "attrs", "")->version.value_or(""), "23.1.0");
  EXPECT_EQ(Find(s, "pytest", "test")->version.value_or(""), "7.4.0");
  EXPECT_NE(Find(s, "setuptools", "build-system"), nullptr);
}

TEST(RequirementsPyproject, Pep735GroupsWithIncludesAndCycles) {
  DependencySet s = Read(R"(
[dependency-groups]
test = ["pytest>=8", {include-group = "typing"}]
typing = ["mypy==1.8.0", {include-group = "test"}]
docs = [{include-group = "missing"}]
)");
  EXPECT_EQ(s.dependencies.size(), 2u);
  EXPECT_EQ(Find(s, "mypy", "typing")->version.value_or(""), "1.8.0");
  bool cycle = false, missing = false;
  for (const auto& p : s.problems) {
    cycle = cycle || p.rule == "pyproject-include-cycle";
    missing = missing || p.rule == "pyproject-include-group";
  }
  EXPECT_TRUE(cycle);
  EXPECT_TRUE(missing);
}

TEST(RequirementsPyproject, PoetryAndPdm) {
  DependencySet s = Read(R"(
[tool.poetry.dependencies]
python = "^3.9"
django = "^4.2.1"
numpy = [{version = "~1.24", python = "<3.12"}, {version = "^1.26", python = ">=3.12"}]
pinned = "2.0.1"
anything = "*"
weird = "1.0 || 2.0"
local = {path = "../local", develop = true}
vcs = {git = "https://github.com/x/vcs.git", tag = "v1"}

[tool.poetry.group.dev.dependencies]
black = "23.7.0"

[tool.poetry.dev-dependencies]
flake8 = ">=6,<7"

[tool.pdm.dev-dependencies]
lint = ["ruff==0.1.0", "-e file:///${PROJECT_ROOT}/sub#egg=sub"]
)");
  ASSERT_TRUE(s.problems.empty()) << s.problems[0].message;
  const DeclaredDependency* d = Find(s, "django", "");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->specifier, "^4.2.1");
  EXPECT_EQ(d->pep440_specifier, ">=4.2.1,<5.0.0");
  EXPECT_FALSE(d->version.has_value());
  std::vector<std::string> numpy;
  for (const auto& x : s.dependencies)
    if (x.name == "numpy") numpy.push_back(x.marker);
  EXPECT_EQ(numpy, (std::vector<std::string>{
                       "python_full_version < \"3.12\"",
                       "python_full_version >= \"3.12\""}));
  EXPECT_EQ(Find(s, "pinned", "")->version.value_or(""), "2.0.1");
  EXPECT_EQ(Find(s, "weird", "")->pep440_specifier, "");
  EXPECT_TRUE(Find(s, "local", "")->editable);
  EXPECT_EQ(Find(s, "vcs", "")->url, "git+https://github.com/x/vcs.git");
  EXPECT_EQ(Find(s, "black", "dev")->version.value_or(""), "23.7.0");
  EXPECT_NE(Find(s, "flake8", "dev"), nullptr);
  EXPECT_EQ(Find(s, "ruff", "lint")->version.value_or(""), "0.1.0");
  EXPECT_NE(Find(s, "sub", "lint"), nullptr);
  EXPECT_EQ(Find(s, "python", ""), nullptr);
}

TEST(RequirementsPyproject, PoetryConstraints) {
  struct {
    const char* in;
    const char* out;
  } cases[] = {{"^1.2.3", ">=1.2.3,<2.0.0"}, {"^0.2.3", ">=0.2.3,<0.3.0"},
               {"^0.0.3", ">=0.0.3,<0.0.4"}, {"^0", ">=0,<1.0.0"},
               {"^0.0", ">=0.0,<0.1.0"},     {"~1.2.3", ">=1.2.3,<1.3.0"},
               {"~1", ">=1,<2.0.0"},         {"1.4", "==1.4"},
               {"1.2.*", "==1.2.*"},          {">= 1.2, < 1.5", ">=1.2,<1.5"},
               {">=1.2 <1.5", ">=1.2,<1.5"},  {"*", ""},
               {"~=1.4", "~=1.4"},            {"=1.0", "==1.0"}};
  for (const auto& c : cases) {
    std::string out;
    ASSERT_TRUE(PoetryToPep440(c.in, &out)) << c.in;
    EXPECT_EQ(out, c.out) << c.in;
  }
  std::string out;
  EXPECT_FALSE(PoetryToPep440("1.0 || 2.0", &out));
  EXPECT_FALSE(PoetryToPep440("^banana", &out));
}

TEST(RequirementsPyproject, BadTomlAndBadEntriesAreProblems) {
  DependencySet s = Read("[project\ndependencies = [");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].rule, "pyproject-syntax");
  EXPECT_NE(s.problems[0].message.find("pyproject.toml:"), std::string::npos);
  s = Read("[project]\ndependencies = [\"ok==1\", \"not valid ===\", 5]\n");
  EXPECT_EQ(s.dependencies.size(), 1u);
  EXPECT_EQ(s.problems.size(), 2u);
}

}  // namespace
}  // namespace pyward
