#include "audit/osv.h"

#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <map>
#include <set>

#include "audit/advisory_db.h"

namespace pyward {
namespace {

OsvAffected Ranges(std::vector<OsvEvent> events, std::string type = "ECOSYSTEM") {
  OsvAffected a;
  a.package = "pkg";
  a.ranges.push_back({type, std::move(events)});
  return a;
}

AffectState At(const OsvAffected& a, const char* v) {
  return Affects(a, Version::Parse(v));
}

TEST(OsvMatch, IntroducedFixed) {
  OsvAffected a = Ranges({{OsvEvent::kIntroduced, "1.0"},
                          {OsvEvent::kFixed, "1.5"},
                          {OsvEvent::kIntroduced, "2.0"},
                          {OsvEvent::kFixed, "2.0.3"}});
  EXPECT_EQ(At(a, "0.9"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "1.0"), AffectState::kAffected);
  EXPECT_EQ(At(a, "1.4.9"), AffectState::kAffected);
  EXPECT_EQ(At(a, "1.5"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "1.5.0"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "1.9"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "2.0.2"), AffectState::kAffected);
  EXPECT_EQ(At(a, "2.0.3rc1"), AffectState::kAffected);  // before the fix
  EXPECT_EQ(At(a, "2.0.3"), AffectState::kNotAffected);
  // Version strings compare as versions, not text.
  EXPECT_EQ(At(a, "1.10"), AffectState::kNotAffected);
}

TEST(OsvMatch, EventsOutOfOrderAreSorted) {
  OsvAffected a = Ranges({{OsvEvent::kFixed, "3.0"},
                          {OsvEvent::kIntroduced, "0"}});
  EXPECT_EQ(At(a, "0.0.1"), AffectState::kAffected);
  EXPECT_EQ(At(a, "2.99"), AffectState::kAffected);
  EXPECT_EQ(At(a, "3.0"), AffectState::kNotAffected);
}

TEST(OsvMatch, LastAffectedAndLimit) {
  OsvAffected a = Ranges({{OsvEvent::kIntroduced, "1.0"},
                          {OsvEvent::kLastAffected, "1.2"}});
  EXPECT_EQ(At(a, "1.2"), AffectState::kAffected);
  EXPECT_EQ(At(a, "1.2.post1"), AffectState::kNotAffected);
  OsvAffected b = Ranges({{OsvEvent::kIntroduced, "0"},
                          {OsvEvent::kLimit, "2.0"}});
  EXPECT_EQ(At(b, "1.9"), AffectState::kAffected);
  EXPECT_EQ(At(b, "2.0"), AffectState::kNotAffected);
  OsvAffected c = Ranges({{OsvEvent::kIntroduced, "0"}});
  EXPECT_EQ(At(c, "99.0"), AffectState::kAffected);
  EXPECT_EQ(At(c, "2.0.0-SNAPSHOT"), AffectState::kAffected);
}

TEST(OsvMatch, VersionsListUnionAndPep440Equality) {
  OsvAffected a = Ranges({{OsvEvent::kIntroduced, "5.0"}});
  a.versions = {"1.0", "2.0.0-weird"};
  EXPECT_EQ(At(a, "1.0.0"), AffectState::kAffected);
  EXPECT_EQ(At(a, "2.0.0-weird"), AffectState::kAffected);
  EXPECT_EQ(At(a, "1.1"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "5.1"), AffectState::kAffected);
  PrepareAffected(&a);
  EXPECT_EQ(At(a, "1.0.0"), AffectState::kAffected);
}

TEST(OsvMatch, GitOnlyIsUnknown) {
  OsvAffected a = Ranges({{OsvEvent::kIntroduced, "0"},
                          {OsvEvent::kFixed, "537bc7c723439b9194a358f64d871dd326c18887"}},
                         "GIT");
  EXPECT_EQ(At(a, "1.0"), AffectState::kUnknown);
  a.versions = {"0.9"};
  EXPECT_EQ(At(a, "1.0"), AffectState::kNotAffected);
  EXPECT_EQ(At(a, "0.9"), AffectState::kAffected);
}

TEST(OsvParse, EntryWithAliasesSeverityAndNonPypi) {
  const char* json = R"({
    "id": "PYSEC-2099-1", "modified": "2099-01-01T00:00:00Z",
    "aliases": ["CVE-2099-1", "GHSA-xxxx-yyyy-zzzz"],
    "details": "first line\nmore",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
      {"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}],
       "versions": ["1.0", "1.1"]},
      {"package": {"ecosystem": "npm", "name": "foo"}}]})";
  OsvAdvisory a;
  std::string err;
  ASSERT_TRUE(ParseOsvJson(json, &a, &err)) << err;
  EXPECT_EQ(a.id, "PYSEC-2099-1");
  EXPECT_EQ(a.aliases.size(), 2u);
  EXPECT_EQ(a.summary, "first line");
  ASSERT_EQ(a.affected.size(), 1u);
  EXPECT_EQ(a.affected[0].package, "foo-bar");
  EXPECT_EQ(a.affected[0].versions.size(), 2u);
  EXPECT_FALSE(a.malicious());
  EXPECT_EQ(SeverityOfVectors(a.vectors), "critical");
}

