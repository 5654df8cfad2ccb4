#include "archive/archive_reader.h"

#include <gtest/gtest.h>

#include <locale.h>

#include <algorithm>

#include "support/test_archives.h"

namespace pyward {
namespace {

using testing::Compression;
using testing::Entry;
using testing::File;

bool HasRule(const Archive& a, const std::string& rule, const std::string& file = "") {
  return std::any_of(a.anomalies.begin(), a.anomalies.end(), [&](const Finding& f) {
    return f.rule == rule && (file.empty() || f.file == file);
  });
}

Archive MustRead(const std::string& data, ArchiveOptions opts = {}) {
  Archive a;
  std::string err;
  EXPECT_TRUE(ReadArchive(data, opts, &a, &err)) << err;
  return a;
}

std::string MustFail(const std::string& data, ArchiveOptions opts = {}) {
  Archive a;
  std::string err;
  EXPECT_FALSE(ReadArchive(data, opts, &a, &err));
  EXPECT_FALSE(err.empty());
  return err;
}

TEST(ArchiveReader, ReadsEveryCompressionOfTar) {
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kBzip2,
                        Compression::kXz}) {
    Archive a = MustRead(testing::MakeTar(
        {Entry{"pkg-1.0", "", Entry::kDir, ""}, File("pkg-1.0/setup.py", "print(1)\n"),
         File("./pkg-1.0/PKG-INFO", "Name: pkg\n")},
        c));
    ASSERT_EQ(a.members.size(), 2u) << "directories are not members";
    EXPECT_EQ(a.members[0].path, "pkg-1.0/setup.py");
    EXPECT_EQ(a.members[0].data, "print(1)\n");
    EXPECT_EQ(a.members[1].path, "pkg-1.0/PKG-INFO") << "leading ./ is removed";
    EXPECT_TRUE(a.anomalies.empty());
  }
}

TEST(ArchiveReader, FormatComesFromContentNotName) {
  std::string wheel = testing::MakeZip({File("pkg/__init__.py", "x = 1\n")});
  Archive a = MustRead(wheel);
  EXPECT_EQ(a.format, ContainerFormat::kZip);
  ASSERT_EQ(a.members.size(), 1u);
  EXPECT_EQ(a.members[0].data, "x = 1\n");
}

TEST(ArchiveReader, PathsAreWhatExtractionWrites) {
  // "a/./b" and "a//b" are written to a/b: setup.py spelled so is setup.py.
  Archive a = MustRead(testing::MakeTar({File("pkg-1.0/./setup.py", "print(1)\n"),
                                         File("pkg-1.0//pkg/./__init__.py", ""),
                                         File("pkg-1.0/pkg/../../../x.py", "")}));
  ASSERT_EQ(a.members.size(), 3u);
  EXPECT_EQ(a.members[0].path, "pkg-1.0/setup.py");
  EXPECT_EQ(a.members[1].path, "pkg-1.0/pkg/__init__.py");
  EXPECT_TRUE(HasRule(a, "archive-path-traversal", "pkg-1.0/pkg/../../../x.py"))
      << ".. segments stay for the traversal check";
  Archive twice = MustRead(testing::MakeTar({File("p/setup.py", "a"), File("p/./setup.py", "b")}));
  EXPECT_TRUE(HasRule(twice, "archive-duplicate-member", "p/setup.py"));
}

TEST(ArchiveReader, NamesOutsideAsciiAreKept) {
  // Python imports modules named in any script (PEP 3131): their names
  // must reach the checks whatever the process locale (tests run in "C").
  const std::string name = "pkg/m\xc3\xb3" "dulo_\xd0\xb6.py";
  Archive z = MustRead(testing::MakeRawZip({File(name, "x = 1\n")}, {}, /*utf8_names=*/true));
  ASSERT_EQ(z.members.size(), 1u);
  EXPECT_EQ(z.members[0].path, name);
  EXPECT_EQ(z.members[0].data, "x = 1\n");
  Archive t = MustRead(testing::MakeTar({File(name, "y = 2\n")}));
  ASSERT_EQ(t.members.size(), 1u);
  EXPECT_EQ(t.members[0].path, name);
  // The thread's locale is given back.
  EXPECT_EQ(uselocale(static_cast<locale_t>(0)), LC_GLOBAL_LOCALE);
}

