#include "audit/pep508.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

Requirement Req(const char* text) {
  Requirement r;
  std::string err;
  EXPECT_TRUE(ParseRequirement(text, &r, &err)) << text << ": " << err;
  return r;
}

bool Bad(const char* text) {
  Requirement r;
  std::string err;
  bool ok = ParseRequirement(text, &r, &err);
  if (!ok) {
    EXPECT_FALSE(err.empty());
  }
  return !ok;
}

Tri Eval(const char* marker, const char* py, const char* platform,
         std::set<std::string> extras = {}) {
  Marker m;
  std::string err;
  EXPECT_TRUE(Marker::Parse(marker, &m, &err)) << marker << ": " << err;
  MarkerEnvironment env;
  EXPECT_TRUE(MarkerEnvironment::ForTarget(py, platform, &env, &err)) << err;
  env.extras = extras;
  return m.Evaluate(env);
}

TEST(Pep508Name, NormalisesAsPep503) {
  EXPECT_EQ(NormalizeName("Django"), "django");
  EXPECT_EQ(NormalizeName("zope.interface"), "zope-interface");
  EXPECT_EQ(NormalizeName("A__b-._C"), "a-b-c");
  EXPECT_EQ(NormalizeName("_x_"), "-x-");
  EXPECT_TRUE(IsValidProjectName("zope.interface"));
  EXPECT_FALSE(IsValidProjectName("foo-"));
  EXPECT_FALSE(IsValidProjectName(""));
}

TEST(Pep508Requirement, NameExtrasSpecifierMarker) {
  Requirement r = Req("requests[security, socks] >=2.8.1, ==2.8.* ; python_version < \"2.7\"");
  EXPECT_EQ(r.name, "requests");
  EXPECT_EQ(r.extras, (std::vector<std::string>{"security", "socks"}));
  EXPECT_EQ(r.specifier, ">=2.8.1, ==2.8.*");
  EXPECT_EQ(r.specifiers.clauses().size(), 2u);
  EXPECT_EQ(r.marker_text, "python_version < \"2.7\"");
  EXPECT_FALSE(r.marker.empty());
}

TEST(Pep508Requirement, ParenthesisedAndBare) {
  Requirement r = Req("name (>=1.0,<2)");
  EXPECT_EQ(r.specifier, ">=1.0,<2");
  r = Req("zope.interface");
  EXPECT_EQ(r.name, "zope.interface");
  EXPECT_TRUE(r.specifier.empty());
  EXPECT_TRUE(r.specifiers.empty());
}

TEST(Pep508Requirement, UrlReference) {
  Requirement r = Req("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; python_version >= '3'");
  EXPECT_EQ(r.name, "pip");
  EXPECT_EQ(r.url, "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee");
  EXPECT_EQ(r.marker_text, "python_version >= '3'");
}

TEST(Pep508Requirement, Rejects) {
  EXPECT_TRUE(Bad(""));
  EXPECT_TRUE(Bad(">=1.0"));
  EXPECT_TRUE(Bad("foo >= 1.0 bar"));
  EXPECT_TRUE(Bad("foo[bar"));
  EXPECT_TRUE(Bad("foo (>=1.0"));
  EXPECT_TRUE(Bad("foo >=1.0; bogus_var == '1'"));
  EXPECT_TRUE(Bad("foo; python_version >= '3"));
  EXPECT_TRUE(Bad("foo =1.0"));
  EXPECT_TRUE(Bad("foo @"));
  EXPECT_TRUE(Bad("foo @ @REPOROOT@"));
  EXPECT_TRUE(Bad("foo @ https:///path"));
  EXPECT_FALSE(Bad("foo @ file:///local/path"));
}

TEST(Pep508Marker, EvaluatesAgainstTarget) {
  EXPECT_EQ(Eval("python_version < '3.9'", "3.8", ""), Tri::kTrue);
  EXPECT_EQ(Eval("python_version < '3.9'", "3.11", ""), Tri::kFalse);
  EXPECT_EQ(Eval("python_version >= '3.10'", "3.9", ""), Tri::kFalse);
  EXPECT_EQ(Eval("python_full_version >= '3.8.1'", "3.8", ""), Tri::kFalse);
  EXPECT_EQ(Eval("sys_platform == 'win32'", "", "linux"), Tri::kFalse);
  EXPECT_EQ(Eval("platform_system == \"Windows\"", "", "win32"), Tri::kTrue);
  EXPECT_EQ(Eval("os_name == 'nt' or python_version < '3'", "3.11", "linux"),
            Tri::kFalse);
  EXPECT_EQ(Eval("(os_name == 'nt' or sys.platform == 'darwin') and "
                 "python_version >= '3.6'",
                 "3.11", "darwin"),
            Tri::kTrue);
  EXPECT_EQ(Eval("'linux' in sys_platform", "", "linux"), Tri::kTrue);
  EXPECT_EQ(Eval("sys_platform not in 'win32 cygwin'", "", "linux"), Tri::kTrue);
}

TEST(Pep508Marker, UnknownPartsStayUnknown) {
  EXPECT_EQ(Eval("sys_platform == 'win32'", "3.11", ""), Tri::kUnknown);
  EXPECT_EQ(Eval("sys_platform == 'win32' and python_version < '3'", "3.11", ""),
            Tri::kFalse);
  EXPECT_EQ(Eval("sys_platform == 'win32' or python_version >= '3'", "3.11", ""),
            Tri::kTrue);
  EXPECT_EQ(Eval("platform_machine == 'x86_64'", "3.11", "linux"), Tri::kUnknown);
}

TEST(Pep508Marker, Extras) {
  EXPECT_EQ(Eval("extra == 'Test_Suite'", "", "", {"test-suite"}), Tri::kTrue);
  EXPECT_EQ(Eval("extra == 'docs'", "", "", {"test-suite"}), Tri::kFalse);
  EXPECT_EQ(Eval("extra == 'docs'", "", ""), Tri::kFalse);
}

}  // namespace
}  // namespace pyward
