#include "audit/environment.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/file_util.h"

namespace fs = std::filesystem;

namespace pyward {
namespace {

// RECORD digests of fixed contents, as Python writes them:
// base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").
constexpr char kHelloPy[] = "print(\"hello\")\n";
constexpr char kHelloDigest[] = "uAeSM2FWx7D3_gLu7yRhDS1SoQ0YEDl3REcdHcVzgYA";
constexpr char kADigest[] =
    "ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs";  // "a"
constexpr char kAbDigest[] =
    "-44g_C5MPySMYMOb1lLzwTRymLuXe4tNWQO4UFViBgM";  // "ab"
constexpr char kAbcDigest[] =
    "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";  // "abc"

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (fs::temp_directory_path() / "pyward-env-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = made ? made : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void Write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// Rules of the problems, by the RECORD path they name (the text before ':').
std::multiset<std::string> Rules(const DependencySet& set) {
  std::multiset<std::string> out;
  for (const InputProblem& p : set.problems) out.insert(p.rule);
  return out;
}

bool HasProblem(const DependencySet& set, const std::string& rule,
                const std::string& path_in_message) {
  for (const InputProblem& p : set.problems)
    if (p.rule == rule && p.message.rfind(path_in_message, 0) == 0) return true;
  return false;
}

// A fake venv:
//   <tmp>/outside.txt                        (outside the environment)
//   <tmp>/venv/pyvenv.cfg, bin/demo-cli, lib64 -> lib
//   <tmp>/venv/lib/python3.11/site-packages/
//     demo/__init__.py (intact) core.py (tampered) data.txt (missing)
//     demo/unlisted.py (not in RECORD) "odd, name.py" link.py -> outside
//     Demo_Pkg-1.0.dist-info/{METADATA,RECORD}
//     legacy_pkg-0.5-py3.11.egg-info/PKG-INFO
//     vcs_dist-2.0.dist-info/{METADATA,direct_url.json} (no RECORD)
struct FakeVenv {
  TempDir tmp;
  fs::path root, site;

  FakeVenv() {
    root = tmp.path() / "venv";
    site = root / "lib/python3.11/site-packages";
    Write(tmp.path() / "outside.txt", "a");
    Write(root / "pyvenv.cfg", "home = /usr/bin\nversion = 3.11.2\n");
    Write(root / "bin/demo-cli", "abc");
    fs::create_directory_symlink("lib", root / "lib64");
    Write(site / "demo/__init__.py", kHelloPy);
    Write(site / "demo/core.py", "tampered");
    Write(site / "demo/unlisted.py", "x = 1\n");
    Write(site / "demo/odd, name.py", "a");
    fs::create_symlink("../../../../../outside.txt", site / "demo/link.py");
    Write(site / "Demo_Pkg-1.0.dist-info/METADATA",
          "Metadata-Version: 2.1\r\nName: Demo_Pkg\r\nVersion: 1.0\r\n"
          "Summary: demo\r\n\r\nVersion: 9.9 in the body is ignored\r\n");
    Write(site / "Demo_Pkg-1.0.dist-info/RECORD",
          std::string("demo/__init__.py,sha256=") + kHelloDigest + ",15\n" +
              "demo/core.py,sha256=" + kADigest + ",1\n" +
              "demo/data.txt,sha256=" + kAbDigest + ",2\n" +
              "\"demo/odd, name.py\",sha256=" + kADigest + ",1\n" +
              "demo/link.py,sha256=" + kADigest + ",1\n" +
              "../../../../outside.txt,sha256=" + kADigest + ",1\n" +
              "../../../bin/demo-cli,sha256=" + kAbcDigest + ",3\n" +
              "demo/__pycache__/__init__.cpython-311.pyc,,\n" +
              "Demo_Pkg-1.0.dist-info/RECORD,,\n");
    Write(site / "legacy_pkg-0.5-py3.11.egg-info/PKG-INFO",
          "Metadata-Version: 1.1\nName: legacy-pkg\nVersion: 0.5\n");
    Write(site / "vcs_dist-2.0.dist-info/METADATA",
          "Metadata-Version: 2.1\nName: vcs-dist\nVersion: 2.0\n");
    Write(site / "vcs_dist-2.0.dist-info/direct_url.json",
          R"({"url": "https://github.com/example/vcs-dist",
              "vcs_info": {"vcs": "git", "commit_id": "0123abcd"}})");
  }
};

const DeclaredDependency* Find(const DependencySet& set,
                               const std::string& name) {
  for (const DeclaredDependency& d : set.dependencies)
    if (d.name == name) return &d;
  return nullptr;
}

TEST(EnvironmentRecord, VenvTamperedMissingAndEscapingFiles) {
  FakeVenv v;
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadEnvironment(v.root.string(), &set, &err)) << err;

