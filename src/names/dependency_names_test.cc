#include "names/dependency_names.h"

#include <gtest/gtest.h>

#include "names/name_findings.h"

namespace pyward {
namespace {

NameData Data() {
  NameData d;
  d.popular = {{"quantumleap", 10}, {"widget-kit-core", 20}, {"requests", 1}};
  d.stdlib = {"asyncio"};
  return d;
}

// A wheel-like package whose METADATA declares `deps` and whose
// egg-info requires.txt holds `txt`.
struct Pkg {
  Archive archive;
  Package pkg;
  Pkg(const std::string& name, const std::string& deps, const std::string& txt) {
    ArchiveMember meta;
    meta.path = name + "-1.0.dist-info/METADATA";
    meta.data = "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n" + deps +
                "\n\nRequires-Dist: not-a-header-anymore\n";
    archive.members.push_back(meta);
    ArchiveMember req;
    req.path = name + ".egg-info/requires.txt";
    req.data = txt;
    archive.members.push_back(req);
    BuildPackage(name + "-1.0-py3-none-any.whl", archive, false, false, &pkg);
  }
};

bool ServesNothing(std::string_view) { return false; }
bool ServesAll(std::string_view) { return true; }

TEST(DependencyNames, DeclaredInMetadataAndRequiresTxt) {
  Pkg p("wrapper", "Requires-Dist: Quantum_Leap (>=1.0)\nRequires-Dist: requests; extra == 'net'",
        "widget-kit-core>=2\n\n[extra]\nzebra==1\n# comment\n");
  auto deps = DeclaredDependencies(p.pkg);
  std::vector<std::string> names;
  for (const auto& d : deps) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Quantum_Leap", "requests", "widget-kit-core", "zebra"}));
  EXPECT_EQ(RequirementName("  pkg-a[extra]>=1 ; python_version<'3'"), "pkg-a");
  EXPECT_EQ(RequirementName("-e git+https://x"), "");
}

TEST(DependencyNames, SquattedDependencyIsReported) {
  NameChecker c(Data());
  Pkg p("wrapper", "Requires-Dist: quantumlaep\nRequires-Dist: core-widget-kit",
        "requests\nasyncio\nzebra\n");
  std::vector<Finding> f;
  AppendDependencyFindings(c, p.pkg, &ServesNothing, &f);
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.rule, "dependency-typosquat");
    EXPECT_EQ(x.severity, Severity::kHigh);  // a name nobody serves
    EXPECT_EQ(x.phase, Phase::kInstall);
  }
  EXPECT_NE(f[0].message.find("quantumleap"), std::string::npos);
  EXPECT_NE(f[1].message.find("widget-kit-core"), std::string::npos);
  // Served by the public index: only strong imitations, and weaker.
  f.clear();
  AppendDependencyFindings(c, p.pkg, &ServesAll, &f);
  for (const Finding& x : f) EXPECT_EQ(x.severity, Severity::kMedium);
}

TEST(DependencyNames, PopularStdlibAndOwnNamesAreNotReported) {
  NameChecker c(Data());
  Pkg p("quantumlaep", "Requires-Dist: quantumlaep\nRequires-Dist: requests", "asyncio\nzebra\n");
  std::vector<Finding> f;
  AppendDependencyFindings(c, p.pkg, &ServesNothing, &f);
  EXPECT_TRUE(f.empty()) << f.size();
}

TEST(DependencyNames, KnownMaliciousDependency) {
  MaliciousNameList list;
  list.Add("evil-thing", "MAL-2099-7");
  list.Freeze();
  NameChecker c(Data(), &list);
  Pkg p("wrapper", "Requires-Dist: Evil_Thing", "");
  std::vector<Finding> f;
  AppendDependencyFindings(c, p.pkg, &ServesAll, &f);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "dependency-known-malicious");
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_NE(f[0].message.find("MAL-2099-7"), std::string::npos);
}

TEST(DependencyNames, PublicListLookup) {
  // The shipped list (data/names/pypi-names.txt.gz) serves well-known names.
  EXPECT_TRUE(PublicIndexServes("requests"));
  EXPECT_FALSE(PublicIndexServes("zz-no-such-project-name-anywhere-4711"));
}

}  // namespace
}  // namespace pyward
