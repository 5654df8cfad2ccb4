#include "audit/lockfiles.h"

#include <toml++/toml.h>

#include <algorithm>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace pyward {
namespace {

// ---------------------------------------------------------------------------
// Shared helpers.

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// PEP 503 normalized name: lower case, runs of -_. become one '-'.
std::string NormalizeName(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out.push_back('-');
    sep = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Sorted, de-duplicated groups joined with ","; "" when any of them is the
// main group (`main_name`) or there are none.
std::string JoinGroups(std::vector<std::string> groups,
                       std::string_view main_name) {
  for (const std::string& g : groups)
    if (g == main_name) return "";
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::string out;
  for (const std::string& g : groups) {
    if (g.empty()) continue;
    if (!out.empty()) out += ',';
    out += g;
  }
  return out;
}

// Joins distinct markers with " or "; "" when any of them is "" (the
// dependency is then unconditional).
std::string OrMarkers(const std::vector<std::string>& markers) {
  std::vector<std::string> distinct;
  for (const std::string& m : markers) {
    if (Trim(m).empty()) return "";
    if (std::find(distinct.begin(), distinct.end(), m) == distinct.end())
      distinct.push_back(m);
  }
  if (distinct.size() == 1) return distinct[0];
  std::string out;
  for (const std::string& m : distinct) {
    if (!out.empty()) out += " or ";
    out += "(" + m + ")";
  }
  return out;
}

void Pin(DeclaredDependency* d, const std::string& version) {
  if (version.empty()) return;
  d->version = version;
  d->specifier = "==" + version;
}

void AddProblem(DependencySet* out, const std::string& file, int line,
                const std::string& message) {
  out->problems.push_back(
      InputProblem{file, line, "lockfile-entry-invalid", message});
}

// ---------------------------------------------------------------------------
// TOML access that tolerates any shape (untrusted input).

const toml::table* Tbl(const toml::node* n) {
  return n ? n->as_table() : nullptr;
}
const toml::array* Arr(const toml::node* n) {
  return n ? n->as_array() : nullptr;
}
const toml::node* Get(const toml::table* t, std::string_view key) {
  return t ? t->get(key) : nullptr;
}
// The string at `n`, "" when absent or not a string.
std::string Str(const toml::node* n) {
  if (!n) return "";
  if (const auto* s = n->as_string()) return s->get();
  return "";
}
bool Bool(const toml::node* n) {
  if (!n) return false;
  if (const auto* b = n->as_boolean()) return b->get();
  return false;
}
int Line(const toml::node* n) {
  return n ? static_cast<int>(n->source().begin.line) : 0;
}
// The strings of an array (non-strings skipped); a lone string counts too.
std::vector<std::string> Strs(const toml::node* n) {
  std::vector<std::string> out;
  if (const toml::array* a = Arr(n)) {
    for (const toml::node& e : *a)
      if (const auto* s = e.as_string()) out.push_back(s->get());
  } else if (const auto* s = n ? n->as_string() : nullptr) {
    out.push_back(s->get());
  }
  return out;
}

void AddHash(DeclaredDependency* d, const std::string& h) {
  if (h.empty()) return;
  if (std::find(d->hashes.begin(), d->hashes.end(), h) == d->hashes.end())
    d->hashes.push_back(h);
}

// Parses TOML; on failure fills *err with "path:line: ..." and returns false.
bool ParseToml(const std::string& path, std::string_view content,
               toml::table* out, std::string* err) {
  try {
    *out = toml::parse(content, std::string_view(path));
    return true;
  } catch (const toml::parse_error& e) {
    *err = path + ":" + std::to_string(e.source().begin.line) +
           ": malformed TOML: " + Printable(e.description(), 200);
  } catch (const std::exception& e) {
    *err = path + ": malformed TOML: " + Printable(e.what(), 200);
  }
  return false;
}

// The [[package]] (or [[packages]]) array; nullptr with *err set when the key
// holds something else. An absent key gives an empty array.
bool PackageArray(const std::string& path, const toml::table& root,
                  std::string_view key, const toml::array** arr,
                  std::string* err) {
  static const toml::array kEmpty;
  const toml::node* n = root.get(key);
  if (!n) {
    *arr = &kEmpty;
    return true;
  }
  *arr = n->as_array();
  if (!*arr) {
    *err = path + ":" + std::to_string(Line(n)) + ": '" + std::string(key) +
           "' is not an array of tables";
    return false;
  }
  return true;
}

// Name of entry `t`, or "" after recording a problem.
std::string EntryName(const std::string& path, const toml::node& e,
                      DependencySet* out) {
  const toml::table* t = e.as_table();
  if (!t) {
    AddProblem(out, path, Line(&e), "package entry is not a table");
    return "";
  }
  std::string name = std::string(Trim(Str(t->get("name"))));
  if (name.empty())
    AddProblem(out, path, Line(&e), "package entry without a name");
  return name;
}

// Starts `d` from lock entry `e` (name, file, line, pinned version) for the
// lockfiles whose entries carry `name` and `version`; false after recording a
// problem when the entry has no name.
bool StartEntry(const std::string& path, const toml::node& e,
                DependencySet* out, DeclaredDependency* d) {
  d->name = EntryName(path, e, out);
  if (d->name.empty()) return false;
  d->file = path;
  d->line = Line(&e);
  Pin(d, std::string(Trim(Str(e.as_table()->get("version")))));
  return true;
}

// "git+<url>@<rev>" for a VCS source (the prefix is not doubled).
std::string VcsUrl(std::string_view vcs, const std::string& url,
                   const std::string& rev) {
  std::string out = url;
  std::string prefix = std::string(vcs) + "+";
  if (out.rfind(prefix, 0) != 0) out = prefix + out;
  if (!rev.empty()) out += "@" + rev;
  return out;
}

// ---------------------------------------------------------------------------
// poetry.lock: [[package]] with name, version, files (hashes), category
// (1.x) or groups (lock 2.1), markers (a string or a table group -> marker),
// [package.source] (git/url/file/directory/legacy), develop; lock 1.x keeps
// hashes in [metadata.files]. Extras requested of a package are read from the
// dependents' [package.dependencies] entries.

void CollectPoetryExtras(const toml::node* spec,
                         std::set<std::string>* extras) {
  if (const toml::array* a = Arr(spec)) {
    for (const toml::node& e : *a) CollectPoetryExtras(&e, extras);
    return;
  }
  for (const std::string& x : Strs(Get(Tbl(spec), "extras"))) extras->insert(x);
}

bool ReadPoetry(const std::string& path, const toml::table& root,
                DependencySet* out, std::string* err) {
  const toml::array* pkgs = nullptr;
  if (!PackageArray(path, root, "package", &pkgs, err)) return false;

  std::map<std::string, const toml::array*> legacy_files;
  if (const toml::table* mf = Tbl(Get(Tbl(root.get("metadata")), "files"))) {
    for (auto&& [k, v] : *mf)
      if (const toml::array* a = v.as_array())
        legacy_files[NormalizeName(k.str())] = a;
  }
  std::map<std::string, std::set<std::string>> requested_extras;
  for (const toml::node& e : *pkgs) {
    if (const toml::table* deps = Tbl(Get(e.as_table(), "dependencies"))) {
      for (auto&& [k, v] : *deps)
        CollectPoetryExtras(&v, &requested_extras[NormalizeName(k.str())]);
    }
  }

  for (const toml::node& e : *pkgs) {
    DeclaredDependency d;
    if (!StartEntry(path, e, out, &d)) continue;
    const toml::table* t = e.as_table();
    std::string norm = NormalizeName(d.name);
    auto rx = requested_extras.find(norm);
    if (rx != requested_extras.end())
      d.extras.assign(rx->second.begin(), rx->second.end());

    // Hashes: per package (lock >= 2.0) or in [metadata.files] (1.x).
    const toml::array* files = Arr(t->get("files"));
    if (!files) {
      auto it = legacy_files.find(norm);
      if (it != legacy_files.end()) files = it->second;
    }
    if (files)
      for (const toml::node& f : *files)
        AddHash(&d, Str(Get(f.as_table(), "hash")));

    // Group: category (1.x) or groups (2.1).
    std::vector<std::string> groups = Strs(t->get("groups"));
    bool in_main = groups.empty();
    if (!groups.empty()) {
      in_main = std::find(groups.begin(), groups.end(), "main") != groups.end();
      d.group = JoinGroups(groups, "main");
    } else {
      std::string cat = Str(t->get("category"));
      if (!cat.empty() && cat != "main") {
        d.group = cat;
        in_main = false;
      }
    }

    // Markers: a string, or per group (lock 2.1).
    const toml::node* m = t->get("markers");
    if (const auto* s = m ? m->as_string() : nullptr) {
      d.marker = s->get();
    } else if (const toml::table* mt = Tbl(m)) {
      if (in_main) {
        d.marker = Str(mt->get("main"));
      } else {
        std::vector<std::string> per_group;
        for (const std::string& g : groups)
          per_group.push_back(Str(mt->get(g)));
        d.marker = OrMarkers(per_group);
      }
    }

    d.editable = Bool(t->get("develop"));
    if (const toml::table* src = Tbl(t->get("source"))) {
      std::string type = Str(src->get("type"));
      std::string url = Str(src->get("url"));
      if (type == "git" || type == "hg" || type == "svn" || type == "bzr") {
        std::string rev = Str(src->get("resolved_reference"));
        if (rev.empty()) rev = Str(src->get("reference"));
        d.url = VcsUrl(type, url, rev);
      } else if (type == "url" || type == "file" || type == "directory") {
        d.url = url;
      } else if (!url.empty()) {
        d.index_url = url;  // legacy / explicit / supplemental index
      }
    }
    out->dependencies.push_back(std::move(d));
  }
  return true;
}

// ---------------------------------------------------------------------------
// pdm.lock: [[package]] with name, version, groups ("default" is main),
// marker, extras, files [{file|url, hash}], and VCS / URL / path sources
// (git + revision, url, path, editable).

bool ReadPdm(const std::string& path, const toml::table& root,
             DependencySet* out, std::string* err) {
  const toml::array* pkgs = nullptr;
  if (!PackageArray(path, root, "package", &pkgs, err)) return false;
  for (const toml::node& e : *pkgs) {
    DeclaredDependency d;
    if (!StartEntry(path, e, out, &d)) continue;
    const toml::table* t = e.as_table();
    d.extras = Strs(t->get("extras"));
    d.marker = Str(t->get("marker"));
    d.group = JoinGroups(Strs(t->get("groups")), "default");
    if (const toml::array* files = Arr(t->get("files")))
      for (const toml::node& f : *files)
        AddHash(&d, Str(Get(f.as_table(), "hash")));
    d.editable = Bool(t->get("editable"));
    for (const char* vcs : {"git", "hg", "svn", "bzr"}) {
      std::string url = Str(t->get(vcs));
      if (url.empty()) continue;
      std::string rev = Str(t->get("revision"));
      if (rev.empty()) rev = Str(t->get("ref"));
      d.url = VcsUrl(vcs, url, rev);
      break;
    }
    if (d.url.empty()) d.url = Str(t->get("url"));
    if (d.url.empty()) d.url = Str(t->get("path"));
    out->dependencies.push_back(std::move(d));
  }
  return true;
}

// ---------------------------------------------------------------------------
// uv.lock: [[package]] with name, version, source (registry / git / url /
// path / directory / editable / virtual), sdist and wheels hashes,
// dependencies (edges with name, optional version, marker and extra),
// optional-dependencies and dev-dependencies. The project itself (the
// workspace members: editable or virtual sources listed in [manifest]
// members, or at ".") is not a dependency. Groups are found by walking the
// edges from the members: their dependencies are main, their
// optional-dependencies give the extra's name, their dev-dependencies the
// group's name. A package's marker is the union of the markers on the edges
// that require it (not composed along the path).

struct UvNode {
  const toml::table* t = nullptr;
  std::string norm;
  std::string version;
  bool member = false;
  std::set<std::string> labels;         // groups reaching it ("" = main)
  std::vector<std::string> in_markers;  // markers on incoming edges
  std::set<std::string> extras;         // extras requested on edges
};

bool ReadUv(const std::string& path, const toml::table& root,
            DependencySet* out, std::string* err) {
  const toml::array* pkgs = nullptr;
  if (!PackageArray(path, root, "package", &pkgs, err)) return false;

  std::set<std::string> members;
  for (const std::string& m : Strs(Get(Tbl(root.get("manifest")), "members")))
    members.insert(NormalizeName(m));

  std::vector<UvNode> nodes;
  std::vector<const toml::node*> entries;  // parallel to nodes
  for (const toml::node& e : *pkgs) {
    std::string name = EntryName(path, e, out);
    if (name.empty()) continue;
    UvNode n;
    n.t = e.as_table();
    n.norm = NormalizeName(name);
    n.version = std::string(Trim(Str(n.t->get("version"))));
    const toml::table* src = Tbl(n.t->get("source"));
    bool local_project =
        Get(src, "virtual") || Str(Get(src, "editable")) == ".";
    n.member = members.count(n.norm)
                   ? (Get(src, "virtual") || Get(src, "editable"))
                   : local_project;
    nodes.push_back(std::move(n));
    entries.push_back(&e);
  }
  std::multimap<std::string, size_t> by_name;
  for (size_t i = 0; i < nodes.size(); ++i) by_name.emplace(nodes[i].norm, i);

  // Targets of one edge: the named package, narrowed by version if given.
  auto targets = [&](const toml::table* edge) {
    std::vector<size_t> out_idx;
    std::string norm = NormalizeName(Str(Get(edge, "name")));
    std::string version = Str(Get(edge, "version"));
    auto [lo, hi] = by_name.equal_range(norm);
    for (auto it = lo; it != hi; ++it)
      if (version.empty() || nodes[it->second].version == version)
        out_idx.push_back(it->second);
    return out_idx;
  };

  // Walk: (node, label) pairs.
  std::vector<std::pair<size_t, std::string>> work;
  auto follow = [&](const toml::node* list, const std::string& label,
                    bool record_marker) {
    const toml::array* a = Arr(list);
    if (!a) return;
    for (const toml::node& ed : *a) {
      const toml::table* edge = ed.as_table();
      if (!edge) continue;
      std::vector<std::string> extras = Strs(edge->get("extra"));
      for (size_t j : targets(edge)) {
        if (record_marker)
          nodes[j].in_markers.push_back(Str(edge->get("marker")));
        for (const std::string& x : extras) {
          if (nodes[j].extras.insert(x).second) {
            // A newly requested extra: its optional deps inherit j's labels.
            for (const std::string& l : nodes[j].labels)
              work.emplace_back(j, l);
          }
        }
        work.emplace_back(j, label);
      }
    }
  };
  bool any_member = false;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].member) continue;
    any_member = true;
    const toml::table* t = nodes[i].t;
    follow(t->get("dependencies"), "", true);
    if (const toml::table* opt = Tbl(t->get("optional-dependencies")))
      for (auto&& [k, v] : *opt) follow(&v, std::string(k.str()), true);
    if (const toml::table* dev = Tbl(t->get("dev-dependencies")))
      for (auto&& [k, v] : *dev) follow(&v, std::string(k.str()), true);
  }
  // Markers on edges between non-member packages.
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].member) continue;
    const toml::array* a = Arr(nodes[i].t->get("dependencies"));
    if (a)
      for (const toml::node& ed : *a)
        for (size_t j : targets(ed.as_table()))
          nodes[j].in_markers.push_back(Str(Get(ed.as_table(), "marker")));
    if (const toml::table* opt = Tbl(nodes[i].t->get("optional-dependencies")))
      for (auto&& [k, v] : *opt)
        if (const toml::array* oa = v.as_array())
          for (const toml::node& ed : *oa)
            for (size_t j : targets(ed.as_table()))
              nodes[j].in_markers.push_back(Str(Get(ed.as_table(), "marker")));
  }
  std::set<std::pair<size_t, std::string>> done_deps;
  std::set<std::tuple<size_t, std::string, std::string>> done_extras;
  while (!work.empty()) {
    auto [j, label] = work.back();
    work.pop_back();
    nodes[j].labels.insert(label);
    if (nodes[j].member) continue;
    const toml::table* t = nodes[j].t;
    if (done_deps.emplace(j, label).second)
      follow(t->get("dependencies"), label, false);
    if (const toml::table* opt = Tbl(t->get("optional-dependencies"))) {
      std::set<std::string> extras = nodes[j].extras;  // follow() may add
      for (const std::string& x : extras)
        if (done_extras.emplace(j, label, x).second)
          follow(opt->get(x), label, false);
    }
  }

  for (size_t i = 0; i < nodes.size(); ++i) {
    const UvNode& n = nodes[i];
    if (n.member) continue;
    const toml::table* t = n.t;
    DeclaredDependency d;
    d.name = std::string(Trim(Str(t->get("name"))));
    d.file = path;
    d.line = Line(entries[i]);
    Pin(&d, n.version);
    d.extras.assign(n.extras.begin(), n.extras.end());
    if (any_member && !n.labels.count(""))
      d.group = JoinGroups({n.labels.begin(), n.labels.end()}, "");
    d.marker = OrMarkers(n.in_markers);
    AddHash(&d, Str(Get(Tbl(t->get("sdist")), "hash")));
    if (const toml::array* w = Arr(t->get("wheels")))
      for (const toml::node& f : *w)
        AddHash(&d, Str(Get(f.as_table(), "hash")));
    if (const toml::table* src = Tbl(t->get("source"))) {
      if (std::string reg = Str(src->get("registry")); !reg.empty()) {
        d.index_url = reg;
      } else if (std::string git = Str(src->get("git")); !git.empty()) {
        // "https://host/repo.git?rev=v1#<commit>" ->
        // "git+https://host/repo.git@<commit>"
        size_t hash = git.find('#');
        std::string commit =
            hash == std::string::npos ? "" : git.substr(hash + 1);
        std::string base = git.substr(0, std::min(git.find('?'), hash));
        d.url = commit.empty() ? VcsUrl("git", git, "")
                               : VcsUrl("git", base, commit);
      } else if (std::string url = Str(src->get("url")); !url.empty()) {
        d.url = url;
      } else if (std::string p = Str(src->get("editable")); !p.empty()) {
        d.url = p;
        d.editable = true;
      } else {
        for (const char* k : {"path", "directory", "virtual"})
          if (d.url.empty()) d.url = Str(src->get(k));
      }
    }
    out->dependencies.push_back(std::move(d));
  }
  return true;
}

