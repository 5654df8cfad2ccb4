#include "analysis/install_exec_rule.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "python/ast.h"
#include "python/facts.h"
#include "python/literals.h"
#include "util/strings.h"

namespace pyward {
namespace {

using python::Ast;
using python::Node;
using python::NodeKind;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

std::string LastComponent(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

// Command classes whose override runs during pip install / build, whatever
// cmdclass key they are registered under. A generic Command base only runs
// at install when registered under an install-time key (commands_).
bool IsCommandBase(std::string_view base) {
  std::string b = ToLower(LastComponent(base));
  for (const char* w : {"install", "develop", "egg_info", "build", "sdist", "bdist"})
    if (b.find(w) != std::string::npos) return true;
  return false;
}

// Where a call sits.
struct Context {
  bool in_def = false;               // inside a function or lambda body
  std::string function;              // innermost function
  std::string top_def;               // the module-level function it is in
  std::vector<std::string> classes;  // enclosing classes, outermost first
  bool command = false;  // inside a class deriving from an install-time command
};

struct CallSite {
  std::string callee;  // qualified
  uint32_t node;
  Context ctx;
};

// One walk over a module's AST collecting call sites with their context,
// import aliases, names called at module level and cmdclass registrations.
class Walker {
 public:
  Walker(const Ast& ast, const std::set<std::string, std::less<>>& install_keys)
      : ast_(ast), keys_(install_keys) {}

  void Run() { Visit(ast_.root, Context{}); }

  std::vector<CallSite> sites;
  std::set<std::string> called_at_module_level;
  std::set<std::string> registered;  // classes under install-time cmdclass keys

  std::string Resolve(const std::string& dotted) const {
    size_t dot = dotted.find('.');
    std::string head = dotted.substr(0, dot);
    auto it = alias_.find(head);
    if (it == alias_.end()) return dotted;
    return it->second + (dot == std::string::npos ? "" : dotted.substr(dot));
  }

 private:
  // The decoded value of a string constant node, or "" when not one.
  std::string StringOf(uint32_t n) const {
    std::string v, err;
    bool is_bytes = false;
    if (n == 0 || ast_.node(n).kind != NodeKind::kConstant) return "";
    python::ConstantValue(ast_, n, &v, &is_bytes, &err);
    return v;
  }

  // Records a class registered under an install-time key.
  void Register(const std::string& key, uint32_t value) {
    std::string name;
    if (keys_.count(key) && value && python::DottedName(ast_, value, &name))
      registered.insert(LastComponent(name));
  }

  // `if sys.argv[-1] == 'publish':` and the like: true when the test reads
  // sys.argv and every string it compares with is a command pip never runs.
  bool GuardsOtherCommand(uint32_t test) const {
    bool argv = false;
    std::vector<std::string> words;
    std::vector<uint32_t> stack = {test}, kids;
    while (!stack.empty()) {
      uint32_t n = stack.back();
      stack.pop_back();
      const Node& node = ast_.node(n);
      std::string dotted;
      if (node.kind == NodeKind::kAttribute && python::DottedName(ast_, n, &dotted) &&
          Resolve(dotted) == "sys.argv")
        argv = true;
      if (node.kind == NodeKind::kConstant) words.push_back(StringOf(n));
      kids.clear();
      python::Children(ast_, n, &kids);
      stack.insert(stack.end(), kids.begin(), kids.end());
    }
    return argv && !words.empty() &&
           std::none_of(words.begin(), words.end(),
                        [&](const std::string& w) { return keys_.count(w) > 0; });
  }

  void VisitChildren(uint32_t n, const Context& ctx) {
    std::vector<uint32_t> kids;
    python::Children(ast_, n, &kids);
    for (uint32_t k : kids) Visit(k, ctx);
  }

  void Visit(uint32_t n, const Context& ctx) {
    if (n == 0) return;
    const Node& node = ast_.node(n);
    switch (node.kind) {
      case NodeKind::kImport:
        for (uint32_t a : ast_.list(node)) {
          const Node& al = ast_.node(a);
          std::string mod(ast_.Str(al.a, al.b));
          if (al.tok != python::kNoTok) alias_[std::string(ast_.TokText(al.tok))] = mod;
          else alias_[mod.substr(0, mod.find('.'))] = mod.substr(0, mod.find('.'));
        }
        return;
      case NodeKind::kImportFrom: {
        if (node.op != 0) return;  // relative imports name the package's own modules
        std::string mod(ast_.Str(node.a, node.b));
        for (uint32_t a : ast_.list(node)) {
          const Node& al = ast_.node(a);
          std::string name(ast_.Str(al.a, al.b));
          std::string local =
              al.tok != python::kNoTok ? std::string(ast_.TokText(al.tok)) : name;
          alias_[local] = mod + "." + name;
        }
        return;
      }
      case NodeKind::kFunctionDef:
      case NodeKind::kAsyncFunctionDef: {
        Visit(node.a, ctx);  // defaults run when the def runs
        Visit(node.c, ctx);  // decorators too
        Context inner = ctx;
        std::string name(ast_.TokText(node.tok));
        if (!ctx.in_def && ctx.classes.empty()) inner.top_def = name;
        inner.in_def = true;
        inner.function = name;
        for (uint32_t s : ast_.list(node)) Visit(s, inner);
        return;
      }
      // A lambda's body is counted where the lambda is written: lambdas are
      // made to be called there (threading.Thread(target=lambda: ...)).
      case NodeKind::kClassDef: {
        Visit(node.a, ctx);
        Visit(node.c, ctx);
        Context inner = ctx;
        inner.classes.push_back(std::string(ast_.TokText(node.tok)));
        if (node.a) {
          for (uint32_t b : ast_.list(ast_.node(node.a))) {
            std::string base;
            if (ast_.node(b).kind != NodeKind::kKeyword && python::DottedName(ast_, b, &base) &&
                IsCommandBase(Resolve(base)))
              inner.command = true;
          }
        }
        for (uint32_t s : ast_.list(node)) Visit(s, inner);
        return;
      }
      case NodeKind::kIf:
        Visit(node.a, ctx);
        if (!GuardsOtherCommand(node.a))
          for (uint32_t s : ast_.list(node)) Visit(s, ctx);
        Visit(node.c, ctx);
        return;
      case NodeKind::kCall: {
        std::string dotted;
        if (python::DottedName(ast_, node.a, &dotted)) {
          if (!ctx.in_def && ctx.classes.empty() && dotted.find('.') == std::string::npos)
            called_at_module_level.insert(dotted);
          sites.push_back({Resolve(dotted), n, ctx});
          if (LastComponent(dotted) == "dict") {
            for (uint32_t arg : ast_.list(node)) {
              const Node& kw = ast_.node(arg);
              if (kw.kind == NodeKind::kKeyword && kw.tok != python::kNoTok)
                Register(std::string(ast_.TokText(kw.tok)), kw.a);
            }
          }
        }
        break;
      }
      case NodeKind::kDict: {
        auto items = ast_.list(node);
        for (size_t i = 0; i + 1 < items.size(); i += 2) Register(StringOf(items[i]), items[i + 1]);
        break;
      }
      case NodeKind::kAssign:
        for (uint32_t t : ast_.list(node)) {
          const Node& target = ast_.node(t);
          if (target.kind == NodeKind::kSubscript) Register(StringOf(target.b), node.a);
        }
        break;
      default:
        break;
    }
    VisitChildren(n, ctx);
  }

  const Ast& ast_;
  const std::set<std::string, std::less<>>& keys_;
  std::unordered_map<std::string, std::string> alias_;
};

// The first token of `node` (tokens are ordered by position).
std::vector<python::Token>::const_iterator FirstToken(const Ast& ast, uint32_t node) {
  const Node& n = ast.node(node);
  auto it = std::lower_bound(ast.tokens.begin(), ast.tokens.end(), n,
                             [](const python::Token& t, const Node& n) {
                               return t.line < n.line || (t.line == n.line && t.col < n.col);
                             });
  // INDENT/DEDENT/NEWLINE tokens share the position of the statement's first token.
  while (it != ast.tokens.end() &&
         (it->kind == python::Tok::kIndent || it->kind == python::Tok::kDedent ||
          it->kind == python::Tok::kNewline))
    ++it;
  return it;
}

// Byte offset of `node` in the parsed text.
size_t NodeOffset(const Ast& ast, uint32_t node) {
  auto it = FirstToken(ast, node);
  return it == ast.tokens.end() ? ast.source.text.size() : it->off;
}

// The source text of the arguments of the call at `node` (between its
// parentheses), found through the tokens; "" when it cannot be found.
std::string_view CallArguments(const Ast& ast, uint32_t node) {
  auto it = FirstToken(ast, node);
  using python::Tok;
  // Skip the dotted callee to its opening parenthesis.
  for (; it != ast.tokens.end() && it->kind != Tok::kLPar; ++it)
    if (it->kind != Tok::kName && it->kind != Tok::kDot) return {};
  if (it == ast.tokens.end()) return {};
  size_t open = it->off + 1;
  int depth = 0;
  for (; it != ast.tokens.end() && it->kind != Tok::kEnd; ++it) {
    if (it->kind == Tok::kLPar || it->kind == Tok::kLSqb || it->kind == Tok::kLBrace) ++depth;
    if ((it->kind == Tok::kRPar || it->kind == Tok::kRSqb || it->kind == Tok::kRBrace) &&
        --depth == 0)
      return ast.source.text.substr(open, it->off - open);
  }
  return ast.source.text.substr(open);  // unclosed: up to the end
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
  python::Ast ast;
  python::Parse(src, &ast);
  Walker walker(ast, commands_);
  walker.Run();
  std::set<std::pair<uint32_t, std::string>> reported;
  for (const CallSite& cs : walker.sites) {
    auto it = calls_.find(cs.callee);
    if (it == calls_.end()) continue;
    const Context& ctx = cs.ctx;
    std::string command_class;
    for (const std::string& c : ctx.classes)
      if (ctx.command || walker.registered.count(c)) command_class = c;
    std::string where;
    if (!command_class.empty() && ctx.in_def) {
      where = "in the setuptools command override " + command_class;
    } else if (!ctx.in_def) {
      where = ctx.classes.empty() ? "at module level" : "in the body of class " + ctx.classes.back();
    } else if (!ctx.top_def.empty() && walker.called_at_module_level.count(ctx.top_def)) {
      where = "in " + ctx.function + "(), which module-level code calls";
    } else {
      continue;  // not known to run at install time
    }
    const Node& call = ast.node(cs.node);
    if (!reported.insert({call.line, cs.callee}).second) continue;
    Finding f;
    f.rule = "install-exec";
    f.severity = Grade(it->second, CallArguments(ast, cs.node));
    f.phase = Phase::kInstall;
    f.file = std::string(path);
    f.line = static_cast<int>(call.line);
    size_t slash = path.rfind('/');
    f.message = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1)) +
                " " + it->second.what + " at install time (" + cs.callee + ", " + where + ")";
    if (f.severity == Severity::kCritical)
      f.message += "; the call involves downloads, shells or encoded data";
    else if (f.severity == Severity::kLow)
      f.message += "; routine in setup scripts (reading a file or asking git)";
    f.evidence = Printable(Trim(LineAt(ast.source.text, NodeOffset(ast, cs.node))), 200);
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
