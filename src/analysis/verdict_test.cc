#include "analysis/verdict.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

Finding F(const std::string& rule, Severity s, double w = 1.0) {
  Finding f;
  f.rule = rule;
  f.severity = s;
  f.weight = w;
  return f;
}

// A finding in `file`, in code that runs in `phase`.
Finding At(const std::string& rule, Severity s, Phase phase, const std::string& file,
           double w = 1.0) {
  Finding f = F(rule, s, w);
  f.phase = phase;
  f.file = file;
  f.line = 3;
  return f;
}

constexpr Severity kLow = Severity::kLow, kMedium = Severity::kMedium, kHigh = Severity::kHigh;
constexpr Phase kInstall = Phase::kInstall, kImport = Phase::kImport, kRuntime = Phase::kRuntime;

bool SaysCombination(const Judgement& j, const std::string& what) {
  for (const std::string& r : j.reasons)
    if (r.find(what) != std::string::npos) return true;
  return false;
}

TEST(Verdict, SeverityAndCombination) {
  EXPECT_EQ(Judge({}).verdict, Verdict::kClean);
  EXPECT_EQ(Judge({F("a", Severity::kCritical)}).verdict, Verdict::kMalicious);
  EXPECT_EQ(Judge({F("a", Severity::kHigh)}).verdict, Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("a", Severity::kHigh), F("b", Severity::kHigh)}).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({F("a", Severity::kMedium)}).verdict, Verdict::kClean);
}

TEST(Verdict, OneRuleRepeatedDoesNotEscalate) {
  std::vector<Finding> many(50, F("a", Severity::kMedium));
  EXPECT_EQ(Judge(many).verdict, Verdict::kSuspicious) << "capped at twice its strongest";
  std::vector<Finding> highs(50, F("a", Severity::kHigh));
  EXPECT_LE(Judge(highs).score, 90);
}

TEST(Verdict, NamesRaiseTheVerdictOnlyWithContentEvidence) {
  Finding hook = F("install-exec", Severity::kMedium);
  hook.phase = Phase::kInstall;
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh)}).verdict, Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), F("dependency-confusion", Severity::kHigh)})
                .verdict,
            Verdict::kSuspicious)
      << "name evidence alone never makes a package malicious";
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), hook}).verdict, Verdict::kMalicious);
  EXPECT_EQ(Judge({hook}).verdict, Verdict::kClean);
  // Issue 6: a squatted name with an install hook or hidden install code.
  EXPECT_EQ(Judge({F("typosquat", kHigh), At("long-line", kLow, kInstall, "setup.py")}).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({F("typosquat", kHigh), At("install-exec", kLow, kInstall, "setup.py")}).verdict,
            Verdict::kSuspicious)
      << "a setup.py that only reads its version is no install hook";
  EXPECT_EQ(Judge({F("typosquat", kLow), At("install-exec", kLow, kInstall, "setup.py")}).verdict,
            Verdict::kClean)
      << "a faint name resemblance with a routine setup.py";
  Finding runtime_only = F("bundled-executable", Severity::kMedium);
  runtime_only.phase = Phase::kRuntime;
  EXPECT_EQ(Judge({F("typosquat", Severity::kHigh), runtime_only}).verdict,
            Verdict::kSuspicious);
  EXPECT_EQ(Judge({F("known-malicious-name", Severity::kCritical)}).verdict,
            Verdict::kMalicious);
}

TEST(Verdict, TestCodeWeighsLess) {
  EXPECT_EQ(Judge({F("a", Severity::kCritical, 0.3)}).verdict, Verdict::kClean);
  EXPECT_LE(Judge({F("a", Severity::kCritical), F("b", Severity::kCritical)}).score, 100);
}

