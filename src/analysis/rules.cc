#include "analysis/rules.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <set>

#include "analysis/native_binary.h"
#include "analysis/opaque_package.h"
#include "analysis/sys_path.h"
#include "util/data_files.h"
#include "util/strings.h"

namespace pyward {
namespace {

void CheckNative(const Package& pkg, const PackageFile& f, std::vector<Finding>* out) {
  NativeInfo info = ClassifyNative(f.data());
  if (info.kind == NativeKind::kNone) {
    // Native code XORed with one byte: nothing but a dropper stores a program
    // so that no scanner, loader or reader sees what it is.
    XoredNative x = ClassifyXoredNative(f.data());
    if (x.info.kind == NativeKind::kNone) return;
    char key[8];
    snprintf(key, sizeof key, "0x%02x", x.key);
    Finding fd;
    fd.file = f.path;
    fd.phase = Phase::kRuntime;
    fd.rule = "encrypted-executable";
    fd.severity = Severity::kCritical;
    fd.message = std::string("native ") + std::string(x.info.format) +
                 " code stored XOR-encrypted with the one-byte key " + key +
                 ": a program hidden from scanners until code decrypts it (ATT&CK T1027)";
    out->push_back(std::move(fd));
    return;
  }
  bool built = pkg.kind == ArtifactKind::kWheel || pkg.kind == ArtifactKind::kEgg;
  Finding fd;
  fd.file = f.path;
  fd.phase = Phase::kRuntime;
  if (info.kind == NativeKind::kExecutable) {
    fd.rule = "bundled-executable";
    // Source distributions should hold source; built ones sometimes ship launchers.
    fd.severity = built ? Severity::kMedium : Severity::kHigh;
    fd.message = std::string("bundled native ") + std::string(info.format) +
                 " executable: a program that can be started outside Python";
  } else {
    if (built) return;  // extension modules are expected in built distributions
    fd.rule = "bundled-native-code";
    fd.severity = Severity::kLow;
    fd.message = std::string("prebuilt native ") + std::string(info.format) +
                 " code in a source distribution";
  }
  out->push_back(std::move(fd));
}

bool IsPython(std::string_view rel) {
  return EndsWithIgnoreCase(rel, ".py") || EndsWithIgnoreCase(rel, ".pyw");
}

// The dotted module name of a package file ("src/pkg/sub/__init__.py" ->
// "pkg.sub"), keyed with its container so nested archives stay apart.
std::string ModuleName(std::string_view rel) {
  rel = ImportPath(rel);
  size_t dot = rel.rfind('.');
  std::string m(rel.substr(0, dot));
  if (m == "__init__") return "";
  if (m.size() > 9 && m.compare(m.size() - 9, 9, "/__init__") == 0) m.resize(m.size() - 9);
  for (char& c : m)
    if (c == '/') c = '.';
  return m;
}

// True when `text` starts a Python interpreter on a file or runs a file's
// text as code: the file it names is a program whatever its extension.
bool RunsFileAsPython(std::string_view text) {
  // One memchr pass to each 'x' (of "exec") and each 'y' (of "python"), the
  // forms around it compared in place; "run_path(" on its own.
  auto at = [text](size_t pos, std::string_view s) {
    return pos <= text.size() && text.substr(pos, s.size()) == s;
  };
  auto each = [text](char c, auto&& fn) {
    for (size_t from = 0; from < text.size();) {
      const void* p = std::memchr(text.data() + from, c, text.size() - from);
      if (!p) return false;
      size_t pos = static_cast<size_t>(static_cast<const char*>(p) - text.data());
      if (fn(pos)) return true;
      from = pos + 1;
    }
    return false;
  };
  bool exec = each('x', [&](size_t x) {
    if (x == 0 || !at(x - 1, "exec")) return false;
    size_t e = x - 1;
    return (e >= 4 && at(e - 4, "sys.executable")) || at(e, "execfile(") || at(e, "exec(open(");
  });
  if (exec || Contains(text, "run_path(")) return true;
  return each('y', [&](size_t y) {
    if (y < 2 || !at(y - 1, "python")) return false;
    char q = text[y - 2];
    if (q != '"' && q != '\'') return false;
    size_t end = y + 5;  // just after "python"
    return at(end, std::string_view(&q, 1)) ||
           (at(end, "3") && at(end + 1, std::string_view(&q, 1)));
  });
}

// True when `text` starts a process (the file it names may be a script).
bool StartsProcess(std::string_view text) {
  for (std::string_view s : {"system(", "Popen(", "subprocess.call(", "subprocess.run(", "spawnl("})
    if (Contains(text, s)) return true;
  return false;
}

// True when member `rel` is a script the package installs on PATH (a
// wheel's *.data/scripts/, an sdist's scripts/ or bin/).
bool IsInstalledScript(std::string_view rel) {
  return rel.find(".data/scripts/") != std::string_view::npos || rel.substr(0, 8) == "scripts/" ||
         rel.substr(0, 4) == "bin/";
}

// True when member `rel` with bytes `data` reads as Python source: not named
// as a document, text (no NUL byte) with a line that starts with `import ` or
// `from `. Cheap; nothing is parsed.
bool LooksLikePythonText(std::string_view rel, std::string_view data) {
  for (std::string_view ext : {".md", ".rst", ".txt", ".cfg", ".toml", ".ini", ".json", ".yml",
                               ".yaml", ".in", ".html", ".c", ".h", ".cpp", ".js", ".sh"})
    if (EndsWithIgnoreCase(rel, ext)) return false;
  if (data.empty() || data.size() > (1u << 20)) return false;
  if (data.substr(0, 4096).find('\0') != std::string_view::npos) return false;
  for (size_t pos = 0; pos < data.size();) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(pos, end - pos);
    if (line.substr(0, 7) == "import " || line.substr(0, 5) == "from ") return true;
    pos = end + 1;
  }
  return false;
}

// The string literals of `text` (quoted with ' or ", on one line, at most 200
// bytes), with '\' separators as written.
std::vector<std::string_view> LiteralPaths(std::string_view text) {
  std::vector<std::string_view> out;
  // The next ' and " at or after `from` (memchr: a fast pass to each quote).
  auto next = [text](char c, size_t from) {
    if (from >= text.size()) return std::string_view::npos;
    const void* p = memchr(text.data() + from, c, text.size() - from);
    return p ? static_cast<size_t>(static_cast<const char*>(p) - text.data())
             : std::string_view::npos;
  };
  size_t dq = next('"', 0), sq = next('\'', 0);
  for (;;) {
    size_t i = std::min(dq, sq);
    if (i == std::string_view::npos) break;
    char q = text[i];
    size_t j = i + 1;
    while (j < text.size() && j - i <= 200 && text[j] != q && text[j] != '\n') ++j;
    size_t resume = i + 1;
    if (j < text.size() && text[j] == q) {
      std::string_view lit = text.substr(i + 1, j - i - 1);
      if (!lit.empty()) out.push_back(lit);
      resume = j + 1;
    }
    if (dq < resume) dq = next('"', resume);
    if (sq < resume) sq = next('\'', resume);
  }
  return out;
}

// Roles after following imports: a runtime module that install- or
// import-time code imports runs at that time too. A member without a Python
// extension that such code runs with the interpreter (or execs) by name is
// Python code run at that time too; `as_python` says which members are read
// as Python. A dormant link file (package.h) is read only when such code
// reaches it by its link name and that makes it run earlier than its
// target does; `skip` says which are not read.
std::vector<FileRole> EffectiveRoles(const Package& pkg, std::vector<bool>* as_python,
                                     std::vector<bool>* skip) {
  std::vector<FileRole> roles;
  as_python->assign(pkg.files.size(), false);
  skip->assign(pkg.files.size(), false);
  std::map<std::string, size_t> by_module;  // container + '\0' + dotted name
  std::multimap<std::string, size_t> other_by_base;  // container + '\0' + base name
  std::set<std::string_view> other_bases;  // the base names alone, to skip lookups
  std::map<std::string, size_t> python_by_rel;  // container + '\0' + rel, Python members
  bool any_script = false;  // a member the package installs on PATH
  for (size_t i = 0; i < pkg.files.size(); ++i) {
    const PackageFile& f = pkg.files[i];
    roles.push_back(f.dormant ? FileRole::kRuntime : f.role);
    if (IsPython(f.rel)) {
      (*as_python)[i] = true;
      std::string m = ModuleName(f.rel);
      if (!m.empty()) by_module.emplace(f.member->container + '\0' + m, i);
      python_by_rel.emplace(f.member->container + '\0' + f.rel, i);
    } else if (!EndsWithIgnoreCase(f.rel, ".pth")) {
      size_t cut = f.rel.rfind('/');
      std::string_view rel = f.rel;
      std::string_view base = cut == std::string::npos ? rel : rel.substr(cut + 1);
      other_by_base.emplace(f.member->container + '\0' + std::string(base), i);
      other_bases.insert(base);
      any_script |= IsInstalledScript(rel);
    }
  }
  std::deque<size_t> queue;
  for (size_t i = 0; i < pkg.files.size(); ++i)
    if ((roles[i] == FileRole::kInstall || roles[i] == FileRole::kImport) && (*as_python)[i])
      queue.push_back(i);
  size_t steps = 0;
  while (!queue.empty() && steps++ < 4 * pkg.files.size() + 16) {
    size_t i = queue.front();
    queue.pop_front();
    const PackageFile& f = pkg.files[i];
    std::string self = ModuleName(f.rel);
    bool is_pkg = f.rel.size() >= 11 && f.rel.compare(f.rel.size() - 11, 11, "__init__.py") == 0;
    std::string base = is_pkg ? self : self.substr(0, self.rfind('.') == std::string::npos
                                                          ? 0 : self.rfind('.'));
    FileRole want = roles[i] == FileRole::kInstall ? FileRole::kInstall : FileRole::kImport;
    // Runs file k at this file's time, unless it runs as early already.
    auto promote = [&](size_t k) {
      FileRole& r = roles[k];
      if (r == FileRole::kRuntime || r == FileRole::kTest ||
          (r == FileRole::kImport && want == FileRole::kInstall)) {
        r = want;
        queue.push_back(k);
      }
    };
    // Folders this module puts on sys.path: its absolute imports may name
    // their files (sys.path.insert(0, 'tools'); import helper).
    std::vector<std::string> path_dirs;
    if (Contains(f.data(), "sys.path."))
      path_dirs = SysPathDirs(f.data(), std::string_view(f.rel).substr(0, f.rel.rfind('/') + 1));
    for (std::string name : ImportsOf(f.data())) {
      for (const std::string& dir : name.empty() || name[0] == '.' ? std::vector<std::string>()
                                                                   : path_dirs) {
        for (std::string m = name; !m.empty();) {
          std::string rel = dir.empty() ? m : dir + '/' + m;
          std::replace(rel.begin() + (dir.empty() ? 0 : dir.size() + 1), rel.end(), '.', '/');
          for (std::string_view ext : {std::string_view(".py"), std::string_view("/__init__.py")}) {
            auto it = python_by_rel.find(f.member->container + '\0' + rel + std::string(ext));
            if (it != python_by_rel.end() && it->second != i) promote(it->second);
          }
          size_t cut = m.rfind('.');
          m = cut == std::string::npos ? "" : m.substr(0, cut);
        }
      }
      // Relative imports: one dot is this package, each more goes up.
      if (!name.empty() && name[0] == '.') {
        size_t dots = name.find_first_not_of('.');
        if (dots == std::string::npos) dots = name.size();
        std::string pkg_name = base;
        for (size_t d = 1; d < dots; ++d) {
          size_t cut = pkg_name.rfind('.');
          pkg_name = cut == std::string::npos ? "" : pkg_name.substr(0, cut);
        }
        std::string rest = name.substr(dots);
        name = pkg_name.empty() ? rest : rest.empty() ? pkg_name : pkg_name + "." + rest;
      }
      // `from a.b import c` gives a.b.c: c may be a module or a name in a.b.
      for (std::string m = name; !m.empty();) {
        auto it = by_module.find(f.member->container + '\0' + m);
        if (it != by_module.end()) promote(it->second);
        size_t cut = m.rfind('.');
        m = cut == std::string::npos ? "" : m.substr(0, cut);
      }
    }
    // Most files run nothing: then their literals are not read at all.
    bool runs_python = RunsFileAsPython(f.data());
    if (!runs_python && (other_by_base.empty() || !any_script || !StartsProcess(f.data())))
      continue;
    std::vector<std::string_view> literals = LiteralPaths(f.data());
    // A Python member it runs by path (exec(open('tools/gen.py').read()),
    // runpy.run_path, [sys.executable, 'gen.py']) runs at its time too: the
    // path from the package root (where pip runs setup.py) or from its own
    // folder.
    if (runs_python) {
      std::string_view dir = std::string_view(f.rel).substr(0, f.rel.rfind('/') + 1);
      for (std::string_view lit : literals) {
        if (!IsPython(lit)) continue;
        while (lit.substr(0, 2) == "./") lit.remove_prefix(2);
        for (std::string_view prefix : {std::string_view(), dir}) {
          auto it = python_by_rel.find(f.member->container + '\0' + std::string(prefix) +
                                       std::string(lit));
          if (it == python_by_rel.end() || it->second == i) continue;
          promote(it->second);
        }
      }
    }
    if (other_by_base.empty()) continue;
    for (std::string_view base : literals) {
      size_t cut = base.find_last_of("/\\");
      if (cut != std::string_view::npos) base.remove_prefix(cut + 1);
      if (base.empty()) continue;
      if (!other_bases.count(base)) continue;  // no member of that name anywhere
      auto [lo, hi] = other_by_base.equal_range(f.member->container + '\0' + std::string(base));
      for (auto it = lo; it != hi; ++it) {
        size_t k = it->second;
        if ((*as_python)[k] || !LooksLikePythonText(pkg.files[k].rel, pkg.files[k].data())) continue;
        // A process started by name runs a script the package installs.
        if (!runs_python && !IsInstalledScript(pkg.files[k].rel)) continue;
        (*as_python)[k] = true;
        roles[k] = want;
        queue.push_back(k);
      }
    }
  }
  if (std::none_of(pkg.files.begin(), pkg.files.end(),
                   [](const PackageFile& f) { return f.dormant; }))
    return roles;
  std::map<const ArchiveMember*, size_t> index_of;  // the package file of each file member
  for (size_t i = 0; i < pkg.files.size(); ++i)
    if (!pkg.files[i].target) index_of.emplace(pkg.files[i].member, i);
  for (size_t i = 0; i < pkg.files.size(); ++i) {
    const PackageFile& f = pkg.files[i];
    if (!f.dormant) continue;
    auto it = index_of.find(f.target);
    bool early = roles[i] == FileRole::kInstall || roles[i] == FileRole::kImport;
    (*skip)[i] =
        !early || (it != index_of.end() && RoleRank(roles[i]) <= RoleRank(roles[it->second]));
  }
  return roles;
}

// The package-level flows over the summaries of the modules read as code.
void AppendPackageFlows(const Package& pkg, const std::vector<FileRole>& roles,
                        const std::vector<bool>& as_python,
                        const std::vector<ModuleSummary>& summaries,
                        const BehaviourRules& behaviours, std::vector<Finding>* out) {
  std::vector<PackageModule> mods;
  for (size_t i = 0; i < pkg.files.size(); ++i) {
    const PackageFile& f = pkg.files[i];
    if (!as_python[i] || roles[i] == FileRole::kTest || !IsPython(f.rel)) continue;
    const ModuleSummary& s = summaries[i];
    if (s.harvesters.empty() && s.tainted_globals.empty() && s.sends.empty()) continue;
    PackageModule m;
    m.path = f.path;
    m.container = f.member->container;
    m.module = ModuleName(f.rel);
    m.is_package = EndsWithIgnoreCase(f.rel, "__init__.py");
    m.phase = PhaseOfRole(roles[i]);
    m.summary = &s;
    mods.push_back(std::move(m));
  }
  if (mods.size() >= 2) AppendPackageFlowFindings(mods, behaviours, out);
}

}  // namespace

