#include "audit/advisory_db.h"

#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>

#include <cstdlib>
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <unordered_map>

#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {

namespace {

constexpr uint64_t kMaxJsonBytes = 32ull << 20;
constexpr size_t kMaxErrorsKept = 5;

const char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS advisory(
  id TEXT PRIMARY KEY, group_id TEXT, aliases TEXT, summary TEXT,
  severity TEXT, vectors TEXT, modified TEXT, published TEXT,
  malicious INTEGER);
CREATE TABLE IF NOT EXISTS affected(
  advisory_id TEXT, package TEXT, ranges TEXT, versions TEXT,
  version_keys TEXT);
CREATE INDEX IF NOT EXISTS affected_package ON affected(package);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory_id);
CREATE TABLE IF NOT EXISTS source(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, imported_at INTEGER,
  imported INTEGER, withdrawn INTEGER);
)sql";

std::string Join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::vector<std::string> SplitNonEmpty(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  out.reserve(static_cast<size_t>(std::count(s.begin(), s.end(), sep)) + 1);
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, p - start));
    start = p + 1;
  }
}

std::string_view ColView(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? std::string_view(reinterpret_cast<const char*>(t),
                              sqlite3_column_bytes(s, i))
           : std::string_view();
}

bool Clean(std::string_view s) {
  return s.find('\t') == std::string_view::npos &&
         s.find('\n') == std::string_view::npos;
}

// One range per line: TYPE<TAB>i=v<TAB>f=v<TAB>l=v<TAB>x=v ...
std::string EncodeRanges(const std::vector<OsvRange>& ranges) {
  std::string out;
  static const char kKind[] = {'i', 'f', 'l', 'x'};
  for (const OsvRange& r : ranges) {
    if (!Clean(r.type)) continue;
    if (!out.empty()) out += '\n';
    out += r.type;
    for (const OsvEvent& e : r.events) {
      if (!Clean(e.version)) continue;
      out += '\t';
      out += kKind[e.kind];
      out += '=';
      out += e.version;
    }
  }
  return out;
}

std::vector<OsvRange> DecodeRanges(std::string_view s) {
  std::vector<OsvRange> out;
  if (s.empty()) return out;
  for (std::string_view line : Split(s, '\n')) {
    std::vector<std::string_view> f = Split(line, '\t');
    OsvRange r;
    r.type = std::string(f[0]);
    for (size_t i = 1; i < f.size(); ++i) {
      if (f[i].size() < 2) continue;
      OsvEvent::Kind k = f[i][0] == 'i'   ? OsvEvent::kIntroduced
                         : f[i][0] == 'f' ? OsvEvent::kFixed
                         : f[i][0] == 'l' ? OsvEvent::kLastAffected
                                          : OsvEvent::kLimit;
      r.events.push_back({k, std::string(f[i].substr(2))});
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string Col(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         sqlite3_column_bytes(s, i))
           : std::string();
}

void Bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
}

std::string IsoTime(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

struct AdvisoryDb::Statements {
  sqlite3_stmt* insert_advisory = nullptr;
  sqlite3_stmt* insert_affected = nullptr;
  sqlite3_stmt* delete_advisory = nullptr;
  sqlite3_stmt* delete_affected = nullptr;
  sqlite3_stmt* lookup = nullptr;
  ~Statements() {
    for (sqlite3_stmt* s : {insert_advisory, insert_affected, delete_advisory,
                            delete_affected, lookup})
      sqlite3_finalize(s);
  }
};

std::string ResolveDbPath(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("PYWARD_DB"); env && *env) return env;
  std::string cache;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    cache = x;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    cache = std::string(home) + "/.cache";
  } else {
    cache = ".cache";
  }
  return cache + "/pyward/advisories.sqlite";
}

AdvisoryDb::~AdvisoryDb() {
  st_.reset();
  if (db_) sqlite3_close(db_);
}

