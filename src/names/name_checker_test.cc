#include "names/name_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "util/file_util.h"

namespace pyward {
namespace {

// A small, made-up popular list: the rules are exercised on synthetic
// names, not on any real incident.
NameData TestData() {
  NameData d;
  d.popular = {{"quantumleap", 1},
               {"typing-extensions", 2},
               {"pyyaml", 3},
               {"python-dateutil", 4},
               {"colorizer", 5},
               {"toml", 6},
               {"tomli", 7},
               {"pytest", 8},
               {"pytest-cov", 9},
               {"flask", 10},
               {"charset-normalizer", 11},
               {"dreamland", 12},
               {"widgetkit", 13},
               {"six", 14},
               {"mandolin", 20},
               {"hammerhead", 9000},
               {"widgetkat", 500},
               {"widgetkitt", 400},
               {"gizmotron", 30}};
  d.namespaces = {"pytest-", "flask-"};
  d.decorations = {{"dev", "release"}, {"fix", "release"}, {"utils", "addon"}};
  d.lookalikes = {{"rn", "m"}, {"m", "rn"}, {"0", "o"}, {"1", "l"}};
  d.spellings = {{"colorize", "colourize"}};
  d.stdlib = {"asyncio", "os"};
  return d;
}

bool Flagged(const NameReport& r) {
  return r.verdict == Verdict::kSuspicious || r.verdict == Verdict::kMalicious;
}

// The match of `kind` against `target` in r, or nullptr.
const NameMatch* FindMatch(const NameReport& r, const std::string& kind,
                           const std::string& target) {
  for (const NameMatch& m : r.matches)
    if (m.kind == kind && m.target == target) return &m;
  return nullptr;
}

class NamesTyposquat : public ::testing::Test {
 protected:
  NamesTyposquat() : checker_(TestData()) {}
  NameChecker checker_;
};

TEST_F(NamesTyposquat, TypingMistakesOfALongPopularName) {
  for (const char* n :
       {"quantumlaep", "quantumleapp", "quantmleap", "qauntumleap"}) {
    NameReport r = checker_.Check(n);
    EXPECT_TRUE(Flagged(r)) << n;
    const NameMatch* m = FindMatch(r, "typo", "quantumleap");
    ASSERT_NE(m, nullptr) << n;
    EXPECT_EQ(m->target_rank, 1);
    EXPECT_FALSE(r.reasons.empty());
  }
}

TEST_F(NamesTyposquat, TwoTypingMistakesOfALongName) {
  // Two letters left out; one left out and one added elsewhere.
  for (const char* n : {"quantmlep", "quantmleapx"}) {
    NameReport r = checker_.Check(n);
    const NameMatch* m = FindMatch(r, "typo2", "quantumleap");
    ASSERT_NE(m, nullptr) << n;
    // Weaker than one mistake of the same name.
    NameReport one = checker_.Check("quantmleap");
    EXPECT_LT(m->score, FindMatch(one, "typo", "quantumleap")->score);
  }
  // Short targets get no distance-2 candidates.
  EXPECT_EQ(FindMatch(checker_.Check("tx"), "typo2", "toml"), nullptr);
}

// Two slips in a row (a doubled letter and a keyboard neighbour, two
// swaps...) of a long, much-downloaded name weigh more than two arbitrary
// mistakes; two letters left out do not count as slips.
TEST_F(NamesTyposquat, TwoSlipsOfALongName) {
  for (const char* n : {"quanttumleqp", "qunatumlepa"}) {
    NameReport r = checker_.Check(n);
    const NameMatch* m = FindMatch(r, "typo2", "quantumleap");
    ASSERT_NE(m, nullptr) << n;
    EXPECT_NE(m->detail.find("slips"), std::string::npos) << m->detail;
    EXPECT_TRUE(Flagged(r)) << n;
  }
  NameReport left_out = checker_.Check("quantmlep");  // kept: matches point into it
  const NameMatch* two_left_out = FindMatch(left_out, "typo2", "quantumleap");
  ASSERT_NE(two_left_out, nullptr);
  EXPECT_EQ(two_left_out->detail.find("slips"), std::string::npos);
  // The first letter changed: no slips rule.
  NameReport first_changed = checker_.Check("wuantumleqp");
  const NameMatch* first = FindMatch(first_changed, "typo2", "quantumleap");
  EXPECT_TRUE(first == nullptr || first->detail.find("slips") ==
                                      std::string::npos);
}

// Two arbitrary mistakes (not slips) of a top-100 name, first letter kept,
// weigh more than of a less downloaded one; two letters replaced (another
// word) and a changed first letter do not count.
TEST_F(NamesTyposquat, TwoMistakesOfATopName) {
  NameReport r = checker_.Check("quantumzleaq");  // 'z' added, 'p' -> 'q'
  const NameMatch* m = FindMatch(r, "typo2", "quantumleap");
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->detail.find("top name"), std::string::npos) << m->detail;
  EXPECT_TRUE(Flagged(r));
  NameData d = TestData();
  for (PopularName& p : d.popular)
    if (p.name == "quantumleap") p.rank = 900;
  NameChecker lower(d);
  NameReport low = lower.Check("quantumzleaq");
  const NameMatch* lm = FindMatch(low, "typo2", "quantumleap");
  EXPECT_TRUE(lm == nullptr ||
              lm->detail.find("top name") == std::string::npos);
  EXPECT_FALSE(Flagged(low));
  // Two neighbours replaced count ("quantumlemx": a -> m, p -> x).
  NameReport adj_r = checker_.Check("quantumlemx");
  const NameMatch* adj = FindMatch(adj_r, "typo2", "quantumleap");
  ASSERT_NE(adj, nullptr);
  EXPECT_NE(adj->detail.find("top name"), std::string::npos) << adj->detail;
  for (const char* n : {"quantomleop", "xuantumzleap"}) {
    NameReport o = checker_.Check(n);
    const NameMatch* om = FindMatch(o, "typo2", "quantumleap");
    EXPECT_TRUE(om == nullptr ||
                om->detail.find("top name") == std::string::npos)
        << n;
  }
}

// A keyboard neighbour added beside its key (two keys pressed at once)
// weighs as much as two swapped letters, more than another letter added.
TEST_F(NamesTyposquat, FatFingerInsertionWeighsLikeASwap) {
  // Reports kept: the matches point into them.
  NameReport fat_r = checker_.Check("hammerhewad");
  NameReport swap_r = checker_.Check("hammerhaed");
  NameReport other_r = checker_.Check("hammerhepad");
  const NameMatch* fat = FindMatch(fat_r, "typo", "hammerhead");
  const NameMatch* swap = FindMatch(swap_r, "typo", "hammerhead");
  const NameMatch* other = FindMatch(other_r, "typo", "hammerhead");
  ASSERT_NE(fat, nullptr);
  ASSERT_NE(swap, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(fat->score, swap->score);
  EXPECT_GT(fat->score, other->score);
}

// A name people type for a popular project (its import name) is squatted
// like the project: typos of it weigh with the project's rank.
TEST(NamesAliases, TyposOfAnAliasWeighWithTheProjectsRank) {
  NameData d = TestData();
  d.popular.push_back({"gadgetworks", 9500});
  NameChecker plain(d);
  d.aliases = {{"gadgetworks", "quantumleap"},
               {"dreamlandia", "dreamland"},
               {"gizmotron", "hammerhead"}};
  NameChecker with(d);
  NameReport before = plain.Check("gadgetwroks");
  NameReport after = with.Check("gadgetwroks");
  const NameMatch* b = FindMatch(before, "typo", "gadgetworks");
  const NameMatch* a = FindMatch(after, "typo", "gadgetworks");
  ASSERT_NE(b, nullptr);
  ASSERT_NE(a, nullptr);
  EXPECT_GT(a->score, b->score);
  EXPECT_EQ(a->target_rank, 1);
  EXPECT_NE(a->detail.find("quantumleap"), std::string::npos) << a->detail;
  // An alias not on the popular list becomes a target.
  EXPECT_EQ(FindMatch(plain.Check("dreamlnadia"), "typo", "dreamlandia"),
            nullptr);
  NameReport n_r = with.Check("dreamlnadia");
  const NameMatch* n = FindMatch(n_r, "typo", "dreamlandia");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->target_rank, 12);
  // An alias keeps its own rank when that is better, and is not a squat.
  NameReport g_r = with.Check("gizmotorn");
  const NameMatch* g = FindMatch(g_r, "typo", "gizmotron");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->target_rank, 30);
  EXPECT_EQ(with.Check("gadgetworks").popular_rank, 9500);
  EXPECT_FALSE(Flagged(with.Check("gadgetworks")));
}

