#include "audit/environment.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "util/file_util.h"
#include "util/strings.h"

namespace fs = std::filesystem;

namespace pyward {
namespace {

constexpr uint64_t kMaxMetadataBytes = 16u << 20;
constexpr uint64_t kMaxRecordBytes = 64u << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Name and Version headers of a METADATA / PKG-INFO text (RFC 822 style;
// the headers end at the first empty line).
struct CoreMetadata {
  std::string name, version;
  int version_line = 0;
};

CoreMetadata ParseCoreMetadata(std::string_view text) {
  CoreMetadata m;
  int line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(
        pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty()) break;  // end of headers
    size_t colon = l.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = ToLower(Trim(l.substr(0, colon)));
    std::string_view value = Trim(l.substr(colon + 1));
    if (key == "name" && m.name.empty()) m.name = std::string(value);
    if (key == "version" && m.version.empty()) {
      m.version = std::string(value);
      m.version_line = line;
    }
  }
  return m;
}

// "<name>-<version>.dist-info" -> name, version (best effort).
void SplitInfoName(std::string_view folder, std::string* name,
                   std::string* version) {
  size_t dot = folder.rfind('.');
  std::string_view stem = folder.substr(0, dot);
  size_t dash = stem.find('-');
  *name = std::string(stem.substr(0, dash));
  *version =
      dash == std::string_view::npos ? "" : std::string(stem.substr(dash + 1));
  // Legacy egg-info names may carry "-py3.11" after the version.
  size_t py = version->find("-py");
  if (py != std::string::npos) version->resize(py);
}

const EVP_MD* DigestByName(std::string_view algo) {
  if (algo == "sha256") return EVP_sha256();
  if (algo == "sha384") return EVP_sha384();
  if (algo == "sha512") return EVP_sha512();
  if (algo == "sha224") return EVP_sha224();
  return nullptr;
}

// Digest of the regular file `path` (opened without blocking on FIFOs).
// False with *why when it cannot be read or is not a regular file.
bool DigestFile(const std::string& path, const EVP_MD* md, std::string* digest,
                std::string* why) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *why = "cannot be opened";
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *why = "is not a regular file";
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      *why = "cannot be read";
      return false;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf, static_cast<size_t>(n));
  }
  ::close(fd);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  digest->assign(reinterpret_cast<char*>(out), len);
  return true;
}

