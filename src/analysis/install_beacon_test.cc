// install-beacon: one-line tests over synthetic setup.py sources through the
// whole Python pass.
#include "analysis/install_beacon.h"

#include <gtest/gtest.h>

#include <string>

#include "support/python_rules.h"

namespace pyward {
namespace {

bool Beacon(const std::string& setup_py) {
  auto fs = testing::Analyze(setup_py, Phase::kInstall, /*install=*/true);
  return testing::Find(fs, "install-beacon") != nullptr;
}

const char kHead[] = "from urllib.request import urlopen\nimport requests\nfrom setuptools import setup\n";

TEST(InstallBeacon, ModuleLevelRequestWhoseAnswerIsDropped) {
  EXPECT_TRUE(Beacon(std::string(kHead) + "requests.get('https://t.example/ping')\nsetup(name='x')\n"));
}
TEST(InstallBeacon, HelperCalledAtModuleLevel) {
  EXPECT_TRUE(Beacon(std::string(kHead) + "def hit(p):\n    urlopen('https://t.example/log/' + p)\n"
                     "hit('init')\nsetup(name='x')\n"));
}
TEST(InstallBeacon, InstallCommand) {
  EXPECT_TRUE(Beacon(std::string(kHead) + "from setuptools.command.install import install\n"
                     "class I(install):\n    def run(self):\n"
                     "        requests.post('https://t.example/i', data='x')\n        install.run(self)\n"
                     "setup(name='x', cmdclass={'install': I})\n"));
}
TEST(InstallBeacon, DownloadThatIsUsedIsNotABeacon) {
  EXPECT_FALSE(Beacon(std::string(kHead) + "data = urlopen('https://files.example/lib.tar.gz').read()\n"
                      "open('lib.tar.gz', 'wb').write(data)\nsetup(name='x')\n"));
}
TEST(InstallBeacon, HelperNothingCallsIsNotRun) {
  EXPECT_FALSE(Beacon(std::string(kHead) + "def hit():\n    requests.get('https://t.example/ping')\n"
                      "setup(name='x')\n"));
}
TEST(InstallBeacon, OnlyInstallFiles) {
  auto fs = testing::Analyze("import requests\nrequests.get('https://t.example/ping')\n", Phase::kImport);
  EXPECT_EQ(testing::Find(fs, "install-beacon"), nullptr);
}

}  // namespace
}  // namespace pyward
