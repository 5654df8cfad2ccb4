#include "archive/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <utility>

#include "archive/zip_structure.h"
#include "util/strings.h"
#include "util/utf8_locale.h"

namespace pyward {
namespace {

// General-purpose flag bit 11 of a zip entry: its name is UTF-8.
constexpr uint16_t kZipUtf8Flag = 1 << 11;

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

std::string LibError(struct archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unknown libarchive error";
}

std::string Describe(ContainerFormat f) {
  return std::string(FormatName(f));
}

Finding Anomaly(std::string rule, Severity sev, std::string file,
                std::string message, std::string evidence = "") {
  Finding f;
  f.rule = std::move(rule);
  f.severity = sev;
  f.phase = Phase::kNone;
  f.file = std::move(file);
  f.message = std::move(message);
  f.evidence = std::move(evidence);
  return f;
}

// The path extracting the member writes to: "." segments and repeated
// slashes dropped ("./a/b", "a/./b" and "a//b" all write a/b), so no
// spelling keeps setup.py from the role it plays. A leading slash and ".."
// segments stay, for the traversal checks.
std::string CleanPath(std::string_view p) {
  // Most paths hold no "." segment and no empty one: as they are.
  bool dot_start = p == "." || p.substr(0, 2) == "./";
  if (!dot_start && p.find("//") == std::string_view::npos &&
      p.find("/./") == std::string_view::npos && (p.size() < 2 || p.substr(p.size() - 2) != "/."))
    return std::string(p.substr(0, p.size() > 1 && p.back() == '/' ? p.size() - 1 : p.size()));
  std::string out;
  out.reserve(p.size());
  if (!p.empty() && p[0] == '/') out += '/';
  for (std::string_view seg : Split(p, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (!out.empty() && out.back() != '/') out += '/';
    out += seg;
  }
  return out;
}

// Opens libarchive on `data` for the detected format.
bool Open(std::string_view data, ContainerFormat fmt, const ArchiveOptions& opts,
          ArchivePtr* out, std::string* err) {
  ArchivePtr a(archive_read_new());
  if (!a) {
    *err = "out of memory";
    return false;
  }
  if (fmt == ContainerFormat::kZip) {
    // Central-directory reading, as pip does; local headers are not trusted.
    archive_read_support_format_zip_seekable(a.get());
  } else {
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
  }
  if (!opts.passphrase.empty())
    archive_read_add_passphrase(a.get(), opts.passphrase.c_str());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK) {
    *err = "cannot open " + Describe(fmt) + " archive: " + LibError(a.get());
    return false;
  }
  *out = std::move(a);
  return true;
}

// Reads the next entry's header into *m (data not yet read). Returns
// ARCHIVE_EOF at the end, ARCHIVE_OK otherwise; false on error. *size is the
// size the header declares (0 when it declares none): a hint, not trusted.
// *name_lost says libarchive gave the entry no name (a zip name flagged
// UTF-8 that is not): m->path is then empty.
bool NextHeader(struct archive* a, ArchiveMember* m, bool* eof, uint64_t* size, bool* name_lost,
                std::string* err) {
  struct archive_entry* entry = nullptr;
  int r = archive_read_next_header(a, &entry);
  if (r == ARCHIVE_EOF) {
    *eof = true;
    return true;
  }
  if (r < ARCHIVE_WARN) {
    *err = "corrupt or truncated archive: " + LibError(a);
    return false;
  }
  *eof = false;
  *size = archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0
              ? static_cast<uint64_t>(archive_entry_size(entry))
              : 0;
  const char* name = archive_entry_pathname(entry);
  *name_lost = name == nullptr;
  m->path = CleanPath(name ? name : "");
  m->data.clear();
  m->link_target.clear();
  m->container.clear();
  if (const char* hl = archive_entry_hardlink(entry)) {
    m->kind = MemberKind::kHardlink;
    m->link_target = hl;
    return true;
  }
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG: m->kind = MemberKind::kFile; break;
    case AE_IFDIR: m->kind = MemberKind::kDirectory; break;
    case AE_IFLNK: {
      m->kind = MemberKind::kSymlink;
      const char* t = archive_entry_symlink(entry);
      m->link_target = t ? t : "";
      break;
    }
    default: m->kind = MemberKind::kSpecial; break;
  }
  return true;
}

// Reads the current entry's data into m->data within the limits. Room for
// `size_hint` bytes (the header's word, capped) is made up front, and given
// back when the data falls short of it.
bool ReadData(struct archive* a, const ArchiveLimits& lim, uint64_t size_hint, uint64_t* total,
              ArchiveMember* m, std::string* err) {
  constexpr uint64_t kMaxReserve = 16 << 20;
  m->data.reserve(std::min({size_hint, lim.max_member_bytes, kMaxReserve}));
  // Blocks straight from libarchive's buffers (one copy, not two through a
  // scratch buffer); holes of sparse entries read as zeros, as
  // archive_read_data gives them.
  for (;;) {
    const void* block = nullptr;
    size_t n = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(a, &block, &n, &offset);
    if (r == ARCHIVE_EOF) {
      if (m->data.capacity() > m->data.size() + (64 << 10)) m->data.shrink_to_fit();
      return true;
    }
    if (r < ARCHIVE_OK) {
      *err = "cannot read member " + Printable(m->path, 200) + ": " + LibError(a);
      return false;
    }
    if (offset < 0 || static_cast<uint64_t>(offset) < m->data.size()) {
      *err = "cannot read member " + Printable(m->path, 200) +
             ": Encountered out-of-order sparse blocks";
      return false;
    }
    uint64_t hole = static_cast<uint64_t>(offset) - m->data.size();
    uint64_t grow = hole + n;
    if (m->data.size() + grow > lim.max_member_bytes) {
      *err = "member " + Printable(m->path, 200) + " is larger than the limit of " +
             std::to_string(lim.max_member_bytes) + " bytes (--max-member-bytes)";
      return false;
    }
    *total += grow;
    if (*total > lim.max_total_bytes) {
      *err = "archive expands to more than the limit of " +
             std::to_string(lim.max_total_bytes) + " bytes (--max-bytes)";
      return false;
    }
    if (hole) m->data.append(static_cast<size_t>(hole), '\0');
    m->data.append(static_cast<const char*>(block), n);
  }
}

bool CheckRatio(const ArchiveLimits& lim, uint64_t total, uint64_t compressed,
                std::string* err) {
  if (total <= lim.ratio_floor_bytes || compressed == 0) return true;
  if (total / compressed > lim.max_ratio) {
    *err = "compression ratio above the limit of " + std::to_string(lim.max_ratio) +
           " (" + std::to_string(total) + " bytes from " + std::to_string(compressed) +
           "; a decompression bomb?) (--max-ratio)";
    return false;
  }
  return true;
}

struct ReadState {
  const ArchiveOptions* opts;
  uint64_t total = 0;        // uncompressed bytes over all nesting levels
  uint64_t compressed = 0;   // the artifact's own size
  uint64_t members = 0;
};

bool ReadLevel(std::string_view data, const std::string& container, int depth,
               ReadState* st, Archive* out, std::string* err);

// Opens nested archives among the members added since `first`.
void OpenNested(size_t first, int depth, ReadState* st, Archive* out) {
  size_t end = out->members.size();
  for (size_t i = first; i < end; ++i) {
    if (out->members[i].kind != MemberKind::kFile) continue;
    ContainerFormat f = DetectFormat(out->members[i].data);
    if (!IsArchive(f)) continue;
    std::string full = out->members[i].FullPath();
    if (depth + 1 > st->opts->limits.max_depth) {
      out->anomalies.push_back(Anomaly(
          "archive-nesting-too-deep", Severity::kMedium, full,
          "nested archive not opened: deeper than the limit of " +
              std::to_string(st->opts->limits.max_depth) + " (--max-depth)"));
      continue;
    }
    // Copy: ReadLevel appends to out->members and may reallocate.
    std::string inner = out->members[i].data;
    std::string nested_err;
    size_t before = out->members.size();
    if (!ReadLevel(inner, full + "!/", depth + 1, st, out, &nested_err)) {
      out->members.resize(before);
      out->anomalies.push_back(Anomaly(
          "archive-nested-unreadable", Severity::kLow, full,
          "nested " + Describe(f) + " data could not be read: " + nested_err));
    }
  }
}

bool ReadLevel(std::string_view data, const std::string& container, int depth,
               ReadState* st, Archive* out, std::string* err) {
  ContainerFormat fmt = DetectFormat(data);
  if (!IsArchive(fmt)) {
    *err = "not an archive format pyward reads";
    return false;
  }
  ZipStructure zs;
  // Names the central directory flags as UTF-8 that are not, in the order
  // libarchive reads members (by local header offset): it gives them no
  // name at all.
  std::vector<const ZipCentralEntry*> bad_names;
  if (fmt == ContainerFormat::kZip) {
    if (!ParseZipStructure(data, st->opts->limits.max_members, &zs, err)) return false;
    for (const ZipCentralEntry& e : zs.entries)
      if ((e.flags & kZipUtf8Flag) && !IsValidUtf8(e.name)) bad_names.push_back(&e);
    std::stable_sort(bad_names.begin(), bad_names.end(),
                     [](const ZipCentralEntry* x, const ZipCentralEntry* y) {
                       return x->local_offset < y->local_offset;
                     });
    for (const std::string& hidden : zs.hidden_local_names) {
      out->anomalies.push_back(Anomaly(
          "archive-hidden-zip-entry", Severity::kHigh,
          container.empty() ? std::string() : container.substr(0, container.size() - 2),
          "zip holds a local file header that its central directory does not list: "
          "data pip would not see but other unzip tools extract",
          hidden));
    }
  }
  ArchivePtr a;
  if (!Open(data, fmt, *st->opts, &a, err)) return false;
  size_t first = out->members.size();
  std::unordered_map<std::string, int> seen;
  size_t next_bad = 0, lost = 0;
  for (;;) {
    ArchiveMember m;
    bool eof = false, name_lost = false;
    uint64_t size_hint = 0;
    if (!NextHeader(a.get(), &m, &eof, &size_hint, &name_lost, err)) return false;
    if (eof) break;
    if (name_lost) {
      // The member is kept (other unzip tools extract it) under its stored
      // name with the invalid bytes shown as \xNN, so its code is read.
      const ZipCentralEntry* e = next_bad < bad_names.size() ? bad_names[next_bad] : nullptr;
      if (e && (size_hint == 0 || size_hint == e->uncompressed_size)) {
        ++next_bad;
        m.path = CleanPath(Printable(e->name, e->name.size() + 1));
      } else {
        m.path = "<unreadable name " + std::to_string(++lost) + ">";
      }
      out->anomalies.push_back(Anomaly(
          "archive-invalid-name", Severity::kMedium, container + m.path,
          "the zip says this member's name is UTF-8 but it is not (invalid bytes shown as \\xNN): "
          "pip refuses the whole archive while other unzip tools extract the member"));
    } else if (fmt != ContainerFormat::kZip && !IsValidUtf8(m.path)) {
      out->anomalies.push_back(Anomaly(
          "archive-invalid-name", Severity::kLow, container + m.path,
          "the member's name is not UTF-8: it is extracted under raw bytes that no import "
          "statement can name"));
    }
    if (++st->members > st->opts->limits.max_members) {
      *err = "archive has more than the limit of " +
             std::to_string(st->opts->limits.max_members) + " members (--max-members)";
      return false;
    }
    m.container = container;
    if (m.kind == MemberKind::kFile &&
        !ReadData(a.get(), st->opts->limits, size_hint, &st->total, &m, err))
      return false;
    if (!CheckRatio(st->opts->limits, st->total, st->compressed, err)) return false;
    CheckMemberPath(m, &out->anomalies);
    if (m.kind != MemberKind::kDirectory && ++seen[m.path] == 2) {
      out->anomalies.push_back(Anomaly(
          "archive-duplicate-member", Severity::kMedium, m.FullPath(),
          "the archive holds this member name more than once: tools disagree on "
          "which copy wins"));
    }
    if (m.kind == MemberKind::kDirectory) continue;
    out->members.push_back(std::move(m));
  }
  if (depth == 0) out->format = fmt;
  OpenNested(first, depth, st, out);
  return true;
}

}  // namespace

