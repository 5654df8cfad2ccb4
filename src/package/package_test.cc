#include "package/package.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/test_archives.h"

namespace pyward {
namespace {

using testing::File;

struct Built {
  Archive archive;
  Package pkg;
};

void Build(const std::string& file_name, const std::string& bytes, Built* b) {
  std::string err;
  ASSERT_TRUE(ReadArchive(bytes, {}, &b->archive, &err)) << err;
  BuildPackage(file_name, b->archive, false, false, &b->pkg);
}

FileRole RoleOf(const Package& p, const std::string& rel) {
  for (const PackageFile& f : p.files)
    if (f.rel == rel) return f.role;
  ADD_FAILURE() << "no file " << rel;
  return FileRole::kRuntime;
}

TEST(Package, SdistNameVersionAndRoles) {
  Built b;
  Build("whatever.tar.gz",
        testing::MakeTar({
            File("demo-1.2/PKG-INFO", "Metadata-Version: 2.1\nName: demo\nVersion: 1.2\n\nbody"),
            File("demo-1.2/setup.py",
                 "from setuptools import setup\nsetup(py_modules=['demo_tool'])\n"),
            File("demo-1.2/demo/__init__.py", ""),
            File("demo-1.2/release.py", "import subprocess\n"),
            File("demo-1.2/demo/core.py", ""),
            File("demo-1.2/demo_tool.py", ""),
            File("demo-1.2/tests/test_core.py", ""),
            File("demo-1.2/docs/conf.py", ""),
            File("demo-1.2/src/other/__init__.py", ""),
            File("demo-1.2/demo.pth", "import demo\n"),
        }),
        &b);
  EXPECT_EQ(b.pkg.name, "demo");
  EXPECT_EQ(b.pkg.version, "1.2");
  EXPECT_EQ(b.pkg.name_source, "PKG-INFO");
  EXPECT_EQ(b.pkg.kind, ArtifactKind::kSdist);
  EXPECT_EQ(RoleOf(b.pkg, "setup.py"), FileRole::kInstall);
  EXPECT_EQ(RoleOf(b.pkg, "demo.pth"), FileRole::kInstall);
  EXPECT_EQ(RoleOf(b.pkg, "demo/__init__.py"), FileRole::kImport);
  EXPECT_EQ(RoleOf(b.pkg, "demo_tool.py"), FileRole::kImport);  // named by setup.py
  EXPECT_EQ(RoleOf(b.pkg, "release.py"), FileRole::kRuntime);    // a development script
  EXPECT_EQ(RoleOf(b.pkg, "src/other/__init__.py"), FileRole::kImport);
  EXPECT_EQ(RoleOf(b.pkg, "demo/core.py"), FileRole::kRuntime);
  EXPECT_EQ(RoleOf(b.pkg, "tests/test_core.py"), FileRole::kTest);
  EXPECT_EQ(RoleOf(b.pkg, "docs/conf.py"), FileRole::kTest);
}

// A package whose only code sits in an example package inside it installs
// that code; beside code of its own, examples stay examples.
TEST(Package, ExamplesAreCodeWhenThePackageHasNoOther) {
  Built b;
  Build("x-1.0.tar.gz",
        testing::MakeTar({File("x-1.0/setup.py", "from setuptools import setup\nsetup()\n"),
                          File("x-1.0/src/x/__init__.py", "# nothing\n"),
                          File("x-1.0/src/x/example/__init__.py", ""),
                          File("x-1.0/src/x/example/run.py", "import os\nos.system('x')\n"),
                          File("x-1.0/tests/test_x.py", "assert True\n")}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "src/x/example/run.py"), FileRole::kRuntime);
  EXPECT_EQ(RoleOf(b.pkg, "tests/test_x.py"), FileRole::kTest);  // not inside the package
}
TEST(Package, ExamplesStayExamplesBesideCode) {
  Built b;
  Build("x-1.0.tar.gz",
        testing::MakeTar({File("x-1.0/setup.py", "from setuptools import setup\nsetup()\n"),
                          File("x-1.0/x/__init__.py", "VERSION = 1\n"),
                          File("x-1.0/x/examples/__init__.py", ""),
                          File("x-1.0/x/examples/run.py", "import os\nos.system('x')\n")}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "x/examples/run.py"), FileRole::kTest);
}

TEST(Package, WheelMetadataWinsOverFileName) {
  Built b;
  Build("renamed-9.9.tar.gz",
        testing::MakeZip({File("real/__init__.py", ""),
                          File("real-2.0.dist-info/METADATA", "Name: real\nVersion: 2.0\n")}),
        &b);
  EXPECT_EQ(b.pkg.kind, ArtifactKind::kWheel);
  EXPECT_EQ(b.pkg.name, "real");
  EXPECT_EQ(b.pkg.version, "2.0");
  ASSERT_EQ(b.pkg.findings.size(), 1u);
  EXPECT_EQ(b.pkg.findings[0].rule, "metadata-name-mismatch");
}

TEST(Package, WheelDataLibFoldersInstallAsTheRoot) {
  // <name>.data/purelib/ and platlib/ install into site-packages: a package
  // there is imported like one at the wheel's root.
  Built b;
  Build("w-1.0-py3-none-any.whl",
        testing::MakeZip({File("w/__init__.py", ""),
                          File("w-1.0.data/purelib/other/__init__.py", "x = 1\n"),
                          File("w-1.0.data/platlib/top.py", "y = 2\n"),
                          File("w-1.0.data/data/share/other/__init__.py", ""),
                          File("w-1.0.dist-info/METADATA", "Name: w\nVersion: 1.0\n")}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "w-1.0.data/purelib/other/__init__.py"), FileRole::kImport);
  EXPECT_EQ(RoleOf(b.pkg, "w-1.0.data/platlib/top.py"), FileRole::kImport);
  EXPECT_EQ(RoleOf(b.pkg, "w-1.0.data/data/share/other/__init__.py"), FileRole::kRuntime)
      << "the data scheme is not on the import path";
  EXPECT_EQ(ImportPath("w-1.0.data/purelib/other/mod.py"), "other/mod.py");
  EXPECT_EQ(ImportPath("src/pkg/__init__.py"), "pkg/__init__.py");
  EXPECT_EQ(ImportPath("w-1.0.data/scripts/run"), "w-1.0.data/scripts/run");
}

TEST(Package, LinkedSetupRunsItsTargetAtInstall) {
  // pip extracts an sdist's links as links: a setup.py leading to another
  // file runs that file at install time.
  const std::string code = "import os\nos.system('x')\n";
  for (testing::Entry::Type type : {testing::Entry::kSymlink, testing::Entry::kHardlink}) {
    Built b;
    std::string target = type == testing::Entry::kSymlink ? "tools/../tools/helper.py"
                                                          : "p-1.0/tools/helper.py";
    Build("p-1.0.tar.gz",
          testing::MakeTar({File("p-1.0/PKG-INFO", "Name: p\nVersion: 1.0\n"),
                            File("p-1.0/tools/helper.py", code),
                            testing::Entry{"p-1.0/setup.py", "", type, target},
                            testing::Entry{"p-1.0/docs/copy.py", "", type,
                                           type == testing::Entry::kSymlink ? "../tools/helper.py"
                                                                            : target},
                            testing::Entry{"p-1.0/pkg/__init__.py", "", testing::Entry::kSymlink,
                                           "../../../etc/passwd"}}),
          &b);
    EXPECT_EQ(RoleOf(b.pkg, "tools/helper.py"), FileRole::kRuntime);
    EXPECT_EQ(RoleOf(b.pkg, "setup.py"), FileRole::kInstall) << type;
    for (const PackageFile& f : b.pkg.files) {
      if (f.rel == "setup.py") {
        EXPECT_EQ(f.data(), code);
        EXPECT_FALSE(f.dormant);
      }
      if (f.rel == "docs/copy.py") {
        EXPECT_TRUE(f.dormant) << "a link adding no role is read only if code imports it";
      }
      EXPECT_NE(f.rel, "pkg/__init__.py") << "a link out of the archive leads nowhere";
    }
    ASSERT_EQ(b.pkg.findings.size(), 1u);
    EXPECT_EQ(b.pkg.findings[0].rule, "archive-link-code");
    EXPECT_EQ(b.pkg.findings[0].file, "p-1.0/setup.py");
  }
  // A wheel's links are written as files holding the target's name: no link.
  Built w;
  Build(
      "w-1.0-py3-none-any.whl",
      testing::MakeZip({File("w/helper.py", "x = 1\n"),
                        testing::Entry{"w/__init__.py", "", testing::Entry::kSymlink, "helper.py"},
                        File("w-1.0.dist-info/METADATA", "Name: w\nVersion: 1.0\n")}),
      &w);
  for (const PackageFile& f : w.pkg.files) EXPECT_EQ(f.target, nullptr) << f.rel;
}

const PackageFile* FileAt(const Package& p, const std::string& rel) {
  for (const PackageFile& f : p.files)
    if (f.rel == rel) return &f;
  return nullptr;
}

TEST(Package, FolderLinkNamesItsFilesByTheLink) {
  // pip extracts a folder link as a link: lib/mypkg/ is importable as mypkg
  // through p-1.0/mypkg -> lib/mypkg, also when reached through more links.
  Built b;
  Build("p-1.0.tar.gz",
        testing::MakeTar({File("p-1.0/PKG-INFO", "Name: p\nVersion: 1.0\n"),
                          File("p-1.0/setup.py", "from setuptools import setup\nsetup()\n"),
                          File("p-1.0/lib/mypkg/__init__.py", "from . import core\n"),
                          File("p-1.0/lib/mypkg/core.py", "x = 1\n"),
                          File("p-1.0/lib/mypkg/README", "text\n"),
                          testing::Entry{"p-1.0/lib/mypkg/alias.py", "", testing::Entry::kSymlink,
                                         "core.py"},
                          testing::Entry{"p-1.0/libs", "", testing::Entry::kSymlink, "lib"},
                          testing::Entry{"p-1.0/mypkg", "", testing::Entry::kSymlink,
                                         "./libs/../libs/mypkg/"},
                          testing::Entry{"p-1.0/outside", "", testing::Entry::kSymlink,
                                         "../../etc"},
                          testing::Entry{"p-1.0/loop", "", testing::Entry::kSymlink, "loop"}}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "lib/mypkg/__init__.py"), FileRole::kRuntime) << "its real path";
  const PackageFile* init = FileAt(b.pkg, "mypkg/__init__.py");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(init->role, FileRole::kImport);
  EXPECT_FALSE(init->dormant);
  EXPECT_EQ(init->path, "p-1.0/mypkg/__init__.py");
  ASSERT_NE(init->target, nullptr);
  EXPECT_EQ(init->target->path, "p-1.0/lib/mypkg/__init__.py");
  EXPECT_EQ(init->data(), "from . import core\n");
  // Modules below it become code only when imported (the import pass).
  const PackageFile* core = FileAt(b.pkg, "mypkg/core.py");
  ASSERT_NE(core, nullptr);
  EXPECT_TRUE(core->dormant);
  const PackageFile* alias = FileAt(b.pkg, "mypkg/alias.py");
  ASSERT_NE(alias, nullptr) << "a file link inside the linked folder";
  EXPECT_EQ(alias->data(), "x = 1\n");
  EXPECT_EQ(FileAt(b.pkg, "mypkg/README"), nullptr) << "not code: nothing to add";
  const PackageFile* via_libs = FileAt(b.pkg, "libs/mypkg/__init__.py");
  ASSERT_NE(via_libs, nullptr);
  EXPECT_TRUE(via_libs->dormant) << "libs/ gives no role by its path";
  for (const PackageFile& f : b.pkg.files) {
    EXPECT_EQ(f.rel.rfind("outside/", 0), std::string::npos) << f.rel;
    EXPECT_EQ(f.rel.rfind("loop/", 0), std::string::npos) << f.rel;
  }
  ASSERT_EQ(b.pkg.findings.size(), 1u);
  EXPECT_EQ(b.pkg.findings[0].rule, "archive-link-code");
  EXPECT_EQ(b.pkg.findings[0].file, "p-1.0/mypkg/__init__.py");
  EXPECT_NE(b.pkg.findings[0].message.find("folder link p-1.0/mypkg"), std::string::npos);
}

TEST(Package, FolderLinksAddABoundedNumberOfFiles) {
  // 300 links to the folder holding 300 modules (and the links): 90000
  // names by the links, of which a bounded number are kept.
  std::vector<testing::Entry> entries;
  for (int i = 0; i < 300; ++i) {
    entries.push_back(File("p-1.0/m" + std::to_string(i) + ".py", "x = 1\n"));
    entries.push_back(testing::Entry{"p-1.0/l" + std::to_string(i), "", testing::Entry::kSymlink,
                                     "."});
  }
  Built b;
  Build("p-1.0.tar", testing::MakeTar(entries, testing::Compression::kNone), &b);
  size_t via_links = std::count_if(b.pkg.files.begin(), b.pkg.files.end(),
                                   [](const PackageFile& f) { return f.target != nullptr; });
  EXPECT_GT(via_links, 1000u);
  EXPECT_LE(via_links, size_t{1} << 16);
}

TEST(Package, InTreeBuildBackendIsInstallTime) {
  Built b;
  Build("x-1.0.tar.gz",
        testing::MakeTar({File("x-1.0/pyproject.toml",
                               "[build-system]\nrequires = []\nbuild-backend = \"backend\"\n"
                               "backend-path = [\"_build\"]\n"),
                          File("x-1.0/_build/backend.py", "import os\n"),
                          File("x-1.0/_build/notes.txt", "")}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "_build/backend.py"), FileRole::kInstall);
  EXPECT_EQ(RoleOf(b.pkg, "_build/notes.txt"), FileRole::kRuntime);
  EXPECT_EQ(b.pkg.name, "x") << "falls back to the file name";
  EXPECT_EQ(b.pkg.name_source, "file name");
}

TEST(Package, BrokenPyprojectDoesNotStopTheModel) {
  Built b;
  Build("x-1.0.tar.gz",
        testing::MakeTar({File("x-1.0/pyproject.toml", "[build-system\nbackend-path = [\n"),
                          File("x-1.0/setup.py", "")}),
        &b);
  EXPECT_EQ(RoleOf(b.pkg, "setup.py"), FileRole::kInstall);
}

TEST(Package, NamesFromFileNames) {
  std::string n, v;
  ASSERT_TRUE(NameFromFileName("dir/my-pkg-1.0.post1.tar.gz", &n, &v));
  EXPECT_EQ(n, "my-pkg");
  EXPECT_EQ(v, "1.0.post1");
  ASSERT_TRUE(NameFromFileName("my_pkg-2.0-py3-none-any.whl", &n, &v));
  EXPECT_EQ(n, "my_pkg");
  EXPECT_EQ(v, "2.0");
  ASSERT_TRUE(NameFromFileName("aggdraw_1.3.19.orig.tar.gz", &n, &v));
  EXPECT_EQ(n, "aggdraw");
  EXPECT_EQ(v, "1.3.19");
  ASSERT_TRUE(NameFromFileName("Egg-0.1-py2.7.egg", &n, &v));
  EXPECT_EQ(n, "Egg");
}

TEST(Package, MetadataFieldStopsAtBody) {
  std::string meta = "Name: a\r\nSummary: x\n  continued\nVersion: 3\n\nName: body\n";
  EXPECT_EQ(MetadataField(meta, "name"), "a");
  EXPECT_EQ(MetadataField(meta, "VERSION"), "3");
  EXPECT_EQ(MetadataField(meta, "Author"), "");
}

}  // namespace
}  // namespace pyward