std::string HexOf(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool IsInside(const fs::path& p, const fs::path& root) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (r->empty()) continue;  // trailing separator
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

struct Walker {
  fs::path root;       // `dir` as given
  fs::path real_root;  // its canonical form
  DependencySet* out;

  void Problem(const std::string& file, int line, const char* rule,
               const std::string& message) {
    out->problems.push_back(InputProblem{file, line, rule, message});
  }

  // Checks the RECORD of the distribution at `info` (site_rel: the site
  // folder relative to root, "" when it is the root).
  void CheckRecord(const fs::path& info, const std::string& site_rel) {
    fs::path record = info / "RECORD";
    std::string text, err;
    std::error_code ec;
    if (!fs::is_regular_file(record, ec))
      return;  // no RECORD: nothing to check
    std::string rec_name = record.string();
    if (!ReadFile(rec_name, kMaxRecordBytes, &text, &err)) {
      Problem(rec_name, 0, "record-malformed", err);
      return;
    }
    for (const CsvRow& row : ParseCsv(text)) {
      if (row.fields.size() < 2 || row.fields[1].empty()) continue;
      std::string rel_path = row.fields[0];
      std::replace(rel_path.begin(), rel_path.end(), '\\', '/');
      const std::string& hash = row.fields[1];
      std::string shown = Printable(rel_path, 200);
      size_t eq = hash.find('=');
      if (eq == std::string::npos || eq == 0) {
        Problem(rec_name, row.line, "record-malformed",
                shown + ": hash field '" + Printable(hash, 80) +
                    "' is not <algorithm>=<digest>");
        continue;
      }
      std::string algo = ToLower(hash.substr(0, eq));
      std::string expected = hash.substr(eq + 1);
      while (!expected.empty() && expected.back() == '=') expected.pop_back();
      const EVP_MD* md = DigestByName(algo);
      if (!md) {
        Problem(rec_name, row.line, "record-hash-unsupported",
                shown + ": hash algorithm '" + Printable(algo, 40) +
                    "' is not checked");
        continue;
      }
      // Absolute paths are accepted only when they lie inside the root.
      std::string norm;
      bool ok;
      if (!rel_path.empty() && rel_path[0] == '/') {
        fs::path abs = fs::path(rel_path).lexically_normal();
        ok = IsInside(abs, root.lexically_normal()) || IsInside(abs, real_root);
        if (ok) {
          fs::path base =
              IsInside(abs, real_root) ? real_root : root.lexically_normal();
          norm = abs.lexically_relative(base).generic_string();
          if (norm == ".") norm.clear();
        }
      } else {
        ok = NormalizeRelativePath(site_rel, rel_path, &norm);
      }
      if (!ok || norm.empty()) {
        Problem(rec_name, row.line, "record-path-outside-root",
                shown + ": the path leaves the environment " +
                    Printable(root.string(), 200) + " and was not checked");
        continue;
      }
      fs::path target = root / norm;
      if (!fs::exists(fs::symlink_status(target, ec))) {
        Problem(rec_name, row.line, "record-file-missing",
                shown + ": listed in RECORD with a hash but absent");
        continue;
      }
      fs::path real = fs::weakly_canonical(target, ec);
      if (ec || !IsInside(real, real_root)) {
        Problem(rec_name, row.line, "record-path-outside-root",
                shown +
                    ": resolves (through a symlink) outside the environment "
                    "and was not checked");
        continue;
      }
      if (!fs::exists(real, ec)) {
        Problem(rec_name, row.line, "record-file-missing",
                shown + ": a dangling symlink");
        continue;
      }
      std::string digest, why;
      if (!DigestFile(real.string(), md, &digest, &why)) {
        Problem(rec_name, row.line, "record-hash-mismatch", shown + " " + why);
        continue;
      }
      std::string actual = UrlSafeBase64NoPad(digest);
      // Some packagers (seen in Debian's dist-packages) write hex digests;
      // a hex digest that matches is no tampering.
      if (actual != expected && ToLower(expected) != HexOf(digest)) {
        Problem(rec_name, row.line, "record-hash-mismatch",
                shown + ": content differs from RECORD (" + algo + "=" +
                    Printable(expected, 100) + ", file has " + algo + "=" +
                    actual + ")");
      }
    }
  }

  // Reads one *.dist-info / *.egg-info entry; false when it is not one.
  void ReadDistribution(const fs::path& entry, const std::string& site_rel) {
    std::string folder = entry.filename().string();
    bool dist_info = EndsWith(folder, ".dist-info");
    std::error_code ec;
    bool is_dir = fs::is_directory(entry, ec);
    fs::path meta_path;
    if (dist_info) {
      meta_path = entry / "METADATA";
    } else {
      meta_path = is_dir ? entry / "PKG-INFO" : entry;
    }
    DeclaredDependency d;
    std::string text, err;
    CoreMetadata m;
    if (fs::is_regular_file(meta_path, ec) &&
        ReadFile(meta_path.string(), kMaxMetadataBytes, &text, &err)) {
      m = ParseCoreMetadata(text);
    } else if (dist_info) {
      Problem(entry.string(), 0, "metadata-missing",
              Printable(folder, 200) + " has no readable METADATA");
    }
    std::string folder_name, folder_version;
    SplitInfoName(folder, &folder_name, &folder_version);
    d.name = m.name.empty() ? folder_name : m.name;
    std::string version = m.version.empty() ? folder_version : m.version;
    if (!version.empty()) {
      d.version = version;
      d.specifier = "==" + version;
    }
    d.file = meta_path.string();
    d.line = m.version_line;
    if (dist_info) {
      std::string du;
      fs::path du_path = entry / "direct_url.json";
      if (fs::is_regular_file(du_path, ec) &&
          ReadFile(du_path.string(), kMaxMetadataBytes, &du, &err)) {
        nlohmann::json j = nlohmann::json::parse(du, nullptr, false);
        if (j.is_object()) {
          auto u = j.find("url");
          if (u != j.end() && u->is_string()) d.url = u->get<std::string>();
          auto di = j.find("dir_info");
          if (di != j.end() && di->is_object()) {
            auto e = di->find("editable");
            d.editable = e != di->end() && e->is_boolean() && e->get<bool>();
          }
          auto vi = j.find("vcs_info");
          if (vi != j.end() && vi->is_object() && !d.url.empty()) {
            auto vcs = vi->find("vcs");
            auto commit = vi->find("commit_id");
            if (vcs != vi->end() && vcs->is_string() &&
                d.url.rfind(vcs->get<std::string>() + "+", 0) != 0)
              d.url = vcs->get<std::string>() + "+" + d.url;
            if (commit != vi->end() && commit->is_string())
              d.url += "@" + commit->get<std::string>();
          }
        }
      }
    }
    out->dependencies.push_back(std::move(d));
    if (dist_info && is_dir) CheckRecord(entry, site_rel);
  }

  // Reads every distribution directly inside `site`; the count read.
  int ReadSite(const fs::path& site, const std::string& site_rel) {
    std::vector<std::string> names;
    std::string err;
    if (!ListDir(site.string(), &names, &err)) return 0;
    int n = 0;
    for (const std::string& name : names) {
      if (!EndsWith(name, ".dist-info") && !EndsWith(name, ".egg-info"))
        continue;
      fs::path entry = site / name;
      std::error_code ec;
      if (EndsWith(name, ".dist-info") && !fs::is_directory(entry, ec))
        continue;
      ReadDistribution(entry, site_rel);
      ++n;
    }
    return n;
  }
};

bool HasDistributions(const fs::path& dir) {
  std::vector<std::string> names;
  std::string err;
  if (!ListDir(dir.string(), &names, &err)) return false;
  for (const std::string& n : names)
    if (EndsWith(n, ".dist-info") || EndsWith(n, ".egg-info")) return true;
  return false;
}

}  // namespace

