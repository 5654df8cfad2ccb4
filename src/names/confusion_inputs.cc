#include "names/confusion_inputs.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string_view>

#include "audit/audit_inputs.h"
#include "audit/dependency.h"
#include "audit/lockfiles.h"
#include "audit/pyproject.h"
#include "audit/toml_util.h"
#include "names/name_rules.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace pyward {
namespace {

constexpr uint64_t kMaxInputBytes = uint64_t{1} << 26;
constexpr const char* kPublicIndex = "https://pypi.org/simple";

// `inc` as written in the file at `path`: relative to that file's folder.
std::string IncludedPath(const std::string& path, const std::string& inc) {
  if (!inc.empty() && inc.front() == '/') return inc;
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return inc;
  return path.substr(0, slash + 1) + inc;
}

// The file's identity for cycle detection: its resolved path when it
// exists, else the path as composed.
std::string Identity(const std::string& path) {
  char* real = realpath(path.c_str(), nullptr);
  if (!real) return path;
  std::string s(real);
  std::free(real);
  return s;
}

// A private dependency that resolves only from the private index but whose
// name the public index also serves: one resolver set up differently (a
// missing -i, another machine) installs the public project.
void AddExposed(const DependencyConfusion& dc, const std::string& file,
                int line, const std::string& name, ConfusionResult* out) {
  if (!dc.IsPrivate(name) || !dc.OnPublicIndex(name)) return;
  out->findings.push_back(
      {file, line, name,
       fmt::format("private package '{}' resolves from the private index "
                   "here, but the public index also serves a project of "
                   "that name: any install not pinned to the private index "
                   "gets the public one",
                   name),
       false});
}

// --- requirements files, includes followed --------------------------------

struct Walk {
  IndexSetup setup;
  std::vector<std::pair<std::string, RequirementName>> reqs;  // (file, req)
  std::set<std::string> seen;
  std::vector<std::string> notes;
};

// Reads `path` and its includes into *w; false and *err only when the top
// file (depth 0) cannot be read.
bool Visit(const std::string& path, int depth, Walk* w, std::string* err) {
  std::string id = Identity(path);
  if (!w->seen.insert(id).second) {
    w->notes.push_back(fmt::format(
        "{} is included more than once (or in a cycle): read once", path));
    return true;
  }
  if (w->seen.size() > kMaxConfusionFiles) {
    w->notes.push_back(fmt::format(
        "{} not read: more than {} files included", path, kMaxConfusionFiles));
    return true;
  }
  std::string text, read_err;
  if (!ReadFile(path, kMaxInputBytes, &text, &read_err)) {
    if (depth == 0) {
      *err = read_err;
      return false;
    }
    w->notes.push_back(fmt::format("included file {} could not be read: {}",
                                   path, read_err));
    return true;
  }
  IndexSetup setup;
  std::vector<RequirementName> reqs;
  std::vector<std::string> includes;
  ParseRequirementIndexes(text, &setup, &reqs, &includes);
  // pip gathers the index options of every file into one finder; a later
  // --index-url replaces an earlier one.
  if (!setup.index_url.empty()) w->setup.index_url = setup.index_url;
  for (std::string& e : setup.extra_index_urls)
    w->setup.extra_index_urls.push_back(std::move(e));
  w->setup.no_index = w->setup.no_index || setup.no_index;
  for (RequirementName& r : reqs) w->reqs.emplace_back(path, std::move(r));
  for (const std::string& inc : includes) {
    if (inc.find("://") != std::string::npos) {
      w->notes.push_back(fmt::format(
          "{}: included {} is a URL: not followed; check it too", path, inc));
      continue;
    }
    if (depth + 1 > kMaxConfusionIncludeDepth) {
      w->notes.push_back(fmt::format(
          "{}: included {} not followed: includes nest deeper than {}", path,
          inc, kMaxConfusionIncludeDepth));
      continue;
    }
    Visit(IncludedPath(path, inc), depth + 1, w, err);
  }
  return true;
}

bool RequirementsConfusion(const DependencyConfusion& dc,
                           const std::string& path, ConfusionResult* out,
                           std::string* err) {
  Walk w;
  if (!Visit(path, 0, &w, err)) return false;
  for (const auto& [file, req] : w.reqs) {
    std::string why;
    if (dc.RequirementAtRisk(req, w.setup, &why))
      out->findings.push_back({file, req.line, req.name, why, true});
    else if (req.direct_url.empty())
      AddExposed(dc, file, req.line, req.name, out);
  }
  for (std::string& n : w.notes) out->notes.push_back(std::move(n));
  return true;
}

// --- pyproject.toml -------------------------------------------------------

struct NamedIndex {
  std::string name;
  std::string url;
  bool replaces_public = false;  // the default / primary index
  bool explicit_only = false;    // used only by dependencies pinned to it
  bool uv = false;               // a [[tool.uv.index]]
};

std::string Str(const toml::node* n) {
  if (n)
    if (auto v = n->value<std::string>()) return *v;
  return "";
}
bool Bool(const toml::node* n) {
  if (n)
    if (auto v = n->value<bool>()) return *v;
  return false;
}

// The indexes a pyproject.toml configures and the dependencies it pins to
// one of them (normalised name -> index name).
// *uv_first_index: uv's default index strategy, which takes a package from
// the first index (in file order, the default last) that has it.
void PyprojectIndexes(const toml::table& doc, std::vector<NamedIndex>* idx,
                      std::map<std::string, std::string>* pinned,
                      bool* uv_first_index) {
  *uv_first_index = true;
  const toml::table* tool = doc["tool"].as_table();
  if (!tool) return;
  if (const toml::table* uv = (*tool)["uv"].as_table()) {
    std::string strategy = Str(uv->get("index-strategy"));
    *uv_first_index = strategy.empty() || strategy == "first-index";
    if (const toml::array* a = (*uv)["index"].as_array())
      for (const toml::node& n : *a)
        if (const toml::table* t = n.as_table())
          idx->push_back({Str(t->get("name")), Str(t->get("url")),
                          Bool(t->get("default")), Bool(t->get("explicit")),
                          true});
    if (const toml::table* src = (*uv)["sources"].as_table())
      for (const auto& [k, v] : *src)
        if (const toml::table* t = v.as_table())
          if (std::string i = Str(t->get("index")); !i.empty())
            (*pinned)[NormalizeName(std::string(k.str()))] = i;
  }
  if (const toml::table* poetry = (*tool)["poetry"].as_table()) {
    if (const toml::array* a = (*poetry)["source"].as_array())
      for (const toml::node& n : *a)
        if (const toml::table* t = n.as_table()) {
          std::string prio = Str(t->get("priority"));
          bool primary = prio == "primary" || prio == "default" ||
                         Bool(t->get("default"));
          idx->push_back({Str(t->get("name")), Str(t->get("url")), primary,
                          prio == "explicit"});
        }
    auto pins = [&](const toml::table* deps) {
      if (!deps) return;
      for (const auto& [k, v] : *deps)
        if (const toml::table* t = v.as_table())
          if (std::string s = Str(t->get("source")); !s.empty())
            (*pinned)[NormalizeName(std::string(k.str()))] = s;
    };
    pins((*poetry)["dependencies"].as_table());
    pins((*poetry)["dev-dependencies"].as_table());
    if (const toml::table* groups = (*poetry)["group"].as_table())
      for (const auto& [g, v] : *groups)
        if (const toml::table* gt = v.as_table())
          pins((*gt)["dependencies"].as_table());
  }
  if (const toml::table* pdm = (*tool)["pdm"].as_table()) {
    if (const toml::array* a = (*pdm)["source"].as_array())
      for (const toml::node& n : *a)
        if (const toml::table* t = n.as_table()) {
          std::string name = Str(t->get("name"));
          idx->push_back({name, Str(t->get("url")), name == "pypi", false});
        }
  }
}

bool PyprojectConfusion(const DependencyConfusion& dc, const std::string& path,
                        ConfusionResult* out, std::string* err) {
  std::string text;
  if (!ReadFile(path, kMaxInputBytes, &text, err)) return false;
  toml::table doc;
  if (!ParseTomlTable(text, path, &doc, err)) return false;
  DependencySet set;
  ReadPyproject(path, text, &set);
  std::vector<NamedIndex> indexes;
  std::map<std::string, std::string> pinned;
  bool uv_first_index = true;
  PyprojectIndexes(doc, &indexes, &pinned, &uv_first_index);
  // What an unpinned dependency resolves from: the public index unless a
  // default/primary index replaces it, plus every non-explicit index.
  IndexSetup common;
  std::vector<std::string> extra;
  for (const NamedIndex& i : indexes) {
    if (i.explicit_only || i.url.empty()) continue;
    if (i.replaces_public && common.index_url.empty())
      common.index_url = i.url;
    else
      extra.push_back(i.url);
  }
  common.extra_index_urls = extra;
  if (common.index_url.empty()) common.index_url = kPublicIndex;
  std::set<std::string> reported;
  for (const DeclaredDependency& d : set.dependencies) {
    if (d.name.empty() || !d.url.empty()) continue;  // direct references
    std::string norm = NormalizeName(d.name);
    if (!dc.IsPrivate(norm) || !reported.insert(norm + "\t" + d.group).second)
      continue;
    RequirementName req{d.name, d.line, "", false};
    IndexSetup setup = common;
    if (auto p = pinned.find(norm); p != pinned.end()) {
      // Pinned to one named index: only that one is asked.
      setup = IndexSetup{};
      for (const NamedIndex& i : indexes)
        if (i.name == p->second) setup.index_url = i.url;
      if (setup.index_url.empty()) {
        out->notes.push_back(fmt::format(
            "{}: '{}' is pinned to index '{}', which the file does not "
            "define",
            path, d.name, p->second));
        continue;
      }
    }
    std::string why;
    if (!dc.RequirementAtRisk(req, setup, &why)) {
      AddExposed(dc, path, d.line, d.name, out);
      continue;
    }
    // uv asks its indexes in order and stops at the first that has the
    // package: a private index listed (not explicit) shields private names.
    bool shielded = false;
    if (uv_first_index && pinned.find(norm) == pinned.end())
      for (const NamedIndex& i : indexes) {
        if (!i.uv || i.explicit_only || i.url.empty()) continue;
        IndexSetup only;
        only.index_url = i.url;
        std::string unused;
        if (!dc.RequirementAtRisk(req, only, &unused)) shielded = true;
      }
    if (!shielded)
      out->findings.push_back({path, d.line, d.name, why, true});
    else
      AddExposed(dc, path, d.line, d.name, out);
  }
  return true;
}

// --- lockfiles ------------------------------------------------------------

bool LockfileConfusion(const DependencyConfusion& dc, const std::string& path,
                       ConfusionResult* out, std::string* err) {
  std::string text;
  if (!ReadFile(path, kMaxInputBytes, &text, err)) return false;
  DependencySet set;
  if (!ReadLockfile(path, text, &set, err)) return false;
  // poetry.lock records a source only for packages not from the public index.
  const bool empty_means_public =
      LockfileKindOf(path) == LockfileKind::kPoetry;
  for (const DeclaredDependency& d : set.dependencies) {
    if (d.name.empty() || !d.url.empty() || !dc.IsPrivate(d.name)) continue;
    std::string index = d.index_url;
    if (index.empty()) {
      if (!empty_means_public) continue;  // the file does not say
      index = kPublicIndex;
    }
    RequirementName req{d.name, d.line, "", !d.hashes.empty()};
    IndexSetup setup;
    setup.index_url = index;
    std::string why;
    if (!dc.RequirementAtRisk(req, setup, &why)) {
      AddExposed(dc, path, d.line, d.name, out);
      continue;
    }
    why = fmt::format(
        "private package '{}' was locked from {}, not from the private index "
        "({})",
        d.name, index,
        dc.OnPublicIndex(d.name)
            ? "the public index has a project of that name"
            : "the name is free on the public index, so anyone can register "
              "it");
    out->findings.push_back({path, d.line, d.name, why, true});
  }
  return true;
}

}  // namespace

bool FindConfusion(const DependencyConfusion& dc, const std::string& path,
                   ConfusionResult* out, std::string* err) {
  switch (ClassifyInputFile(path)) {
    case InputKind::kPyproject:
      return PyprojectConfusion(dc, path, out, err);
    case InputKind::kLockfile:
      return LockfileConfusion(dc, path, out, err);
    case InputKind::kRequirements:
    case InputKind::kEnvironment:
      break;
  }
  return RequirementsConfusion(dc, path, out, err);
}

}  // namespace pyward
