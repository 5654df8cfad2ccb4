// pyward names: judge bare project names (typosquats, known-malicious names,
// dependency confusion), refresh the offline public name list, and list the
// popular near-pairs behind data/names/allowlist.tsv.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit/advisory_db.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "names/confusion_inputs.h"
#include "names/dep_confusion.h"
#include "names/name_checker.h"
#include "names/name_findings.h"
#include "names/public_names.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {
namespace {

nlohmann::json ReportJson(const NameReport& r) {
  nlohmann::json j;
  j["name"] = r.name;
  j["normalized"] = r.normalized;
  j["verdict"] = std::string(VerdictName(r.verdict));
  j["score"] = r.score;
  j["popular_rank"] = r.popular_rank;
  j["matches"] = nlohmann::json::array();
  // Ids of the advisories (OSV MAL-) reporting the name malicious.
  j["malicious"] = nlohmann::json::array();
  for (const NameMatch& m : r.matches)
    if (m.kind == "known-malicious") j["malicious"].push_back(m.advisory);
  for (const NameMatch& m : r.matches)
    j["matches"].push_back({{"target", m.target},
                            {"kind", m.kind},
                            {"target_rank", m.target_rank},
                            {"score", m.score},
                            {"detail", m.detail}});
  j["reasons"] = r.reasons;
  return j;
}

void PrintText(const NameReport& r) {
  std::printf("%s: %s (score %d)\n", Printable(r.name, 120).c_str(),
              std::string(VerdictName(r.verdict)).c_str(), r.score);
  for (const std::string& reason : r.reasons)
    std::printf("  %s\n", reason.c_str());
}

// Builds the checker from data/names (or `data_dir`) plus the config's
// allowlist additions and private names.
struct Checker {
  NamesConfig config;
  DependencyConfusion confusion;
  MaliciousNameList malicious;
  std::unique_ptr<NameChecker> checker;
};

// Fills `out` from the malicious-package (MAL-) entries of the advisory
// database found as pyward scan and audit find it (--db, else $PYWARD_DB,
// else the cache path). A missing default database is not an error: *note
// says that known-malicious names go unchecked. A missing --db is.
bool LoadMaliciousNames(const std::string& db_flag, MaliciousNameList* out,
                        std::string* note, std::string* err) {
  std::string db_path = ResolveDbPath(db_flag);
  if (GetPathKind(db_path) != PathKind::kFile) {
    if (!db_flag.empty()) {
      *err = "no advisory database at " + db_path;
      return false;
    }
    *note = "no advisory database at " + db_path +
            ": known-malicious package names are not checked (load one with "
            "'pyward db import' or 'pyward db update')";
    out->Freeze();
    return true;
  }
  std::vector<std::pair<std::string, std::string>> pkgs;
  std::unique_ptr<AdvisoryDb> db = AdvisoryDb::Open(db_path, false, err);
  if (!db || !db->MaliciousPackages(&pkgs, err)) {
    *err = "advisory database " + db_path + ": " + *err;
    return false;
  }
  for (auto& [name, id] : pkgs) out->Add(name, std::move(id));
  out->Freeze();
  return true;
}

bool BuildChecker(const std::string& data_dir, const std::string& config_path,
                  const MaliciousNameSource* malicious, Checker* out,
                  std::string* err) {
  if (!config_path.empty()) {
    if (!LoadNamesConfig(config_path, &out->config, err)) return false;
    if (!out->confusion.Init(out->config, err)) return false;
  }
  NameData data;
  if (!LoadNameData(data_dir.empty() ? DefaultNameDataDir() : data_dir, &data,
                    err))
    return false;
  for (const std::string& n : out->config.allow_names)
    data.allowed_names.push_back(n);
  for (const auto& p : out->config.allow_pairs) data.allowed_pairs.push_back(p);
  out->checker = std::make_unique<NameChecker>(
      data, malicious, config_path.empty() ? nullptr : &out->confusion);
  return true;
}

int RunCheck(const std::vector<std::string>& names, const std::string& format,
             const std::string& data_dir, const std::string& config_path,
             const std::string& db_flag, bool no_db) {
  Checker c;
  std::string err, note;
  if (!no_db && !LoadMaliciousNames(db_flag, &c.malicious, &note, &err)) {
    std::fprintf(stderr, "pyward names check: %s\n", err.c_str());
    return kExitUsage;
  }
  if (!note.empty())
    std::fprintf(stderr, "pyward names check: note: %s\n", note.c_str());
  if (!BuildChecker(data_dir, config_path, no_db ? nullptr : &c.malicious, &c,
                    &err)) {
    std::fprintf(stderr, "pyward names check: %s\n", err.c_str());
    return kExitUsage;
  }
  bool flagged = false, invalid = false;
  for (const std::string& name : names) {
    NameReport r = c.checker->Check(name);
    if (!r.valid) invalid = true;
    if (r.verdict == Verdict::kSuspicious || r.verdict == Verdict::kMalicious)
      flagged = true;
    if (format == "json")
      std::printf("%s\n", ReportJson(r).dump().c_str());
    else
      PrintText(r);
  }
  if (invalid) return kExitUsage;
  return flagged ? kExitFindings : kExitOk;
}

int RunRefresh(const std::string& from, const std::string& output) {
  std::string err;
  std::vector<std::string> names;
  if (!ReadNameList(from, nullptr, &names, &err)) {
    std::fprintf(stderr, "pyward names refresh: %s\n", err.c_str());
    return kExitUsage;
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.empty()) {
    std::fprintf(stderr, "pyward names refresh: %s holds no project names\n",
                 from.c_str());
    return kExitUsage;
  }
  std::string path = output.empty() ? DefaultPublicNamesPath() : output;
  if (!WriteNameListGz(path, names, &err)) {
    std::fprintf(stderr, "pyward names refresh: %s\n", err.c_str());
    return kExitUsage;
  }
  std::printf("wrote %zu project names to %s\n", names.size(), path.c_str());
  return kExitOk;
}

int RunConfusion(const std::vector<std::string>& files,
                 const std::string& format, const std::string& config_path) {
  NamesConfig config;
  DependencyConfusion confusion;
  std::string err;
  if (!LoadNamesConfig(config_path, &config, &err) ||
      !confusion.Init(config, &err)) {
    std::fprintf(stderr, "pyward names confusion: %s\n", err.c_str());
    return kExitUsage;
  }
  bool found = false, unreadable = false;
  for (const std::string& file : files) {
    nlohmann::json result = {{"target", file},
                             {"error", nullptr},
                             {"findings", nlohmann::json::array()},
                             {"notes", nlohmann::json::array()}};
    ConfusionResult cr;
    if (!FindConfusion(confusion, file, &cr, &err)) {
      unreadable = true;
      result["error"] = err;
      if (format == "json")
        std::printf("%s\n", result.dump().c_str());
      else
        std::printf("%s: error: %s\n", file.c_str(), err.c_str());
      continue;
    }
    for (const ConfusionFinding& f : cr.findings) {
      found = true;
      result["findings"].push_back({{"rule", "dependency-confusion"},
                                    {"severity", f.at_risk ? "high" : "medium"},
                                    {"file", f.file},
                                    {"line", f.line},
                                    {"name", f.name},
                                    {"message", f.message}});
      if (format != "json")
        std::printf("%s:%d: %s\n", f.file.c_str(), f.line,
                    f.message.c_str());
    }
    for (const std::string& n : cr.notes) {
      result["notes"].push_back(n);
      if (format != "json") std::printf("%s: note: %s\n", file.c_str(), n.c_str());
    }
    if (format == "json") std::printf("%s\n", result.dump().c_str());
  }
  if (unreadable) return kExitUsage;
  return found ? kExitFindings : kExitOk;
}

int RunPairs(const std::string& data_dir) {
  std::string err;
  NameData data;
  if (!LoadNameData(data_dir.empty() ? DefaultNameDataDir() : data_dir, &data,
                    &err)) {
    std::fprintf(stderr, "pyward names pairs: %s\n", err.c_str());
    return kExitUsage;
  }
  // The pairs come from the rules alone, not from the current allowlist.
  data.allowed_pairs.clear();
  data.allowed_names.clear();
  auto checker = std::make_unique<NameChecker>(data);
  std::printf(
      "# Popular near-pairs: popular projects that look like a more popular "
      "one\n"
      "# (toml/tomli, attrs/cattrs). Neither name of a pair is ever reported "
      "as\n"
      "# a squat of the other, even if one drops out of the popular list.\n"
      "# Generated by 'pyward names pairs' from popular.tsv; extend by hand:\n"
      "# a line is 'name<TAB>name' or a single never-reported name.\n");
  for (const auto& [name, m] : checker->PopularNearPairs())
    std::printf("%s\t%s\n", name.c_str(), m.target.c_str());
  return kExitOk;
}

}  // namespace

