#include "names/name_checker.h"

#include <fmt/format.h>

#include <algorithm>

#include "names/name_rules.h"
#include "names/typo.h"
#include "util/strings.h"

namespace pyward {
namespace {

// Evidence carried by each kind of imitation before length and popularity
// are added (Score()). Typing mistakes that people make by accident -
// a doubled letter, two swapped neighbours, a letter left out of the middle -
// are how squatters pick names; a different letter in place of another, or
// one added at the end, is how unrelated projects and forks get named.
int TypoBase(TypoClass c) {
  switch (c) {
    case TypoClass::kRepetition:
      return 50;
    case TypoClass::kTransposition:
      return 45;
    case TypoClass::kOmission:
      return 35;
    case TypoClass::kOmissionFirst:
      return 25;
    case TypoClass::kDroppedRepeat:
      return 30;
    case TypoClass::kInsertionNeighbour:
      return 45;
    case TypoClass::kSubstitutionNeighbour:
      return 20;
    case TypoClass::kSubstitutionVowel:
      return 30;
    case TypoClass::kInsertion:
      return 20;
    case TypoClass::kOmissionLast:
      return 25;
    case TypoClass::kSubstitution:
      return 15;
    case TypoClass::kInsertionLast:
      return 15;
    case TypoClass::kInsertionFirst:
      return 15;
    case TypoClass::kSubstitutionLast:
      return 10;
    case TypoClass::kDelimiterEdit:
      return 10;
    case TypoClass::kDigitEdit:
      return 10;
    case TypoClass::kNone:
      return 0;
  }
  return 0;
}
// A letter left out at a word's edge: when the stub left is a long word
// ("discord-webhoo", "ython-binance") it reads as a slip; when it is one to
// three letters ("matrix-io", "arl") it is another word; a final 's' left out
// is a singular (lifetime/lifetimes), which the plural kind judges.
int EdgeOmissionPoints(TypoClass c, std::string_view name,
                       std::string_view target) {
  if (c != TypoClass::kOmissionFirst && c != TypoClass::kOmissionLast)
    return 0;
  size_t p = 0;
  while (p < name.size() && p < target.size() && name[p] == target[p]) ++p;
  if (c == TypoClass::kOmissionLast && p < target.size() && target[p] == 's')
    return -5;
  size_t b = name.rfind('-', p == 0 ? 0 : p - 1);
  b = (b == std::string_view::npos || b >= p) ? 0 : b + 1;
  if (c == TypoClass::kOmissionLast) {
    // The omitted letter ended the word that now ends at p.
    return p - b >= 4 ? 5 : 0;
  }
  size_t e = name.find('-', p);
  if (e == std::string_view::npos) e = name.size();
  return e - p <= 3 ? -5 : 5;
}

// The typing mistakes a hand makes: a letter doubled or one of a double
// dropped, two neighbours swapped, a letter left out of a word, a keyboard
// neighbour typed in place of or next to the intended key.
bool IsSlip(TypoClass c) {
  return c == TypoClass::kRepetition || c == TypoClass::kTransposition ||
         c == TypoClass::kOmission || c == TypoClass::kDroppedRepeat ||
         c == TypoClass::kInsertionNeighbour ||
         c == TypoClass::kSubstitutionNeighbour;
}

// True when `name` comes from `target` (two edits apart) by two slips in a
// row, with *first and *second their classes. Two letters left out, or two
// keys replaced, make another word (pyark, postbot) more often than a slip
// does and do not count.
bool TwoSlips(std::string_view name, std::string_view target,
              TypoClass* first, TypoClass* second) {
  if (name.empty() || target.empty() || name.size() > 64 ||
      target.size() > 64)
    return false;
  char letters[64];
  size_t n_letters = 0;
  for (char ch : name)
    if (std::find(letters, letters + n_letters, ch) == letters + n_letters)
      letters[n_letters++] = ch;
  std::string m;
  auto tried = [&]() {
    TypoClass a = ClassifyTypo(m, target);
    if (!IsSlip(a)) return false;
    TypoClass b = ClassifyTypo(name, m);
    if (!IsSlip(b) || (a == b && (a == TypoClass::kOmission ||
                                  a == TypoClass::kSubstitutionNeighbour)))
      return false;
    *first = a;
    *second = b;
    return true;
  };
  for (size_t i = 0; i < target.size(); ++i) {  // a letter left out
    m.assign(target.substr(0, i)).append(target.substr(i + 1));
    if (tried()) return true;
  }
  for (size_t i = 0; i + 1 < target.size(); ++i) {  // two swapped
    if (target[i] == target[i + 1]) continue;
    m.assign(target);
    std::swap(m[i], m[i + 1]);
    if (tried()) return true;
  }
  // Letters typed in place of or next to another: only letters of `name`
  // can end up in it.
  for (size_t k = 0; k < n_letters; ++k) {
    for (size_t i = 0; i <= target.size(); ++i) {
      m.assign(target.substr(0, i)).push_back(letters[k]);
      m.append(target.substr(i));
      if (tried()) return true;
      if (i < target.size() && target[i] != letters[k]) {
        m.assign(target);
        m[i] = letters[k];
        if (tried()) return true;
      }
    }
  }
  return false;
}

// Calls fn(hash) for each distinct string made by deleting two characters
// of `s` (hashed under `tag`); nothing for strings over 64 characters.
template <typename Fn>
void ForEachDoubleDeletion(char tag, std::string_view s, Fn fn) {
  char buf[64];
  if (s.size() > sizeof buf || s.size() < 3) return;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (j > i + 1 && s[j] == s[j - 1]) continue;
      size_t n = 0;
      for (size_t k = 0; k < s.size(); ++k)
        if (k != i && k != j) buf[n++] = s[k];
      fn(TaggedHash(tag, std::string_view(buf, n)));
    }
  }
}

