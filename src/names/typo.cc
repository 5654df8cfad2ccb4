#include "names/typo.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace pyward {
namespace {

// Row and doubled column (half-key stagger) of each key on a QWERTY board.
bool KeyPosition(char c, int* row, int* col2) {
  static const char* const kRows[] = {"1234567890-", "qwertyuiop", "asdfghjkl",
                                      "zxcvbnm"};
  for (int r = 0; r < 4; ++r) {
    for (int i = 0; kRows[r][i]; ++i) {
      if (kRows[r][i] == c) {
        *row = r;
        *col2 = 2 * i + r;  // each row sits half a key right of the one above
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool KeyboardNeighbours(char a, char b) {
  int ra, ca, rb, cb;
  if (a == b || !KeyPosition(a, &ra, &ca) || !KeyPosition(b, &rb, &cb))
    return false;
  return std::abs(ra - rb) <= 1 && std::abs(ca - cb) <= 2;
}

int OsaDistance(std::string_view a, std::string_view b, int max_distance) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > max_distance) return max_distance + 1;
  // Three rolling rows: i-2, i-1, i.
  std::vector<int> rows(3 * (lb + 1));
  int* prev2 = rows.data();
  int* prev = prev2 + (lb + 1);
  int* cur = prev + (lb + 1);
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max_distance) return max_distance + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[lb], max_distance + 1);
}

namespace {

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

TypoClass ClassifyShape(std::string_view name, std::string_view target,
                        char* edited) {
  const size_t ln = name.size(), lt = target.size();
  size_t p = 0;  // first differing position
  while (p < ln && p < lt && name[p] == target[p]) ++p;
  if (ln == lt + 1) {
    // name = target with name[i] inserted, for some i in [p, ...].
    if (name.substr(p + 1) != target.substr(p)) return TypoClass::kNone;
    // Any insertion position in the run of equal letters gives the same
    // name; look at the letters around position p.
    char c = name[p];
    *edited = c;
    if ((p > 0 && name[p - 1] == c) || (p + 1 < ln && name[p + 1] == c))
      return TypoClass::kRepetition;
    if (p == ln - 1 || name[p + 1] == '-') return TypoClass::kInsertionLast;
    if (p == 0 || name[p - 1] == '-') return TypoClass::kInsertionFirst;
    if ((p > 0 && KeyboardNeighbours(c, name[p - 1])) ||
        (p + 1 < ln && KeyboardNeighbours(c, name[p + 1])))
      return TypoClass::kInsertionNeighbour;
    return TypoClass::kInsertion;
  }
  if (ln + 1 == lt) {
    if (target.substr(p + 1) != name.substr(p)) return TypoClass::kNone;
    char c = target[p];
    *edited = c;
    if ((p > 0 && target[p - 1] == c) || (p + 1 < lt && target[p + 1] == c))
      return TypoClass::kDroppedRepeat;
    if (p == 0 || target[p - 1] == '-') return TypoClass::kOmissionFirst;
    if (p == lt - 1 || target[p + 1] == '-') return TypoClass::kOmissionLast;
    return TypoClass::kOmission;
  }
  if (ln != lt || p == ln) return TypoClass::kNone;
  if (name.substr(p + 1) == target.substr(p + 1)) {
    edited[0] = name[p];
    edited[1] = target[p];
    if (KeyboardNeighbours(name[p], target[p]))
      return TypoClass::kSubstitutionNeighbour;
    if (IsVowel(name[p]) && IsVowel(target[p]) && p + 1 < ln &&
        name[p + 1] != '-')
      return TypoClass::kSubstitutionVowel;
    if (p == ln - 1 || name[p + 1] == '-') return TypoClass::kSubstitutionLast;
    return TypoClass::kSubstitution;
  }
  if (p + 1 < ln && name[p] == target[p + 1] && name[p + 1] == target[p] &&
      name.substr(p + 2) == target.substr(p + 2)) {
    edited[0] = name[p];
    edited[1] = name[p + 1];
    return TypoClass::kTransposition;
  }
  return TypoClass::kNone;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when a digit edit at `p` of `s` reads as a version change: the digit
// sits beside another digit or ends a word ("cu112", "pyro5", "tls-client3").
bool VersionLike(std::string_view s, size_t p) {
  bool left = p > 0 && IsDigit(s[p - 1]);
  bool right = p + 1 < s.size() && IsDigit(s[p + 1]);
  bool word_end = p + 1 == s.size() || s[p + 1] == '-';
  return left || right || word_end;
}

}  // namespace

TypoClass ClassifyTypo(std::string_view name, std::string_view target) {
  char edited[2] = {'a', 'a'};
  TypoClass c = ClassifyShape(name, target, edited);
  if (c == TypoClass::kNone) return c;
  if (edited[0] == '-' || edited[1] == '-') return TypoClass::kDelimiterEdit;
  if (IsDigit(edited[0]) || IsDigit(edited[1])) {
    // Digit for digit is a version; a digit added or dropped beside digits
    // or at a word's end is a version too. A digit among letters (pill0w)
    // is an ordinary slip or a look-alike.
    if (IsDigit(edited[0]) && IsDigit(edited[1])) return TypoClass::kDigitEdit;
    // A digit swapped with a letter beside it ("urlli3b") is a slip of the
    // hand, not a new version.
    if (c == TypoClass::kTransposition) return c;
    size_t p = 0;
    while (p < name.size() && p < target.size() && name[p] == target[p]) ++p;
    if (name.size() > target.size() && VersionLike(name, p))
      return TypoClass::kDigitEdit;
    if (name.size() < target.size() && VersionLike(target, p))
      return TypoClass::kDigitEdit;
    if (name.size() == target.size() &&
        (VersionLike(name, p) || VersionLike(target, p)))
      return TypoClass::kDigitEdit;
  }
  return c;
}

const char* TypoClassLabel(TypoClass c) {
  switch (c) {
    case TypoClass::kNone:
      return "none";
    case TypoClass::kRepetition:
      return "repeated letter";
    case TypoClass::kTransposition:
      return "swapped letters";
    case TypoClass::kOmission:
      return "omitted letter";
    case TypoClass::kOmissionFirst:
      return "omitted first letter";
    case TypoClass::kOmissionLast:
      return "omitted last letter";
    case TypoClass::kDroppedRepeat:
      return "dropped doubled letter";
    case TypoClass::kInsertionNeighbour:
      return "added keyboard-neighbour letter";
    case TypoClass::kInsertion:
      return "added letter";
    case TypoClass::kInsertionLast:
      return "added last letter";
    case TypoClass::kInsertionFirst:
      return "added first letter";
    case TypoClass::kSubstitutionNeighbour:
      return "keyboard-neighbour substitution";
    case TypoClass::kSubstitution:
      return "substituted letter";
    case TypoClass::kSubstitutionVowel:
      return "vowel changed";
    case TypoClass::kSubstitutionLast:
      return "substituted last letter";
    case TypoClass::kDelimiterEdit:
      return "word split or joined differently";
    case TypoClass::kDigitEdit:
      return "digit changed";
  }
  return "none";
}

}  // namespace pyward