std::unique_ptr<AdvisoryDb> AdvisoryDb::Open(const std::string& path,
                                             bool create, std::string* err) {
  if (!create && GetPathKind(path) != PathKind::kFile) {
    *err = "no advisory database at " + path +
           " (create it with 'pyward db import' or 'pyward db update')";
    return nullptr;
  }
  if (create) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  std::unique_ptr<AdvisoryDb> db(new AdvisoryDb());
  db->path_ = path;
  int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                     : SQLITE_OPEN_READWRITE;
  if (sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr) != SQLITE_OK) {
    *err = "cannot open advisory database " + path + ": " +
           (db->db_ ? sqlite3_errmsg(db->db_) : "out of memory");
    return nullptr;
  }
  sqlite3_busy_timeout(db->db_, 5000);
  // Reads go through a memory map and a large page cache: an audit looks up
  // a thousand packages in milliseconds.
  std::string ignored;
  db->Exec("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536;",
           &ignored);
  if (!db->Exec(kSchema, err)) {
    *err = path + ": " + *err;
    return nullptr;
  }
  db->st_ = std::make_unique<Statements>();
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } prepared[] = {
      {&db->st_->insert_advisory,
       "INSERT OR REPLACE INTO advisory(id, group_id, aliases, summary, "
       "severity, vectors, modified, published, malicious) "
       "VALUES(?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&db->st_->insert_affected,
       "INSERT INTO affected(advisory_id, package, ranges, versions, "
       "version_keys) VALUES(?, ?, ?, ?, ?)"},
      {&db->st_->delete_advisory, "DELETE FROM advisory WHERE id = ?"},
      {&db->st_->delete_affected, "DELETE FROM affected WHERE advisory_id = ?"},
      {&db->st_->lookup,
       "SELECT a.id, a.group_id, a.aliases, a.summary, a.severity, a.vectors, "
       "a.modified, a.malicious, f.ranges, f.versions, f.version_keys "
       "FROM affected f JOIN advisory a ON a.id = f.advisory_id "
       "WHERE f.package = ? ORDER BY a.id"},
  };
  for (auto& p : prepared) {
    if (sqlite3_prepare_v2(db->db_, p.sql, -1, p.stmt, nullptr) != SQLITE_OK) {
      *err = path + ": " + sqlite3_errmsg(db->db_) +
             " (not a pyward advisory database?)";
      return nullptr;
    }
  }
  return db;
}

bool AdvisoryDb::Exec(const char* sql, std::string* err) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    *err = msg ? msg : "sqlite error";
    sqlite3_free(msg);
    return false;
  }
  return true;
}

bool AdvisoryDb::Begin(std::string* err) { return Exec("BEGIN", err); }

bool AdvisoryDb::BeginBatch(std::string* err) { return Exec("BEGIN", err); }

void AdvisoryDb::EndBatch() {
  std::string ignored;
  Exec("COMMIT", &ignored);
}

bool AdvisoryDb::Remove(const std::string& id, std::string* err) {
  for (sqlite3_stmt* s : {st_->delete_affected, st_->delete_advisory}) {
    sqlite3_reset(s);
    Bind(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) {
      *err = sqlite3_errmsg(db_);
      return false;
    }
  }
  return true;
}

bool AdvisoryDb::Store(const OsvAdvisory& a, std::string* err) {
  if (!Remove(a.id, err)) return false;
  sqlite3_stmt* s = st_->insert_advisory;
  sqlite3_reset(s);
  Bind(s, 1, a.id);
  Bind(s, 2, Join(a.aliases, '\n'));
  Bind(s, 3, a.summary);
  Bind(s, 4, SeverityOfVectors(a.vectors));
  Bind(s, 5, Join(a.vectors, '\n'));
  Bind(s, 6, a.modified);
  Bind(s, 7, a.published);
  sqlite3_bind_int(s, 8, a.malicious() ? 1 : 0);
  if (sqlite3_step(s) != SQLITE_DONE) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  for (const OsvAffected& af : a.affected) {
    std::vector<std::string> versions, keys;
    for (const std::string& v : af.versions) {
      if (!Clean(v)) continue;
      versions.push_back(v);
      keys.push_back(EqualityKey(Version::Parse(v)));
    }
    s = st_->insert_affected;
    sqlite3_reset(s);
    Bind(s, 1, a.id);
    Bind(s, 2, af.package);
    Bind(s, 3, EncodeRanges(af.ranges));
    Bind(s, 4, Join(versions, '\n'));
    Bind(s, 5, Join(keys, '\n'));
    if (sqlite3_step(s) != SQLITE_DONE) {
      *err = sqlite3_errmsg(db_);
      return false;
    }
  }
  return true;
}

