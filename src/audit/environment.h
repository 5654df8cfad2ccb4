// Reader of installed Python environments: a venv, a site-packages folder, or
// any folder holding *.dist-info (and legacy *.egg-info) entries. Each
// installed distribution becomes a DeclaredDependency; the files RECORD lists
// with a hash are hashed again and compared.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/dependency.h"

namespace pyward {

// Reads the installed environment at `dir`.
//
// Where it looks: `dir` itself when it holds *.dist-info / *.egg-info entries,
// else the site-packages folders of a venv or prefix below it
// (lib*/python*/site-packages, lib*/python*/dist-packages, Lib/site-packages).
//
// Each distribution: name and version from METADATA (PKG-INFO for egg-info),
// falling back to the folder name; specifier "==<version>"; file = the
// metadata file; line = the line of its Version header; url and editable from
// direct_url.json (PEP 610) when present.
//
// RECORD: every row with a hash is checked. Paths are relative to the
// site-packages folder (they may climb with ".." to bin/ in a venv) and are
// resolved lexically and through symlinks; a path that leaves `dir` is never
// opened. Problems (file = the RECORD, line = its row):
//   "record-hash-mismatch"     the file's digest differs (or it is not a
//                              regular file); the digest is compared as
//                              URL-safe base64, or as hex when RECORD has hex
//   "record-file-missing"      a hashed file is absent
//   "record-path-outside-root" the path leaves `dir` (absolute, "..", symlink)
//   "record-hash-unsupported"  a hash algorithm other than sha224/256/384/512
//   "record-malformed"         a row pyward cannot read (bad hash field)
//   "metadata-missing"         a .dist-info without METADATA
// Files under the distribution that RECORD does not list are not required.
//
// False with *err only when `dir` cannot be read or holds no distribution.
bool ReadEnvironment(const std::string& dir, DependencySet* out,
                     std::string* err);

// Internal pieces, exposed for tests.

// Parses RECORD-style CSV (comma separated, '"' quoting with "" escapes,
// CR/LF line ends) into rows of fields, each with its 1-based line.
struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;
};
std::vector<CsvRow> ParseCsv(std::string_view text);

// Base64 (URL-safe alphabet, no padding) of `bytes`, as RECORD writes digests.
std::string UrlSafeBase64NoPad(std::string_view bytes);

// Joins `base` (a '/'-separated relative folder, may be "") and `rel` and
// removes "." and ".." components. False when the result would climb above
// the root or `rel` is absolute.
bool NormalizeRelativePath(std::string_view base, std::string_view rel,
                           std::string* out);

}  // namespace pyward
