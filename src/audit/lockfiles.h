// Readers of Python lockfiles: poetry.lock, Pipfile.lock, uv.lock, pdm.lock
// and PEP 751 pylock.toml. Each locked package becomes one
// DeclaredDependency with its resolved version, its hashes, markers, group,
// index and direct-reference URL, and the line of its entry.
//
// Conventions shared by every format (so the auditor sees one shape):
//  - version: the resolved version; specifier: "==<version>" (empty when the
//    lock records no version, e.g. a VCS checkout without one).
//  - hashes: "<algo>:<hex>" as the file declares them (poetry and uv already
//    write "sha256:<hex>"; Pipfile.lock too; pylock's {sha256 = "..."} tables
//    are turned into "sha256:<hex>").
//  - group: "" when the package belongs to the main / default dependencies;
//    otherwise the names of the groups (or extras) that pull it in, sorted and
//    joined with "," ("dev", "docs,test"). Poetry 1.x category "dev" -> "dev";
//    Pipfile.lock "develop" -> "dev"; pdm "default" -> "".
//  - url: the direct reference for VCS / URL / path sources ("git+URL@commit",
//    the archive URL, or the local path); editable for editable installs.
//  - index_url: the package index the lock resolved the package from, when
//    the format records it (uv registry, Pipfile sources, pylock index,
//    poetry legacy sources).
//  - file: the path as given; line: the 1-based line of the entry, 0 when
//    unknown.
// Untrusted content never crashes the reader: parse errors become *err with
// the file name and line; a single malformed entry becomes an InputProblem
// (rule "lockfile-entry-invalid") and the rest of the file is still read.
#pragma once

#include <string>
#include <string_view>

#include "audit/dependency.h"

namespace pyward {

// The lockfile formats ReadLockfile knows.
enum class LockfileKind { kNone, kPoetry, kPipfile, kUv, kPdm, kPylock };

// The kind a file name announces: poetry.lock, Pipfile.lock, uv.lock,
// pdm.lock, pylock.toml or pylock.<name>.toml (PEP 751); kNone otherwise.
// Only the last path component counts.
LockfileKind LockfileKindOf(std::string_view path);

// True when `path`'s file name is one of the lockfile names above.
bool IsLockfileName(std::string_view path);

// Reads a lockfile by its content and file name. Appends the locked packages
// to out->dependencies (and entry-level problems to out->problems) and sets
// out->uses_hashes when any entry has hashes. False with *err when the file is
// not one of the known lockfiles or is malformed (the message names the file
// and the problem, with its line when known).
bool ReadLockfile(const std::string& path, std::string_view content,
                  DependencySet* out, std::string* err);

}  // namespace pyward