void AdvisoryDb::ImportDocument(std::string_view json, const std::string& name,
                                ImportStats* stats, std::string* err,
                                bool* fatal) {
  ++stats->files;
  OsvAdvisory a;
  std::string perr;
  if (!ParseOsvJson(json, &a, &perr)) {
    ++stats->invalid;
    if (stats->errors.size() < kMaxErrorsKept)
      stats->errors.push_back(name + ": " + perr);
    return;
  }
  if (a.withdrawn) {
    ++stats->withdrawn;
    if (!Remove(a.id, err)) *fatal = true;
    return;
  }
  if (a.affected.empty()) {
    ++stats->not_pypi;
    return;
  }
  if (!Store(a, err)) {
    *fatal = true;
    return;
  }
  ++stats->imported;
}

bool AdvisoryDb::ImportArchive(const std::string& path, std::string_view bytes,
                               bool from_memory, ImportStats* stats,
                               std::string* err) {
  struct archive* ar = archive_read_new();
  archive_read_support_format_zip(ar);
  int r = from_memory
              ? archive_read_open_memory(ar, bytes.data(), bytes.size())
              : archive_read_open_filename(ar, path.c_str(), 1 << 16);
  if (r != ARCHIVE_OK) {
    *err = path + ": not a readable zip archive: " +
           (archive_error_string(ar) ? archive_error_string(ar) : "?");
    archive_read_free(ar);
    return false;
  }
  struct archive_entry* entry;
  bool fatal = false;
  std::string data;
  while (!fatal) {
    r = archive_read_next_header(ar, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      *err = path + ": damaged zip archive: " +
             (archive_error_string(ar) ? archive_error_string(ar) : "?");
      archive_read_free(ar);
      return false;
    }
    const char* name = archive_entry_pathname(entry);
    std::string member = name ? name : "";
    if (archive_entry_filetype(entry) != AE_IFREG ||
        !EndsWithIgnoreCase(member, ".json"))
      continue;
    data.clear();
    char buf[1 << 16];
    bool too_big = false;
    for (;;) {
      la_ssize_t n = archive_read_data(ar, buf, sizeof buf);
      if (n < 0) {
        *err = path + "!" + member + ": " +
               (archive_error_string(ar) ? archive_error_string(ar) : "?");
        archive_read_free(ar);
        return false;
      }
      if (n == 0) break;
      if (data.size() + n > kMaxJsonBytes) {
        too_big = true;
        break;
      }
      data.append(buf, n);
    }
    if (too_big) {
      ++stats->invalid;
      if (stats->errors.size() < kMaxErrorsKept)
        stats->errors.push_back(path + "!" + member + ": larger than 32 MiB");
      continue;
    }
    ImportDocument(data, path + "!" + member, stats, err, &fatal);
  }
  archive_read_free(ar);
  return !fatal;
}

bool AdvisoryDb::RecomputeGroups(std::string* err) {
  // Union-find over ids and aliases.
  std::unordered_map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> find =
      [&](const std::string& x) -> std::string {
    auto it = parent.find(x);
    if (it == parent.end()) {
      parent[x] = x;
      return x;
    }
    std::string root = x;
    while (parent[root] != root) root = parent[root];
    std::string cur = x;
    while (parent[cur] != root) {
      std::string next = parent[cur];
      parent[cur] = root;
      cur = next;
    }
    return root;
  };
  auto unite = [&](const std::string& a, const std::string& b) {
    std::string ra = find(a), rb = find(b);
    if (ra != rb) parent[ra] = rb;
  };
  std::vector<std::string> ids;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT id, aliases FROM advisory", -1, &s,
                         nullptr) != SQLITE_OK) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string id = Col(s, 0);
    ids.push_back(id);
    find(id);
    for (const std::string& alias : SplitNonEmpty(Col(s, 1), '\n'))
      unite(id, alias);
  }
  sqlite3_finalize(s);
  // Representative: the smallest stored id of each component.
  std::unordered_map<std::string, std::string> rep;
  for (const std::string& id : ids) {
    std::string root = find(id);
    auto it = rep.find(root);
    if (it == rep.end() || id < it->second) rep[root] = id;
  }
  if (sqlite3_prepare_v2(db_, "UPDATE advisory SET group_id = ? WHERE id = ?",
                         -1, &s, nullptr) != SQLITE_OK) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  for (const std::string& id : ids) {
    sqlite3_reset(s);
    Bind(s, 1, rep[find(id)]);
    Bind(s, 2, id);
    if (sqlite3_step(s) != SQLITE_DONE) {
      *err = sqlite3_errmsg(db_);
      sqlite3_finalize(s);
      return false;
    }
  }
  sqlite3_finalize(s);
  return true;
}

