#include "names/name_data.h"

#include <gtest/gtest.h>

#include "util/file_util.h"

namespace pyward {
namespace {

TEST(NamesData, PopularListSkipsHeaderAndCommentsAndNormalises) {
  std::vector<PopularName> out;
  std::string err;
  ASSERT_TRUE(ParsePopularList(
      "rank\tname\n# note\n1\tWidget_Kit\n\n2\tgadget\n", &out, &err))
      << err;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "widget-kit");
  EXPECT_EQ(out[0].rank, 1);
  EXPECT_EQ(out[1].rank, 2);
}

TEST(NamesData, PopularListRejectsMalformedLines) {
  std::vector<PopularName> out;
  std::string err;
  EXPECT_FALSE(ParsePopularList("1\twidget\nx\tgadget\n", &out, &err));
  EXPECT_NE(err.find("line 2"), std::string::npos);
  EXPECT_FALSE(ParsePopularList("1\tbad name\n", &out, &err));
  EXPECT_FALSE(ParsePopularList("0\twidget\n", &out, &err));
  EXPECT_FALSE(ParsePopularList("1 widget\n", &out, &err));
}

TEST(NamesData, AllowlistHoldsPairsAndNames) {
  NameData d;
  std::string err;
  ASSERT_TRUE(ParseAllowlist("# c\nTomli\ttoml\nmy_pkg\n", &d, &err)) << err;
  ASSERT_EQ(d.allowed_pairs.size(), 1u);
  EXPECT_EQ(d.allowed_pairs[0].first, "tomli");
  EXPECT_EQ(d.allowed_pairs[0].second, "toml");
  ASSERT_EQ(d.allowed_names.size(), 1u);
  EXPECT_EQ(d.allowed_names[0], "my-pkg");
  EXPECT_FALSE(ParseAllowlist("a\tb\tc\n", &d, &err));
}

TEST(NamesData, PairAndWordLists) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string err;
  ASSERT_TRUE(
      ParsePairList("seen\tintended\nrn\tm\n", "seen\tintended", &pairs, &err));
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].first, "rn");
  EXPECT_FALSE(ParsePairList("rn\n", "seen\tintended", &pairs, &err));
  std::vector<std::string> words;
  ASSERT_TRUE(ParseWordList("Pytest-\n# x\nflask-\n", true, &words, &err));
  EXPECT_EQ(words, (std::vector<std::string>{"pytest-", "flask-"}));
  EXPECT_FALSE(ParseWordList("two words\n", true, &words, &err));
}

TEST(NamesData, ShippedDataLoads) {
  std::string dir = std::string(PYWARD_SOURCE_DIR) + "/data/names";
  if (GetPathKind(dir) != PathKind::kDirectory) GTEST_SKIP() << "no " << dir;
  NameData d;
  std::string err;
  ASSERT_TRUE(LoadNameData(dir, &d, &err)) << err;
  EXPECT_GT(d.popular.size(), 10000u);
  EXPECT_FALSE(d.namespaces.empty());
  EXPECT_FALSE(d.decorations.empty());
  EXPECT_FALSE(d.lookalikes.empty());
  EXPECT_FALSE(d.spellings.empty());
  EXPECT_GT(d.stdlib.size(), 100u);
  for (const auto& [token, kind] : d.decorations)
    EXPECT_TRUE(kind == "release" || kind == "addon" || kind == "installer")
        << token;
  // Every alias names a project on the popular list.
  EXPECT_FALSE(d.aliases.empty());
  for (const auto& [alias, project] : d.aliases) {
    bool found = false;
    for (const PopularName& p : d.popular) found = found || p.name == project;
    EXPECT_TRUE(found) << alias << " -> " << project;
  }
}

TEST(NamesData, MissingFolderFails) {
  NameData d;
  std::string err;
  EXPECT_FALSE(LoadNameData("/nonexistent/pyward/names", &d, &err));
  EXPECT_NE(err.find("popular.tsv"), std::string::npos);
}

}  // namespace
}  // namespace pyward
