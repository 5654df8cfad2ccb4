// What a Python module does, read from its AST: every call with its callee
// resolved to a qualified name (through imports, aliases, __import__,
// importlib, getattr, globals()/vars()/__dict__ lookups and simple
// assignments) and its arguments folded to constants where the source
// computes them from literals (concatenation, % and .format, f-strings,
// joins over chr/ord arithmetic, slicing, bytes.fromhex, encode/decode,
// rot13...). Calls the folder does not evaluate itself (decoders such as
// base64 or zlib) go to a hook, so `exec(b64decode('...'))` folds when the
// hook decodes. This is the one walker the behaviour rules read.
//
// Scoping: names bind in source order (a use sees the latest binding before
// it in its scope); function and lambda bodies see module names as they are
// at the end of the module; class bodies are their own scope that methods do
// not see; comprehension variables are local to the comprehension.
// Assignments inside loops resolve (aliases) but do not fold.
//
// Folding is lazy: call arguments are folded once each, values bound to names
// are folded when first used and memoized, as are call results. Besides the
// operators and methods above it evaluates calls of lambdas and of defs whose
// body is one `return`, comparisons, conditional expressions, list
// comprehensions and generators over folded iterables, map(), range(), and
// compile(s, ...) (which stands for s). Small helper defs (at most 40
// statements: assignments, augmented assignments, append to a local list,
// if/for/while, try bodies, imports, return) run statement by statement on
// folded arguments, within budgets of statements per call and per module;
// `self.m(...)` inside a method calls the class's own `def m`. The code an
// exec/eval/compile statement in a def without parameters is given folds
// after the def's statements before it run (what a decoding loop builds;
// tagged with the step "loop" when a loop ran). Everything else goes to the
// hook.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "python/ast.h"

namespace pyward {

// A folded constant.
struct Value {
  enum Kind { kStr, kBytes, kInt, kList /* of Values: [104, 105], ['a'] */ };
  Kind kind = kStr;
  std::string data;                // UTF-8 for kStr, raw for kBytes
  int64_t i = 0;                   // kInt
  std::vector<Value> items;        // kList (tuples too)
  std::vector<std::string> chain;  // decode steps that produced it: {"base64", "zlib"}

