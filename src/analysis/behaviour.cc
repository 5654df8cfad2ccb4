#include "analysis/behaviour.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "python/ast.h"
#include "python/facts.h"
#include "python/literals.h"
#include "util/data_files.h"
#include "util/strings.h"

namespace pyward {
namespace {

using python::Ast;
using python::Node;
using python::NodeKind;
using python::Walk;

struct CapName {
  const char* name;
  uint32_t bit;
};
constexpr CapName kCapNames[] = {
    {"fetch", kCapFetch},         {"send", kCapSend},         {"connect", kCapConnect},
    {"proc", kCapProc},           {"exec", kCapExec},         {"load", kCapLoad},
    {"start", kCapStart},         {"chmod", kCapChmod},       {"write", kCapWrite},
    {"envdump", kCapEnvDump},     {"env", kCapEnv},           {"recon", kCapRecon},
    {"clipboard", kCapClipboard}, {"keylog", kCapKeylog},     {"screen", kCapScreen},
    {"pipinstall", kCapPipInstall}, {"sleep", kCapSleep},     {"registry", kCapRegistry},
    {"dup2", kCapDup2},           {"spawnpty", kCapSpawnPty}, {"delete", kCapDelete},
    {"decrypt", kCapDecrypt},     {"resolve", kCapResolve},   {"encode", kCapEncode},
};

bool CapByName(std::string_view name, uint32_t* bit) {
  for (const CapName& c : kCapNames)
    if (name == c.name) {
      *bit = c.bit;
      return true;
    }
  return false;
}

Severity Lower(Severity s, int steps = 1) {
  int v = static_cast<int>(s) - steps;
  return static_cast<Severity>(std::max(v, static_cast<int>(Severity::kInfo)));
}

// Kinds of tainted data.
enum TaintKind : uint8_t {
  kSecret = 1,   // credentials, secret files, the whole environment
  kHost = 2,     // who and where the host is
  kRemote = 4,   // bytes read from the network
  kDropped = 8,  // a file written from network bytes
  kSecretPath = 16,  // the name of a secret file or store (its data, once read)
  kHostFact = 32,    // read by a host-facts call (user, host name, cwd, public IP)
  kWritten = 64,     // a file (or file object) this module writes
  kWholeEnv = 128,   // the whole environment
};

struct Taint {
  uint8_t kinds = 0;
  std::string path;  // how the data got here, for the report
  void Merge(const Taint& o) {
    if (o.kinds & ~kinds) {
      if (path.empty() || (o.kinds & (kSecret | kSecretPath | kRemote | kDropped) & ~kinds))
        path = o.path;
      kinds |= o.kinds;
    }
  }
};

// What attributes carry from method to method: secrets and host facts.
// Network data kept in an object (self.data = r.json()) is every client's
// daily bread; it follows `self` only within one function, as names do.
constexpr uint8_t kAttrKinds = kSecret | kHost | kSecretPath;
constexpr uint8_t kLocalKinds = kRemote | kDropped;

constexpr size_t kMaxPath = 240;
constexpr size_t kMaxFlowNodes = 400000;  // modules larger than this skip flows

std::string Extend(const std::string& path, std::string_view step) {
  if (path.size() > kMaxPath) return path;
  return path + " -> " + std::string(step);
}

// Secret-looking environment variable names.
// Callees that decode data hidden in the code.
bool IsDecoderCallee(std::string_view q) {
  for (const char* p : {"base64.", "zlib.", "bz2.", "lzma.", "gzip.", "marshal.", "codecs.decode",
                        "binascii.", "bytes.fromhex", "builtins.chr"})
    if (q.substr(0, std::string_view(p).size()) == p) return true;
  return EndsWithIgnoreCase(q, ".decrypt") || EndsWithIgnoreCase(q, "fromhex");
}

// The module-level def a call runs in, "" at module level (a reference:
// no copy per call).
const std::string& DefOf(const CallRecord& c) {
  static const std::string kModuleLevel;
  return c.ctx().in_def ? c.ctx().top_def : kModuleLevel;
}

bool IsSecretEnvName(std::string_view name) {
  std::string n = ToLower(name);
  for (const char* w : {"token", "secret", "passw", "api_key", "apikey", "aws_", "credential",
                        "private_key", "auth"})
    if (n.find(w) != std::string::npos) return true;
  return false;
}

// One module's analysis state.
class ModuleCheck {
 public:
  ModuleCheck(const BehaviourRules& rules, const ModuleInput& m)
      : rules_(rules), m_(m), ast_(*m.ast), model_(*m.model) {}

  void Run(std::vector<Finding>* out) {
    out_ = out;
    IndexCalls();
    CommandCaps();
    FindMainGuards();
    FindEagerFunctions();
    if (ast_.nodes.size() <= kMaxFlowNodes && FlowsPossible()) {
      FindClasses();
      FindFlowEager();
      for (int pass = 0; pass < 2; ++pass) Stmts(ast_.root, "");
      Sinks();
    }
    Combinations();
  }