int RunNames(int argc, char** argv) {
  CLI::App app{
      "Judge project names by themselves: typosquats of popular projects, "
      "known-malicious names, dependency confusion. Works offline from "
      "data/names/.\n\n"
      "Exit status: 0 no name flagged; 1 a name is flagged (suspicious or "
      "worse; for 'confusion': a private requirement can resolve from the "
      "public index); 2 bad usage, an invalid project name, or an unreadable "
      "file or config; 3 internal error.",
      "pyward names"};
  app.require_subcommand(1);
  std::string data_dir;
  app.add_option(
      "--data", data_dir,
      "data/names folder to use (e.g. --data /opt/pyward/data/names); "
      "default: the installation's");

  CLI::App* check = app.add_subcommand(
      "check",
      "judge bare names, one answer per name "
      "(e.g. pyward names check reqeusts colorama-update --format json)");
  std::vector<std::string> names;
  std::string format = "text", config_path;
  check->footer(
      "Each answer carries a verdict (clean, suspicious, malicious, error), a "
      "score 0-100 and the matches behind it: kind (typo, repeats, lookalike, "
      "too-similar, delimiter, reorder, py-affix, plural, spelling, "
      "decoration, "
      "stdlib-name, dependency-confusion, known-malicious), target and "
      "target_rank. A name is flagged (suspicious) at score 65.\n"
      "Exit status: 0 no name flagged, 1 a name is flagged, 2 bad usage, an "
      "invalid project name or an unreadable config, 3 internal error.");
  check->add_option("names", names, "project names to judge (e.g. reqeusts)")
      ->required();
  check
      ->add_option(
          "--format", format,
          "text (default) or json: one JSON object per name per line "
          "with name, verdict, score, matches, malicious (the MAL- ids "
          "reporting the name), reasons (e.g. --format json)")
      ->check(CLI::IsMember({"text", "json"}));
  std::string db_flag;
  bool no_db = false;
  check->add_option(
      "--db", db_flag,
      "advisory database whose malicious-package (MAL-) entries mark "
      "known-malicious names; default $PYWARD_DB, else "
      "$XDG_CACHE_HOME/pyward/advisories.sqlite (e.g. --db "
      "advisories.sqlite; fill it with 'pyward db import')");
  check->add_flag("--no-db", no_db,
                  "do not read the advisory database: typosquat rules only "
                  "(e.g. --no-db)");
  check
      ->add_option("--config", config_path,
                   "TOML naming private packages/prefixes, the private index "
                   "and allowlist additions (e.g. --config pyward-names.toml)")
      ->check(CLI::ExistingFile);

  CLI::App* refresh = app.add_subcommand(
      "refresh",
      "replace the offline public name list from a downloaded listing "
      "(e.g. curl -o simple.html https://pypi.org/simple/ && "
      "pyward names refresh --from simple.html)");
  std::string from, output;
  refresh
      ->add_option("--from", from,
                   "a simple-index HTML page, a PEP 691 JSON page or a plain "
                   "list, optionally gzip-compressed (e.g. --from simple.html)")
      ->required()
      ->check(CLI::ExistingFile);
  refresh->add_option(
      "--output", output,
      "where to write the compressed list (default: "
      "data/names/pypi-names.txt.gz; e.g. --output names.txt.gz)");

  CLI::App* confusion = app.add_subcommand(
      "confusion",
      "report private requirements that can resolve from the public "
      "index (e.g. pyward names confusion --config team.toml "
      "requirements.txt)");
  std::vector<std::string> files;
  std::string confusion_config, confusion_format = "text";
  confusion
      ->add_option("files", files,
                   "requirements files (their -r/-c includes followed), "
                   "pyproject.toml or lockfiles (poetry.lock, uv.lock, "
                   "Pipfile.lock, pdm.lock, pylock.toml); e.g. "
                   "requirements.txt pyproject.toml uv.lock")
      ->required();
  confusion
      ->add_option("--config", confusion_config,
                   "TOML naming private packages, prefixes and the private "
                   "index (e.g. --config team.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  confusion
      ->add_option("--format", confusion_format,
                   "text (default) or json: one JSON object per file "
                   "(e.g. --format json)")
      ->check(CLI::IsMember({"text", "json"}));

  app.add_subcommand("pairs",
                     "print the popular near-pairs (the source of "
                     "data/names/allowlist.tsv; e.g. pyward names pairs > "
                     "data/names/allowlist.tsv)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (*check)
    return RunCheck(names, format, data_dir, config_path, db_flag, no_db);
  if (*refresh) return RunRefresh(from, output);
  if (*confusion)
    return RunConfusion(files, confusion_format, confusion_config);
  return RunPairs(data_dir);
}

}  // namespace pyward
