#include "audit/pyproject.h"

#include <functional>
#include <map>
#include <set>

#include "audit/pep508.h"
#include "audit/requirements_file.h"
#include "audit/toml_util.h"
#include "util/strings.h"

namespace pyward {

namespace {

int LineOf(const toml::node& n) {
  return static_cast<int>(n.source().begin.line);
}

class PyprojectReader {
 public:
  PyprojectReader(const std::string& path, DependencySet* out)
      : path_(path), out_(out) {}

  void Run(std::string_view content) {
    toml::table root;
    std::string err;
    if (!ParseTomlTable(content, path_, &root, &err)) {
      Problem(0, "pyproject-syntax", err);
      return;
    }
    if (const toml::array* a = root["build-system"]["requires"].as_array())
      Pep508Array(*a, "build-system");
    if (const toml::table* project = root["project"].as_table()) {
      if (const toml::array* a = (*project)["dependencies"].as_array())
        Pep508Array(*a, "");
      if (const toml::table* opt = (*project)["optional-dependencies"].as_table())
        for (const auto& [extra, list] : *opt)
          if (const toml::array* a = list.as_array())
            Pep508Array(*a, std::string(extra.str()));
    }
    if (const toml::table* groups = root["dependency-groups"].as_table())
      DependencyGroups(*groups);
    if (const toml::table* poetry = root["tool"]["poetry"].as_table()) {
      if (const toml::table* t = (*poetry)["dependencies"].as_table())
        PoetryTable(*t, "");
      if (const toml::table* t = (*poetry)["dev-dependencies"].as_table())
        PoetryTable(*t, "dev");
      if (const toml::table* g = (*poetry)["group"].as_table())
        for (const auto& [name, group] : *g)
          if (const toml::table* gt = group.as_table())
            if (const toml::table* t = (*gt)["dependencies"].as_table())
              PoetryTable(*t, std::string(name.str()));
    }
    if (const toml::table* dev = root["tool"]["pdm"]["dev-dependencies"].as_table())
      for (const auto& [name, list] : *dev)
        if (const toml::array* a = list.as_array())
          Pep508Array(*a, std::string(name.str()));
  }

 private:
  void Problem(int line, const std::string& rule, const std::string& msg) {
    out_->problems.push_back({path_, line, rule, msg});
  }

  DeclaredDependency Base(int line, const std::string& group) {
    DeclaredDependency d;
    d.file = path_;
    d.line = line;
    d.group = group;
    return d;
  }

  void Pep508String(const toml::node& node, const std::string& group) {
    std::string text = node.value_or(std::string());
    DeclaredDependency d = Base(LineOf(node), group);
    std::string_view t = Trim(text);
    if (t.rfind("-e ", 0) == 0) {  // PDM editable entries
      d.editable = true;
      d.url = std::string(Trim(t.substr(3)));
      std::optional<std::string> v;
      if (!NameFromUrl(d.url, &d.name, &v)) {
        std::string_view u = d.url;
        while (!u.empty() && u.back() == '/') u.remove_suffix(1);
        size_t slash = u.find_last_of('/');
        d.name = std::string(slash == std::string_view::npos ? u : u.substr(slash + 1));
        if (!IsValidProjectName(d.name)) d.name.clear();
      }
      out_->dependencies.push_back(std::move(d));
      return;
    }
    Requirement r;
    std::string err;
    if (!ParseRequirement(t, &r, &err)) {
      Problem(d.line, "pyproject-syntax",
              err + " in '" + Printable(text, 100) + "'");
      return;
    }
    FillFromRequirement(r, &d);
    out_->dependencies.push_back(std::move(d));
  }

  void Pep508Array(const toml::array& a, const std::string& group) {
    for (const toml::node& n : a) {
      if (n.is_string()) {
        Pep508String(n, group);
      } else if (!n.is_table()) {
        Problem(LineOf(n), "pyproject-syntax",
                "a dependency list entry is not a string");
      }
    }
  }