  // Three distributions, each once (lib64 -> lib is the same folder).
  ASSERT_EQ(set.dependencies.size(), 3u);
  const DeclaredDependency* demo = Find(set, "Demo_Pkg");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->version, "1.0");
  EXPECT_EQ(demo->specifier, "==1.0");
  EXPECT_EQ(demo->line, 3);
  EXPECT_EQ(fs::path(demo->file).filename(), "METADATA");
  const DeclaredDependency* legacy = Find(set, "legacy-pkg");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->version, "0.5");
  const DeclaredDependency* vcs = Find(set, "vcs-dist");
  ASSERT_NE(vcs, nullptr);
  EXPECT_EQ(vcs->url, "git+https://github.com/example/vcs-dist@0123abcd");

  EXPECT_EQ(Rules(set),
            (std::multiset<std::string>{
                "record-hash-mismatch", "record-file-missing",
                "record-path-outside-root", "record-path-outside-root"}));
  EXPECT_TRUE(HasProblem(set, "record-hash-mismatch", "demo/core.py"));
  EXPECT_TRUE(HasProblem(set, "record-file-missing", "demo/data.txt"));
  EXPECT_TRUE(HasProblem(set, "record-path-outside-root", "demo/link.py"));
  EXPECT_TRUE(
      HasProblem(set, "record-path-outside-root", "../../../../outside.txt"));
  for (const InputProblem& p : set.problems) {
    EXPECT_EQ(fs::path(p.file).filename(), "RECORD");
    EXPECT_GT(p.line, 0);
  }
  // The problem line is the RECORD row.
  for (const InputProblem& p : set.problems) {
    if (p.rule == "record-hash-mismatch") {
      EXPECT_EQ(p.line, 2);
    }
  }
}

TEST(EnvironmentRecord, SitePackagesGivenDirectlyIsTheRoot) {
  FakeVenv v;
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadEnvironment(v.site.string(), &set, &err)) << err;
  EXPECT_EQ(set.dependencies.size(), 3u);
  // bin/ is now outside the root given: reported, not followed.
  EXPECT_TRUE(
      HasProblem(set, "record-path-outside-root", "../../../bin/demo-cli"));
  EXPECT_EQ(Rules(set).count("record-path-outside-root"), 3u);
  EXPECT_EQ(Rules(set).count("record-hash-mismatch"), 1u);
}

TEST(EnvironmentRecord, FixingTheFilesClearsTheProblems) {
  FakeVenv v;
  Write(v.site / "demo/core.py", "a");
  Write(v.site / "demo/data.txt", "ab");
  fs::remove(v.site / "demo/link.py");
  Write(v.site / "demo/link.py", "a");
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadEnvironment(v.root.string(), &set, &err)) << err;
  EXPECT_EQ(Rules(set), std::multiset<std::string>{"record-path-outside-root"});
}

TEST(EnvironmentRecord, FifoUnsupportedHashAndBadRowsDoNotHang) {
  FakeVenv v;
  ASSERT_EQ(mkfifo((v.site / "demo/pipe").c_str(), 0600), 0);
  Write(v.site / "Demo_Pkg-1.0.dist-info/RECORD",
        std::string("demo/pipe,sha256=") + kADigest + ",1\n" +
            "demo/__init__.py,md5=abcdef,15\n" +
            "demo/__init__.py,nonsense,15\n" + "demo/__init__.py,sha512=" +
            kADigest + ",15\n" + "/etc/hostname,sha256=" + kADigest + ",1\n" +
            "C:/x.py,sha256=" + kADigest + ",1\n" +
            "\"unterminated,sha256=x\n");
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadEnvironment(v.root.string(), &set, &err)) << err;
  EXPECT_TRUE(HasProblem(set, "record-hash-mismatch", "demo/pipe"));
  EXPECT_TRUE(HasProblem(set, "record-hash-unsupported", "demo/__init__.py"));
  EXPECT_TRUE(HasProblem(set, "record-malformed", "demo/__init__.py"));
  EXPECT_TRUE(
      HasProblem(set, "record-hash-mismatch", "demo/__init__.py"));  // sha512
  EXPECT_TRUE(HasProblem(set, "record-path-outside-root", "/etc/hostname"));
  EXPECT_TRUE(HasProblem(set, "record-path-outside-root", "C:/x.py"));
}

