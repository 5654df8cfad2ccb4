#include "audit/pep440.h"

#include <algorithm>

#include "util/strings.h"

namespace pyward {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

std::string_view TrimSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string StripZeros(std::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return std::string(digits.substr(i));
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

}  // namespace

int CompareDigits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// The PEP 440 grammar of packaging's VERSION_PATTERN, matched by hand with
// the same backtracking order as the regular expression (case-insensitive).
class VersionParser {
 public:
  explicit VersionParser(std::string_view lower) : s_(lower) {}

  // Parses the whole of s_ into *v; false when it is not PEP 440.
  bool Run(Version* v) {
    size_t p = 0;
    if (p < s_.size() && s_[p] == 'v') ++p;
    // Epoch.
    size_t q = p;
    while (q < s_.size() && IsDigit(s_[q])) ++q;
    if (q > p && q < s_.size() && s_[q] == '!') {
      v->epoch_ = StripZeros(s_.substr(p, q - p));
      p = q + 1;
    }
    // Release.
    v->release_.clear();
    for (;;) {
      size_t d = p;
      while (d < s_.size() && IsDigit(s_[d])) ++d;
      if (d == p) return false;
      v->release_.push_back(StripZeros(s_.substr(p, d - p)));
      p = d;
      if (p + 1 < s_.size() && s_[p] == '.' && IsDigit(s_[p + 1])) {
        ++p;
        continue;
      }
      break;
    }
    v_ = v;
    return Pre(p);
  }

  // Whether s_[p..] is "v? epoch? release" exactly (a wildcard's prefix).
  static bool IsReleasePrefix(std::string_view s) {
    size_t p = 0;
    if (p < s.size() && (s[p] == 'v' || s[p] == 'V')) ++p;
    size_t q = p;
    while (q < s.size() && IsDigit(s[q])) ++q;
    if (q > p && q < s.size() && s[q] == '!') p = q + 1;
    for (;;) {
      size_t d = p;
      while (d < s.size() && IsDigit(s[d])) ++d;
      if (d == p) return false;
      p = d;
      if (p == s.size()) return true;
      if (s[p] != '.') return false;
      ++p;
    }
  }

 private:
  size_t Digits(size_t p) const {
    while (p < s_.size() && IsDigit(s_[p])) ++p;
    return p;
  }

  // Tries the segment "[sep] label [sep] [digits]" at p, for each label and
  // with and without each separator (the parse backtracks). take(label index,
  // number with "0" for none, end) records the segment and parses the rest;
  // true as soon as one reading lets the rest match.
  template <size_t N, typename Take>
  bool Segment(size_t p, const std::string_view (&labels)[N], Take take) {
    for (int with_sep = 1; with_sep >= 0; --with_sep) {
      size_t q = p;
      if (with_sep) {
        if (q < s_.size() && IsSep(s_[q])) ++q;
        else continue;
      }
      for (size_t i = 0; i < N; ++i) {
        if (!StartsWith(s_.substr(q), labels[i])) continue;
        size_t r0 = q + labels[i].size();
        for (int sep2 = 1; sep2 >= 0; --sep2) {
          size_t r = r0;
          if (sep2) {
            if (r < s_.size() && IsSep(s_[r])) ++r;
            else continue;
          }
          size_t d = Digits(r);
          if (take(i, d > r ? StripZeros(s_.substr(r, d - r)) : "0", d))
            return true;
        }
      }
    }
    return false;
  }

  bool Pre(size_t p) {
    static const std::string_view kLabels[] = {
        "preview", "alpha", "beta", "pre", "rc", "a", "b", "c"};
    static const int kKinds[] = {3, 1, 2, 3, 3, 1, 2, 3};
    if (Segment(p, kLabels, [&](size_t i, std::string num, size_t end) {
          v_->pre_kind_ = kKinds[i];
          v_->pre_num_ = std::move(num);
          return Post(end);
        }))
      return true;
    v_->pre_kind_ = 0;
    v_->pre_num_.clear();
    return Post(p);
  }

