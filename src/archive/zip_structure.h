// A bounds-checked reading of a zip's own structure (central directory and
// local headers), independent of libarchive, to find what pip would not see:
// local file headers that the central directory does not list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pyward {

struct ZipCentralEntry {
  std::string name;
  uint64_t local_offset = 0;  // absolute offset of its local header in the file
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint16_t method = 0;
  uint16_t flags = 0;
  bool encrypted() const { return flags & 1; }
};

struct ZipStructure {
  std::vector<ZipCentralEntry> entries;  // central directory order
  // Names of local headers that no central directory entry points at: data
  // that some zip readers extract but pip does not.
  std::vector<std::string> hidden_local_names;
  uint64_t prefix_bytes = 0;   // bytes before the first listed local header
  uint64_t total_uncompressed = 0;
};

// Parses the end-of-central-directory record (zip64 too), the central
// directory and the local headers it points at. At most `max_entries` are
// read. False with *err on a truncated or inconsistent structure.
bool ParseZipStructure(std::string_view data, uint64_t max_entries,
                       ZipStructure* out, std::string* err);

}  // namespace pyward
