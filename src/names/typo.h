// Edit distance and the classes of typing mistakes: how a squatter's name
// differs from the name it imitates by one keystroke.
#pragma once

#include <string_view>

namespace pyward {

// Optimal-string-alignment distance (Levenshtein plus adjacent swaps) of a
// and b, or max_distance + 1 when it is larger than max_distance.
int OsaDistance(std::string_view a, std::string_view b, int max_distance);

// How `name` comes from `target` by one mistake.
enum class TypoClass {
  kNone,                   // not exactly one edit apart
  kRepetition,             // a letter typed twice ("aiohttpp")
  kTransposition,          // two neighbours swapped ("reqeusts")
  kOmission,               // a letter inside the name left out ("beautifulsop")
  kOmissionFirst,          // the first letter of a word left out ("equests")
  kOmissionLast,           // the last letter of a word left out ("httptool")
  kDroppedRepeat,          // one of a doubled letter left out ("progresbar2")
  kInsertionNeighbour,     // a keyboard neighbour of its neighbour added
  kInsertion,              // another letter added inside the name
  kInsertionLast,          // a letter added at the end of a word ("fabrice")
  kInsertionFirst,         // a letter added before a word ("mdatasets")
  kSubstitutionNeighbour,  // a letter replaced by a keyboard neighbour
  kSubstitutionVowel,      // a vowel replaced by another ("colarama")
  kSubstitution,           // a letter replaced inside the name
  kSubstitutionLast,       // the last letter of a word replaced
  kDelimiterEdit,          // the edit adds, drops or moves a '-' (word split)
  kDigitEdit,              // the edit touches a digit (a version, "cu112")
};

// The class of the single edit turning `target` into `name`; kNone unless
// their OSA distance is exactly 1. "First" and "last" refer to the words of
// the name ('-' separates words): an edit at a word's edge makes another word
// (em-parser, eml-parser) more often than a slip does. Edits of a '-' or of a
// digit get their own classes whatever their shape: they split words or change
// versions.
TypoClass ClassifyTypo(std::string_view name, std::string_view target);

// A short label for reports ("repeated letter", "swapped letters", ...).
const char* TypoClassLabel(TypoClass c);

// True when a and b are neighbours on a QWERTY keyboard.
bool KeyboardNeighbours(char a, char b);

}  // namespace pyward
