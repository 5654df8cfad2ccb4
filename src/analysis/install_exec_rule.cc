#include "analysis/install_exec_rule.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "analysis/code_mask.h"
#include "util/strings.h"

namespace pyward {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Commands whose override runs during pip install / build.
bool IsCommandBase(std::string_view base) {
  size_t dot = base.rfind('.');
  std::string b = ToLower(dot == std::string_view::npos ? base : base.substr(dot + 1));
  // A generic Command base only runs at install when registered under an
  // install-time cmdclass key (see InstallExecRule::commands_).
  static const char* kWords[] = {"install", "develop", "egg_info", "build", "sdist",
                                 "bdist"};
  for (const char* w : kWords)
    if (b.find(w) != std::string::npos) return true;
  return false;
}

struct Block {
  int indent;
  bool is_def;
  bool is_command_class;
  std::string name;
  // An `if` on sys.argv naming only commands that pip never runs
  // (`if sys.argv[-1] == 'publish':`): its body does not run at install.
  bool other_command = false;
};

// The quoted words of `stmt` (original text).
std::vector<std::string> QuotedWords(std::string_view stmt) {
  std::vector<std::string> out;
  for (size_t i = 0; i < stmt.size(); ++i) {
    char q = stmt[i];
    if (q != '\'' && q != '"') continue;
    size_t e = stmt.find(q, i + 1);
    if (e == std::string_view::npos) break;
    out.emplace_back(stmt.substr(i + 1, e - i - 1));
    i = e;
  }
  return out;
}

// A logical line: [begin, end) offsets in the source.
struct LogicalLine {
  size_t begin, end;
};

std::vector<LogicalLine> LogicalLines(std::string_view masked) {
  std::vector<LogicalLine> lines;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < masked.size(); ++i) {
    char c = masked[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    else if (c == '\n') {
      bool continued = depth > 0 || (i > 0 && masked[i - 1] == '\\');
      if (!continued) {
        lines.push_back({start, i});
        start = i + 1;
      }
    }
  }
  if (start < masked.size()) lines.push_back({start, masked.size()});
  return lines;
}

// Records `import a.b as c` and `from m import x as y` aliases.
void RecordImports(std::string_view stmt, std::unordered_map<std::string, std::string>* alias) {
  auto words_of = [](std::string_view s) {
    std::vector<std::string> w;
    std::string cur;
    for (char c : s) {
      if (IsIdentChar(c) || c == '.') cur += c;
      else {
        if (!cur.empty()) w.push_back(cur);
        cur.clear();
        if (c == ',') w.push_back(",");
      }
    }
    if (!cur.empty()) w.push_back(cur);
    return w;
  };
  std::vector<std::string> w = words_of(stmt);
  if (w.empty()) return;
  if (w[0] == "import") {
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i] == ",") continue;
      std::string mod = w[i];
      if (i + 2 < w.size() && w[i + 1] == "as") {
        (*alias)[w[i + 2]] = mod;
        i += 2;
      } else {
        std::string top = mod.substr(0, mod.find('.'));
        (*alias)[top] = top;
      }
    }
  } else if (w[0] == "from" && w.size() >= 4 && w[2] == "import") {
    std::string mod = w[1];
    for (size_t i = 3; i < w.size(); ++i) {
      if (w[i] == ",") continue;
      std::string name = w[i];
      std::string local = name;
      if (i + 2 < w.size() && w[i + 1] == "as") {
        local = w[i + 2];
        i += 2;
      }
      (*alias)[local] = mod + "." + name;
    }
  }
}

struct CallSite {
  std::string callee;   // qualified
  size_t offset;        // of the callee in the source
  size_t args;          // offset just after '('
  size_t line_end;      // end of the logical line
  size_t line_begin;
  bool in_def;                       // inside a function
  std::string function;              // innermost function
  std::string top_def;               // outermost function when module level
  std::vector<std::string> classes;  // enclosing classes
  bool command;  // inside a class deriving from an install-time command
};

