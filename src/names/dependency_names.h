// The names of the packages an artifact declares it depends on, judged like
// its own name: a dependency that imitates a popular project is the classic
// "clean wrapper, malicious dependency" attack (the package's own code is
// harmless; pip installs the squat beside it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "names/name_checker.h"
#include "package/package.h"
#include "report/finding.h"

namespace pyward {

// One declared dependency: its name as written and the metadata file that
// declares it.
struct PackageRequirement {
  std::string name;
  std::string file;  // PackageFile::path of the declaring file
};

// The dependencies declared in the artifact's metadata: `Requires-Dist`
// lines of its PKG-INFO / METADATA files and the lines of *.egg-info/
// requires.txt (every extra included). Distinct by normalised name, in
// file order; at most `max` of them.
std::vector<PackageRequirement> DeclaredDependencies(const Package& pkg, size_t max = 200);

// The project name a requirement line starts with ("" when none).
std::string_view RequirementName(std::string_view line);

// True when the offline public name list (data/names/pypi-names.txt.gz,
// loaded once on first use) holds normalised `name`; true as well when the
// list cannot be read (no evidence either way).
bool PublicIndexServes(std::string_view normalized);

// Appends findings for dependencies of `pkg` whose names imitate a popular
// project (rule "dependency-typosquat": high when the public index does not
// serve the name, i.e. anyone may register it or it was taken down; medium
// at kNameSuspiciousScore or more otherwise) or that an advisory reports
// as malicious (rule "dependency-known-malicious", critical). Standard-
// library names, affixes and decorations of popular names are left out.
// `serves` answers whether the public index serves a normalised name.
void AppendDependencyFindings(const NameChecker& names, const Package& pkg,
                              bool (*serves)(std::string_view), std::vector<Finding>* out);

}  // namespace pyward
