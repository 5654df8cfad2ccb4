// Recognising artifact formats by their bytes, never by the file name.
#pragma once

#include <string_view>

namespace pyward {

enum class ContainerFormat {
  kUnknown,
  kZip,    // zip, wheel, egg
  kGzip,   // usually .tar.gz
  kBzip2,
  kXz,
  kZstd,
  kLzma,
  kTar,    // uncompressed tar
};

// Identifies the container format from the leading bytes of `data`.
ContainerFormat DetectFormat(std::string_view data);
std::string_view FormatName(ContainerFormat f);
// True for formats the archive reader can open (everything but kUnknown).
inline bool IsArchive(ContainerFormat f) { return f != ContainerFormat::kUnknown; }

}  // namespace pyward