RuleSet::RuleSet() {
  engines_.install_exec = &install_exec_;
}

bool RuleSet::LoadDefault(std::string* err) {
  std::string data;
  if (!ReadDataFile("rules/install-exec.txt", &data, err) || !LoadFromData(data, err))
    return false;
  if (!ReadDataFile("rules/behaviours.txt", &data, err) || !behaviours_.Load(data, err))
    return false;
  if (!ReadDataFile("rules/shell.txt", &data, err) || !shell_.Load(data, err)) return false;
  if (!LoadIndicators(DataDir() + "/indicators", err)) return false;
  std::vector<std::string> ip_lookup;
  for (const Indicator& ind : indicators_.indicators())
    if (ind.category == "ip-lookup" && !ind.regex) ip_lookup.push_back(ind.pattern);
  behaviours_.SetIpLookupHosts(std::move(ip_lookup));
  // Literal tunnel, capture and chat-webhook hosts (capture_request.h),
  // without a leading dot.
  for (const Indicator& ind : indicators_.indicators())
    if ((ind.category == "tunnel" || ind.category == "webhook") && !ind.regex) {
      std::string h = ToLower(ind.pattern);
      while (!h.empty() && h[0] == '.') h.erase(0, 1);
      if (h.size() >= 6) engines_.capture_hosts.push_back(std::move(h));
    }
  engines_.behaviours = &behaviours_;
  engines_.shell = &shell_;
  engines_.match_text = [this](std::string_view text, const std::string& file, Phase phase,
                               std::vector<Finding>* out) {
    AppendIndicatorFindings(indicators_, text, file, phase, out);
  };
  return true;
}