// A claim to be pip or an installer weighs more than a release claim.
TEST(NamesDecorations, InstallerClaimWeighsMoreThanARelease) {
  NameData d = TestData();
  d.decorations.push_back({"pip", "installer"});
  d.decorations.push_back({"latest", "release"});
  NameChecker checker(d);
  NameReport pip = checker.Check("hammerheadpip");
  NameReport latest = checker.Check("hammerheadlatest");
  const NameMatch* p = FindMatch(pip, "decoration", "hammerhead");
  const NameMatch* l = FindMatch(latest, "decoration", "hammerhead");
  ASSERT_NE(p, nullptr);
  ASSERT_NE(l, nullptr);
  EXPECT_GT(p->score, l->score);
  EXPECT_TRUE(Flagged(pip));
}

// Several decorations glued on a popular name, one of them a release or
// installer claim, are a heap of claims; add-ons alone or words set apart by
// delimiters are not.
TEST_F(NamesTyposquat, StackedDecorations) {
  NameReport r = checker_.Check("fixgizmotronutils");
  const NameMatch* m = FindMatch(r, "decoration", "gizmotron");
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->detail.find("+"), std::string::npos) << m->detail;
  EXPECT_TRUE(Flagged(r));
  EXPECT_TRUE(Flagged(checker_.Check("gizmotronfix2")));
  EXPECT_FALSE(Flagged(checker_.Check("utilsgizmotronutils")));
  EXPECT_FALSE(Flagged(checker_.Check("gizmotron-fix-utils")));
}