// Offset of the ')' closing the call whose arguments start at `args`, or
// `limit` when it is not closed before it (masked text: strings are blank).
size_t CallEnd(std::string_view masked, size_t args, size_t limit) {
  int depth = 1;
  for (size_t i = args; i < limit; ++i) {
    char c = masked[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if ((c == ')' || c == ']' || c == '}') && --depth == 0) return i;
  }
  return limit;
}

// Classes registered in cmdclass under one of `keys`: {'install': Cls},
// cmdclass['install'] = Cls, dict(install=Cls).
std::set<std::string> RegisteredCommands(std::string_view src,
                                         const std::set<std::string, std::less<>>& keys) {
  std::set<std::string> out;
  auto ident_at = [&](size_t i) {
    while (i < src.size() && (src[i] == ' ' || src[i] == '\t')) ++i;
    size_t b = i;
    while (i < src.size() && (IsIdentChar(src[i]) || src[i] == '.')) ++i;
    std::string_view id = src.substr(b, i - b);
    size_t dot = id.rfind('.');
    return std::string(dot == std::string_view::npos ? id : id.substr(dot + 1));
  };
  for (size_t i = 0; i < src.size(); ++i) {
    if (!IsIdentStart(src[i]) || (i > 0 && IsIdentChar(src[i - 1]))) continue;
    size_t b = i;
    while (i < src.size() && IsIdentChar(src[i])) ++i;
    std::string_view word = src.substr(b, i - b);
    if (!keys.count(word)) continue;
    size_t j = i;
    bool quoted = b > 0 && (src[b - 1] == '\'' || src[b - 1] == '"');
    if (quoted && j < src.size() && src[j] == src[b - 1]) ++j;
    else if (quoted) continue;
    while (j < src.size() && (src[j] == ' ' || src[j] == ']')) ++j;
    if (j < src.size() && ((quoted && src[j] == ':') || src[j] == '=') &&
        !(j + 1 < src.size() && src[j + 1] == '=')) {
      std::string id = ident_at(j + 1);
      if (!id.empty()) out.insert(id);
    }
    --i;
  }
  return out;
}

}  // namespace

bool InstallExecRule::Load(std::string_view data, std::string* err) {
  std::string section;
  int lineno = 0;
  for (std::string_view raw : Split(data, '\n')) {
    ++lineno;
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(line.substr(1, line.size() - 2));
      continue;
    }
    if (section == "calls") {
      std::string_view rest = line;
      size_t sp = rest.find_first_of(" \t");
      if (sp == std::string_view::npos) {
        *err = "install-exec data line " + std::to_string(lineno) + ": want 'callee severity what'";
        return false;
      }
      std::string callee(rest.substr(0, sp));
      rest = Trim(rest.substr(sp));
      sp = rest.find_first_of(" \t");
      std::string sev(rest.substr(0, sp));
      Call call;
      if (!ParseSeverity(sev, &call.severity)) {
        *err = "install-exec data line " + std::to_string(lineno) + ": unknown severity '" + sev + "'";
        return false;
      }
      call.what = sp == std::string_view::npos ? "runs code" : std::string(Trim(rest.substr(sp)));
      calls_[callee] = call;
    } else if (section == "escalate") {
      escalate_.push_back(ToLower(raw.substr(raw.find_first_not_of(" \t"))));
      // Keep trailing spaces of patterns such as "'git ": only strip \r.
      if (!escalate_.back().empty() && escalate_.back().back() == '\r') escalate_.back().pop_back();
    } else if (section == "commands") {
      commands_.insert(std::string(line));
    } else if (section == "routine") {
      std::string r(raw);
      if (!r.empty() && r.back() == '\r') r.pop_back();
      routine_.push_back(r);
    } else {
      *err = "install-exec data line " + std::to_string(lineno) + ": outside a known section";
      return false;
    }
  }
  if (calls_.empty()) {
    *err = "install-exec data lists no calls";
    return false;
  }
  return true;
}