// A zip name flagged UTF-8 that is not: libarchive gives it no name. pip
// refuses such a wheel, other unzip tools extract the member: it is kept
// under its stored name (invalid bytes as \xNN) so its code is read.
TEST(ArchiveReader, ZipNameFlaggedUtf8ButInvalidIsKept) {
  Archive z = MustRead(testing::MakeRawZip({File("pkg/a.py", "a = 1\n"),
                                            File("pkg/\xff\xfe.py", "b = 22\n"),
                                            File("pkg/\xc3\xbc.py", "c = 3\n"),
                                            File("pkg/\xc0\xafx.py", "d = 4444\n")},
                                           {}, /*utf8_names=*/true));
  ASSERT_EQ(z.members.size(), 4u);
  EXPECT_EQ(z.members[0].path, "pkg/a.py");
  EXPECT_EQ(z.members[1].path, "pkg/\\xff\\xfe.py");
  EXPECT_EQ(z.members[1].data, "b = 22\n");
  EXPECT_EQ(z.members[2].path, "pkg/\xc3\xbc.py");
  EXPECT_EQ(z.members[3].path, "pkg/\\xc0\\xafx.py");
  EXPECT_EQ(z.members[3].data, "d = 4444\n");
  ASSERT_EQ(std::count_if(z.anomalies.begin(), z.anomalies.end(),
                          [](const Finding& f) { return f.rule == "archive-invalid-name"; }),
            2);
  EXPECT_TRUE(HasRule(z, "archive-invalid-name", "pkg/\\xff\\xfe.py"));
  EXPECT_TRUE(HasRule(z, "archive-invalid-name", "pkg/\\xc0\\xafx.py"));
  for (const Finding& f : z.anomalies)
    if (f.rule == "archive-invalid-name") {
      EXPECT_EQ(f.severity, Severity::kMedium);
    }
  // Without the flag a zip name is CP437: any bytes are a name.
  Archive plain = MustRead(testing::MakeRawZip({File("pkg/\xff.py", "x = 1\n")}));
  ASSERT_EQ(plain.members.size(), 1u);
  EXPECT_EQ(plain.members[0].path, "pkg/\xff.py");
  EXPECT_FALSE(HasRule(plain, "archive-invalid-name"));
}

// A tar name is bytes (a pax path record should be UTF-8): pip extracts one
// that is not valid UTF-8 under those bytes; it is kept as is, and flagged.
TEST(ArchiveReader, TarNamesNotUtf8AreKeptAndFlagged) {
  for (bool pax : {false, true}) {
    Archive t = MustRead(testing::MakeRawTar({File("p/\xff\xfe.py", "b = 2\n"),
                                              File("p/\xc3\xbc.py", "c = 3\n")},
                                             pax));
    ASSERT_EQ(t.members.size(), 2u) << pax;
    EXPECT_EQ(t.members[0].path, "p/\xff\xfe.py") << pax;
    EXPECT_EQ(t.members[0].data, "b = 2\n");
    EXPECT_EQ(t.members[1].path, "p/\xc3\xbc.py");
    EXPECT_TRUE(HasRule(t, "archive-invalid-name", "p/\xff\xfe.py")) << pax;
    EXPECT_FALSE(HasRule(t, "archive-invalid-name", "p/\xc3\xbc.py")) << pax;
  }
}

TEST(ArchiveReader, PathTraversalAndAbsolutePaths) {
  Archive a = MustRead(testing::MakeTar(
      {File("../evil.py", "x"), File("/etc/cron.d/job", "x"), File("pkg/ok/../fine.py", "x")}));
  EXPECT_TRUE(HasRule(a, "archive-path-traversal", "../evil.py"));
  EXPECT_TRUE(HasRule(a, "archive-absolute-path"));
  EXPECT_FALSE(HasRule(a, "archive-path-traversal", "pkg/ok/../fine.py"));
}

TEST(ArchiveReader, LinksOutsideTheRoot) {
  Archive a = MustRead(testing::MakeTar({
      File("pkg/a.py", "x"),
      Entry{"pkg/inside", "", Entry::kSymlink, "a.py"},
      Entry{"pkg/outside", "", Entry::kSymlink, "../../home/user/.ssh/id_rsa"},
      Entry{"pkg/abs", "", Entry::kSymlink, "/etc/passwd"},
      Entry{"pkg/hard", "", Entry::kHardlink, "../../etc/shadow"},
  }));
  EXPECT_FALSE(HasRule(a, "archive-link-outside", "pkg/inside"));
  EXPECT_TRUE(HasRule(a, "archive-link-outside", "pkg/outside"));
  EXPECT_TRUE(HasRule(a, "archive-link-outside", "pkg/abs"));
  EXPECT_TRUE(HasRule(a, "archive-link-outside", "pkg/hard"));
}

TEST(ArchiveReader, DeviceFilesAndFifos) {
  Archive a = MustRead(testing::MakeTar({Entry{"pkg/dev", "", Entry::kCharDevice, ""},
                                         Entry{"pkg/fifo", "", Entry::kFifo, ""}}));
  EXPECT_TRUE(HasRule(a, "archive-special-file", "pkg/dev"));
  EXPECT_TRUE(HasRule(a, "archive-special-file", "pkg/fifo"));
}

TEST(ArchiveReader, DuplicateNames) {
  Archive a = MustRead(testing::MakeRawZip({File("pkg/x.py", "a"), File("pkg/x.py", "b")}));
  EXPECT_TRUE(HasRule(a, "archive-duplicate-member", "pkg/x.py"));
  EXPECT_EQ(a.members.size(), 2u) << "both copies are kept for scanning";
}