TEST_F(NamesTyposquat, SeveralRepeatedLetters) {
  NameReport r = checker_.Check("quanttumleapp");
  EXPECT_NE(FindMatch(r, "repeats", "quantumleap"), nullptr);
  EXPECT_TRUE(Flagged(r));
}

TEST_F(NamesTyposquat, LookalikeSequences) {
  EXPECT_NE(FindMatch(checker_.Check("drearnland"), "lookalike", "dreamland"),
            nullptr);
  EXPECT_NE(FindMatch(checker_.Check("rnandolin"), "lookalike", "mandolin"),
            nullptr);
  // 0 for o: a look-alike, which the index's too-similar rule also covers.
  NameReport zero = checker_.Check("gizm0tron");
  EXPECT_TRUE(FindMatch(zero, "lookalike", "gizmotron") ||
              FindMatch(zero, "too-similar", "gizmotron"));
}

TEST_F(NamesTyposquat, TooSimilarByTheIndexRule) {
  NameReport r = checker_.Check("quantum1eap");
  EXPECT_NE(FindMatch(r, "too-similar", "quantumleap"), nullptr);
  EXPECT_TRUE(Flagged(r));
}

TEST_F(NamesTyposquat, DelimiterChanges) {
  EXPECT_NE(FindMatch(checker_.Check("typingextensions"), "delimiter",
                      "typing-extensions"),
            nullptr);
  EXPECT_NE(
      FindMatch(checker_.Check("quantum-leap"), "delimiter", "quantumleap"),
      nullptr);
}

TEST_F(NamesTyposquat, TokenReordering) {
  EXPECT_NE(FindMatch(checker_.Check("normalizer-charset"), "reorder",
                      "charset-normalizer"),
            nullptr);
}

TEST_F(NamesTyposquat, PyPrefixesAndSuffixes) {
  EXPECT_NE(
      FindMatch(checker_.Check("pyquantumleap"), "py-affix", "quantumleap"),
      nullptr);
  EXPECT_NE(FindMatch(checker_.Check("quantumleap-python3"), "py-affix",
                      "quantumleap"),
            nullptr);
  EXPECT_NE(
      FindMatch(checker_.Check("dateutil-py"), "py-affix", "python-dateutil"),
      nullptr);
  EXPECT_NE(FindMatch(checker_.Check("yaml"), "py-affix", "pyyaml"), nullptr);
}

TEST_F(NamesTyposquat, PluralAndSingular) {
  EXPECT_NE(FindMatch(checker_.Check("widgetkits"), "plural", "widgetkit"),
            nullptr);
  EXPECT_NE(FindMatch(checker_.Check("typing-extension"), "plural",
                      "typing-extensions"),
            nullptr);
}

TEST_F(NamesTyposquat, AmericanAndBritishSpelling) {
  NameReport r = checker_.Check("colourizer");
  EXPECT_NE(FindMatch(r, "spelling", "colorizer"), nullptr);
}

