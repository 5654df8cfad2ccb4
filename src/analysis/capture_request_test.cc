// capture-host-request: one-line tests over synthetic sources through the
// whole Python pass (hosts from the shipped data/indicators/tunnel.txt).
#include "analysis/capture_request.h"

#include <gtest/gtest.h>

#include <string>

#include "support/python_rules.h"

namespace pyward {
namespace {

std::string Rule(const std::string& code) {
  auto fs = testing::Analyze(code, Phase::kImport);
  const Finding* f = testing::Find(fs, "capture-host-request");
  return f ? std::string(SeverityName(f->severity)) + "@" + std::string(PhaseName(f->phase)) : "none";
}

TEST(CaptureRequest, ModuleLevelRequestToAnOastHost) {
  EXPECT_EQ(Rule("import requests\nrequests.get('http://abc123.oastify.com/x')\n"), "critical@import");
}
TEST(CaptureRequest, FunctionRequestToATunnelThroughAName) {
  EXPECT_EQ(Rule("import requests\ndef go():\n    url = 'https://ab-1-2.ngrok-free.app/log'\n"
                 "    requests.get(url)\n"),
            "high@runtime");
}
TEST(CaptureRequest, KeywordUrl) {
  EXPECT_EQ(Rule("import requests\nrequests.post(url='https://webhook.site/abc', data='x')\n"),
            "critical@import");
}
TEST(CaptureRequest, ChatWebhookWrittenIntoTheCode) {
  EXPECT_EQ(Rule("import requests\ndef notify():\n"
                 "    requests.post('https://discord.com/api/webhooks/1/abc', json={'content': 'hi'})\n"),
            "high@runtime");
}
TEST(CaptureRequest, WebhookFromConfigurationIsQuiet) {
  EXPECT_EQ(Rule("import requests, os\ndef notify(url):\n    requests.post(url, json={'content': 'hi'})\n"),
            "none");
}
TEST(CaptureRequest, OrdinaryHostIsQuiet) {
  EXPECT_EQ(Rule("import requests\nrequests.get('https://api.example.org/v1/ngrok')\n"), "none");
}
TEST(CaptureRequest, HostNamedButNotRequested) {
  EXPECT_EQ(Rule("HOSTS = ['x.oastify.com']\nprint(HOSTS)\n"), "none");
}

}  // namespace
}  // namespace pyward
