// pyward db: the offline advisory database (import OSV JSON, update from a
// URL, show what is loaded).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "audit/advisory_db.h"
#include "audit/http_fetch.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace pyward {

namespace {

constexpr const char* kDefaultUrl =
    "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";

void PrintStats(const ImportStats& s, const std::string& path, double secs) {
  std::printf("imported %d advisories into %s in %.2f s (%d files read, %d "
              "withdrawn skipped, %d without a PyPI package, %d invalid)\n",
              s.imported, path.c_str(), secs, s.files, s.withdrawn, s.not_pypi,
              s.invalid);
  for (const std::string& e : s.errors)
    std::printf("  invalid: %s\n", e.c_str());
}

std::string Age(int64_t secs) {
  if (secs < 0) return "never";
  if (secs < 120) return std::to_string(secs) + " seconds";
  if (secs < 7200) return std::to_string(secs / 60) + " minutes";
  if (secs < 172800) return std::to_string(secs / 3600) + " hours";
  return std::to_string(secs / 86400) + " days";
}

}  // namespace

int RunDb(int argc, char** argv) {
  CLI::App app{"Manage the offline advisory database (OSV entries for PyPI)."};
  app.name("pyward db");
  app.require_subcommand(1);
  std::string db_flag;
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", db_flag,
                    "database file (example: --db advisories.sqlite); default "
                    "$PYWARD_DB, else $XDG_CACHE_HOME/pyward/advisories.sqlite");
  };
  CLI::App* imp = app.add_subcommand(
      "import", "load OSV JSON from folders, zips or files "
                "(example: pyward db import pypi-advisories.zip)");
  std::vector<std::string> paths;
  imp->add_option("paths", paths,
                  "folders, zip archives or .json files of OSV entries "
                  "(example: osv/PyPI.zip)")
      ->required();
  add_db(imp);
  CLI::App* upd = app.add_subcommand(
      "update", "download the OSV PyPI zip and import it "
                "(example: pyward db update)");
  std::vector<std::string> urls;
  int timeout = 60;
  AddRepeatable(upd, "--url", &urls,
                std::string("zip to download, repeatable (example: --url ") +
                    kDefaultUrl + ")");
  upd->add_option("--timeout", timeout,
                  "seconds without progress before giving up (example: "
                  "--timeout 30)");
  add_db(upd);
  CLI::App* info = app.add_subcommand(
      "info", "show what is loaded and how old it is (example: pyward db info)");
  std::string format = "text";
  info->add_option("--format", format, "text or json (example: --format json)");
  add_db(info);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  std::string path = ResolveDbPath(db_flag);
  std::string err;
  if (imp->parsed() || upd->parsed()) {
    auto db = AdvisoryDb::Open(path, true, &err);
    if (!db) {
      std::fprintf(stderr, "pyward db: %s\n", err.c_str());
      return kExitUsage;
    }
    auto start = std::chrono::steady_clock::now();
    ImportStats stats;
    if (imp->parsed()) {
      if (!db->Import(paths, &stats, &err)) {
        std::fprintf(stderr, "pyward db import: %s\n", err.c_str());
        return kExitUsage;
      }
    } else {
      if (urls.empty()) urls.push_back(kDefaultUrl);
      for (const std::string& url : urls) {
        std::string body;
        if (!HttpFetch(url, 2ull << 30, timeout, &body, &err)) {
          std::fprintf(stderr, "pyward db update: %s\n", err.c_str());
          return kExitUsage;
        }
        if (!db->ImportZipBytes(body, url, &stats, &err)) {
          std::fprintf(stderr, "pyward db update: %s\n", err.c_str());
          return kExitUsage;
        }
      }
    }
    double secs = std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start).count();
    PrintStats(stats, path, secs);
    return kExitOk;
  }
  auto db = AdvisoryDb::Open(path, false, &err);
  if (!db) {
    std::fprintf(stderr, "pyward db info: %s\n", err.c_str());
    return kExitUsage;
  }
  DbInfo di;
  if (!db->Info(&di, &err)) {
    std::fprintf(stderr, "pyward db info: %s\n", err.c_str());
    return kExitInternal;
  }
  if (format == "json") {
    nlohmann::ordered_json j{{"path", di.path},
                             {"advisories", di.advisories},
                             {"malicious", di.malicious},
                             {"packages", di.packages},
                             {"alias_groups", di.groups},
                             {"imported_at", di.imported_at},
                             {"age_seconds", di.age_seconds},
                             {"newest_modified", di.newest_modified},
                             {"sources", di.sources}};
    std::printf("%s\n", j.dump(2, ' ', false,
                               nlohmann::ordered_json::error_handler_t::replace)
                            .c_str());
    return kExitOk;
  }
  if (format != "text") {
    std::fprintf(stderr, "pyward db info: unknown format '%s'\n", format.c_str());
    return kExitUsage;
  }
  std::printf("database:        %s\n", di.path.c_str());
  std::printf("advisories:      %lld (%lld malicious-package entries, %lld after merging aliases)\n",
              static_cast<long long>(di.advisories),
              static_cast<long long>(di.malicious),
              static_cast<long long>(di.groups));
  std::printf("packages:        %lld\n", static_cast<long long>(di.packages));
  std::printf("last import:     %s (%s ago)\n",
              di.imported_at.empty() ? "never" : di.imported_at.c_str(),
              Age(di.age_seconds).c_str());
  std::printf("newest entry:    %s\n",
              di.newest_modified.empty() ? "-" : di.newest_modified.c_str());
  for (const std::string& s : di.sources)
    std::printf("source:          %s\n", s.c_str());
  return kExitOk;
}

}  // namespace pyward