TEST(EnvironmentRecord, MissingMetadataFallsBackToTheFolderName) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "some_tool-3.2.1.dist-info");
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadEnvironment(tmp.path().string(), &set, &err)) << err;
  ASSERT_EQ(set.dependencies.size(), 1u);
  EXPECT_EQ(set.dependencies[0].name, "some_tool");
  EXPECT_EQ(set.dependencies[0].version, "3.2.1");
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_EQ(set.problems[0].rule, "metadata-missing");
}

TEST(EnvironmentErrors, UnreadableOrEmpty) {
  TempDir tmp;
  DependencySet set;
  std::string err;
  EXPECT_FALSE(ReadEnvironment(tmp.path().string(), &set, &err));
  EXPECT_NE(err.find("no installed distribution"), std::string::npos) << err;
  EXPECT_FALSE(ReadEnvironment((tmp.path() / "absent").string(), &set, &err));
  Write(tmp.path() / "file", "x");
  EXPECT_FALSE(ReadEnvironment((tmp.path() / "file").string(), &set, &err));
  EXPECT_NE(err.find("not a directory"), std::string::npos);
  EXPECT_TRUE(set.dependencies.empty());
}

TEST(EnvironmentPieces, UrlSafeBase64NoPad) {
  // Python: base64.urlsafe_b64encode(x).rstrip(b"=").
  EXPECT_EQ(UrlSafeBase64NoPad(""), "");
  EXPECT_EQ(UrlSafeBase64NoPad("a"), "YQ");
  EXPECT_EQ(UrlSafeBase64NoPad("ab"), "YWI");
  EXPECT_EQ(UrlSafeBase64NoPad("abc"), "YWJj");
  EXPECT_EQ(UrlSafeBase64NoPad(kHelloPy), "cHJpbnQoImhlbGxvIikK");
  EXPECT_EQ(UrlSafeBase64NoPad("\xfb\xff\xfe"), "-__-");
}

TEST(EnvironmentPieces, NormalizeRelativePath) {
  std::string out;
  ASSERT_TRUE(NormalizeRelativePath("lib/python3.11/site-packages",
                                    "../../../bin/x", &out));
  EXPECT_EQ(out, "bin/x");
  ASSERT_TRUE(NormalizeRelativePath("", "./a//b/../c", &out));
  EXPECT_EQ(out, "a/c");
  EXPECT_FALSE(NormalizeRelativePath("lib/site", "../../../x", &out));
  EXPECT_FALSE(NormalizeRelativePath("", "a/../../x", &out));
  EXPECT_FALSE(NormalizeRelativePath("", "/etc/passwd", &out));
  EXPECT_FALSE(NormalizeRelativePath("", "C:\\x", &out));
}

TEST(EnvironmentPieces, ParseCsvQuotesAndLineEnds) {
  auto rows = ParseCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\nlast");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields,
            (std::vector<std::string>{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, std::vector<std::string>{"last"});
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_TRUE(ParseCsv("").empty());
}

// The machine's own Debian dist-packages: every *.dist-info / *.egg-info is
// one dependency with a version, and only the documented rules appear. (Hash
// results are compared with Python's hashlib by audit_environment_conformance;
// Debian patches some files after the wheel was built, so mismatches exist.)
TEST(EnvironmentSystem, DebianDistPackages) {
  const std::string dir = "/usr/lib/python3/dist-packages";
  std::vector<std::string> names;
  std::string err;
  if (GetPathKind(dir) != PathKind::kDirectory || !ListDir(dir, &names, &err))
    GTEST_SKIP() << dir << " absent";
  size_t expected = 0;
  for (const std::string& n : names) {
    bool info = n.size() > 10 && n.substr(n.size() - 10) == ".dist-info" &&
                GetPathKind(dir + "/" + n) == PathKind::kDirectory;
    bool egg = n.size() > 9 && n.substr(n.size() - 9) == ".egg-info";
    expected += info || egg;
  }
  if (expected == 0) GTEST_SKIP() << "no distributions in " << dir;
  DependencySet set;
  ASSERT_TRUE(ReadEnvironment(dir, &set, &err)) << err;
  EXPECT_EQ(set.dependencies.size(), expected);
  for (const DeclaredDependency& d : set.dependencies) {
    EXPECT_FALSE(d.name.empty());
    EXPECT_TRUE(d.version.has_value()) << d.name;
  }
  const std::set<std::string> known = {
      "record-hash-mismatch",     "record-file-missing",
      "record-path-outside-root", "record-hash-unsupported",
      "record-malformed",         "metadata-missing"};
  for (const InputProblem& p : set.problems)
    EXPECT_TRUE(known.count(p.rule)) << p.rule << " " << p.message;
}

}  // namespace
}  // namespace pyward