void CheckMemberPath(const ArchiveMember& m, std::vector<Finding>* out) {
  auto escapes = [](std::string_view base_dir, std::string_view target) {
    if (!target.empty() && (target[0] == '/' || target[0] == '\\')) return true;
    if (target.size() >= 2 && target[1] == ':') return true;
    int depth = 0;
    for (std::string_view part : Split(base_dir, '/')) {
      if (part.empty() || part == ".") continue;
      depth += part == ".." ? -1 : 1;
    }
    for (std::string_view part : Split(target, '/')) {
      for (std::string_view p2 : Split(part, '\\')) {
        if (p2.empty() || p2 == ".") continue;
        depth += p2 == ".." ? -1 : 1;
        if (depth < 0) return true;
      }
    }
    return false;
  };
  std::string full = m.FullPath();
  if (!m.path.empty() && (m.path[0] == '/' || m.path[0] == '\\' ||
                          (m.path.size() >= 2 && m.path[1] == ':'))) {
    out->push_back(Anomaly("archive-absolute-path", Severity::kHigh, full,
                           "member has an absolute path: extracting it writes "
                           "outside the target folder"));
  } else if (escapes("", m.path)) {
    out->push_back(Anomaly("archive-path-traversal", Severity::kHigh, full,
                           "member path climbs out of the archive with '..'"));
  }
  if (m.kind == MemberKind::kSymlink || m.kind == MemberKind::kHardlink) {
    std::string_view dir = m.path;
    size_t slash = dir.rfind('/');
    dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
    // Hard link targets are archive paths; symlink targets are relative to
    // the link's folder.
    bool out_of_root = m.kind == MemberKind::kHardlink
                           ? escapes("", m.link_target)
                           : escapes(dir, m.link_target);
    if (out_of_root) {
      out->push_back(Anomaly("archive-link-outside", Severity::kHigh, full,
                             "link points outside the archive", Printable(m.link_target, 200)));
    }
  }
  if (m.kind == MemberKind::kSpecial) {
    out->push_back(Anomaly("archive-special-file", Severity::kMedium, full,
                           "device node, FIFO or socket in a package archive"));
  }
}

