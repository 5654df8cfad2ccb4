// The offline advisory database: OSV entries for PyPI in one SQLite file.
// Import skips withdrawn entries (and deletes them when already stored),
// keeps CVSS vectors, and merges aliases: advisories linked by ids or
// aliases (PYSEC-x aliasing GHSA-y, two entries sharing a CVE) share a
// group_id, so the auditor reports them once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/osv.h"

struct sqlite3;

namespace pyward {

// Where the database lives: `flag` when non-empty, else $PYWARD_DB, else
// $XDG_CACHE_HOME/pyward/advisories.sqlite (XDG default ~/.cache).
std::string ResolveDbPath(const std::string& flag);

struct ImportStats {
  int files = 0;        // JSON documents seen
  int imported = 0;     // advisories stored
  int withdrawn = 0;    // skipped (or removed) as withdrawn
  int not_pypi = 0;     // no PyPI package affected
  int invalid = 0;      // unparseable documents
  std::vector<std::string> errors;  // the first few invalid documents
};

// One advisory as stored, with its affected entries for one package.
struct StoredAdvisory {
  std::string id;
  std::string group_id;
  std::vector<std::string> aliases;
  std::string summary;
  std::string severity;  // critical|high|medium|low|none|unknown
  std::vector<std::string> vectors;
  std::string modified;
  bool malicious = false;
  std::vector<OsvAffected> affected;  // entries naming the looked-up package
};

struct DbInfo {
  std::string path;
  int64_t advisories = 0;
  int64_t malicious = 0;
  int64_t packages = 0;
  int64_t groups = 0;
  std::string imported_at;    // UTC, ISO 8601, of the last import
  int64_t age_seconds = -1;   // since the last import
  std::string newest_modified;  // newest `modified` among entries
  std::vector<std::string> sources;  // what was imported, newest last
};

class AdvisoryDb {
 public:
  ~AdvisoryDb();
  // Opens the database at `path`. With `create`, creates it (and its
  // folder) when missing; without, a missing file is an error.
  static std::unique_ptr<AdvisoryDb> Open(const std::string& path, bool create,
                                          std::string* err);

  // Imports OSV JSON from each path: a folder (every *.json below it), a
  // zip archive, or one .json file. One transaction per call.
  bool Import(const std::vector<std::string>& paths, ImportStats* stats,
              std::string* err);
  // Imports the OSV JSON members of a zip archive held in memory.
  bool ImportZipBytes(std::string_view bytes, const std::string& source,
                      ImportStats* stats, std::string* err);

  // Every advisory with an affected entry for PEP 503 name `package`.
  bool Lookup(std::string_view package, std::vector<StoredAdvisory>* out,
              std::string* err);
  bool Info(DbInfo* out, std::string* err);
  // Every (PEP 503 name, advisory id) pair of the malicious-package (MAL-)
  // advisories, for the name checks of pyward scan and names.
  bool MaliciousPackages(std::vector<std::pair<std::string, std::string>>* out,
                         std::string* err);
  // Seconds since the last import, or -1 when nothing was ever imported.
  int64_t AgeSeconds();

  // Holds one read transaction across many lookups (a whole audit), so the
  // database is not re-checked for every package. EndBatch ends it.
  bool BeginBatch(std::string* err);
  void EndBatch();

 private:
  AdvisoryDb() = default;
  bool Exec(const char* sql, std::string* err);
  bool Begin(std::string* err);
  bool Commit(const std::string& source, const ImportStats& stats,
              std::string* err);
  bool Store(const OsvAdvisory& a, std::string* err);
  bool Remove(const std::string& id, std::string* err);
  void ImportDocument(std::string_view json, const std::string& name,
                      ImportStats* stats, std::string* err, bool* fatal);
  bool ImportArchive(const std::string& path, std::string_view bytes,
                     bool from_memory, ImportStats* stats, std::string* err);
  bool RecomputeGroups(std::string* err);

  sqlite3* db_ = nullptr;
  std::string path_;
  struct Statements;
  std::unique_ptr<Statements> st_;
};

}  // namespace pyward