  static Value Str(std::string s) { Value v; v.kind = kStr; v.data = std::move(s); return v; }
  static Value Bytes(std::string s) { Value v; v.kind = kBytes; v.data = std::move(s); return v; }
  static Value Int(int64_t n) { Value v; v.kind = kInt; v.i = n; return v; }
};

// Called for calls the folder does not evaluate itself: the qualified callee,
// the folded positional arguments (for a method on a constructed object, the
// constructor's arguments come first: Fernet(k).decrypt(t) gives {k, t};
// for a method of a folded str/bytes the callee is "str.<m>"/"bytes.<m>" and
// the receiver comes first), the keyword arguments. Returns true and fills
// *out (appending its step to out->chain) to fold the call.
using CallHook = std::function<bool(std::string_view callee, std::span<const Value> args,
                                    std::span<const std::pair<std::string, Value>> kwargs,
                                    Value* out)>;

// Where a call sits.
struct CallContext {
  bool in_def = false;       // inside a function or lambda body
  bool lambda_only = false;  // in_def only through lambdas (no enclosing def)
  std::string function;      // innermost function ("<lambda>" for a lambda)
  std::string top_def;       // the module-level function it is in
  std::vector<std::string> classes;  // enclosing classes, outermost first
  bool command = false;  // inside a class deriving from an install-time setuptools command
  // Under `if sys.argv... == 'publish':`-style tests that compare sys.argv only
  // with commands pip never runs.
  bool guarded_other_command = false;
};

// One Call node (or Python 2 `exec code in ns` statement, recorded as a call
// to builtins.exec with its operands as arguments).
struct CallRecord {
  static inline const CallContext kModuleLevel{};  // what ctx() gives without ctx_
  uint32_t node = 0;  // the Call (or Exec2) node
  int line = 0;
  // Qualified callee: "os.system", "builtins.exec", "socket.socket().connect"
  // (method on the result of a call), "cryptography.fernet.Fernet().decrypt";
  // a name bound to nothing known is itself ("helper"); "" when unknowable
  // (parameters, loop variables, subscripts of unknown things).
  std::string callee;
  // Where the call sits. Contexts are shared: the model keeps one per scope
  // and guard state and every call in it points there (valid for the model's
  // life); a CallRecord built by hand has the module-level context.
  const CallContext& ctx() const { return ctx_ ? *ctx_ : kModuleLevel; }
  const CallContext* ctx_ = nullptr;  // set by ModuleModel; null: module level
  // Folded positional arguments (nullopt = not constant; a *starred argument
  // is one nullopt). The first `receiver_args` are the constructor's
  // arguments of a method called on a constructed object.
  std::vector<std::optional<Value>> args;
  size_t receiver_args = 0;
  // Keyword arguments by name ("**" for a **mapping).
  std::vector<std::pair<std::string, std::optional<Value>>> kwargs;
};

// A string or bytes literal no successful fold of a call argument consumed:
// a candidate for blind unwrapping.
struct LooseString {
  uint32_t node = 0;  // the Constant node
  int line = 0;
  bool statement = false;  // a bare expression statement (docstring position)
};

struct ModelOptions {
  // cmdclass keys whose commands run during pip install or build (for
  // registered_commands() and sys.argv guards). Null: any key containing
  // install, develop, egg_info, build, bdist, sdist or dist_info.
  const std::set<std::string, std::less<>>* install_commands = nullptr;
  // LooseString candidates whose literal source text is shorter than this
  // are left out.
  size_t loose_min_size = 16;
  // When set, only calls whose qualified callee it accepts get their
  // arguments folded in calls() (the others' are nullopt; Fold() still works
  // on demand). Folding every argument of every call costs more than the
  // rest of the model together. Asked once per distinct callee of a module
  // (the answer is remembered), so it must depend on the callee alone.
  std::function<bool(std::string_view callee)> fold_args_of;
};

// Not thread-safe: Qualify/Fold memoize inside the model (one model per thread).
class ModuleModel {
 public:
  // Builds from a parsed module, which must outlive the model. Bounded work
  // (folded values capped at kMaxValue bytes each and kBudget in total per
  // module, bounded recursion); never crashes on any AST, broken code included.
  explicit ModuleModel(const python::Ast& ast, CallHook hook = nullptr,
                       const ModelOptions& options = {});
  ~ModuleModel();
  ModuleModel(const ModuleModel&) = delete;
  ModuleModel& operator=(const ModuleModel&) = delete;

  static constexpr size_t kMaxValue = 16u << 20;
  static constexpr size_t kBudget = 64u << 20;

  // Every Call node, in source order.
  const std::vector<CallRecord>& calls() const;
  // Qualified name of a Name/Attribute/Call/Subscript expression where it
  // stands ("" when unknowable).
  std::string Qualify(uint32_t expr) const;
  // The constant value of an expression where it stands, or nullopt.
  std::optional<Value> Fold(uint32_t expr) const;
  // The value / qualified name a module-level name has at the end of the module.
  std::optional<Value> FoldGlobal(std::string_view name) const;
  std::string QualifyGlobal(std::string_view name) const;
  // Modules imported: `import a.b` -> a.b, `from x import y` -> x (relative
  // imports keep their dots) in source order, then dynamic imports whose
  // name folds (__import__('o'+'s'), importlib.import_module); no duplicates.
  const std::vector<std::string>& imports() const;
  // String/bytes literals not consumed by a successful fold of a call
  // argument, in source order.
  const std::vector<LooseString>& loose_strings() const;
  // Classes (last component of their name) registered under install-time
  // cmdclass keys: cmdclass={'install': C}, dict(develop=C), d['build'] = C.
  const std::set<std::string>& registered_commands() const;
  // True when some fold stopped at a cap (kMaxValue per value, kBudget bytes
  // or the step budget per module; past the budget later folds fail): itself
  // a sign of a computed payload.
  bool budget_exhausted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pyward
