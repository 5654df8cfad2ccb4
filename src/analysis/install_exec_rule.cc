#include "analysis/install_exec_rule.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "analysis/behaviour.h"
#include "analysis/module_model.h"
#include "python/ast.h"
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

// The first token of `node` (tokens are ordered by position).
python::TokenVector::const_iterator FirstToken(const Ast& ast, uint32_t node) {
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
      if (!trailing_space ||
          (rest.size() > rc.size() && rest[rc.size()] != '\'' && rest[rc.size()] != '"'))
        return Severity::kLow;
    }
  }
  return call.severity;
}

void InstallExecRule::CheckSource(std::string_view path, std::string_view src,
                                  std::vector<Finding>* out) const {
  python::Ast ast;
  python::Parse(src, &ast);
  ModelOptions options;
  options.install_commands = &commands_;
  ModuleModel model(ast, nullptr, options);
  CheckModel(path, ast, model, out);
}

void InstallExecRule::CheckModel(std::string_view path, const python::Ast& ast,
                                 const ModuleModel& model, std::vector<Finding>* out) const {
  // Module-level functions that module-level code calls (lambdas count where
  // they are written: they are made to be called there).
  auto at_module_level = [](const CallContext& ctx) {
    return (!ctx.in_def || ctx.lambda_only) && ctx.classes.empty();
  };
  std::set<std::string> called_at_module_level;
  for (const CallRecord& cs : model.calls())
    if (at_module_level(cs.ctx()) && !cs.ctx().guarded_other_command &&
        cs.callee.find('.') == std::string::npos)
      called_at_module_level.insert(cs.callee);
  // The text a plain name is assigned (`cmd = f"powershell ... {out}"`), per
  // name: each assignment's value to the end of its line (4 KB at most per
  // name),
  // so that a command built in a variable is graded by what it holds.
  std::unordered_map<std::string, std::string> assigned;
  for (const Node& n : ast.nodes) {
    if (n.kind != NodeKind::kAssign || n.a == 0) continue;
    for (uint32_t t : ast.list(n)) {
      const Node& target = ast.node(t);
      if (target.kind != NodeKind::kName || target.tok == python::kNoTok) continue;
      std::string& text = assigned[std::string(ast.TokText(target.tok))];
      if (text.size() >= 4096) continue;
      // The value's line from where it starts, read no further than 4 KB
      // (many assignments on one huge line stay linear).
      size_t from = std::min(NodeOffset(ast, n.a), ast.source.text.size());
      std::string_view line = ast.source.text.substr(from, 4096);
      text += std::string(line.substr(0, line.find('\n'))) + "\n";
    }
  }
  // Each name is added once, and at most 64 KB in all (a call naming
  // thousands of variables stays linear).
  auto graded_text = [&](uint32_t node) {
    std::string_view args = CallArguments(ast, node);
    std::string text(args);
    std::set<std::string_view> added;
    size_t extra = 0;
    for (size_t i = 0; i < args.size() && extra < (64 << 10);) {
      if (!IsIdentChar(args[i]) || (args[i] >= '0' && args[i] <= '9')) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < args.size() && IsIdentChar(args[j])) ++j;
      // A name, not an attribute or keyword name (`x.cmd`, `shell=`).
      bool attribute = (i > 0 && args[i - 1] == '.') ||
                       (j < args.size() && args[j] == '=' && (j + 1 >= args.size() || args[j + 1] != '='));
      std::string_view name = args.substr(i, j - i);
      auto found = attribute ? assigned.end() : assigned.find(std::string(name));
      if (found != assigned.end() && added.insert(name).second) {
        text += "\n" + found->second;
        extra += found->second.size() + 1;
      }
      i = j;
    }
    return text;
  };
  std::set<std::pair<uint32_t, std::string>> reported;
  for (const CallRecord& cs : model.calls()) {
    auto it = calls_.find(cs.callee);
    if (it == calls_.end()) continue;
    const CallContext& ctx = cs.ctx();
    if (ctx.guarded_other_command) continue;  // runs for `setup.py publish`, not pip
    bool in_def = ctx.in_def && !ctx.lambda_only;
    std::string command_class;
    for (const std::string& c : ctx.classes)
      if (ctx.command || model.registered_commands().count(c)) command_class = c;
    std::string where;
    if (!command_class.empty() && in_def) {
      where = "in the setuptools command override " + command_class;
    } else if (!in_def) {
      where = ctx.classes.empty() ? "at module level" : "in the body of class " + ctx.classes.back();
    } else if (!ctx.top_def.empty() && called_at_module_level.count(ctx.top_def)) {
      where = "in " + ctx.function + "(), which module-level code calls";
    } else {
      continue;  // not known to run at install time
    }
    const Node& call = ast.node(cs.node);
    if (!reported.insert({call.line, cs.callee}).second) continue;
    Finding f;
    f.rule = "install-exec";
    f.severity = Grade(it->second, graded_text(cs.node));
    // A second Python interpreter started in the background (Popen, its
    // output neither read nor kept) to import another package: that
    // package's code runs apart from pip and out of its sight. Asking an
    // interpreter for a path (check_output, stdout=PIPE) is left as it is.
    bool background_import = false;
    if (f.severity < Severity::kCritical && cs.callee == "subprocess.Popen") {
      bool piped = false;
      for (const auto& [key, value] : cs.kwargs)
        if (key == "stdout" || key == "stderr") piped = true;
      background_import =
          !piped && ClassifyInlineCode(InlinePythonCode(CallWords(ast, model, cs))) ==
                        InlineCode::kImportsOther;
      if (background_import) f.severity = Severity::kCritical;
    }
    f.phase = Phase::kInstall;
    f.file = std::string(path);
    f.line = static_cast<int>(call.line);
    size_t slash = path.rfind('/');
    f.message = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1)) +
                " " + it->second.what + " at install time (" + cs.callee + ", " + where + ")";
    if (background_import)
      f.message += "; a background Python interpreter imports another package (python -c)";
    else if (f.severity == Severity::kCritical)
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