 private:
  // --- Calls and where they run -------------------------------------------
  void IndexCalls() {
    const auto& calls = model_.calls();
    caps_.resize(calls.size());
    call_at_.assign(ast_.nodes.size(), kNoCall);
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].node < call_at_.size()) call_at_[calls[i].node] = static_cast<uint32_t>(i);
      caps_[i] = m_.call_caps && m_.call_caps->size() == calls.size()
                     ? (*m_.call_caps)[i]
                     : rules_.CapabilitiesOf(calls[i].callee);
      // eval("exec")(code), getattr(builtins, "exec")(code): a builtin
      // looked up by name and called at once.
      if (calls[i].callee == "builtins.eval()" || calls[i].callee == "builtins.getattr()")
        caps_[i] |= LookedUpExec(calls[i]);
      // dict(os.environ) and the like read the whole environment.
      if (calls[i].callee == "builtins.dict" || calls[i].callee == "builtins.str" ||
          calls[i].callee == "json.dumps") {
        const Node& call = ast_.node(calls[i].node);
        for (uint32_t arg : ast_.list(call))
          if (ast_.node(arg).kind != NodeKind::kKeyword && model_.Qualify(arg) == "os.environ")
            caps_[i] |= kCapEnvDump;
      }
    }
  }

  // Processes whose command downloads (curl, wget ...) also fetch.
  void CommandCaps() {
    for (size_t i = 0; i < caps_.size(); ++i)
      if (caps_[i] & kCapProc) caps_[i] |= rules_.CommandCapabilities(ArgText(i));
  }

  // kCapExec when `call`'s callee is eval/getattr of the name of exec, eval
  // or compile (a constant, however it is spelt).
  uint32_t LookedUpExec(const CallRecord& call) const {
    const Node& outer = ast_.node(call.node);
    if (outer.a == 0 || ast_.node(outer.a).kind != NodeKind::kCall) return 0;
    auto args = ast_.list(ast_.node(outer.a));
    bool is_eval = call.callee == "builtins.eval()";
    if (args.size() != (is_eval ? 1u : 2u)) return 0;
    auto name = model_.Fold(args.back());
    if (!name || name->kind != Value::kStr) return 0;
    std::string_view n = Trim(name->data);
    if (!is_eval && n.size() > 9 && n.substr(0, 9) == "builtins.") n.remove_prefix(9);
    return n == "exec" || n == "eval" || n == "compile" ? static_cast<uint32_t>(kCapExec) : 0u;
  }

  // Line ranges of `if __name__ == '__main__':` blocks at module level: in an
  // imported module they do not run at import.
  void FindMainGuards() {
    const Node& mod = ast_.node(ast_.root);
    auto body = ast_.list(mod);
    for (size_t i = 0; i < body.size(); ++i) {
      const Node& s = ast_.node(body[i]);
      if (s.kind != NodeKind::kIf || !IsMainTest(s.a)) continue;
      uint32_t end = i + 1 < body.size() ? ast_.node(body[i + 1]).line - 1 : UINT32_MAX;
      main_guards_.push_back({s.line, end});
    }
  }

  bool IsMainTest(uint32_t test) const {
    if (test == 0) return false;
    const Node& t = ast_.node(test);
    if (t.kind != NodeKind::kCompare) return false;
    std::string left;
    if (!python::DottedName(ast_, t.a, &left) || left != "__name__") return false;
    return true;
  }

  bool InMainGuard(int line) const {
    for (auto [from, to] : main_guards_)
      if (static_cast<uint32_t>(line) >= from && static_cast<uint32_t>(line) <= to) return true;
    return false;
  }

  // The name of a module-level function a call targets (`run()`, a thread's
  // `target=run`, `atexit.register(run)`), or "".
  std::string LocalTarget(const Node& call_node) const {
    std::string dotted;
    if (python::DottedName(ast_, call_node.a, &dotted) && dotted.find('.') == std::string::npos &&
        defs_.count(dotted))
      return dotted;
    return "";
  }

  void FindEagerFunctions() {
    // Module-level function names.
    std::unordered_map<std::string, std::set<std::string_view>> params;
    for (uint32_t s : ast_.list(ast_.node(ast_.root))) {
      const Node& n = ast_.node(s);
      if (n.kind != NodeKind::kFunctionDef && n.kind != NodeKind::kAsyncFunctionDef) continue;
      std::string name(ast_.TokText(n.tok));
      defs_.insert(name);
      if (n.a)
        for (uint32_t arg : ast_.list(ast_.node(n.a)))
          if (ast_.node(arg).tok != python::kNoTok) params[name].insert(ast_.TokText(ast_.node(arg).tok));
    }
    // Helpers of the module that decode (def b64d(s): ... b64decode ...), and
    // helpers that pass a parameter to the network or a process (def
    // request(url, data): urlopen(Request(url, data))): a call to one is a
    // decode, or a sink, in its own right.
    const auto& all = model_.calls();
    for (size_t i = 0; i < all.size(); ++i) {
      const CallRecord& c = all[i];
      if (!c.ctx().in_def || c.ctx().top_def.empty() || !defs_.count(c.ctx().top_def)) continue;
      if (IsDecoderCallee(c.callee)) decoder_defs_.insert(c.ctx().top_def);
      uint32_t sink = caps_[i] & (kCapSend | kCapFetch | kCapProc);
      if (!sink) continue;
      auto p = params.find(c.ctx().top_def);
      if (p == params.end()) continue;
      std::vector<uint32_t> stack(ast_.list(ast_.node(c.node)).begin(),
                                  ast_.list(ast_.node(c.node)).end());
      size_t budget = 2000;
      while (!stack.empty() && budget-- > 0) {
        uint32_t n = stack.back();
        stack.pop_back();
        const Node& node = ast_.node(n);
        if (node.kind == NodeKind::kName && p->second.count(ast_.TokText(node.tok))) {
          sink_defs_[c.ctx().top_def] |= sink == kCapFetch ? kCapSend : sink;
          break;
        }
        python::AppendChildren(ast_, n, &stack);
      }
    }
    for (size_t i = 0; i < all.size() && !sink_defs_.empty(); ++i) {
      auto it = sink_defs_.find(all[i].callee);
      if (it != sink_defs_.end()) caps_[i] |= it->second;
    }
    // Which functions run at load: called from code that runs at load, and
    // so on (a worklist over the functions' calls). Only module-level
    // functions can be: none, no work.
    if (defs_.empty()) return;
    const auto& calls = model_.calls();
    std::unordered_map<std::string, std::vector<size_t>> calls_in;  // top_def -> calls
    std::vector<size_t> work;
    for (size_t i = 0; i < calls.size(); ++i) {
      const CallRecord& c = calls[i];
      if (c.ctx().in_def) {
        if (!c.ctx().top_def.empty()) calls_in[c.ctx().top_def].push_back(i);
        if (m_.install_file && c.ctx().command) work.push_back(i);
      } else {
        work.push_back(i);
      }
    }
    while (!work.empty()) {
      size_t i = work.back();
      work.pop_back();
      const CallRecord& rec = calls[i];
      if (rec.ctx().guarded_other_command) continue;
      if (!m_.install_file && InMainGuard(rec.line)) continue;
      const Node& call = ast_.node(rec.node);
      // The functions the call runs become eager (the set reached does not
      // depend on the order the work is done in).
      auto reach = [&](std::string t) {
        if (t.empty() || !eager_defs_.insert(t).second) return;
        auto it = calls_in.find(t);
        if (it != calls_in.end()) work.insert(work.end(), it->second.begin(), it->second.end());
      };
      reach(LocalTarget(call));
      // Thread(target=f), Process(target=f), atexit.register(f), Timer(t, f).
      for (uint32_t arg : ast_.list(call)) {
        const Node& a = ast_.node(arg);
        uint32_t v = arg;
        if (a.kind == NodeKind::kKeyword) {
          if (a.tok == python::kNoTok || ast_.TokText(a.tok) != "target") continue;
          v = a.a;
        }
        if (v && ast_.node(v).kind == NodeKind::kName) {
          std::string name(ast_.TokText(ast_.node(v).tok));
          if (defs_.count(name)) reach(std::move(name));
        }
      }
    }
  }

  // True when call i runs when the file is loaded (imported, or run by pip).
  bool Eager(size_t i) const {
    const CallRecord& c = model_.calls()[i];
    if (c.ctx().guarded_other_command) return false;
    if (!m_.install_file && InMainGuard(c.line)) return false;
    if (!c.ctx().in_def) return true;
    if (m_.install_file && c.ctx().command) return true;
    return !c.ctx().top_def.empty() && eager_defs_.count(c.ctx().top_def) > 0;
  }

  // True when call i runs when the package is installed or imported: eager
  // code in an install- or import-time file. Module-level code of other
  // modules runs only when something imports them at run time.
  bool Loads(size_t i) const {
    return (m_.phase == Phase::kInstall || m_.phase == Phase::kImport) && Eager(i);
  }

  // --- Objects (flows only) -------------------------------------------------
  // The names of the classes the module defines, at any depth.
  // Then the names bound to an instance of one (`g = Grabber()`, in any
  // scope: names that hold instances of two classes keep the last).
  void FindClasses() {
    for (const Node& n : ast_.nodes)
      if (n.kind == NodeKind::kClassDef && n.tok != python::kNoTok)
        classes_.insert(std::string(ast_.TokText(n.tok)));
    if (classes_.empty()) return;
    // class B(A) with A of the module: B's objects are A's (one family
    // shares its attributes and methods, flow-insensitively).
    for (const Node& n : ast_.nodes) {
      if (n.kind != NodeKind::kClassDef || n.tok == python::kNoTok || n.a == 0)
        continue;
      for (uint32_t b : ast_.list(ast_.node(n.a))) {
        const Node& base = ast_.node(b);
        if (base.kind != NodeKind::kName) continue;
        std::string name(ast_.TokText(base.tok));
        if (classes_.count(name)) {
          parent_.emplace(std::string(ast_.TokText(n.tok)), name);
          break;
        }
      }
    }
    for (const Node& n : ast_.nodes) {
      if (n.kind != NodeKind::kAssign || n.a == 0 ||
          ast_.node(n.a).kind != NodeKind::kCall)
        continue;
      const Node& call = ast_.node(n.a);
      if (call.a == 0 || ast_.node(call.a).kind != NodeKind::kName) continue;
      std::string cls(ast_.TokText(ast_.node(call.a).tok));
      if (!classes_.count(cls)) continue;
      for (uint32_t t : ast_.list(n))
        if (ast_.node(t).kind == NodeKind::kName &&
            ast_.node(t).tok != python::kNoTok)
          instances_[std::string(ast_.TokText(ast_.node(t).tok))] = Root(cls);
    }
  }

  // The outermost class of the module that `cls` derives from (itself when
  // none).
  std::string Root(const std::string& cls) const {
    std::string r = cls;
    for (int i = 0; i < 16; ++i) {
      auto it = parent_.find(r);
      if (it == parent_.end() || it->second == cls) break;
      r = it->second;
    }
    return r;
  }

  // Stores what an attribute now holds: the attribute and its object.
  void StoreAttr(const std::string& key, const Taint& t) {
    attrs_[key].Merge(t);
    objects_[key.substr(0, key.find('\0'))].Merge(t);
  }

  // The function or method a call sits in: "f" for a module-level function,
  // "Class.m" for a method (or a function nested in one), "" at module level.
  std::string UnitOf(const CallRecord& c) const {
    if (!c.ctx().in_def) return "";
    if (!c.ctx().classes.empty())
      return Root(c.ctx().classes.back()) + "." + c.ctx().function;
    return c.ctx().top_def;
  }

  // Whether `e` is `name.attr` on a plain name: sets *name and *attr.
  bool NameDotAttr(uint32_t e, std::string_view* name, std::string_view* attr) const {
    if (e == 0) return false;
    const Node& n = ast_.node(e);
    if (n.kind != NodeKind::kAttribute || n.a == 0 || n.tok == python::kNoTok) return false;
    const Node& b = ast_.node(n.a);
    if (b.kind != NodeKind::kName) return false;
    *name = ast_.TokText(b.tok);
    *attr = ast_.TokText(n.tok);
    return true;
  }

  // "Class.m" when `e` is `self.m` / `cls.m` inside class `cls`, else "".
  std::string SelfMethod(uint32_t e, const std::string& cls) const {
    std::string_view id, attr;
    if (cls.empty() || !NameDotAttr(e, &id, &attr)) return "";
    if (id != "self" && id != "cls" && id != cls) return "";
    return cls + "." + std::string(attr);
  }

  // Eager() for flows, extended to methods: a class instantiated by code
  // that runs at load runs its __init__; `C().m()`, `o = C(); o.m()`,
  // `self.m()` and Thread(target=self.m) from such code run m; and the
  // module's functions they call run too. Only modules with flows pay.
  void FindFlowEager() {
    flow_eager_defs_ = eager_defs_;
    if (classes_.empty()) return;
    const auto& calls = model_.calls();
    std::unordered_map<std::string, std::vector<size_t>>
        calls_in;  // unit -> calls
    std::vector<size_t> work;
    for (size_t i = 0; i < calls.size(); ++i) {
      std::string unit = UnitOf(calls[i]);
      if (!unit.empty()) calls_in[unit].push_back(i);
      if (Eager(i)) work.push_back(i);
    }
    std::vector<std::string> targets;
    size_t budget = 200000;
    while (!work.empty() && budget-- > 0) {
      size_t i = work.back();
      work.pop_back();
      const CallRecord& rec = calls[i];
      if (rec.ctx().guarded_other_command) continue;
      if (!m_.install_file && InMainGuard(rec.line)) continue;
      const Node& call = ast_.node(rec.node);
      const std::string cls =
          rec.ctx().classes.empty() ? "" : Root(rec.ctx().classes.back());
      targets.clear();
      if (std::string t = LocalTarget(call); !t.empty()) targets.push_back(t);
      if (std::string t = SelfMethod(call.a, cls); !t.empty())
        targets.push_back(t);
      // C(...), C(...).m(...), o.m() for o = C(...): the callee starts "C".
      std::string_view q = rec.callee;
      size_t end = q.find_first_of(".(");
      if (classes_.count(std::string(q.substr(0, end)))) {
        std::string c = Root(std::string(q.substr(0, end)));
        if (end == std::string_view::npos || q.substr(end, 2) == "()") {
          targets.push_back(c + ".__init__");
          size_t rest = end == std::string_view::npos ? q.size() : end + 2;
          if (rest < q.size() && q[rest] == '.' &&
              q.find_first_of(".(", rest + 1) == std::string_view::npos)
            targets.push_back(c + "." + std::string(q.substr(rest + 1)));
        } else if (q.find_first_of(".(", end + 1) == std::string_view::npos) {
          targets.push_back(c + "." +
                            std::string(q.substr(end + 1)));  // C.m(...)
        }
      }
      // Thread(target=f), Thread(target=self.m), atexit.register(f).
      for (uint32_t arg : ast_.list(call)) {
        const Node& a = ast_.node(arg);
        uint32_t v = arg;
        if (a.kind == NodeKind::kKeyword) {
          if (a.tok == python::kNoTok || ast_.TokText(a.tok) != "target")
            continue;
          v = a.a;
        }
        if (v == 0) continue;
        if (ast_.node(v).kind == NodeKind::kName) {
          std::string name(ast_.TokText(ast_.node(v).tok));
          if (defs_.count(name)) targets.push_back(name);
        } else if (std::string t = SelfMethod(v, cls); !t.empty()) {
          targets.push_back(t);
        }
      }
      for (const std::string& t : targets) {
        auto& set = t.find('.') == std::string::npos ? flow_eager_defs_
                                                     : eager_methods_;
        if (!set.insert(t).second) continue;
        auto it = calls_in.find(t);
        if (it != calls_in.end())
          work.insert(work.end(), it->second.begin(), it->second.end());
      }
    }
  }

  // Eager() as the flows see it (with FindFlowEager's methods).
  bool FlowEager(size_t i) const {
    if (Eager(i)) return true;
    const CallRecord& c = model_.calls()[i];
    if (c.ctx().guarded_other_command || !c.ctx().in_def) return false;
    if (!m_.install_file && InMainGuard(c.line)) return false;
    std::string unit = UnitOf(c);
    return c.ctx().classes.empty() ? flow_eager_defs_.count(unit) > 0
                                 : eager_methods_.count(unit) > 0;
  }
  bool FlowLoads(size_t i) const {
    return (m_.phase == Phase::kInstall || m_.phase == Phase::kImport) &&
           FlowEager(i);
  }

  // The key ("Class\0attr") of `self.attr` / `cls.attr` inside a class, or
  // of `Class.attr` for a class of the module; "" for anything else. Sets
  // *label to the text shown in a path ("self.attr").
  std::string AttrKey(uint32_t expr, std::string* label = nullptr) const {
    std::string_view id, attr;
    if (classes_.empty() || !NameDotAttr(expr, &id, &attr)) return "";
    std::string owner;
    if (!cls_.empty() && (id == "self" || id == "cls")) {
      owner = cls_;
    } else if (classes_.count(std::string(id))) {
      owner = Root(std::string(id));
    } else {
      auto inst = instances_.find(std::string(id));
      if (inst == instances_.end()) return "";
      owner = inst->second;
    }
    if (label) *label = std::string(id) + "." + std::string(attr);
    return owner + '\0' + std::string(attr);
  }

  // --- Data flows ---------------------------------------------------------
  std::string Key(const std::string& scope, std::string_view name) const {
    return scope + '\0' + std::string(name);
  }

  Taint Lookup(const std::string& scope, std::string_view name) const {
    const Taint* t = Find(scope, name);
    return t ? *t : Taint();
  }
  // What Lookup returns, without a copy: nullptr when nothing is known.
  // The keys are built in one buffer (no allocation per name).
  const Taint* Find(const std::string& scope, std::string_view name) const {
    if (vars_.empty() && returns_.empty()) return nullptr;
    key_buf_.assign(scope);
    key_buf_ += '\0';
    key_buf_.append(name);
    auto it = vars_.find(key_buf_);
    if (it != vars_.end()) return &it->second;
    if (!scope.empty()) {
      key_buf_.assign(1, '\0');
      key_buf_.append(name);
      it = vars_.find(key_buf_);
      if (it != vars_.end()) return &it->second;
    }
    if (returns_.empty()) return nullptr;
    key_buf_.assign(name);
    auto f = returns_.find(key_buf_);
    if (f != returns_.end()) return &f->second;
    return nullptr;
  }

  // Flows need a sink (network, process, exec) and a source (a source call,
  // os.environ, a secret file's name, a download): most modules have
  // neither, and skip the walk.
  bool FlowsPossible() {
    bool sink = false, source = false;
    for (uint32_t caps : caps_) {
      sink |= (caps & (kCapSend | kCapFetch | kCapProc | kCapExec | kCapLoad | kCapStart |
                       kCapChmod)) != 0;
      source |= (caps & (kCapFetch | kCapEnv | kCapEnvDump | kCapRecon | kCapClipboard |
                         kCapKeylog | kCapScreen)) != 0;
    }
    if (!sink) return false;
    // Files written and then started: the flow walk follows them too.
    for (const CallRecord& c : model_.calls())
      if (EndsWithIgnoreCase(c.callee, ".write") || EndsWithIgnoreCase(c.callee, ".write_bytes") ||
          EndsWithIgnoreCase(c.callee, ".write_text")) {
        source = true;
        break;
      }
    FindSensitive();
    return source || any_sensitive_ ||
           ast_.source.text.find("environ") != std::string_view::npos;
  }

  // Which string tokens name secret data ([sensitive]): each token is
  // looked at once per module, and only string tokens are.
  void FindSensitive() {
    std::vector<uint8_t>& flags = m_.sensitive_tokens ? *m_.sensitive_tokens : own_sensitive_;
    flags = rules_.SensitiveTokens(ast_);
    token_sensitive_ = &flags;
    any_sensitive_ = std::find(flags.begin(), flags.end(), 1) != flags.end();
  }
  bool SensitiveConstant(const Node& n) const {
    if (!any_sensitive_ || n.tok == python::kNoTok) return false;
    uint32_t last = std::min<uint32_t>(n.tok + std::max<uint32_t>(n.a, 1),
                                       static_cast<uint32_t>(token_sensitive_->size()));
    for (uint32_t t = n.tok; t < last; ++t)
      if ((*token_sensitive_)[t]) return true;
    return false;
  }

  // True when `n` is os.environ (os.environ, `from os import environ`).
  bool IsEnviron(uint32_t n) const {
    if (n == 0) return false;
    const Node& node = ast_.node(n);
    if ((node.kind != NodeKind::kAttribute && node.kind != NodeKind::kName) ||
        ast_.TokText(node.tok) != "environ")
      return false;
    return model_.Qualify(n) == "os.environ";
  }

  // The raw text of a string constant's tokens.
  std::string_view ConstText(const Node& n) const {
    if (n.tok == python::kNoTok || n.tok >= ast_.tokens.size()) return {};
    uint32_t last = std::min<uint32_t>(n.tok + std::max<uint32_t>(n.a, 1) - 1,
                                       ast_.tokens.size() - 1);
    size_t from = ast_.tokens[n.tok].off;
    size_t to = ast_.tokens[last].off + ast_.tokens[last].len;
    if (to < from || to > ast_.source.text.size()) return {};
    return ast_.source.text.substr(from, to - from);
  }

  // True when a string constant of the module names a Windows program file
  // (x.exe, x.scr, x.msi, x.bat, x.vbs, x.ps1): a download that is started
  // is then a native program fetched and run, the dropper's signature.
  // Computed once; linear in the module's constants.
  bool NamesWindowsProgram() const {
    if (names_windows_program_) return *names_windows_program_;
    bool found = false;
    for (const Node& n : ast_.nodes) {
      if (found) break;
      if (n.kind != NodeKind::kConstant ||
          static_cast<python::ConstKind>(n.flags) != python::ConstKind::kStr)
        continue;
      std::string text = ToLower(ConstText(n).substr(0, 4096));
      for (const char* ext : {".exe", ".scr", ".msi", ".bat", ".vbs", ".ps1"}) {
        for (size_t at = text.find(ext); at != std::string::npos && !found;
             at = text.find(ext, at + 1)) {
          size_t end = at + 4;
          found = at > 0 && IsWordChar(text[at - 1]) &&
                  (end >= text.size() || !IsWordChar(text[end]));
        }
        if (found) break;
      }
    }
    names_windows_program_ = found;
    return found;
  }
  static bool IsWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
  // download-exec's severity: `sev`, one step up from high to critical when
  // what is fetched and started is a Windows program the module names.
  Severity DropperSeverity(Severity sev) const {
    return sev == Severity::kHigh && NamesWindowsProgram() ? Severity::kCritical : sev;
  }
  std::string ProgramNote(Severity sev) const {
    return sev == Severity::kHigh && NamesWindowsProgram() ? "; the module names a Windows program file"
                                                           : "";
  }

  // The taint of an expression: the union over its subtree.
  Taint Eval(uint32_t expr, const std::string& scope) {
    Taint t;
    std::vector<uint32_t> stack;
    stack.reserve(64);
    stack.push_back(expr);
    size_t budget = 20000;
    while (!stack.empty() && budget-- > 0) {
      uint32_t n = stack.back();
      stack.pop_back();
      if (n == 0) continue;
      const Node& node = ast_.node(n);
      switch (node.kind) {
        case NodeKind::kLambda:
        case NodeKind::kFunctionDef:
        case NodeKind::kAsyncFunctionDef:
          continue;
        case NodeKind::kName: {
          std::string_view id = ast_.TokText(node.tok);
          if (id == "environ" && IsEnviron(n)) {
            t.Merge({kSecret | kWholeEnv, "os.environ (line " + std::to_string(node.line) + ")"});
            continue;
          }
          if (const Taint* known = Find(scope, id)) t.Merge(*known);
          // An object passed whole (vars(self), post(json=g.__dict__)).
          if (!objects_.empty()) {
            std::string owner;
            if (!cls_.empty() && id == "self") {
              owner = cls_;
            } else if (auto inst = instances_.find(std::string(id));
                       inst != instances_.end()) {
              owner = inst->second;
            }
            if (auto o = objects_.find(owner);
                !owner.empty() && o != objects_.end())
              t.Merge(o->second);
          }
          continue;
        }
        case NodeKind::kConstant:
          if (node.flags == static_cast<uint8_t>(python::ConstKind::kStr) ||
              node.flags == static_cast<uint8_t>(python::ConstKind::kBytes)) {
            std::string_view text = ConstText(node);
            bool sensitive = SensitiveConstant(node);
            if (sensitive && !secret_line_) {
              secret_line_ = node.line;
              secret_what_ = Printable(text, 60);
            }
            if (sensitive)
              t.Merge({kSecretPath, "secret file or store " + Printable(text, 60) + " (line " +
                                    std::to_string(node.line) + ")"});
            if (!dropped_consts_.empty() && dropped_consts_.count(std::string(text)))
              t.Merge({kDropped, "file " + Printable(text, 60) + " written from the network"});
          }
          continue;
        case NodeKind::kAttribute:
          if (IsEnviron(n)) {
            t.Merge({kSecret | kWholeEnv, "os.environ (line " + std::to_string(node.line) + ")"});
            continue;
          }
          // A host-facts function handed to a helper (`try_call(os.getcwd)`).
          if (rules_.CapabilitiesOf(model_.Qualify(n)) & rules_.source_caps() & kCapRecon) {
            t.Merge({kHost | kHostFact, model_.Qualify(n) + " (line " + std::to_string(node.line) + ")"});
            continue;
          }
          // self.attr: what any method of the class stored there (only
          // that: not the other attributes of self); self.m(): what the
          // method returns.
          if (std::string key = AttrKey(n); !key.empty()) {
            auto a = attrs_.find(key);
            if (a != attrs_.end()) t.Merge(a->second);
            if (std::string_view(key).ends_with(
                    std::string_view("\0__dict__", 9))) {
              auto o = objects_.find(key.substr(0, key.find('\0')));
              if (o != objects_.end()) t.Merge(o->second);
            }
            auto r = returns_.find(key.substr(key.find('\0') + 1));
            if (r != returns_.end()) t.Merge(r->second);
            Taint local = Lookup(scope, ast_.TokText(ast_.node(node.a).tok));
            local.kinds &= kLocalKinds;
            t.Merge(local);
            continue;
          }
          break;
        case NodeKind::kSubscript:
          if (IsEnviron(node.a)) {
            std::string key;
            if (auto v = model_.Fold(node.b)) key = v->data;
            t.Merge({static_cast<uint8_t>(IsSecretEnvName(key) ? kSecret : kHost),
                     "os.environ['" + Printable(key, 40) + "'] (line " +
                         std::to_string(node.line) + ")"});
            stack.push_back(node.b);
            continue;
          }
          break;
        case NodeKind::kCall: {
          size_t ci = CallAt(n);
          if (ci != kNoCall) {
            const CallRecord& c = model_.calls()[ci];
            uint32_t caps = caps_[ci];
            // What a call reads counts as a source only when [sources] says so.
            uint32_t src = caps & rules_.source_caps();
            std::string where;  // only built for the calls that read something
            if (src || (caps & kCapFetch))
              where = c.callee + " (line " + std::to_string(node.line) + ")";
            if (src & kCapEnvDump) {
              t.Merge({kSecret | kWholeEnv, "the whole environment via " + where});
              if (!secret_line_) {
                secret_line_ = node.line;
                secret_what_ = "the whole environment";
              }
            }
            if (src & kCapEnv) {
              std::string name;
              if (!c.args.empty() && c.args[0]) name = c.args[0]->data;
              t.Merge({static_cast<uint8_t>(IsSecretEnvName(name) ? kSecret : kHost),
                       "environment variable " + Printable(name.empty() ? "?" : name, 40) +
                           " via " + where});
            }
            if (src & kCapRecon) t.Merge({kHost | kHostFact, where});
            if (src & (kCapClipboard | kCapKeylog | kCapScreen)) t.Merge({kSecret, where});
            if ((caps & kCapFetch) && rules_.IsIpLookup(ArgText(ci)))
              t.Merge({kHost | kHostFact, "the public IP address via " + where});
            else if (caps & kCapFetch)
              t.Merge({kRemote, "data downloaded by " + where});
            if (caps & (kCapEnv | kCapEnvDump)) {
              // os.environ.get('X'): the arguments matter, not os.environ.
              for (uint32_t arg : ast_.list(node)) stack.push_back(arg);
              continue;
            }
          }
          break;
        }
        default: break;
      }
      // Children pushed in reverse: visited in source order.
      size_t top = stack.size();
      python::AppendChildren(ast_, n, &stack);
      std::reverse(stack.begin() + top, stack.end());
    }
    return t;
  }

  // `label` is the text a path shows for a Name target ("obj.x" when the
  // name holds an object whose attribute x was assigned).
  void AssignTarget(uint32_t target, const Taint& t, const std::string& scope,
                    int line, const std::string& label = "") {
    if (target == 0 || t.kinds == 0) return;
    const Node& n = ast_.node(target);
    switch (n.kind) {
      case NodeKind::kName: {
        std::string_view id = ast_.TokText(n.tok);
        Taint& v = vars_[Key(scope, id)];
        Taint add = t;
        add.path = Extend(t.path, (label.empty() ? std::string(id) : label) +
                                      " (line " + std::to_string(line) + ")");
        v.Merge(add);
        // A class attribute (`webhook = ...` in the class body).
        if (class_body_ && !cls_.empty()) {
          Taint attr = t;
          attr.path = Extend(t.path, cls_ + "." + std::string(id) + " (line " +
                                         std::to_string(line) + ")");
          attr.kinds &= kAttrKinds;
          if (attr.kinds) StoreAttr(cls_ + '\0' + std::string(id), attr);
        }
        return;
      }
      case NodeKind::kTuple:
      case NodeKind::kList:
        for (uint32_t e : ast_.list(n)) AssignTarget(e, t, scope, line);
        return;
      case NodeKind::kStarred:
        AssignTarget(n.a, t, scope, line);
        return;
      case NodeKind::kSubscript:
      case NodeKind::kAttribute: {
        // The attribute next to the base name (self.x in self.x[k].y).
        uint32_t base = target, attr = 0;
        for (int i = 0; i < 64 && base &&
                        (ast_.node(base).kind == NodeKind::kSubscript ||
                         ast_.node(base).kind == NodeKind::kAttribute);
             ++i) {
          if (ast_.node(base).kind == NodeKind::kAttribute) attr = base;
          base = ast_.node(base).a;
        }
        if (!base || ast_.node(base).kind != NodeKind::kName) return;
        std::string label;
        if (attr && ast_.node(attr).a == base) {
          label = std::string(ast_.TokText(ast_.node(base).tok)) + "." +
                  std::string(ast_.TokText(ast_.node(attr).tok));
          if (std::string key = AttrKey(attr); !key.empty()) {
            Taint add = t;
            add.path =
                Extend(t.path, label + " (line " + std::to_string(line) + ")");
            add.kinds &= kAttrKinds;
            if (add.kinds) StoreAttr(key, add);
            // self.x holds secrets, not every attribute of self; network
            // data follows self within this function only.
            Taint local = t;
            local.kinds &= kLocalKinds;
            AssignTarget(base, local, scope, line, label);
            return;
          }
        }
        AssignTarget(base, t, scope, line, label);
        return;
      }
      default: return;
    }
  }

  // `x.append(v)`, `d.update(v)`, `f.write(v)`: the receiver holds v.
  void ContainerCall(uint32_t call, const std::string& scope) {
    const Node& c = ast_.node(call);
    if (c.a == 0 || ast_.node(c.a).kind != NodeKind::kAttribute) return;
    const Node& attr = ast_.node(c.a);
    std::string_view method = ast_.TokText(attr.tok);
    static const std::set<std::string_view> kAdders = {
        "append", "extend", "update", "insert", "add", "write", "writelines", "setdefault",
        "put", "appendleft", "writestr", "write_bytes"};
    if (!kAdders.count(method) && method != "write_text") return;
    if (method == "write" || method == "writelines" || method == "write_bytes" ||
        method == "write_text")
      MarkWritten(attr.a, scope, c.line);
    Taint t;
    for (uint32_t arg : ast_.list(c)) {
      const Node& a = ast_.node(arg);
      t.Merge(Eval(a.kind == NodeKind::kKeyword ? a.a : arg, scope));
    }
    if (t.kinds == 0) return;
    AssignTarget(attr.a, t, scope, c.line);
    // A file opened for writing that receives network bytes is a dropped file.
    if ((t.kinds & kRemote) && (method == "write" || method == "writelines" ||
                                method == "write_bytes")) {
      const Node& recv = ast_.node(attr.a);
      if (recv.kind == NodeKind::kName) {
        auto f = file_of_.find(Key(scope, ast_.TokText(recv.tok)));
        if (f != file_of_.end()) MarkDropped(f->second, scope, c.line);
      } else if (recv.kind == NodeKind::kCall) {
        // open(X, 'wb').write(data), Path(X).write_bytes(data)
        auto args = ast_.list(recv);
        if (!args.empty() && ast_.node(args[0]).kind != NodeKind::kKeyword)
          MarkDropped(args[0], scope, c.line);
      }
    }
  }

  // The receiver `recv` of a write: a file object bound by open(X) (X is
  // written), open(X)/Path(X) itself, or a file object of its own
  // (tempfile): the names and the constant parts of X are remembered.
  void MarkWritten(uint32_t recv, const std::string& scope, int line) {
    const Node& r = ast_.node(recv);
    uint32_t file = 0;
    if (r.kind == NodeKind::kName) {
      Taint w{kWritten, "file object " + std::string(ast_.TokText(r.tok)) + " written (line " +
                            std::to_string(line) + ")"};
      vars_[Key(scope, ast_.TokText(r.tok))].Merge(w);
      auto f = file_of_.find(Key(scope, ast_.TokText(r.tok)));
      if (f != file_of_.end()) file = f->second;
    } else if (r.kind == NodeKind::kCall) {
      auto args = ast_.list(r);
      if (!args.empty() && ast_.node(args[0]).kind != NodeKind::kKeyword) file = args[0];
    }
    if (file == 0) return;
    const Node& fn = ast_.node(file);
    if (fn.kind == NodeKind::kName) {
      Taint w{kWritten, "file " + std::string(ast_.TokText(fn.tok)) + " written (line " +
                            std::to_string(line) + ")"};
      vars_[Key(scope, ast_.TokText(fn.tok))].Merge(w);
    }
    FileNameParts(file, &written_parts_);
  }

  // The constant parts of the file-name expression `file` ("\\payload.pyw"
  // of appdata + "\\payload.pyw"), lower-cased, into *parts: those long
  // enough and with an extension, which name the file wherever it is used.
  void FileNameParts(uint32_t file, std::set<std::string>* parts) const {
    python::WalkTree(ast_, file, 200, [&](uint32_t n) {
      if (parts->size() >= 64) return Walk::kStop;
      const Node& node = ast_.node(n);
      if (node.kind == NodeKind::kConstant || node.kind == NodeKind::kJoinedStr ||
          node.kind == NodeKind::kBinOp || node.kind == NodeKind::kName) {
        auto v = model_.Fold(n);
        if (v && v->kind == Value::kStr) {
          std::string part = ToLower(Trim(v->data));
          if (part.size() >= 5 && part.find('.') != std::string::npos && part.size() < 200)
            parts->insert(part);
          return Walk::kSkip;
        }
        if (node.kind == NodeKind::kConstant) return Walk::kSkip;
      }
      return Walk::kInto;
    });
  }

  // The file-name expression `e` now names a file written from the network.
  void MarkDropped(uint32_t e, const std::string& scope, int line) {
    if (e == 0) return;
    const Node& n = ast_.node(e);
    if (n.kind == NodeKind::kName) {
      Taint d{kDropped, "file " + std::string(ast_.TokText(n.tok)) + " written from the network (line " +
                            std::to_string(line) + ")"};
      vars_[Key(scope, ast_.TokText(n.tok))].Merge(d);
    } else if (n.kind == NodeKind::kConstant) {
      dropped_consts_.insert(std::string(ConstText(n)));
    }
    FileNameParts(e, &dropped_parts_);
  }

  // Walks the expression statements' calls for container updates and
  // `open(X, 'wb')` bindings, then recurses.
  void ExprCalls(uint32_t expr, const std::string& scope) {
    python::WalkTree(ast_, expr, 20000, [&](uint32_t n) {
      const Node& node = ast_.node(n);
      if (node.kind == NodeKind::kLambda) return Walk::kSkip;
      if (node.kind == NodeKind::kCall) {
        ContainerCall(n, scope);
        size_t ci = CallAt(n);
        // urlretrieve(url, path), wget.download(url, out): path is dropped.
        if (ci != kNoCall && (caps_[ci] & kCapFetch)) {
          auto args = ast_.list(node);
          if (args.size() >= 2 && ast_.node(args[1]).kind != NodeKind::kKeyword)
            MarkDropped(args[1], scope, node.line);
        }
      }
      return Walk::kInto;
    });
  }

  void Stmts(uint32_t block_node, const std::string& scope, int depth = 0) {
    if (depth > 100) return;
    for (uint32_t s : ast_.list(ast_.node(block_node))) Stmt(s, scope, depth);
  }
  void Seq(uint32_t seq, const std::string& scope, int depth) {
    if (seq == 0) return;
    for (uint32_t s : ast_.list(ast_.node(seq))) Stmt(s, scope, depth);
  }

  void Stmt(uint32_t s, const std::string& scope, int depth) {
    const Node& n = ast_.node(s);
    switch (n.kind) {
      case NodeKind::kFunctionDef:
      case NodeKind::kAsyncFunctionDef: {
        std::string name(ast_.TokText(n.tok));
        bool body = class_body_;
        class_body_ = false;
        Stmts(s, name, depth + 1);
        class_body_ = body;
        return;
      }
      case NodeKind::kClassDef: {
        std::string outer = std::move(cls_);
        bool body = class_body_;
        cls_ = Root(std::string(ast_.TokText(n.tok)));
        class_body_ = true;
        Stmts(s, scope, depth + 1);
        cls_ = std::move(outer);
        class_body_ = body;
        return;
      }
      case NodeKind::kAssign: {
        ExprCalls(n.a, scope);
        Taint t = Eval(n.a, scope);
        for (uint32_t target : ast_.list(n)) {
          AssignTarget(target, t, scope, n.line);
          BindOpen(target, n.a, scope);
        }
        return;
      }
      case NodeKind::kAugAssign:
        ExprCalls(n.b, scope);
        AssignTarget(n.a, Eval(n.b, scope), scope, n.line);
        return;
      case NodeKind::kAnnAssign:
        ExprCalls(n.c, scope);
        AssignTarget(n.a, Eval(n.c, scope), scope, n.line);
        return;
      case NodeKind::kFor:
      case NodeKind::kAsyncFor:
        ExprCalls(n.b, scope);
        AssignTarget(n.a, Eval(n.b, scope), scope, n.line);
        Stmts(s, scope, depth + 1);
        Seq(n.c, scope, depth + 1);
        return;
      case NodeKind::kWith:
      case NodeKind::kAsyncWith:
        if (n.a)
          for (uint32_t item : ast_.list(ast_.node(n.a))) {
            const Node& wi = ast_.node(item);
            ExprCalls(wi.a, scope);
            AssignTarget(wi.b, Eval(wi.a, scope), scope, n.line);
            BindOpen(wi.b, wi.a, scope);
          }
        Stmts(s, scope, depth + 1);
        return;
      case NodeKind::kReturn:
        if (n.a && !scope.empty()) {
          ExprCalls(n.a, scope);
          Taint t = Eval(n.a, scope);
          if (t.kinds) {
            t.path = Extend(t.path, "returned by " + scope + "()");
            returns_[scope].Merge(t);
          }
        }
        return;
      case NodeKind::kExpr:
        ExprCalls(n.a, scope);
        return;
      case NodeKind::kIf:
      case NodeKind::kWhile:
        ExprCalls(n.a, scope);
        Stmts(s, scope, depth + 1);
        Seq(n.c, scope, depth + 1);
        return;
      case NodeKind::kTry:
      case NodeKind::kTryStar:
        Stmts(s, scope, depth + 1);
        if (n.a)
          for (uint32_t h : ast_.list(ast_.node(n.a))) Stmts(h, scope, depth + 1);
        Seq(n.b, scope, depth + 1);
        Seq(n.c, scope, depth + 1);
        return;
      case NodeKind::kMatch:
        for (uint32_t c : ast_.list(n)) Stmts(c, scope, depth + 1);
        return;
      case NodeKind::kErrorStmt:
        for (uint32_t c : ast_.list(n)) Stmt(c, scope, depth + 1);
        return;
      default:
        return;
    }
  }

  // `f = open(X, 'wb')` / `with open(X, 'wb') as f`: remember X for f.
  void BindOpen(uint32_t target, uint32_t value, const std::string& scope) {
    if (target == 0 || value == 0) return;
    const Node& t = ast_.node(target);
    const Node& v = ast_.node(value);
    if (t.kind != NodeKind::kName || v.kind != NodeKind::kCall) return;
    size_t ci = CallAt(value);
    if (ci == kNoCall) return;
    const std::string& callee = model_.calls()[ci].callee;
    if (callee != "builtins.open" && callee != "io.open" && callee != "codecs.open") return;
    auto args = ast_.list(v);
    if (args.empty() || ast_.node(args[0]).kind == NodeKind::kKeyword) return;
    file_of_[Key(scope, ast_.TokText(t.tok))] = args[0];
  }

  // The taint reaching a call's arguments (positional and keyword values).
  // A process's environment (`env=`) is where it runs, not what it is told.
  Taint ArgTaint(uint32_t call, const std::string& scope, bool process) {
    Taint t;
    for (uint32_t arg : ast_.list(ast_.node(call))) {
      const Node& a = ast_.node(arg);
      if (a.kind == NodeKind::kKeyword) {
        if (process && a.tok != python::kNoTok && ast_.TokText(a.tok) == "env") continue;
        t.Merge(Eval(a.a, scope));
      } else {
        t.Merge(Eval(arg, scope));
      }
    }
    return t;
  }

  // True when the first argument of `call` is network data as a whole (a
  // name or call holding it), not text that merely embeds some.
  bool WhollyRemote(uint32_t call, const std::string& scope) {
    auto args = ast_.list(ast_.node(call));
    if (args.empty()) return false;
    const Node& a = ast_.node(args[0]);
    if (a.kind != NodeKind::kName && a.kind != NodeKind::kCall && a.kind != NodeKind::kAttribute &&
        a.kind != NodeKind::kSubscript)
      return false;
    return Eval(args[0], scope).kinds & kRemote;
  }

  // True when a call in the function of `sink` encodes (base64, hex) data
  // that holds the whole environment.
  bool WholeEnvEncoded(const CallRecord& sink, const std::string& scope) {
    const auto& calls = model_.calls();
    for (size_t j = 0; j < calls.size(); ++j) {
      if (!(caps_[j] & kCapEncode) || calls[j].ctx().in_def != sink.ctx().in_def ||
          calls[j].ctx().function != sink.ctx().function)
        continue;
      for (uint32_t arg : ast_.list(ast_.node(calls[j].node)))
        if (Eval(arg, scope).kinds & kWholeEnv) return true;
    }
    return false;
  }

  void Sinks() {
    const auto& calls = model_.calls();
    for (size_t i = 0; i < calls.size(); ++i) {
      uint32_t caps = caps_[i];
      if (!(caps & (kCapSend | kCapFetch | kCapProc | kCapExec | kCapLoad | kCapStart |
                    kCapChmod)))
        continue;
      const CallRecord& c = calls[i];
      std::string scope = c.ctx().in_def ? c.ctx().function : "";
      cls_ = c.ctx().classes.empty() ? "" : Root(c.ctx().classes.back());
      Taint t = ArgTaint(c.node, scope, caps & (kCapProc | kCapStart));
      if (t.kinds == 0) continue;
      std::string sink = c.callee + " (line " + std::to_string(c.line) + ")";
      bool eager = FlowLoads(i);
      // Secrets may leave through the network or a process (curl, nc); host
      // facts and the names of secret files only through the network (a
      // process is often given the working folder or an ssh key's path).
      bool to_net = caps & (kCapSend | kCapFetch);
      uint8_t leaked = t.kinds & (to_net ? (kSecret | kSecretPath | kHost)
                                         : (caps & kCapProc) ? kSecret : 0);
      if (leaked) {
        bool secret = leaked & (kSecret | kSecretPath);
        // At install or import time even host facts going out is the
        // signature of a reconnaissance package; later, secrets weigh more.
        // Host facts read by the host-facts calls themselves and sent out by
        // a module's own top-level code are a beacon wherever the module
        // sits: critical there too (nothing but reconnaissance sends who
        // and where the user is as soon as a module loads).
        bool beacon = Eager(i) && to_net && (t.kinds & kHostFact);
        Severity sev = secret || eager || beacon ? Severity::kCritical : Severity::kHigh;
        // Code that runs when a runtime module is imported counts one step
        // less than install/import time; code in functions, two steps (one
        // for methods and functions the flows see running at load). The
        // whole environment sent over the network is a stealer's loot even
        // from a function nothing calls at load: one step less at most.
        // The whole environment base64- or hex-encoded before it goes out
        // keeps its weight: a debugging or telemetry tool sends settings as
        // they are; encoding every value into a request is a stealer's
        // packing (ATT&CK T1132).
        bool packed_env = to_net && (t.kinds & kWholeEnv) && WholeEnvEncoded(c, scope);
        if (!eager && !beacon && !packed_env)
          sev = Lower(sev, FlowEager(i) || (to_net && (t.kinds & kWholeEnv)) ? 1 : 2);
        Report("exfiltration", sev, eager, c.line,
               std::string(secret ? "secret data" : "host data") +
                   " flows to the network or a process: " + Extend(t.path, sink));
      }
      if ((t.kinds & kRemote) && (caps & (kCapExec | kCapLoad))) {
        Report("exec-remote", eager ? Severity::kCritical : Severity::kHigh, eager, c.line,
               "code downloaded from the network is run: " + Extend(t.path, sink));
      }
      if ((caps & (kCapProc | kCapStart)) && !(caps & (kCapSend | kCapFetch)) &&
          (t.kinds & kWritten) && !(t.kinds & kDropped) && !m_.install_file && Eager(i)) {
        // A file the module wrote, started: a dropper of the code it carries.
        Report("drop-executable", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
               "writes a file and starts it: " + Extend(t.path, sink));
      }
      if ((caps & (kCapProc | kCapStart | kCapChmod)) && !(caps & (kCapSend | kCapFetch)) &&
          ((t.kinds & kDropped) || ((t.kinds & kRemote) && WhollyRemote(c.node, scope)))) {
        Severity sev = eager ? Severity::kCritical : Severity::kHigh;
        Report("download-exec", DropperSeverity(sev), eager, c.line,
               "a file downloaded from the network is made executable or started: " +
                   Extend(t.path, sink) + ProgramNote(sev));
      }
    }
  }

  // --- Rules from capabilities of the module ------------------------------
  // The constant words of a call's arguments, joined by spaces (lower-cased).
  // Computed once per call: rules and flows ask for it repeatedly.
  const std::string& ArgText(size_t i) const {
    if (arg_text_.size() != caps_.size()) arg_text_.assign(caps_.size(), std::nullopt);
    std::optional<std::string>& cached = arg_text_[i];
    if (!cached) {
      std::string s;
      for (const std::string& w : CallWords(ast_, model_, model_.calls()[i], 1 << 16)) s += w + ' ';
      cached = ToLower(s);
    }
    return *cached;
  }

  // True when the first argument of `call` is a string literal spelt
  // mostly in \x or octal escapes of printable characters (text written so
  // that it cannot be read), as obfuscators write the code they run.
  bool EscapedCode(uint32_t call) const {
    auto args = ast_.list(ast_.node(call));
    if (args.empty()) return false;
    const Node& a = ast_.node(args[0]);
    if (a.kind != NodeKind::kConstant) return false;
    std::string_view raw = ConstText(a);
    size_t escaped = 0, plain = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c != '\\' || i + 1 >= raw.size()) {
        if (c != '"' && c != '\'' && c != ' ') ++plain;
        continue;
      }
      char n = raw[i + 1];
      int value = -1;
      size_t len = 0;
      if (n == 'x' && i + 3 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 2])) &&
          std::isxdigit(static_cast<unsigned char>(raw[i + 3]))) {
        auto hex = [](char h) { return std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10; };
        value = hex(raw[i + 2]) * 16 + hex(raw[i + 3]);
        len = 4;
      } else if (n >= '0' && n <= '7' && i + 3 < raw.size() && raw[i + 2] >= '0' &&
                 raw[i + 2] <= '7' && raw[i + 3] >= '0' && raw[i + 3] <= '7') {
        value = (raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0');
        len = 4;
      }
      if (value >= 0x20 && value < 0x7f) {
        ++escaped;
        i += len - 1;
      } else {
        ++plain;
        ++i;
      }
    }
    return escaped >= 4 && escaped >= 2 * plain;
  }

  // True when `expr` is a name some assignment in the module builds with a
  // decoder (`s += chr(ord(c) ^ k)` in a loop, `s = b64decode(x)`). The
  // names are found in one walk of the module, on first use.
  bool BuiltByDecoder(uint32_t expr) const {
    const Node& e = ast_.node(expr);
    if (e.kind != NodeKind::kName) return false;
    if (!decoded_names_) {
      decoded_names_.emplace();
      // Without a decoder call in the module no name is built by one: no walk.
      bool any_decoder = false;
      for (const CallRecord& c : model_.calls())
        if (IsDecoderCallee(c.callee) || decoder_defs_.count(c.callee)) {
          any_decoder = true;
          break;
        }
      if (!any_decoder) return false;
      // Names assigned from a decoder's result, and (a few rounds) names
      // assigned from expressions over those: hex -> XOR loop -> .decode()
      // -> exec keeps its origin.
      for (int round = 0; round < 4; ++round) {
        size_t before = decoded_names_->size();
        python::WalkTree(ast_, ast_.root, 400000, [&](uint32_t n) {
          const Node& node = ast_.node(n);
          if (node.kind == NodeKind::kAugAssign && node.a &&
              ast_.node(node.a).kind == NodeKind::kName &&
              (HasDecoderCall(node.b) || UsesDecodedName(node.b)))
            decoded_names_->insert(std::string(ast_.TokText(ast_.node(node.a).tok)));
          if (node.kind == NodeKind::kAssign && (HasDecoderCall(node.a) || UsesDecodedName(node.a)))
            for (uint32_t target : ast_.list(node))
              if (ast_.node(target).kind == NodeKind::kName)
                decoded_names_->insert(std::string(ast_.TokText(ast_.node(target).tok)));
          return Walk::kInto;
        });
        if (decoded_names_->size() == before) break;
      }
    }
    return decoded_names_->count(std::string(ast_.TokText(e.tok))) > 0;
  }

  // True when expression `expr` reads a name BuiltByDecoder has found so far.
  bool UsesDecodedName(uint32_t expr) const {
    if (!decoded_names_ || decoded_names_->empty()) return false;
    return python::WalkTree(ast_, expr, 5000, [&](uint32_t n) {
      const Node& node = ast_.node(n);
      if (node.kind == NodeKind::kName &&
          decoded_names_->count(std::string(ast_.TokText(node.tok))))
        return Walk::kStop;
      return node.kind == NodeKind::kLambda ? Walk::kSkip : Walk::kInto;
    });
  }

  bool HasDecoderCall(uint32_t expr) const {
    return python::WalkTree(ast_, expr, 5000, [&](uint32_t n) {
      if (ast_.node(n).kind == NodeKind::kCall) {
        size_t ci = CallAt(n);
        if (ci != kNoCall) {
          const std::string& q = model_.calls()[ci].callee;
          if (IsDecoderCallee(q) || decoder_defs_.count(q)) return Walk::kStop;
        }
      }
      return Walk::kInto;
    });
  }

  void Combinations() {
    const auto& calls = model_.calls();
    bool import_file = m_.phase == Phase::kImport && !m_.install_file;
    // Per function scope ("" = module level): capabilities and first line.
    std::unordered_map<std::string, uint32_t> scope_caps;
    std::unordered_map<std::string, bool> scope_eager;
    bool clip_read = false, clip_write = false, clip_loads = false;
    // Registry writes: the key is usually opened by another call.
    bool run_key = false;
    for (size_t i = 0; i < calls.size() && !run_key; ++i)
      if (caps_[i] & kCapRegistry)
        for (size_t k = 0; k < calls.size() && !run_key; ++k)
          if (calls[k].callee.find("winreg.") != std::string::npos &&
              ArgText(k).find("currentversion\\run") != std::string::npos)
            run_key = true;
    for (size_t i = 0; i < calls.size(); ++i) {
      const CallRecord& c = calls[i];
      uint32_t caps = caps_[i];
      bool eager = Loads(i);
      const std::string& scope = DefOf(c);
      scope_caps[scope] |= caps;
      if (eager) scope_eager[scope] = true;
      std::string args = (caps & (kCapProc | kCapStart | kCapExec | kCapRegistry | kCapDelete |
                                  kCapWrite | kCapPipInstall))
                             ? ArgText(i)
                             : std::string();
      // Code run from data.
      if (caps & (kCapExec | kCapLoad)) {
        const std::optional<Value>* first = c.args.empty() ? nullptr : &c.args[0];
        if (first && *first && !(*first)->chain.empty()) {
          std::string chain;
          for (const std::string& step : (*first)->chain) chain += step + " -> ";
          Report("exec-decoded", eager ? Severity::kCritical : Severity::kHigh, eager, c.line,
                 "runs code hidden in an encoded payload (" + chain + c.callee + ")");
        } else if ((caps & kCapExec) && EscapedCode(c.node)) {
          // eval("\145\166\141\x6c"): code spelt in escapes so that no
          // reader (and no grep) sees what runs.
          Report("exec-decoded", eager ? Severity::kCritical : Severity::kHigh, eager, c.line,
                 "runs code written in string escapes (" + c.callee + ")");
        } else if (first && !*first && (caps & kCapExec)) {
          uint32_t arg0 = ast_.list(ast_.node(c.node)).empty() ? 0 : ast_.list(ast_.node(c.node))[0];
          bool decoded = arg0 && (HasDecoderCall(arg0) || BuiltByDecoder(arg0));
          if (decoded || eager) {
            Severity sev = decoded ? Severity::kHigh : Severity::kLow;
            // Code decoded and run is hidden code wherever it runs (as
            // exec-decoded is high outside load-time code): it keeps its
            // weight; code merely built at run time counts less there.
            if (!eager && !decoded) sev = Lower(sev);
            Report("exec-dynamic", sev, eager, c.line,
                   decoded ? "runs Python code decoded at run time (" + c.callee + ")"
                           : "runs Python code built at run time (" + c.callee + ")");
          }
        }
      }
      if ((caps & kCapProc) && !(caps & kCapExec) && !sink_defs_.count(c.callee)) {
        auto args = ast_.list(ast_.node(c.node));
        if (!args.empty() && HasDecoderCall(args[0]))
          Report("exec-dynamic", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
                 "runs a command decoded at run time (" + c.callee + ")");
      }
      if (caps & kCapLoad) {
        if (c.callee == "marshal.loads" && HasExecAround(c.node))
          Report("load-code-object", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
                 "builds a code object from bytes with " + c.callee + " and runs it");
      }
      // A network address decoded from an encoded literal: nothing but
      // hiding where data goes or comes from needs that (a name resolved
      // in DNS included: the lookup itself is the beacon).
      if (caps & (kCapSend | kCapFetch | kCapConnect | kCapResolve)) {
        auto hidden = [](const std::optional<Value>& v) {
          if (!v || v->chain.empty() || (v->kind != Value::kStr && v->kind != Value::kBytes))
            return false;
          std::string_view d = Trim(v->data);
          return d.size() >= 4 && d.size() < 2048 &&
                 (d.find("://") != std::string_view::npos ||
                  (d.find('.') != std::string_view::npos && d.find(' ') == std::string_view::npos &&
                   d.find('\n') == std::string_view::npos));
        };
        bool dest = !c.args.empty() && hidden(c.args[0]);
        for (const auto& [k, v] : c.kwargs)
          if ((k == "url" || k == "host") && hidden(v)) dest = true;
        // Data the code computes (reads a name, calls, subscripts), sent
        // there: a body keyword, or a positional argument after the address.
        bool sends = false;
        if (dest && (caps & kCapSend)) {
          auto args = ast_.list(ast_.node(c.node));
          size_t pos = 0;
          for (uint32_t a : args) {
            const python::Node& an = ast_.node(a);
            if (an.kind == NodeKind::kKeyword) {
              std::string_view k = an.tok == python::kNoTok ? "" : ast_.TokText(an.tok);
              if ((k == "data" || k == "json" || k == "files" || k == "body") && Computed(an.a))
                sends = true;
            } else if (pos++ + c.receiver_args > 0 && Computed(a)) {
              sends = true;
            }
          }
        }
        if (dest) {
          // What goes to the hidden address: values named as secrets
          // (`{"sk": secret_key}`) make it a theft, not a hidden endpoint.
          std::string secret = ++secret_checks_ <= 64 ? NamedSecretSent(c.line) : std::string();
          if (!secret.empty())
            Report("hidden-destination", Severity::kCritical, eager, c.line,
                   "talks to a network address hidden in an encoded literal (" + c.callee +
                       "); it sends values named as secrets (" + secret + ")");
          else if (sends)
            Report("hidden-destination", Severity::kCritical, eager, c.line,
                   "sends data to a network address hidden in an encoded literal (" + c.callee +
                       ")");
          else
            Report("hidden-destination", Severity::kHigh, eager, c.line,
                   "talks to a network address hidden in an encoded literal (" + c.callee + ")");
        }
      }
      // Installing other packages while running.
      if ((caps & kCapPipInstall) ||
          ((caps & kCapProc) && args.find("pip") != std::string::npos &&
           args.find("install") != std::string::npos)) {
        Report("runtime-pip-install", eager ? Severity::kHigh : Severity::kLow, eager, c.line,
               "installs packages while running (" + c.callee + ")");
      }
      // A file written from the network, started by its name.
      if ((caps & (kCapProc | kCapStart)) && !dropped_parts_.empty() &&
          !(caps & (kCapSend | kCapFetch)))
        for (const std::string& part : dropped_parts_)
          if (args.find(part) != std::string::npos) {
            Severity sev = eager ? Severity::kCritical : Severity::kHigh;
            Report("download-exec", DropperSeverity(sev), eager, c.line,
                   "a file downloaded from the network is started: " + Printable(part, 60) +
                       " (" + c.callee + ")" + ProgramNote(sev));
            break;
          }
      // A file written by this module, started by its name.
      if ((caps & (kCapProc | kCapStart)) && !m_.install_file && !written_parts_.empty() &&
          !(caps & (kCapSend | kCapFetch)) && Eager(i)) {
        for (const std::string& part : written_parts_)
          if (args.find(part) != std::string::npos) {
            Report("drop-executable", eager ? Severity::kHigh : Severity::kMedium, eager,
                   c.line, "writes the file " + Printable(part, 60) + " and starts it (" +
                               c.callee + ")");
            break;
          }
      }
      // Hidden launches.
      if (caps & (kCapProc | kCapStart)) {
        bool hidden = args.find("pythonw") != std::string::npos ||
                      args.find("windowstyle hidden") != std::string::npos ||
                      args.find("-w hidden") != std::string::npos ||
                      args.find("create_no_window") != std::string::npos;
        for (const auto& [k, v] : c.kwargs)
          if (k == "creationflags" && v && v->kind == Value::kInt && (v->i & 0x08000000)) hidden = true;
        if (!hidden)
          for (uint32_t arg : ast_.list(ast_.node(c.node))) {
            const Node& a = ast_.node(arg);
            if (a.kind == NodeKind::kKeyword && a.tok != python::kNoTok &&
                ast_.TokText(a.tok) == "creationflags" &&
                model_.Qualify(a.a).find("CREATE_NO_WINDOW") != std::string::npos)
              hidden = true;
          }
        if (hidden)
          Report("launch-hidden", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
                 "starts a program without a window (" + c.callee + ")");
      }
      // Persistence through the registry, scheduled tasks or cron.
      if (((caps & kCapRegistry) && run_key) ||
          ((caps & kCapProc) && (args.find("currentversion\\run") != std::string::npos ||
           args.find("schtasks") != std::string::npos ||
           args.find("crontab") != std::string::npos))) {
        Report("persistence", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
               "makes a program start with the system or the session (" + c.callee + ")");
      }
      if ((caps & (kCapWrite | kCapProc)) &&
          (args.find("\\start menu\\programs\\startup") != std::string::npos ||
           args.find("/.config/autostart") != std::string::npos)) {
        Report("persistence", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
               "puts a program in the startup folder (" + c.callee + ")");
      }
      // Destructive deletes of whole trees.
      if ((caps & kCapDelete) && c.callee == "shutil.rmtree") {
        std::string a = Trim(args).empty() ? "" : std::string(Trim(args));
        if (a == "/" || a == "~" || a == "c:\\" || a == "c:/" || a == "/home" || a == "/etc")
          Report("destructive", eager ? Severity::kCritical : Severity::kHigh, eager, c.line,
                 "deletes " + a + " (" + c.callee + ")");
      }
      if (caps & kCapClipboard) {
        clip_loads |= eager;
        if (c.callee.find("paste") != std::string::npos || c.callee.find("Get") != std::string::npos)
          clip_read = true;
        else
          clip_write = true;
      }
      if (caps & kCapKeylog)
        Report("keylogger", eager ? Severity::kHigh : Severity::kMedium, eager, c.line,
               "hooks the keyboard (" + c.callee + ")");
      // Install-time code that writes into the user's own folders.
      if (m_.install_file && eager && (!c.ctx().in_def || c.ctx().command) &&
          (c.callee == "builtins.open" || c.callee == "os.mkdir" || c.callee == "os.makedirs" ||
           (caps & kCapWrite)) &&
          rules_.NamesUserFolder(ArgText(i)))
        Report("install-writes-user-files", Severity::kCritical, true, c.line,
               "writes into the user's own folders when the package is installed (" + c.callee +
                   ")");
      // Network calls written at module level or in a setuptools command of
      // an install-time file (processes there are install-exec's business;
      // helper functions are left out: setuptools bootstrappers download
      // setuptools itself).
      if (m_.install_file && eager && (!c.ctx().in_def || c.ctx().command) &&
          (caps & (kCapFetch | kCapSend | kCapConnect)))
        Report("network-at-install", Severity::kHigh, true, c.line,
               "talks to the network when the package is installed (" + c.callee + ")");
      // Code at import time (install-time files are install-exec's business).
      if (import_file && eager) {
        if (caps & (kCapFetch | kCapSend | kCapConnect))
          Report("network-at-import", Severity::kHigh, true, c.line,
                 "talks to the network when the package is imported (" + c.callee + ")");
        else if ((caps & (kCapProc | kCapStart)) && LaunchesPython(c)) {
          // A second interpreter handed code on its command line (-c) as the
          // package is imported runs that code apart from the importing
          // process, out of its sight: critical (nothing routine does it).
          // Code written out as a constant is analysed as its own layer
          // (python_analysis reads `-c CODE` as a payload) and judged by
          // what it does there: the start itself stays low, so that an
          // environment probe (`python -c "import sys; print(sys.prefix)"`)
          // is not malicious.
          bool inline_code = (" " + args).find(" -c ") != std::string::npos;
          bool readable = inline_code && ConstantInlineCode(c);
          Severity sev = readable      ? Severity::kLow
                         : inline_code ? Severity::kCritical
                                       : Severity::kHigh;
          Report("process-at-import", sev, true, c.line,
                 std::string("starts another Python interpreter") +
                     (readable      ? " with constant code on its command line"
                      : inline_code ? " with code on its command line"
                                    : "") +
                     " when the package is imported (" + c.callee + ")" +
                     (readable ? "; that code is analysed as its own layer" : ""));
        }
        else if (caps & (kCapProc | kCapStart))
          Report("process-at-import", Severity::kHigh, true, c.line,
                 "starts a process when the package is imported (" + c.callee + ")");
      }
    }
    if (clip_read && clip_write)
      Report("clipboard-hijack", clip_loads ? Severity::kHigh : Severity::kLow, clip_loads,
             FirstLine(kCapClipboard),
             "reads and rewrites the clipboard");
    // Secrets gathered where the module also sends data out, without a
    // flow we could follow (stealers keep their loot in objects).
    bool sends = false, sends_loads = false;
    for (const auto& [scope, caps] : scope_caps) {
      if (caps & (kCapSend | kCapFetch)) {
        sends = true;
        sends_loads |= scope_eager[scope];
      }
    }
    if (sends && secret_line_ > 0 && !reported_any_exfil_) {
      Report("secret-harvest", sends_loads ? Severity::kHigh : Severity::kMedium, sends_loads,
             secret_line_,
             "reads secrets (" + secret_what_ + ") in a module that also sends data out");
    }
    for (const auto& [scope, caps] : scope_caps) {
      bool eager = scope_eager[scope];
      // Fetch and start in one function: a dropper even when the file name
      // does not flow (os.system('start x.exe') after writing x.exe).
      if ((caps & kCapFetch) && (caps & (kCapStart | kCapProc)) && !reported_download_)
        if (int line = DropperStart(scope, caps & kCapWrite)) {
          // Top-level code runs whenever the module is loaded (an entry
          // point's module, a module imported at run time): as strong as
          // load-time code.
          bool top = false;
          for (const CallRecord& c : calls)
            if (c.line == line && !c.ctx().in_def && !InMainGuard(line)) top = true;
          Severity sev = eager || top ? Severity::kHigh : Severity::kMedium;
          Report("download-exec", DropperSeverity(sev), eager, line,
                 "downloads a file and starts a program in the same function" + In(scope) +
                     ProgramNote(sev));
        }
      // A connection handed to a shell.
      if ((caps & kCapConnect) && (caps & (kCapDup2 | kCapSpawnPty)) && (caps & (kCapProc | kCapSpawnPty)))
        Report("reverse-shell", eager ? Severity::kCritical : Severity::kHigh, eager,
               FirstLine(kCapDup2 | kCapSpawnPty, scope),
               "connects out and hands a shell to the other end" + In(scope));
      if ((caps & kCapScreen) && (caps & kCapSend))
        Report("screen-capture", eager ? Severity::kHigh : Severity::kMedium, eager,
               FirstLine(kCapScreen, scope), "captures the screen and sends data out" + In(scope));
    }
  }

  // True when process call `c` starts a Python interpreter: its program is
  // sys.executable or a word python, python3, pythonw (with a path or .exe).
  // True when the word after `-c` in the arguments of `c` is constant text
  // that parses as Python and imports nothing but the standard library
  // (InlineCode): python_analysis then analyses it as a layer of its own.
  bool ConstantInlineCode(const CallRecord& c) const {
    return ClassifyInlineCode(InlinePythonCode(CallWords(ast_, model_, c, 1 << 20))) ==
           InlineCode::kStandardOnly;
  }

  // The first word naming secret data (secret, password, token, cookie,
  // credential, private_key, api_key) among the names on source line `line`
  // and the text those names are assigned (each value to the end of its
  // line, 4 KB at most), or "". Linear in the file (the assignments are read
  // once); made for the first 64 hidden destinations of a module only.
  std::string NamedSecretSent(int line) const {
    if (!assigned_text_) {
      assigned_text_.emplace();
      for (const Node& n : ast_.nodes) {
        if (n.kind != NodeKind::kAssign || n.a == 0) continue;
        for (uint32_t t : ast_.list(n)) {
          const Node& target = ast_.node(t);
          if (target.kind != NodeKind::kName || target.tok == python::kNoTok) continue;
          const Node& value = ast_.node(n.a);
          std::string& text = (*assigned_text_)[std::string(ast_.TokText(target.tok))];
          if (text.size() >= 4096) continue;
          size_t from = LineOffset(static_cast<int>(value.line)) + value.col;
          std::string_view rest = ast_.source.text.substr(std::min(from, ast_.source.text.size()), 4096);
          text += std::string(rest.substr(0, rest.find('\n'))) + "\n";
        }
      }
    }
    std::string_view src = ast_.source.text;
    size_t start = std::min(LineOffset(line), src.size());
    std::string_view own = src.substr(start, 4096);
    own = own.substr(0, own.find('\n'));
    std::string text = ToLower(own);
    for (size_t i = 0; i < own.size();) {
      char ch = own[i];
      bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
      if (!word) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < own.size() && (IsWordChar(own[j]) || (own[j] >= 'A' && own[j] <= 'Z'))) ++j;
      auto it = assigned_text_->find(std::string(own.substr(i, j - i)));
      if (it != assigned_text_->end() && text.size() < (64 << 10)) text += "\n" + ToLower(it->second);
      i = j;
    }
    return std::string(rules_.SecretWordIn(text));
  }
  // The byte offset where 1-based source line `line` starts.
  size_t LineOffset(int line) const {
    if (line_starts_.empty()) {
      line_starts_.push_back(0);
      std::string_view t = ast_.source.text;
      for (size_t nl = t.find('\n'); nl != std::string_view::npos; nl = t.find('\n', nl + 1))
        line_starts_.push_back(nl + 1);
    }
    if (line < 1 || static_cast<size_t>(line) > line_starts_.size()) return ast_.source.text.size();
    return line_starts_[line - 1];
  }

  bool LaunchesPython(const CallRecord& c) const {
    auto args = ast_.list(ast_.node(c.node));
    if (args.empty()) return false;
    uint32_t prog = args[0];
    const Node& a = ast_.node(prog);
    if ((a.kind == NodeKind::kList || a.kind == NodeKind::kTuple) && !ast_.list(a).empty())
      prog = ast_.list(a)[0];
    if (model_.Qualify(prog) == "sys.executable") return true;
    auto v = model_.Fold(prog);
    if (!v || v->kind != Value::kStr) return false;
    std::string word = ToLower(Trim(v->data));
    word = word.substr(0, word.find(' '));
    size_t slash = word.find_last_of("/\\");
    if (slash != std::string::npos) word = word.substr(slash + 1);
    return word.rfind("python", 0) == 0;
  }

  // The line of a call in `scope` that starts a program file (os.startfile,
  // `start x.exe`, an .exe/.bat/.vbs/.scr name, chmod +x then ./x), or 0.
  // `writes`: the function also writes a file; a program then started by
  // a name alone (subprocess.Popen(path)) is taken for the file it wrote.
  int DropperStart(const std::string& scope, bool writes) const {
    const auto& calls = model_.calls();
    for (size_t i = 0; i < calls.size(); ++i) {
      if (DefOf(calls[i]) != scope) continue;
      if (caps_[i] & kCapStart) return calls[i].line;
      if (!(caps_[i] & kCapProc)) continue;
      const std::string& words = ArgText(i);
      if (writes && Trim(words).empty()) {
        auto args = ast_.list(ast_.node(calls[i].node));
        if (args.size() == 1 && ast_.node(args[0]).kind == NodeKind::kName) return calls[i].line;
      }
      for (const char* w : {".exe", ".bat", ".vbs", ".scr", ".ps1", ".cmd", "start ", "chmod +x",
                            "./", ".pyw"})
        if (words.find(w) != std::string::npos) return calls[i].line;
    }
    return 0;
  }

  std::string In(const std::string& scope) const {
    return scope.empty() ? " (module level)" : " (in " + scope + "())";
  }

  int FirstLine(uint32_t caps, const std::string& scope = "\x01") const {
    const auto& calls = model_.calls();
    for (size_t i = 0; i < calls.size(); ++i) {
      if (!(caps_[i] & caps)) continue;
      if (scope != "\x01" && DefOf(calls[i]) != scope) continue;
      return calls[i].line;
    }
    return 0;
  }

  // True when `node` sits in the arguments of an exec-like call.
  bool HasExecAround(uint32_t node) const {
    const auto& calls = model_.calls();
    for (size_t i = 0; i < calls.size(); ++i) {
      if (!(caps_[i] & kCapExec)) continue;
      for (uint32_t arg : ast_.list(ast_.node(calls[i].node)))
        if (Contains(arg, node)) return true;
    }
    return false;
  }
  bool Contains(uint32_t root, uint32_t target) const {
    return python::WalkTree(ast_, root, 5000,
                            [&](uint32_t n) { return n == target ? Walk::kStop : Walk::kInto; });
  }

  // True when expression `e` computes its value from something the folder
  // cannot see (a name, call, attribute or subscript anywhere in it), as
  // opposed to a literal such as {} or 'text'.
  bool Computed(uint32_t e) const {
    return python::WalkTree(ast_, e, 256, [&](uint32_t n) {
      NodeKind k = ast_.node(n).kind;
      return k == NodeKind::kName || k == NodeKind::kCall || k == NodeKind::kAttribute ||
                     k == NodeKind::kSubscript
                 ? Walk::kStop
                 : Walk::kInto;
    });
  }

  void Report(const char* rule, Severity sev, bool eager, int line, std::string message) {
    if (std::string_view(rule) == "exfiltration") reported_any_exfil_ = true;
    if (std::string_view(rule) == "download-exec") reported_download_ = true;
    // One finding per rule and line.
    if (!reported_.insert(std::string(rule) + ":" + std::to_string(line)).second) return;
    const BehaviourRules::RuleInfo* info = rules_.Rule(rule);
    Finding f;
    f.rule = rule;
    f.severity = sev;
    f.phase = eager ? m_.phase : Phase::kRuntime;
    f.file = m_.path;
    f.line = line;
    f.message = std::move(message);
    SetLayerChain(&f, m_.chain);
    if (info && !info->attack.empty()) f.message += " (ATT&CK " + info->attack + ")";
    // The line's text as evidence.
    std::string_view text = ast_.source.text;
    size_t off = LineOffset(line);
    if (line > 0 && off <= text.size()) f.evidence = Printable(Trim(LineAt(text, off)), 200);
    out_->push_back(std::move(f));
  }

  const BehaviourRules& rules_;
  const ModuleInput& m_;
  const Ast& ast_;
  const ModuleModel& model_;
  std::vector<Finding>* out_ = nullptr;
  // The model's call at each node (its last one), else kNoCall: indexed by
  // node, one slot per node of the module.
  static constexpr uint32_t kNoCall = UINT32_MAX;
  size_t CallAt(uint32_t node) const {
    return node < call_at_.size() ? call_at_[node] : kNoCall;
  }
  std::vector<uint32_t> call_at_;
  std::vector<uint32_t> caps_;
  mutable std::vector<std::optional<std::string>> arg_text_;  // ArgText cache
  mutable std::optional<bool> names_windows_program_;  // NamesWindowsProgram cache
  mutable std::optional<std::unordered_map<std::string, std::string>>
      assigned_text_;                               // NamedSecretSent: name -> assigned text
  mutable std::vector<size_t> line_starts_;  // LineOffset cache
  int secret_checks_ = 0;  // NamedSecretSent calls so far (the first 64 are made)
  mutable std::optional<std::unordered_set<std::string>> decoded_names_;  // BuiltByDecoder
  std::vector<std::pair<uint32_t, uint32_t>> main_guards_;
  std::unordered_set<std::string> defs_, eager_defs_, decoder_defs_;
  std::unordered_map<std::string, uint32_t> sink_defs_;  // helper -> capabilities
  std::unordered_map<std::string, Taint> vars_, returns_;
  mutable std::string key_buf_;  // Find's lookup key
  // Objects (flows only): the class the walk or a sink is in, whether the
  // walk is in a class body itself, the module's classes, "Class\0attr" ->
  // what any method stored there, each class's attributes together, the
  // names holding an instance, and which functions and methods
  // ("Class.m") run at load as the flows see it.
  std::string cls_;
  bool class_body_ = false;
  std::unordered_set<std::string> classes_;
  std::unordered_map<std::string, Taint> attrs_;
  std::unordered_map<std::string, Taint>
      objects_;  // class -> union of its attributes
  std::unordered_map<std::string, std::string> instances_;  // name -> class
  std::unordered_map<std::string, std::string> parent_;     // class -> base
  std::unordered_set<std::string> flow_eager_defs_, eager_methods_;
  std::unordered_map<std::string, uint32_t> file_of_;
  std::unordered_set<std::string> dropped_consts_;
  std::set<std::string> written_parts_;  // constant parts of written files' names
  std::set<std::string> dropped_parts_;  // ... of files written from the network
  std::unordered_set<std::string> reported_;
  const std::vector<uint8_t>* token_sensitive_ = nullptr;  // per token: names secret data
  std::vector<uint8_t> own_sensitive_;  // token_sensitive_ when the input has no place for it
  bool any_sensitive_ = false;
  bool reported_any_exfil_ = false, reported_download_ = false;
  int secret_line_ = 0;        // first secret source seen (sensitive text, env dump)
  std::string secret_what_;
};

}  // namespace