// ---------------------------------------------------------------------------
// pylock.toml (PEP 751): [[packages]] with name, optional version, marker,
// index, vcs / directory / archive sources, sdist and wheels with hashes
// tables. Groups come from the marker ("'dev' in dependency_groups",
// "'x' in extras"); names in default-groups count as main.

// Names compared against `variable` in the marker ("'dev' in
// dependency_groups").
std::vector<std::string> MarkerMembership(std::string_view marker,
                                          std::string_view variable) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = marker.find(variable, pos)) != std::string_view::npos) {
    size_t end = pos;
    pos += variable.size();
    // Walk back over " in " and the quoted name before it.
    size_t i = end;
    while (i > 0 && marker[i - 1] == ' ') --i;
    if (i < 2 || marker.substr(i - 2, 2) != "in") continue;
    i -= 2;
    if (i >= 4 && marker.substr(i - 4, 4) == "not ") continue;
    while (i > 0 && marker[i - 1] == ' ') --i;
    if (i == 0) continue;
    char q = marker[i - 1];
    if (q != '\'' && q != '"') continue;
    size_t close = i - 1;
    size_t open = marker.rfind(q, close == 0 ? 0 : close - 1);
    if (open == std::string_view::npos || open >= close) continue;
    out.emplace_back(marker.substr(open + 1, close - open - 1));
  }
  return out;
}