  void DependencyGroups(const toml::table& groups) {
    std::set<std::string> names;
    std::map<std::string, const toml::node*> by_name;
    for (const auto& [name, list] : groups) {
      names.insert(NormalizeName(name.str()));
      by_name[NormalizeName(name.str())] = &list;
    }
    for (const auto& [name, list] : groups) {
      const toml::array* a = list.as_array();
      if (!a) {
        Problem(LineOf(list), "pyproject-syntax",
                "dependency group '" + std::string(name.str()) + "' is not a list");
        continue;
      }
      Pep508Array(*a, std::string(name.str()));
    }
    // include-group: every target must exist and includes must not cycle.
    // Each group is explored once; nesting is bounded.
    std::set<std::string> done;
    std::function<bool(const std::string&, std::vector<std::string>*)> visit =
        [&](const std::string& g, std::vector<std::string>* stack) {
          for (const std::string& s : *stack)
            if (s == g) return false;
          if (done.count(g)) return true;
          if (stack->size() >= 64) {
            Problem(0, "pyproject-include-group",
                    "include-group nested deeper than 64 groups at '" + g + "'");
            done.insert(g);
            return true;
          }
          stack->push_back(g);
          {
            const toml::node& list = *by_name[g];
            if (const toml::array* a = list.as_array()) {
              for (const toml::node& n : *a) {
                const toml::table* t = n.as_table();
                if (!t) continue;
                std::string inc = (*t)["include-group"].value_or(std::string());
                if (inc.empty()) {
                  Problem(LineOf(n), "pyproject-syntax",
                          "a dependency group table without include-group");
                  continue;
                }
                if (!names.count(NormalizeName(inc))) {
                  Problem(LineOf(n), "pyproject-include-group",
                          "include-group '" + inc + "' names no dependency group");
                  continue;
                }
                if (!visit(NormalizeName(inc), stack)) {
                  Problem(LineOf(n), "pyproject-include-cycle",
                          "include-group '" + inc + "' forms a cycle");
                }
              }
            }
          }
          stack->pop_back();
          done.insert(g);
          return true;
        };
    for (const std::string& g : names) {
      std::vector<std::string> stack;
      visit(g, &stack);
    }
    // Each cycle is found from each of its members: keep one of each message.
    std::vector<InputProblem> unique;
    std::set<std::string> seen;
    for (const InputProblem& p : out_->problems)
      if (seen.insert(p.rule + "\n" + std::to_string(p.line) + "\n" + p.message).second)
        unique.push_back(p);
    out_->problems = std::move(unique);
  }

  void PoetryEntry(const std::string& name, const toml::node& value,
                   const std::string& group) {
    DeclaredDependency d = Base(LineOf(value), group);
    d.name = name;
    std::string constraint;
    if (value.is_string()) {
      constraint = value.value_or(std::string());
    } else if (const toml::table* t = value.as_table()) {
      constraint = (*t)["version"].value_or(std::string());
      if (const toml::array* ex = (*t)["extras"].as_array())
        for (const toml::node& e : *ex)
          if (e.is_string()) d.extras.push_back(e.value_or(std::string()));
      d.marker = (*t)["markers"].value_or(std::string());
      // Poetry's `python = "<3.12"` is a marker on the interpreter.
      std::string python = (*t)["python"].value_or(std::string());
      std::string py440;
      if (!python.empty() && PoetryToPep440(python, &py440) && !py440.empty()) {
        std::string py_marker;
        SpecifierSet py_spec;
        std::string perr;
        if (SpecifierSet::Parse(py440, &py_spec, &perr)) {
          for (const Specifier& c : py_spec.clauses()) {
            if (!py_marker.empty()) py_marker += " and ";
            py_marker += "python_full_version " + c.op() + " \"" + c.version() + "\"";
          }
          d.marker = d.marker.empty() ? py_marker
                                      : "(" + d.marker + ") and (" + py_marker + ")";
        }
      }
      for (const char* k : {"git", "url", "path"}) {
        std::string u = (*t)[k].value_or(std::string());
        if (!u.empty()) {
          d.url = std::string(k) == "git" ? "git+" + u : u;
          if (std::string(k) == "path" && (*t)["develop"].value_or(false))
            d.editable = true;
        }
      }
    } else {
      Problem(d.line, "pyproject-syntax",
              "Poetry dependency '" + name + "' is neither a string nor a table");
      return;
    }
    d.specifier = constraint;
    std::string pep440;
    if (!PoetryToPep440(constraint, &pep440)) {
      d.pep440_specifier = "";
    } else if (pep440 != constraint) {
      d.pep440_specifier = pep440;
    }
    SpecifierSet s;
    std::string err;
    if (SpecifierSet::Parse(pep440, &s, &err)) d.version = s.PinnedVersion();
    out_->dependencies.push_back(std::move(d));
  }

