// Hostile input: every reader of untrusted text in the audit area gets
// random and mutated bytes and must return (a result or an error), never
// crash, hang or read out of bounds (run under the sanitizer build).
#include <gtest/gtest.h>

#include <random>

#include "audit/osv.h"
#include "audit/pep440.h"
#include "audit/pep508.h"
#include "audit/policy.h"
#include "audit/pyproject.h"
#include "audit/requirements_file.h"

namespace pyward {
namespace {

const char* kSeeds[] = {
    "requests[socks]>=2.8.1,<3 ; python_version < '3.9' and (os_name == 'nt' or extra == 'x')",
    "-r other.txt\n-c c.txt\nfoo==1.0 --hash=sha256:abc \\\n  --hash=sha256:def\n-e git+https://x/y#egg=z\n",
    "[project]\ndependencies = [\"a>=1\"]\n[tool.poetry.dependencies]\nb = \"^1.2\"\n[dependency-groups]\nt = [{include-group = \"t\"}]\n",
    "{\"id\": \"X\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"a\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.0\"}]}], \"versions\": [\"0.1\"]}]}",
    "1!2.0rc1.post2.dev3+local.7",
    "[[ignore]]\nid = \"A\"\nreason = \"r\"\nexpires = 2030-01-01\n",
};

std::string Mutate(std::mt19937& rng, const std::string& s) {
  std::string out = s;
  std::uniform_int_distribution<int> op(0, 4), byte(0, 255);
  int n = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < n; ++i) {
    size_t pos = out.empty() ? 0 : rng() % out.size();
    switch (op(rng)) {
      case 0: if (!out.empty()) out[pos] = static_cast<char>(byte(rng)); break;
      case 1: out.insert(pos, 1, static_cast<char>(byte(rng))); break;
      case 2: if (!out.empty()) out.erase(pos, 1 + rng() % 4); break;
      case 3: out.insert(pos, out.substr(pos, rng() % 16)); break;
      case 4: out.insert(pos, std::string(1 + rng() % 3, "([{\"'\\;,=<>!~*@#\n"[rng() % 17])); break;
    }
  }
  return out;
}

TEST(AuditRobustness, ReadersSurviveMutatedInput) {
  std::mt19937 rng(20261123);
  RequirementsContext ctx;
  ctx.read_file = [](const std::string&, std::string* content, std::string*) {
    *content = "-r again.txt\nx==1\n";
    return true;
  };
  ctx.getenv = [](const std::string&) { return std::optional<std::string>("1.0"); };
  MarkerEnvironment env;
  std::string err;
  ASSERT_TRUE(MarkerEnvironment::ForTarget("3.11", "linux", &env, &err));
  size_t accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    for (const char* seed : kSeeds) {
      std::string in = Mutate(rng, seed);
      Requirement r;
      if (ParseRequirement(in, &r, &err)) {
        ++accepted;
        r.marker.Evaluate(env);
        r.specifiers.Contains(Version::Parse("1.0"));
      }
      Version v = Version::Parse(in);
      Compare(v, Version::Parse("1.0"));
      EqualityKey(v);
      SpecifierSet s;
      if (SpecifierSet::Parse(in, &s, &err)) s.Contains(v, true);
      Marker m;
      if (Marker::Parse(in, &m, &err)) m.Evaluate(env);
      DependencySet set;
      ReadRequirementsFile("r.txt", in, ctx, &set);
      DependencySet set2;
      ReadPyproject("pyproject.toml", in, &set2);
      OsvAdvisory a;
      if (ParseOsvJson(in, &a, &err))
        for (const auto& af : a.affected) Affects(af, v);
      Policy p;
      Policy::Parse(in, "p.toml", &p, &err);
      std::string poetry;
      PoetryToPep440(in, &poetry);
    }
  }
  EXPECT_GT(accepted, 0u);
}

TEST(AuditRobustness, DeepNestingAndHugeLines) {
  std::string deep(100000, '(');
  Marker m;
  std::string err;
  EXPECT_FALSE(Marker::Parse(deep, &m, &err));
  std::string chain = "python_version > '1'";
  for (int i = 0; i < 100000; ++i) chain += " and python_version > '1'";
  EXPECT_FALSE(Marker::Parse(chain, &m, &err));
  std::string shorter = "python_version > '1'";
  for (int i = 0; i < 500; ++i) shorter += " or python_version > '1'";
  ASSERT_TRUE(Marker::Parse(shorter, &m, &err)) << err;
  MarkerEnvironment env;
  ASSERT_TRUE(MarkerEnvironment::ForTarget("3.11", "", &env, &err));
  EXPECT_EQ(m.Evaluate(env), Tri::kTrue);
  std::string longline = "foo==" + std::string(1 << 20, '1');
  Requirement r;
  ASSERT_TRUE(ParseRequirement(longline, &r, &err)) << err;
  EXPECT_EQ(r.specifiers.PinnedVersion()->size(), (1u << 20) + 0u);
  Version v = Version::Parse(std::string(1 << 20, '9'));
  EXPECT_FALSE(v.is_legacy());
  std::string conts(200000, '\\');
  DependencySet set;
  ReadRequirementsFile("r.txt", conts, RequirementsContext{}, &set);
  std::string group_chain = "[dependency-groups]\n";
  for (int i = 0; i < 3000; ++i)
    group_chain += "g" + std::to_string(i) + " = [{include-group = \"g" +
             std::to_string(i + 1) + "\"}]\n";
  group_chain += "g3000 = [\"x==1\"]\n";
  DependencySet groups;
  ReadPyproject("pyproject.toml", group_chain, &groups);
  EXPECT_EQ(groups.dependencies.size(), 1u);
  std::string deep_toml = "a = " + std::string(5000, '[');
  DependencySet set2;
  ReadPyproject("pyproject.toml", deep_toml, &set2);
  EXPECT_FALSE(set2.problems.empty());
}

}  // namespace
}  // namespace pyward