TEST(Verdict, ConcealmentWithCapabilityInTheSameEarlyFile) {
  Finding exec = At("install-exec", kHigh, kInstall, "p/setup.py");
  ASSERT_EQ(Judge({exec}).verdict, Verdict::kSuspicious);
  Judgement j = Judge({exec, At("long-line", kLow, kInstall, "p/setup.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "with code that acts in the same file")) << j.reasons[0];
  EXPECT_EQ(Judge({exec, At("long-line", kLow, kInstall, "p/other.py")}).verdict,
            Verdict::kSuspicious)
      << "concealment elsewhere does not vouch for what setup.py runs";
  EXPECT_EQ(Judge({exec, At("long-line", kLow, kInstall, "p/setup.py", 0.3)}).verdict,
            Verdict::kSuspicious)
      << "test code takes no part";
  EXPECT_EQ(Judge({At("install-exec", kLow, kInstall, "p/setup.py"),
                   At("high-entropy-blob", kLow, kInstall, "p/setup.py")})
                .verdict,
            Verdict::kClean)
      << "a routine call next to a long docstring";
  // Concealment in an import-time file and code that acts in one of its
  // functions (runtime phase): the same file, so the same verdict.
  Finding send = At("hidden-destination", kHigh, kRuntime, "p/__init__.py");
  ASSERT_EQ(Judge({send}).verdict, Verdict::kSuspicious);
  EXPECT_EQ(Judge({send, At("obfuscated-identifier", Severity::kMedium, kImport, "p/__init__.py")})
                .verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({send, At("obfuscated-identifier", Severity::kMedium, kRuntime, "p/__init__.py")})
                .verdict,
            Verdict::kSuspicious)
      << "concealment only in code that runs later does not pair";
  // Host data sent out by a file that talks to a hidden address: malicious
  // even in code that runs later; in another file it does not pair.
  Finding out = At("exfiltration", Severity::kLow, kRuntime, "p/__init__.py");
  Judgement sent = Judge({send, out});
  EXPECT_EQ(sent.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(sent, "data sent out by code that acts on something hidden"));
  EXPECT_EQ(Judge({send, At("exfiltration", Severity::kLow, kRuntime, "p/other.py")}).verdict,
            Verdict::kSuspicious);
}

TEST(Verdict, ExfiltrationEndpointInEarlyCode) {
  Judgement j = Judge({At("indicator-webhook", kHigh, kInstall, "p/setup.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "exfiltration endpoint"));
  EXPECT_EQ(Judge({At("indicator-tunnel", kHigh, kImport, "p/__init__.py")}).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({At("indicator-webhook", kHigh, kRuntime, "p/bot.py")}).verdict,
            Verdict::kSuspicious)
      << "a library may name a bot API where its users call it";
  EXPECT_EQ(Judge({At("indicator-paste", kLow, kInstall, "p/setup.py")}).verdict,
            Verdict::kClean);
  Judgement host = Judge({At("indicator-ip-url", kMedium, kInstall, "p/setup.py")});
  EXPECT_EQ(host.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(host, "raw address in code that runs at install time"));
  EXPECT_EQ(Judge({At("indicator-ip-url", kMedium, kImport, "p/__init__.py")}).verdict,
            Verdict::kClean)
      << "a client library's default server address";
}

TEST(Verdict, LayeredConcealmentIsSuspicious) {
  Finding stub = At("pyarmor-stub", kMedium, kImport, "p/__init__.py");
  ASSERT_EQ(Judge({stub}).verdict, Verdict::kClean);
  Judgement j = Judge({stub, At("long-line", kLow, kImport, "p/__init__.py")});
  EXPECT_EQ(j.verdict, Verdict::kSuspicious) << "hidden, but nothing seen acting";
  EXPECT_TRUE(SaysCombination(j, "several kinds of concealment"));
  EXPECT_EQ(Judge({At("high-entropy-blob", kLow, kImport, "p/__init__.py"),
                   At("long-line", kLow, kImport, "p/__init__.py")})
                .verdict,
            Verdict::kClean)
      << "two faint signals (a long data line)";
  EXPECT_EQ(Judge({stub, At("long-line", kLow, kImport, "p/other.py")}).verdict,
            Verdict::kClean);
}

TEST(Verdict, EndpointOrHostWithCapabilityInOneFile) {
  Finding flow = At("exfiltration", kMedium, kRuntime, "p/leak.py");
  Judgement j = Judge({flow, At("indicator-tunnel", kHigh, kRuntime, "p/leak.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "endpoint or payload host"));
  EXPECT_EQ(Judge({At("network-at-import", kHigh, kImport, "p/__init__.py"),
                   At("indicator-filehost", kMedium, kImport, "p/__init__.py")})
                .verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({At("indicator-ip-url", kMedium, kRuntime, "p/a.py"),
                   At("install-exec", kHigh, kInstall, "p/setup.py")})
                .verdict,
            Verdict::kSuspicious)
      << "different files";
  EXPECT_EQ(Judge({At("indicator-ip-url", kMedium, kRuntime, "p/a.py"),
                   At("exec-dynamic", kLow, kRuntime, "p/a.py")})
                .verdict,
            Verdict::kClean)
      << "a weak capability does not count";
}

TEST(Verdict, CapabilitiesAtInstallAndImportAddUp) {
  // No combination is needed here: two different capabilities of high
  // severity already reach 90 on their points.
  Finding exec = At("install-exec", kHigh, kInstall, "p/setup.py");
  EXPECT_EQ(Judge({exec, At("process-at-import", kHigh, kImport, "p/__init__.py")}).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({exec, At("install-exec", kHigh, kInstall, "p/setup.py")}).verdict,
            Verdict::kSuspicious)
      << "the same capability twice is one kind of evidence";
  EXPECT_EQ(Judge({exec, At("exec-dynamic", kLow, kImport, "p/__init__.py")}).verdict,
            Verdict::kSuspicious)
      << "a build helper's process and a routine exec(version file)";
}

TEST(Verdict, SecretNamedNextToAPlaceToSendIt) {
  Finding secret = At("indicator-sensitive-path", kMedium, kRuntime, "p/grab.py");
  Judgement j = Judge({secret, At("indicator-ip-url", kMedium, kRuntime, "p/grab.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "secret data named next to a place to send it"));
  EXPECT_EQ(Judge({secret, At("indicator-ip-url", kMedium, kRuntime, "p/net.py")}).verdict,
            Verdict::kSuspicious)
      << "a config helper naming ~/.ssh and a test server elsewhere";
  EXPECT_EQ(Judge({At("indicator-sensitive-path", kLow, kRuntime, "p/grab.py"),
                   At("indicator-ip-url", kMedium, kRuntime, "p/grab.py")})
                .verdict,
            Verdict::kClean);
  // Data seen flowing out of the same file is a place to send it too.
  j = Judge({secret, At("exfiltration", kMedium, kRuntime, "p/grab.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "exfiltration (p/grab.py:3)"));
  EXPECT_NE(Judge({secret, At("exfiltration", kMedium, kRuntime, "p/sync.py")}).verdict,
            Verdict::kMalicious);
  EXPECT_NE(Judge({secret, At("exfiltration", kLow, kRuntime, "p/grab.py")}).verdict,
            Verdict::kMalicious)
      << "a weak flow (low) does not pair";
}

TEST(Verdict, DropperWithFurtherEvidence) {
  Finding drop = At("download-exec", kHigh, kRuntime, "p/main.py");
  ASSERT_EQ(Judge({drop}).verdict, Verdict::kSuspicious);
  Judgement j = Judge({drop, At("launch-hidden", kMedium, kRuntime, "p/util.py")});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "a dropper together with further evidence"));
  EXPECT_EQ(Judge({drop, F("typosquat", kLow)}).verdict, Verdict::kMalicious);
  EXPECT_EQ(Judge({drop, F("metadata-name-mismatch", kLow)}).verdict, Verdict::kSuspicious)
      << "packaging noise is not evidence";
  EXPECT_NE(Judge({At("download-exec", kMedium, kRuntime, "p/main.py"),
                   At("launch-hidden", kLow, kRuntime, "p/util.py")})
                .verdict,
            Verdict::kMalicious)
      << "a weaker dropper (download and start in one function) needs more than weak evidence";
  j = Judge({At("drop-executable", kMedium, kRuntime, "p/main.py"), F("typosquat", kMedium)});
  EXPECT_EQ(j.verdict, Verdict::kMalicious) << "a weaker dropper with medium evidence";
  EXPECT_TRUE(SaysCombination(j, "a dropper together with further evidence"));
  EXPECT_NE(Judge({At("drop-executable", kMedium, kRuntime, "p/main.py"), F("typosquat", kLow)})
                .verdict,
            Verdict::kMalicious);
}

TEST(Verdict, DecodedPayloadThatActs) {
  Finding inner = At("exec-decoded", kHigh, kRuntime, "p/b.py#2");
  Finding plain = inner;
  plain.file = "p/b.py";
  EXPECT_EQ(Judge({plain}).verdict, Verdict::kSuspicious);
  inner.chain = "base64 -> exec";
  Judgement j = Judge({inner});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "a decoded payload that itself acts"));
  EXPECT_TRUE(SaysCombination(j, "base64 -> exec"));
}

TEST(Verdict, HiddenCodeRunAtInstallOrImport) {
  // Code decoded and run in one step is concealment and a capability at once.
  for (Phase p : {kInstall, kImport}) {
    Judgement j = Judge({At("exec-dynamic", kHigh, p, "p/__init__.py")});
    EXPECT_EQ(j.verdict, Verdict::kMalicious);
    EXPECT_TRUE(SaysCombination(j, "something hidden acted on at install or import time"));
  }
  EXPECT_EQ(Judge({At("exec-dynamic", kHigh, kRuntime, "p/cli.py")}).verdict,
            Verdict::kSuspicious)
      << "in a runtime module, with no payload seen, it stays on its points";
  EXPECT_EQ(Judge({At("exec-dynamic", kMedium, kImport, "p/__init__.py")}).verdict,
            Verdict::kClean)
      << "code merely built at run time (below high) is not hidden code";
  EXPECT_EQ(Judge({At("exec-dynamic", kHigh, kImport, "p/tests/t.py", 0.3)}).verdict,
            Verdict::kClean);
  EXPECT_EQ(Judge({At("hidden-destination", kHigh, kImport, "p/__init__.py")}).verdict,
            Verdict::kMalicious)
      << "a network address decoded and used as the package loads";
}

TEST(Verdict, CapabilityInAFileThatCarriesAHiddenPayload) {
  Finding run = At("exec-decoded", kHigh, kRuntime, "p/tool.py");
  Finding payload = At("payload-decoded", Severity::kInfo, kRuntime, "p/tool.py");
  ASSERT_EQ(Judge({run}).verdict, Verdict::kSuspicious);
  Judgement j = Judge({payload, run});
  EXPECT_EQ(j.verdict, Verdict::kMalicious) << "info payload findings count for the pair";
  EXPECT_TRUE(SaysCombination(j, "in a file that carries a hidden payload"));
  Finding elsewhere = payload;
  elsewhere.file = "p/other.py";
  EXPECT_EQ(Judge({run, elsewhere}).verdict, Verdict::kSuspicious) << "only in one file";
  EXPECT_EQ(Judge({At("exec-dynamic", kMedium, kRuntime, "p/tool.py"), payload}).verdict,
            Verdict::kClean)
      << "a capability below high does not pair";
  Finding in_test = payload;
  in_test.file = run.file = "p/tests/t.py";
  in_test.weight = run.weight = 0.3;
  EXPECT_NE(Judge({run, in_test}).verdict, Verdict::kMalicious);
}

TEST(Verdict, ConcealedSetupPyIsMalicious) {
  std::vector<Finding> setup = {At("pyarmor-stub", kHigh, kInstall, "p/setup.py"),
                                At("long-line", kLow, kInstall, "p/setup.py")};
  Judgement j = Judge(setup);
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "several kinds of concealment in code that runs at install"));
  std::vector<Finding> lib = {At("pyarmor-stub", kHigh, kImport, "p/__init__.py"),
                              At("long-line", kLow, kImport, "p/__init__.py")};
  EXPECT_EQ(Judge(lib).verdict, Verdict::kSuspicious) << "a protected library stays suspicious";
  EXPECT_EQ(Judge({setup[0]}).verdict, Verdict::kSuspicious) << "one kind alone";
}

// Secret data named where the same file sends to an address hidden in an
// encoded literal: the hidden address is where the secrets go.
TEST(Verdict, SecretNextToAHiddenDestination) {
  Finding secret = At("indicator-sensitive-path", kMedium, kRuntime, "p/main.py");
  Finding hidden = At("hidden-destination", kHigh, kRuntime, "p/main.py");
  Judgement j = Judge({secret, hidden});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "secret data named next to a place to send it"));
  EXPECT_EQ(Judge({hidden}).verdict, Verdict::kSuspicious) << "a hidden address alone";
  hidden.file = "p/other.py";
  EXPECT_NE(Judge({secret, hidden}).verdict, Verdict::kMalicious) << "in another file";
  hidden.file = "p/main.py";
  secret.severity = kLow;
  EXPECT_NE(Judge({secret, hidden}).verdict, Verdict::kMalicious) << "a low secret (netrc)";
}

TEST(Verdict, PersistencePlaceInInstallTimeCode) {
  Finding startup = At("indicator-persistence", kHigh, kInstall, "p/setup.py");
  Judgement j = Judge({startup});
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "starts code again with the system"));
  startup.phase = kRuntime;
  EXPECT_EQ(Judge({startup}).verdict, Verdict::kSuspicious)
      << "a tool that manages startup entries names them at run time";
  EXPECT_EQ(Judge({At("indicator-persistence", kMedium, kInstall, "p/setup.py")}).verdict,
            Verdict::kClean);
}

TEST(Verdict, EvidenceKindsLoad) {
  EvidenceKinds k;
  std::string err;
  ASSERT_TRUE(k.Load("# c\n[endpoint]\nindicator-x  # a comment\n[capability]\nflow low\nrun\n",
                     &err))
      << err;
  EXPECT_EQ(k.endpoint.count("indicator-x"), 1u);
  EXPECT_EQ(k.capability.at("flow"), Severity::kLow);
  EXPECT_EQ(k.capability.at("run"), Severity::kHigh);
  EXPECT_FALSE(EvidenceKinds().Load("[nonsense]\n", &err));
  EXPECT_FALSE(EvidenceKinds().Load("stray\n", &err));
  EXPECT_FALSE(EvidenceKinds().Load("[capability]\nrun sometimes\n", &err));
  EXPECT_FALSE(EvidenceKinds::Default().capability.empty()) << "data/rules/verdict.txt";
  // Custom kinds take effect.
  EXPECT_EQ(Judge({At("indicator-x", kHigh, kInstall, "setup.py")}, k).verdict,
            Verdict::kMalicious);
  EXPECT_EQ(Judge({At("indicator-x", kHigh, kInstall, "setup.py")}, EvidenceKinds()).verdict,
            Verdict::kSuspicious);
}

TEST(Verdict, ManyFindingsInManyFilesPairOnlyWithinAFile) {
  // A hostile package can carry tens of thousands of findings: concealment in
  // one set of files and code that acts in another never pair, and the
  // combinations are found by file, not by comparing every two findings.
  std::vector<Finding> fs;
  for (int i = 0; i < 60000; ++i)
    fs.push_back(At("long-line", kLow, kImport, "p/hidden" + std::to_string(i) + ".py"));
  fs.push_back(At("process-at-import", kHigh, kImport, "p/acts.py"));
  Judgement j = Judge(fs);
  EXPECT_EQ(j.verdict, Verdict::kSuspicious);
  EXPECT_FALSE(SaysCombination(j, "with code that acts in the same file"));
  fs.push_back(At("process-at-import", kHigh, kImport, "p/hidden59999.py"));
  j = Judge(fs);
  EXPECT_EQ(j.verdict, Verdict::kMalicious);
  EXPECT_TRUE(SaysCombination(j, "with code that acts in the same file"));
}

}  // namespace
}  // namespace pyward
