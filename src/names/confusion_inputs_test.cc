#include "names/confusion_inputs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pyward {
namespace {

constexpr char kPrivate[] = "https://pypi.acme.example/simple/";

// A fresh folder with a config whose public list holds "acme-exposed".
class ConfusionInputs : public ::testing::Test {
 protected:
  ConfusionInputs() {
    dir_ = (std::filesystem::temp_directory_path() /
            ("pyward-confusion-test-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Write("public.txt", "requests\nacme-exposed\n");
    NamesConfig c;
    c.private_index = kPrivate;
    c.prefixes = {"acme-"};
    c.public_names = dir_ + "/public.txt";
    std::string err;
    EXPECT_TRUE(dc_.Init(c, &err)) << err;
  }
  ~ConfusionInputs() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string p = dir_ + "/" + name;
    std::filesystem::create_directories(
        std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  ConfusionResult Run(const std::string& path) {
    ConfusionResult r;
    std::string err;
    EXPECT_TRUE(FindConfusion(dc_, path, &r, &err)) << err;
    return r;
  }
  std::string dir_;
  DependencyConfusion dc_;
};

TEST_F(ConfusionInputs, IncludesAreFollowedAndTheirIndexesMerged) {
  std::string top = Write("req.txt", std::string("-i ") + kPrivate +
                                         "\nacme-one\n-r a/b.txt\n");
  Write("a/b.txt", "acme-two\n-c ../c.txt\n");
  Write("c.txt", "--extra-index-url https://pypi.org/simple/\n");
  ConfusionResult r = Run(top);
  // The extra index of c.txt applies to every file, as in pip.
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].name, "acme-one");
  EXPECT_EQ(r.findings[1].name, "acme-two");
  EXPECT_EQ(r.findings[1].file, dir_ + "/a/b.txt");
  EXPECT_EQ(r.findings[1].line, 1);
  EXPECT_TRUE(r.findings[1].at_risk);
}

TEST_F(ConfusionInputs, CyclesEndAndDepthIsBounded) {
  Write("self.txt", "acme-x\n-r self.txt\n");
  ConfusionResult self = Run(dir_ + "/self.txt");
  EXPECT_EQ(self.findings.size(), 1u);  // read once
  ASSERT_FALSE(self.notes.empty());
  // A chain deeper than the bound stops with a note.
  for (int i = 0; i <= kMaxConfusionIncludeDepth + 2; ++i)
    Write("chain" + std::to_string(i) + ".txt",
          "acme-c" + std::to_string(i) + "\n-r chain" + std::to_string(i + 1) +
              ".txt\n");
  ConfusionResult chain = Run(dir_ + "/chain0.txt");
  EXPECT_EQ(chain.findings.size(),
            static_cast<size_t>(kMaxConfusionIncludeDepth + 1));
  bool depth_note = false;
  for (const std::string& n : chain.notes)
    if (n.find("deeper") != std::string::npos) depth_note = true;
  EXPECT_TRUE(depth_note);
}

TEST_F(ConfusionInputs, PrivateIndexOnlyReportsOnlyExposedNames) {
  std::string p = Write("ok.txt", std::string("--index-url ") + kPrivate +
                                      "\nacme-safe\nacme-exposed\nrequests\n");
  ConfusionResult r = Run(p);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].name, "acme-exposed");
  EXPECT_FALSE(r.findings[0].at_risk);
}

TEST_F(ConfusionInputs, PyprojectIndexesAndPins) {
  std::string plain = Write("p1/pyproject.toml",
                            "[project]\nname = \"x\"\nversion = \"1\"\n"
                            "dependencies = [\"acme-a\", \"requests\"]\n");
  ConfusionResult r = Run(plain);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].name, "acme-a");
  EXPECT_TRUE(r.findings[0].at_risk);
  // uv: a listed private index is asked first (first-index strategy) ...
  std::string uv = Write(
      "p2/pyproject.toml",
      std::string("[project]\nname = \"x\"\nversion = \"1\"\n"
                  "dependencies = [\"acme-a\"]\n[[tool.uv.index]]\n"
                  "name = \"acme\"\nurl = \"") +
          kPrivate + "\"\n");
  EXPECT_TRUE(Run(uv).findings.empty());
  // ... unless the strategy asks every index.
  std::string best = Write(
      "p3/pyproject.toml",
      std::string("[project]\nname = \"x\"\nversion = \"1\"\n"
                  "dependencies = [\"acme-a\"]\n[tool.uv]\n"
                  "index-strategy = \"unsafe-best-match\"\n[[tool.uv.index]]\n"
                  "name = \"acme\"\nurl = \"") +
          kPrivate + "\"\n");
  EXPECT_EQ(Run(best).findings.size(), 1u);
}

TEST_F(ConfusionInputs, LockfileSources) {
  std::string lock = Write(
      "l/uv.lock",
      std::string("version = 1\nrequires-python = \">=3.9\"\n\n"
                  "[[package]]\nname = \"acme-a\"\nversion = \"1.0\"\n"
                  "source = { registry = \"https://pypi.org/simple\" }\n\n"
                  "[[package]]\nname = \"acme-b\"\nversion = \"1.0\"\n"
                  "source = { registry = \"") +
          kPrivate + "\" }\n");
  ConfusionResult r = Run(lock);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].name, "acme-a");
  EXPECT_EQ(r.findings[0].line, 4);
}

TEST_F(ConfusionInputs, UnreadableAndMalformedInputsFail) {
  ConfusionResult r;
  std::string err;
  EXPECT_FALSE(FindConfusion(dc_, dir_ + "/none.txt", &r, &err));
  std::string bad = Write("q/pyproject.toml", "[project\n");
  err.clear();
  EXPECT_FALSE(FindConfusion(dc_, bad, &r, &err));
  EXPECT_FALSE(err.empty());
}

}  // namespace
}  // namespace pyward