namespace {

// Top-level module names of the standard library (data/names/stdlib.txt),
// read once; empty when the file cannot be read (then no code counts as
// importing only the standard library).
const std::unordered_set<std::string>& StdlibModules() {
  static const std::unordered_set<std::string> kModules = [] {
    std::unordered_set<std::string> out;
    std::string text, err;
    if (!ReadDataFile("names/stdlib.txt", &text, &err)) return out;
    for (std::string_view line : Split(text, '\n')) {
      line = Trim(line.substr(0, line.find('#')));
      if (!line.empty()) out.emplace(line);
    }
    return out;
  }();
  return kModules;
}

}  // namespace

std::string InlinePythonCode(const std::vector<std::string>& words) {
  for (size_t k = 0; k + 1 < words.size(); ++k)
    if (Trim(words[k]) == "-c") return words[k + 1];
  return "";
}

InlineCode ClassifyInlineCode(std::string_view code) {
  if (Trim(code).empty() || code.find("__import__") != std::string_view::npos ||
      code.find("importlib") != std::string_view::npos)
    return InlineCode::kUnreadable;
  std::string text(code);  // the Ast keeps views into it
  Ast probe;
  python::Parse(text, &probe);
  if (!probe.ok() || probe.node(probe.root).count == 0) return InlineCode::kUnreadable;
  const std::unordered_set<std::string>& stdlib = StdlibModules();
  auto standard = [&](std::string_view mod) {
    return !mod.empty() && stdlib.count(std::string(mod.substr(0, mod.find('.')))) > 0;
  };
  for (uint32_t n = 1; n < probe.nodes.size(); ++n) {
    const Node& node = probe.node(n);
    if (node.kind == NodeKind::kImport) {
      for (uint32_t a : probe.list(node))
        if (!standard(probe.Str(probe.node(a).a, probe.node(a).b))) return InlineCode::kImportsOther;
    } else if (node.kind == NodeKind::kImportFrom) {
      if (node.op > 0 || !standard(probe.Str(node.a, node.b))) return InlineCode::kImportsOther;
    }
  }
  return InlineCode::kStandardOnly;
}

