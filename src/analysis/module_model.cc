#include "analysis/module_model.h"

#include <algorithm>
#include <deque>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "python/facts.h"
#include "python/literals.h"
#include "python/unicode_data.h"
#include "util/strings.h"

namespace pyward {
namespace {

using python::Ast;
using python::ConstKind;
using python::Node;
using python::NodeKind;

constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr uint32_t kInf = 0xFFFFFFFFu;
constexpr int kMaxFoldDepth = 120;
constexpr int kMaxQualifyDepth = 48;
constexpr size_t kMaxItems = 1u << 20;  // list elements of one folded value
// Helpers evaluated statement by statement: at most this many statements in
// the def, executed per call, and executed per module.
constexpr size_t kMaxHelperStmts = 40;
constexpr size_t kMaxHelperRun = 4096;
constexpr size_t kMaxHelperRunTotal = 1u << 18;

// Names Python resolves in builtins when nothing else binds them (Python 3,
// plus the Python 2 ones that run or import code).
bool IsBuiltinName(std::string_view n) {
  static const std::unordered_set<std::string_view> kNames = {
      "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
      "bytes", "callable", "chr", "classmethod", "compile", "complex", "delattr", "dict", "dir",
      "divmod", "enumerate", "eval", "exec", "filter", "float", "format", "frozenset",
      "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
      "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview",
      "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "range",
      "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str",
      "sum", "super", "tuple", "type", "vars", "zip", "__import__", "__build_class__",
      "execfile", "reload", "raw_input", "unicode", "unichr", "basestring", "long", "file",
      "apply"};
  return kNames.count(n) > 0;
}

// What str() of a builtin gives (`oct.__str__()` is "<built-in function
// oct>"): obfuscators pick letters out of these. `q` is the qualified name
// of the receiver; false when it is no builtin whose text is known.
bool BuiltinText(std::string_view q, std::string* out) {
  if (q == "copyright" || q == "builtins.copyright") {
    *out = "Copyright (c) 2001-2023 Python Software Foundation.\nAll Rights Reserved.\n\n"
           "Copyright (c) 2000 BeOpen.com.\nAll Rights Reserved.\n\n"
           "Copyright (c) 1995-2001 Corporation for National Research Initiatives.\n"
           "All Rights Reserved.\n\n"
           "Copyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam.\n"
           "All Rights Reserved.";
    return true;
  }
  static const std::set<std::string_view> kClasses = {
      "bool", "bytearray", "bytes", "classmethod", "complex", "dict", "enumerate", "filter",
      "float", "frozenset", "int", "list", "map", "memoryview", "object", "property", "range",
      "reversed", "set", "slice", "staticmethod", "str", "super", "tuple", "type", "zip"};
  constexpr std::string_view kPrefix = "builtins.";
  if (!q.starts_with(kPrefix)) return false;
  std::string_view name = q.substr(kPrefix.size());
  if (!IsBuiltinName(name) || name.starts_with("__")) return false;
  if (kClasses.count(name)) *out = "<class '" + std::string(name) + "'>";
  else *out = "<built-in function " + std::string(name) + ">";
  return true;
}

std::string LastComponent(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
uint32_t Load4(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// The bytes of `s` (1 to 7 of them) in one word, through loads that may
// overlap (the same bytes give the same word; no call to memcpy).
uint64_t ShortWord(std::string_view s) {
  size_t n = s.size();
  const char* p = s.data();
  if (n >= 4) return Load4(p) | static_cast<uint64_t>(Load4(p + n - 4)) << 32;
  return static_cast<unsigned char>(p[0]) |
         static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
         static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
}

bool IsAscii(std::string_view s) {
  // Eight bytes at a time (the last word may overlap the one before); the
  // high bits of all bytes OR-ed together.
  uint64_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) acc |= Load8(s.data() + i);
  if (i < s.size())
    acc |= s.size() >= 8 ? Load8(s.data() + s.size() - 8) : ShortWord(s.substr(i));
  return (acc & 0x8080808080808080ull) == 0;
}

// Lenient UTF-8 to code points (our own str values; malformed bytes become
// U+FFFD). Strict mode fails on malformed input, surrogates and overlongs.
// With `out` null, only checks (strict: whether `s` is valid UTF-8).
bool ToCodePoints(std::string_view s, std::u32string* out, bool strict) {
  if (out) {
    out->clear();
    out->reserve(s.size());
  }
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (out) out->push_back(c);
      ++i;
      continue;
    }
    int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c < 0xF0 ? 3 : 0) : c >= 0xC2 ? 2 : 0;
    char32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = len != 0 && i + len <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
      ok = false;
    if (ok && strict && cp >= 0xD800 && cp <= 0xDFFF) ok = false;
    if (!ok) {
      if (strict) return false;
      if (out) out->push_back(0xFFFD);
      ++i;
      continue;
    }
    if (out) out->push_back(cp);
    i += len;
  }
  return true;
}

std::string FromCodePoints(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) AppendUtf8(c, &out);
  return out;
}

// Python's floor division and modulo.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
int64_t FloorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

// Python's slice.indices(): false when step is 0.
bool AdjustSlice(int64_t n, std::optional<int64_t> lo, std::optional<int64_t> hi,
                 std::optional<int64_t> st, int64_t* start, int64_t* stop, int64_t* step) {
  *step = st.value_or(1);
  if (*step == 0) return false;
  bool neg = *step < 0;
  auto adj = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v;
    if (x < 0) {
      x += n;
      if (x < 0) x = neg ? -1 : 0;
    } else if (x >= n) {
      x = neg ? n - 1 : n;
    }
    return x;
  };
  *start = adj(lo, neg ? n - 1 : 0);
  *stop = adj(hi, neg ? -1 : n);
  return true;
}

bool ParseIntLiteral(std::string_view t, int64_t* out) {
  std::string digits;
  for (char c : t)
    if (c != '_') digits += c;
  int base = 10;
  size_t i = 0;
  if (digits.size() > 2 && digits[0] == '0') {
    char p = static_cast<char>(digits[1] | 0x20);
    if (p == 'x') base = 16, i = 2;
    else if (p == 'o') base = 8, i = 2;
    else if (p == 'b') base = 2, i = 2;
  }
  if (i >= digits.size()) return false;
  uint64_t v = 0;
  for (; i < digits.size(); ++i) {
    char c = digits[i];
    int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
    if (d >= base) return false;  // floats, imaginary, Python 2 'L'
    if (v > (uint64_t{1} << 62) / base) return false;
    v = v * base + d;
  }
  *out = static_cast<int64_t>(v);
  return true;
}

std::string NormEncoding(std::string_view e) {
  std::string out;
  for (char c : e) out += c == '_' || c == ' ' ? '-' : static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

std::string Rot13(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

size_t ValueSize(const Value& v, int depth = 0) {
  size_t n = sizeof(Value) + v.data.size();
  if (depth < 64)
    for (const Value& it : v.items) n += ValueSize(it, depth + 1);
  return n;
}

// Merges the decode chain of `from` into *to.
void MergeChain(const Value& from, Value* to) {
  for (const std::string& s : from.chain)
    if (std::find(to->chain.begin(), to->chain.end(), s) == to->chain.end())
      to->chain.push_back(s);
}

enum class EvKind : uint8_t { kImport, kValue, kAug, kDef, kUnknown, kGlobal };

// One binding of a name in a scope.
struct Event {
  EvKind kind;
  bool no_fold = false;  // bound in a loop or by `with ... as`: resolves, does not fold
  uint32_t seq = 0;      // binding order; a use at time t sees events with seq <= t
  uint32_t node = 0;     // kValue: the value expression; kAug: the AugAssign node
  uint32_t scope = 0;
  std::string_view name;
  std::string qual;  // kImport, kDef
};

struct Scope {
  uint32_t parent = kNone;
  bool deferred = false;  // function/lambda body: outer names as at the end of the module
  bool is_class = false;
  uint32_t def_node = 0;          // the FunctionDef whose body this is (0: none)
  uint32_t class_scope = kNone;   // for a method: the class body it is defined in
};

// Events of one name in one scope, in seq order.
struct Bucket {
  uint32_t first = kNone;
  std::vector<uint32_t> more;
  size_t size() const { return first == kNone ? 0 : 1 + more.size(); }
  uint32_t at(size_t i) const { return i == 0 ? first : more[i - 1]; }
};

// The Bucket of each (scope, name): open addressing with linear probing over
// a power-of-two slot array (names are short views into the source or the
// model's arena, hashed once per look-up; no node allocation per key).
class NameTable {
 public:
  // The hash of a name, computed once for look-ups in several scopes.
  static uint64_t NameHash(std::string_view name) {
    uint64_t h = name.size() * kMul;
    size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
      h = (h ^ Load8(name.data() + i)) * kMul;
      h ^= h >> 32;
    }
    if (i < name.size()) h = (h ^ ShortWord(name.substr(i))) * kMul;
    return h;
  }
  // The bucket of (scope, name), or null; `name_hash` is NameHash(name).
  const Bucket* Find(uint32_t scope, std::string_view name, uint64_t name_hash) const {
    if (slots_.empty()) return nullptr;
    uint64_t h = Hash(scope, name_hash);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.bucket == 0) return nullptr;
      if (s.hash == h && Same(s, scope, name))
        return &buckets_[s.bucket - 1];
    }
  }
  // The bucket of (scope, name), created empty when absent. Valid until the
  // next call.
  Bucket& Get(uint32_t scope, std::string_view name, uint64_t name_hash) {
    if ((buckets_.size() + 1) * 4 > slots_.size() * 3) Grow();
    uint64_t h = Hash(scope, name_hash);
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.bucket == 0) break;
      if (s.hash == h && Same(s, scope, name))
        return buckets_[s.bucket - 1];
    }
    buckets_.emplace_back();
    slots_[i] = Slot{h, name.data(), static_cast<uint32_t>(name.size()), scope,
                     static_cast<uint32_t>(buckets_.size())};
    return buckets_.back();
  }

 private:
  struct Slot {
    uint64_t hash;
    const char* ptr;
    uint32_t len;
    uint32_t scope;
    uint32_t bucket;  // index + 1 into buckets_; 0 = empty slot
  };
  static bool Same(const Slot& s, uint32_t scope, std::string_view name) {
    return s.scope == scope && s.len == name.size() &&
           (name.empty() || std::memcmp(s.ptr, name.data(), name.size()) == 0);
  }
  static constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  // The name's hash (eight bytes per step: identifiers are short) mixed
  // with the scope, high bits folded into the low ones that pick the slot.
  static uint64_t Hash(uint32_t scope, uint64_t name_hash) {
    uint64_t h = (name_hash ^ (static_cast<uint64_t>(scope) << 32)) * kMul;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
  }
  void Grow() {
    size_t n = slots_.empty() ? 64 : slots_.size() * 2;
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.bucket == 0) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].bucket != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  size_t mask_ = 0;
};

bool IsCommandBase(std::string_view base) {
  std::string b = ToLower(LastComponent(base));
  for (const char* w : {"install", "develop", "egg_info", "build", "sdist", "bdist"})
    if (b.find(w) != std::string::npos) return true;
  return false;
}