// True when `name` and `target` have the same length and differ in exactly
// two places apart from each other: two letters replaced, which is how
// another word is made (pydantic-form, pydantic-core).
bool TwoReplaced(std::string_view name, std::string_view target) {
  if (name.size() != target.size()) return false;
  size_t first = 0, second = 0, n = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == target[i]) continue;
    if (++n > 2) return false;
    (n == 1 ? first : second) = i;
  }
  // Two neighbours replaced read as a letter added and another dropped
  // ("requesgt") or a swap and a slip ("reqeosts").
  return n == 2 && second > first + 1;
}

constexpr int kTypo2Base = 5;          // two edits: weak unless long and top
// Two arbitrary mistakes of one of the hundred most downloaded names, first
// letter kept, no word split or joined, and not two letters replaced
// (TwoReplaced): "reqeosts", "colorhrama". Few names that close to a top-100
// name are unrelated to it.
constexpr int kTypo2TopBase = 10;
constexpr int kTypo2TopRank = 100;
constexpr int kTypo2SlipsBase = 20;    // two slips (see TwoSlips)
constexpr size_t kMaxTwoSlipsName = 24;  // longest name probed for two slips
constexpr size_t kMinTypo2Length = 8;  // letters a target needs for typo2
constexpr int kMaxTypo2Rank = 1000;    // typo2 targets: the most downloaded
constexpr int kStrongTypoBase = 30;    // typo classes that combine with others
constexpr int kRepeatsBase = 45;       // several letters doubled or undoubled
// The index refuses to register a name "too similar" to an existing one
// (only '.', '_', '-' and l/i/1, o/0 differ): such a name exists only from
// before the rule, so it is weak evidence of a new squat, and none of the
// names reported malicious in ../shared/names takes either form.
constexpr int kTooSimilarBase = 35;
constexpr int kLookalikeBase = 45;     // rn/m, 0/o, 1/l ...
constexpr int kDelimiterBase = 15;     // only '-', '_', '.' differ (refused too)
constexpr int kSpellingBase = 40;      // colour/color
constexpr int kReorderBase = 30;       // the same 3+ words in another order
constexpr int kSwapTwoWordsBase = 20;  // two words swapped (json-compress)
// py/python added: how wrappers of a project are ordinarily named
// (pyduckdb, pyzopfli), so weak evidence alone.
constexpr int kPyAddedBase = 20;       // py/python/python3 added
constexpr int kPyChangedBase = 10;     // ... removed or exchanged
// A claim to be pip or an installer ("randompip", "pygame-install"): code
// that runs at install time is what a squatter wants people to fetch.
constexpr int kInstallerDecorationBase = 45;
constexpr int kReleaseDecorationBase = 35;  // "-dev", "fix", "update"
constexpr int kVersionDecorationBase = 25;  // "2", "-v3"
constexpr int kAddonDecorationBase = 20;    // "utils", "sdk", "tools"
constexpr int kStackedDecorationPoints = 10;  // several glued decorations
// Highest score of a match that is reported but never suspicious alone: the
// forms the index refuses (delimiter, too-similar) and add-on decorations,
// which is how companion projects are ordinarily named (decorator-helper).
constexpr int kWeakKindCap = kNameSuspiciousScore - 5;
constexpr int kPluralBase = 20;             // an 's' added or removed
constexpr int kStdlibNameScore = 40;        // the name of a built-in module
constexpr int kAmbiguityPenalty = 10;       // per typo match, several targets
constexpr int kCompetingTypoScore = 50;     // a typo match that counts as one
constexpr int kConfusionScore = 90;
// Names longer than this are not compared (no popular name comes close, and
// the work per name must stay bounded whatever the input).
constexpr size_t kMaxComparedLength = 200;
constexpr int kMaliciousScore = 100;