bool AdvisoryDb::Commit(const std::string& source, const ImportStats& stats,
                        std::string* err) {
  if (!RecomputeGroups(err)) return false;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO source(name, imported_at, imported, "
                         "withdrawn) VALUES(?, ?, ?, ?)",
                         -1, &s, nullptr) != SQLITE_OK) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  Bind(s, 1, source);
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(std::time(nullptr)));
  sqlite3_bind_int(s, 3, stats.imported);
  sqlite3_bind_int(s, 4, stats.withdrawn);
  int r = sqlite3_step(s);
  sqlite3_finalize(s);
  if (r != SQLITE_DONE) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  return Exec("COMMIT", err);
}

bool AdvisoryDb::Import(const std::vector<std::string>& paths,
                        ImportStats* stats, std::string* err) {
  if (!Begin(err)) return false;
  bool ok = true;
  for (const std::string& path : paths) {
    PathKind kind = GetPathKind(path);
    if (kind == PathKind::kDirectory) {
      std::vector<std::string> files, links;
      if (!ListFilesRecursive(path, &files, &links, err)) {
        ok = false;
        break;
      }
      bool fatal = false;
      for (const std::string& f : files) {
        std::string full = path + "/" + f;
        if (EndsWithIgnoreCase(f, ".zip")) {
          if (!ImportArchive(full, {}, false, stats, err)) {
            fatal = true;
            break;
          }
          continue;
        }
        if (!EndsWithIgnoreCase(f, ".json")) continue;
        std::string data, rerr;
        if (!ReadFile(full, kMaxJsonBytes, &data, &rerr)) {
          ++stats->invalid;
          if (stats->errors.size() < kMaxErrorsKept) stats->errors.push_back(rerr);
          continue;
        }
        ImportDocument(data, full, stats, err, &fatal);
        if (fatal) break;
      }
      if (fatal) {
        ok = false;
        break;
      }
    } else if (kind == PathKind::kFile) {
      if (EndsWithIgnoreCase(path, ".json")) {
        std::string data;
        if (!ReadFile(path, kMaxJsonBytes, &data, err)) {
          ok = false;
          break;
        }
        bool fatal = false;
        ImportDocument(data, path, stats, err, &fatal);
        if (fatal) {
          ok = false;
          break;
        }
      } else if (!ImportArchive(path, {}, false, stats, err)) {
        ok = false;
        break;
      }
    } else {
      *err = "cannot read " + path + ": no such file or folder";
      ok = false;
      break;
    }
  }
  std::string sources;
  for (const std::string& p : paths) sources += (sources.empty() ? "" : " ") + p;
  if (!ok || !Commit(sources, *stats, err)) {
    std::string ignored;
    Exec("ROLLBACK", &ignored);
    return false;
  }
  return true;
}

bool AdvisoryDb::ImportZipBytes(std::string_view bytes,
                                const std::string& source, ImportStats* stats,
                                std::string* err) {
  if (!Begin(err)) return false;
  if (!ImportArchive(source, bytes, true, stats, err) ||
      !Commit(source, *stats, err)) {
    std::string ignored;
    Exec("ROLLBACK", &ignored);
    return false;
  }
  return true;
}

