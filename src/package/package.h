// The package model: what an artifact is (name, version, kind) and what each
// of its files is for, so findings can be weighed by when the code runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archive/archive_reader.h"
#include "report/finding.h"

namespace pyward {

enum class ArtifactKind { kSdist, kWheel, kEgg, kZip, kTree, kFile };
std::string_view ArtifactKindName(ArtifactKind k);

// When a file's code runs.
enum class FileRole {
  kInstall,  // setup.py, in-tree build backends, .pth files
  kImport,   // top-level __init__.py and top-level modules
  kRuntime,  // everything else that ships
  kTest,     // tests, docs, examples, benchmarks
};
std::string_view RoleName(FileRole r);
// The phase a finding in a file of this role is reported with.
Phase PhaseOfRole(FileRole r);
// How early code of this role runs: install 3, import 2, runtime 1, test 0.
int RoleRank(FileRole r);

struct PackageFile {
  const ArchiveMember* member;  // owned by the Archive the package was built from
  std::string path;             // full path as reported (container included)
  std::string rel;              // path below the package root ("pkg/__init__.py")
  FileRole role = FileRole::kRuntime;
  // For a link in a source archive (extracted as a link, so running or
  // importing it runs its target), or a file under a linked folder: the file
  // member it leads to. `member` is then the link, `path` the name it is
  // reached by ("p/mypkg/core.py" through the folder link p/mypkg).
  const ArchiveMember* target = nullptr;
  // A link's file whose path alone gives it no role above its target's (a
  // module under a linked folder): read as code only when install- or
  // import-time code imports or runs it by this name (the import pass in
  // analysis/rules.cc), skipped by every other pass.
  bool dormant = false;
  std::string_view data() const { return (target ? target : member)->data; }
};

struct Package {
  std::string name;
  std::string version;
  std::string name_source;  // "PKG-INFO", "METADATA", "file name", ...
  ArtifactKind kind = ArtifactKind::kFile;
  std::vector<PackageFile> files;  // regular files only, archive order
  std::vector<Finding> findings;   // metadata anomalies
};

// Builds the package model of `archive` (read from the artifact named
// `file_name`; only its base name is used). `tree` says the members came from
// a source folder, `single_file` from a lone file.
void BuildPackage(std::string_view file_name, const Archive& archive,
                  bool tree, bool single_file, Package* out);

// Name and version from an artifact file name ("pkg-1.0.tar.gz",
// "pkg-1.0-py3-none-any.whl", "pkg_1.0.orig.tar.xz"); false when none.
bool NameFromFileName(std::string_view file_name, std::string* name,
                      std::string* version);

// The info finding `archive-link-code` for link file `f` (f.target set)
// read as code of role `role`.
Finding LinkCodeFinding(const PackageFile& f, FileRole role);

// The path below site-packages that member `rel` (a path below the package
// root) installs to: an sdist's src/ layout and a wheel's
// <name>.data/purelib/ and platlib/ folders install as the root does.
std::string_view ImportPath(std::string_view rel);

// True when `path` lies in a tests/docs/examples folder or is a test module
// (test_*.py, *_test.py, conftest.py).
bool IsTestOrDocPath(std::string_view path);

// Reads "Key: value" headers of a PKG-INFO/METADATA file (RFC 822 style,
// continuation lines folded) and returns the first value of `key` (case
// insensitive), or "".
std::string MetadataField(std::string_view metadata, std::string_view key);

}  // namespace pyward