Severity InstallExecRule::Grade(const Call& call, std::string_view args) const {
  std::string lower = ToLower(args);
  for (const std::string& e : escalate_)
    if (lower.find(e) != std::string::npos) return Severity::kCritical;
  std::string compact;
  for (char c : args.substr(0, 64))
    if (c != ' ' && c != '\t' && c != '\n' && c != '\\') compact += c;
  for (const std::string& r : routine_) {
    std::string rc;
    for (char c : r)
      if (c != ' ') rc += c;
    bool trailing_space = !r.empty() && r.back() == ' ';
    std::string_view rest = compact;
    if (!rc.empty() && rc[0] == '*') {  // '*' stands for a name
      size_t k = 0;
      while (k < rest.size() && IsIdentChar(rest[k])) ++k;
      if (k == 0) continue;
      rest.remove_prefix(k);
      rc.erase(0, 1);
    }
    if (rest.compare(0, rc.size(), rc) == 0) {
      // "'git " must be followed by more arguments, not a closing quote.
      if (!trailing_space || rest.size() > rc.size()) return Severity::kLow;
    }
  }
  return call.severity;
}

void InstallExecRule::CheckSource(std::string_view path, std::string_view src,
                                  std::vector<Finding>* out) const {
  std::string masked = MaskStringsAndComments(src);
  std::unordered_map<std::string, std::string> alias;
  std::vector<Block> stack;
  std::vector<CallSite> sites;
  std::set<std::string> called_at_module_level;

  for (const LogicalLine& ll : LogicalLines(masked)) {
    std::string_view text = std::string_view(masked).substr(ll.begin, ll.end - ll.begin);
    size_t first = text.find_first_not_of(" \t\f\r");
    if (first == std::string_view::npos || text[first] == '\\') continue;
    int indent = 0;
    for (size_t k = 0; k < first; ++k) indent = text[k] == '\t' ? (indent / 8 + 1) * 8 : indent + 1;
    while (!stack.empty() && stack.back().indent >= indent) stack.pop_back();
    std::string_view stmt = text.substr(first);

    bool in_def = false, command = false, guarded = false;
    std::string top_def, function;
    std::vector<std::string> classes;
    for (const Block& b : stack) {
      guarded |= b.other_command;
      if (b.is_command_class) command = true;
      if (!b.is_def && !b.name.empty()) classes.push_back(b.name);
      if (b.is_def) {
        if (!in_def) top_def = &b == &stack.front() ? b.name : "";
        in_def = true;
        function = b.name;
      }
    }

    if (stmt.substr(0, 7) == "import " || stmt.substr(0, 5) == "from ") RecordImports(stmt, &alias);

    // Call sites on this logical line.
    for (size_t i = 0; i < text.size();) {
      if (!IsIdentStart(text[i]) || (i > 0 && (IsIdentChar(text[i - 1]) || text[i - 1] == '.'))) {
        ++i;
        continue;
      }
      size_t start = i;
      while (i < text.size() && (IsIdentChar(text[i]) || text[i] == '.')) ++i;
      std::string_view chain = text.substr(start, i - start);
      size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j >= text.size() || text[j] != '(' || chain.back() == '.') continue;
      if (start >= 4 && text.substr(start - 4, 4) == "def ") continue;
      std::string head(chain.substr(0, chain.find('.')));
      std::string qualified(chain);
      if (auto it = alias.find(head); it != alias.end())
        qualified = it->second + std::string(chain.substr(head.size()));
      if (!in_def && classes.empty() && chain.find('.') == std::string_view::npos)
        called_at_module_level.insert(std::string(chain));
      if (guarded) continue;
      sites.push_back({qualified, ll.begin + start, ll.begin + j + 1, ll.end, ll.begin + first,
                       in_def, function, top_def, classes, command});
    }

    // Blocks opened by this line.
    std::string_view s = stmt;
    if (s.substr(0, 6) == "async ") s = Trim(s.substr(6));
    bool is_def = s.substr(0, 4) == "def ";
    bool is_class = s.substr(0, 6) == "class ";
    if (is_def || is_class) {
      s = Trim(s.substr(is_def ? 4 : 6));
      size_t k = 0;
      while (k < s.size() && IsIdentChar(s[k])) ++k;
      Block b{indent, is_def, false, std::string(s.substr(0, k))};
      if (is_class && k < s.size() && s[k] == '(') {
        size_t close = s.find(')', k);
        std::string_view bases = s.substr(k + 1, close == std::string_view::npos ? std::string_view::npos : close - k - 1);
        for (std::string_view base : Split(bases, ',')) {
          std::string bname(Trim(base));
          if (auto it = alias.find(bname.substr(0, bname.find('.'))); it != alias.end())
            bname = it->second + bname.substr(bname.find('.') == std::string::npos ? bname.size() : bname.find('.'));
          if (IsCommandBase(bname)) b.is_command_class = true;
        }
      }
      stack.push_back(std::move(b));
    } else if (!stmt.empty() && stmt.back() == ':') {
      Block b{indent, false, false, ""};
      if ((stmt.substr(0, 3) == "if " || stmt.substr(0, 5) == "elif ") &&
          stmt.find("sys.argv") != std::string_view::npos) {
        std::vector<std::string> words =
            QuotedWords(src.substr(ll.begin + first, ll.end - ll.begin - first));
        b.other_command = !words.empty() &&
                          std::none_of(words.begin(), words.end(), [&](const std::string& w) {
                            return commands_.count(w) > 0;
                          });
      }
      stack.push_back(std::move(b));
    }
  }

  std::set<std::string> registered;
  bool any_class = std::any_of(sites.begin(), sites.end(),
                               [](const CallSite& cs) { return !cs.classes.empty(); });
  if (any_class) registered = RegisteredCommands(src, commands_);
  std::set<std::pair<int, std::string>> reported;
  for (const CallSite& cs : sites) {
    auto it = calls_.find(cs.callee);
    if (it == calls_.end()) continue;
    std::string command_class;
    for (const std::string& c : cs.classes)
      if (cs.command || registered.count(c)) command_class = c;
    std::string where;
    if (!command_class.empty() && cs.in_def) {
      where = "in the setuptools command override " + command_class;
    } else if (!cs.in_def) {
      where = cs.classes.empty() ? "at module level" : "in the body of class " + cs.classes.back();
    } else if (!cs.top_def.empty() && called_at_module_level.count(cs.top_def)) {
      where = "in " + cs.function + "(), which module-level code calls";
    } else {
      continue;  // not known to run at install time
    }
    int line = LineOfOffset(src, cs.offset);
    if (!reported.insert({line, cs.callee}).second) continue;
    size_t close = CallEnd(masked, cs.args, cs.line_end);
    std::string_view args = src.substr(cs.args, close - cs.args);
    Finding f;
    f.rule = "install-exec";
    f.severity = Grade(it->second, args);
    f.phase = Phase::kInstall;
    f.file = std::string(path);
    f.line = line;
    f.message = std::string(path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1)) +
                " " + it->second.what + " at install time (" + cs.callee + ", " + where + ")";
    if (f.severity == Severity::kCritical)
      f.message += "; the call involves downloads, shells or encoded data";
    else if (f.severity == Severity::kLow)
      f.message += "; routine in setup scripts (reading a file or asking git)";
    f.evidence = Printable(Trim(LineAt(src, cs.offset)), 200);
    out->push_back(std::move(f));
  }
}

void InstallExecRule::CheckPth(std::string_view path, std::string_view src,
                               std::vector<Finding>* out) const {
  int lineno = 0;
  for (std::string_view raw : Split(src, '\n')) {
    ++lineno;
    std::string_view line = Trim(raw);
    // site.py executes .pth lines that start with "import" followed by a space or tab.
    if (line.substr(0, 7) != "import " && line.substr(0, 7) != "import\t") continue;
    Finding f;
    f.rule = "pth-exec";
    f.phase = Phase::kInstall;
    f.file = std::string(path);
    f.line = lineno;
    f.severity = Severity::kMedium;
    std::string lower = ToLower(line);
    for (const std::string& e : escalate_)
      if (lower.find(e) != std::string::npos) f.severity = Severity::kCritical;
    if (lower.find("exec(") != std::string::npos || lower.find("eval(") != std::string::npos)
      f.severity = std::max(f.severity, Severity::kHigh);
    f.message = ".pth file line runs code at every Python start-up once installed";
    f.evidence = Printable(line, 200);
    out->push_back(std::move(f));
  }
}

}  // namespace pyward