bool AdvisoryDb::MaliciousPackages(
    std::vector<std::pair<std::string, std::string>>* out, std::string* err) {
  sqlite3_stmt* s = nullptr;
  const char* sql =
      "SELECT DISTINCT affected.package, advisory.id FROM affected JOIN advisory "
      "ON advisory.id = affected.advisory_id WHERE advisory.malicious = 1";
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) out->emplace_back(Col(s, 0), Col(s, 1));
  bool ok = r == SQLITE_DONE;
  if (!ok) *err = sqlite3_errmsg(db_);
  sqlite3_finalize(s);
  return ok;
}

bool AdvisoryDb::Lookup(std::string_view package,
                        std::vector<StoredAdvisory>* out, std::string* err) {
  out->clear();
  sqlite3_stmt* s = st_->lookup;
  sqlite3_reset(s);
  sqlite3_bind_text(s, 1, package.data(), static_cast<int>(package.size()),
                    SQLITE_TRANSIENT);
  int r;
  while ((r = sqlite3_step(s)) == SQLITE_ROW) {
    std::string id = Col(s, 0);
    if (out->empty() || out->back().id != id) {
      StoredAdvisory a;
      a.id = id;
      a.group_id = Col(s, 1);
      a.aliases = SplitNonEmpty(Col(s, 2), '\n');
      a.summary = Col(s, 3);
      a.severity = Col(s, 4);
      a.vectors = SplitNonEmpty(Col(s, 5), '\n');
      a.modified = Col(s, 6);
      a.malicious = sqlite3_column_int(s, 7) != 0;
      out->push_back(std::move(a));
    }
    OsvAffected af;
    af.package = std::string(package);
    af.ranges = DecodeRanges(ColView(s, 8));
    std::string_view versions = ColView(s, 9), keys = ColView(s, 10);
    if (!versions.empty()) {
      af.packed_versions.reserve(versions.size() + 2);
      af.packed_versions.push_back('\n');
      af.packed_versions.append(versions);
      af.packed_versions.push_back('\n');
      af.packed_keys.reserve(keys.size() + 2);
      af.packed_keys.push_back('\n');
      af.packed_keys.append(keys);
      af.packed_keys.push_back('\n');
    }
    out->back().affected.push_back(std::move(af));
  }
  if (r != SQLITE_DONE) {
    *err = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

int64_t AdvisoryDb::AgeSeconds() {
  sqlite3_stmt* s = nullptr;
  int64_t age = -1;
  if (sqlite3_prepare_v2(db_, "SELECT MAX(imported_at) FROM source", -1, &s,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW &&
      sqlite3_column_type(s, 0) != SQLITE_NULL)
    age = static_cast<int64_t>(std::time(nullptr)) - sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return age;
}

bool AdvisoryDb::Info(DbInfo* out, std::string* err) {
  DbInfo info;
  info.path = path_;
  struct {
    const char* sql;
    int64_t* into;
  } counts[] = {
      {"SELECT COUNT(*) FROM advisory", &info.advisories},
      {"SELECT COUNT(*) FROM advisory WHERE malicious = 1", &info.malicious},
      {"SELECT COUNT(DISTINCT package) FROM affected", &info.packages},
      {"SELECT COUNT(DISTINCT group_id) FROM advisory", &info.groups},
  };
  for (auto& c : counts) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, c.sql, -1, &s, nullptr) != SQLITE_OK) {
      *err = sqlite3_errmsg(db_);
      return false;
    }
    if (sqlite3_step(s) == SQLITE_ROW) *c.into = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT MAX(modified) FROM advisory", -1, &s,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    info.newest_modified = Col(s, 0);
  sqlite3_finalize(s);
  s = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "SELECT name, imported_at, imported FROM source "
                         "ORDER BY seq",
                         -1, &s, nullptr) == SQLITE_OK) {
    int64_t last = -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
      int64_t at = sqlite3_column_int64(s, 1);
      info.sources.push_back(Col(s, 0) + " (" + IsoTime(at) + ", " +
                             std::to_string(sqlite3_column_int64(s, 2)) +
                             " advisories)");
      last = at;
    }
    if (last >= 0) {
      info.imported_at = IsoTime(last);
      info.age_seconds = static_cast<int64_t>(std::time(nullptr)) - last;
    }
  }
  sqlite3_finalize(s);
  *out = std::move(info);
  return true;
}

}  // namespace pyward
