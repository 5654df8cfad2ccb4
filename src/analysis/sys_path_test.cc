#include "analysis/sys_path.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

using Dirs = std::vector<std::string>;

TEST(SysPathDirs, ConstantsStartAtTheRoot) {
  EXPECT_EQ(SysPathDirs("import sys\nsys.path.insert(0, 'tools')\nimport helper\n", "pkg/"),
            Dirs{"tools"});
  EXPECT_EQ(SysPathDirs("sys.path.append(\"./build/lib/\")", ""), Dirs{"build/lib"});
  EXPECT_EQ(SysPathDirs("sys.path.insert(0, os.path.abspath(os.path.join('a', 'b')))", ""),
            Dirs{"a/b"});
  EXPECT_EQ(SysPathDirs("sys.path.append('.')\nsys.path.insert(0, os.getcwd())", "x/"), Dirs{""});
}

TEST(SysPathDirs, FileRelativePathsStartAtTheModulesFolder) {
  EXPECT_EQ(
      SysPathDirs("sys.path.append(os.path.join(os.path.dirname(__file__), 'tools'))", "pkg/"),
      Dirs{"pkg/tools"});
  EXPECT_EQ(SysPathDirs("sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath("
                        "__file__)), '..', 'vendor'))",
                        "pkg/sub/"),
            Dirs{"pkg/vendor"});
  EXPECT_EQ(
      SysPathDirs("sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))", "pkg/sub/"),
      Dirs{"pkg"});
  EXPECT_EQ(SysPathDirs("sys.path.insert(0, str(Path(__file__).resolve().parent / 'lib'))", "pkg/"),
            Dirs{"pkg/lib"});
  EXPECT_EQ(SysPathDirs("sys.path.insert(\n    0, os.path.dirname(__file__) + '/vendored'\n)", ""),
            Dirs{"vendored"});
}

TEST(SysPathDirs, OtherArgumentsGiveNothing) {
  EXPECT_TRUE(SysPathDirs("sys.path.insert(0, ROOT)", "").empty()) << "an unknown name";
  EXPECT_TRUE(SysPathDirs("sys.path.append('/usr/lib/python3/dist-packages')", "").empty());
  EXPECT_TRUE(SysPathDirs("sys.path.append('../outside')", "").empty()) << "out of the root";
  EXPECT_TRUE(SysPathDirs("sys.path.append(os.path.join(os.path.dirname(__file__), '..', "
                          "'..'))",
                          "pkg/")
                  .empty());
  EXPECT_TRUE(SysPathDirs("sys.path.insert(0, __file__)", "").empty());
  EXPECT_TRUE(
      SysPathDirs("sys.path.remove('tools')\nsys.path.insert(0)\nsys.path.append(", "").empty());
  EXPECT_TRUE(SysPathDirs("sys.path.append('a\\'b')", "").empty()) << "escapes are not read";
  EXPECT_TRUE(SysPathDirs("", "").empty());
}

}  // namespace
}  // namespace pyward
