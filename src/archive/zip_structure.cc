#include "archive/zip_structure.h"

#include <algorithm>
#include <utility>

#include "util/byte_reader.h"
#include "util/strings.h"

namespace pyward {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kMaxHiddenReported = 64;

struct EndRecord {
  uint64_t pos = 0;  // offset of the EOCD record
  uint64_t entries = 0;
  uint64_t cd_size = 0;
  uint64_t cd_offset = 0;
  uint64_t cd_pos = 0;  // where the central directory actually starts
};

// Finds the last EOCD record whose comment length fits the file.
bool FindEnd(const ByteReader& r, EndRecord* end) {
  if (r.size() < 22) return false;
  uint64_t lowest = r.size() > 65557 ? r.size() - 65557 : 0;
  for (uint64_t p = r.size() - 22;; --p) {
    if (r.U32LEAt(p) == kEndSig &&
        p + 22 + r.U16LEAt(p + 20) <= r.size()) {
      end->pos = p;
      end->entries = r.U16LEAt(p + 10);
      end->cd_size = r.U32LEAt(p + 12);
      end->cd_offset = r.U32LEAt(p + 16);
      return true;
    }
    if (p == lowest) return false;
  }
}

void ReadZip64End(const ByteReader& r, EndRecord* end) {
  if (end->pos < 20 || r.U32LEAt(end->pos - 20) != kZip64LocatorSig) return;
  uint64_t z64 = uint64_t(r.U32LEAt(end->pos - 12)) |
                 (uint64_t(r.U32LEAt(end->pos - 8)) << 32);
  if (z64 + 56 > r.size() || r.U32LEAt(z64) != kZip64EndSig) return;
  auto u64 = [&](uint64_t off) {
    return uint64_t(r.U32LEAt(off)) | (uint64_t(r.U32LEAt(off + 4)) << 32);
  };
  end->entries = u64(z64 + 32);
  end->cd_size = u64(z64 + 40);
  end->cd_offset = u64(z64 + 48);
  end->pos = z64;  // the central directory ends before the zip64 record
}

}  // namespace

bool ParseZipStructure(std::string_view data, uint64_t max_entries,
                       ZipStructure* out, std::string* err) {
  try {
    ByteReader r(data);
    EndRecord end;
    if (!FindEnd(r, &end)) {
      *err = "zip end-of-central-directory record not found (truncated or not a zip)";
      return false;
    }
    ReadZip64End(r, &end);
    if (end.cd_size > end.pos) {
      *err = "zip central directory size exceeds the file";
      return false;
    }
    // Data prepended to the zip shifts every offset by the same amount.
    end.cd_pos = end.pos - end.cd_size;
    if (end.cd_offset > end.cd_pos) {
      *err = "zip central directory offset points past its end record";
      return false;
    }
    uint64_t shift = end.cd_pos - end.cd_offset;

    std::vector<std::pair<uint64_t, uint64_t>> covered;  // [begin, end)
    covered.push_back({end.cd_pos, r.size()});
    r.Seek(end.cd_pos);
    while (r.pos() + 4 <= end.pos && r.U32LEAt(r.pos()) == kCentralSig) {
      if (out->entries.size() >= max_entries) {
        *err = "zip lists more than " + std::to_string(max_entries) + " members";
        return false;
      }
      r.Skip(4 + 2 + 2);
      ZipCentralEntry e;
      e.flags = r.U16LE();
      e.method = r.U16LE();
      r.Skip(2 + 2 + 4);
      e.compressed_size = r.U32LE();
      e.uncompressed_size = r.U32LE();
      uint16_t name_len = r.U16LE();
      uint16_t extra_len = r.U16LE();
      uint16_t comment_len = r.U16LE();
      r.Skip(2 + 2 + 4);
      e.local_offset = r.U32LE();
      e.name = std::string(r.Bytes(name_len));
      ByteReader extra(r.Bytes(extra_len));
      r.Skip(comment_len);
      // Zip64 extended information: only the fields that overflowed are present.
      while (extra.remaining() >= 4) {
        uint16_t id = extra.U16LE();
        uint16_t len = extra.U16LE();
        ByteReader field(extra.Bytes(len));
        if (id != 1) continue;
        if (e.uncompressed_size == 0xFFFFFFFF && field.remaining() >= 8)
          e.uncompressed_size = field.U64LE();
        if (e.compressed_size == 0xFFFFFFFF && field.remaining() >= 8)
          e.compressed_size = field.U64LE();
        if (e.local_offset == 0xFFFFFFFF && field.remaining() >= 8)
          e.local_offset = field.U64LE();
      }
      e.local_offset += shift;
      // Cover the local header and the data it announces.
      if (e.local_offset + 30 <= r.size() && r.U32LEAt(e.local_offset) == kLocalSig) {
        uint64_t data_start = e.local_offset + 30 + r.U16LEAt(e.local_offset + 26) +
                              r.U16LEAt(e.local_offset + 28);
        uint64_t data_end = data_start + e.compressed_size;
        if (e.flags & 8) data_end += 24;  // data descriptor, at most 24 bytes
        covered.push_back({e.local_offset, std::min<uint64_t>(data_end, r.size())});
      }
      out->total_uncompressed += e.uncompressed_size;
      out->entries.push_back(std::move(e));
    }
    out->prefix_bytes = out->entries.empty() ? 0 : r.size();
    for (const auto& e : out->entries)
      out->prefix_bytes = std::min(out->prefix_bytes, e.local_offset);

    // Any local header signature outside the covered ranges is hidden data.
    std::sort(covered.begin(), covered.end());
    uint64_t cursor = 0;
    auto scan_gap = [&](uint64_t b, uint64_t e) {
      std::string_view gap = data.substr(b, e - b);
      size_t p = 0;
      while ((p = gap.find("PK\x03\x04", p)) != std::string_view::npos) {
        uint64_t off = b + p;
        if (off + 30 <= r.size() && out->hidden_local_names.size() < kMaxHiddenReported) {
          uint16_t n = r.U16LEAt(off + 26);
          std::string_view name =
              off + 30 + n <= r.size() ? r.BytesAt(off + 30, n) : std::string_view();
          out->hidden_local_names.push_back(Printable(name, 200));
        }
        p += 4;
      }
    };
    for (const auto& [b, e] : covered) {
      if (b > cursor) scan_gap(cursor, b);
      cursor = std::max(cursor, e);
    }
    if (cursor < r.size()) scan_gap(cursor, r.size());
    return true;
  } catch (const InputError& e) {
    *err = std::string("zip structure: ") + e.what();
    return false;
  }
}

}  // namespace pyward