TEST_F(NamesTyposquat, DecorationTokens) {
  NameReport dev = checker_.Check("quantumleap-dev");
  const NameMatch* m = FindMatch(dev, "decoration", "quantumleap");
  ASSERT_NE(m, nullptr);
  NameReport utils_report = checker_.Check("quantumleap-utils");
  EXPECT_TRUE(Flagged(dev));
  EXPECT_NE(
      FindMatch(checker_.Check("quantumleapfix"), "decoration", "quantumleap"),
      nullptr);
  EXPECT_NE(
      FindMatch(checker_.Check("quantumleap2"), "decoration", "quantumleap"),
      nullptr);
  EXPECT_NE(
      FindMatch(checker_.Check("quantumleap-v3"), "decoration", "quantumleap"),
      nullptr);
  // A release claim ("dev", "fix") weighs more than an add-on ("utils").
  const NameMatch* utils = FindMatch(utils_report, "decoration", "quantumleap");
  ASSERT_NE(utils, nullptr);
  EXPECT_LT(utils->score, m->score);
}

// The index refuses names that differ from an existing one only by
// delimiters or by l/i/1, o/0: such a match is reported, never suspicious
// alone.
TEST_F(NamesTyposquat, FormsTheIndexRefusesAreNotSuspiciousAlone) {
  NameReport r = checker_.Check("quantum-leap");
  const NameMatch* m = FindMatch(r, "delimiter", "quantumleap");
  ASSERT_NE(m, nullptr);
  EXPECT_LT(m->score, kNameSuspiciousScore);
  EXPECT_FALSE(Flagged(r));
}

// Two words read naturally in either order; swapping them weighs less than
// a typing mistake of the same name.
TEST_F(NamesTyposquat, TwoWordsSwappedWeighLessThanATypo) {
  const NameMatch* swap = nullptr;
  NameReport r = checker_.Check("normalizer-charset");
  swap = FindMatch(r, "reorder", "charset-normalizer");
  ASSERT_NE(swap, nullptr);
  NameReport typo = checker_.Check("charset-normalizre");
  const NameMatch* t = FindMatch(typo, "typo", "charset-normalizer");
  ASSERT_NE(t, nullptr);
  EXPECT_LT(swap->score, t->score);
}

// Add-on words (utils) name companion projects: reported, not suspicious
// alone; a release claim (dev) is.
TEST_F(NamesTyposquat, AddonDecorationAloneIsNotSuspicious) {
  NameReport r = checker_.Check("quantumleap-utils");
  ASSERT_NE(FindMatch(r, "decoration", "quantumleap"), nullptr);
  EXPECT_FALSE(Flagged(r));
  EXPECT_TRUE(Flagged(checker_.Check("quantumleap-dev")));
}

// Words typed around a project's name (pip install X, import sys) glued to
// it, at either end, with or without a delimiter; a glued word must not cut
// a word of the name.
TEST(NamesDecorations, InstallerAndLanguageWords) {
  NameData d = TestData();
  d.popular.push_back({"wordjson", 16});
  d.decorations.push_back({"install", "release"});
  d.decorations.push_back({"pip", "release"});
  d.decorations.push_back({"sys", "release"});
  NameChecker checker(d);
  for (const char* name : {"install-quantumleap", "quantumleap-install",
                           "pipquantumleap", "sys-quantumleap"}) {
    NameReport r = checker.Check(name);
    EXPECT_NE(FindMatch(r, "decoration", "quantumleap"), nullptr) << name;
    EXPECT_TRUE(Flagged(r)) << name;
  }
  EXPECT_NE(FindMatch(checker.Check("pip-wordjson"), "decoration", "wordjson"),
            nullptr);
  // "pipw-ordjson" is not pip + wordjson: the glued word cuts "word".
  EXPECT_EQ(FindMatch(checker.Check("pipw-ordjson"), "decoration", "wordjson"),
            nullptr);
  // A core split differently from the target is another name.
  EXPECT_EQ(
      FindMatch(checker.Check("pip-word-json"), "decoration", "wordjson"),
      nullptr);
}

TEST_F(NamesTyposquat, DecoratedTypo) {
  EXPECT_NE(
      FindMatch(checker_.Check("quantumlaep-dev"), "decoration", "quantumleap"),
      nullptr);
}

TEST_F(NamesTyposquat, StandardLibraryNames) {
  NameReport r = checker_.Check("asyncio");
  EXPECT_NE(FindMatch(r, "stdlib-name", "asyncio"), nullptr);
  EXPECT_FALSE(Flagged(r));  // a reason, not a verdict by itself
  EXPECT_NE(FindMatch(checker_.Check("asyncoi"), "typo", "asyncio"), nullptr);
}