bool RuleSet::LoadFromData(std::string_view install_exec_data, std::string* err) {
  return install_exec_.Load(install_exec_data, err);
}

void RuleSet::Scan(const Package& pkg, std::vector<Finding>* out, bool unpack) const {
  PythonEngines no_unpack;
  if (!unpack) {
    no_unpack = engines_;
    no_unpack.unpack = false;
  }
  const PythonEngines& engines = unpack ? engines_ : no_unpack;
  std::vector<bool> as_python, skip;
  std::vector<FileRole> roles = EffectiveRoles(pkg, &as_python, &skip);
  for (size_t i = 0; i < pkg.files.size(); ++i) {
    if (!skip[i]) continue;
    // Not read as code: out of every pass below.
    as_python[i] = false;
    roles[i] = FileRole::kTest;
  }
  // Module summaries for the package-level flows (package_flow.h).
  std::vector<ModuleSummary> summaries(pkg.files.size());
  for (size_t i = 0; i < pkg.files.size(); ++i) {
    const PackageFile& f = pkg.files[i];
    if (skip[i]) continue;
    FileRole role = roles[i];
    size_t before = out->size();
    if (f.dormant) out->push_back(LinkCodeFinding(f, role));
    if (role == FileRole::kInstall && EndsWithIgnoreCase(f.rel, ".pth")) {
      install_exec_.CheckPth(f.path, f.data(), out);
    } else if (as_python[i] && role != FileRole::kTest) {
      // Tests, docs and examples are not read as code: nothing runs them
      // when the package is installed or imported (a test module that such
      // code imports has become an import-time module above), and their
      // findings would count for little. Their bytes still meet the
      // indicators.
      PythonSource src;
      src.path = f.path;
      src.text = f.data();
      src.phase = PhaseOfRole(role);
      src.install_file = role == FileRole::kInstall;
      src.summary = &summaries[i];
      AnalyzePython(engines, src, out);
    }
    CheckNative(pkg, f, out);
    for (size_t k = before; k < out->size(); ++k) {
      if (role == FileRole::kTest) {
        (*out)[k].weight = kTestWeight;
        (*out)[k].phase = Phase::kNone;
      }
    }
  }
  std::vector<CodeFile> code;
  for (size_t i = 0; i < pkg.files.size(); ++i)
    if (as_python[i]) code.push_back({pkg.files[i].path, roles[i], pkg.files[i].data()});
  AppendOpaquePackageFinding(code, out);
  if (engines.behaviours) AppendPackageFlows(pkg, roles, as_python, summaries, *engines.behaviours, out);
  AppendPackageIndicatorFindings(indicators_, pkg, out);
}

}  // namespace pyward
