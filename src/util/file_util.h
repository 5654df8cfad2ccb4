// Reading the local file system: the only place pyward touches the disk for
// input. Expected failures return false and fill *err.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pyward {

// Reads the whole file at `path` into *out. Fails (false, *err set) when it
// cannot be opened or is larger than `max_bytes`.
bool ReadFile(const std::string& path, uint64_t max_bytes, std::string* out,
              std::string* err);

enum class PathKind { kMissing, kFile, kDirectory, kOther };
// What `path` names, following symlinks.
PathKind GetPathKind(const std::string& path);

// Regular files below `dir`, relative to it with '/' separators, sorted.
// Symlinks are not followed; they are listed in *links (relative paths).
bool ListFilesRecursive(const std::string& dir, std::vector<std::string>* files,
                        std::vector<std::string>* links, std::string* err);

// Names directly inside `dir` (files and folders), sorted.
bool ListDir(const std::string& dir, std::vector<std::string>* names,
             std::string* err);

}  // namespace pyward