TEST_F(NamesTyposquat, PopularNameIsNeverFlagged) {
  for (const PopularName& p : TestData().popular) {
    NameReport r = checker_.Check(p.name);
    EXPECT_FALSE(Flagged(r)) << p.name;
    EXPECT_EQ(r.popular_rank, p.rank);
    EXPECT_TRUE(r.matches.empty()) << p.name;
  }
  // Whatever the spelling.
  EXPECT_FALSE(Flagged(checker_.Check("Typing_Extensions")));
}

TEST_F(NamesTyposquat, NearPairsOfPopularNamesAreListed) {
  auto pairs = checker_.PopularNearPairs();
  auto it = std::find_if(pairs.begin(), pairs.end(),
                         [](const auto& p) { return p.first == "widgetkitt"; });
  ASSERT_NE(it, pairs.end());
  EXPECT_EQ(it->second.target, "widgetkit");
}

TEST_F(NamesTyposquat, AllowlistedPairsAndNames) {
  NameData d = TestData();
  d.allowed_pairs = {{"quantumlaep", "quantumleap"}};
  d.allowed_names = {"quantmleap"};
  NameChecker c(d);
  EXPECT_FALSE(Flagged(c.Check("quantumlaep")));
  EXPECT_FALSE(Flagged(c.Check("quantmleap")));
  EXPECT_TRUE(Flagged(c.Check("quantumleapp")));  // other names still are
}

TEST_F(NamesTyposquat, PluginNamespaces) {
  // flask-utils is a flask plugin, not "flask" decorated.
  EXPECT_EQ(FindMatch(checker_.Check("flask-utils"), "decoration", "flask"),
            nullptr);
  // A release claim is no plugin name, namespace or not.
  EXPECT_NE(FindMatch(checker_.Check("flask-dev"), "decoration", "flask"),
            nullptr);
  // Inside a namespace only the part after the prefix counts: pytest-cov and
  // pytest-cox differ in a three-letter word, too short to judge.
  EXPECT_FALSE(Flagged(checker_.Check("pytest-cox")));
  EXPECT_FALSE(Flagged(checker_.Check("pytest-covv")));
}

TEST_F(NamesTyposquat, ShortTargetsNeedMoreEvidence) {
  // Three letters: never a target.
  EXPECT_TRUE(checker_.Check("sixx").matches.empty());
  // The same kind of slip counts for less against a short name.
  NameReport short_r = checker_.Check("tmol");
  NameReport long_r = checker_.Check("quantumlaep");
  const NameMatch* short_m = FindMatch(short_r, "typo", "toml");
  const NameMatch* long_m = FindMatch(long_r, "typo", "quantumleap");
  ASSERT_NE(short_m, nullptr);
  ASSERT_NE(long_m, nullptr);
  EXPECT_LT(short_m->score, long_m->score);
}

TEST_F(NamesTyposquat, MorePopularTargetsWeighMore) {
  // The same slip of the same name, once ranked 20 and once ranked 9000.
  NameData rare_data = TestData();
  for (PopularName& p : rare_data.popular)
    if (p.name == "mandolin") p.rank = 9000;
  NameChecker rare(rare_data);
  NameReport a = checker_.Check("mandolni");
  NameReport b = rare.Check("mandolni");
  const NameMatch* popular = FindMatch(a, "typo", "mandolin");
  const NameMatch* unpopular = FindMatch(b, "typo", "mandolin");
  ASSERT_NE(popular, nullptr);
  ASSERT_NE(unpopular, nullptr);
  EXPECT_EQ(unpopular->target_rank, 9000);
  EXPECT_GT(popular->score, unpopular->score);
}

TEST_F(NamesTyposquat, NameNearSeveralPopularNamesIsAmbiguous) {
  // widgetkot: one letter from widgetkit and from widgetkat.
  NameReport r = checker_.Check("widgetkot");
  const NameMatch* a = FindMatch(r, "typo", "widgetkit");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->detail.find("other popular"), std::string::npos) << a->detail;
  NameData single = TestData();
  single.popular.erase(
      std::remove_if(
          single.popular.begin(), single.popular.end(),
          [](const PopularName& p) { return p.name == "widgetkat"; }),
      single.popular.end());
  NameChecker c(single);
  NameReport rb = c.Check("widgetkot");
  const NameMatch* b = FindMatch(rb, "typo", "widgetkit");
  ASSERT_NE(b, nullptr);
  EXPECT_GT(b->score, a->score);
}