bool DefaultInstallKey(std::string_view key) {
  std::string k = ToLower(key);
  for (const char* w : {"install", "develop", "egg_info", "build", "sdist", "bdist", "dist_info"})
    if (k.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace

struct ModuleModel::Impl {
  Impl(const Ast& a, CallHook h, const ModelOptions& o)
      : ast(a), node_count(a.nodes.size()), hook(std::move(h)), opts(o) {}

  const Ast& ast;
  const size_t node_count;  // ast.nodes.size(), read on every node access
  CallHook hook;
  ModelOptions opts;

  // Per node: the binding time and scope it was seen at, and flags.
  enum : uint8_t { kConsumed = 1, kStatement = 2 };
  std::vector<uint32_t> time, scope_of;
  std::vector<uint8_t> flags;

  std::vector<Scope> scopes;
  std::vector<Event> events;
  NameTable names;
  uint32_t seq = 0;
  std::deque<std::string> arena;  // normalized non-ASCII identifiers

  // Walk state.
  uint32_t cur_scope = 0;
  int loop_depth = 0;
  // One per scope and guard state entered; calls point here (it stops growing
  // when the walk ends).
  std::vector<CallContext> ctxs;
  uint32_t cur_ctx = 0;
  struct Pending {
    uint32_t node, ctx;
  };
  std::vector<Pending> pending;
  std::vector<uint32_t> kids;  // scratch
  std::vector<uint32_t> stmt_kids, guard_stack, guard_kids;  // scratch
  bool may_argv = false;  // some name token could be the attribute `argv`
  std::vector<uint32_t> str_consts;

  // Results.
  std::vector<CallRecord> calls;
  std::vector<std::string> imports;
  std::set<std::string, std::less<>> import_set;
  std::vector<LooseString> loose;
  std::set<std::string> registered;

  // Folding state.
  struct EnvEntry {
    std::string_view name;
    const Value* v;
  };
  std::vector<EnvEntry> env;
  std::vector<uint8_t> ev_state;  // 0 unknown, 1 in progress, 2 folded, 3 failed
  struct Memo {
    Value v;
    size_t size = 0;  // ValueSize(v)
  };
  std::unordered_map<uint32_t, Memo> ev_value;
  std::unordered_map<uint32_t, std::optional<Memo>> call_memo;
  size_t spent = 0;
  uint64_t steps = 0, max_steps = 0;
  size_t helper_run = 0;  // statements RunBlock executed in this module
  bool capped = false;  // some fold stopped at a size or step cap

  bool Valid(uint32_t n) const { return n != 0 && n < node_count; }
  const Node& N(uint32_t n) const { return ast.nodes[n]; }

  std::string_view NameOf(uint32_t tok) {
    std::string_view t = ast.TokText(tok);
    // A NAME token says whether it is ASCII; others are checked.
    bool ascii = tok < ast.tokens.size() && ast.tokens[tok].kind == python::Tok::kName
                     ? !(ast.tokens[tok].flags & python::kTokNonAscii)
                     : IsAscii(t);
    if (ascii) return t;
    arena.push_back(python::NormalizeIdentifier(t));
    return arena.back();
  }

  // ---------------------------------------------------------------- bindings

  uint32_t NewScope(bool deferred, bool is_class) {
    Scope s;
    s.deferred = deferred;
    s.is_class = is_class;
    uint32_t p = cur_scope;
    if (deferred)  // function bodies do not see class scopes
      while (p != kNone && p < scopes.size() && scopes[p].is_class) p = scopes[p].parent;
    s.parent = p;
    scopes.push_back(s);
    return static_cast<uint32_t>(scopes.size() - 1);
  }

  // The event of `name` visible in `scope` at `t` (outer scopes followed).
  uint32_t Lookup(std::string_view name, uint32_t scope, uint32_t t) const {
    const uint64_t name_hash = NameTable::NameHash(name);
    for (int hops = 0; scope != kNone && scope < scopes.size() && hops < 256; ++hops) {
      if (const Bucket* found = names.Find(scope, name, name_hash)) {
        const Bucket& b = *found;
        // Last event with seq <= t.
        size_t lo = 0, hi = b.size();
        while (lo < hi) {
          size_t mid = (lo + hi) / 2;
          if (events[b.at(mid)].seq <= t) lo = mid + 1;
          else hi = mid;
        }
        if (lo > 0) {
          uint32_t e = b.at(lo - 1);
          if (events[e].kind != EvKind::kGlobal) return e;
          scope = 0;
          t = kInf;
          continue;
        }
      }
      if (scopes[scope].deferred) t = kInf;
      scope = scopes[scope].parent;
    }
    return kNone;
  }

  void AddEvent(std::string_view name, EvKind kind, uint32_t node, std::string qual = {}) {
    uint32_t scope = cur_scope;
    const uint64_t name_hash = NameTable::NameHash(name);
    if (scope != 0 && kind != EvKind::kGlobal) {
      const Bucket* b = names.Find(scope, name, name_hash);
      if (b && b->first != kNone && events[b->first].kind == EvKind::kGlobal)
        scope = 0;  // `global x` earlier in this function
    }
    Event e;
    e.kind = kind;
    e.no_fold = loop_depth > 0;
    e.seq = ++seq;
    e.node = node;
    e.scope = scope;
    e.name = name;
    e.qual = std::move(qual);
    uint32_t id = static_cast<uint32_t>(events.size());
    events.push_back(std::move(e));
    ev_state.push_back(0);
    Bucket& b = names.Get(scope, name, name_hash);
    if (b.first == kNone) b.first = id;
    else b.more.push_back(id);
  }

  // Binds assignment target `t` to `value` (0: unknown).
  void BindTarget(uint32_t t, uint32_t value, bool no_fold = false) {
    if (!Valid(t)) return;
    const Node& n = N(t);
    switch (n.kind) {
      case NodeKind::kName:
        AddEvent(NameOf(n.tok), value ? EvKind::kValue : EvKind::kUnknown, value);
        if (no_fold) events.back().no_fold = true;
        return;
      case NodeKind::kTuple:
      case NodeKind::kList: {
        auto elts = ast.list(n);
        bool pair = false;
        if (Valid(value) && (N(value).kind == NodeKind::kTuple || N(value).kind == NodeKind::kList)) {
          auto vals = ast.list(N(value));
          pair = vals.size() == elts.size();
          for (uint32_t x : vals)
            if (!Valid(x) || N(x).kind == NodeKind::kStarred) pair = false;
          for (uint32_t x : elts)
            if (!Valid(x) || N(x).kind == NodeKind::kStarred) pair = false;
          if (pair)
            for (size_t i = 0; i < elts.size(); ++i) BindTarget(elts[i], vals[i], no_fold);
        }
        if (!pair)
          for (uint32_t x : elts) BindTarget(x, 0);
        return;
      }
      case NodeKind::kStarred:
        BindTarget(n.a, 0);
        return;
      default:
        return;  // attributes and subscripts bind no name
    }
  }

  void BindParams(uint32_t args) {
    if (!Valid(args) || N(args).kind != NodeKind::kArguments) return;
    for (uint32_t a : ast.list(N(args))) {
      if (!Valid(a) || N(a).tok == python::kNoTok) continue;
      // A parameter whose default is a string literal folds to that
      // literal (the value it has when callers leave it out); any other
      // parameter is unknown.
      uint32_t def = N(a).b;
      bool str_default = Valid(def) && N(def).kind == NodeKind::kConstant &&
                         (static_cast<ConstKind>(N(def).flags) == ConstKind::kStr ||
                          static_cast<ConstKind>(N(def).flags) == ConstKind::kBytes);
      AddEvent(NameOf(N(a).tok), str_default ? EvKind::kValue : EvKind::kUnknown,
               str_default ? def : 0);
    }
  }

  // ------------------------------------------------------------------- walk

  void Stamp(uint32_t n) {
    time[n] = seq;
    scope_of[n] = cur_scope;
  }

  uint32_t PushCtx(CallContext c) {
    ctxs.push_back(std::move(c));
    uint32_t old = cur_ctx;
    cur_ctx = static_cast<uint32_t>(ctxs.size() - 1);
    return old;
  }

  bool IsInstallKey(std::string_view key) const {
    if (opts.install_commands) return opts.install_commands->count(key) > 0;
    return DefaultInstallKey(key);
  }

  std::string StringConst(uint32_t n) const {
    std::string v, err;
    bool is_bytes = false;
    if (!Valid(n) || N(n).kind != NodeKind::kConstant) return "";
    python::ConstantValue(ast, n, &v, &is_bytes, &err);
    return v;
  }

  void Register(const std::string& key, uint32_t value) {
    std::string name;
    if (IsInstallKey(key) && Valid(value) && python::DottedName(ast, value, &name))
      registered.insert(LastComponent(name));
  }

  void AddImport(std::string m) {
    if (m.empty() || import_set.count(m)) return;
    import_set.insert(m);
    imports.push_back(std::move(m));
  }

  // Expressions, with an explicit stack (operator chains nest without bound).
  enum class Act : uint8_t { kVisit, kRestore, kEnterComp, kBindNamed };
  struct Item {
    Act act;
    uint32_t node;
    uint32_t scope = 0, ctx = 0;
  };
  std::vector<Item> stack;

  void WalkExpr(uint32_t root) {
    if (!Valid(root)) return;
    size_t base = stack.size();
    stack.push_back({Act::kVisit, root});
    while (stack.size() > base) {
      Item it = stack.back();
      stack.pop_back();
      switch (it.act) {
        case Act::kRestore:
          cur_scope = it.scope;
          cur_ctx = it.ctx;
          continue;
        case Act::kEnterComp: {
          // The first iterable was walked outside; targets bind inside.
          cur_scope = NewScope(false, false);
          const Node& n = N(it.node);
          for (uint32_t c : ast.list(n))
            if (Valid(c)) BindTarget(N(c).a, 0);
          continue;
        }
        case Act::kBindNamed:
          BindTarget(N(it.node).a, N(it.node).b);
          continue;
        case Act::kVisit:
          break;
      }
      uint32_t n = it.node;
      if (!Valid(n)) continue;
      Stamp(n);
      const Node& node = N(n);
      switch (node.kind) {
        case NodeKind::kCall: {
          pending.push_back({n, cur_ctx});
          std::string dotted;
          bool dict_call = Valid(node.a) &&
                           (N(node.a).kind == NodeKind::kName || N(node.a).kind == NodeKind::kAttribute) &&
                           ast.TokText(N(node.a).tok) == "dict";
          if (dict_call && python::DottedName(ast, node.a, &dotted) && LastComponent(dotted) == "dict") {
            for (uint32_t arg : ast.list(node)) {
              if (!Valid(arg)) continue;
              const Node& kw = N(arg);
              if (kw.kind == NodeKind::kKeyword && kw.tok != python::kNoTok)
                Register(std::string(ast.TokText(kw.tok)), kw.a);
            }
          }
          break;
        }
        case NodeKind::kDict: {
          auto items = ast.list(node);
          for (size_t i = 0; i + 1 < items.size(); i += 2)
            if (Valid(items[i]) && N(items[i]).kind == NodeKind::kConstant)
              Register(StringConst(items[i]), items[i + 1]);
          break;
        }
        case NodeKind::kConstant: {
          ConstKind k = static_cast<ConstKind>(node.flags);
          if (k == ConstKind::kStr || k == ConstKind::kBytes) str_consts.push_back(n);
          continue;
        }
        case NodeKind::kLambda: {
          WalkDefaults(node.a);
          stack.push_back({Act::kRestore, 0, cur_scope, cur_ctx});
          CallContext c = ctxs[cur_ctx];
          if (!c.in_def) c.lambda_only = true;
          c.in_def = true;
          c.function = "<lambda>";
          PushCtx(std::move(c));
          cur_scope = NewScope(true, false);
          BindParams(node.a);
          stack.push_back({Act::kVisit, node.b});
          continue;
        }
        case NodeKind::kListComp:
        case NodeKind::kSetComp:
        case NodeKind::kGeneratorExp:
        case NodeKind::kDictComp: {
          auto comps = ast.list(node);
          stack.push_back({Act::kRestore, 0, cur_scope, cur_ctx});
          stack.push_back({Act::kVisit, node.b});
          stack.push_back({Act::kVisit, node.a});
          for (size_t i = comps.size(); i-- > 0;) {
            if (!Valid(comps[i])) continue;
            const Node& c = N(comps[i]);
            for (size_t k = c.count; k-- > 0;) stack.push_back({Act::kVisit, ast.list(c)[k]});
            stack.push_back({Act::kVisit, c.a});
            if (i > 0) stack.push_back({Act::kVisit, c.b});
          }
          stack.push_back({Act::kEnterComp, n});
          if (!comps.empty() && Valid(comps[0])) {
            Stamp(comps[0]);
            stack.push_back({Act::kVisit, N(comps[0]).b});
          }
          continue;
        }
        case NodeKind::kNamedExpr:
          stack.push_back({Act::kBindNamed, n});
          stack.push_back({Act::kVisit, node.b});
          stack.push_back({Act::kVisit, node.a});
          continue;
        case NodeKind::kName:  // no children
          continue;
        case NodeKind::kAttribute:  // one child: the value
          stack.push_back({Act::kVisit, node.a});
          continue;
        default:
          break;
      }
      python::Children(ast, n, &kids);
      // Pushed in reverse (visited in source order), in one resize.
      size_t top = stack.size();
      stack.resize(top + kids.size());
      for (size_t i = kids.size(); i-- > 0;) stack[top++] = {Act::kVisit, kids[i]};
    }
  }

  // Defaults and annotations of parameters run where the def/lambda is.
  void WalkDefaults(uint32_t args) {
    if (!Valid(args)) return;
    Stamp(args);
    for (uint32_t a : ast.list(N(args))) {
      if (!Valid(a)) continue;
      Stamp(a);
      WalkExpr(N(a).a);
      WalkExpr(N(a).b);
    }
  }

  void WalkSeq(uint32_t seq_node) {
    if (!Valid(seq_node)) return;
    Stamp(seq_node);
    for (uint32_t s : ast.list(N(seq_node))) WalkStmt(s);
  }

  void WalkBody(const Node& n) {
    for (uint32_t s : ast.list(n)) WalkStmt(s);
  }

  // Store targets: walk the loads inside them (obj in obj.x = ..., d and k in d[k] = ...).
  void WalkTarget(uint32_t t) {
    if (!Valid(t)) return;
    Stamp(t);
    const Node& n = N(t);
    switch (n.kind) {
      case NodeKind::kName:
        return;
      case NodeKind::kTuple:
      case NodeKind::kList:
        for (uint32_t x : ast.list(n)) WalkTarget(x);
        return;
      case NodeKind::kStarred:
        WalkTarget(n.a);
        return;
      default:
        WalkExpr(t);
    }
  }

  // `if sys.argv[-1] == 'publish':` and the like: true when the test reads
  // sys.argv and every string it compares with is a command pip never runs.
  // Names in the test are followed to the expressions bound to them
  // (`command = sys.argv[-1]; if command == 'publish':`); negated tests
  // (`not in`, `!=`, `not`) guard nothing.
  bool GuardsOtherCommand(uint32_t test) {
    // Only an attribute named argv qualifies to sys.argv: without one in the
    // module no test guards anything.
    if (!may_argv) return false;
    bool argv = false, any = false, install = false;
    std::vector<uint32_t>& st = guard_stack;
    std::vector<uint32_t>& ch = guard_kids;
    st.assign(1, test);
    size_t visited = 0;
    while (!st.empty() && ++visited < 10000) {
      uint32_t n = st.back();
      st.pop_back();
      if (!Valid(n)) continue;
      const Node& node = N(n);
      if (node.kind == NodeKind::kAttribute && NameOf(node.tok) == "argv" &&
          QualifyAt(n, 0) == "sys.argv")
        argv = true;
      if (node.kind == NodeKind::kConstant) {
        any = true;
        if (IsInstallKey(StringConst(n))) install = true;
      }
      if (node.kind == NodeKind::kUnaryOp && node.op == static_cast<uint16_t>(python::UnaryOp::kNot))
        return false;
      if (node.kind == NodeKind::kCompare) {
        auto l = ast.list(node);
        for (size_t i = 0; i < l.size(); i += 2) {
          auto op = static_cast<python::CmpOp>(l[i]);
          if (op == python::CmpOp::kNotIn || op == python::CmpOp::kNotEq ||
              op == python::CmpOp::kIsNot)
            return false;
        }
      }
      if (node.kind == NodeKind::kName && visited < 64) {
        uint32_t e = Lookup(NameOf(node.tok), scope_of[n], time[n]);
        if (e != kNone && events[e].kind == EvKind::kValue) st.push_back(events[e].node);
        continue;
      }
      python::Children(ast, n, &ch);
      st.insert(st.end(), ch.begin(), ch.end());
    }
    return argv && any && !install;
  }

  void WalkStmt(uint32_t n) {
    if (!Valid(n)) return;
    Stamp(n);
    const Node& node = N(n);
    switch (node.kind) {
      case NodeKind::kFunctionDef:
      case NodeKind::kAsyncFunctionDef: {
        WalkExpr(node.c);  // decorators
        WalkDefaults(node.a);
        WalkExpr(node.b);
        std::string_view name = NameOf(node.tok);
        uint32_t old_scope = cur_scope;
        CallContext c = ctxs[cur_ctx];
        if (!c.in_def && c.classes.empty()) c.top_def = std::string(name);
        c.in_def = true;
        c.lambda_only = false;
        c.function = std::string(name);
        AddEvent(name, EvKind::kDef, n, std::string(name));
        uint32_t old_ctx = PushCtx(std::move(c));
        cur_scope = NewScope(true, false);
        scopes[cur_scope].def_node = n;
        if (old_scope < scopes.size() && scopes[old_scope].is_class)
          scopes[cur_scope].class_scope = old_scope;
        int old_loop = loop_depth;
        loop_depth = 0;
        BindParams(node.a);
        WalkBody(node);
        loop_depth = old_loop;
        cur_scope = old_scope;
        cur_ctx = old_ctx;
        return;
      }
      case NodeKind::kClassDef: {
        WalkExpr(node.a);
        WalkExpr(node.c);
        std::string_view name = NameOf(node.tok);
        CallContext c = ctxs[cur_ctx];
        c.classes.push_back(std::string(name));
        if (Valid(node.a)) {
          for (uint32_t b : ast.list(N(node.a))) {
            if (!Valid(b) || N(b).kind == NodeKind::kKeyword) continue;
            std::string q = QualifyAt(b, 0), dotted;
            if (q.empty() && python::DottedName(ast, b, &dotted)) q = dotted;
            if (IsCommandBase(q)) c.command = true;
          }
        }
        uint32_t old_scope = cur_scope;
        uint32_t old_ctx = PushCtx(std::move(c));
        cur_scope = NewScope(false, true);
        WalkBody(node);
        cur_scope = old_scope;
        cur_ctx = old_ctx;
        AddEvent(name, EvKind::kDef, n, std::string(name));
        return;
      }
      case NodeKind::kAssign: {
        WalkExpr(node.a);
        for (uint32_t t : ast.list(node)) {
          WalkTarget(t);
          if (Valid(t) && N(t).kind == NodeKind::kSubscript) Register(StringConst(N(t).b), node.a);
        }
        for (uint32_t t : ast.list(node)) BindTarget(t, node.a);
        return;
      }
      case NodeKind::kAnnAssign:
        WalkExpr(node.c);
        WalkExpr(node.b);
        WalkTarget(node.a);
        if (node.c) BindTarget(node.a, node.c);
        return;
      case NodeKind::kAugAssign:
        WalkExpr(node.b);
        WalkTarget(node.a);
        if (Valid(node.a) && N(node.a).kind == NodeKind::kName)
          AddEvent(NameOf(N(node.a).tok), EvKind::kAug, n);
        return;
      case NodeKind::kFor:
      case NodeKind::kAsyncFor:
        WalkExpr(node.b);
        WalkTarget(node.a);
        BindTarget(node.a, 0);
        ++loop_depth;
        WalkBody(node);
        --loop_depth;
        WalkSeq(node.c);
        return;
      case NodeKind::kWhile:
        WalkExpr(node.a);
        ++loop_depth;
        WalkBody(node);
        --loop_depth;
        WalkSeq(node.c);
        return;
      case NodeKind::kIf: {
        WalkExpr(node.a);
        if (GuardsOtherCommand(node.a)) {
          CallContext c = ctxs[cur_ctx];
          c.guarded_other_command = true;
          uint32_t old = PushCtx(std::move(c));
          WalkBody(node);
          cur_ctx = old;
        } else {
          WalkBody(node);
        }
        WalkSeq(node.c);
        return;
      }
      case NodeKind::kWith:
      case NodeKind::kAsyncWith:
        if (Valid(node.a)) {
          Stamp(node.a);
          for (uint32_t w : ast.list(N(node.a))) {
            if (!Valid(w)) continue;
            Stamp(w);
            WalkExpr(N(w).a);
            WalkTarget(N(w).b);
            BindTarget(N(w).b, N(w).a, /*no_fold=*/true);
          }
        }
        WalkBody(node);
        return;
      case NodeKind::kTry:
      case NodeKind::kTryStar:
        WalkBody(node);
        if (Valid(node.a)) {
          Stamp(node.a);
          for (uint32_t h : ast.list(N(node.a))) {
            if (!Valid(h)) continue;
            Stamp(h);
            WalkExpr(N(h).a);
            if (N(h).tok != python::kNoTok) AddEvent(NameOf(N(h).tok), EvKind::kUnknown, 0);
            WalkBody(N(h));
          }
        }
        WalkSeq(node.b);
        WalkSeq(node.c);
        return;
      case NodeKind::kMatch:
        WalkExpr(node.a);
        for (uint32_t mc : ast.list(node)) {
          if (!Valid(mc)) continue;
          Stamp(mc);
          WalkPattern(N(mc).a);
          WalkExpr(N(mc).b);
          WalkBody(N(mc));
        }
        return;
      case NodeKind::kImport:
        for (uint32_t a : ast.list(node)) {
          if (!Valid(a)) continue;
          Stamp(a);
          const Node& al = N(a);
          std::string mod(ast.Str(al.a, al.b));
          AddImport(mod);
          if (al.tok != python::kNoTok) {
            AddEvent(NameOf(al.tok), EvKind::kImport, a, mod);
          } else {
            std::string head = mod.substr(0, mod.find('.'));
            arena.push_back(head);
            AddEvent(arena.back(), EvKind::kImport, a, head);
          }
        }
        return;
      case NodeKind::kImportFrom: {
        std::string mod(node.op, '.');
        mod.append(ast.Str(node.a, node.b));
        AddImport(mod);
        for (uint32_t a : ast.list(node)) {
          if (!Valid(a)) continue;
          Stamp(a);
          const Node& al = N(a);
          std::string name(ast.Str(al.a, al.b));
          if (name == "*") {  // names nothing else binds may come from here
            AddEvent("*", EvKind::kImport, a, mod);
            continue;
          }
          std::string q = mod.empty() || mod.back() == '.' ? mod + name : mod + "." + name;
          if (al.tok != python::kNoTok) {
            AddEvent(NameOf(al.tok), EvKind::kImport, a, q);
          } else {
            arena.push_back(name);
            AddEvent(arena.back(), EvKind::kImport, a, q);
          }
        }
        return;
      }
      case NodeKind::kGlobal:
        for (uint32_t g : ast.list(node))
          if (Valid(g)) {
            Stamp(g);
            if (cur_scope != 0) AddEvent(NameOf(N(g).tok), EvKind::kGlobal, 0);
          }
        return;
      case NodeKind::kNonlocal:
        for (uint32_t g : ast.list(node))
          if (Valid(g)) {
            Stamp(g);
            AddEvent(NameOf(N(g).tok), EvKind::kUnknown, 0);
          }
        return;
      case NodeKind::kDelete:
        for (uint32_t t : ast.list(node)) {
          WalkTarget(t);
          BindTarget(t, 0);
        }
        return;
      case NodeKind::kErrorStmt:
        WalkBody(node);
        return;
      case NodeKind::kExec2:  // Python 2 `exec code [in ns]`: recorded as a call
        pending.push_back({n, cur_ctx});
        for (uint32_t e : ast.list(node)) WalkExpr(e);
        return;
      case NodeKind::kExpr:
        if (Valid(node.a) && N(node.a).kind == NodeKind::kConstant) flags[node.a] |= kStatement;
        WalkExpr(node.a);
        return;
      default: {
        // Simple statements only (no nested statements): WalkExpr never
        // comes back here, so one scratch vector serves.
        std::vector<uint32_t>& ch = stmt_kids;
        python::Children(ast, n, &ch);
        for (size_t i = 0; i < ch.size(); ++i) WalkExpr(ch[i]);
        return;
      }
    }
  }

  void WalkPattern(uint32_t p) {
    if (!Valid(p)) return;
    std::vector<uint32_t> st = {p}, ch;
    while (!st.empty()) {
      uint32_t n = st.back();
      st.pop_back();
      if (!Valid(n)) continue;
      Stamp(n);
      const Node& node = N(n);
      switch (node.kind) {
        case NodeKind::kMatchAs:
        case NodeKind::kMatchStar:
        case NodeKind::kMatchMapping:
          if (node.tok != python::kNoTok) AddEvent(NameOf(node.tok), EvKind::kUnknown, 0);
          break;
        case NodeKind::kMatchValue:
        case NodeKind::kMatchClass:
          WalkExpr(node.a);
          if (node.kind == NodeKind::kMatchValue) continue;
          break;
        default:
          break;
      }
      python::Children(ast, n, &ch);
      for (uint32_t c : ch)
        if (!(node.kind == NodeKind::kMatchClass && c == node.a)) st.push_back(c);
    }
  }

  // ------------------------------------------------------------- qualify

  bool EnvHas(std::string_view name) const {
    for (const EnvEntry& e : env)
      if (e.name == name) return true;
    return false;
  }

  std::string QualifyName(std::string_view name, uint32_t scope, uint32_t t, int depth) {
    if (EnvHas(name)) return "";
    uint32_t e = Lookup(name, scope, t);
    if (e == kNone) {
      if (name == "__builtins__") return "builtins";
      if (IsBuiltinName(name)) return "builtins." + std::string(name);
      // `from os import *` then system(...): the latest star import before it.
      uint32_t star = Lookup("*", scope, t);
      if (star != kNone) return events[star].qual + "." + std::string(name);
      return std::string(name);
    }
    const Event& ev = events[e];
    switch (ev.kind) {
      case EvKind::kImport:
      case EvKind::kDef:
        return ev.qual;
      case EvKind::kValue:
        return QualifyAt(ev.node, depth + 1);
      default:
        return "";
    }
  }

  // Positional argument i of a Call node (0 when absent or starred).
  uint32_t Arg(const Node& call, size_t i) const {
    size_t k = 0;
    for (uint32_t a : ast.list(call)) {
      if (!Valid(a)) continue;
      NodeKind kind = N(a).kind;
      if (kind == NodeKind::kKeyword) continue;
      if (kind == NodeKind::kStarred) return 0;
      if (k++ == i) return a;
    }
    return 0;
  }
  uint32_t Kwarg(const Node& call, std::string_view name) const {
    for (uint32_t a : ast.list(call))
      if (Valid(a) && N(a).kind == NodeKind::kKeyword && N(a).tok != python::kNoTok &&
          ast.TokText(N(a).tok) == name)
        return N(a).a;
    return 0;
  }

  bool FoldStr(uint32_t n, std::string* out) {
    Value v;
    if (!Fold(n, 0, &v) || v.kind != Value::kStr) return false;
    *out = std::move(v.data);
    return true;
  }

  // The module __import__(name) returns.
  std::string ImportedBy(const Node& call, const std::string& q) {
    std::string mod;
    if (!FoldStr(Arg(call, 0), &mod) || mod.empty() || mod.size() > 512) return "";
    if (q == "builtins.__import__") {
      bool fromlist = Arg(call, 3) || Kwarg(call, "fromlist");
      if (!fromlist) mod = mod.substr(0, mod.find('.'));
    }
    return mod;
  }

  std::string QualifyAt(uint32_t n, int depth) {
    if (!Valid(n) || depth > kMaxQualifyDepth) return "";
    const Node& node = N(n);
    switch (node.kind) {
      case NodeKind::kName:
        return QualifyName(NameOf(node.tok), scope_of[n], time[n], depth);
      case NodeKind::kAttribute: {
        std::string base = QualifyAt(node.a, depth + 1);
        if (base.empty()) return "";
        base += '.';
        base += NameOf(node.tok);
        return base;
      }
      case NodeKind::kNamedExpr:
        return QualifyAt(node.b, depth + 1);
      case NodeKind::kSubscript: {
        std::string base = QualifyAt(node.a, depth + 1);
        if (base.empty()) return "";
        std::string key;
        if (!FoldStr(node.b, &key) || key.empty() || key.size() > 256) return "";
        constexpr std::string_view kDict = ".__dict__";
        if (base.size() > kDict.size() && base.ends_with(kDict))
          return base.substr(0, base.size() - kDict.size()) + "." + key;
        if (base == "builtins.globals()") {
          arena.push_back(key);
          return QualifyName(arena.back(), 0, scope_of[n] == 0 ? time[n] : kInf, depth + 1);
        }
        if (base == "builtins.locals()") {
          arena.push_back(key);
          return QualifyName(arena.back(), scope_of[n], time[n], depth + 1);
        }
        if (base == "sys.modules") return key;
        if (base == "builtins") return "builtins." + key;  // __builtins__ is a dict in imported modules
        return "";
      }
      case NodeKind::kCall: {
        std::string fq = QualifyAt(node.a, depth + 1);
        if (fq.empty()) return "";
        using namespace std::string_view_literals;  // inline size + memcmp compares
        std::string_view f = fq;
        if (f == "builtins.__import__"sv || f == "importlib.import_module"sv ||
            f == "importlib.__import__"sv) {
          std::string q = f == "importlib.__import__"sv ? "builtins.__import__" : fq;
          return ImportedBy(node, q);
        }
        if (f == "builtins.getattr"sv) {
          std::string obj = QualifyAt(Arg(node, 0), depth + 1), attr;
          if (obj.empty() || !FoldStr(Arg(node, 1), &attr) || attr.empty() || attr.size() > 256)
            return "";
          return obj + "." + attr;
        }
        if (f == "builtins.vars"sv) {
          uint32_t a = Arg(node, 0);
          if (!a) return "builtins.locals()";
          std::string obj = QualifyAt(a, depth + 1);
          return obj.empty() ? "" : obj + ".__dict__";
        }
        return fq + "()";
      }
      default:
        return "";
    }
  }

  // ------------------------------------------------------------------ fold

  bool Charge(const Value& v) {
    size_t s = ValueSize(v);
    spent += s;
    return Capped(s <= kMaxValue && spent <= kBudget);
  }
  bool Room(size_t bytes) { return Capped(bytes <= kMaxValue && spent + bytes <= kBudget); }
  // Records that a fold stopped at a cap when !ok.
  bool Capped(bool ok) {
    if (!ok) capped = true;
    return ok;
  }

  bool FoldEvent(uint32_t e, int depth, Value* out) {
    const Event& ev = events[e];
    if (ev.no_fold || (ev.kind != EvKind::kValue && ev.kind != EvKind::kAug)) return false;
    uint8_t st = ev_state[e];
    if (st == 1 || st == 3) return false;
    if (st == 2) {
      const Memo& memo = ev_value[e];
      if (!Room(memo.size)) return false;  // before copying
      *out = memo.v;
      spent += memo.size;
      return true;
    }
    ev_state[e] = 1;
    std::vector<EnvEntry> saved;
    saved.swap(env);
    Value v;
    bool ok;
    if (ev.kind == EvKind::kValue) {
      ok = Fold(ev.node, depth + 1, &v);
    } else {
      const Node& aug = N(ev.node);
      uint32_t prev = Lookup(ev.name, ev.scope, ev.seq - 1);
      Value rhs;
      ok = prev != kNone && FoldEvent(prev, depth + 1, &v) && Fold(aug.b, depth + 1, &rhs) &&
           BinaryOp(static_cast<python::BinOp>(aug.op), std::move(v), std::move(rhs), &v);
    }
    env.swap(saved);
    ev_state[e] = ok ? 2 : 3;
    if (!ok) return false;
    size_t size = ValueSize(v);
    ev_value[e] = Memo{v, size};
    *out = std::move(v);
    return true;
  }

  bool FoldName(uint32_t n, int depth, Value* out) {
    std::string_view name = NameOf(N(n).tok);
    for (size_t i = env.size(); i-- > 0;)
      if (env[i].name == name) {
        if (!Room(ValueSize(*env[i].v))) return false;
        *out = *env[i].v;
        return Charge(*out);
      }
    uint32_t e = Lookup(name, scope_of[n], time[n]);
    if (e == kNone) return false;
    return FoldEvent(e, depth, out);
  }

  static bool ToInt(const Value& v, int64_t* out) {
    if (v.kind != Value::kInt) return false;
    *out = v.i;
    return true;
  }

  // Items of an iterable value: characters of a str, ints of bytes, list items.
  bool Items(const Value& v, std::vector<Value>* out) {
    out->clear();
    if (v.kind == Value::kList) {
      if (!Room(ValueSize(v))) return false;
      *out = v.items;
    } else if (v.kind == Value::kBytes) {
      if (!Room(v.data.size() * sizeof(Value)) || v.data.size() > kMaxItems) return false;
      for (unsigned char c : v.data) out->push_back(Value::Int(c));
    } else if (v.kind == Value::kStr) {
      std::u32string cps;
      ToCodePoints(v.data, &cps, false);
      if (!Room(cps.size() * sizeof(Value)) || cps.size() > kMaxItems) return false;
      for (char32_t c : cps) {
        Value s;
        AppendUtf8(c, &s.data);
        out->push_back(std::move(s));
      }
    } else {
      return false;
    }
    for (Value& it : *out) MergeChain(v, &it);
    spent += out->size() * sizeof(Value);
    return spent <= kBudget;
  }

  static bool StrOf(const Value& v, std::string* out) {
    if (v.kind == Value::kStr) *out = v.data;
    else if (v.kind == Value::kInt) *out = std::to_string(v.i);
    else return false;
    return true;
  }

  // A format spec of str.format / f-strings: [[fill]align][0][width][.prec][type].
  bool FormatSpec(const Value& v, std::string_view spec, std::string* out) {
    if (spec.empty()) return StrOf(v, out);
    size_t i = 0;
    char fill = ' ', align = 0;
    auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    if (spec.size() >= 2 && is_align(spec[1]) && static_cast<unsigned char>(spec[0]) < 0x80) {
      fill = spec[0];
      align = spec[1];
      i = 2;
    } else if (is_align(spec[0])) {
      align = spec[0];
      i = 1;
    }
    bool alt = false;
    if (i < spec.size() && spec[i] == '#') alt = true, ++i;
    if (i < spec.size() && spec[i] == '0') {
      if (!align) fill = '0', align = '=';
      ++i;
    }
    size_t width = 0;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9' && width < 100000)
      width = width * 10 + (spec[i++] - '0');
    std::optional<size_t> prec;
    if (i < spec.size() && spec[i] == '.') {
      ++i;
      size_t p = 0;
      while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9' && p < 100000)
        p = p * 10 + (spec[i++] - '0');
      prec = p;
    }
    char type = i < spec.size() ? spec[i++] : 0;
    if (i != spec.size()) return false;
    std::string body, sign;
    if (v.kind == Value::kStr) {
      if (type && type != 's') return false;
      body = v.data;
      if (prec) {
        std::u32string cps;
        ToCodePoints(body, &cps, false);
        if (cps.size() > *prec) body = FromCodePoints(std::u32string_view(cps).substr(0, *prec));
      }
      if (!align) align = '<';
    } else if (v.kind == Value::kInt) {
      int64_t x = v.i;
      if (type == 'c') {
        if (x < 0 || x > 0x10FFFF) return false;
        AppendUtf8(static_cast<char32_t>(x), &body);
      } else {
        uint64_t mag = x < 0 ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
        if (x < 0) sign = "-";
        int base = 10;
        const char* prefix = "";
        if (type == 'x' || type == 'X') base = 16, prefix = type == 'x' ? "0x" : "0X";
        else if (type == 'o') base = 8, prefix = "0o";
        else if (type == 'b') base = 2, prefix = "0b";
        else if (type && type != 'd' && type != 'n') return false;
        const char* digits = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        do {
          body.insert(body.begin(), digits[mag % base]);
          mag /= base;
        } while (mag);
        if (alt) sign += prefix;
      }
      if (!align) align = '>';
    } else {
      return false;
    }
    size_t len = sign.size() + body.size();
    std::string pad = len < width ? std::string(width - len, fill) : "";
    if (align == '<') *out = sign + body + pad;
    else if (align == '>') *out = pad + sign + body;
    else if (align == '=') *out = sign + pad + body;
    else *out = pad.substr(0, pad.size() / 2) + sign + body + pad.substr(pad.size() / 2);
    return true;
  }

  // printf-style `fmt % args`.
  bool PercentFormat(const std::string& fmt, const Value& args, std::string* out) {
    std::vector<const Value*> list;
    if (args.kind == Value::kList) {
      for (const Value& v : args.items) list.push_back(&v);
    } else {
      list.push_back(&args);
    }
    size_t next = 0;
    out->clear();
    for (size_t i = 0; i < fmt.size(); ++i) {
      if (fmt[i] != '%') {
        out->push_back(fmt[i]);
        continue;
      }
      if (++i >= fmt.size()) return false;
      if (fmt[i] == '%') {
        out->push_back('%');
        continue;
      }
      std::string spec;
      char align = 0;
      while (i < fmt.size() && std::string_view("-0+ #").find(fmt[i]) != std::string_view::npos) {
        if (fmt[i] == '-') align = '<';
        else if (fmt[i] == '0' && !align) spec = "0";
        else if (fmt[i] == '#') spec = "#" + spec;
        ++i;
      }
      std::string width;
      while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9' && width.size() < 5) width += fmt[i++];
      if (i < fmt.size() && fmt[i] == '.') {
        width += fmt[i++];
        while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9' && width.size() < 10) width += fmt[i++];
      }
      if (i >= fmt.size() || next >= list.size()) return false;
      char type = fmt[i];
      const Value& v = *list[next++];
      std::string full = (align ? std::string(1, align) : "") + spec + width;
      std::string piece;
      if (type == 's') {
        std::string s;
        if (!StrOf(v, &s)) return false;
        if (!FormatSpec(Value::Str(s), full, &piece)) return false;
      } else if (type == 'd' || type == 'i' || type == 'u') {
        if (v.kind != Value::kInt || !FormatSpec(v, full + "d", &piece)) return false;
      } else if (type == 'x' || type == 'X' || type == 'o') {
        if (v.kind != Value::kInt || !FormatSpec(v, full + type, &piece)) return false;
      } else if (type == 'c') {
        if (v.kind == Value::kStr) piece = v.data;
        else if (v.kind != Value::kInt || !FormatSpec(v, full + "c", &piece)) return false;
      } else {
        return false;
      }
      out->append(piece);
      if (!Room(out->size())) return false;
    }
    return next == list.size();
  }

  // str.format with folded arguments.
  bool StrFormat(const std::string& fmt, const std::vector<Value>& args,
                 const std::vector<std::pair<std::string, Value>>& kwargs, std::string* out) {
    out->clear();
    size_t auto_idx = 0;
    for (size_t i = 0; i < fmt.size(); ++i) {
      char c = fmt[i];
      if (c == '}') {
        if (i + 1 < fmt.size() && fmt[i + 1] == '}') ++i;
        out->push_back('}');
        continue;
      }
      if (c != '{') {
        out->push_back(c);
        continue;
      }
      if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
        out->push_back('{');
        ++i;
        continue;
      }
      size_t close = fmt.find('}', i);
      if (close == std::string::npos) return false;
      std::string_view field(fmt.data() + i + 1, close - i - 1);
      if (field.find('{') != std::string_view::npos) return false;
      std::string_view spec, conv;
      size_t colon = field.find(':');
      if (colon != std::string_view::npos) spec = field.substr(colon + 1), field = field.substr(0, colon);
      size_t bang = field.find('!');
      if (bang != std::string_view::npos) conv = field.substr(bang + 1), field = field.substr(0, bang);
      if (!conv.empty() && conv != "s") return false;
      const Value* v = nullptr;
      if (field.empty()) {
        if (auto_idx >= args.size()) return false;
        v = &args[auto_idx++];
      } else if (field[0] >= '0' && field[0] <= '9') {
        size_t k = 0;
        for (char d : field) {
          if (d < '0' || d > '9' || k > 1000) return false;
          k = k * 10 + (d - '0');
        }
        if (k >= args.size()) return false;
        v = &args[k];
      } else {
        for (const auto& kv : kwargs)
          if (kv.first == field) v = &kv.second;
        if (!v) return false;
      }
      std::string piece;
      if (!FormatSpec(*v, spec, &piece)) return false;
      out->append(piece);
      if (!Room(out->size())) return false;
      i = close;
    }
    return true;
  }

  bool IntOp(python::BinOp op, int64_t a, int64_t b, int64_t* r) {
    using python::BinOp;
    switch (op) {
      case BinOp::kAdd: return !__builtin_add_overflow(a, b, r);
      case BinOp::kSub: return !__builtin_sub_overflow(a, b, r);
      case BinOp::kMult: return !__builtin_mul_overflow(a, b, r);
      case BinOp::kFloorDiv:
        if (b == 0 || (a == INT64_MIN && b == -1)) return false;
        *r = FloorDiv(a, b);
        return true;
      case BinOp::kMod:
        if (b == 0 || (a == INT64_MIN && b == -1)) return false;
        *r = FloorMod(a, b);
        return true;
      case BinOp::kBitXor: *r = a ^ b; return true;
      case BinOp::kBitAnd: *r = a & b; return true;
      case BinOp::kBitOr: *r = a | b; return true;
      case BinOp::kLShift:
        // a * 2**b, negative `a` too (Python's -3 << 1 is -6).
        if (b < 0 || b > 62) return false;
        return !__builtin_mul_overflow(a, int64_t{1} << b, r);
      case BinOp::kRShift:
        if (b < 0) return false;
        *r = b > 63 ? (a < 0 ? -1 : 0) : a >> b;
        return true;
      case BinOp::kPow: {
        if (b < 0) return false;
        int64_t acc = 1;
        for (int64_t k = 0; k < b; ++k) {
          if (__builtin_mul_overflow(acc, a, &acc)) return false;
          if (acc == 0 || acc == 1) break;
          if (acc == -1) { acc = (b - k - 1) % 2 ? -acc : acc; break; }
        }
        *r = acc;
        return true;
      }
      default:
        return false;
    }
  }

  bool Repeat(Value v, int64_t times, Value* out) {
    if (times < 0) times = 0;
    size_t unit = v.kind == Value::kList ? v.items.size() * sizeof(Value) : v.data.size();
    if (unit && (!Capped(static_cast<uint64_t>(times) <= kMaxValue / unit) || !Room(unit * times)))
      return false;
    // Repetition builds padding and tables ('=' * 70, [0] * 65536), not
    // payloads: kept small so it costs nothing.
    if (v.kind == Value::kList ? v.items.size() * times > 4096 : unit * times > (1u << 20))
      return false;
    Value r;
    r.kind = v.kind;
    r.chain = v.chain;
    if (v.kind == Value::kList) {
      if (v.items.size() * times > kMaxItems) return false;
      for (int64_t k = 0; k < times; ++k) r.items.insert(r.items.end(), v.items.begin(), v.items.end());
    } else {
      r.data.reserve(unit * times);
      for (int64_t k = 0; k < times; ++k) r.data += v.data;
    }
    *out = std::move(r);
    return Charge(*out);
  }

  bool BinaryOp(python::BinOp op, Value l, Value r, Value* out) {
    using python::BinOp;
    if (l.kind == Value::kInt && r.kind == Value::kInt) {
      int64_t x;
      if (!IntOp(op, l.i, r.i, &x)) return false;
      *out = Value::Int(x);
      MergeChain(l, out);
      MergeChain(r, out);
      return true;
    }
    if (op == BinOp::kAdd && l.kind == r.kind) {
      if (l.kind == Value::kList) {
        if (l.items.size() + r.items.size() > kMaxItems) return false;
        for (Value& v : r.items) l.items.push_back(std::move(v));
      } else {
        if (!Capped(l.data.size() + r.data.size() <= kMaxValue)) return false;
        l.data += r.data;
      }
      MergeChain(r, &l);
      *out = std::move(l);
      spent += ValueSize(r);  // the left operand was charged when it was made
      return spent <= kBudget;
    }
    if (op == BinOp::kMult) {
      if (r.kind == Value::kInt && l.kind != Value::kInt) return Repeat(std::move(l), r.i, out);
      if (l.kind == Value::kInt && r.kind != Value::kInt) return Repeat(std::move(r), l.i, out);
      return false;
    }
    if (op == BinOp::kMod && l.kind == Value::kStr) {
      std::string s;
      if (!PercentFormat(l.data, r, &s)) return false;
      Value v = Value::Str(std::move(s));
      MergeChain(l, &v);
      MergeChain(r, &v);
      *out = std::move(v);
      return Charge(*out);
    }
    return false;
  }

  // A left-deep chain of binary operators, iteratively.
  bool FoldBinOp(uint32_t n, int depth, Value* out) {
    std::vector<uint32_t> spine;
    uint32_t cur = n;
    while (Valid(cur) && N(cur).kind == NodeKind::kBinOp && spine.size() < 10000000) {
      spine.push_back(cur);
      cur = N(cur).a;
    }
    Value acc;
    if (!Fold(cur, depth + 1, &acc)) return false;
    for (size_t i = spine.size(); i-- > 0;) {
      if (++steps > max_steps) return false;
      Value r;
      if (!Fold(N(spine[i]).b, depth + 1, &r)) return false;
      if (!BinaryOp(static_cast<python::BinOp>(N(spine[i]).op), std::move(acc), std::move(r), &acc))
        return false;
    }
    *out = std::move(acc);
    return true;
  }

  bool Truthy(const Value& v) {
    switch (v.kind) {
      case Value::kInt: return v.i != 0;
      case Value::kList: return !v.items.empty();
      default: return !v.data.empty();
    }
  }

  bool FoldSubscript(const Node& node, int depth, Value* out) {
    Value base;
    if (!Fold(node.a, depth + 1, &base)) return false;
    bool ascii = base.kind != Value::kStr || IsAscii(base.data);
    std::u32string cps;
    int64_t n;
    if (base.kind == Value::kList) n = static_cast<int64_t>(base.items.size());
    else if (ascii) n = static_cast<int64_t>(base.data.size());
    else {
      ToCodePoints(base.data, &cps, false);
      n = static_cast<int64_t>(cps.size());
    }
    uint32_t s = node.b;
    if (!Valid(s)) return false;
    if (N(s).kind == NodeKind::kSlice) {
      std::optional<int64_t> parts[3];
      uint32_t ps[3] = {N(s).a, N(s).b, N(s).c};
      for (int k = 0; k < 3; ++k) {
        if (!ps[k]) continue;
        if (Valid(ps[k]) && N(ps[k]).kind == NodeKind::kConstant &&
            static_cast<ConstKind>(N(ps[k]).flags) == ConstKind::kNone)
          continue;
        Value v;
        if (!Fold(ps[k], depth + 1, &v) || v.kind != Value::kInt) return false;
        parts[k] = v.i;
      }
      int64_t start, stop, step;
      if (!AdjustSlice(n, parts[0], parts[1], parts[2], &start, &stop, &step)) return false;
      Value r;
      r.kind = base.kind;
      r.chain = base.chain;
      std::u32string sub;
      for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (base.kind == Value::kList) r.items.push_back(base.items[i]);
        else if (ascii) r.data.push_back(base.data[i]);
        else sub.push_back(cps[i]);
      }
      if (!ascii) r.data = FromCodePoints(sub);
      *out = std::move(r);
      return Charge(*out);
    }
    Value idx;
    if (!Fold(s, depth + 1, &idx) || idx.kind != Value::kInt) return false;
    int64_t i = idx.i < 0 ? idx.i + n : idx.i;
    if (i < 0 || i >= n) return false;
    if (base.kind == Value::kList) *out = base.items[i];
    else if (base.kind == Value::kBytes) *out = Value::Int(static_cast<unsigned char>(base.data[i]));
    else if (ascii) *out = Value::Str(std::string(1, base.data[i]));
    else {
      Value v;
      AppendUtf8(cps[i], &v.data);
      *out = std::move(v);
    }
    MergeChain(base, out);
    return Charge(*out);
  }

  bool FoldJoinedStr(uint32_t n, int depth, Value* out) {
    std::vector<python::FStringPart> parts;
    std::string err;
    if (!python::JoinedStrParts(ast, n, &parts, &err)) return false;
    Value r = Value::Str("");
    for (const python::FStringPart& p : parts) {
      if (!p.is_field) {
        r.data += p.text;
      } else {
        if (!Valid(p.node)) return false;
        const Node& fv = N(p.node);
        if (fv.flags & python::kFlagDebug) return false;
        if (fv.op && fv.op != 's') return false;
        Value v;
        if (!Fold(fv.a, depth + 1, &v)) return false;
        std::string spec, piece;
        if (fv.b) {
          Value sv;
          if (!FoldJoinedStr(fv.b, depth + 1, &sv)) return false;
          spec = sv.data;
        }
        if (!FormatSpec(v, spec, &piece)) return false;
        r.data += piece;
        MergeChain(v, &r);
      }
      if (!Room(r.data.size())) return false;
    }
    *out = std::move(r);
    return Charge(*out);
  }

  // Comprehension `node` (ListComp/GeneratorExp), generators from index k.
  bool CompLoop(const Node& node, size_t k, int depth, std::vector<Value>* acc) {
    auto comps = ast.list(node);
    if (k == comps.size()) {
      Value v;
      if (!Fold(node.a, depth + 1, &v)) return false;
      if (acc->size() >= kMaxItems) return false;
      acc->push_back(std::move(v));
      spent += sizeof(Value);
      return spent <= kBudget;
    }
    if (!Valid(comps[k])) return false;
    const Node& c = N(comps[k]);
    if (c.flags & python::kFlagAsync) return false;
    Value iter;
    std::vector<Value> items;
    if (!Fold(c.b, depth + 1, &iter) || !Items(iter, &items)) return false;
    // Targets: a name, or a tuple of names over tuples.
    std::vector<std::string_view> names;
    if (!Valid(c.a)) return false;
    if (N(c.a).kind == NodeKind::kName) {
      names.push_back(NameOf(N(c.a).tok));
    } else if (N(c.a).kind == NodeKind::kTuple) {
      for (uint32_t t : ast.list(N(c.a))) {
        if (!Valid(t) || N(t).kind != NodeKind::kName) return false;
        names.push_back(NameOf(N(t).tok));
      }
    } else {
      return false;
    }
    size_t mark = env.size();
    for (const Value& it : items) {
      if (++steps > max_steps) return false;
      env.resize(mark);
      if (N(c.a).kind == NodeKind::kName) {
        env.push_back({names[0], &it});
      } else {
        if (it.kind != Value::kList || it.items.size() != names.size()) return false;
        for (size_t j = 0; j < names.size(); ++j) env.push_back({names[j], &it.items[j]});
      }
      bool keep = true;
      for (uint32_t cond : ast.list(c)) {
        Value t;
        if (!Fold(cond, depth + 1, &t)) {
          env.resize(mark);
          return false;
        }
        if (!Truthy(t)) {
          keep = false;
          break;
        }
      }
      if (keep && !CompLoop(node, k + 1, depth + 1, acc)) {
        env.resize(mark);
        return false;
      }
    }
    env.resize(mark);
    return true;
  }

  // The expression a def returns when its body is one `return expr` (after
  // an optional docstring), else 0.
  uint32_t SingleReturn(const Node& def) const {
    auto body = ast.list(def);
    size_t i = 0;
    if (body.size() == 2 && Valid(body[0]) && N(body[0]).kind == NodeKind::kExpr &&
        Valid(N(body[0]).a) && N(N(body[0]).a).kind == NodeKind::kConstant)
      i = 1;
    if (body.size() != i + 1 || !Valid(body[i]) || N(body[i]).kind != NodeKind::kReturn) return 0;
    return N(body[i]).a;
  }

  // True when def `n` is a helper Apply can evaluate: one `return`, or a
  // small body (kMaxHelperStmts statements at most, counted through nested
  // blocks) of the statements RunBlock knows.
  bool FoldableDef(uint32_t n) {
    if (!Valid(n) || N(n).kind != NodeKind::kFunctionDef) return false;
    if (SingleReturn(N(n))) return true;
    size_t count = 0;
    std::vector<uint32_t> st(ast.list(N(n)).begin(), ast.list(N(n)).end());
    while (!st.empty()) {
      uint32_t k = st.back();
      st.pop_back();
      if (!Valid(k) || ++count > kMaxHelperStmts) return false;
      const Node& b = N(k);
      switch (b.kind) {
        case NodeKind::kIf:
        case NodeKind::kFor:
        case NodeKind::kWhile:
          for (uint32_t c : ast.list(b)) st.push_back(c);
          if (Valid(b.c))
            for (uint32_t c : ast.list(N(b.c))) st.push_back(c);
          break;
        case NodeKind::kTry:
          for (uint32_t c : ast.list(b)) st.push_back(c);
          break;
        case NodeKind::kExpr: case NodeKind::kAssign: case NodeKind::kAnnAssign:
        case NodeKind::kAugAssign: case NodeKind::kReturn: case NodeKind::kPass:
        case NodeKind::kBreak: case NodeKind::kContinue: case NodeKind::kImport:
        case NodeKind::kImportFrom:
          break;
        default:
          return false;
      }
    }
    return true;
  }

  // The def of method `attr` when `n` (a Name) is the first parameter of the
  // method whose body holds it: `self.attr` -> the class's `def attr`, 0 when
  // not (or when that def is a staticmethod).
  uint32_t SelfMethod(uint32_t name_node, std::string_view attr) {
    std::string_view self = NameOf(N(name_node).tok);
    uint32_t s = scope_of[name_node];
    for (int hops = 0; s != kNone && s < scopes.size() && hops < 64; ++hops) {
      if (scopes[s].def_node) break;
      s = scopes[s].parent;  // lambdas and comprehensions inside the method
    }
    if (s == kNone || s >= scopes.size() || !scopes[s].def_node ||
        scopes[s].class_scope == kNone)
      return 0;
    const Node& def = N(scopes[s].def_node);
    if (!Valid(def.a) || ast.list(N(def.a)).empty()) return 0;
    uint32_t first = ast.list(N(def.a))[0];
    if (!Valid(first) || NameOf(N(first).tok) != self) return 0;
    uint32_t e = Lookup(attr, scopes[s].class_scope, kInf);
    if (e == kNone || events[e].kind != EvKind::kDef || !Valid(events[e].node) ||
        N(events[e].node).kind != NodeKind::kFunctionDef)
      return 0;
    const Node& m = N(events[e].node);
    if (Valid(m.c))
      for (uint32_t d : ast.list(N(m.c)))
        if (Valid(d) && N(d).kind == NodeKind::kName && NameOf(N(d).tok) == "staticmethod")
          return 0;
    return events[e].node;
  }

  // The lambda, or helper def (FoldableDef), that expression `n` names
  // (through simple assignments, or `self.m` inside a method), or 0.
  // *bound is set when the def is a method whose first parameter the call
  // does not pass.
  uint32_t CallableNode(uint32_t n, bool* bound = nullptr) {
    if (bound) *bound = false;
    if (Valid(n) && N(n).kind == NodeKind::kAttribute && Valid(N(n).a) &&
        N(N(n).a).kind == NodeKind::kName && !EnvHas(NameOf(N(N(n).a).tok))) {
      uint32_t m = SelfMethod(N(n).a, NameOf(N(n).tok));
      if (!m || !FoldableDef(m)) return 0;
      if (bound) *bound = true;
      return bound ? m : 0;
    }
    for (int hops = 0; Valid(n) && hops < 8; ++hops) {
      const Node& node = N(n);
      if (node.kind == NodeKind::kLambda) return n;
      if (node.kind != NodeKind::kName || EnvHas(NameOf(node.tok))) return 0;
      uint32_t e = Lookup(NameOf(node.tok), scope_of[n], time[n]);
      if (e == kNone) return 0;
      const Event& ev = events[e];
      if (ev.kind == EvKind::kDef && FoldableDef(ev.node)) return ev.node;
      if (ev.kind != EvKind::kValue) return 0;
      n = ev.node;
    }
    return 0;
  }

  // Applies a callable expression (chr, ord, str, int, a lambda, a
  // single-return def) to folded positional arguments.
  bool Apply(uint32_t fn, std::span<const Value> args, int depth, Value* out,
             bool bound = false) {
    if (!Valid(fn)) return false;
    if (N(fn).kind == NodeKind::kLambda || N(fn).kind == NodeKind::kFunctionDef) {
      const Node& lam = N(fn);
      uint32_t body = lam.kind == NodeKind::kLambda ? lam.b : SingleReturn(lam);
      std::vector<std::string_view> params;
      if (Valid(lam.a))
        for (uint32_t a : ast.list(N(lam.a))) {
          if (!Valid(a)) return false;
          auto kind = static_cast<python::ArgKind>(N(a).op);
          if (N(a).b || (kind != python::ArgKind::kNormal && kind != python::ArgKind::kPosOnly))
            return false;  // defaults, *args, **kwargs: keep it simple
          params.push_back(NameOf(N(a).tok));
        }
      if (bound) {
        if (params.empty()) return false;
        params.erase(params.begin());  // self: never read as a value
      }
      if (params.size() != args.size()) return false;
      if (!body) return lam.kind == NodeKind::kFunctionDef && RunHelper(lam, params, args, depth, out);
      size_t mark = env.size();
      for (size_t i = 0; i < params.size(); ++i) env.push_back({params[i], &args[i]});
      bool ok = Fold(body, depth + 1, out);
      env.resize(mark);
      return ok;
    }
    std::string q = QualifyAt(fn, 0);
    if (q != "builtins.chr" && q != "builtins.ord" && q != "builtins.str" && q != "builtins.int")
      return false;
    return NativeCall(q, args, {}, out);
  }

  // A helper call being evaluated statement by statement: its locals (a
  // name binds once in env, later assignments overwrite the slot).
  struct Frame {
    std::deque<Value> slots;
    std::vector<std::pair<std::string_view, Value*>> names;
    size_t run = 0;
    bool looped = false;  // a for/while body ran
  };
  // kStop: RunStmt reached stop_call (FoldArgWhereItStands).
  enum class Flow { kNext, kReturn, kBreak, kContinue, kFail, kStop };
  uint32_t stop_call = 0;
  std::optional<Value> stop_value;

  bool Bind(Frame* f, std::string_view name, Value v) {
    for (auto& [n, slot] : f->names)
      if (n == name) {
        *slot = std::move(v);
        return true;
      }
    f->slots.push_back(std::move(v));
    f->names.push_back({name, &f->slots.back()});
    env.push_back({name, &f->slots.back()});
    return true;
  }

  bool BindTargets(Frame* f, uint32_t t, Value v) {
    if (!Valid(t)) return false;
    if (N(t).kind == NodeKind::kName) return Bind(f, NameOf(N(t).tok), std::move(v));
    if (N(t).kind != NodeKind::kTuple && N(t).kind != NodeKind::kList) return false;
    auto ts = ast.list(N(t));
    std::vector<Value> items;
    if (!Items(v, &items) || items.size() != ts.size()) return false;
    for (size_t i = 0; i < ts.size(); ++i)
      if (!BindTargets(f, ts[i], std::move(items[i]))) return false;
    return true;
  }

  // Runs a def whose body is more than one `return` (FoldableDef) on folded
  // arguments: assignments, augmented assignments, `x.append(v)` on a local
  // list, if/for/while over folded values, try bodies, imports; anything
  // else (or a budget spent) fails the fold.
  bool RunHelper(const Node& def, std::span<const std::string_view> params,
                 std::span<const Value> args, int depth, Value* out) {
    if (depth > kMaxFoldDepth || helper_run > kMaxHelperRunTotal) return false;
    size_t mark = env.size();
    Frame f;
    bool ok = true;
    for (size_t i = 0; i < params.size() && ok; ++i) ok = Bind(&f, params[i], args[i]);
    Flow flow = ok ? RunBlock(ast.list(def), &f, depth + 1, out) : Flow::kFail;
    env.resize(mark);
    return flow == Flow::kReturn;
  }

  Flow RunBlock(std::span<const uint32_t> body, Frame* f, int depth, Value* out) {
    for (uint32_t k : body) {
      Flow fl = RunStmt(k, f, depth, out);
      if (fl != Flow::kNext) return fl;
    }
    return Flow::kNext;
  }

  std::span<const uint32_t> SeqOf(uint32_t n) {
    if (!Valid(n)) return {};
    return ast.list(N(n));
  }

  Flow RunStmt(uint32_t k, Frame* f, int depth, Value* out) {
    if (!Valid(k) || ++f->run > kMaxHelperRun || ++helper_run > kMaxHelperRunTotal ||
        ++steps > max_steps || spent > kBudget)
      return Flow::kFail;
    const Node& st = N(k);
    switch (st.kind) {
      case NodeKind::kPass:
      case NodeKind::kImport:
      case NodeKind::kImportFrom:
        return Flow::kNext;
      case NodeKind::kBreak:
        return Flow::kBreak;
      case NodeKind::kContinue:
        return Flow::kContinue;
      case NodeKind::kReturn:
        return Valid(st.a) && Fold(st.a, depth + 1, out) ? Flow::kReturn : Flow::kFail;
      case NodeKind::kExpr: {
        if (!Valid(st.a)) return Flow::kFail;
        if (stop_call && st.a == stop_call) {
          auto args = ast.list(N(stop_call));
          Value v;
          if (!args.empty() && Valid(args[0]) && N(args[0]).kind != NodeKind::kKeyword &&
              N(args[0]).kind != NodeKind::kStarred && Fold(args[0], depth + 1, &v)) {
            // Text a loop computed (s += chr(ord(c) ^ k)): a decode step.
            if (f->looped && std::find(v.chain.begin(), v.chain.end(), "loop") == v.chain.end())
              v.chain.push_back("loop");
            stop_value = std::move(v);
          }
          return Flow::kStop;
        }
        const Node& e = N(st.a);
        if (e.kind == NodeKind::kConstant) return Flow::kNext;  // docstring
        // local.append(v) on a local list
        if (e.kind == NodeKind::kCall && Valid(e.a) && N(e.a).kind == NodeKind::kAttribute &&
            NameOf(N(e.a).tok) == "append" && Valid(N(e.a).a) &&
            N(N(e.a).a).kind == NodeKind::kName && ast.list(e).size() == 1) {
          std::string_view name = NameOf(N(N(e.a).a).tok);
          for (auto& [n, slot] : f->names)
            if (n == name && slot->kind == Value::kList) {
              Value v;
              if (!Fold(ast.list(e)[0], depth + 1, &v)) return Flow::kFail;
              if (slot->items.size() >= kMaxItems || !Charge(v)) return Flow::kFail;
              slot->items.push_back(std::move(v));
              return Flow::kNext;
            }
        }
        // Running a def up to its exec: a pause or a print changes no
        // local, the statements after it still compute what they would
        // (`sleep(3)` before a decode loop). A helper whose value is folded
        // stays pure (prints are not folded away there).
        if (stop_call && e.kind == NodeKind::kCall && Valid(e.a)) {
          std::string q = QualifyAt(e.a, 0);
          if (q == "time.sleep" || q == "builtins.print") return Flow::kNext;
        }
        return Flow::kFail;
      }
      case NodeKind::kAssign: {
        auto targets = ast.list(st);
        if (targets.size() != 1 || !Valid(st.a)) return Flow::kFail;
        if (N(st.a).kind == NodeKind::kLambda && Valid(targets[0]) &&
            N(targets[0]).kind == NodeKind::kName) {
          // Called through the model's own bindings (CallableNode).
          for (auto& [n, slot] : f->names)
            if (n == NameOf(N(targets[0]).tok)) return Flow::kFail;
          return Flow::kNext;
        }
        Value v;
        if (!Fold(st.a, depth + 1, &v)) return Flow::kFail;
        return BindTargets(f, targets[0], std::move(v)) ? Flow::kNext : Flow::kFail;
      }
      case NodeKind::kAnnAssign: {
        Value v;
        if (!Valid(st.c) || !Fold(st.c, depth + 1, &v)) return Flow::kFail;
        return BindTargets(f, st.a, std::move(v)) ? Flow::kNext : Flow::kFail;
      }
      case NodeKind::kAugAssign: {
        if (!Valid(st.a) || N(st.a).kind != NodeKind::kName) return Flow::kFail;
        std::string_view name = NameOf(N(st.a).tok);
        for (auto& [n, slot] : f->names)
          if (n == name) {
            Value r;
            if (!Fold(st.b, depth + 1, &r)) return Flow::kFail;
            Value res;
            if (!BinaryOp(static_cast<python::BinOp>(st.op), *slot, std::move(r), &res) ||
                !Charge(res))
              return Flow::kFail;
            *slot = std::move(res);
            return Flow::kNext;
          }
        return Flow::kFail;
      }
      case NodeKind::kIf: {
        Value t;
        if (!Fold(st.a, depth + 1, &t)) return Flow::kFail;
        return Truthy(t) ? RunBlock(ast.list(st), f, depth, out)
                         : RunBlock(SeqOf(st.c), f, depth, out);
      }
      case NodeKind::kWhile: {
        for (;;) {
          Value t;
          if (!Fold(st.a, depth + 1, &t)) return Flow::kFail;
          if (!Truthy(t)) return RunBlock(SeqOf(st.c), f, depth, out);
          f->looped = true;
          Flow fl = RunBlock(ast.list(st), f, depth, out);
          if (fl == Flow::kBreak) return Flow::kNext;
          if (fl != Flow::kNext && fl != Flow::kContinue) return fl;
          if (++f->run > kMaxHelperRun) return Flow::kFail;
        }
      }
      case NodeKind::kFor: {
        Value iter;
        std::vector<Value> items;
        if (!Fold(st.b, depth + 1, &iter) || !Items(iter, &items)) return Flow::kFail;
        for (Value& it : items) {
          if (!BindTargets(f, st.a, std::move(it))) return Flow::kFail;
          f->looped = true;
          Flow fl = RunBlock(ast.list(st), f, depth, out);
          if (fl == Flow::kBreak) return Flow::kNext;
          if (fl != Flow::kNext && fl != Flow::kContinue) return fl;
          if (++f->run > kMaxHelperRun) return Flow::kFail;
        }
        return RunBlock(SeqOf(st.c), f, depth, out);
      }
      case NodeKind::kTry:
        return RunBlock(ast.list(st), f, depth, out);
      default:
        return Flow::kFail;
    }
  }

  // Builtins and module functions evaluated here. False when `q` is not one
  // of them or the arguments do not fit (*handled tells which).
  bool NativeCall(const std::string& q, std::span<const Value> a,
                  std::span<const std::pair<std::string, Value>> kw, Value* out,
                  bool* handled = nullptr) {
    bool dummy;
    if (!handled) handled = &dummy;
    *handled = true;
    Value r;
    if (q == "builtins.chr" || q == "builtins.unichr") {
      if (a.size() != 1 || a[0].kind != Value::kInt || a[0].i < 0 || a[0].i > 0x10FFFF) return false;
      r = Value::Str("");
      AppendUtf8(static_cast<char32_t>(a[0].i), &r.data);
    } else if (q == "builtins.ord") {
      if (a.size() != 1) return false;
      if (a[0].kind == Value::kBytes && a[0].data.size() == 1) {
        r = Value::Int(static_cast<unsigned char>(a[0].data[0]));
      } else if (a[0].kind == Value::kStr) {
        std::u32string cps;
        ToCodePoints(a[0].data, &cps, false);
        if (cps.size() != 1) return false;
        r = Value::Int(cps[0]);
      } else {
        return false;
      }
    } else if (q == "builtins.str") {
      if (a.empty()) r = Value::Str("");
      else if (a.size() == 1 && (a[0].kind == Value::kStr || a[0].kind == Value::kInt)) {
        std::string s;
        StrOf(a[0], &s);
        r = Value::Str(std::move(s));
      } else if (a.size() >= 2 && a[0].kind == Value::kBytes && a[1].kind == Value::kStr) {
        if (!Decode(a[0], a[1].data, a.size() > 2 ? a[2].data : "strict", &r)) return false;
      } else {
        return false;
      }
    } else if (q == "builtins.int") {
      if (a.size() == 1 && a[0].kind == Value::kInt) r = a[0];
      else if (!a.empty() && a[0].kind == Value::kStr) {
        int64_t base = a.size() > 1 && a[1].kind == Value::kInt ? a[1].i : 10;
        std::string s(Trim(a[0].data));
        bool neg = !s.empty() && s[0] == '-';
        if (neg || (!s.empty() && s[0] == '+')) s.erase(0, 1);
        if (base == 16 && s.size() > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') s.erase(0, 2);
        if (base < 2 || base > 36 || s.empty() || s.size() > 64) return false;
        int64_t v = 0;
        for (char c : s) {
          int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
          if (c == '_') continue;
          if (d >= base || __builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
            return false;
        }
        r = Value::Int(neg ? -v : v);
      } else {
        return false;
      }
    } else if (q == "builtins.bytes" || q == "builtins.bytearray") {
      r = Value::Bytes("");
      if (a.empty()) {
      } else if (a[0].kind == Value::kList) {
        for (const Value& v : a[0].items) {
          if (v.kind != Value::kInt || v.i < 0 || v.i > 255) return false;
          r.data.push_back(static_cast<char>(v.i));
        }
      } else if (a[0].kind == Value::kBytes) {
        r.data = a[0].data;
      } else if (a[0].kind == Value::kStr) {
        std::string enc = a.size() > 1 && a[1].kind == Value::kStr ? a[1].data : "";
        for (const auto& kv : kw)
          if (kv.first == "encoding" && kv.second.kind == Value::kStr) enc = kv.second.data;
        if (enc.empty() || !Encode(a[0], enc, &r)) return false;
      } else if (a[0].kind == Value::kInt) {
        if (a[0].i < 0 || !Room(a[0].i)) return false;
        r.data.assign(a[0].i, '\0');
      } else {
        return false;
      }
    } else if (q == "builtins.bytes.fromhex" || q == "builtins.bytearray.fromhex") {
      if (a.size() != 1 || a[0].kind != Value::kStr) return false;
      r = Value::Bytes("");
      int hi = -1;
      for (char c : a[0].data) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
          if (hi >= 0) return false;
          continue;
        }
        int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (d < 0) return false;
        if (hi < 0) hi = d;
        else r.data.push_back(static_cast<char>(hi * 16 + d)), hi = -1;
      }
      if (hi >= 0) return false;
    } else if (q == "builtins.list" || q == "builtins.tuple" || q == "builtins.reversed") {
      r.kind = Value::kList;
      if (a.size() == 1) {
        if (!Items(a[0], &r.items)) return false;
      } else if (!a.empty()) {
        return false;
      }
      if (q == "builtins.reversed") std::reverse(r.items.begin(), r.items.end());
    } else if (q == "builtins.len") {
      if (a.size() != 1) return false;
      if (a[0].kind == Value::kList) r = Value::Int(static_cast<int64_t>(a[0].items.size()));
      else if (a[0].kind == Value::kBytes) r = Value::Int(static_cast<int64_t>(a[0].data.size()));
      else if (a[0].kind == Value::kStr) {
        std::u32string cps;
        ToCodePoints(a[0].data, &cps, false);
        r = Value::Int(static_cast<int64_t>(cps.size()));
      } else {
        return false;
      }
    } else if (q == "builtins.range") {
      int64_t lo = 0, hi = 0, st = 1;
      for (const Value& v : a)
        if (v.kind != Value::kInt) return false;
      if (a.size() == 1) hi = a[0].i;
      else if (a.size() == 2 || a.size() == 3) lo = a[0].i, hi = a[1].i, st = a.size() == 3 ? a[2].i : 1;
      else return false;
      if (st == 0) return false;
      __int128 count = st > 0 ? (static_cast<__int128>(hi) - lo + st - 1) / st
                              : (static_cast<__int128>(lo) - hi - st - 1) / -st;
      if (count > static_cast<__int128>(kMaxItems) ||
          (count > 0 && !Room(static_cast<size_t>(count) * sizeof(Value))))
        return false;
      r.kind = Value::kList;
      for (int64_t i = lo; st > 0 ? i < hi : i > hi; i += st) {
        if (r.items.size() >= kMaxItems || !Room((r.items.size() + 1) * sizeof(Value))) return false;
        r.items.push_back(Value::Int(i));
        if ((st > 0 && i > INT64_MAX - st) || (st < 0 && i < INT64_MIN - st)) break;
      }
    } else if (q == "builtins.hex" || q == "builtins.oct" || q == "builtins.bin") {
      if (a.size() != 1 || a[0].kind != Value::kInt) return false;
      std::string s;
      if (!FormatSpec(a[0], q == "builtins.hex" ? "#x" : q == "builtins.oct" ? "#o" : "#b", &s))
        return false;
      r = Value::Str(s);
    } else if (q == "builtins.compile") {
      // The code object stands for its source: exec(compile(s, f, 'exec')) runs s.
      if (a.empty() || (a[0].kind != Value::kStr && a[0].kind != Value::kBytes)) return false;
      r = a[0];
    } else if (q == "codecs.decode" || q == "codecs.encode") {
      if (a.empty() || a.size() > 3) return false;
      std::string enc = a.size() > 1 && a[1].kind == Value::kStr ? NormEncoding(a[1].data) : "utf-8";
      if (enc == "rot13" || enc == "rot-13") {
        if (a[0].kind != Value::kStr) return false;
        r = Value::Str(Rot13(a[0].data));
        r.chain.push_back("rot13");
      } else if (q == "codecs.decode" && a[0].kind == Value::kBytes) {
        *handled = false;  // other codecs (hex, base64, zlib): the hook's
        if (!Decode(a[0], enc, a.size() > 2 ? a[2].data : "strict", &r)) return false;
        *handled = true;
      } else if (q == "codecs.encode" && a[0].kind == Value::kStr) {
        *handled = false;
        if (!Encode(a[0], enc, &r)) return false;
        *handled = true;
      } else {
        *handled = false;
        return false;
      }
    } else {
      *handled = false;
      return false;
    }
    for (const Value& v : a) MergeChain(v, &r);
    *out = std::move(r);
    return Charge(*out);
  }

  bool Encode(const Value& s, const std::string& encoding, Value* out) {
    std::string enc = NormEncoding(encoding);
    if (s.kind != Value::kStr) return false;
    *out = Value::Bytes("");
    out->chain = s.chain;
    if (enc == "utf-8" || enc == "utf8" || enc == "u8") {
      out->data = s.data;
      return true;
    }
    std::u32string cps;
    ToCodePoints(s.data, &cps, false);
    if (enc == "ascii" || enc == "us-ascii" || enc == "latin-1" || enc == "latin1" ||
        enc == "iso-8859-1" || enc == "iso8859-1" || enc == "l1" || enc == "cp819") {
      char32_t max = enc.find("ascii") != std::string::npos ? 0x7F : 0xFF;
      for (char32_t c : cps) {
        if (c > max) return false;
        out->data.push_back(static_cast<char>(c));
      }
      return true;
    }
    if (enc == "utf-16-le" || enc == "utf-16le" || enc == "utf-16") {
      if (enc == "utf-16") out->data = "\xff\xfe";
      for (char32_t c : cps) {
        auto put = [&](uint32_t u) {
          out->data.push_back(static_cast<char>(u & 0xFF));
          out->data.push_back(static_cast<char>(u >> 8));
        };
        if (c >= 0x10000) {
          put(0xD800 + ((c - 0x10000) >> 10));
          put(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
          put(c);
        }
      }
      return true;
    }
    return false;
  }

  bool Decode(const Value& b, const std::string& encoding, const std::string& errors, Value* out) {
    std::string enc = NormEncoding(encoding);
    if (b.kind != Value::kBytes) return false;
    *out = Value::Str("");
    out->chain = b.chain;
    if (enc == "utf-8" || enc == "utf8" || enc == "u8" || enc == "utf-8-sig") {
      std::u32string cps;
      std::string_view d = b.data;
      if (enc == "utf-8-sig" && d.starts_with("\xEF\xBB\xBF")) d.remove_prefix(3);
      if (ToCodePoints(d, nullptr, true)) {
        out->data = std::string(d);
        return true;
      }
      if (errors != "ignore" && errors != "replace") return false;
      ToCodePoints(d, &cps, false);
      for (char32_t c : cps)
        if (c != 0xFFFD || errors == "replace") AppendUtf8(c, &out->data);
      return true;
    }
    if (enc == "ascii" || enc == "us-ascii" || enc == "latin-1" || enc == "latin1" ||
        enc == "iso-8859-1" || enc == "iso8859-1" || enc == "l1" || enc == "cp819") {
      bool ascii = enc.find("ascii") != std::string::npos;
      for (unsigned char c : b.data) {
        if (ascii && c > 0x7F) {
          if (errors == "ignore") continue;
          if (errors != "replace") return false;
          AppendUtf8(0xFFFD, &out->data);
          continue;
        }
        AppendUtf8(c, &out->data);
      }
      return true;
    }
    if (enc == "utf-16-le" || enc == "utf-16le" || enc == "utf-16") {
      std::string_view d = b.data;
      if (enc == "utf-16" && d.starts_with("\xff\xfe")) d.remove_prefix(2);
      else if (enc == "utf-16" && d.starts_with("\xfe\xff")) return false;
      if (d.size() % 2) return false;
      for (size_t i = 0; i < d.size(); i += 2) {
        char32_t u = static_cast<unsigned char>(d[i]) | (static_cast<unsigned char>(d[i + 1]) << 8);
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < d.size()) {
          char32_t lo = static_cast<unsigned char>(d[i + 2]) | (static_cast<unsigned char>(d[i + 3]) << 8);
          if (lo >= 0xDC00 && lo < 0xE000) {
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
          }
        }
        AppendUtf8(u, &out->data);
      }
      return true;
    }
    return false;
  }

  static std::string Strip(std::string_view s, const std::string* chars, bool left, bool right) {
    auto strip_char = [&](char c) {
      return chars ? chars->find(c) != std::string::npos
                   : c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    size_t b = 0, e = s.size();
    if (left)
      while (b < e && strip_char(s[b])) ++b;
    if (right)
      while (e > b && strip_char(s[e - 1])) --e;
    return std::string(s.substr(b, e - b));
  }

  // Methods of folded str/bytes receivers. *handled false: not one of ours.
  bool Method(const Value& recv, std::string_view m, std::span<const Value> a,
              std::span<const std::pair<std::string, Value>> kw, Value* out, bool* handled) {
    *handled = true;
    bool is_str = recv.kind == Value::kStr;
    Value r;
    r.kind = recv.kind;
    if (m == "join") {
      if (a.size() != 1) return false;
      std::vector<Value> items;
      if (!Items(a[0], &items)) return false;
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].kind != recv.kind) return false;
        if (i) r.data += recv.data;
        r.data += items[i].data;
        MergeChain(items[i], &r);
        if (!Room(r.data.size())) return false;
      }
    } else if (m == "format" && is_str) {
      std::vector<Value> args(a.begin(), a.end());
      std::vector<std::pair<std::string, Value>> kws(kw.begin(), kw.end());
      if (!StrFormat(recv.data, args, kws, &r.data)) return false;
      for (const Value& v : a) MergeChain(v, &r);
    } else if (m == "replace") {
      if (a.size() < 2 || a.size() > 3 || a[0].kind != recv.kind || a[1].kind != recv.kind) return false;
      int64_t count = a.size() == 3 && a[2].kind == Value::kInt ? a[2].i : -1;
      const std::string& from = a[0].data;
      const std::string& to = a[1].data;
      if (from.empty()) return false;
      size_t pos = 0;
      while (count != 0) {
        size_t f = recv.data.find(from, pos);
        if (f == std::string::npos) break;
        r.data.append(recv.data, pos, f - pos);
        r.data += to;
        pos = f + from.size();
        --count;
        if (!Room(r.data.size())) return false;
      }
      r.data.append(recv.data, pos, std::string::npos);
    } else if (m == "strip" || m == "lstrip" || m == "rstrip") {
      if (a.size() > 1) return false;
      const std::string* chars = nullptr;
      if (a.size() == 1) {
        if (a[0].kind != recv.kind || (is_str && !IsAscii(a[0].data))) return false;
        chars = &a[0].data;
      }
      r.data = Strip(recv.data, chars, m != "rstrip", m != "lstrip");
    } else if (m == "upper" || m == "lower" || m == "swapcase") {
      if (!a.empty()) return false;
      r.data = recv.data;
      for (char& c : r.data) {
        bool lo = c >= 'a' && c <= 'z', up = c >= 'A' && c <= 'Z';
        if ((m == "upper" || m == "swapcase") && lo) c = static_cast<char>(c - 32);
        else if ((m == "lower" || m == "swapcase") && up) c = static_cast<char>(c + 32);
      }
    } else if (m == "encode" && is_str) {
      std::string enc = a.size() > 0 && a[0].kind == Value::kStr ? a[0].data : "utf-8";
      for (const auto& kv : kw)
        if (kv.first == "encoding" && kv.second.kind == Value::kStr) enc = kv.second.data;
      if (NormEncoding(enc) == "rot13" || NormEncoding(enc) == "rot-13") {  // Python 2
        r = Value::Str(Rot13(recv.data));
        r.chain.push_back("rot13");
      } else if (!Encode(recv, enc, &r)) {
        *handled = false;
        return false;
      }
    } else if (m == "decode" && !is_str) {
      std::string enc = a.size() > 0 && a[0].kind == Value::kStr ? a[0].data : "utf-8";
      std::string errors = a.size() > 1 && a[1].kind == Value::kStr ? a[1].data : "strict";
      for (const auto& kv : kw) {
        if (kv.first == "encoding" && kv.second.kind == Value::kStr) enc = kv.second.data;
        if (kv.first == "errors" && kv.second.kind == Value::kStr) errors = kv.second.data;
      }
      if (!Decode(recv, enc, errors, &r)) {
        *handled = false;  // base64, zlib, hex codecs: the hook's
        return false;
      }
    } else if ((m == "index" || m == "find") && a.size() == 1 && a[0].kind == recv.kind) {
      size_t f = recv.data.find(a[0].data);
      if (f == std::string::npos) {
        if (m == "index") return false;  // raises
        r = Value::Int(-1);
      } else {
        std::u32string cps;
        if (is_str) ToCodePoints(std::string_view(recv.data).substr(0, f), &cps, false);
        r = Value::Int(static_cast<int64_t>(is_str ? cps.size() : f));
      }
    } else if (m == "hex" && !is_str) {
      if (!a.empty()) return false;
      static const char kHex[] = "0123456789abcdef";
      r = Value::Str("");
      for (unsigned char c : recv.data) r.data += kHex[c >> 4], r.data += kHex[c & 15];
    } else if (m == "split" || m == "rsplit") {
      if (a.size() > 1 || (a.size() == 1 && a[0].kind != recv.kind) || (m == "rsplit" && !a.empty()))
        return false;
      r = Value();
      r.kind = Value::kList;
      auto piece = [&](std::string_view p) {
        Value v;
        v.kind = recv.kind;
        v.data = std::string(p);
        r.items.push_back(std::move(v));
      };
      std::string_view d = recv.data;
      if (a.empty()) {
        size_t i = 0;
        while (i < d.size()) {
          while (i < d.size() && std::isspace(static_cast<unsigned char>(d[i]))) ++i;
          size_t b = i;
          while (i < d.size() && !std::isspace(static_cast<unsigned char>(d[i]))) ++i;
          if (i > b) piece(d.substr(b, i - b));
          if (r.items.size() > kMaxItems) return false;
        }
      } else {
        const std::string& sep = a[0].data;
        if (sep.empty()) return false;
        size_t pos = 0;
        for (;;) {
          size_t f = d.find(sep, pos);
          piece(d.substr(pos, f == std::string_view::npos ? std::string_view::npos : f - pos));
          if (f == std::string_view::npos || r.items.size() > kMaxItems) break;
          pos = f + sep.size();
        }
      }
    } else {
      *handled = false;
      return false;
    }
    MergeChain(recv, &r);
    *out = std::move(r);
    return Charge(*out);
  }

  // Folds the arguments of call `node`; false if one is not constant.
  bool FoldArgs(const Node& call, int depth, std::vector<Value>* args,
                std::vector<std::pair<std::string, Value>>* kwargs) {
    args->reserve(args->size() + call.count);
    for (uint32_t a : ast.list(call)) {
      if (!Valid(a)) return false;
      const Node& an = N(a);
      if (an.kind == NodeKind::kStarred) return false;
      Value v;
      if (an.kind == NodeKind::kKeyword) {
        if (an.tok == python::kNoTok || !Fold(an.a, depth + 1, &v)) return false;
        kwargs->push_back({std::string(NameOf(an.tok)), std::move(v)});
      } else {
        if (!Fold(a, depth + 1, &v)) return false;
        args->push_back(std::move(v));
      }
    }
    return true;
  }

  // The constructor call a method receiver stands for: `Fernet(k)` in
  // Fernet(k).decrypt(t), or through a name bound to it (f = Fernet(k)).
  uint32_t ReceiverCall(uint32_t recv) {
    for (int hops = 0; Valid(recv) && hops < 8; ++hops) {
      const Node& r = N(recv);
      if (r.kind == NodeKind::kCall) return recv;
      if (r.kind != NodeKind::kName || EnvHas(NameOf(r.tok))) return 0;
      uint32_t e = Lookup(NameOf(r.tok), scope_of[recv], time[recv]);
      if (e == kNone || events[e].kind != EvKind::kValue) return 0;
      recv = events[e].node;
    }
    return 0;
  }

  bool FoldCall(uint32_t n, int depth, Value* out) {
    const Node& call = N(n);
    bool memo = env.empty();
    if (memo) {
      auto it = call_memo.find(n);
      if (it != call_memo.end()) {
        if (!it->second || !Room(it->second->size)) return false;
        *out = it->second->v;
        spent += it->second->size;
        return true;
      }
      call_memo[n] = std::nullopt;  // in progress
    }
    bool ok = FoldCallUncached(n, call, depth, out);
    if (memo) {
      if (ok) call_memo[n] = Memo{*out, ValueSize(*out)};
      else call_memo[n] = std::nullopt;
    }
    return ok;
  }

  bool FoldCallUncached(uint32_t n, const Node& call, int depth, Value* out) {
    std::string q = QualifyAt(call.a, 0);
    // map(f, iterable...)
    if (q == "builtins.map") {
      uint32_t fn = Arg(call, 0);
      std::vector<std::vector<Value>> lists;
      for (size_t i = 1; uint32_t an = Arg(call, i); ++i) {
        Value it;
        lists.emplace_back();
        if (!Fold(an, depth + 1, &it) || !Items(it, &lists.back())) return false;
      }
      if (lists.empty() || !fn) return false;
      size_t len = lists[0].size();
      for (const auto& l : lists) len = std::min(len, l.size());
      Value r;
      r.kind = Value::kList;
      std::vector<Value> args(lists.size());
      for (size_t i = 0; i < len; ++i) {
        if (++steps > max_steps) return false;
        for (size_t k = 0; k < lists.size(); ++k) args[k] = lists[k][i];
        Value v;
        if (!Apply(fn, args, depth + 1, &v)) return false;
        r.items.push_back(std::move(v));
      }
      *out = std::move(r);
      return Charge(*out);
    }
    // `oct.__str__()`: the text of a builtin.
    if (Valid(call.a) && N(call.a).kind == NodeKind::kAttribute && !Arg(call, 0) &&
        Valid(N(call.a).a) && N(N(call.a).a).kind == NodeKind::kName) {
      std::string_view m = NameOf(N(call.a).tok);
      std::string text;
      if ((m == "__str__" || m == "__repr__") && BuiltinText(QualifyAt(N(call.a).a, 0), &text)) {
        *out = Value::Str(std::move(text));
        return Charge(*out);
      }
    }
    std::vector<Value> args;
    std::vector<std::pair<std::string, Value>> kwargs;
    bool args_ok = FoldArgs(call, depth, &args, &kwargs);
    // Calls of lambdas and one-line helpers: `_ = lambda s: ...; exec(_(b'...'))`.
    bool bound = false;
    if (uint32_t fn = CallableNode(call.a, &bound)) {
      if (!args_ok || !kwargs.empty()) return false;
      return Apply(fn, args, depth + 1, out, bound);
    }
    if (!q.empty() && args_ok) {
      bool handled = false;
      if (NativeCall(q, args, kwargs, out, &handled)) return true;
      if (handled) return false;
    }
    // A method of a folded receiver.
    if (Valid(call.a) && N(call.a).kind == NodeKind::kAttribute && args_ok) {
      Value recv;
      if (Fold(N(call.a).a, depth + 1, &recv) &&
          (recv.kind == Value::kStr || recv.kind == Value::kBytes)) {
        std::string_view m = NameOf(N(call.a).tok);
        bool handled = false;
        if (Method(recv, m, args, kwargs, out, &handled)) return true;
        if (handled || !hook) return false;
        std::string callee = (recv.kind == Value::kStr ? "str." : "bytes.") + std::string(m);
        args.insert(args.begin(), std::move(recv));
        return CallHookFor(callee, args, kwargs, out);
      }
    }
    if (q.empty() || !args_ok || !hook) return false;
    // A method on a constructed object: the constructor's arguments first.
    if (Valid(call.a) && N(call.a).kind == NodeKind::kAttribute &&
        q.find("()") != std::string::npos) {
      uint32_t ctor = ReceiverCall(N(call.a).a);
      if (ctor) {
        std::vector<Value> cargs;
        std::vector<std::pair<std::string, Value>> ckw;
        if (!FoldArgs(N(ctor), depth + 1, &cargs, &ckw)) return false;
        args.insert(args.begin(), std::make_move_iterator(cargs.begin()),
                    std::make_move_iterator(cargs.end()));
        for (auto& kv : ckw) kwargs.push_back(std::move(kv));
      }
    }
    return CallHookFor(q, args, kwargs, out);
  }

  bool CallHookFor(const std::string& callee, const std::vector<Value>& args,
                   const std::vector<std::pair<std::string, Value>>& kwargs, Value* out) {
    if (!hook || spent > kBudget) return false;
    Value r;
    if (!hook(callee, args, kwargs, &r)) return false;
    for (const Value& v : args) {
      std::vector<std::string> own = std::move(r.chain);
      r.chain.clear();
      MergeChain(v, &r);
      for (std::string& s : own)
        if (std::find(r.chain.begin(), r.chain.end(), s) == r.chain.end()) r.chain.push_back(s);
    }
    *out = std::move(r);
    return Charge(*out);
  }

  // String constants of the `string` module.
  bool ModuleConstant(const std::string& q, Value* out) {
    static const std::pair<const char*, const char*> kConsts[] = {
        {"string.ascii_lowercase", "abcdefghijklmnopqrstuvwxyz"},
        {"string.ascii_uppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        {"string.ascii_letters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        {"string.digits", "0123456789"},
        {"string.hexdigits", "0123456789abcdefABCDEF"},
        {"string.octdigits", "01234567"},
        {"string.punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
        {"string.whitespace", " \t\n\r\x0b\x0c"},
        {"string.printable",
         "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
         "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c"}};
    for (const auto& [name, val] : kConsts)
      if (q == name) {
        *out = Value::Str(val);
        return true;
      }
    return false;
  }

  bool Fold(uint32_t n, int depth, Value* out) {
    if (!Valid(n) || depth > kMaxFoldDepth || ++steps > max_steps || spent > kBudget) return false;
    const Node& node = N(n);
    switch (node.kind) {
      case NodeKind::kConstant: {
        ConstKind k = static_cast<ConstKind>(node.flags);
        if (k == ConstKind::kStr || k == ConstKind::kBytes) {
          std::string v, err;
          bool is_bytes = false;
          if (!python::ConstantValue(ast, n, &v, &is_bytes, &err)) return false;
          *out = is_bytes ? Value::Bytes(std::move(v)) : Value::Str(std::move(v));
          return Charge(*out);
        }
        if (k == ConstKind::kTrue || k == ConstKind::kFalse) {
          *out = Value::Int(k == ConstKind::kTrue);
          return true;
        }
        if (k == ConstKind::kNumber) {
          int64_t v;
          if (!ParseIntLiteral(ast.TokText(node.tok), &v)) return false;
          *out = Value::Int(v);
          return true;
        }
        return false;
      }
      case NodeKind::kJoinedStr:
        return FoldJoinedStr(n, depth, out);
      case NodeKind::kBinOp:
        return FoldBinOp(n, depth, out);
      case NodeKind::kUnaryOp: {
        Value v;
        if (!Fold(node.a, depth + 1, &v) || v.kind != Value::kInt) return false;
        switch (static_cast<python::UnaryOp>(node.op)) {
          case python::UnaryOp::kUSub:
            if (v.i == INT64_MIN) return false;
            v.i = -v.i;
            break;
          case python::UnaryOp::kUAdd: break;
          case python::UnaryOp::kInvert: v.i = ~v.i; break;
          case python::UnaryOp::kNot: v.i = !v.i; break;
        }
        *out = std::move(v);
        return true;
      }
      case NodeKind::kList:
      case NodeKind::kTuple: {
        Value r;
        r.kind = Value::kList;
        if (node.count > kMaxItems || !Room(node.count * sizeof(Value))) return false;
        r.items.reserve(node.count);
        for (uint32_t e : ast.list(node)) {
          Value v;
          if (!Fold(e, depth + 1, &v)) return false;
          r.items.push_back(std::move(v));
        }
        *out = std::move(r);
        spent += node.count * sizeof(Value);
        return spent <= kBudget;
      }
      case NodeKind::kSubscript:
        return FoldSubscript(node, depth, out);
      case NodeKind::kName:
        return FoldName(n, depth, out);
      case NodeKind::kNamedExpr:
        return Fold(node.b, depth + 1, out);
      case NodeKind::kCall:
        return FoldCall(n, depth, out);
      case NodeKind::kAttribute: {
        if (!Valid(node.a) || N(node.a).kind != NodeKind::kName) return false;
        return ModuleConstant(QualifyAt(n, 0), out);
      }
      case NodeKind::kCompare:
        return FoldCompare(node, depth, out);
      case NodeKind::kIfExp: {
        Value t;
        if (!Fold(node.a, depth + 1, &t)) return false;
        return Fold(Truthy(t) ? node.b : node.c, depth + 1, out);
      }
      case NodeKind::kListComp:
      case NodeKind::kGeneratorExp: {
        Value r;
        r.kind = Value::kList;
        if (!CompLoop(node, 0, depth, &r.items)) return false;
        *out = std::move(r);
        return true;
      }
      default:
        return false;
    }
  }

  // Whether `needle` is in `hay` (substring, or list member).
  static bool Contains(const Value& hay, const Value& needle, bool* out) {
    if (hay.kind == Value::kList) {
      *out = false;
      for (const Value& v : hay.items)
        if (v.kind == needle.kind && v.data == needle.data && v.i == needle.i && v.items.empty())
          *out = true;
      return needle.kind != Value::kList;
    }
    if (hay.kind == Value::kBytes && needle.kind == Value::kInt) {
      *out = hay.data.find(static_cast<char>(needle.i)) != std::string::npos;
      return needle.i >= 0 && needle.i < 256;
    }
    if (hay.kind != needle.kind || hay.kind == Value::kInt) return false;
    *out = hay.data.find(needle.data) != std::string::npos;
    return true;
  }

  // Comparisons of ints and strings (chains included).
  bool FoldCompare(const Node& node, int depth, Value* out) {
    Value left;
    if (!Fold(node.a, depth + 1, &left)) return false;
    auto pairs = ast.list(node);
    bool result = true;
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
      Value right;
      if (!Fold(pairs[i + 1], depth + 1, &right)) return false;
      auto op = static_cast<python::CmpOp>(pairs[i]);
      bool r = false;
      using python::CmpOp;
      if (op == CmpOp::kIn || op == CmpOp::kNotIn) {
        if (!Contains(right, left, &r)) return false;
        if (op == CmpOp::kNotIn) r = !r;
      } else if (left.kind == Value::kList || right.kind == Value::kList) {
        return false;
      } else {
        int c;
        if (left.kind == Value::kInt && right.kind == Value::kInt)
          c = left.i < right.i ? -1 : left.i > right.i;
        else if (left.kind == right.kind)
          c = left.data.compare(right.data) < 0 ? -1 : left.data == right.data ? 0 : 1;
        else if (op == CmpOp::kEq || op == CmpOp::kNotEq)
          c = 2;  // different kinds: never equal
        else
          return false;
        switch (op) {
          case CmpOp::kEq: r = c == 0; break;
          case CmpOp::kNotEq: r = c != 0; break;
          case CmpOp::kLt: r = c == -1; break;
          case CmpOp::kLtE: r = c == -1 || c == 0; break;
          case CmpOp::kGt: r = c == 1; break;
          case CmpOp::kGtE: r = c == 1 || c == 0; break;
          default: return false;  // is / is not
        }
      }
      if (!r) result = false;
      left = std::move(right);
    }
    *out = Value::Int(result);
    return true;
  }

  // A top-level fold (call argument): marks the literals it consumed.
  // The first argument of `call`, a statement of its own in the body of a
  // def without parameters (FoldableDef), folded as it stands after the
  // statements before it ran: what a loop in the def builds
  // (`s += chr(ord(c) ^ k)`) and hands to the call. nullopt when the run
  // fails or does not reach the call.
  std::optional<Value> FoldArgWhereItStands(uint32_t call) {
    if (!env.empty() || stop_call) return std::nullopt;
    uint32_t s = scope_of[call];
    if (s >= scopes.size() || !scopes[s].def_node || scopes[s].class_scope != kNone)
      return std::nullopt;
    uint32_t def = scopes[s].def_node;
    const Node& d = N(def);
    if (!Valid(d.a) || !ast.list(N(d.a)).empty() || !FoldableDef(def)) return std::nullopt;
    Frame f;
    Value ret;
    stop_call = call;
    stop_value.reset();
    Flow fl = RunBlock(ast.list(d), &f, 1, &ret);
    env.clear();
    stop_call = 0;
    std::optional<Value> v;
    if (fl == Flow::kStop) v = std::move(stop_value);
    stop_value.reset();
    return v;
  }

  std::optional<Value> FoldTop(uint32_t n) {
    Value v;
    if (!Fold(n, 0, &v)) return std::nullopt;
    // Only a decode consumes a literal: one merely passed on (`run(DATA)`)
    // is still a candidate for blind unwrapping.
    if (!v.chain.empty()) MarkConsumed(n);
    return v;
  }

  void MarkConsumed(uint32_t root) {
    std::vector<uint32_t> st = {root}, ch;
    while (!st.empty()) {
      uint32_t n = st.back();
      st.pop_back();
      if (!Valid(n) || (flags[n] & kConsumed)) continue;
      flags[n] |= kConsumed;
      const Node& node = N(n);
      if (node.kind == NodeKind::kName) {
        uint32_t e = Lookup(NameOf(node.tok), scope_of[n], time[n]);
        if (e != kNone) {
          if (events[e].kind == EvKind::kValue) st.push_back(events[e].node);
          else if (events[e].kind == EvKind::kAug) st.push_back(N(events[e].node).b);
        }
        continue;
      }
      python::Children(ast, n, &ch);
      st.insert(st.end(), ch.begin(), ch.end());
    }
  }

  // ------------------------------------------------------------------ build

  // opts.fold_args_of, asked once per distinct callee of the module.
  std::unordered_map<std::string, bool, StringViewHash, std::equal_to<>> fold_args_memo;
  bool FoldArgsOf(const std::string& callee) {
    if (!opts.fold_args_of) return true;
    auto it = fold_args_memo.find(std::string_view(callee));
    if (it != fold_args_memo.end()) return it->second;
    bool fold = opts.fold_args_of(callee);
    fold_args_memo.emplace(callee, fold);
    return fold;
  }

  void Build() {
    size_t nn = ast.nodes.size();
    time.assign(nn, kInf);
    scope_of.assign(nn, 0);
    flags.assign(nn, 0);
    max_steps = 2000000 + 16 * static_cast<uint64_t>(nn);
    // Room up front for what the walk appends (bindings and calls are a
    // fraction of the nodes): fewer regrowths and copies.
    events.reserve(nn / 8 + 16);
    ev_state.reserve(nn / 8 + 16);
    pending.reserve(nn / 16 + 16);
    str_consts.reserve(nn / 16 + 16);
    for (const python::Token& t : ast.tokens) {
      if (t.kind != python::Tok::kName) continue;
      std::string_view text = ast.source.text.substr(t.off, t.len);
      if ((t.flags & python::kTokNonAscii) || text == "argv") {
        may_argv = true;
        break;
      }
    }
    scopes.push_back(Scope{});
    ctxs.push_back(CallContext{});
    if (Valid(ast.root)) {
      Stamp(ast.root);
      WalkBody(N(ast.root));
    }
    // Folds made during the walk (sys.argv guards) saw only earlier bindings.
    ev_state.assign(events.size(), 0);
    ev_value.clear();
    call_memo.clear();

    std::stable_sort(pending.begin(), pending.end(), [&](const Pending& x, const Pending& y) {
      const Node& a = N(x.node);
      const Node& b = N(y.node);
      return a.line != b.line ? a.line < b.line : a.col < b.col;
    });
    calls.reserve(pending.size());
    // Calls point into ctxs, which no longer grows.
    for (size_t pi = 0; pi < pending.size(); ++pi) {
      const Pending& p = pending[pi];
      const Node& call = N(p.node);
      CallRecord rec;
      rec.node = p.node;
      rec.line = static_cast<int>(call.line);
      rec.ctx_ = &ctxs[p.ctx];
      if (call.kind == NodeKind::kExec2) {
        rec.callee = "builtins.exec";
        for (uint32_t e : ast.list(call)) {
          // `exec code in ns` parses as the comparison `code in ns`.
          if (Valid(e) && N(e).kind == NodeKind::kCompare && N(e).count == 2 &&
              static_cast<python::CmpOp>(ast.list(N(e))[0]) == python::CmpOp::kIn) {
            rec.args.push_back(FoldTop(N(e).a));
            rec.args.push_back(FoldTop(ast.list(N(e))[1]));
          } else {
            rec.args.push_back(FoldTop(e));
          }
        }
        calls.push_back(std::move(rec));
        continue;
      }
      rec.callee = QualifyAt(call.a, 0);
      using namespace std::string_view_literals;  // inline size + memcmp compares
      const std::string_view callee = rec.callee;
      rec.args.reserve(call.count);
      bool fold = FoldArgsOf(rec.callee);
      auto fold_top = [&](uint32_t x) { return fold ? FoldTop(x) : std::nullopt; };
      // Methods on constructed objects ("Fernet().decrypt") get the
      // constructor's arguments first; a module from __import__ is not one.
      if (Valid(call.a) && N(call.a).kind == NodeKind::kAttribute &&
          rec.callee.find("()") != std::string::npos) {
        if (uint32_t ctor = ReceiverCall(N(call.a).a)) {
          for (uint32_t a : ast.list(N(ctor))) {
            if (!Valid(a) || N(a).kind == NodeKind::kKeyword) continue;
            rec.args.push_back(N(a).kind == NodeKind::kStarred ? std::nullopt : fold_top(a));
          }
          rec.receiver_args = rec.args.size();
        }
      }
      for (uint32_t a : ast.list(call)) {
        if (!Valid(a)) continue;
        const Node& an = N(a);
        if (an.kind == NodeKind::kKeyword) {
          rec.kwargs.push_back({an.tok == python::kNoTok ? "**" : std::string(NameOf(an.tok)),
                                fold_top(an.a)});
        } else {
          rec.args.push_back(an.kind == NodeKind::kStarred ? std::nullopt : fold_top(a));
          // Code handed to exec, built by the statements of a def before it.
          if (fold && rec.args.size() == 1 && !rec.args.back() && rec.ctx().in_def &&
              an.kind != NodeKind::kStarred &&
              (callee == "builtins.exec"sv || callee == "builtins.eval"sv ||
               callee == "builtins.compile"sv))
            rec.args.back() = FoldArgWhereItStands(p.node);
        }
      }
      if (callee == "builtins.__import__"sv || callee == "importlib.import_module"sv ||
          callee == "importlib.__import__"sv) {
        std::string m = ImportedBy(call, "importlib.import_module");
        if (!m.empty()) AddImport(m);
      }
      calls.push_back(std::move(rec));
    }

    for (uint32_t c : str_consts) {
      if (flags[c] & kConsumed) continue;
      const Node& node = N(c);
      size_t len = 0;
      for (uint32_t t = node.tok; t < node.tok + node.a && t < ast.tokens.size(); ++t)
        len += ast.tokens[t].len;
      if (len < opts.loose_min_size) continue;
      loose.push_back({c, static_cast<int>(node.line), (flags[c] & kStatement) != 0});
    }
    std::sort(loose.begin(), loose.end(), [&](const LooseString& x, const LooseString& y) {
      const Node& a = N(x.node);
      const Node& b = N(y.node);
      return a.line != b.line ? a.line < b.line : a.col < b.col;
    });
  }
};