void AddHashTable(DeclaredDependency* d, const toml::node* hashes) {
  if (const toml::table* h = Tbl(hashes))
    for (auto&& [algo, v] : *h)
      if (std::string hex = Str(&v); !hex.empty())
        AddHash(d, std::string(algo.str()) + ":" + hex);
}

bool ReadPylock(const std::string& path, const toml::table& root,
                DependencySet* out, std::string* err) {
  std::string lock_version = Str(root.get("lock-version"));
  if (lock_version.empty() ||
      lock_version.substr(0, lock_version.find('.')) != "1") {
    *err = path + ": unsupported or missing lock-version '" +
           Printable(lock_version, 40) + "' (pylock.toml 1.x expected)";
    return false;
  }
  const toml::array* pkgs = nullptr;
  if (!PackageArray(path, root, "packages", &pkgs, err)) return false;
  std::vector<std::string> defaults = Strs(root.get("default-groups"));
  for (const toml::node& e : *pkgs) {
    DeclaredDependency d;
    if (!StartEntry(path, e, out, &d)) continue;
    const toml::table* t = e.as_table();
    d.marker = Str(t->get("marker"));
    d.index_url = Str(t->get("index"));
    std::vector<std::string> groups =
        MarkerMembership(d.marker, "dependency_groups");
    for (const std::string& x : MarkerMembership(d.marker, "extras"))
      groups.push_back(x);
    bool is_default = false;
    for (const std::string& g : groups)
      if (std::find(defaults.begin(), defaults.end(), g) != defaults.end())
        is_default = true;
    if (!is_default) d.group = JoinGroups(groups, "");
    if (const toml::table* vcs = Tbl(t->get("vcs"))) {
      std::string type = Str(vcs->get("type"));
      std::string url = Str(vcs->get("url"));
      if (url.empty()) url = Str(vcs->get("path"));
      std::string rev = Str(vcs->get("commit-id"));
      if (rev.empty()) rev = Str(vcs->get("requested-revision"));
      d.url = VcsUrl(type.empty() ? "git" : type, url, rev);
    } else if (const toml::table* dir = Tbl(t->get("directory"))) {
      d.url = Str(dir->get("path"));
      d.editable = Bool(dir->get("editable"));
    } else if (const toml::table* ar = Tbl(t->get("archive"))) {
      d.url = Str(ar->get("url"));
      if (d.url.empty()) d.url = Str(ar->get("path"));
      AddHashTable(&d, ar->get("hashes"));
    }
    AddHashTable(&d, Get(Tbl(t->get("sdist")), "hashes"));
    if (const toml::array* w = Arr(t->get("wheels")))
      for (const toml::node& f : *w)
        AddHashTable(&d, Get(f.as_table(), "hashes"));
    out->dependencies.push_back(std::move(d));
  }
  return true;
}