  bool Post(size_t p) {
    // "-N"
    if (p < s_.size() && s_[p] == '-') {
      size_t d = Digits(p + 1);
      if (d > p + 1) {
        v_->post_ = StripZeros(s_.substr(p + 1, d - p - 1));
        if (Dev(d)) return true;
      }
    }
    static const std::string_view kLabels[] = {"post", "rev", "r"};
    if (Segment(p, kLabels, [&](size_t, std::string num, size_t end) {
          v_->post_ = std::move(num);
          return Dev(end);
        }))
      return true;
    v_->post_.reset();
    return Dev(p);
  }

  bool Dev(size_t p) {
    static const std::string_view kLabels[] = {"dev"};
    if (Segment(p, kLabels, [&](size_t, std::string num, size_t end) {
          v_->dev_ = std::move(num);
          return Local(end);
        }))
      return true;
    v_->dev_.reset();
    return Local(p);
  }

  bool Local(size_t p) {
    v_->local_.clear();
    if (p == s_.size()) return true;
    if (s_[p] != '+') return false;
    ++p;
    for (;;) {
      size_t e = p;
      while (e < s_.size() && IsAlnum(s_[e])) ++e;
      if (e == p) return false;
      std::string_view part = s_.substr(p, e - p);
      bool numeric = std::all_of(part.begin(), part.end(), IsDigit);
      v_->local_.push_back(
          {numeric, numeric ? StripZeros(part) : std::string(part)});
      p = e;
      if (p == s_.size()) return true;
      if (!IsSep(s_[p])) return false;
      ++p;
    }
  }

