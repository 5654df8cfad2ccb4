// Reading package archives (sdist tarballs, wheels, eggs, zips) into memory
// through libarchive, with hard limits, never extracting to disk and never
// running anything. Every structural anomaly becomes a Finding; an archive
// that cannot be read (truncated, corrupt, over a limit) is an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/format.h"
#include "report/finding.h"

namespace pyward {

struct ArchiveLimits {
  uint64_t max_total_bytes = uint64_t{1} << 30;   // uncompressed, whole artifact
  uint64_t max_member_bytes = uint64_t{256} << 20;
  uint64_t max_members = 100000;
  // Uncompressed/compressed ratio allowed once the uncompressed total passes
  // ratio_floor_bytes (small archives of repetitive text compress well).
  uint64_t max_ratio = 200;
  uint64_t ratio_floor_bytes = uint64_t{32} << 20;
  int max_depth = 2;  // nested archives opened below the artifact itself
};

enum class MemberKind { kFile, kDirectory, kSymlink, kHardlink, kSpecial };

struct ArchiveMember {
  std::string path;         // as stored, "./" prefixes removed
  MemberKind kind = MemberKind::kFile;
  std::string data;         // contents of regular files
  std::string link_target;  // for links
  // The nested archive chain holding this member ("" at the top level,
  // "a.whl!/" inside the wheel a.whl, and so on).
  std::string container;
  std::string FullPath() const { return container + path; }
};

struct Archive {
  ContainerFormat format = ContainerFormat::kUnknown;
  std::vector<ArchiveMember> members;  // in archive order, nested ones after
  std::vector<Finding> anomalies;      // structure findings, phase "none"
  uint64_t total_bytes = 0;            // uncompressed bytes read
};

struct ArchiveOptions {
  ArchiveLimits limits;
  std::string passphrase;  // for encrypted zips (sample collections)
};

// Reads the archive in `data` (format decided by content). False with *err
// when it cannot be read; anomalies that do not prevent reading are returned
// in out->anomalies. Nested archives are opened up to limits.max_depth.
bool ReadArchive(std::string_view data, const ArchiveOptions& opts,
                 Archive* out, std::string* err);

// Calls `fn` for each regular-file member of the archive in `data` without
// opening nested archives and without keeping members in memory beyond the
// call: used for sample collections. `fn` returns false to stop. Links and
// special files are skipped and counted in *skipped. False with *err when the
// archive cannot be read.
bool ForEachArchiveFile(std::string_view data, const ArchiveOptions& opts,
                        const std::function<bool(ArchiveMember&)>& fn,
                        uint64_t* skipped, std::string* err);

// Structure checks shared with source trees: absolute paths, "..", links
// that leave the root. Appends findings about `m` to *out.
void CheckMemberPath(const ArchiveMember& m, std::vector<Finding>* out);

}  // namespace pyward
