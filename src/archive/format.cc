#include "archive/format.h"

namespace pyward {

static bool StartsWith(std::string_view d, std::string_view magic) {
  return d.size() >= magic.size() && d.substr(0, magic.size()) == magic;
}

ContainerFormat DetectFormat(std::string_view d) {
  using namespace std::string_view_literals;
  if (StartsWith(d, "PK\x03\x04"sv) || StartsWith(d, "PK\x05\x06"sv) ||
      StartsWith(d, "PK\x07\x08"sv))
    return ContainerFormat::kZip;
  if (StartsWith(d, "\x1f\x8b"sv)) return ContainerFormat::kGzip;
  if (StartsWith(d, "BZh"sv) && d.size() > 3 && d[3] >= '1' && d[3] <= '9')
    return ContainerFormat::kBzip2;
  if (StartsWith(d, "\xfd" "7zXZ\x00"sv)) return ContainerFormat::kXz;
  if (StartsWith(d, "\x28\xb5\x2f\xfd"sv)) return ContainerFormat::kZstd;
  if (StartsWith(d, "\x5d\x00\x00"sv)) return ContainerFormat::kLzma;
  // POSIX/GNU tar: "ustar" at offset 257.
  if (d.size() >= 512 && d.substr(257, 5) == "ustar") return ContainerFormat::kTar;
  return ContainerFormat::kUnknown;
}

std::string_view FormatName(ContainerFormat f) {
  switch (f) {
    case ContainerFormat::kZip: return "zip";
    case ContainerFormat::kGzip: return "gzip";
    case ContainerFormat::kBzip2: return "bzip2";
    case ContainerFormat::kXz: return "xz";
    case ContainerFormat::kZstd: return "zstd";
    case ContainerFormat::kLzma: return "lzma";
    case ContainerFormat::kTar: return "tar";
    case ContainerFormat::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace pyward
