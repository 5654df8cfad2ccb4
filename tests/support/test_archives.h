// Builds package archives in memory for tests: ordinary tarballs and zips
// through libarchive's writer, and hostile zips byte by byte.
#pragma once

#include <string>
#include <vector>

namespace pyward::testing {

struct Entry {
  enum Type { kFile, kDir, kSymlink, kHardlink, kCharDevice, kFifo };
  std::string path;
  std::string data;          // file contents
  Type type = kFile;
  std::string link;          // link target
};

inline Entry File(std::string path, std::string data) {
  return Entry{std::move(path), std::move(data), Entry::kFile, ""};
}

enum class Compression { kNone, kGzip, kBzip2, kXz };

// A tar archive (pax format) of `entries`, compressed as asked.
std::string MakeTar(const std::vector<Entry>& entries,
                    Compression c = Compression::kGzip);

// A zip archive of `entries` (deflated); `password` encrypts with the
// traditional PKWARE scheme when not empty.
std::string MakeZip(const std::vector<Entry>& entries,
                    const std::string& password = "");

// A stored (uncompressed) zip written byte by byte. Entries listed in
// `hidden` get local headers but no central directory record; `utf8_names`
// sets the flag that says names are UTF-8 (as Python's zipfile does for
// names outside ASCII).
std::string MakeRawZip(const std::vector<Entry>& entries,
                       const std::vector<Entry>& hidden = {}, bool utf8_names = false);

// An uncompressed tar of regular files written byte by byte, names as
// given (any bytes): in the ustar name field, or, with `pax_paths`, in a pax
// "path" record (which POSIX says is UTF-8) before a placeholder name.
std::string MakeRawTar(const std::vector<Entry>& entries, bool pax_paths = false);

}  // namespace pyward::testing