// Evidence from the target's popularity: squatters aim at the most
// downloaded projects, and the most downloaded sit far from each other.
int PopularityPoints(int rank) {
  if (rank == 0) return 12;  // standard-library module
  if (rank <= 100) return 30;
  if (rank <= 300) return 25;
  if (rank <= 1000) return 20;
  if (rank <= 3000) return 12;
  return 5;
}

// Evidence from the target's length: a short name has many innocent
// neighbours (toml/tomli), a long one few. Three letters or fewer: none.
int LengthPoints(int len) {
  if (len <= 3) return 0;
  return std::min(30, (len - 3) * 5);
}

// Calls fn(hash) for `s` and for each distinct string made by deleting one
// character of it, hashed under `tag`.
template <typename Fn>
void ForEachDeletion(char tag, std::string_view s, Fn fn) {
  fn(TaggedHash(tag, s));
  char buf[256];
  if (s.size() > sizeof buf) return;  // no project name is that long
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // same string as i - 1
    std::copy(s.begin(), s.begin() + i, buf);
    std::copy(s.begin() + i + 1, s.end(), buf + i);
    fn(TaggedHash(tag, std::string_view(buf, s.size() - 1)));
  }
}

std::string SortedTokensKey(std::string_view norm) {
  std::vector<std::string_view> tokens;
  for (std::string_view t : Split(norm, '-'))
    if (!t.empty()) tokens.push_back(t);
  if (tokens.size() < 2) return "";
  std::sort(tokens.begin(), tokens.end());
  std::string key;
  for (std::string_view t : tokens) {
    key.append(t);
    key.push_back('-');
  }
  return key;
}