  std::string_view s_;
  Version* v_ = nullptr;
};

namespace {

// setuptools' historical key for legacy versions (packaging 21).
std::vector<std::string> LegacyKey(std::string_view lower) {
  std::vector<std::string> pieces;  // re.split(r"(\d+|[a-z]+|\.|-)") output
  std::string between;
  size_t i = 0;
  auto flush = [&] {
    pieces.push_back(between);
    between.clear();
  };
  while (i < lower.size()) {
    char c = lower[i];
    size_t j = i;
    if (IsDigit(c)) {
      while (j < lower.size() && IsDigit(lower[j])) ++j;
    } else if (c >= 'a' && c <= 'z') {
      while (j < lower.size() && lower[j] >= 'a' && lower[j] <= 'z') ++j;
    } else if (c == '.' || c == '-') {
      j = i + 1;
    } else {
      between.push_back(c);
      ++i;
      continue;
    }
    flush();
    pieces.emplace_back(lower.substr(i, j - i));
    i = j;
  }
  flush();
  std::vector<std::string> parts;
  auto add = [&](std::string part) {
    if (part[0] == '*') {
      if (part < "*final") {
        while (!parts.empty() && parts.back() == "*final-") parts.pop_back();
      }
      while (!parts.empty() && parts.back() == "00000000") parts.pop_back();
    }
    parts.push_back(std::move(part));
  };
  for (std::string& piece : pieces) {
    if (piece == "pre" || piece == "preview" || piece == "rc") piece = "c";
    else if (piece == "-") piece = "final-";
    else if (piece == "dev") piece = "@";
    if (piece.empty() || piece == ".") continue;
    if (IsDigit(piece[0])) {
      if (piece.size() < 8) piece.insert(0, 8 - piece.size(), '0');
      add(piece);
    } else {
      add("*" + piece);
    }
  }
  add("*final");
  return parts;
}

int CompareRelease(const std::vector<std::string>& a,
                   const std::vector<std::string>& b) {
  size_t na = a.size(), nb = b.size();
  while (na > 0 && a[na - 1] == "0") --na;
  while (nb > 0 && b[nb - 1] == "0") --nb;
  for (size_t i = 0; i < na && i < nb; ++i) {
    int c = CompareDigits(a[i], b[i]);
    if (c) return c;
  }
  return na == nb ? 0 : (na < nb ? -1 : 1);
}

}  // namespace

Version Version::Parse(std::string_view text) {
  Version v;
  text = TrimSpace(text);
  v.original_ = std::string(text);
  std::string lower = ToLower(text);
  VersionParser parser(lower);
  if (!parser.Run(&v)) {
    Version legacy;
    legacy.original_ = std::string(text);
    legacy.legacy_ = true;
    legacy.legacy_key_ = LegacyKey(lower);
    return legacy;
  }
  return v;
}

bool Version::IsValid(std::string_view text) {
  return !Parse(text).is_legacy();
}

std::string Version::BaseVersion() const {
  if (legacy_) return original_;
  std::string out;
  if (epoch_ != "0") out += epoch_ + "!";
  for (size_t i = 0; i < release_.size(); ++i) {
    if (i) out += '.';
    out += release_[i];
  }
  return out;
}

std::string Version::Public() const {
  if (legacy_) return original_;
  std::string out = BaseVersion();
  static const char* kPre[] = {"", "a", "b", "rc"};
  if (pre_kind_) out += std::string(kPre[pre_kind_]) + pre_num_;
  if (post_) out += ".post" + *post_;
  if (dev_) out += ".dev" + *dev_;
  return out;
}

std::string Version::Normalized() const {
  if (legacy_) return original_;
  std::string out = Public();
  for (size_t i = 0; i < local_.size(); ++i) {
    out += i ? '.' : '+';
    out += local_[i].text;
  }
  return out;
}

int Compare(const Version& a, const Version& b) {
  if (a.legacy_ != b.legacy_) return a.legacy_ ? -1 : 1;
  if (a.legacy_) {
    const auto& x = a.legacy_key_;
    const auto& y = b.legacy_key_;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      int c = x[i].compare(y[i]);
      if (c) return c < 0 ? -1 : 1;
    }
    return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
  }
  int c = CompareDigits(a.epoch_, b.epoch_);
  if (c) return c;
  c = CompareRelease(a.release_, b.release_);
  if (c) return c;
  // Pre-release: a dev release of a final version sorts before everything,
  // a missing pre-release after every pre-release.
  auto pre_rank = [](const Version& v) {
    if (!v.pre_kind_ && !v.post_ && v.dev_) return 0;
    if (!v.pre_kind_) return 2;
    return 1;
  };
  int ra = pre_rank(a), rb = pre_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (a.pre_kind_ != b.pre_kind_) return a.pre_kind_ < b.pre_kind_ ? -1 : 1;
    c = CompareDigits(a.pre_num_, b.pre_num_);
    if (c) return c;
  }
  if (a.post_.has_value() != b.post_.has_value()) return a.post_ ? 1 : -1;
  if (a.post_) {
    c = CompareDigits(*a.post_, *b.post_);
    if (c) return c;
  }
  if (a.dev_.has_value() != b.dev_.has_value()) return a.dev_ ? -1 : 1;
  if (a.dev_) {
    c = CompareDigits(*a.dev_, *b.dev_);
    if (c) return c;
  }
  if (a.local_.empty() != b.local_.empty()) return a.local_.empty() ? -1 : 1;
  for (size_t i = 0; i < a.local_.size() && i < b.local_.size(); ++i) {
    const auto& x = a.local_[i];
    const auto& y = b.local_[i];
    if (x.numeric != y.numeric) return x.numeric ? 1 : -1;
    c = x.numeric ? CompareDigits(x.text, y.text) : x.text.compare(y.text);
    if (c) return c < 0 ? -1 : 1;
  }
  if (a.local_.size() != b.local_.size())
    return a.local_.size() < b.local_.size() ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------------------
// Specifiers.

