#include "names/typo.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(NamesTypo, OsaDistanceCountsSwapsAsOneEdit) {
  EXPECT_EQ(OsaDistance("widget", "widget", 2), 0);
  EXPECT_EQ(OsaDistance("widget", "wdiget", 2), 1);   // swap
  EXPECT_EQ(OsaDistance("widget", "widgets", 2), 1);  // insertion
  EXPECT_EQ(OsaDistance("widget", "wiget", 2), 1);    // deletion
  EXPECT_EQ(OsaDistance("widget", "wodget", 2), 1);   // substitution
  EXPECT_EQ(OsaDistance("widget", "wodgets", 2), 2);
  EXPECT_EQ(OsaDistance("widget", "gadget", 1), 2);  // capped at max + 1
  EXPECT_EQ(OsaDistance("", "abc", 5), 3);
  EXPECT_EQ(OsaDistance("abcdefgh", "a", 2), 3);
}

TEST(NamesTypo, KeyboardNeighbours) {
  EXPECT_TRUE(KeyboardNeighbours('q', 'w'));
  EXPECT_TRUE(KeyboardNeighbours('s', 'w'));
  EXPECT_TRUE(KeyboardNeighbours('b', 'n'));
  EXPECT_FALSE(KeyboardNeighbours('q', 'p'));
  EXPECT_FALSE(KeyboardNeighbours('a', 'a'));
  EXPECT_FALSE(KeyboardNeighbours('a', '#'));
}

struct TypoCase {
  const char* name;
  const char* target;
  TypoClass want;
};

TEST(NamesTypo, ClassifiesEachKindOfSlip) {
  const TypoCase cases[] = {
      {"widgettkit", "widgetkit", TypoClass::kRepetition},
      {"wdigetkit", "widgetkit", TypoClass::kTransposition},
      {"widgetkti", "widgetkit", TypoClass::kTransposition},
      {"widgtkit", "widgetkit", TypoClass::kOmission},
      {"idgetkit", "widgetkit", TypoClass::kOmissionFirst},
      {"widgetki", "widgetkit", TypoClass::kOmissionLast},
      {"balon", "balloon", TypoClass::kNone},  // two letters: not one edit
      {"baloon", "balloon", TypoClass::kDroppedRepeat},
      {"widgertkit", "widgetkit", TypoClass::kInsertionNeighbour},
      {"widgexkit", "widgetkit", TypoClass::kSubstitution},
      {"wadgetkit", "widgetkit", TypoClass::kSubstitutionVowel},
      {"widgetkitz", "widgetkit", TypoClass::kInsertionLast},
      {"widgetqkit", "widgetkit", TypoClass::kInsertion},
      {"widgetkiy", "widgetkit", TypoClass::kSubstitutionNeighbour},
      {"widgetkim", "widgetkit", TypoClass::kSubstitutionLast},
      {"widget-kit", "widgetkit", TypoClass::kDelimiterEdit},
      {"widgetkit3", "widgetkit2", TypoClass::kDigitEdit},
      {"runtime-cu112", "runtime-cu12", TypoClass::kDigitEdit},
      {"widgetkit", "widgetkit", TypoClass::kNone},
      {"gadgetkit", "widgetkit", TypoClass::kNone},
  };
  for (const TypoCase& c : cases)
    EXPECT_EQ(ClassifyTypo(c.name, c.target), c.want)
        << c.name << " vs " << c.target;
}

TEST(NamesTypo, DigitAmongLettersIsAnOrdinarySlip) {
  // "wid9et": a digit typed for a letter inside a word is not a version.
  EXPECT_NE(ClassifyTypo("wid9etkit", "widgetkit"), TypoClass::kDigitEdit);
  EXPECT_NE(ClassifyTypo("wid9etkit", "widgetkit"), TypoClass::kNone);
}

TEST(NamesTypo, DigitSwappedWithALetterIsASwap) {
  // "widgetki3t": the hand swapped two keys; a new version changes digits.
  EXPECT_EQ(ClassifyTypo("widgetki3t", "widgetkit3"),
            TypoClass::kTransposition);
  EXPECT_EQ(ClassifyTypo("widgetkit23", "widgetkit32"), TypoClass::kDigitEdit);
}

TEST(NamesTypo, LabelsAreDistinct) {
  EXPECT_STRNE(TypoClassLabel(TypoClass::kRepetition),
               TypoClassLabel(TypoClass::kTransposition));
  EXPECT_STREQ(TypoClassLabel(TypoClass::kNone), "none");
}

}  // namespace
}  // namespace pyward
