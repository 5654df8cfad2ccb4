#include "names/public_names.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/file_util.h"

namespace pyward {
namespace {

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = (std::filesystem::temp_directory_path() /
             ("pyward-names-test-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter_++)))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

TEST(NamesPublicList, GzipRoundTrip) {
  std::string text = "alpha\nbeta\n", gz, back, err;
  ASSERT_TRUE(Gzip(text, &gz, &err)) << err;
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  ASSERT_TRUE(Gunzip(gz, 1 << 20, &back, &err)) << err;
  EXPECT_EQ(back, text);
  EXPECT_FALSE(Gunzip(gz, 4, &back, &err));  // too large
  EXPECT_FALSE(
      Gunzip(gz.substr(0, gz.size() / 2), 1 << 20, &back, &err));  // truncated
  EXPECT_FALSE(Gunzip("not gzip at all", 1 << 20, &back, &err));
}

TEST(NamesPublicList, ParsesSimpleIndexHtml) {
  std::string html =
      "<!DOCTYPE html><html><body>\n"
      "<a href=\"/simple/widget-kit/\">Widget_Kit</a>\n"
      "<a href=\"/simple/gadget/\">gadget</a>\n"
      "<a href=\"/simple/x/\">not a name!</a>\n"
      "<a href=\"/simple/gadget/\">GADGET</a>\n"
      "</body></html>\n";
  std::vector<std::string> names;
  size_t skipped = 0;
  std::string err;
  ASSERT_TRUE(ParseNameListing(html, &names, &skipped, &err)) << err;
  EXPECT_EQ(names, (std::vector<std::string>{"gadget", "widget-kit"}));
  EXPECT_EQ(skipped, 1u);
}

TEST(NamesPublicList, ParsesPep691JsonAndPlainLists) {
  std::vector<std::string> names;
  std::string err;
  ASSERT_TRUE(ParseNameListing(
      R"({"meta": {"api-version": "1.0"}, "projects": [{"name": "Foo.Bar"}, {"name": "baz"}, {"x": 1}]})",
      &names, nullptr, &err))
      << err;
  EXPECT_EQ(names, (std::vector<std::string>{"baz", "foo-bar"}));
  names.clear();
  EXPECT_FALSE(ParseNameListing(R"({"projects": 3})", &names, nullptr, &err));
  ASSERT_TRUE(ParseNameListing("# list\nzeta\nalpha\n\nalpha\n", &names,
                               nullptr, &err));
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "zeta"}));
}

TEST(NamesPublicList, WriteThenReadWithFilter) {
  TempDir dir;
  std::string path = dir.path() + "/names.txt.gz";
  std::string err;
  ASSERT_TRUE(WriteNameListGz(path, {"acme-a", "acme-b", "other"}, &err))
      << err;
  std::vector<std::string> kept;
  ASSERT_TRUE(ReadNameList(
      path, [](std::string_view n) { return n.starts_with("acme-"); }, &kept,
      &err))
      << err;
  EXPECT_EQ(kept, (std::vector<std::string>{"acme-a", "acme-b"}));
  // Plain and HTML files read the same way.
  std::string plain = dir.Write("plain.txt", "Acme_C\n");
  kept.clear();
  ASSERT_TRUE(ReadNameList(plain, nullptr, &kept, &err));
  EXPECT_EQ(kept, (std::vector<std::string>{"acme-c"}));
  std::string html =
      dir.Write("simple.html", "<html><a href='/simple/q/'>Q</a></html>");
  kept.clear();
  ASSERT_TRUE(ReadNameList(html, nullptr, &kept, &err));
  EXPECT_EQ(kept, (std::vector<std::string>{"q"}));
  EXPECT_FALSE(ReadNameList(dir.path() + "/missing.gz", nullptr, &kept, &err));
  std::string corrupt =
      dir.Write("bad.gz", std::string("\x1f\x8b\x08\x00garbage", 12));
  EXPECT_FALSE(ReadNameList(corrupt, nullptr, &kept, &err));
}

TEST(NamesPublicList, ShippedListHasPopularNames) {
  std::string path =
      std::string(PYWARD_SOURCE_DIR) + "/data/names/pypi-names.txt.gz";
  if (GetPathKind(path) != PathKind::kFile) GTEST_SKIP() << "no " << path;
  std::vector<std::string> kept;
  std::string err;
  ASSERT_TRUE(ReadNameList(
      path, [](std::string_view n) { return n == "requests"; }, &kept, &err))
      << err;
  EXPECT_EQ(kept.size(), 1u);
}

}  // namespace
}  // namespace pyward