TEST(OsvParse, RejectsGarbage) {
  OsvAdvisory a;
  std::string err;
  EXPECT_FALSE(ParseOsvJson("", &a, &err));
  EXPECT_FALSE(ParseOsvJson("[1,2]", &a, &err));
  EXPECT_FALSE(ParseOsvJson("{\"id\": 5}", &a, &err));
  EXPECT_FALSE(ParseOsvJson("{\"id\": \"X\", ", &a, &err));
}

TEST(OsvCvss, BaseScores) {
  EXPECT_DOUBLE_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_DOUBLE_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_DOUBLE_EQ(CvssV3BaseScore("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"), 5.5);
  EXPECT_DOUBLE_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0);
  EXPECT_LT(CvssV3BaseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 0);
  EXPECT_LT(CvssV3BaseScore("CVSS:3.1/AV:N"), 0);
  EXPECT_EQ(SeverityForScore(7.5), "high");
  EXPECT_EQ(SeverityForScore(-1), "unknown");
}

TEST(OsvDb, ImportMergesAliasesSkipsWithdrawnAndLooksUp) {
  // Three entries in a zip held in memory: two linked by an alias, one
  // withdrawn.
  std::map<std::string, std::string> members = {
      {"PYSEC-1.json", R"({"id":"PYSEC-1","aliases":["CVE-1"],"modified":"2020-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"PyPI","name":"Demo.Pkg"},
        "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]})"},
      {"GHSA-1.json", R"({"id":"GHSA-1","aliases":["CVE-1"],"modified":"2021-01-01T00:00:00Z",
        "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},"versions":["1.0"]}]})"},
      {"PYSEC-2.json", R"({"id":"PYSEC-2","withdrawn":"2021-01-01T00:00:00Z","modified":"2021-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},"versions":["1.0"]}]})"},
      {"bad.json", "{not json"}};
  std::string zip;
  {
    struct archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    std::vector<char> buf(1 << 20);
    size_t used = 0;
    archive_write_open_memory(a, buf.data(), buf.size(), &used);
    for (const auto& [name, body] : members) {
      struct archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, name.c_str());
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, body.size());
      archive_write_header(a, e);
      archive_write_data(a, body.data(), body.size());
      archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    zip.assign(buf.data(), used);
  }
  std::string err;
  auto db = AdvisoryDb::Open(":memory:", true, &err);
  ASSERT_TRUE(db) << err;
  EXPECT_EQ(db->AgeSeconds(), -1);
  ImportStats stats;
  ASSERT_TRUE(db->ImportZipBytes(zip, "test.zip", &stats, &err)) << err;
  EXPECT_GE(db->AgeSeconds(), 0);
  EXPECT_LT(db->AgeSeconds(), 3600);
  EXPECT_EQ(stats.imported, 2);
  EXPECT_EQ(stats.withdrawn, 1);
  EXPECT_EQ(stats.invalid, 1);
  std::vector<StoredAdvisory> found;
  ASSERT_TRUE(db->Lookup("demo-pkg", &found, &err)) << err;
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].group_id, found[1].group_id);
  EXPECT_EQ(found[0].id, "GHSA-1");
  EXPECT_EQ(found[0].severity, "high");
  EXPECT_EQ(Affects(found[0].affected[0], Version::Parse("1.0.0")),
            AffectState::kAffected);
  EXPECT_EQ(Affects(found[0].affected[0], Version::Parse("1.0.1")),
            AffectState::kNotAffected);
  EXPECT_EQ(ListedVersions(found[0].affected[0]), std::vector<std::string>{"1.0"});
  EXPECT_EQ(Affects(found[1].affected[0], Version::Parse("1.9")),
            AffectState::kAffected);
  EXPECT_EQ(Affects(found[1].affected[0], Version::Parse("2.0")),
            AffectState::kNotAffected);
  DbInfo info;
  ASSERT_TRUE(db->Info(&info, &err));
  EXPECT_EQ(info.advisories, 2);
  EXPECT_EQ(info.groups, 1);
  EXPECT_EQ(info.packages, 1);
  EXPECT_EQ(info.newest_modified, "2021-01-01T00:00:00Z");
}