// ---------------------------------------------------------------------------
// Pipfile.lock (JSON): {"_meta": {"sources": [{name, url}]}, "default": {},
// "develop": {}, other categories}; entries {version "==X", hashes, markers,
// extras, index, git + ref, file, path, editable}.

// Byte offset of the JSON object key `key` at or after `from` (a quoted string
// followed by ':'), npos when absent.
size_t FindJsonKey(std::string_view text, const std::string& key, size_t from) {
  std::string quoted = nlohmann::json(key).dump();
  size_t pos = from;
  while ((pos = text.find(quoted, pos)) != std::string_view::npos) {
    size_t after = pos + quoted.size();
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t' ||
                                   text[after] == '\r' || text[after] == '\n'))
      ++after;
    if (after < text.size() && text[after] == ':') return pos;
    pos += 1;
  }
  return std::string_view::npos;
}

std::string JStr(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<std::string> JStrs(const nlohmann::ordered_json& j,
                               const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array())
    for (const auto& e : *it)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

bool ReadPipfileLock(const std::string& path, std::string_view content,
                     DependencySet* out, std::string* err) {
  nlohmann::ordered_json root;
  try {
    root = nlohmann::ordered_json::parse(content.begin(), content.end());
  } catch (const nlohmann::json::parse_error& e) {
    size_t off = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, content.size());
    *err = path + ":" + std::to_string(LineOfOffset(content, off)) +
           ": malformed JSON: " + Printable(e.what(), 200);
    return false;
  } catch (const std::exception& e) {
    *err = path + ": malformed JSON: " + Printable(e.what(), 200);
    return false;
  }
  if (!root.is_object()) {
    *err = path + ": not a Pipfile.lock (the top level is not a JSON object)";
    return false;
  }
  std::map<std::string, std::string> sources;
  auto meta = root.find("_meta");
  if (meta != root.end() && meta->is_object()) {
    auto s = meta->find("sources");
    if (s != meta->end() && s->is_array())
      for (const auto& src : *s)
        if (src.is_object()) sources[JStr(src, "name")] = JStr(src, "url");
  }
  size_t cursor = 0;
  for (const auto& [section, entries] : root.items()) {
    if (section == "_meta" || !entries.is_object()) continue;
    std::string group = section == "default"   ? ""
                        : section == "develop" ? "dev"
                                               : section;
    size_t sec_pos = FindJsonKey(content, section, cursor);
    size_t pos = sec_pos == std::string_view::npos ? cursor : sec_pos;
    for (const auto& [name, e] : entries.items()) {
      size_t at = FindJsonKey(content, name, pos);
      int line = 0;
      if (at != std::string_view::npos) {
        line = LineOfOffset(content, at);
        pos = at + 1;
      }
      if (!e.is_object()) {
        AddProblem(out, path, line,
                   "entry '" + Printable(name, 80) + "' in '" +
                       Printable(section, 40) + "' is not an object");
        continue;
      }
      DeclaredDependency d;
      d.name = name;
      d.file = path;
      d.line = line;
      d.group = group;
      std::string version = JStr(e, "version");
      d.specifier = version;
      std::string_view v = Trim(version);
      if (v.rfind("===", 0) == 0) {
        d.version = std::string(Trim(v.substr(3)));
      } else if (v.rfind("==", 0) == 0) {
        d.version = std::string(Trim(v.substr(2)));
      }
      if (d.version && d.version->empty()) d.version.reset();
      d.hashes = JStrs(e, "hashes");
      d.marker = JStr(e, "markers");
      d.extras = JStrs(e, "extras");
      auto ed = e.find("editable");
      d.editable = ed != e.end() && ed->is_boolean() && ed->get<bool>();
      std::string index = JStr(e, "index");
      if (!index.empty()) {
        auto it = sources.find(index);
        d.index_url = it != sources.end() ? it->second : index;
      }
      for (const char* vcs : {"git", "hg", "svn", "bzr"}) {
        std::string url = JStr(e, vcs);
        if (url.empty()) continue;
        d.url = VcsUrl(vcs, url, JStr(e, "ref"));
        break;
      }
      if (d.url.empty()) d.url = JStr(e, "file");
      if (d.url.empty()) d.url = JStr(e, "path");
      out->dependencies.push_back(std::move(d));
    }
    if (pos > cursor) cursor = pos;
  }
  return true;
}

}  // namespace