namespace {

// packaging.utils.canonicalize_version.
std::string Canonicalize(std::string_view text, bool strip_trailing_zero) {
  Version v = Version::Parse(text);
  if (v.is_legacy()) return std::string(text);
  std::string base = v.BaseVersion();
  std::string norm = v.Normalized();
  std::string rest = norm.substr(base.size());
  if (strip_trailing_zero) {
    size_t bang = base.find('!');
    size_t start = bang == std::string::npos ? 0 : bang + 1;
    while (base.size() >= start + 2 && base.compare(base.size() - 2, 2, ".0") == 0)
      base.resize(base.size() - 2);
  }
  return base + rest;
}

// packaging.specifiers._version_split.
std::vector<std::string> VersionSplit(std::string_view v) {
  std::vector<std::string> out;
  for (std::string_view item : Split(v, '.')) {
    // ^([0-9]+)((?:a|b|c|rc)[0-9]+)$
    size_t d = 0;
    while (d < item.size() && IsDigit(item[d])) ++d;
    bool split = false;
    if (d > 0 && d < item.size()) {
      std::string_view rest = item.substr(d);
      size_t l = 0;
      if (StartsWith(rest, "rc")) l = 2;
      else if (rest[0] == 'a' || rest[0] == 'b' || rest[0] == 'c') l = 1;
      if (l && rest.size() > l &&
          std::all_of(rest.begin() + l, rest.end(), IsDigit))
        split = true;
    }
    if (split) {
      out.emplace_back(item.substr(0, d));
      out.emplace_back(item.substr(d));
    } else {
      out.emplace_back(item);
    }
  }
  return out;
}

bool IsNotSuffix(std::string_view seg) {
  for (std::string_view p : {"dev", "a", "b", "rc", "post"})
    if (StartsWith(seg, p)) return false;
  return true;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

// packaging's `==V.*` test on canonical strings.
bool PrefixMatch(const Version& prospective, std::string_view spec_prefix) {
  std::vector<std::string> left =
      VersionSplit(Canonicalize(prospective.Public(), true));
  std::vector<std::string> right =
      VersionSplit(Canonicalize(spec_prefix, false));
  size_t lrel = 0, rrel = 0;
  while (lrel < left.size() && AllDigits(left[lrel])) ++lrel;
  while (rrel < right.size() && AllDigits(right[rrel])) ++rrel;
  std::vector<std::string> padded(left.begin(), left.begin() + lrel);
  for (size_t i = lrel; i < rrel; ++i) padded.push_back("0");
  padded.insert(padded.end(), left.begin() + lrel, left.end());
  if (padded.size() > right.size()) padded.resize(right.size());
  return padded == right;
}

Version WithoutLocal(const Version& v) { return Version::Parse(v.Public()); }

}  // namespace

bool Specifier::Parse(std::string_view text, Specifier* out, std::string* err) {
  std::string_view s = TrimSpace(text);
  static const std::string_view kOps[] = {"===", "~=", "==", "!=",
                                          "<=",  ">=", "<",  ">"};
  std::string_view op;
  for (std::string_view o : kOps) {
    if (StartsWith(s, o)) {
      op = o;
      break;
    }
  }
  auto fail = [&] {
    *err = "invalid version specifier '" + Printable(text, 80) + "'";
    return false;
  };
  if (op.empty()) return fail();
  std::string_view ver = TrimSpace(s.substr(op.size()));
  Specifier spec;
  spec.op_ = std::string(op);
  spec.version_ = std::string(ver);
  if (op == "===") {
    for (char c : ver)
      if (IsSpace(c) || c == ';' || c == ')') return fail();
    spec.parsed_ = Version::Parse(ver);
    *out = std::move(spec);
    return true;
  }
  for (char c : ver)
    if (IsSpace(c)) return fail();
  bool eq = op == "==" || op == "!=";
  if (eq && ver.size() >= 2 && ver.substr(ver.size() - 2) == ".*") {
    if (!VersionParser::IsReleasePrefix(ver.substr(0, ver.size() - 2)))
      return fail();
    spec.parsed_ = Version::Parse(ver.substr(0, ver.size() - 2));
    *out = std::move(spec);
    return true;
  }
  Version v = Version::Parse(ver);
  if (v.is_legacy()) return fail();
  if (!eq && v.HasLocal()) return fail();
  if (op == "~=" && v.BaseVersion().find('.') == std::string::npos)
    return fail();
  // "~=" needs two release components even with an epoch ("1!2" is one).
  if (op == "~=") {
    std::string base = v.BaseVersion();
    size_t bang = base.find('!');
    if (base.find('.', bang == std::string::npos ? 0 : bang) ==
        std::string::npos)
      return fail();
  }
  spec.parsed_ = std::move(v);
  *out = std::move(spec);
  return true;
}

bool Specifier::AdmitsPrereleases() const {
  if (op_ == "==" || op_ == ">=" || op_ == "<=" || op_ == "~=" ||
      op_ == "===")
    return !parsed_.is_legacy() && parsed_.IsPrerelease();
  return false;
}

bool Specifier::Matches(const Version& v) const {
  if (op_ == "===") return ToLower(v.Normalized()) == ToLower(version_);
  if (v.is_legacy()) return op_ == "!=";
  bool wildcard = version_.size() >= 2 &&
                  version_.compare(version_.size() - 2, 2, ".*") == 0;
  if (op_ == "==" || op_ == "!=") {
    bool eq;
    if (wildcard) {
      eq = PrefixMatch(v, std::string_view(version_).substr(
                              0, version_.size() - 2));
    } else if (!parsed_.HasLocal()) {
      eq = Compare(WithoutLocal(v), parsed_) == 0;
    } else {
      eq = Compare(v, parsed_) == 0;
    }
    return op_ == "==" ? eq : !eq;
  }
  if (op_ == "<=") return Compare(WithoutLocal(v), parsed_) <= 0;
  if (op_ == ">=") return Compare(WithoutLocal(v), parsed_) >= 0;
  if (op_ == "<") {
    if (!(Compare(v, parsed_) < 0)) return false;
    if (!parsed_.IsPrerelease() && v.IsPrerelease() &&
        Compare(Version::Parse(v.BaseVersion()),
                Version::Parse(parsed_.BaseVersion())) == 0)
      return false;
    return true;
  }
  if (op_ == ">") {
    if (!(Compare(v, parsed_) > 0)) return false;
    bool same_base = Compare(Version::Parse(v.BaseVersion()),
                             Version::Parse(parsed_.BaseVersion())) == 0;
    if (!parsed_.IsPostrelease() && v.IsPostrelease() && same_base)
      return false;
    if (v.HasLocal() && same_base) return false;
    return true;
  }
  if (op_ == "~=") {
    std::vector<std::string> parts = VersionSplit(version_);
    std::string prefix;
    size_t n = 0;
    while (n < parts.size() && IsNotSuffix(parts[n])) ++n;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (i) prefix += '.';
      prefix += parts[i];
    }
    return Compare(WithoutLocal(v), parsed_) >= 0 && PrefixMatch(v, prefix);
  }
  return false;
}