TEST(OsvDb, ResolvesPathFromFlagEnvAndXdg) {
  EXPECT_EQ(ResolveDbPath("/x/y.sqlite"), "/x/y.sqlite");
  setenv("PYWARD_DB", "/env/db.sqlite", 1);
  EXPECT_EQ(ResolveDbPath(""), "/env/db.sqlite");
  unsetenv("PYWARD_DB");
  setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(ResolveDbPath(""), "/xdg/pyward/advisories.sqlite");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(ResolveDbPath(""), "/home/u/.cache/pyward/advisories.sqlite");
}

// (b) of the issue: on the real snapshot, every listed version of every
// non-withdrawn advisory is affected and every fixed version is not.
TEST(OsvSnapshot, ListedVersionsAffectedFixedVersionsNot) {
  std::string shared = PYWARD_SHARED_DIR;
  std::string zips[] = {shared + "/osv/pypi-advisories.zip",
                        shared + "/osv/pypi-malicious.zip"};
  for (const std::string& z : zips)
    if (!std::filesystem::exists(z)) GTEST_SKIP() << z << " absent";
  std::string err;
  auto db = AdvisoryDb::Open(":memory:", true, &err);
  ASSERT_TRUE(db) << err;
  ImportStats stats;
  ASSERT_TRUE(db->Import({zips[0], zips[1]}, &stats, &err)) << err;
  EXPECT_GT(stats.imported, 15000);
  EXPECT_GT(stats.withdrawn, 200);
  EXPECT_EQ(stats.invalid, 0);
  // Walk every stored (advisory, package) through Lookup.
  std::set<std::string> packages;
  {
    // Package names come from the parsed zips themselves.
    for (const std::string& z : zips) {
      struct archive* ar = archive_read_new();
      archive_read_support_format_zip(ar);
      ASSERT_EQ(archive_read_open_filename(ar, z.c_str(), 1 << 16), ARCHIVE_OK);
      struct archive_entry* e;
      std::string data;
      char buf[1 << 16];
      while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
        data.clear();
        la_ssize_t n;
        while ((n = archive_read_data(ar, buf, sizeof buf)) > 0) data.append(buf, n);
        OsvAdvisory a;
        if (!ParseOsvJson(data, &a, &err) || a.withdrawn) continue;
        for (const auto& af : a.affected) packages.insert(af.package);
      }
      archive_read_free(ar);
    }
  }
  size_t listed = 0, fixed = 0, conflicts = 0, failures = 0;
  std::vector<StoredAdvisory> found;
  for (const std::string& pkg : packages) {
    ASSERT_TRUE(db->Lookup(pkg, &found, &err)) << err;
    for (const StoredAdvisory& adv : found) {
      std::set<std::string> listed_keys;
      for (const OsvAffected& af : adv.affected)
        for (const std::string& v : ListedVersions(af))
          listed_keys.insert(EqualityKey(Version::Parse(v)));
      auto affected_any = [&](const Version& v) {
        for (const OsvAffected& af : adv.affected)
          if (Affects(af, v) == AffectState::kAffected) return true;
        return false;
      };
      for (const OsvAffected& af : adv.affected) {
        for (const std::string& v : ListedVersions(af)) {
          ++listed;
          if (!affected_any(Version::Parse(v)) && ++failures <= 20)
            ADD_FAILURE() << adv.id << " " << pkg << " " << v << " not affected";
        }
        for (const OsvRange& r : af.ranges) {
          if (r.type != "ECOSYSTEM") continue;
          for (const OsvEvent& e : r.events) {
            if (e.kind != OsvEvent::kFixed) continue;
            Version v = Version::Parse(e.version);
            if (listed_keys.count(EqualityKey(v))) {
              ++conflicts;  // the entry itself lists its fix as affected
              continue;
            }
            ++fixed;
            if (affected_any(v) && ++failures <= 20)
              ADD_FAILURE() << adv.id << " " << pkg << " fixed " << e.version
                            << " reported affected";
          }
        }
      }
    }
  }
  std::printf("snapshot: %d advisories, %zu packages, %zu listed versions, "
              "%zu fixed versions checked, %zu self-contradicting entries\n",
              stats.imported, packages.size(), listed, fixed, conflicts);
  EXPECT_GT(listed, 100000u);
  EXPECT_GT(fixed, 5000u);
  EXPECT_LT(conflicts, 10u);
  EXPECT_EQ(failures, 0u);
}

}  // namespace
}  // namespace pyward
