#include "analysis/package_flow.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "util/strings.h"

namespace pyward {
namespace {

using python::Node;
using python::NodeKind;

// The capabilities whose result is gathered secret data for this pass.
constexpr uint32_t kHarvestCaps = kCapEnvDump | kCapClipboard | kCapKeylog | kCapScreen;

// The scope a call sits in: the module-level class or def around it, ""
// for module-level code.
const std::string& ScopeOf(const CallRecord& c) {
  return c.ctx().classes.empty() ? c.ctx().top_def : c.ctx().classes.front();
}

// "Grabber().run" -> "Grabber"; ".grab.get" stays.
std::string_view BeforeCall(std::string_view q) {
  size_t p = q.find('(');
  return p == std::string_view::npos ? q : q.substr(0, p);
}

// What a call gathers ("" when nothing): the whole environment, the
// clipboard, the keyboard or the screen.
std::string CallHarvest(const python::Ast& ast, const ModuleModel& model, uint32_t all_caps,
                        const CallRecord& c) {
  uint32_t caps = all_caps & kHarvestCaps;
  // Writing the clipboard gathers nothing.
  if ((caps & kCapClipboard) &&
      (EndsWithIgnoreCase(c.callee, ".copy") || EndsWithIgnoreCase(c.callee, "SetClipboardData")))
    caps &= ~kCapClipboard;
  if (caps & kCapEnvDump) return "the whole environment via " + c.callee;
  if (caps & kCapClipboard) return "the clipboard via " + c.callee;
  if (caps & kCapKeylog) return "the keyboard via " + c.callee;
  if (caps & kCapScreen) return "the screen via " + c.callee;
  // os.environ handed whole to a call that copies or serialises it
  // (dict(os.environ), json.dumps(os.environ), b64encode(...)); not to one
  // that only reads settings from it (ConfigParser(os.environ)).
  auto copies = [](std::string_view q) {
    using namespace std::string_view_literals;
    if (q.size() < 9 || (q[0] != 'b' && q[0] != 'j' && q[0] != 'p')) return false;
    for (std::string_view k : {"builtins.dict"sv, "builtins.str"sv, "builtins.repr"sv,
                               "builtins.list"sv, "builtins.tuple"sv, "json.dumps"sv,
                               "json.dump"sv, "pickle.dumps"sv})
      if (q == k) return true;
    return false;
  };
  if (!(all_caps & kCapEncode) && !copies(c.callee)) return "";
  if (c.node == 0 || c.node >= ast.nodes.size()) return "";
  for (uint32_t arg : ast.list(ast.node(c.node))) {
    const Node& a = ast.node(arg);
    if ((a.kind == NodeKind::kName || a.kind == NodeKind::kAttribute) &&
        ast.TokText(a.tok) == "environ" && model.Qualify(arg) == "os.environ")
      return "the whole environment (os.environ)";
  }
  return "";
}

// The module-level statements with the first line of each and the line the
// next one starts at.
struct TopStmt {
  uint32_t node = 0;
  int first = 0, end = 0;  // [first, end)
};

std::vector<TopStmt> TopStatements(const python::Ast& ast) {
  std::vector<TopStmt> out;
  if (ast.root == 0 || ast.root >= ast.nodes.size()) return out;
  for (uint32_t s : ast.list(ast.node(ast.root))) {
    if (s == 0 || s >= ast.nodes.size()) continue;
    int line = static_cast<int>(ast.node(s).line);
    // Decorators sit above the def's own line.
    if (!out.empty()) out.back().end = line;
    out.push_back({s, line, 1 << 30});
  }
  return out;
}

// The index of the statement holding `line`, or -1.
int StmtAt(const std::vector<TopStmt>& stmts, int line) {
  auto it = std::upper_bound(stmts.begin(), stmts.end(), line,
                             [](int l, const TopStmt& s) { return l < s.first; });
  if (it == stmts.begin()) return -1;
  --it;
  return line < it->end ? static_cast<int>(it - stmts.begin()) : -1;
}

// The names an assignment statement binds at module level.
std::vector<std::string> AssignedNames(const python::Ast& ast, const Node& s) {
  std::vector<std::string> out;
  auto add = [&](uint32_t t) {
    if (t && t < ast.nodes.size() && ast.node(t).kind == NodeKind::kName)
      out.emplace_back(ast.TokText(ast.node(t).tok));
  };
  if (s.kind == NodeKind::kAssign) {
    for (uint32_t t : ast.list(s)) {
      if (t && t < ast.nodes.size() && ast.node(t).kind == NodeKind::kTuple)
        for (uint32_t e : ast.list(ast.node(t))) add(e);
      else
        add(t);
    }
  } else if (s.kind == NodeKind::kAnnAssign || s.kind == NodeKind::kAugAssign) {
    add(s.a);
  }
  return out;
}

std::string Parent(const std::string& dotted) {
  size_t cut = dotted.rfind('.');
  return cut == std::string::npos ? "" : dotted.substr(0, cut);
}

// `name` as an absolute dotted name from module `self` (relative imports:
// one dot is the module's package, each more goes up).
std::string Absolute(const std::string& self, bool is_package, std::string name) {
  if (name.empty() || name[0] != '.') return name;
  size_t dots = name.find_first_not_of('.');
  if (dots == std::string::npos) dots = name.size();
  std::string base = is_package ? self : Parent(self);
  for (size_t d = 1; d < dots; ++d) base = Parent(base);
  std::string rest = name.substr(dots);
  return base.empty() ? rest : rest.empty() ? base : base + "." + rest;
}

std::string BaseName(const std::string& path) {
  size_t cut = path.find_last_of("/!");
  return cut == std::string::npos ? path : path.substr(cut + 1);
}

}  // namespace

void SummarizeModule(const python::Ast& ast, const ModuleModel& model,
                     const BehaviourRules& rules, const std::vector<uint8_t>& sensitive_tokens,
                     ModuleSummary* out, const std::vector<uint32_t>* call_caps) {
  const std::vector<CallRecord>& calls = model.calls();
  // Each call's capabilities, looked up once.
  std::vector<uint32_t> own_caps;
  if (!call_caps || call_caps->size() != calls.size()) {
    own_caps.resize(calls.size());
    for (size_t i = 0; i < calls.size(); ++i) own_caps[i] = rules.CapabilitiesOf(calls[i].callee);
    call_caps = &own_caps;
  }
  const std::vector<uint32_t>& caps = *call_caps;
  bool any_send = false;
  for (uint32_t c : caps) any_send |= (c & kCapSend) != 0;
  std::vector<TopStmt> stmts = TopStatements(ast);
  if (stmts.empty()) return;
  // Harvest found per module-level statement.
  std::vector<HarvestSite> found(stmts.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    const CallRecord& c = calls[i];
    // CallHarvest first: it has no effect and most calls gather nothing.
    std::string what = CallHarvest(ast, model, caps[i], c);
    if (what.empty()) continue;
    int s = StmtAt(stmts, c.line);
    if (s >= 0 && found[s].what.empty()) found[s] = {std::move(what), c.line};
  }
  // Secret files and stores named by string constants.
  bool have_flags = !sensitive_tokens.empty() || ast.tokens.empty();
  for (size_t t = 0; t < ast.tokens.size(); ++t) {
    const python::Token& tok = ast.tokens[t];
    if (tok.kind != python::Tok::kString && tok.kind != python::Tok::kFStringMiddle) continue;
    // Paths and store names sit in short strings; docstrings and templates
    // are long and not worth the search.
    if (tok.len < 6 || tok.len > 300) continue;
    std::string_view text = ast.source.text.substr(tok.off, tok.len);
    if (have_flags && (t >= sensitive_tokens.size() || !sensitive_tokens[t])) continue;
    int line = static_cast<int>(tok.line);
    int s = StmtAt(stmts, line);
    if (s < 0 || !found[s].what.empty()) continue;
    // Without the flags: the test SensitiveTokens makes (its 4 KiB cut
    // does not reach these short tokens), only where it can matter.
    if (!have_flags && !rules.IsSensitiveText(text)) continue;
    found[s] = {"secret file or store " + Printable(text, 60), line};
  }
  // Two or more host facts read in one statement (the working folder and
  // the platform string, which every tool reads, left out).
  std::vector<std::set<std::string, std::less<>>> facts(stmts.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    const CallRecord& c = calls[i];
    if (!(caps[i] & kCapRecon) || c.callee == "os.getcwd" ||
        c.callee == "platform.platform")
      continue;
    int s = StmtAt(stmts, c.line);
    if (s < 0 || !found[s].what.empty()) continue;
    facts[s].insert(c.callee);
    if (facts[s].size() == 2) {
      std::string what = "host facts (";
      for (const std::string& f : facts[s]) what += (what.back() == '(' ? "" : ", ") + f;
      found[s] = {what + ")", c.line, /*host_only=*/true};
    }
  }
  // Defs and classes that gather; module-level names assigned from gathering code.
  std::vector<std::string> stmt_name(stmts.size());
  for (size_t s = 0; s < stmts.size(); ++s) {
    const Node& n = ast.node(stmts[s].node);
    if (n.kind == NodeKind::kFunctionDef || n.kind == NodeKind::kAsyncFunctionDef ||
        n.kind == NodeKind::kClassDef)
      stmt_name[s] = std::string(ast.TokText(n.tok));
    if (!stmt_name[s].empty() && !found[s].what.empty()) out->harvesters[stmt_name[s]] = found[s];
  }
  // A def that calls a gathering def of the module gathers too (twice:
  // two levels of helpers).
  for (int pass = 0; pass < 2; ++pass) {
    for (const CallRecord& c : calls) {
      const std::string& scope = ScopeOf(c);
      if (scope.empty() || out->harvesters.count(scope)) continue;
      auto h = out->harvesters.find(std::string(BeforeCall(c.callee)));
      if (h != out->harvesters.end())
        out->harvesters[scope] = {h->second.what + " (through " + h->first + ")", h->second.line,
                                  h->second.host_only};
    }
  }
  // Module-level statements that call a gathering def (one pass over calls).
  std::vector<HarvestSite> through(stmts.size());
  if (!out->harvesters.empty()) {
    for (const CallRecord& c : calls) {
      if (c.ctx().in_def || !c.ctx().classes.empty()) continue;
      int s = StmtAt(stmts, c.line);
      if (s < 0 || !through[s].what.empty()) continue;
      auto h = out->harvesters.find(std::string(BeforeCall(c.callee)));
      if (h != out->harvesters.end())
        through[s] = {h->second.what + " (through " + h->first + ")", c.line, h->second.host_only};
    }
  }
  for (size_t s = 0; s < stmts.size(); ++s) {
    if (!stmt_name[s].empty()) continue;
    const HarvestSite& site = found[s].what.empty() ? through[s] : found[s];
    if (site.what.empty()) continue;
    for (const std::string& name : AssignedNames(ast, ast.node(stmts[s].node)))
      out->tainted_globals[name] = site;
  }
  if (!any_send) return;
  // Scopes that module-level code runs: defs it calls, classes it instantiates.
  std::set<std::string, std::less<>> loaded;
  for (const CallRecord& c : calls)
    if (!c.ctx().in_def && c.ctx().classes.empty())
      loaded.insert(std::string(BeforeCall(c.callee)));
  std::map<std::string, std::vector<size_t>> by_scope;
  for (size_t i = 0; i < calls.size(); ++i) by_scope[ScopeOf(calls[i])].push_back(i);
  // What each scope calls, gathered once per scope (a scope may hold many
  // sends): at most 513 names.
  std::map<std::string, std::set<std::string>, std::less<>> scope_uses;
  for (size_t ci = 0; ci < calls.size(); ++ci) {
    const CallRecord& c = calls[ci];
    if (!(caps[ci] & kCapSend)) continue;
    SendSite site;
    site.line = c.line;
    site.callee = c.callee;
    site.scope = ScopeOf(c);
    site.at_load = site.scope.empty() ? !c.ctx().in_def : loaded.count(site.scope) > 0;
    auto su = scope_uses.find(site.scope);
    if (su == scope_uses.end()) {
      su = scope_uses.emplace(site.scope, std::set<std::string>()).first;
      for (size_t i : by_scope[site.scope]) {
        const std::string& q = calls[i].callee;
        if (!q.empty()) su->second.insert(std::string(BeforeCall(q)));
        if (su->second.size() > 512) break;
      }
    }
    std::set<std::string> uses = su->second;
    if (c.node && c.node < ast.nodes.size()) {
      for (uint32_t arg : ast.list(ast.node(c.node))) {
        python::WalkTree(ast, arg, 2000, [&](uint32_t n) {
          const Node& node = ast.node(n);
          if (node.kind == NodeKind::kName || node.kind == NodeKind::kAttribute) {
            std::string q = model.Qualify(n);
            if (!q.empty()) uses.insert(std::string(BeforeCall(q)));
            return python::Walk::kSkip;
          }
          return python::Walk::kInto;
        });
      }
    }
    site.uses.assign(uses.begin(), uses.end());
    out->sends.push_back(std::move(site));
  }
}

void AppendPackageFlowFindings(std::span<const PackageModule> modules,
                               const BehaviourRules& rules, std::vector<Finding>* out) {
  struct Gathered {
    size_t module;
    const std::string* name;
    const HarvestSite* site;
  };
  std::unordered_map<std::string, Gathered> gathered;  // container + '\0' + dotted name
  bool any_send = false;
  for (size_t i = 0; i < modules.size(); ++i) {
    const PackageModule& m = modules[i];
    if (!m.summary) continue;
    any_send |= !m.summary->sends.empty();
    for (const auto* table : {&m.summary->harvesters, &m.summary->tainted_globals})
      for (const auto& [name, site] : *table) {
        std::string key = m.container + '\0' + (m.module.empty() ? name : m.module + "." + name);
        gathered.emplace(std::move(key), Gathered{i, &name, &site});
      }
  }
  if (gathered.empty() || !any_send) return;
  const BehaviourRules::RuleInfo* info = rules.Rule("package-exfiltration");
  for (size_t i = 0; i < modules.size(); ++i) {
    const PackageModule& m = modules[i];
    if (!m.summary) continue;
    bool load_phase = m.phase == Phase::kInstall || m.phase == Phase::kImport;
    for (const SendSite& send : m.summary->sends) {
      const Gathered* hit = nullptr;
      std::string via;
      for (const std::string& use : send.uses) {
        std::string abs = Absolute(m.module, m.is_package, use);
        // A sibling imported by its bare name (scripts beside each other).
        for (std::string cand : {abs, Parent(m.module).empty() ? std::string()
                                                               : Parent(m.module) + "." + abs}) {
          for (; !cand.empty() && !hit; cand = Parent(cand)) {
            auto g = gathered.find(m.container + '\0' + cand);
            if (g != gathered.end() && g->second.module != i &&
                (!g->second.site->host_only || (send.at_load && load_phase))) {
              hit = &g->second;
              via = cand;
            }
          }
          if (hit) break;
        }
        if (hit) break;
      }
      if (!hit) continue;
      const PackageModule& from = modules[hit->module];
      Finding f;
      f.rule = "package-exfiltration";
      f.severity = send.at_load && load_phase ? Severity::kCritical : Severity::kHigh;
      f.phase = send.at_load ? m.phase : Phase::kRuntime;
      f.file = m.path;
      f.line = send.line;
      f.message = std::string(hit->site->host_only ? "host data" : "secret data") +
                  " gathered in " + BaseName(from.path) + " (" + hit->site->what + ", line " +
                  std::to_string(hit->site->line) + ", in " + *hit->name +
                  ") is sent out from another module of the package: " + via + " -> " +
                  send.callee + " (" + BaseName(m.path) + " line " + std::to_string(send.line) +
                  ")";
      if (info && !info->attack.empty()) f.message += " (ATT&CK " + info->attack + ")";
      out->push_back(std::move(f));
    }
  }
}

}  // namespace pyward
