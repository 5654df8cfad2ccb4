#include "package/package.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <toml++/toml.h>

#include "util/strings.h"

namespace pyward {

std::string_view ArtifactKindName(ArtifactKind k) {
  switch (k) {
    case ArtifactKind::kSdist: return "sdist";
    case ArtifactKind::kWheel: return "wheel";
    case ArtifactKind::kEgg: return "egg";
    case ArtifactKind::kZip: return "zip";
    case ArtifactKind::kTree: return "tree";
    case ArtifactKind::kFile: return "file";
  }
  return "file";
}

std::string_view RoleName(FileRole r) {
  switch (r) {
    case FileRole::kInstall: return "install";
    case FileRole::kImport: return "import";
    case FileRole::kRuntime: return "runtime";
    case FileRole::kTest: return "test";
  }
  return "runtime";
}

Phase PhaseOfRole(FileRole r) {
  switch (r) {
    case FileRole::kInstall: return Phase::kInstall;
    case FileRole::kImport: return Phase::kImport;
    case FileRole::kRuntime: return Phase::kRuntime;
    case FileRole::kTest: return Phase::kNone;
  }
  return Phase::kRuntime;
}

std::string MetadataField(std::string_view metadata, std::string_view key) {
  std::string want = ToLower(key);
  size_t pos = 0;
  while (pos < metadata.size()) {
    size_t eol = metadata.find('\n', pos);
    if (eol == std::string_view::npos) eol = metadata.size();
    std::string_view line = metadata.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header block
    if (line[0] == ' ' || line[0] == '\t') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (ToLower(Trim(line.substr(0, colon))) == want)
      return std::string(Trim(line.substr(colon + 1)));
  }
  return "";
}

static std::string_view BaseName(std::string_view p) {
  size_t s = p.find_last_of("/\\");
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

bool NameFromFileName(std::string_view file_name, std::string* name,
                      std::string* version) {
  std::string_view base = BaseName(file_name);
  static const char* kSuffixes[] = {".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst",
                                    ".tgz",    ".tbz2",    ".txz",    ".tar",
                                    ".zip",    ".whl",     ".egg",    ".py"};
  std::string_view stem = base;
  for (const char* s : kSuffixes) {
    if (EndsWithIgnoreCase(stem, s)) {
      stem.remove_suffix(std::string_view(s).size());
      break;
    }
  }
  if (EndsWithIgnoreCase(stem, ".orig")) stem.remove_suffix(5);
  if (EndsWithIgnoreCase(base, ".whl") || EndsWithIgnoreCase(base, ".egg")) {
    // name-version[-build]-tags: names never contain '-' here.
    auto parts = Split(stem, '-');
    if (parts.size() < 2 || parts[0].empty()) return false;
    *name = std::string(parts[0]);
    *version = std::string(parts[1]);
    return true;
  }
  // sdist: the version starts after the last '-' (or '_') followed by a digit.
  for (char sep : {'-', '_'}) {
    for (size_t i = stem.size(); i-- > 1;) {
      if (stem[i] == sep && i + 1 < stem.size() && std::isdigit(uint8_t(stem[i + 1]))) {
        *name = std::string(stem.substr(0, i));
        *version = std::string(stem.substr(i + 1));
        return true;
      }
    }
  }
  if (stem.empty()) return false;
  *name = std::string(stem);
  version->clear();
  return true;
}

bool IsTestOrDocPath(std::string_view rel) {
  static const std::set<std::string, std::less<>> kDirs = {
      "test", "tests", "testing", "doc", "docs", "example", "examples",
      "benchmark", "benchmarks"};
  auto parts = Split(rel, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i)
    if (kDirs.count(ToLower(parts[i]))) return true;
  std::string_view file = parts.back();
  return (file.substr(0, 5) == "test_" && EndsWithIgnoreCase(file, ".py")) ||
         EndsWithIgnoreCase(file, "_test.py") || file == "conftest.py";
}

int RoleRank(FileRole r) {
  switch (r) {
    case FileRole::kInstall: return 3;
    case FileRole::kImport: return 2;
    case FileRole::kRuntime: return 1;
    case FileRole::kTest: return 0;
  }
  return 1;
}

Finding LinkCodeFinding(const PackageFile& f, FileRole role) {
  Finding link;
  link.rule = "archive-link-code";
  link.severity = Severity::kInfo;
  link.phase = PhaseOfRole(role);
  link.file = f.path;
  link.message = "a link to " + Printable(f.target->FullPath(), 200);
  if (f.member->FullPath() != f.path)
    link.message += " (through the folder link " + Printable(f.member->FullPath(), 200) + ")";
  link.message += ": that code runs at " + std::string(RoleName(role)) + " time through this name";
  return link;
}

std::string_view ImportPath(std::string_view rel) {
  if (rel.substr(0, 4) == "src/") return rel.substr(4);
  size_t slash = rel.find('/');
  if (slash != std::string_view::npos && EndsWithIgnoreCase(rel.substr(0, slash), ".data")) {
    std::string_view rest = rel.substr(slash + 1);
    for (std::string_view lib : {std::string_view("purelib/"), std::string_view("platlib/")})
      if (rest.substr(0, lib.size()) == lib) return rest.substr(lib.size());
  }
  return rel;
}

namespace {

// Folders named by pyproject.toml's build-system.backend-path.
std::vector<std::string> BackendPaths(std::string_view pyproject) {
  std::vector<std::string> out;
  toml::table table;
  try {
    table = toml::parse(pyproject);
  } catch (const toml::parse_error&) {
    return out;  // a broken pyproject.toml names no backend path
  }
  if (const toml::array* arr = table["build-system"]["backend-path"].as_array()) {
    for (const toml::node& n : *arr) {
      if (auto s = n.value<std::string>()) {
        std::string p = *s;
        while (p.size() >= 2 && p[0] == '.' && p[1] == '/') p.erase(0, 2);
        if (p == ".") p.clear();
        if (!p.empty() && p.back() != '/') p += '/';
        out.push_back(p);
      }
    }
  }
  return out;
}

// A package whose every module with code sits in a test, doc or example
// folder inside its package (pkg/__init__.py empty, pkg/example/run.py
// holding everything): those modules are what it installs, and are read
// as runtime code.
void ExamplesAsCode(std::vector<PackageFile*>& files) {
  std::set<std::string, std::less<>> package_dirs;  // folders holding an __init__.py
  for (const PackageFile* f : files)
    if (BaseName(f->rel) == "__init__.py")
      package_dirs.insert(f->rel.substr(0, f->rel.size() - std::string_view("__init__.py").size()));
  // Stops at the first line of code (no copy of the file's lines).
  auto has_code = [](std::string_view text) {
    for (size_t pos = 0; pos < text.size();) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = Trim(text.substr(pos, nl - pos));
      if (!line.empty() && line[0] != '#') return true;
      pos = nl + 1;
    }
    return false;
  };
  std::vector<PackageFile*> inside;
  for (PackageFile* f : files) {
    if (!EndsWithIgnoreCase(f->rel, ".py") || f->role == FileRole::kInstall) continue;
    if (f->role != FileRole::kTest) {
      if (has_code(f->data())) return;  // the package has code of its own
      continue;
    }
    // In a package folder below another package folder (pkg/example/x.py).
    std::string dir = f->rel.substr(0, f->rel.rfind('/') + 1);
    if (dir.empty() || !package_dirs.count(dir)) continue;
    std::string parent = dir.substr(0, dir.size() - 1);
    parent = parent.substr(0, parent.rfind('/') + 1);
    if (parent.empty() || !package_dirs.count(parent)) continue;
    inside.push_back(f);
  }
  for (PackageFile* f : inside) f->role = FileRole::kRuntime;
}

// Assigns roles to the files of one package level (top or one nested
// archive): they share `container`.
void AssignRoles(std::vector<PackageFile*>& files, bool wheel_like) {
  // A single top folder holding everything is the sdist root.
  std::string root;
  bool first = true;
  // The path each file is reached by at its level: a link's file is named
  // by the link.
  auto level_path = [](const PackageFile* f) {
    return std::string_view(f->path).substr(f->member->container.size());
  };
  for (PackageFile* f : files) {
    std::string_view path = level_path(f);
    size_t slash = path.find('/');
    std::string top(slash == std::string_view::npos ? "" : path.substr(0, slash + 1));
    if (first) root = top;
    else if (top != root) root.clear();
    first = false;
    if (root.empty()) break;
  }
  std::vector<std::string> backend;
  // The build configuration of a source distribution: a top-level module of
  // an sdist is installed (and imported) only when it names it.
  std::string build_config;
  bool source_level = false;
  for (PackageFile* f : files) {
    f->rel = std::string(level_path(f).substr(root.size()));
    if (f->rel == "pyproject.toml") backend = BackendPaths(f->data());
    if (f->rel == "setup.py" || f->rel == "setup.cfg" || f->rel == "pyproject.toml") {
      source_level = true;
      build_config.append(f->data().substr(0, 1 << 20));
    }
  }
  // Top-level modules of an sdist that its build files do not name are
  // development scripts (release.py, bootstrap.py, examples): they ship in
  // the sdist but are neither installed nor imported.
  auto named_by_build = [&](std::string_view mod) {
    std::string name(mod.substr(0, mod.rfind('.')));
    for (const char* q : {"'", "\""})
      if (build_config.find(q + name + q) != std::string::npos) return true;
    // setup.cfg / pyproject lists: py_modules = a, b / py-modules = ["a"]
    for (size_t at = build_config.find(name); at != std::string::npos;
         at = build_config.find(name, at + 1)) {
      size_t line = build_config.rfind('\n', at);
      std::string_view head = std::string_view(build_config).substr(
          line == std::string::npos ? 0 : line + 1, at - (line == std::string::npos ? 0 : line + 1));
      if (head.find("py_modules") != std::string_view::npos ||
          head.find("py-modules") != std::string_view::npos)
        return true;
    }
    return false;
  };
  for (PackageFile* f : files) {
    std::string_view rel = f->rel;
    std::string_view mod = ImportPath(rel);
    bool in_backend = std::any_of(backend.begin(), backend.end(), [&](const std::string& b) {
      return rel.substr(0, b.size()) == b && EndsWithIgnoreCase(rel, ".py");
    });
    if (rel == "setup.py" || EndsWithIgnoreCase(rel, ".pth") || in_backend) {
      f->role = FileRole::kInstall;
    } else if (IsTestOrDocPath(rel)) {
      f->role = FileRole::kTest;
    } else if (EndsWithIgnoreCase(mod, ".py") && mod.find('/') == std::string_view::npos) {
      f->role = !source_level || named_by_build(mod) ? FileRole::kImport : FileRole::kRuntime;
    } else if (EndsWithIgnoreCase(mod, ".py") && std::count(mod.begin(), mod.end(), '/') == 1 &&
               BaseName(mod) == "__init__.py") {
      f->role = FileRole::kImport;
    } else {
      f->role = FileRole::kRuntime;
    }
    (void)wheel_like;
  }
  ExamplesAsCode(files);
}

// The archive path `link` leads to ("a/b/setup.py" -> "../x.py" is
// "a/x.py"), or "" when it leaves the archive: a hard link names an archive
// path, a symbolic link a path relative to its own folder.
std::string LinkPath(const ArchiveMember& link) {
  std::string_view target = link.link_target;
  if (target.empty() || target[0] == '/') return "";
  std::vector<std::string_view> parts;
  if (link.kind == MemberKind::kSymlink) {
    parts = Split(link.path, '/');
    parts.pop_back();  // the link's own name
  }
  for (std::string_view seg : Split(target, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg != "..") {
      parts.push_back(seg);
    } else if (parts.empty()) {
      return "";
    } else {
      parts.pop_back();
    }
  }
  std::string out;
  for (std::string_view seg : parts) {
    if (!out.empty()) out += '/';
    out += seg;
  }
  return out;
}

// The members of one archive level by path, and the paths their links
// lead to. Lookups and visits share one budget per archive: hostile link
// chains and folder links cost bounded time.
class LinkResolver {
 public:
  explicit LinkResolver(const Archive& archive) {
    for (const ArchiveMember& m : archive.members)
      by_path_.emplace(Key{m.container, m.path}, &m);
  }

  // The member at `path` of level `container`, or nullptr.
  const ArchiveMember* Find(std::string_view container, std::string_view path) const {
    auto it = by_path_.find(Key{container, path});
    return it == by_path_.end() ? nullptr : it->second;
  }

  // The path `path` names once every link on the way is followed
  // ("p/mypkg/x.py" with the folder link p/mypkg -> lib is "p/lib/x.py");
  // false when a link leaves the archive, links lead on too many times, the
  // path grows past 4096 bytes or the budget is spent.
  bool Follow(std::string_view container, std::string path, std::string* out) {
    for (int hop = 0; hop <= 8; ++hop) {
      bool moved = false;
      if (path.size() > 4096) return false;
      for (size_t pos = 0;;) {
        if (steps_ == 0) return false;
        --steps_;
        size_t slash = path.find('/', pos);
        bool last = slash == std::string::npos;
        const ArchiveMember* m = Find(container, std::string_view(path).substr(0, slash));
        // A hard link names a file: it leads on only as the path's last part.
        if (m && (m->kind == MemberKind::kSymlink || (m->kind == MemberKind::kHardlink && last))) {
          if (m->link_target.size() > 4096) return false;
          std::string to = LinkPath(*m);
          if (to.empty()) return false;
          if (!last) to += path.substr(slash);
          path = std::move(to);
          moved = true;
          break;
        }
        if (last) break;
        pos = slash + 1;
      }
      if (!moved) {
        *out = std::move(path);
        return true;
      }
    }
    return false;
  }

  // Calls fn(member) for each member below folder `dir` of level
  // `container`, while the budget lasts.
  template <typename Fn>
  void ForEachBelow(std::string_view container, const std::string& dir, Fn fn) {
    std::string prefix = dir + '/';
    for (auto it = by_path_.lower_bound(Key{container, prefix});
         steps_ > 0 && it != by_path_.end() && it->first.first == container &&
         it->first.second.substr(0, prefix.size()) == prefix;
         ++it) {
      --steps_;
      fn(*it->second);
    }
  }

 private:
  using Key = std::pair<std::string_view, std::string_view>;
  std::map<Key, const ArchiveMember*> by_path_;
  size_t steps_ = size_t{1} << 22;
};

// Links of a source archive that lead to a file of the same archive level
// (through at most a few other links), and the files below a linked folder,
// as package files named by the link and reading the target's bytes: pip
// extracts them as links, so a setup.py that links to tools/helper.py runs
// helper.py at install time, and mypkg -> lib/mypkg makes lib/mypkg/core.py
// the module mypkg.core.
void AddLinks(const Archive& archive, std::vector<PackageFile>* files) {
  if (std::none_of(archive.members.begin(), archive.members.end(), [](const ArchiveMember& m) {
        return m.kind == MemberKind::kSymlink || m.kind == MemberKind::kHardlink;
      }))
    return;
  LinkResolver links(archive);
  // Folder links may name big folders, or the folder holding them: the
  // files they add are bounded.
  size_t budget = size_t{1} << 16;
  auto add = [&](const ArchiveMember& link, std::string path, const ArchiveMember* target) {
    if (budget == 0) return;
    --budget;
    PackageFile f;
    f.member = &link;
    f.target = target;
    f.path = std::move(path);
    files->push_back(std::move(f));
  };
  // Each link followed once: the folder it leads to (empty when it leads
  // nowhere) or the file.
  struct Lead {
    std::string folder;
    const ArchiveMember* file = nullptr;
  };
  std::vector<Lead> leads(archive.members.size());
  for (size_t i = 0; i < archive.members.size(); ++i) {
    const ArchiveMember& m = archive.members[i];
    if (m.kind != MemberKind::kSymlink && m.kind != MemberKind::kHardlink) continue;
    std::string to;
    if (!links.Follow(m.container, m.path, &to)) continue;
    const ArchiveMember* at = links.Find(m.container, to);
    if (at && at->kind == MemberKind::kFile) leads[i].file = at;
    else if (!at && m.kind == MemberKind::kSymlink) leads[i].folder = std::move(to);
  }
  for (size_t i = 0; i < archive.members.size(); ++i) {
    const ArchiveMember& m = archive.members[i];
    if (leads[i].file) add(m, m.FullPath(), leads[i].file);
    const std::string& to = leads[i].folder;
    if (to.empty()) continue;
    // A folder link: each file below the folder, by the link's name.
    links.ForEachBelow(m.container, to, [&](const ArchiveMember& below) {
      const ArchiveMember* file =
          below.kind == MemberKind::kFile ? &below : leads[&below - archive.members.data()].file;
      if (file) add(m, m.FullPath() + below.path.substr(to.size()), file);
    });
  }
}

// Settles the links' files: one that makes its target install- or
// import-time code by its path stays; a module that may become such code
// when imported by its link name stays dormant (read only then); the rest
// (a README linked to docs/readme.rst, a module to a module) go.
void SettleLinks(std::vector<PackageFile>* files) {
  if (std::none_of(files->begin(), files->end(), [](const PackageFile& f) { return f.target; }))
    return;
  std::map<const ArchiveMember*, FileRole> role_of;
  for (const PackageFile& f : *files)
    if (!f.target) role_of[f.member] = f.role;
  for (PackageFile& f : *files) {
    if (!f.target) continue;
    auto it = role_of.find(f.target);
    bool adds = (f.role == FileRole::kInstall || f.role == FileRole::kImport) &&
                (it == role_of.end() || RoleRank(f.role) > RoleRank(it->second));
    f.dormant = !adds;
  }
  std::erase_if(*files, [](const PackageFile& f) {
    return f.dormant && !EndsWithIgnoreCase(f.rel, ".py");
  });
}

}  // namespace

void BuildPackage(std::string_view file_name, const Archive& archive, bool tree,
                  bool single_file, Package* out) {
  std::map<std::string, std::vector<PackageFile*>> levels;
  out->files.reserve(archive.members.size());
  for (const ArchiveMember& m : archive.members) {
    if (m.kind != MemberKind::kFile) continue;
    PackageFile f;
    f.member = &m;
    f.path = m.FullPath();
    out->files.push_back(std::move(f));
  }
  bool source_archive = !tree && !single_file && archive.format != ContainerFormat::kZip;
  if (source_archive) AddLinks(archive, &out->files);
  for (PackageFile& f : out->files) levels[f.member->container].push_back(&f);

  bool has_wheel_meta = false, has_egg_meta = false;
  std::string metadata_name, metadata_version;
  for (auto& [container, files] : levels) {
    AssignRoles(files, false);
    if (!container.empty()) continue;
    // Metadata of the artifact itself: PKG-INFO at the root (sdist),
    // *.dist-info/METADATA (wheel), EGG-INFO/PKG-INFO (egg).
    const PackageFile* meta = nullptr;
    for (const PackageFile* f : files) {
      auto parts = Split(f->rel, '/');
      if (parts.size() == 2 && parts[1] == "METADATA" &&
          EndsWithIgnoreCase(parts[0], ".dist-info")) {
        has_wheel_meta = true;
        meta = f;
        out->name_source = "METADATA";
      } else if (parts.size() == 2 && parts[0] == "EGG-INFO" && parts[1] == "PKG-INFO") {
        has_egg_meta = true;
        if (!meta) { meta = f; out->name_source = "EGG-INFO/PKG-INFO"; }
      } else if (f->rel == "PKG-INFO" && !has_wheel_meta) {
        meta = f;
        out->name_source = "PKG-INFO";
      }
    }
    if (meta) {
      metadata_name = MetadataField(meta->data(), "Name");
      metadata_version = MetadataField(meta->data(), "Version");
    }
  }

  if (source_archive) {
    SettleLinks(&out->files);
    for (const PackageFile& f : out->files)
      if (f.target && !f.dormant) out->findings.push_back(LinkCodeFinding(f, f.role));
  }

  std::string file_pkg, file_ver;
  bool from_file = NameFromFileName(file_name, &file_pkg, &file_ver);
  if (!metadata_name.empty()) {
    out->name = Printable(metadata_name, 200);
    out->version = Printable(metadata_version, 100);
  } else if (from_file) {
    out->name = Printable(file_pkg, 200);
    out->version = Printable(file_ver, 100);
    out->name_source = "file name";
  }
  if (!metadata_name.empty() && from_file && !tree && !single_file) {
    auto norm = [](std::string s) {
      std::string o;
      for (char c : ToLower(s)) o += (c == '_' || c == '.') ? '-' : c;
      return o;
    };
    if (norm(metadata_name) != norm(file_pkg)) {
      Finding f;
      f.rule = "metadata-name-mismatch";
      f.severity = Severity::kLow;
      f.message = "the package metadata names '" + Printable(metadata_name, 100) +
                  "' but the file is named for '" + Printable(file_pkg, 100) + "'";
      out->findings.push_back(std::move(f));
    }
  }

  if (tree) out->kind = ArtifactKind::kTree;
  else if (single_file) out->kind = ArtifactKind::kFile;
  else if (archive.format != ContainerFormat::kZip) out->kind = ArtifactKind::kSdist;
  else if (has_wheel_meta) out->kind = ArtifactKind::kWheel;
  else if (has_egg_meta) out->kind = ArtifactKind::kEgg;
  else if (!metadata_name.empty() || out->name_source == "PKG-INFO") out->kind = ArtifactKind::kSdist;
  else out->kind = ArtifactKind::kZip;
}

}  // namespace pyward