LockfileKind LockfileKindOf(std::string_view path) {
  std::string_view base = BaseName(path);
  if (base == "poetry.lock") return LockfileKind::kPoetry;
  if (base == "Pipfile.lock") return LockfileKind::kPipfile;
  if (base == "uv.lock") return LockfileKind::kUv;
  if (base == "pdm.lock") return LockfileKind::kPdm;
  if (base == "pylock.toml") return LockfileKind::kPylock;
  // pylock.<name>.toml, where <name> holds no dot (PEP 751).
  constexpr std::string_view kPre = "pylock.", kSuf = ".toml";
  if (base.size() > kPre.size() + kSuf.size() &&
      base.substr(0, kPre.size()) == kPre &&
      base.substr(base.size() - kSuf.size()) == kSuf) {
    std::string_view mid =
        base.substr(kPre.size(), base.size() - kPre.size() - kSuf.size());
    if (mid.find('.') == std::string_view::npos) return LockfileKind::kPylock;
  }
  return LockfileKind::kNone;
}

bool IsLockfileName(std::string_view path) {
  return LockfileKindOf(path) != LockfileKind::kNone;
}

bool ReadLockfile(const std::string& path, std::string_view content,
                  DependencySet* out, std::string* err) {
  LockfileKind kind = LockfileKindOf(path);
  if (kind == LockfileKind::kNone) {
    *err = path +
           ": not a known lockfile name (poetry.lock, Pipfile.lock, "
           "uv.lock, pdm.lock, pylock.toml, pylock.<name>.toml)";
    return false;
  }
  DependencySet local;
  bool ok = false;
  try {
    if (kind == LockfileKind::kPipfile) {
      ok = ReadPipfileLock(path, content, &local, err);
    } else {
      toml::table root;
      if (!ParseToml(path, content, &root, err)) return false;
      switch (kind) {
        case LockfileKind::kPoetry:
          ok = ReadPoetry(path, root, &local, err);
          break;
        case LockfileKind::kUv:
          ok = ReadUv(path, root, &local, err);
          break;
        case LockfileKind::kPdm:
          ok = ReadPdm(path, root, &local, err);
          break;
        case LockfileKind::kPylock:
          ok = ReadPylock(path, root, &local, err);
          break;
        default:
          break;
      }
    }
  } catch (const std::exception& e) {
    *err = path + ": cannot read lockfile: " + Printable(e.what(), 200);
    return false;
  }
  if (!ok) return false;
  for (DeclaredDependency& d : local.dependencies) {
    if (!d.hashes.empty()) out->uses_hashes = true;
    out->dependencies.push_back(std::move(d));
  }
  for (InputProblem& p : local.problems) out->problems.push_back(std::move(p));
  return true;
}

}  // namespace pyward
