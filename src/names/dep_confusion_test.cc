#include "names/dep_confusion.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "names/public_names.h"

namespace pyward {
namespace {

constexpr char kConfig[] = R"(
[private]
index-url = "https://pypi.acme.example/simple/"
packages = ["Acme_Billing", "internal-tool"]
prefixes = ["acmecorp-"]
[allow]
names = ["my-fork"]
pairs = [["fooo", "foo"]]
)";

TEST(NamesConfusion, ParsesConfig) {
  NamesConfig c;
  std::string err;
  ASSERT_TRUE(ParseNamesConfig(kConfig, "team.toml", &c, &err)) << err;
  EXPECT_EQ(c.private_index, "https://pypi.acme.example/simple/");
  EXPECT_EQ(c.packages,
            (std::vector<std::string>{"acme-billing", "internal-tool"}));
  EXPECT_EQ(c.prefixes, (std::vector<std::string>{"acmecorp-"}));
  EXPECT_EQ(c.allow_names, (std::vector<std::string>{"my-fork"}));
  ASSERT_EQ(c.allow_pairs.size(), 1u);
  EXPECT_EQ(c.allow_pairs[0].second, "foo");
}

TEST(NamesConfusion, RejectsBadConfig) {
  NamesConfig c;
  std::string err;
  EXPECT_FALSE(ParseNamesConfig("[private\n", "t.toml", &c, &err));
  EXPECT_NE(err.find("t.toml"), std::string::npos);
  EXPECT_FALSE(
      ParseNamesConfig("[private]\npackages = \"x\"\n", "t.toml", &c, &err));
  EXPECT_FALSE(
      ParseNamesConfig("[private]\npackages = [1]\n", "t.toml", &c, &err));
  EXPECT_FALSE(
      ParseNamesConfig("[allow]\npairs = [[\"a\"]]\n", "t.toml", &c, &err));
}

TEST(NamesConfusion, ReadsRequirementIndexes) {
  IndexSetup s;
  std::vector<RequirementName> reqs;
  std::vector<std::string> inc;
  ParseRequirementIndexes(
      "# comment\n"
      "--extra-index-url https://pypi.acme.example/simple/\n"
      "-i https://mirror.example/simple\n"
      "acme-billing==1.0 \\\n    --hash=sha256:abc\n"
      "requests>=2  # public\n"
      "internal-tool @ https://pypi.acme.example/files/internal_tool-1.0.whl\n"
      "-r other.txt\n"
      "./local/path\n",
      &s, &reqs, &inc);
  EXPECT_EQ(s.index_url, "https://mirror.example/simple");
  EXPECT_EQ(s.extra_index_urls,
            (std::vector<std::string>{"https://pypi.acme.example/simple/"}));
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].name, "acme-billing");
  EXPECT_EQ(reqs[0].line, 4);
  EXPECT_TRUE(reqs[0].hashed);
  EXPECT_EQ(reqs[1].name, "requests");
  EXPECT_EQ(reqs[2].direct_url,
            "https://pypi.acme.example/files/internal_tool-1.0.whl");
  EXPECT_EQ(inc, (std::vector<std::string>{"other.txt"}));
}

TEST(NamesConfusion, PublicIndexUrls) {
  EXPECT_TRUE(IsPublicIndexUrl("https://pypi.org/simple/"));
  EXPECT_TRUE(IsPublicIndexUrl("HTTPS://PYPI.PYTHON.ORG/simple"));
  EXPECT_FALSE(IsPublicIndexUrl("https://pypi.acme.example/simple"));
  EXPECT_FALSE(IsPublicIndexUrl("https://evil.example/?pypi.org"));
}

class NamesConfusionChecker : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("pyward-confusion-" + std::to_string(::getpid())))
               .string();
    std::filesystem::create_directories(dir_);
    std::string err;
    ASSERT_TRUE(WriteNameListGz(dir_ + "/public.txt.gz",
                                {"acme-billing", "acmecorp-auth", "requests"},
                                &err))
        << err;
    ASSERT_TRUE(ParseNamesConfig(kConfig, "team.toml", &config_, &err)) << err;
    config_.public_names = dir_ + "/public.txt.gz";
    ASSERT_TRUE(confusion_.Init(config_, &err)) << err;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  bool AtRisk(const std::string& name, const IndexSetup& s, std::string* why,
              const std::string& url = "") {
    RequirementName r;
    r.name = name;
    r.direct_url = url;
    return confusion_.RequirementAtRisk(r, s, why);
  }

  std::string dir_;
  NamesConfig config_;
  DependencyConfusion confusion_;
};

TEST_F(NamesConfusionChecker, PrivateNamesAndPrefixes) {
  EXPECT_TRUE(confusion_.IsPrivate("Acme.Billing"));
  EXPECT_TRUE(confusion_.IsPrivate("acmecorp-anything"));
  EXPECT_FALSE(confusion_.IsPrivate("requests"));
  EXPECT_TRUE(confusion_.OnPublicIndex("acme-billing"));
  EXPECT_FALSE(confusion_.OnPublicIndex("internal-tool"));
}

TEST_F(NamesConfusionChecker, PrivateNameOnThePublicIndexIsExposed) {
  std::string why;
  EXPECT_TRUE(confusion_.ExposedPrivateName("acme-billing", &why));
  EXPECT_NE(why.find("public index"), std::string::npos);
  EXPECT_TRUE(confusion_.ExposedPrivateName("acmecorp-auth", &why));
  EXPECT_FALSE(
      confusion_.ExposedPrivateName("internal-tool", &why));      // not public
  EXPECT_FALSE(confusion_.ExposedPrivateName("requests", &why));  // not private
}

TEST_F(NamesConfusionChecker, RequirementResolution) {
  std::string why;
  IndexSetup only_private;
  only_private.index_url = "https://pypi.acme.example/simple";
  EXPECT_FALSE(AtRisk("acme-billing", only_private, &why));

  IndexSetup extra;  // PyPI plus the private index as extra: confusable
  extra.extra_index_urls = {"https://pypi.acme.example/simple/"};
  EXPECT_TRUE(AtRisk("acme-billing", extra, &why));
  EXPECT_NE(why.find("highest version"), std::string::npos);
  EXPECT_NE(why.find("already has"), std::string::npos);

  IndexSetup default_only;  // the private index is not used at all
  EXPECT_TRUE(AtRisk("internal-tool", default_only, &why));
  EXPECT_NE(why.find("free on the public index"), std::string::npos);

  EXPECT_FALSE(AtRisk("requests", default_only, &why));  // not private
  EXPECT_FALSE(AtRisk("internal-tool", default_only, &why,
                      "https://pypi.acme.example/files/internal_tool-1.0.whl"));
  IndexSetup no_index;
  no_index.no_index = true;
  EXPECT_FALSE(AtRisk("internal-tool", no_index, &why));
}

TEST(NamesConfusion, MissingPublicListFails) {
  NamesConfig c;
  c.packages = {"x-private"};
  c.public_names = "/nonexistent/names.gz";
  DependencyConfusion d;
  std::string err;
  EXPECT_FALSE(d.Init(c, &err));
}

}  // namespace
}  // namespace pyward