ModuleModel::ModuleModel(const Ast& ast, CallHook hook, const ModelOptions& options)
    : impl_(std::make_unique<Impl>(ast, std::move(hook), options)) {
  impl_->Build();
}

ModuleModel::~ModuleModel() = default;

const std::vector<CallRecord>& ModuleModel::calls() const { return impl_->calls; }
const std::vector<std::string>& ModuleModel::imports() const { return impl_->imports; }
const std::vector<LooseString>& ModuleModel::loose_strings() const { return impl_->loose; }
bool ModuleModel::budget_exhausted() const {
  return impl_->capped || impl_->spent > kBudget || impl_->steps > impl_->max_steps;
}
const std::set<std::string>& ModuleModel::registered_commands() const {
  return impl_->registered;
}

std::string ModuleModel::Qualify(uint32_t expr) const {
  impl_->env.clear();
  return impl_->QualifyAt(expr, 0);
}

std::optional<Value> ModuleModel::Fold(uint32_t expr) const {
  impl_->env.clear();
  Value v;
  if (!impl_->Fold(expr, 0, &v)) return std::nullopt;
  return v;
}

std::optional<Value> ModuleModel::FoldGlobal(std::string_view name) const {
  impl_->env.clear();
  uint32_t e = impl_->Lookup(name, 0, kInf);
  Value v;
  if (e == kNone || !impl_->FoldEvent(e, 0, &v)) return std::nullopt;
  return v;
}

std::string ModuleModel::QualifyGlobal(std::string_view name) const {
  impl_->env.clear();
  return impl_->QualifyName(name, 0, kInf, 0);
}

}  // namespace pyward