std::vector<std::string> CallWords(const Ast& ast, const ModuleModel& model,
                                   const CallRecord& call, size_t max_bytes) {
  std::vector<std::string> words;
  size_t bytes = 0;
  auto add = [&](const Value& v) {
    if (v.kind == Value::kStr || v.kind == Value::kBytes) {
      if (bytes + v.data.size() > max_bytes) return;
      bytes += v.data.size();
      words.push_back(v.data);
    } else if (v.kind == Value::kInt) {
      words.push_back(std::to_string(v.i));
    }
  };
  std::vector<uint32_t> stack, kids;
  for (uint32_t arg : ast.list(ast.node(call.node))) {
    if (ast.node(arg).kind == NodeKind::kKeyword) arg = ast.node(arg).a;
    if (arg == 0) continue;
    if (auto v = model.Fold(arg)) {
      add(*v);
      for (const Value& item : v->items) add(item);
      continue;
    }
    // Not constant as a whole: its constant parts, in source order.
    stack.assign(1, arg);
    size_t budget = 4096;
    while (!stack.empty() && budget-- > 0) {
      uint32_t n = stack.back();
      stack.pop_back();
      const Node& node = ast.node(n);
      if (node.kind == NodeKind::kConstant || node.kind == NodeKind::kCall ||
          node.kind == NodeKind::kBinOp || node.kind == NodeKind::kName) {
        if (auto v = model.Fold(n)) {
          add(*v);
          for (const Value& item : v->items) add(item);
          continue;
        }
      }
      if (node.kind == NodeKind::kLambda) continue;
      if (node.kind == NodeKind::kJoinedStr) {
        // f"curl {u} | sh": the literal text between the fields, in order.
        std::vector<python::FStringPart> parts;
        std::string err;
        if (python::JoinedStrParts(ast, n, &parts, &err)) {
          for (auto it = parts.rbegin(); it != parts.rend(); ++it)
            if (it->is_field) stack.push_back(it->node);
          for (const python::FStringPart& p : parts)
            if (!p.is_field) add(Value::Str(p.text));
          continue;
        }
      }
      kids.clear();
      python::Children(ast, n, &kids);
      stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
  }
  return words;
}

bool BehaviourRules::Load(std::string_view data, std::string* err) {
  enum { kNone, kCaps, kCommands, kRules, kSources, kSensitive, kUserFolders, kSecretWords } section =
      kNone;
  int line_no = 0;
  for (std::string_view raw : Split(data, '\n')) {
    ++line_no;
    size_t hash = raw.find('#');
    // '#' inside [sensitive] entries is not a comment only at line start.
    std::string_view line = Trim(section == kSensitive && hash != 0 ? raw : raw.substr(0, hash));
    if (line.empty()) continue;
    auto bad = [&](const std::string& why) {
      *err = "behaviours data line " + std::to_string(line_no) + ": " + why;
      return false;
    };
    if (line.front() == '[') {
      if (line == "[capabilities]") section = kCaps;
      else if (line == "[commands]") section = kCommands;
      else if (line == "[rules]") section = kRules;
      else if (line == "[sources]") section = kSources;
      else if (line == "[sensitive]") section = kSensitive;
      else if (line == "[user-folders]") section = kUserFolders;
      else if (line == "[secret-words]") section = kSecretWords;
      else return bad("unknown section " + std::string(line));
      continue;
    }
    std::vector<std::string> words;
    for (std::string_view w : Split(line, ' '))
      if (!Trim(w).empty()) words.emplace_back(Trim(w));
    switch (section) {
      case kNone: return bad("entry before any section");
      case kCaps: {
        if (words.size() != 2) return bad("expected: callee capability");
        uint32_t bit;
        if (!CapByName(words[1], &bit)) return bad("unknown capability " + words[1]);
        const std::string& callee = words[0];
        if (callee.size() > 2 && callee.compare(0, 2, "*.") == 0) methods_[callee.substr(2)] |= bit;
        else if (callee.back() == '*') prefixes_.push_back({callee.substr(0, callee.size() - 1), bit});
        else exact_[callee] |= bit;
        break;
      }
      case kCommands: {
        // The word may end in a space ("curl "): the capability is the last word.
        if (words.size() < 2) return bad("expected: command-word capability");
        uint32_t bit;
        if (!CapByName(words.back(), &bit)) return bad("unknown capability " + words.back());
        std::string_view word = Trim(line.substr(0, line.rfind(words.back())));
        if (word.size() >= 2 && word.front() == '"' && word.back() == '"')
          word = word.substr(1, word.size() - 2);
        commands_.push_back({ToLower(word), bit});
        break;
      }
      case kRules: {
        if (words.size() < 4) return bad("expected: id severity technique description");
        RuleInfo info;
        if (!ParseSeverity(words[1], &info.severity)) return bad("unknown severity " + words[1]);
        info.attack = words[2] == "-" ? "" : words[2];
        for (size_t i = 3; i < words.size(); ++i) info.description += (i > 3 ? " " : "") + words[i];
        rules_[words[0]] = std::move(info);
        break;
      }
      case kSources: {
        uint32_t bit;
        if (words.size() != 1) return bad("expected one source kind");
        if (words[0] == "sensitive") sensitive_is_source_ = true;
        else if (CapByName(words[0], &bit)) secret_sources_ |= bit;
        else return bad("unknown source " + words[0]);
        break;
      }
      case kSensitive:
        sensitive_.push_back(ToLower(line));
        if (sensitive_.back().empty()) sensitive_empty_ = true;
        else {
          const std::string& s = sensitive_.back();
          unsigned first = static_cast<unsigned char>(s[0]);
          sensitive_by_first_[first].push_back(static_cast<uint32_t>(sensitive_.size() - 1));
          if (s.size() >= 2) {
            sensitive_pairs_.set(first << 8 | static_cast<unsigned char>(s[1]));
          } else {
            for (unsigned second = 0; second < 256; ++second)
              sensitive_pairs_.set(first << 8 | second);
          }
        }
        break;
      case kUserFolders:
        user_folders_.push_back(ToLower(line));
        break;
      case kSecretWords:
        secret_words_.push_back(ToLower(line));
        break;
    }
  }
  if (rules_.empty()) {
    *err = "behaviours data: no [rules]";
    return false;
  }
  return true;
}

uint32_t BehaviourRules::CapabilitiesOf(std::string_view callee) const {
  if (callee.empty()) return 0;
  uint32_t caps = 0;
  auto it = exact_.find(callee);
  if (it != exact_.end()) caps |= it->second;
  for (const auto& [prefix, bit] : prefixes_)
    if (callee.substr(0, prefix.size()) == prefix) caps |= bit;
  if (!methods_.empty()) {
    size_t dot = callee.rfind('.');
    if (dot != std::string_view::npos) {
      auto m = methods_.find(callee.substr(dot + 1));
      if (m != methods_.end()) caps |= m->second;
    }
  }
  return caps;
}

uint32_t BehaviourRules::CommandCapabilities(std::string_view command) const {
  uint32_t caps = 0;
  for (const auto& [word, bit] : commands_)
    if (command.find(word) != std::string_view::npos) caps |= bit;
  return caps;
}

bool BehaviourRules::NamesUserFolder(std::string_view text) const {
  for (const std::string& f : user_folders_)
    if (text.find(f) != std::string_view::npos) return true;
  return false;
}

std::string_view BehaviourRules::SecretWordIn(std::string_view lower_text) const {
  for (const std::string& w : secret_words_)
    if (lower_text.find(w) != std::string_view::npos) return w;
  return {};
}

std::vector<uint8_t> BehaviourRules::SensitiveTokens(const python::Ast& ast) const {
  std::vector<uint8_t> out(ast.tokens.size(), 0);
  for (size_t i = 0; i < ast.tokens.size(); ++i) {
    const python::Token& t = ast.tokens[i];
    if (t.kind != python::Tok::kString && t.kind != python::Tok::kFStringMiddle) continue;
    if (t.len < 4 || t.off > ast.source.text.size()) continue;
    std::string_view text = ast.source.text.substr(t.off, std::min<size_t>(t.len, 4096));
    if (IsSensitiveText(text)) out[i] = 1;
  }
  return out;
}

bool BehaviourRules::IsSensitiveText(std::string_view text) const {
  if (!sensitive_is_source_ || text.size() < 4) return false;
  if (sensitive_empty_) return true;
  // ASCII-lowered on the fly, as ToLower does (the entries are lowered).
  static constexpr std::array<unsigned char, 256> kLower = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned c = 0; c < 256; ++c)
      t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return t;
  }();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = std::min<size_t>(text.size(), 4096);
  // One pass: at each byte, only the entries that start with its byte pair.
  unsigned next = kLower[p[0]];
  for (size_t i = 0; i < n; ++i) {
    unsigned cur = next;
    next = i + 1 < n ? kLower[p[i + 1]] : 0u;
    if (!sensitive_pairs_[cur << 8 | next]) continue;
    for (uint32_t k : sensitive_by_first_[cur]) {
      const std::string& s = sensitive_[k];
      if (s.size() > n - i) continue;
      size_t j = 1;
      while (j < s.size() && kLower[p[i + j]] == static_cast<unsigned char>(s[j])) ++j;
      if (j == s.size()) return true;
    }
  }
  return false;
}

void BehaviourRules::SetIpLookupHosts(std::vector<std::string> hosts) {
  for (std::string& h : hosts) h = ToLower(h);
  ip_lookup_ = std::move(hosts);
}

bool BehaviourRules::IsIpLookup(std::string_view text) const {
  if (ip_lookup_.empty() || text.empty()) return false;
  std::string lower = ToLower(text.substr(0, 4096));
  for (const std::string& h : ip_lookup_)
    if (lower.find(h) != std::string::npos) return true;
  return false;
}

const BehaviourRules::RuleInfo* BehaviourRules::Rule(std::string_view id) const {
  auto it = rules_.find(id);
  return it == rules_.end() ? nullptr : &it->second;
}

void BehaviourRules::Check(const ModuleInput& m, std::vector<Finding>* out) const {
  if (!m.ast || !m.model) return;
  ModuleCheck(*this, m).Run(out);
}

}  // namespace pyward