  void PoetryTable(const toml::table& t, const std::string& group) {
    for (const auto& [key, value] : t) {
      std::string name(key.str());
      if (name == "python") continue;  // the interpreter, not a package
      if (!IsValidProjectName(name)) {
        Problem(LineOf(value), "pyproject-syntax",
                "invalid Poetry dependency name '" + Printable(name, 80) + "'");
        continue;
      }
      if (const toml::array* multi = value.as_array()) {
        for (const toml::node& n : *multi) PoetryEntry(name, n, group);
      } else {
        PoetryEntry(name, value, group);
      }
    }
  }

  std::string path_;
  DependencySet* out_;
};

// "1.2.3" -> [1, 2, 3] (release part only); false when not a release.
bool ReleaseParts(std::string_view v, std::vector<std::string>* parts) {
  Version ver = Version::Parse(v);
  if (ver.is_legacy()) return false;
  std::string base = ver.BaseVersion();
  size_t bang = base.find('!');
  if (bang != std::string::npos) return false;  // epochs: not in Poetry
  for (std::string_view p : Split(base, '.')) parts->emplace_back(p);
  return !parts->empty();
}

std::string Bump(const std::vector<std::string>& parts, size_t index) {
  std::string out;
  for (size_t i = 0; i <= index; ++i) {
    if (i) out += '.';
    if (i == index) out += std::to_string(std::stoull(parts[i]) + 1);
    else out += parts[i];
  }
  if (index == 0) out += ".0";
  if (index < 2) out += ".0";
  return out;
}

bool OneConstraint(std::string_view c, std::string* out) {
  c = Trim(c);
  if (c.empty() || c == "*") {
    out->clear();
    return true;
  }
  if (c[0] == '^' || (c[0] == '~' && (c.size() < 2 || c[1] != '='))) {
    std::string_view v = Trim(c.substr(1));
    std::vector<std::string> parts;
    if (!ReleaseParts(v, &parts)) return false;
    for (const std::string& p : parts)
      if (p.size() > 18) return false;
    size_t index;
    if (c[0] == '^') {
      index = parts.size() - 1;
      for (size_t i = 0; i < parts.size(); ++i)
        if (parts[i] != "0") {
          index = i;
          break;
        }
    } else {
      index = parts.size() >= 2 ? 1 : 0;
    }
    *out = ">=" + std::string(v) + ",<" + Bump(parts, index);
    return true;
  }
  if ((c[0] >= '0' && c[0] <= '9') || c[0] == 'v') {
    *out = "==" + std::string(c);
    return true;
  }
  if (c[0] == '=' && (c.size() < 2 || c[1] != '=')) {
    *out = "==" + std::string(Trim(c.substr(1)));
    return true;
  }
  *out = std::string(c);
  return true;
}

}  // namespace

bool PoetryToPep440(std::string_view constraint, std::string* out) {
  if (constraint.find("||") != std::string_view::npos ||
      constraint.find('|') != std::string_view::npos)
    return false;
  // Clauses are separated by ',' or by spaces between complete clauses
  // (">=1.2 <2.0"); "== 1.0" keeps its operator with its version.
  std::vector<std::string> clauses;
  std::string cur;
  auto flush = [&] {
    if (!Trim(cur).empty()) clauses.emplace_back(Trim(cur));
    cur.clear();
  };
  for (size_t i = 0; i < constraint.size(); ++i) {
    char ch = constraint[i];
    if (ch == ',') {
      flush();
    } else if (ch == ' ' || ch == '\t') {
      std::string_view t = Trim(cur);
      bool op_only = !t.empty() && t.find_first_of("0123456789*") == std::string_view::npos;
      if (!op_only) flush();
    } else {
      cur.push_back(ch);
    }
  }
  flush();
  std::string result;
  for (const std::string& c : clauses) {
    std::string one;
    if (!OneConstraint(c, &one)) return false;
    if (one.empty()) continue;
    if (!result.empty()) result += ",";
    result += one;
  }
  SpecifierSet check;
  std::string err;
  if (!SpecifierSet::Parse(result, &check, &err)) return false;
  *out = result;
  return true;
}

void ReadPyproject(const std::string& path, std::string_view content,
                   DependencySet* out) {
  PyprojectReader reader(path, out);
  reader.Run(content);
  for (const DeclaredDependency& d : out->dependencies)
    if (!d.hashes.empty()) out->uses_hashes = true;
}

}  // namespace pyward