std::vector<CsvRow> ParseCsv(std::string_view text) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false, any = false;
  int line = 1;
  row.line = 1;
  size_t i = 0;
  auto end_row = [&] {
    if (any || !field.empty() || !row.fields.empty()) {
      row.fields.push_back(std::move(field));
      rows.push_back(std::move(row));
    }
    row = CsvRow{};
    field.clear();
    any = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      ++i;
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      end_row();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      row.line = line;
    } else {
      field.push_back(c);
      any = true;
    }
    ++i;
  }
  end_row();
  return rows;
}

std::string UrlSafeBase64NoPad(std::string_view bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = b(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

bool NormalizeRelativePath(std::string_view base, std::string_view rel,
                           std::string* out) {
  if (!rel.empty() && (rel[0] == '/' || rel[0] == '\\')) return false;
  if (rel.size() >= 2 && rel[1] == ':') return false;  // C:...
  std::vector<std::string_view> parts;
  for (std::string_view whole : {base, rel}) {
    for (std::string_view p : Split(whole, '/')) {
      if (p.empty() || p == ".") continue;
      if (p == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
        continue;
      }
      parts.push_back(p);
    }
  }
  out->clear();
  for (std::string_view p : parts) {
    if (!out->empty()) out->push_back('/');
    out->append(p);
  }
  return true;
}

bool ReadEnvironment(const std::string& dir, DependencySet* out,
                     std::string* err) {
  std::error_code ec;
  fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    *err = "cannot read environment " + dir + ": not a directory";
    return false;
  }
  fs::path real_root = fs::canonical(root, ec);
  if (ec) {
    *err = "cannot read environment " + dir + ": " + ec.message();
    return false;
  }
  std::vector<std::string> top;
  if (!ListDir(dir, &top, err)) return false;

  // The site folders: the root itself, or those of a venv / prefix.
  std::vector<std::pair<fs::path, std::string>> sites;  // path, relative
  if (HasDistributions(root)) {
    sites.emplace_back(root, "");
  } else {
    std::set<fs::path> seen;
    auto add = [&](const std::string& rel) {
      fs::path p = root / rel;
      fs::path real = fs::canonical(p, ec);
      if (ec || !fs::is_directory(real, ec) || !IsInside(real, real_root))
        return;
      if (seen.insert(real).second) sites.emplace_back(p, rel);
    };
    for (const std::string& lib : top) {
      if (lib == "Lib") add("Lib/site-packages");
      if (lib.rfind("lib", 0) != 0) continue;
      std::vector<std::string> pys;
      std::string ignored;
      if (!ListDir((root / lib).string(), &pys, &ignored)) continue;
      for (const std::string& py : pys) {
        if (py.rfind("python", 0) != 0 && py.rfind("pypy", 0) != 0) continue;
        add(lib + "/" + py + "/site-packages");
        add(lib + "/" + py + "/dist-packages");
      }
      add(lib + "/site-packages");
    }
  }
  Walker w{root, real_root, out};
  int count = 0;
  for (const auto& [site, rel] : sites) count += w.ReadSite(site, rel);
  if (count == 0) {
    *err = "cannot read environment " + dir +
           ": no installed distribution (*.dist-info or *.egg-info) found";
    return false;
  }
  return true;
}

}  // namespace pyward