TEST_F(NamesTyposquat, UnrelatedNamesAreClean) {
  for (const char* n :
       {"completely-different", "zebra", "x", "my-own-project-2"}) {
    NameReport r = checker_.Check(n);
    EXPECT_EQ(r.verdict, Verdict::kClean) << n;
  }
}

TEST_F(NamesTyposquat, HugeNamesStayCheapAndClean) {
  std::string huge(100000, 'm');
  huge += "quantumleap";
  NameReport r = checker_.Check(huge);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.verdict, Verdict::kClean);
  std::string rn;
  for (int i = 0; i < 150; ++i) rn += "rn";  // 300 chars, many look-alike sites
  EXPECT_TRUE(checker_.Check(rn).valid);
}

TEST_F(NamesTyposquat, InvalidNamesAreErrors) {
  for (const char* n : {"", "-bad", "bad name", "bad;name", "trailing-"}) {
    NameReport r = checker_.Check(n);
    EXPECT_FALSE(r.valid) << n;
    EXPECT_EQ(r.verdict, Verdict::kError) << n;
    EXPECT_FALSE(r.reasons.empty());
  }
}

class FakeMalicious : public MaliciousNameSource {
 public:
  std::vector<std::string> MaliciousAdvisories(
      std::string_view n) const override {
    if (n == "evil-pkg") return {"MAL-2099-1"};
    return {};
  }
};

class FakePrivate : public PrivateNameSource {
 public:
  bool ExposedPrivateName(std::string_view n, std::string* why) const override {
    if (n != "acme-internal") return false;
    *why = "private and public";
    return true;
  }
};

TEST(NamesHooks, KnownMaliciousAndDependencyConfusion) {
  FakeMalicious mal;
  FakePrivate priv;
  NameChecker c(TestData(), &mal, &priv);
  NameReport evil = c.Check("Evil_Pkg");
  EXPECT_EQ(evil.verdict, Verdict::kMalicious);
  EXPECT_EQ(evil.score, 100);
  ASSERT_NE(FindMatch(evil, "known-malicious", "evil-pkg"), nullptr);
  EXPECT_NE(
      FindMatch(evil, "known-malicious", "evil-pkg")->detail.find("MAL-2099-1"),
      std::string::npos);
  NameReport conf = c.Check("acme-internal");
  EXPECT_EQ(conf.verdict, Verdict::kSuspicious);
  EXPECT_NE(FindMatch(conf, "dependency-confusion", "acme-internal"), nullptr);
  EXPECT_EQ(c.Check("zebra").verdict, Verdict::kClean);
}

TEST(NamesConcurrency, OneCheckerSharedByThreads) {
  NameChecker c(TestData());
  const std::vector<std::string> names = {"quantumlaep",      "zebra",
                                          "typingextensions", "quantumleap-dev",
                                          "widgetkot",        "toml"};
  std::vector<int> want;
  for (const std::string& n : names) want.push_back(c.Check(n).score);
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        for (size_t k = 0; k < names.size(); ++k)
          if (c.Check(names[k]).score != want[k]) ++bad[t];
    });
  for (std::thread& t : threads) t.join();
  for (int b : bad) EXPECT_EQ(b, 0);
}

// The shipped data: no popular project is ever flagged, and a plain swap of
// a top project is.
TEST(NamesShippedData, NoPopularNameIsFlagged) {
  std::string dir = std::string(PYWARD_SOURCE_DIR) + "/data/names";
  if (GetPathKind(dir) != PathKind::kDirectory) GTEST_SKIP() << "no " << dir;
  std::string err;
  std::unique_ptr<NameChecker> c = NameChecker::Load(dir, &err);
  ASSERT_NE(c, nullptr) << err;
  NameData d;
  ASSERT_TRUE(LoadNameData(dir, &d, &err)) << err;
  size_t flagged = 0;
  for (const PopularName& p : d.popular)
    if (Flagged(c->Check(p.name))) ++flagged;
  EXPECT_EQ(flagged, 0u);
  // The top project with its two middle letters swapped.
  std::string top = d.popular.front().name;
  std::string swapped = top;
  std::swap(swapped[top.size() / 2 - 1], swapped[top.size() / 2]);
  if (swapped != top && c->PopularRank(swapped) == 0) {
    EXPECT_TRUE(Flagged(c->Check(swapped))) << swapped;
  }
}

}  // namespace
}  // namespace pyward
