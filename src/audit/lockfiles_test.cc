#include "audit/lockfiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/file_util.h"

namespace pyward {
namespace {

std::string Fixture(const std::string& rel) {
  std::string path =
      std::string(PYWARD_SOURCE_DIR) + "/tests/fixtures/lockfiles/" + rel;
  std::string content, err;
  EXPECT_TRUE(ReadFile(path, 1 << 20, &content, &err)) << err;
  return content;
}

// Reads fixture `rel` under the file name `name`; fails the test on error.
DependencySet ReadFixture(const std::string& rel, const std::string& name) {
  DependencySet set;
  std::string err;
  EXPECT_TRUE(ReadLockfile(name, Fixture(rel), &set, &err)) << err;
  EXPECT_TRUE(set.problems.empty());
  return set;
}

// The entries named `name`, in file order.
std::vector<const DeclaredDependency*> Named(const DependencySet& set,
                                             const std::string& name) {
  std::vector<const DeclaredDependency*> out;
  for (const DeclaredDependency& d : set.dependencies)
    if (d.name == name) out.push_back(&d);
  return out;
}

const DeclaredDependency& One(const DependencySet& set,
                              const std::string& name) {
  auto v = Named(set, name);
  EXPECT_EQ(v.size(), 1u) << name;
  static const DeclaredDependency kNone;
  return v.empty() ? kNone : *v[0];
}

// 1-based lines whose text starts with `header` (an array-of-tables header).
std::vector<int> HeaderLines(const std::string& text,
                             const std::string& header) {
  std::vector<int> out;
  int line = 1;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string l = text.substr(
        pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (l.rfind(header, 0) == 0) out.push_back(line);
    if (nl == std::string::npos) break;
    pos = nl + 1;
    ++line;
  }
  return out;
}

int LineOfText(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return -1;
  int line = 1;
  for (size_t i = 0; i < at; ++i) line += text[i] == '\n';
  return line;
}

TEST(LockfileNames, RecognisesEveryFormatByFileName) {
  EXPECT_EQ(LockfileKindOf("poetry.lock"), LockfileKind::kPoetry);
  EXPECT_EQ(LockfileKindOf("a/b/Pipfile.lock"), LockfileKind::kPipfile);
  EXPECT_EQ(LockfileKindOf("/x/uv.lock"), LockfileKind::kUv);
  EXPECT_EQ(LockfileKindOf("pdm.lock"), LockfileKind::kPdm);
  EXPECT_EQ(LockfileKindOf("pylock.toml"), LockfileKind::kPylock);
  EXPECT_EQ(LockfileKindOf("proj/pylock.dev.toml"), LockfileKind::kPylock);
  EXPECT_TRUE(IsLockfileName("C:\\proj\\poetry.lock"));
  for (const char* no : {"pylock.a.b.toml", "pylock..toml", "pylock.toml.bak",
                         "poetry.lock.orig", "Poetry.lock", "requirements.txt",
                         "pyproject.toml", "poetry.lock/", "", "uv.lock.d/x"}) {
    EXPECT_FALSE(IsLockfileName(no)) << no;
  }
}

TEST(LockfilePoetry, Lock21GroupsMarkersSourcesHashesLines) {
  std::string text = Fixture("poetry-2.1/poetry.lock");
  DependencySet set = ReadFixture("poetry-2.1/poetry.lock", "proj/poetry.lock");
  ASSERT_EQ(set.dependencies.size(), 8u);
  EXPECT_TRUE(set.uses_hashes);

  std::vector<int> headers = HeaderLines(text, "[[package]]");
  ASSERT_EQ(headers.size(), set.dependencies.size());
  for (size_t i = 0; i < headers.size(); ++i) {
    EXPECT_EQ(set.dependencies[i].line, headers[i]) << set.dependencies[i].name;
    EXPECT_EQ(set.dependencies[i].file, "proj/poetry.lock");
  }

  const DeclaredDependency& requests = One(set, "requests");
  EXPECT_EQ(requests.version, "2.32.3");
  EXPECT_EQ(requests.specifier, "==2.32.3");
  EXPECT_EQ(requests.group, "");
  ASSERT_EQ(requests.hashes.size(), 2u);
  for (const std::string& h : requests.hashes) {
    EXPECT_EQ(h.rfind("sha256:", 0), 0u) << h;
    EXPECT_EQ(h.size(), 7u + 64u);
  }

  // Only in dev and docs, with a marker per group: the union of both.
  const DeclaredDependency& colorama = One(set, "colorama");
  EXPECT_EQ(colorama.group, "dev,docs");
  EXPECT_NE(colorama.marker.find("sys_platform == \"win32\""),
            std::string::npos);
  EXPECT_NE(colorama.marker.find("python_version >= \"3.11\""),
            std::string::npos);
  // In main and dev: main's marker applies.
  const DeclaredDependency& tomli = One(set, "tomli");
  EXPECT_EQ(tomli.group, "");
  EXPECT_EQ(tomli.marker, "python_version < \"3.11\"");

  // Extras requested by a dependent (pytest needs coverage[toml]).
  EXPECT_EQ(One(set, "coverage").extras, std::vector<std::string>{"toml"});
  EXPECT_TRUE(One(set, "certifi").extras.empty());

  const DeclaredDependency& internal = One(set, "internal-utils");
  EXPECT_EQ(internal.index_url, "https://pypi.example.internal/simple");
  EXPECT_TRUE(internal.url.empty());

  const DeclaredDependency& theme = One(set, "sphinx-theme-x");
  EXPECT_EQ(theme.url,
            "git+https://github.com/example-org/sphinx-theme-x.git@"
            "3a2dd24bdb6484c1c0da1116043586ec22a32962");
  EXPECT_EQ(theme.version, "0.3.1");
  EXPECT_EQ(theme.group, "docs");
  EXPECT_TRUE(theme.hashes.empty());
  EXPECT_FALSE(theme.editable);
}

TEST(LockfilePoetry, Lock11CategoryAndMetadataFiles) {
  DependencySet set = ReadFixture("poetry-1.1/poetry.lock", "poetry.lock");
  ASSERT_EQ(set.dependencies.size(), 4u);
  // Hashes live in [metadata.files], keyed by the normalized name.
  const DeclaredDependency& jinja = One(set, "Jinja2");
  EXPECT_EQ(jinja.hashes.size(), 2u);
  EXPECT_EQ(jinja.group, "");
  EXPECT_EQ(One(set, "markupsafe").hashes.size(), 1u);
  const DeclaredDependency& pyls = One(set, "pyls-mypy");
  EXPECT_EQ(pyls.group, "dev");
  EXPECT_EQ(pyls.version, "0.1.8+6.g3b105b4");
  EXPECT_EQ(pyls.url,
            "git+https://github.com/tomv564/pyls-mypy@"
            "3b105b491a42eec304f19e6ed6da1053d12958c6");
  const DeclaredDependency& local = One(set, "local-tool");
  EXPECT_TRUE(local.editable);
  EXPECT_EQ(local.url, "../local-tool");
  EXPECT_TRUE(local.hashes.empty());
}

TEST(LockfilePipfile, SectionsIndexesVcsEditableAndLines) {
  std::string text = Fixture("pipenv/Pipfile.lock");
  DependencySet set = ReadFixture("pipenv/Pipfile.lock", "Pipfile.lock");
  ASSERT_EQ(set.dependencies.size(), 7u);
  EXPECT_TRUE(set.uses_hashes);
  const DeclaredDependency& certifi = One(set, "certifi");
  EXPECT_EQ(certifi.version, "2024.8.30");
  EXPECT_EQ(certifi.specifier, "==2024.8.30");
  EXPECT_EQ(certifi.index_url, "https://pypi.org/simple");
  EXPECT_EQ(certifi.marker, "python_version >= '3.6'");
  EXPECT_EQ(certifi.group, "");
  EXPECT_EQ(certifi.line, LineOfText(text, "\"certifi\": {"));
  EXPECT_EQ(One(set, "internal-utils").index_url,
            "https://pypi.example.internal/simple");
  EXPECT_EQ(One(set, "requests").extras, std::vector<std::string>{"socks"});
  const DeclaredDependency& pytest = One(set, "pytest");
  EXPECT_EQ(pytest.group, "dev");
  EXPECT_EQ(pytest.line, LineOfText(text, "\"pytest\": {"));
  const DeclaredDependency& pyls = One(set, "pyls-mypy");
  EXPECT_FALSE(pyls.version.has_value());
  EXPECT_EQ(pyls.url.rfind("git+https://github.com/tomv564/pyls-mypy@", 0), 0u);
  const DeclaredDependency& self = One(set, "myproject");
  EXPECT_TRUE(self.editable);
  EXPECT_EQ(self.url, ".");
}

TEST(LockfileUv, ProjectExcludedGroupsFromTheGraph) {
  std::string text = Fixture("uv/uv.lock");
  DependencySet set = ReadFixture("uv/uv.lock", "uv.lock");
  EXPECT_TRUE(Named(set, "demo-app").empty())
      << "the project itself is no dependency";
  ASSERT_EQ(set.dependencies.size(), 8u);
  // Lines: the [[package]] headers, skipping the project's own.
  std::vector<int> headers = HeaderLines(text, "[[package]]");
  int project_line = LineOfText(text, "name = \"demo-app\"") - 1;
  headers.erase(std::find(headers.begin(), headers.end(), project_line));
  ASSERT_EQ(headers.size(), set.dependencies.size());
  for (size_t i = 0; i < headers.size(); ++i)
    EXPECT_EQ(set.dependencies[i].line, headers[i]);

  // Two versions of click, each with the marker of its edge.
  auto clicks = Named(set, "click");
  ASSERT_EQ(clicks.size(), 2u);
  EXPECT_EQ(clicks[0]->version, "8.1.8");
  EXPECT_EQ(clicks[0]->marker, "python_full_version < '3.10'");
  EXPECT_EQ(clicks[1]->marker, "python_full_version >= '3.10'");
  EXPECT_EQ(clicks[0]->group, "");
  // Transitive main dependency.
  EXPECT_EQ(One(set, "certifi").group, "");
  EXPECT_EQ(One(set, "certifi").index_url, "https://pypi.org/simple");
  EXPECT_EQ(One(set, "certifi").hashes.size(), 2u);
  // Dev group, and tomli reached through coverage[toml] and pytest.
  EXPECT_EQ(One(set, "pytest").group, "dev");
  EXPECT_EQ(One(set, "coverage").group, "dev");
  EXPECT_EQ(One(set, "coverage").extras, std::vector<std::string>{"toml"});
  EXPECT_EQ(One(set, "tomli").group, "dev");
  // An optional dependency of the project: its extra is the group.
  const DeclaredDependency& theme = One(set, "sphinx-theme-x");
  EXPECT_EQ(theme.group, "themes");
  EXPECT_EQ(theme.url,
            "git+https://github.com/example-org/sphinx-theme-x.git@"
            "3a2dd24bdb6484c1c0da1116043586ec22a32962");
  EXPECT_TRUE(theme.index_url.empty());
}

TEST(LockfilePdm, GroupsMarkersExtrasAndGit) {
  DependencySet set = ReadFixture("pdm/pdm.lock", "pdm.lock");
  ASSERT_EQ(set.dependencies.size(), 7u);
  EXPECT_EQ(One(set, "certifi").group, "");
  EXPECT_EQ(One(set, "requests").group, "");  // default and dev
  EXPECT_EQ(One(set, "colorama").group, "dev");
  EXPECT_EQ(One(set, "colorama").marker, "sys_platform == \"win32\"");
  auto cov = Named(set, "coverage");
  ASSERT_EQ(cov.size(), 2u);
  EXPECT_TRUE(cov[0]->extras.empty());
  EXPECT_EQ(cov[1]->extras, std::vector<std::string>{"toml"});
  const DeclaredDependency& theme = One(set, "sphinx-theme-x");
  EXPECT_EQ(theme.group, "doc");
  EXPECT_EQ(theme.url,
            "git+https://github.com/example-org/sphinx-theme-x.git@"
            "3a2dd24bdb6484c1c0da1116043586ec22a32962");
}

TEST(LockfilePylock, PackagesIndexSourcesHashesAndMarkerGroups) {
  std::string text = Fixture("pylock/pylock.toml");
  DependencySet set = ReadFixture("pylock/pylock.toml", "pylock.toml");
  ASSERT_EQ(set.dependencies.size(), 6u);
  std::vector<int> headers = HeaderLines(text, "[[packages]]");
  ASSERT_EQ(headers.size(), 6u);
  for (size_t i = 0; i < headers.size(); ++i)
    EXPECT_EQ(set.dependencies[i].line, headers[i]);
  const DeclaredDependency& certifi = One(set, "certifi");
  EXPECT_EQ(certifi.index_url, "https://pypi.org/simple");
  EXPECT_EQ(certifi.hashes, std::vector<std::string>{
                                "sha256:922820b53db7a7257ffbda3f597266d43524"
                                "5903d80737e34f8a45ff3e3230d8"});
  EXPECT_EQ(certifi.group, "");
  const DeclaredDependency& pytest = One(set, "pytest");
  EXPECT_EQ(pytest.group, "dev");
  EXPECT_EQ(pytest.marker, "'dev' in dependency_groups");
  EXPECT_EQ(pytest.hashes.size(), 2u);  // sdist + wheel
  EXPECT_EQ(One(set, "pysocks").group, "socks");
  const DeclaredDependency& theme = One(set, "sphinx-theme-x");
  EXPECT_FALSE(theme.version.has_value());
  EXPECT_TRUE(theme.specifier.empty());
  EXPECT_EQ(theme.url,
            "git+https://github.com/example-org/sphinx-theme-x.git@"
            "3a2dd24bdb6484c1c0da1116043586ec22a32962");
  const DeclaredDependency& vendored = One(set, "vendored-wheel");
  EXPECT_EQ(
      vendored.url,
      "https://downloads.example.com/vendored_wheel-2.0.0-py3-none-any.whl");
  EXPECT_EQ(vendored.hashes.size(), 2u);
  const DeclaredDependency& local = One(set, "local-plugin");
  EXPECT_TRUE(local.editable);
  EXPECT_EQ(local.url, "./plugins/local");

  // The same content under a named-lock file name reads the same.
  DependencySet named;
  std::string err;
  EXPECT_TRUE(ReadLockfile("pylock.dev.toml", text, &named, &err)) << err;
  EXPECT_EQ(named.dependencies.size(), 6u);
}

TEST(LockfilePylock, RejectsUnknownMajorVersion) {
  DependencySet set;
  std::string err;
  EXPECT_FALSE(
      ReadLockfile("pylock.toml", "lock-version = '2.0'\n", &set, &err));
  EXPECT_NE(err.find("pylock.toml"), std::string::npos);
  EXPECT_NE(err.find("lock-version"), std::string::npos);
  EXPECT_FALSE(
      ReadLockfile("pylock.toml", "[[packages]]\nname='a'\n", &set, &err));
}

TEST(LockfileErrors, MalformedTomlNamesFileAndLine) {
  DependencySet set;
  std::string err;
  EXPECT_FALSE(ReadLockfile("sub/poetry.lock",
                            "[[package]]\nname = \"a\"\nversion = \n", &set,
                            &err));
  EXPECT_NE(err.find("sub/poetry.lock:3"), std::string::npos) << err;
  EXPECT_TRUE(set.dependencies.empty());
}

TEST(LockfileErrors, MalformedJsonNamesFileAndLine) {
  DependencySet set;
  std::string err;
  EXPECT_FALSE(ReadLockfile(
      "Pipfile.lock", "{\n \"default\": {\n  \"a\": [1,\n}\n", &set, &err));
  EXPECT_NE(err.find("Pipfile.lock:4"), std::string::npos) << err;
  EXPECT_FALSE(ReadLockfile("Pipfile.lock", "[1, 2]", &set, &err));
  EXPECT_NE(err.find("not a Pipfile.lock"), std::string::npos) << err;
}

TEST(LockfileErrors, UnknownNameAndWrongShapes) {
  DependencySet set;
  std::string err;
  EXPECT_FALSE(ReadLockfile("requirements.txt", "a==1", &set, &err));
  EXPECT_NE(err.find("requirements.txt"), std::string::npos);
  EXPECT_FALSE(ReadLockfile("uv.lock", "package = 3\n", &set, &err));
  EXPECT_NE(err.find("uv.lock:1"), std::string::npos) << err;
  EXPECT_FALSE(ReadLockfile("pdm.lock", "x = \"\xff\xfe\"\n", &set, &err));
}

TEST(LockfileErrors, BadEntriesBecomeProblemsAndTheRestIsRead) {
  DependencySet set;
  std::string err;
  std::string text =
      "package = [1, {version = '1.0'}, {name = 'ok', version = 2, files = 'x',"
      " groups = 7, markers = [1], source = 'y', dependencies = 3}]\n"
      "[metadata]\nfiles = 5\n";
  ASSERT_TRUE(ReadLockfile("poetry.lock", text, &set, &err)) << err;
  ASSERT_EQ(set.dependencies.size(), 1u);
  EXPECT_EQ(set.dependencies[0].name, "ok");
  EXPECT_FALSE(set.dependencies[0].version.has_value());  // not a string
  ASSERT_EQ(set.problems.size(), 2u);
  for (const InputProblem& p : set.problems) {
    EXPECT_EQ(p.rule, "lockfile-entry-invalid");
    EXPECT_EQ(p.file, "poetry.lock");
    EXPECT_EQ(p.line, 1);
  }
  DependencySet pip;
  ASSERT_TRUE(ReadLockfile("Pipfile.lock",
                           "{\"_meta\": 1, \"default\": {\"a\": 1, \"b\": "
                           "{\"version\": 3, \"hashes\": [1, \"sha256:ab\"]}}}",
                           &pip, &err))
      << err;
  ASSERT_EQ(pip.dependencies.size(), 1u);
  EXPECT_EQ(pip.dependencies[0].hashes, std::vector<std::string>{"sha256:ab"});
  EXPECT_EQ(pip.problems.size(), 1u);
}

TEST(LockfileErrors, NoHashesMeansUsesHashesFalse) {
  DependencySet set;
  std::string err;
  ASSERT_TRUE(ReadLockfile("pdm.lock", "[[package]]\nname='a'\nversion='1'\n",
                           &set, &err));
  ASSERT_EQ(set.dependencies.size(), 1u);
  EXPECT_FALSE(set.uses_hashes);
  // Empty documents are valid and empty.
  EXPECT_TRUE(ReadLockfile("uv.lock", "", &set, &err));
  EXPECT_TRUE(ReadLockfile("Pipfile.lock", "{}", &set, &err));
  EXPECT_EQ(set.dependencies.size(), 1u);
}

TEST(LockfileErrors, DeepNestingDoesNotCrash) {
  DependencySet set;
  std::string err;
  std::string deep_toml = "a = " + std::string(100000, '[') + "\n";
  EXPECT_FALSE(ReadLockfile("poetry.lock", deep_toml, &set, &err));
  std::string deep_json = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(ReadLockfile("Pipfile.lock", deep_json, &set, &err));
  std::string deep_inline = "package = [" + std::string(5000, '{');
  EXPECT_FALSE(ReadLockfile("uv.lock", deep_inline, &set, &err));
}

// Mutated real-format fixtures never crash, and what is read is well formed.
TEST(LockfileErrors, MutatedFixturesNeverCrash) {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"poetry-2.1/poetry.lock", "poetry.lock"},
      {"poetry-1.1/poetry.lock", "poetry.lock"},
      {"pipenv/Pipfile.lock", "Pipfile.lock"},
      {"uv/uv.lock", "uv.lock"},
      {"pdm/pdm.lock", "pdm.lock"},
      {"pylock/pylock.toml", "pylock.toml"}};
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const char kBytes[] = "[]{}=\"',\n#.\\ \x00\xff";
  int read_ok = 0;
  for (const auto& [rel, name] : fixtures) {
    std::string base = Fixture(rel);
    for (int round = 0; round < 300; ++round) {
      std::string text = base;
      int edits = 1 + static_cast<int>(next() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        size_t pos = next() % text.size();
        switch (next() % 3) {
          case 0:
            text[pos] = kBytes[next() % (sizeof kBytes - 1)];
            break;
          case 1:
            text.erase(pos, 1 + next() % 40);
            break;
          default:
            text.insert(pos, text.substr(next() % text.size(), next() % 60));
        }
      }
      DependencySet set;
      std::string err;
      if (ReadLockfile(name, text, &set, &err)) {
        ++read_ok;
        for (const DeclaredDependency& d : set.dependencies)
          EXPECT_FALSE(d.name.empty());
      } else {
        EXPECT_NE(err.find(name), std::string::npos) << err;
      }
    }
  }
  EXPECT_GT(read_ok, 0);
}

}  // namespace
}  // namespace pyward
