#include "support/test_archives.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <stdexcept>

#include "util/utf8_locale.h"

namespace pyward::testing {
namespace {

int Write(struct archive* a, const std::vector<Entry>& entries) {
  for (const Entry& e : entries) {
    struct archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_mtime(ae, 1700000000, 0);
    switch (e.type) {
      case Entry::kFile:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
        break;
      case Entry::kDir:
        archive_entry_set_filetype(ae, AE_IFDIR);
        archive_entry_set_perm(ae, 0755);
        break;
      case Entry::kSymlink:
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_symlink(ae, e.link.c_str());
        break;
      case Entry::kHardlink:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_hardlink(ae, e.link.c_str());
        break;
      case Entry::kCharDevice:
        archive_entry_set_filetype(ae, AE_IFCHR);
        archive_entry_set_rdev(ae, 0x0103);
        break;
      case Entry::kFifo:
        archive_entry_set_filetype(ae, AE_IFIFO);
        break;
    }
    if (archive_write_header(a, ae) != ARCHIVE_OK) {
      archive_entry_free(ae);
      throw std::runtime_error(archive_error_string(a));
    }
    if (e.type == Entry::kFile && !e.data.empty())
      archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(ae);
  }
  return 0;
}

std::string Finish(struct archive* a, std::vector<char>& buf, const size_t* used) {
  archive_write_close(a);  // flushes: *used is final only after this
  archive_write_free(a);
  return std::string(buf.data(), *used);
}

}  // namespace

std::string MakeTar(const std::vector<Entry>& entries, Compression c) {
  // Test paths are UTF-8; the pax writer converts names from the thread's
  // locale, which in tests is "C" (ASCII only).
  ScopedUtf8Locale utf8;
  std::vector<char> buf(64 << 20);
  size_t used = 0;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  switch (c) {
    case Compression::kNone: break;
    case Compression::kGzip: archive_write_add_filter_gzip(a); break;
    case Compression::kBzip2: archive_write_add_filter_bzip2(a); break;
    case Compression::kXz: archive_write_add_filter_xz(a); break;
  }
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  Write(a, entries);
  return Finish(a, buf, &used);
}

std::string MakeZip(const std::vector<Entry>& entries, const std::string& password) {
  std::vector<char> buf(64 << 20);
  size_t used = 0;
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (!password.empty()) {
    archive_write_set_options(a, "zip:encryption=traditional");
    archive_write_set_passphrase(a, password.c_str());
  }
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  Write(a, entries);
  return Finish(a, buf, &used);
}

namespace {
void Put16(std::string& s, uint32_t v) {
  s.push_back(char(v & 0xff));
  s.push_back(char((v >> 8) & 0xff));
}
void Put32(std::string& s, uint32_t v) {
  Put16(s, v & 0xffff);
  Put16(s, v >> 16);
}
constexpr uint16_t kUtf8NamesFlag = 1 << 11;
std::string LocalHeader(const Entry& e, uint32_t crc, uint16_t flags) {
  std::string s;
  Put32(s, 0x04034b50);
  Put16(s, 20);
  Put16(s, flags);
  Put16(s, 0);  // stored
  Put16(s, 0);
  Put16(s, 0x21);
  Put32(s, crc);
  Put32(s, uint32_t(e.data.size()));
  Put32(s, uint32_t(e.data.size()));
  Put16(s, uint16_t(e.path.size()));
  Put16(s, 0);
  s += e.path;
  s += e.data;
  return s;
}
}  // namespace

std::string MakeRawZip(const std::vector<Entry>& entries,
                       const std::vector<Entry>& hidden, bool utf8_names) {
  const uint16_t flags = utf8_names ? kUtf8NamesFlag : 0;
  std::string out, cd;
  auto crc_of = [](const std::string& d) {
    return uint32_t(crc32(0, reinterpret_cast<const Bytef*>(d.data()), uInt(d.size())));
  };
  for (const Entry& e : hidden) out += LocalHeader(e, crc_of(e.data), flags);
  for (const Entry& e : entries) {
    uint32_t off = uint32_t(out.size());
    uint32_t crc = crc_of(e.data);
    out += LocalHeader(e, crc, flags);
    Put32(cd, 0x02014b50);
    Put16(cd, 20);
    Put16(cd, 20);
    Put16(cd, flags);
    Put16(cd, 0);
    Put16(cd, 0);
    Put16(cd, 0x21);
    Put32(cd, crc);
    Put32(cd, uint32_t(e.data.size()));
    Put32(cd, uint32_t(e.data.size()));
    Put16(cd, uint16_t(e.path.size()));
    Put16(cd, 0);
    Put16(cd, 0);
    Put16(cd, 0);
    Put16(cd, 0);
    Put32(cd, 0);
    Put32(cd, off);
    cd += e.path;
  }
  uint32_t cd_off = uint32_t(out.size());
  out += cd;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, uint16_t(entries.size()));
  Put16(out, uint16_t(entries.size()));
  Put32(out, uint32_t(cd.size()));
  Put32(out, cd_off);
  Put16(out, 0);
  return out;
}

namespace {

// One 512-byte ustar header (typeflag `type`) for `name` (at most 100 bytes).
std::string TarHeader(const std::string& name, size_t size, char type) {
  std::string h(512, '\0');
  h.replace(0, std::min<size_t>(name.size(), 100), name.substr(0, 100));
  auto octal = [&](size_t at, size_t width, uint64_t v) {
    std::string digits(width - 1, '0');
    for (size_t i = width - 1; i-- > 0; v >>= 3) digits[i] = char('0' + (v & 7));
    h.replace(at, width - 1, digits);
  };
  octal(100, 8, 0644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1700000000);
  h[156] = type;
  h.replace(257, 6, std::string("ustar\0", 6));
  h.replace(263, 2, "00");
  h.replace(148, 8, "        ");
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  octal(148, 7, sum);
  return h;
}

void PadTo512(std::string* out) { out->append((512 - out->size() % 512) % 512, '\0'); }

}  // namespace

std::string MakeRawTar(const std::vector<Entry>& entries, bool pax_paths) {
  std::string out;
  for (const Entry& e : entries) {
    std::string name = e.path;
    if (pax_paths) {
      // A record is "<length> path=<bytes>\n", its length counting itself.
      std::string body = " path=" + e.path + "\n";
      size_t len = body.size() + 1;
      while (std::to_string(len).size() + body.size() != len) ++len;
      std::string record = std::to_string(len) + body;
      out += TarHeader("PaxHeaders/x", record.size(), 'x');
      out += record;
      PadTo512(&out);
      name = "placeholder";
    }
    out += TarHeader(name, e.data.size(), '0');
    out += e.data;
    PadTo512(&out);
  }
  out.append(1024, '\0');
  return out;
}

}  // namespace pyward::testing