bool Specifier::Contains(const Version& v,
                         std::optional<bool> prereleases) const {
  bool pre = prereleases.has_value() ? *prereleases : AdmitsPrereleases();
  if (v.IsPrerelease() && !pre) return false;
  return Matches(v);
}

bool SpecifierSet::Parse(std::string_view text, SpecifierSet* out,
                         std::string* err) {
  SpecifierSet set;
  for (std::string_view part : Split(text, ',')) {
    part = TrimSpace(part);
    if (part.empty()) continue;
    Specifier s;
    if (!Specifier::Parse(part, &s, err)) return false;
    set.clauses_.push_back(std::move(s));
  }
  *out = std::move(set);
  return true;
}

bool SpecifierSet::Contains(const Version& v,
                            std::optional<bool> prereleases) const {
  bool pre;
  if (prereleases.has_value()) {
    pre = *prereleases;
  } else {
    pre = false;
    for (const Specifier& s : clauses_) pre = pre || s.AdmitsPrereleases();
  }
  if (!pre && v.IsPrerelease()) return false;
  for (const Specifier& s : clauses_)
    if (!s.Contains(v, pre)) return false;
  return true;
}

std::optional<std::string> SpecifierSet::PinnedVersion() const {
  for (const Specifier& s : clauses_) {
    if (s.op() == "===" ) return s.version();
    if (s.op() == "==" && (s.version().size() < 2 ||
                           s.version().compare(s.version().size() - 2, 2,
                                               ".*") != 0))
      return s.version();
  }
  return std::nullopt;
}

}  // namespace pyward