bool ReadArchive(std::string_view data, const ArchiveOptions& opts,
                 Archive* out, std::string* err) {
  // Member names as UTF-8, the way pip reads them: a module named outside
  // ASCII (importable under PEP 3131) must reach every check.
  ScopedUtf8Locale utf8_names;
  ReadState st;
  st.opts = &opts;
  st.compressed = data.size();
  if (!ReadLevel(data, "", 0, &st, out, err)) return false;
  out->total_bytes = st.total;
  return true;
}

bool ForEachArchiveFile(std::string_view data, const ArchiveOptions& opts,
                        const std::function<bool(ArchiveMember&)>& fn,
                        uint64_t* skipped, std::string* err) {
  ContainerFormat fmt = DetectFormat(data);
  if (!IsArchive(fmt)) {
    *err = "not an archive format pyward reads";
    return false;
  }
  ScopedUtf8Locale utf8_names;  // as in ReadArchive
  ArchivePtr a;
  if (!Open(data, fmt, opts, &a, err)) return false;
  *skipped = 0;
  for (;;) {
    ArchiveMember m;
    bool eof = false, name_lost = false;
    uint64_t size_hint = 0;
    if (!NextHeader(a.get(), &m, &eof, &size_hint, &name_lost, err)) return false;
    if (eof) return true;
    if (name_lost) m.path = "<unreadable name>";
    if (m.kind == MemberKind::kDirectory) continue;
    if (m.kind != MemberKind::kFile) {
      ++*skipped;
      continue;
    }
    uint64_t total = 0;
    if (!ReadData(a.get(), opts.limits, size_hint, &total, &m, err)) return false;
    if (!fn(m)) return true;
  }
}

}  // namespace pyward