TEST(ArchiveReader, LocalHeadersMissingFromCentralDirectory) {
  std::string zip = testing::MakeRawZip({File("pkg/__init__.py", "")},
                                        {File("pkg/hidden.py", "import os\n")});
  Archive a = MustRead(zip);
  EXPECT_TRUE(HasRule(a, "archive-hidden-zip-entry"));
  ASSERT_EQ(a.members.size(), 1u) << "read through the central directory, as pip";
  EXPECT_EQ(a.members[0].path, "pkg/__init__.py");
  Archive clean = MustRead(testing::MakeRawZip({File("a.py", "PK\x03\x04 inside data")}));
  EXPECT_FALSE(HasRule(clean, "archive-hidden-zip-entry"))
      << "signatures inside listed member data are not hidden entries";
}

TEST(ArchiveReader, TruncatedArchivesAreErrors) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i * 7919) + "\n";
  std::string tgz = testing::MakeTar({File("pkg/a.py", big)});
  std::string err = MustFail(tgz.substr(0, tgz.size() / 2));
  EXPECT_NE(err.find("a.py"), std::string::npos) << err;
  std::string zip = testing::MakeZip({File("pkg/a.py", big)});
  MustFail(zip.substr(0, zip.size() - 30));
  MustFail(zip.substr(0, 10));
}

TEST(ArchiveReader, NotAnArchive) {
  std::string err = MustFail("just some text, long enough to not be anything");
  EXPECT_NE(err.find("not an archive"), std::string::npos);
}

TEST(ArchiveReader, DecompressionBombStopsAtTheRatioLimit) {
  ArchiveOptions opts;
  opts.limits.ratio_floor_bytes = 1 << 20;
  std::string zeros(8 << 20, '\0');
  std::string err = MustFail(testing::MakeZip({File("bomb.bin", zeros)}), opts);
  EXPECT_NE(err.find("ratio"), std::string::npos) << err;
}

TEST(ArchiveReader, SizeAndCountLimits) {
  ArchiveOptions opts;
  opts.limits.max_total_bytes = 1000;
  std::string err = MustFail(testing::MakeTar({File("a", std::string(600, 'x')),
                                               File("b", std::string(600, 'y'))}),
                             opts);
  EXPECT_NE(err.find("--max-bytes"), std::string::npos) << err;
  ArchiveOptions few;
  few.limits.max_members = 2;
  err = MustFail(testing::MakeTar({File("a", "1"), File("b", "2"), File("c", "3")}), few);
  EXPECT_NE(err.find("--max-members"), std::string::npos) << err;
}

TEST(ArchiveReader, NestedArchivesAreOpenedToTheDepthLimit) {
  std::string inner = testing::MakeZip({File("evil/__init__.py", "import os\n")});
  std::string middle = testing::MakeTar({File("inner.whl", inner)});
  std::string outer = testing::MakeTar({File("pkg/setup.py", ""), File("pkg/vendor.tar.gz", middle)});
  Archive a = MustRead(outer);
  auto it = std::find_if(a.members.begin(), a.members.end(), [](const ArchiveMember& m) {
    return m.path == "evil/__init__.py";
  });
  ASSERT_NE(it, a.members.end());
  EXPECT_EQ(it->container, "pkg/vendor.tar.gz!/inner.whl!/");
  EXPECT_EQ(it->FullPath(), "pkg/vendor.tar.gz!/inner.whl!/evil/__init__.py");

  ArchiveOptions shallow;
  shallow.limits.max_depth = 1;
  Archive b = MustRead(outer, shallow);
  EXPECT_TRUE(HasRule(b, "archive-nesting-too-deep", "pkg/vendor.tar.gz!/inner.whl"));
}

TEST(ArchiveReader, UnreadableNestedArchiveIsAFindingNotAnError) {
  std::string outer = testing::MakeTar({File("pkg/data.gz", "\x1f\x8b garbage")});
  Archive a = MustRead(outer);
  EXPECT_TRUE(HasRule(a, "archive-nested-unreadable", "pkg/data.gz"));
  ASSERT_EQ(a.members.size(), 1u);
}

TEST(ArchiveReader, EncryptedCollectionNeedsThePassword) {
  std::string zip = testing::MakeZip({File("a/x-1.0.tar.gz", "AAA"), File("b/y.whl", "BBB")},
                                     "infected");
  ArchiveOptions opts;
  opts.passphrase = "infected";
  std::vector<std::string> seen;
  uint64_t skipped = 0;
  std::string err;
  ASSERT_TRUE(ForEachArchiveFile(zip, opts, [&](ArchiveMember& m) {
    seen.push_back(m.path + "=" + m.data);
    return true;
  }, &skipped, &err)) << err;
  EXPECT_EQ(seen, (std::vector<std::string>{"a/x-1.0.tar.gz=AAA", "b/y.whl=BBB"}));

  ArchiveOptions wrong;
  wrong.passphrase = "nope";
  EXPECT_FALSE(ForEachArchiveFile(zip, wrong, [](ArchiveMember&) { return true; },
                                  &skipped, &err));
  EXPECT_FALSE(err.empty());
}

}  // namespace
}  // namespace pyward
