#include "audit/pep508.h"

#include <algorithm>

#include "util/strings.h"

namespace pyward {

namespace {

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}
bool IsNameChar(char c) {
  return IsAlnum(c) || c == '-' || c == '_' || c == '.';
}
bool IsWs(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool IsValidProjectName(std::string_view name) {
  if (name.empty() || !IsAlnum(name.front()) || !IsAlnum(name.back()))
    return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

bool MarkerEnvironment::ForTarget(std::string_view python_version,
                                  std::string_view platform,
                                  MarkerEnvironment* out, std::string* err) {
  MarkerEnvironment env;
  if (!python_version.empty()) {
    Version v = Version::Parse(python_version);
    std::vector<std::string_view> parts = Split(python_version, '.');
    if (v.is_legacy() || parts.size() < 2) {
      *err = "python version must look like 3.11 or 3.11.4, not '" +
             std::string(python_version) + "'";
      return false;
    }
    env.values["python_version"] =
        std::string(parts[0]) + "." + std::string(parts[1]);
    env.values["python_full_version"] =
        parts.size() >= 3 ? std::string(python_version)
                          : std::string(python_version) + ".0";
    env.values["implementation_version"] = env.values["python_full_version"];
  }
  if (!platform.empty()) {
    std::string p = ToLower(platform);
    if (p == "linux") {
      env.values["sys_platform"] = "linux";
      env.values["platform_system"] = "Linux";
      env.values["os_name"] = "posix";
    } else if (p == "win32" || p == "windows") {
      env.values["sys_platform"] = "win32";
      env.values["platform_system"] = "Windows";
      env.values["os_name"] = "nt";
    } else if (p == "darwin" || p == "macos") {
      env.values["sys_platform"] = "darwin";
      env.values["platform_system"] = "Darwin";
      env.values["os_name"] = "posix";
    } else {
      *err = "unknown platform '" + std::string(platform) +
             "' (linux, win32 or darwin)";
      return false;
    }
  }
  if (!python_version.empty()) {
    env.values["platform_python_implementation"] = "CPython";
    env.values["implementation_name"] = "cpython";
  }
  *out = std::move(env);
  return true;
}

// ---------------------------------------------------------------------------
// Markers.

struct Marker::Node {
  enum Kind { kAnd, kOr, kCompare } kind;
  std::shared_ptr<const Node> left, right;  // kAnd / kOr
  // kCompare: each side is a variable (canonical name) or a string literal.
  bool lhs_var = false, rhs_var = false;
  std::string lhs, rhs, op;
};

Marker::Marker() = default;
Marker::~Marker() = default;
Marker::Marker(const Marker&) = default;
Marker& Marker::operator=(const Marker&) = default;

namespace {

const char* CanonicalVariable(std::string_view v) {
  static const std::pair<const char*, const char*> kVars[] = {
      {"python_version", "python_version"},
      {"python_full_version", "python_full_version"},
      {"os_name", "os_name"},
      {"sys_platform", "sys_platform"},
      {"platform_release", "platform_release"},
      {"platform_system", "platform_system"},
      {"platform_version", "platform_version"},
      {"platform_machine", "platform_machine"},
      {"platform_python_implementation", "platform_python_implementation"},
      {"implementation_name", "implementation_name"},
      {"implementation_version", "implementation_version"},
      {"extra", "extra"},
      {"os.name", "os_name"},
      {"sys.platform", "sys_platform"},
      {"platform.version", "platform_version"},
      {"platform.machine", "platform_machine"},
      {"platform.python_implementation", "platform_python_implementation"},
      {"python_implementation", "platform_python_implementation"},
  };
  for (const auto& [k, v2] : kVars)
    if (v == k) return v2;
  return nullptr;
}

class MarkerParser {
 public:
  explicit MarkerParser(std::string_view s) : s_(s) {}

  bool Run(std::shared_ptr<const Marker::Node>* out, std::string* err) {
    depth_ = 0;
    if (!Or(out)) {
      *err = error_.empty() ? "invalid marker" : error_;
      return false;
    }
    SkipWs();
    if (p_ != s_.size()) {
      *err = "unexpected text in marker at '" +
             Printable(s_.substr(p_), 40) + "'";
      return false;
    }
    return true;
  }

 private:
  void SkipWs() {
    while (p_ < s_.size() && IsWs(s_[p_])) ++p_;
  }
  bool Keyword(std::string_view kw) {
    SkipWs();
    if (s_.substr(p_, kw.size()) != kw) return false;
    size_t e = p_ + kw.size();
    if (e < s_.size() && (IsAlnum(s_[e]) || s_[e] == '_' || s_[e] == '.'))
      return false;
    p_ = e;
    return true;
  }
  bool Fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
    return false;
  }

  bool Or(std::shared_ptr<const Marker::Node>* out) {
    std::shared_ptr<const Marker::Node> left;
    if (!And(&left)) return false;
    while (Keyword("or")) {
      std::shared_ptr<const Marker::Node> right;
      if (!And(&right)) return false;
      auto n = std::make_shared<Marker::Node>();
      n->kind = Marker::Node::kOr;
      n->left = left;
      n->right = right;
      left = n;
    }
    *out = left;
    return true;
  }

  bool And(std::shared_ptr<const Marker::Node>* out) {
    std::shared_ptr<const Marker::Node> left;
    if (!Atom(&left)) return false;
    while (Keyword("and")) {
      std::shared_ptr<const Marker::Node> right;
      if (!Atom(&right)) return false;
      auto n = std::make_shared<Marker::Node>();
      n->kind = Marker::Node::kAnd;
      n->left = left;
      n->right = right;
      left = n;
    }
    *out = left;
    return true;
  }

  bool Atom(std::shared_ptr<const Marker::Node>* out) {
    SkipWs();
    if (p_ < s_.size() && s_[p_] == '(') {
      if (++depth_ > 100) return Fail("marker nested too deeply");
      ++p_;
      if (!Or(out)) return false;
      SkipWs();
      if (p_ >= s_.size() || s_[p_] != ')') return Fail("missing ')' in marker");
      ++p_;
      --depth_;
      return true;
    }
    // Chains of and/or nest one level per term: bound them.
    if (++atoms_ > 1000) return Fail("marker has more than 1000 comparisons");
    auto n = std::make_shared<Marker::Node>();
    n->kind = Marker::Node::kCompare;
    if (!Operand(&n->lhs, &n->lhs_var)) return false;
    if (!Op(&n->op)) return false;
    if (!Operand(&n->rhs, &n->rhs_var)) return false;
    *out = n;
    return true;
  }

  bool Operand(std::string* value, bool* is_var) {
    SkipWs();
    if (p_ >= s_.size()) return Fail("marker ends early");
    char q = s_[p_];
    if (q == '\'' || q == '"') {
      size_t e = s_.find(q, p_ + 1);
      if (e == std::string_view::npos) return Fail("unterminated string in marker");
      *value = std::string(s_.substr(p_ + 1, e - p_ - 1));
      *is_var = false;
      p_ = e + 1;
      return true;
    }
    size_t e = p_;
    while (e < s_.size() && (IsAlnum(s_[e]) || s_[e] == '_' || s_[e] == '.')) ++e;
    const char* var = CanonicalVariable(s_.substr(p_, e - p_));
    if (!var)
      return Fail("unknown marker variable '" +
                  Printable(s_.substr(p_, e - p_), 40) + "'");
    *value = var;
    *is_var = true;
    p_ = e;
    return true;
  }

  bool Op(std::string* op) {
    SkipWs();
    static const std::string_view kOps[] = {"===", "~=", "==", "!=", "<=",
                                            ">=",  "<",  ">"};
    for (std::string_view o : kOps) {
      if (s_.substr(p_, o.size()) == o) {
        *op = std::string(o);
        p_ += o.size();
        return true;
      }
    }
    if (Keyword("in")) {
      *op = "in";
      return true;
    }
    size_t save = p_;
    if (Keyword("not") && Keyword("in")) {
      *op = "not in";
      return true;
    }
    p_ = save;
    return Fail("expected a marker operator at '" + Printable(s_.substr(p_), 40) + "'");
  }

  std::string_view s_;
  size_t p_ = 0;
  int depth_ = 0;
  int atoms_ = 0;
  std::string error_;
};

// packaging.markers._eval_op on known values.
bool EvalOp(const std::string& lhs, const std::string& op,
            const std::string& rhs) {
  if (op != "in" && op != "not in") {
    Specifier spec;
    std::string err;
    if (Specifier::Parse(op + rhs, &spec, &err)) {
      Version v = Version::Parse(lhs);
      if (!v.is_legacy() || op == "===") return spec.Contains(v, true);
    }
  }
  if (op == "in") return rhs.find(lhs) != std::string::npos;
  if (op == "not in") return rhs.find(lhs) == std::string::npos;
  int c = lhs.compare(rhs);
  if (op == "==") return c == 0;
  if (op == "!=") return c != 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  if (op == ">=") return c >= 0;
  return false;  // ~= / === on non-versions: undefined, treated as false
}

Tri EvalNode(const Marker::Node& n, const MarkerEnvironment& env) {
  switch (n.kind) {
    case Marker::Node::kAnd: {
      Tri a = EvalNode(*n.left, env);
      if (a == Tri::kFalse) return a;
      Tri b = EvalNode(*n.right, env);
      if (b == Tri::kFalse) return b;
      return a == Tri::kTrue && b == Tri::kTrue ? Tri::kTrue : Tri::kUnknown;
    }
    case Marker::Node::kOr: {
      Tri a = EvalNode(*n.left, env);
      if (a == Tri::kTrue) return a;
      Tri b = EvalNode(*n.right, env);
      if (b == Tri::kTrue) return b;
      return a == Tri::kFalse && b == Tri::kFalse ? Tri::kFalse : Tri::kUnknown;
    }
    case Marker::Node::kCompare:
      break;
  }
  const std::string& var = n.lhs_var ? n.lhs : n.rhs;
  if (!n.lhs_var && !n.rhs_var) {
    return EvalOp(n.lhs, n.op, n.rhs) ? Tri::kTrue : Tri::kFalse;
  }
  if (var == "extra") {
    std::string other = NormalizeName(n.lhs_var ? n.rhs : n.lhs);
    bool has = env.extras.count(other) > 0;
    if (n.op == "==") return has ? Tri::kTrue : Tri::kFalse;
    if (n.op == "!=") return has ? Tri::kFalse : Tri::kTrue;
    if (env.extras.empty())
      return EvalOp(n.lhs_var ? "" : other, n.op, n.lhs_var ? other : "")
                 ? Tri::kTrue
                 : Tri::kFalse;
    bool any = false;
    for (const std::string& e : env.extras)
      any = any || EvalOp(n.lhs_var ? e : other, n.op, n.lhs_var ? other : e);
    return any ? Tri::kTrue : Tri::kFalse;
  }
  auto it = env.values.find(var);
  if (it == env.values.end()) return Tri::kUnknown;
  const std::string& lhs = n.lhs_var ? it->second : n.lhs;
  const std::string& rhs = n.rhs_var ? it->second : n.rhs;
  return EvalOp(lhs, n.op, rhs) ? Tri::kTrue : Tri::kFalse;
}

}  // namespace

bool Marker::Parse(std::string_view text, Marker* out, std::string* err) {
  Marker m;
  MarkerParser parser(text);
  if (!parser.Run(&m.root_, err)) return false;
  *out = std::move(m);
  return true;
}

Tri Marker::Evaluate(const MarkerEnvironment& env) const {
  if (!root_) return Tri::kTrue;
  return EvalNode(*root_, env);
}

// ---------------------------------------------------------------------------
// Requirements.

bool ParseRequirement(std::string_view text, Requirement* out,
                      std::string* err) {
  Requirement r;
  size_t p = 0;
  auto skip_ws = [&] {
    while (p < text.size() && IsWs(text[p])) ++p;
  };
  skip_ws();
  size_t start = p;
  while (p < text.size() && IsNameChar(text[p])) ++p;
  r.name = std::string(text.substr(start, p - start));
  if (!IsValidProjectName(r.name)) {
    *err = r.name.empty() ? "expected a package name at '" +
                                Printable(text.substr(start), 40) + "'"
                          : "invalid package name '" + Printable(r.name, 80) + "'";
    return false;
  }
  skip_ws();
  if (p < text.size() && text[p] == '[') {
    ++p;
    for (;;) {
      skip_ws();
      if (p < text.size() && text[p] == ']') {
        ++p;
        break;
      }
      size_t s = p;
      while (p < text.size() && IsNameChar(text[p])) ++p;
      std::string extra(text.substr(s, p - s));
      if (!IsValidProjectName(extra)) {
        *err = "invalid extra in '" + Printable(text, 80) + "'";
        return false;
      }
      r.extras.push_back(extra);
      skip_ws();
      if (p < text.size() && text[p] == ',') {
        ++p;
        continue;
      }
      if (p < text.size() && text[p] == ']') {
        ++p;
        break;
      }
      *err = "expected ',' or ']' after extra in '" + Printable(text, 80) + "'";
      return false;
    }
    skip_ws();
  }
  if (p < text.size() && text[p] == '@') {
    ++p;
    skip_ws();
    size_t s = p;
    while (p < text.size() && !IsWs(text[p])) ++p;
    r.url = std::string(text.substr(s, p - s));
    if (r.url.empty()) {
      *err = "expected a URL after '@'";
      return false;
    }
    // As packaging: a scheme and a host, or a file: URL.
    size_t colon = r.url.find(':');
    std::string scheme = ToLower(r.url.substr(0, colon == std::string::npos ? 0 : colon));
    bool scheme_ok = !scheme.empty() && scheme[0] >= 'a' && scheme[0] <= 'z' &&
                     std::all_of(scheme.begin(), scheme.end(), [](char c) {
                       return IsAlnum(c) || c == '+' || c == '-' || c == '.';
                     });
    bool host_ok = scheme_ok && r.url.compare(colon + 1, 2, "//") == 0 &&
                   colon + 3 < r.url.size() &&
                   r.url[colon + 3] != '/' && r.url[colon + 3] != '?' &&
                   r.url[colon + 3] != '#';
    if (!(scheme_ok && (scheme == "file" || host_ok))) {
      *err = "invalid URL '" + Printable(r.url, 80) + "'";
      return false;
    }
    skip_ws();
    if (p < text.size() && text[p] != ';') {
      *err = "unexpected text after URL: '" + Printable(text.substr(p), 40) + "'";
      return false;
    }
  } else {
    bool paren = p < text.size() && text[p] == '(';
    if (paren) ++p;
    size_t s = p;
    while (p < text.size() && text[p] != ';' && text[p] != ')') ++p;
    std::string_view spec = Trim(text.substr(s, p - s));
    if (paren) {
      if (p >= text.size() || text[p] != ')') {
        *err = "missing ')' in '" + Printable(text, 80) + "'";
        return false;
      }
      ++p;
      skip_ws();
    } else if (p < text.size() && text[p] == ')') {
      *err = "unexpected ')' in '" + Printable(text, 80) + "'";
      return false;
    }
    if (!SpecifierSet::Parse(spec, &r.specifiers, err)) return false;
    r.specifier = std::string(spec);
  }
  if (p < text.size() && text[p] == ';') {
    ++p;
    r.marker_text = std::string(Trim(text.substr(p)));
    if (!Marker::Parse(r.marker_text, &r.marker, err)) return false;
  } else if (p < text.size()) {
    *err = "unexpected text '" + Printable(text.substr(p), 40) + "'";
    return false;
  }
  *out = std::move(r);
  return true;
}

}  // namespace pyward