// The name with a leading or trailing py / python / python3 word removed
// ("python-dateutil" -> "dateutil", "colorama-py" -> "colorama"), as bare
// (delimiter-free) strings of at least 3 letters.
std::vector<std::string> PyCores(std::string_view norm) {
  static const char* const kAffixes[] = {"python3", "python", "py"};
  std::vector<std::string> out;
  for (const char* a : kAffixes) {
    std::string_view affix = a;
    if (norm.size() > affix.size() + 3 &&
        norm.substr(0, affix.size()) == affix) {
      std::string core = WithoutDelimiters(norm.substr(affix.size()));
      if (core.size() >= 3) out.push_back(core);
    }
    if (norm.size() > affix.size() + 3 &&
        norm.substr(norm.size() - affix.size()) == affix) {
      std::string core =
          WithoutDelimiters(norm.substr(0, norm.size() - affix.size()));
      if (core.size() >= 3) out.push_back(core);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsVersionToken(std::string_view t) {
  if (!t.empty() && t.front() == 'v') t.remove_prefix(1);
  if (t.empty()) return false;
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Length of the trailing version glued to a bare name ("requests2" -> 1,
// "httpxv2" -> 2), 0 when none.
size_t GluedVersionLength(std::string_view bare) {
  size_t n = 0;
  while (n < bare.size() && bare[bare.size() - 1 - n] >= '0' &&
         bare[bare.size() - 1 - n] <= '9')
    ++n;
  if (n == 0) return 0;
  if (n < bare.size() && bare[bare.size() - 1 - n] == 'v') ++n;
  return n;
}

}  // namespace

NameChecker::NameChecker(const NameData& data,
                         const MaliciousNameSource* malicious,
                         const PrivateNameSource* private_names)
    : malicious_(malicious), private_names_(private_names) {
  namespaces_ = data.namespaces;
  std::sort(namespaces_.begin(), namespaces_.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
  for (const auto& [token, kind] : data.decorations)
    decorations_.emplace_back(token,
                              kind == "installer" ? kInstallerDecorationBase
                              : kind == "release" ? kReleaseDecorationBase
                                                  : kAddonDecorationBase);
  lookalikes_ = data.lookalikes;
  spellings_ = data.spellings;
  for (const std::string& s : data.stdlib) stdlib_.insert(s);
  for (const std::string& n : data.allowed_names) allowed_names_.insert(n);
  for (const auto& [a, b] : data.allowed_pairs) {
    allowed_pairs_.insert(a + "\t" + b);
    allowed_pairs_.insert(b + "\t" + a);
  }

  targets_.reserve(data.popular.size() + data.stdlib.size());
  rank_.reserve(data.popular.size());
  for (const PopularName& p : data.popular) {
    auto [it, fresh] = rank_.emplace(p.name, p.rank);
    if (!fresh) {
      it->second = std::min(it->second, p.rank);
      continue;
    }
    targets_.push_back({p.name, WithoutDelimiters(p.name), p.rank, 0, 0, {}});
  }
  for (const std::string& s : data.stdlib)
    if (!rank_.count(s))
      targets_.push_back({s, WithoutDelimiters(s), 0, 0, 0, {}});
  // Aliases take the rank of the project they name when it is better.
  {
    std::unordered_map<std::string, size_t> where;
    for (size_t i = 0; i < targets_.size(); ++i) where[targets_[i].name] = i;
    for (const auto& [alias, project] : data.aliases) {
      auto p = rank_.find(project);
      if (p == rank_.end() || alias == project) continue;
      auto w = where.find(alias);
      if (w == where.end()) {
        where[alias] = targets_.size();
        targets_.push_back(
            {alias, WithoutDelimiters(alias), p->second, 0, 0, project});
        continue;
      }
      Target& t = targets_[w->second];
      if (t.rank > 0 && t.rank > p->second) {  // not a stdlib module
        t.rank = p->second;
        t.alias_of = project;
      }
    }
  }

  index_.Reserve(targets_.size() * 30);
  for (uint32_t id = 0; id < targets_.size(); ++id) {
    Target& t = targets_[id];
    size_t ns = NamespaceLength(t.name);
    if (ns > 0 && ns < t.name.size()) {
      t.ns_len = static_cast<int>(ns);
      t.ns_bare_len =
          static_cast<int>(WithoutDelimiters(t.name.substr(0, ns)).size());
    }
    index_.Add(TaggedHash('B', t.bare), id);
    if (t.bare.size() < 4) continue;  // too short to be a target of anything
    index_.Add(TaggedHash('C', CollapseRepeats(t.name)), id);
    index_.Add(TaggedHash('S', TooSimilarKey(t.name)), id);
    std::string key = SortedTokensKey(t.name);
    if (!key.empty()) index_.Add(TaggedHash('T', key), id);
    for (const std::string& core : PyCores(t.name))
      index_.Add(TaggedHash('P', core), id);
    ForEachDeletion('D', t.name, [&](uint64_t h) { index_.Add(h, id); });
    // Two-letter deletions of long, much-downloaded names (edit distance 2).
    if (t.rank > 0 && t.rank <= kMaxTypo2Rank &&
        t.bare.size() >= kMinTypo2Length && t.name.size() <= 64) {
      char buf[64];
      for (size_t i = 0; i < t.name.size(); ++i) {
        if (i > 0 && t.name[i] == t.name[i - 1]) continue;
        std::copy(t.name.begin(), t.name.begin() + i, buf);
        std::copy(t.name.begin() + i + 1, t.name.end(), buf + i);
        std::string_view once(buf, t.name.size() - 1);
        ForEachDeletion('D', once, [&](uint64_t h) {
          if (h != TaggedHash('D', once)) index_.Add(h, id);
        });
      }
    }
  }
  index_.Finish();
}

std::unique_ptr<NameChecker> NameChecker::Load(const std::string& dir,
                                               std::string* err,
                                               const MaliciousNameSource* malicious) {
  NameData data;
  if (!LoadNameData(dir.empty() ? DefaultNameDataDir() : dir, &data, err))
    return nullptr;
  return std::make_unique<NameChecker>(data, malicious);
}

int NameChecker::PopularRank(std::string_view name) const {
  auto it = rank_.find(NormalizeName(name));
  return it == rank_.end() ? 0 : it->second;
}

size_t NameChecker::NamespaceLength(std::string_view norm) const {
  for (const std::string& ns : namespaces_)
    if (norm.size() > ns.size() && norm.substr(0, ns.size()) == ns)
      return ns.size();
  return 0;
}

bool NameChecker::Allowed(const std::string& name,
                          const std::string& target) const {
  if (allowed_pairs_.empty()) return false;
  return allowed_pairs_.count(name + "\t" + target) > 0;
}

template <typename Fn>
void NameChecker::ForKey(char tag, std::string_view key, Fn fn) const {
  index_.ForEach(TaggedHash(tag, key), [&](uint32_t id) {
    const Target& t = targets_[id];
    bool same = false;
    switch (tag) {
      case 'B':
        same = t.bare == key;
        break;
      case 'C':
        same = CollapseRepeats(t.name) == key;
        break;
      case 'S':
        same = TooSimilarKey(t.name) == key;
        break;
      case 'T':
        same = SortedTokensKey(t.name) == key;
        break;
      case 'P': {
        std::vector<std::string> cores = PyCores(t.name);
        same = std::find(cores.begin(), cores.end(), key) != cores.end();
        break;
      }
    }
    if (same) fn(id);
  });
}

int NameChecker::Score(const Target& t, const std::string& norm,
                       int base) const {
  int len = static_cast<int>(t.bare.size());
  // Within a plugin namespace only the part after the prefix tells projects
  // apart: pytest-cov and pytest-cox differ in a three-letter word.
  if (t.ns_len > 0 && norm.size() > static_cast<size_t>(t.ns_len) &&
      norm.compare(0, t.ns_len, t.name, 0, t.ns_len) == 0)
    len -= t.ns_bare_len;
  if (len <= 3) return 0;
  return std::min(99, base + LengthPoints(len) + PopularityPoints(t.rank));
}

void NameChecker::AddMatch(uint32_t id, const std::string& norm,
                           const char* kind, int base, std::string detail,
                           std::vector<NameMatch>* out, int cap) const {
  const Target& t = targets_[id];
  if (t.name == norm || Allowed(norm, t.name)) return;
  int score = std::min(cap, Score(t, norm, base));
  if (score <= 0) return;
  if (!t.alias_of.empty())
    detail += fmt::format("; '{}' is a name people type for '{}'", t.name,
                          t.alias_of);
  out->push_back({t.name, kind, t.rank, score, std::move(detail), {}});
}

void NameChecker::Candidates(const std::string& norm, const std::string& bare,
                             std::vector<NameMatch>* out) const {
  // Typing mistakes: one edit (with adjacent swaps) of the normalised name,
  // found through the symmetric-delete index and confirmed by ClassifyTypo.
  uint32_t ids[128];
  size_t n_ids = 0;
  ForEachDeletion('D', norm, [&](uint64_t h) {
    index_.ForEach(h, [&](uint32_t id) {
      if (n_ids < std::size(ids) &&
          std::find(ids, ids + n_ids, id) == ids + n_ids)
        ids[n_ids++] = id;
    });
  });
  // Edit distance 2: the same probes also meet targets one letter dropped
  // and another added away, and - through the two-letter deletions indexed
  // for long popular targets - targets with one or two letters left out.
  // Two-letter deletions of the name meet the keys of long, much-downloaded
  // targets two edits away that the probes above miss (a letter added and
  // another replaced: "reqeustx").
  // Bounded to the lengths of such targets, so that the quadratic number of
  // probes stays small.
  size_t n_probed = n_ids;
  if (norm.size() + 1 >= kMinTypo2Length && norm.size() <= kMaxTwoSlipsName) {
    ForEachDoubleDeletion('D', norm, [&](uint64_t h) {
      index_.ForEach(h, [&](uint32_t id) {
        const Target& t = targets_[id];
        if (t.rank == 0 || t.rank > kMaxTypo2Rank ||
            t.bare.size() < kMinTypo2Length)
          return;
        if (n_ids < std::size(ids) &&
            std::find(ids, ids + n_ids, id) == ids + n_ids)
          ids[n_ids++] = id;
      });
    });
  }
  for (size_t i = 0; i < n_ids; ++i) {
    const Target& t = targets_[ids[i]];
    TypoClass c = i < n_probed ? ClassifyTypo(norm, t.name) : TypoClass::kNone;
    if (c != TypoClass::kNone) {
      // Only delimiters differ: a form the index refuses (see
      // kWeakKindCap).
      AddMatch(ids[i], norm, "typo",
               TypoBase(c) + EdgeOmissionPoints(c, norm, t.name),
               TypoClassLabel(c), out, t.bare == bare ? kWeakKindCap : 99);
    } else if (t.bare.size() >= kMinTypo2Length && t.bare != bare &&
               OsaDistance(norm, t.name, 2) == 2) {
      // Two slips of the first letter kept, on a much-downloaded name,
      // are how squatters multiply one target ("reqeustx", "seleiumm").
      TypoClass a, b;
      if (t.rank > 0 && t.rank <= kMaxTypo2Rank && norm[0] == t.name[0] &&
          TwoSlips(norm, t.name, &a, &b))
        AddMatch(ids[i], norm, "typo2", kTypo2SlipsBase,
                 fmt::format("two typing slips ({}, {})", TypoClassLabel(a),
                             TypoClassLabel(b)),
                 out);
      else if (t.rank > 0 && t.rank <= kTypo2TopRank && norm[0] == t.name[0] &&
               std::count(norm.begin(), norm.end(), '-') ==
                   std::count(t.name.begin(), t.name.end(), '-') &&
               !TwoReplaced(norm, t.name))
        AddMatch(ids[i], norm, "typo2", kTypo2TopBase,
                 "two typing mistakes of a top name", out);
      else if (i < n_probed)
        AddMatch(ids[i], norm, "typo2", kTypo2Base, "two typing mistakes",
                 out);
    }
  }

  // Several letters doubled or undoubled ("pycparserrr").
  ForKey('C', CollapseRepeats(norm), [&](uint32_t id) {
    if (OsaDistance(norm, targets_[id].name, 1) > 1)
      AddMatch(id, norm, "repeats", kRepeatsBase,
               "doubled or undoubled letters", out);
  });

  // Only the delimiters differ ("typingextensions", "py-yaml").
  ForKey('B', bare, [&](uint32_t id) {
    AddMatch(id, norm, "delimiter", kDelimiterBase,
             "delimiters added or removed", out, kWeakKindCap);
  });

  // The index's "too similar" rule (l/i/1, o/0, delimiters).
  ForKey('S', TooSimilarKey(norm), [&](uint32_t id) {
    if (targets_[id].bare != bare)
      AddMatch(id, norm, "too-similar", kTooSimilarBase,
               "the index treats the two names as too similar", out,
               kWeakKindCap);
  });

  // Look-alike sequences: rn for m, vv for w, 0 for o ...
  std::string variant;
  for (const auto& pair : lookalikes_) {
    // Named references, not a structured binding: clang 14 (the fuzz build)
    // cannot capture a binding in the lambda below.
    const std::string& seen = pair.first;
    const std::string& intended = pair.second;
    for (size_t p = bare.find(seen); p != std::string::npos;
         p = bare.find(seen, p + 1)) {
      variant.assign(bare, 0, p);
      variant.append(intended);
      variant.append(bare, p + seen.size());
      ForKey('B', variant, [&](uint32_t id) {
        AddMatch(id, norm, "lookalike", kLookalikeBase,
                 fmt::format("'{}' looks like '{}'", seen, intended), out);
      });
    }
  }

  // The same words in another order ("normalizer-charset").
  std::string key = SortedTokensKey(norm);
  if (!key.empty())
    ForKey('T', key, [&](uint32_t id) {
      // Two words read naturally in either order (json-compress,
      // compress-json); reshuffling a longer name is imitation.
      bool two = std::count(norm.begin(), norm.end(), '-') == 1;
      AddMatch(id, norm, "reorder", two ? kSwapTwoWordsBase : kReorderBase,
               two ? "two words swapped" : "words reordered", out);
    });

  // py / python / python3 added, removed or exchanged.
  for (const std::string& core : PyCores(norm)) {
    ForKey('B', core, [&](uint32_t id) {
      AddMatch(id, norm, "py-affix", kPyAddedBase, "py/python word added", out);
    });
    ForKey('P', core, [&](uint32_t id) {
      AddMatch(id, norm, "py-affix", kPyChangedBase, "py/python word exchanged",
               out);
    });
  }
  ForKey('P', bare, [&](uint32_t id) {
    AddMatch(id, norm, "py-affix", kPyChangedBase, "py/python word removed",
             out);
  });

  // Plural and singular of the last word.
  {
    std::string forms[5];
    int n = 0;
    forms[n++] = bare + "s";
    if (bare.size() > 1 && bare.back() == 's')
      forms[n++] = bare.substr(0, bare.size() - 1);
    if (bare.size() > 2 && bare.ends_with("es"))
      forms[n++] = bare.substr(0, bare.size() - 2);
    if (bare.size() > 3 && bare.ends_with("ies"))
      forms[n++] = bare.substr(0, bare.size() - 3) + "y";
    if (bare.size() > 1 && bare.back() == 'y')
      forms[n++] = bare.substr(0, bare.size() - 1) + "ies";
    for (int i = 0; i < n; ++i)
      ForKey('B', forms[i], [&](uint32_t id) {
        AddMatch(id, norm, "plural", kPluralBase, "plural/singular", out);
      });
  }

  // American and British spelling.
  for (const auto& [us, uk] : spellings_) {
    for (int dir = 0; dir < 2; ++dir) {
      const std::string& from = dir ? uk : us;
      const std::string& to = dir ? us : uk;
      size_t p = bare.find(from);
      if (p == std::string::npos) continue;
      variant.assign(bare, 0, p);
      variant.append(to);
      variant.append(bare, p + from.size());
      ForKey('B', variant, [&](uint32_t id) {
        AddMatch(id, norm, "spelling", kSpellingBase,
                 fmt::format("'{}' spelt '{}'", to, from), out);
      });
    }
  }

  // Decoration: a popular name plus "dev", "fix", "utils", a version...
  // Names under a plugin namespace ("flask-api", "requests-tools") follow
  // the namespace's naming and are not add-on decorations of its root.
  {
    struct Core {
      std::string bare;
      std::string token;
      int base;
      std::string spelled;  // the core as written, with its delimiters
      bool stacked = false;  // several decorations stripped
    };
    std::vector<Core> cores;
    const size_t own_ns = NamespaceLength(norm);
    auto decoration = [&](std::string_view token) -> int {
      for (const auto& [d, base] : decorations_)
        if (d == token) return base;
      return 0;
    };
    std::vector<std::string_view> tokens;
    for (std::string_view t : Split(norm, '-'))
      if (!t.empty()) tokens.push_back(t);
    auto join = [&](size_t b, size_t e) {
      std::string s;
      for (size_t i = b; i < e; ++i) s.append(tokens[i]);
      return s;
    };
    auto spell = [&](size_t b, size_t e) {
      std::string s;
      for (size_t i = b; i < e; ++i) {
        if (i > b) s.push_back('-');
        s.append(tokens[i]);
      }
      return s;
    };
    // `norm` without its first or last `letters` non-delimiter characters
    // (and the delimiters next to them).
    auto drop = [&](size_t letters, bool front) {
      std::string s = norm;
      if (!front) std::reverse(s.begin(), s.end());
      size_t i = 0, seen = 0;
      while (i < s.size() && (seen < letters || s[i] == '-'))
        if (s[i++] != '-') ++seen;
      s.erase(0, i);
      if (!front) std::reverse(s.begin(), s.end());
      return s;
    };
    if (tokens.size() >= 2) {
      size_t end = tokens.size();
      while (end > 1 && IsVersionToken(tokens[end - 1])) --end;
      if (end < tokens.size())
        cores.push_back({join(0, end), "version", kVersionDecorationBase,
                         spell(0, end)});
      if (end > 1)
        if (int base = decoration(tokens[end - 1]))
          cores.push_back({join(0, end - 1), std::string(tokens[end - 1]),
                           base, spell(0, end - 1)});
      if (int base = decoration(tokens[0]))
        cores.push_back({join(1, tokens.size()), std::string(tokens[0]), base,
                         spell(1, tokens.size())});
    }
    if (size_t v = GluedVersionLength(bare); v > 0 && bare.size() - v >= 4)
      cores.push_back({bare.substr(0, bare.size() - v), "version",
                       kVersionDecorationBase, drop(v, false)});
    for (const auto& [d, base] : decorations_) {
      if (d.size() < 3 || bare.size() < d.size() + 4) continue;
      if (bare.ends_with(d))
        cores.push_back({bare.substr(0, bare.size() - d.size()), d, base,
                         drop(d.size(), false)});
      if (bare.starts_with(d))
        cores.push_back({bare.substr(d.size()), d, base, drop(d.size(), true)});
    }
    // Several decorations glued on one after the other ("pipcryptov2",
    // "syscolourtoolkit"): a name built from a popular one and a heap of
    // claims, at least one of them a release or installer claim. Only in
    // glued names: "twisted-dev-tools" names a companion project.
    if (norm.find('-') == std::string::npos) {
      std::string core = bare, what;
      int n = 0, best = 0;
      for (bool more = true; more && n < 4;) {
        more = false;
        if (size_t v = GluedVersionLength(core);
            v > 0 && core.size() - v >= 4) {
          core.resize(core.size() - v);
          what += n++ ? "+version" : "version";
          best = std::max(best, kVersionDecorationBase);
          more = true;
          continue;
        }
        for (const auto& [d, base] : decorations_) {
          if (d.size() < 3 || core.size() < d.size() + 4) continue;
          bool end = core.ends_with(d);
          if (!end && !core.starts_with(d)) continue;
          core = end ? core.substr(0, core.size() - d.size())
                     : core.substr(d.size());
          what += (n++ ? "+" : "") + d;
          best = std::max(best, base);
          more = true;
          break;
        }
      }
      if (n >= 2 && best >= kReleaseDecorationBase)
        cores.push_back(
            {core, what, best + kStackedDecorationPoints, core, true});
    }
    for (const Core& c : cores) {
      // A decorated typo ("colarama-api"): the core is one strong typing
      // mistake away from a popular name.
      if (!c.stacked) {
        uint32_t core_ids[32];
        size_t n_core = 0;
        ForEachDeletion('D', c.bare, [&](uint64_t h) {
          index_.ForEach(h, [&](uint32_t id) {
            if (n_core < std::size(core_ids) &&
                std::find(core_ids, core_ids + n_core, id) == core_ids + n_core)
              core_ids[n_core++] = id;
          });
        });
        for (size_t i = 0; i < n_core; ++i) {
          const Target& t = targets_[core_ids[i]];
          if (t.name.find('-') != std::string::npos)
            continue;  // bare cores only
          TypoClass tc = ClassifyTypo(c.bare, t.name);
          if (TypoBase(tc) < kStrongTypoBase) continue;
          AddMatch(core_ids[i], norm, "decoration",
                   std::min(c.base, TypoBase(tc)) - 10,
                   fmt::format("decoration '{}' added to a typo ({})", c.token,
                               TypoClassLabel(tc)),
                   out);
        }
      }
      ForKey('B', c.bare, [&](uint32_t id) {
        const Target& t = targets_[id];
        // The core must be the target as written, or one glued word: a
        // decoration that cuts a word ("pipi-json" is not pip + ijson) or a
        // core split differently ("pip-pkg-info") is another name.
        if (c.spelled != t.name &&
            c.spelled.find('-') != std::string::npos)
          return;
        // "flask-api" under the "flask-" namespace names a plugin; a claim
        // to be a release ("requests-latest") is no plugin name.
        if (own_ns > 0 && t.name.size() == own_ns - 1 &&
            norm.compare(0, own_ns - 1, t.name) == 0 &&
            c.base != kReleaseDecorationBase &&
            c.base != kInstallerDecorationBase)
          return;
        // A standard-library name plus a version is how backports are
        // named (enum34, futures3).
        if (t.rank == 0 && c.token == "version") return;
        AddMatch(id, norm, "decoration", c.base,
                 fmt::format("decoration '{}' added", c.token), out,
                 c.base == kAddonDecorationBase ? kWeakKindCap : 99);
      });
    }
  }
}

NameReport NameChecker::Check(std::string_view name) const {
  NameReport r;
  r.name = std::string(name);
  if (!IsValidName(name)) {
    r.valid = false;
    r.verdict = Verdict::kError;
    r.reasons.push_back(fmt::format(
        "'{}' is not a valid project name (letters, digits, '.', '_', '-'; "
        "starting and ending with a letter or digit)",
        Printable(name, 80)));
    return r;
  }
  r.normalized = NormalizeName(name);
  const std::string bare = WithoutDelimiters(r.normalized);

  if (malicious_) {
    for (const std::string& id :
         malicious_->MaliciousAdvisories(r.normalized)) {
      r.matches.push_back({r.normalized, "known-malicious", 0, kMaliciousScore,
                           "reported malicious by " + id, id});
    }
  }
  if (private_names_) {
    std::string why;
    if (private_names_->ExposedPrivateName(r.normalized, &why)) {
      r.matches.push_back(
          {r.normalized, "dependency-confusion", 0, kConfusionScore, why, {}});
    }
  }

  auto rank = rank_.find(r.normalized);
  if (rank != rank_.end()) {
    r.popular_rank = rank->second;
    r.reasons.push_back(fmt::format(
        "'{}' is itself a popular project (rank {}): never reported as a squat",
        r.normalized, rank->second));
  } else if (r.normalized.size() > kMaxComparedLength) {
    r.reasons.push_back(fmt::format(
        "name of {} characters: longer than any popular name, not compared",
        r.normalized.size()));
  } else if (allowed_names_.count(r.normalized)) {
    r.reasons.push_back(
        fmt::format("'{}' is on the name allowlist", r.normalized));
  } else {
    std::vector<NameMatch> found;
    Candidates(r.normalized, bare, &found);
    std::sort(found.begin(), found.end(),
              [](const NameMatch& a, const NameMatch& b) {
                if (a.score != b.score) return a.score > b.score;
                return a.target < b.target;
              });
    // Best match per target and kind, best first.
    std::unordered_set<std::string> seen;
    int typo_targets = 0;
    for (NameMatch& m : found) {
      if (!seen.insert(m.target + "\t" + m.kind).second) continue;
      if (m.kind == "typo" && m.score >= kCompetingTypoScore) ++typo_targets;
      r.matches.push_back(std::move(m));
    }
    // A name one plausible typo away from several popular names is a common
    // word shape (pyvn: pyvo, pyvi), not aimed at any one of them.
    if (typo_targets >= 2) {
      for (NameMatch& m : r.matches) {
        if (m.kind != "typo") continue;
        m.score = std::max(0, m.score - kAmbiguityPenalty);
        m.detail += fmt::format("; as close to {} other popular name(s)",
                                typo_targets - 1);
      }
    }
    if (stdlib_.count(r.normalized)) {
      r.matches.push_back({r.normalized, "stdlib-name", 0, kStdlibNameScore,
                           "same name as a standard-library module: installing "
                           "it can shadow the built-in one",
                           {}});
    }
  }

  for (const NameMatch& m : r.matches) r.score = std::max(r.score, m.score);
  std::stable_sort(
      r.matches.begin(), r.matches.end(),
      [](const NameMatch& a, const NameMatch& b) { return a.score > b.score; });
  for (const NameMatch& m : r.matches) {
    if (m.target == r.normalized)  // about the name itself
      r.reasons.push_back(
          fmt::format("{}: {} (score {})", m.kind, m.detail, m.score));
    else
      r.reasons.push_back(
          fmt::format("imitates '{}'{}: {} ({}, score {})", m.target,
                      m.target_rank ? fmt::format(" (rank {})", m.target_rank)
                                    : std::string(" (standard-library module)"),
                      m.detail, m.kind, m.score));
  }
  if (r.score >= kMaliciousScore)
    r.verdict = Verdict::kMalicious;
  else if (r.score >= kNameSuspiciousScore)
    r.verdict = Verdict::kSuspicious;
  return r;
}

std::vector<std::pair<std::string, NameMatch>> NameChecker::PopularNearPairs()
    const {
  std::vector<std::pair<std::string, NameMatch>> out;
  for (const Target& t : targets_) {
    auto own = rank_.find(t.name);  // popular names only, by their own rank
    if (own == rank_.end()) continue;
    std::vector<NameMatch> found;
    Candidates(t.name, t.bare, &found);
    std::sort(found.begin(), found.end(),
              [](const NameMatch& a, const NameMatch& b) {
                if (a.target != b.target) return a.target < b.target;
                return a.score > b.score;
              });
    for (size_t i = 0; i < found.size(); ++i) {
      const NameMatch& m = found[i];
      if (i > 0 && found[i - 1].target == m.target)
        continue;  // best per target
      if (m.target_rank > 0 && m.target_rank < own->second &&
          m.score >= kNamePairScore)
        out.emplace_back(t.name, m);
    }
  }
  return out;
}

}  // namespace pyward
