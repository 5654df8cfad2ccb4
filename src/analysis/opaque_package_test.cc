#include "analysis/opaque_package.h"

#include <gtest/gtest.h>

#include "analysis/verdict.h"

namespace pyward {
namespace {

Finding Stub(const std::string& file, Severity s = Severity::kHigh, Phase p = Phase::kImport) {
  Finding f;
  f.rule = "pyarmor-stub";
  f.severity = s;
  f.phase = p;
  f.file = file;
  f.line = 1;
  return f;
}

const char kStub[] =
    "from pytransform import pyarmor_runtime\npyarmor_runtime()\n"
    "__pyarmor__(__name__, __file__, b'\\x50\\x59\\x41\\x52')\n";

bool Opaque(const std::vector<CodeFile>& files, std::vector<Finding> findings) {
  AppendOpaquePackageFinding(files, &findings);
  for (const Finding& f : findings)
    if (f.rule == "opaque-package") return true;
  return false;
}

TEST(OpaquePackage, OnlyImportsAndMetadata) {
  EXPECT_TRUE(OnlyImportsAndMetadata("from p import color\n"));
  EXPECT_TRUE(OnlyImportsAndMetadata("\"\"\"Doc\n\nmore\n\"\"\"\n# c\nimport os\n__version__ = '1'\n"));
  EXPECT_TRUE(OnlyImportsAndMetadata("'''one line'''\n__all__ = ['x']\n"));
  EXPECT_FALSE(OnlyImportsAndMetadata("import os\nos.system('id')\n"));
  EXPECT_FALSE(OnlyImportsAndMetadata("def f():\n    return 1\n"));
  EXPECT_FALSE(OnlyImportsAndMetadata("\"\"\"doc\"\"\"\nx = 1\n"));
}

TEST(OpaquePackage, ProtectedModuleAloneIsOpaque) {
  std::vector<CodeFile> files = {
      {"p/setup.py", FileRole::kInstall, "from setuptools import setup\nsetup(name='p')\n"},
      {"p/src/p.py", FileRole::kImport, kStub},
      {"p/src/pytransform/__init__.py", FileRole::kRuntime, "def pyarmor_runtime():\n    pass\n"}};
  std::vector<Finding> findings = {Stub("p/src/p.py")};
  EXPECT_TRUE(Opaque(files, findings));
  // A re-exporting __init__.py beside the protected module changes nothing.
  files.push_back({"p/p/__init__.py", FileRole::kImport, "from p import color\n"});
  EXPECT_TRUE(Opaque(files, findings));
  // The verdict: a hidden act at import time, malicious.
  AppendOpaquePackageFinding(files, &findings);
  EXPECT_EQ(Judge(findings).verdict, Verdict::kMalicious);
}

TEST(OpaquePackage, ProtectedCoreBesideReadableCodeIsNot) {
  std::vector<CodeFile> files = {
      {"p/p/__init__.py", FileRole::kImport, "from p.core import run\n"},
      {"p/p/core.py", FileRole::kRuntime, kStub},
      {"p/p/cli.py", FileRole::kRuntime, "import argparse\n\ndef main():\n    argparse.ArgumentParser()\n"}};
  EXPECT_FALSE(Opaque(files, {Stub("p/p/core.py", Severity::kMedium, Phase::kRuntime)}));
  // Stubs only at run time (not run on import): not opaque either.
  files.pop_back();
  EXPECT_FALSE(Opaque(files, {Stub("p/p/core.py", Severity::kMedium, Phase::kRuntime)}));
  // No stub at all.
  EXPECT_FALSE(Opaque({{"p/p/__init__.py", FileRole::kImport, "import os\n"}}, {}));
  // A stub in a test file counts for nothing.
  Finding in_test = Stub("p/tests/t.py");
  in_test.weight = 0.3;
  EXPECT_FALSE(Opaque({{"p/tests/t.py", FileRole::kTest, kStub}}, {in_test}));
}

}  // namespace
}  // namespace pyward
