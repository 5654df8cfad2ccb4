#include "archive/zip_structure.h"

#include <gtest/gtest.h>

#include "support/test_archives.h"

namespace pyward {
namespace {

TEST(ZipStructure, ListsCentralDirectory) {
  std::string zip = testing::MakeRawZip({testing::File("a.py", "abc"), testing::File("b/c.py", "")});
  ZipStructure zs;
  std::string err;
  ASSERT_TRUE(ParseZipStructure(zip, 100, &zs, &err)) << err;
  ASSERT_EQ(zs.entries.size(), 2u);
  EXPECT_EQ(zs.entries[0].name, "a.py");
  EXPECT_EQ(zs.entries[0].uncompressed_size, 3u);
  EXPECT_EQ(zs.entries[1].local_offset, 30u + 4 + 3);
  EXPECT_TRUE(zs.hidden_local_names.empty());
}

TEST(ZipStructure, PrependedDataShiftsOffsets) {
  std::string zip = "#!/usr/bin/env python3\n" +
                    testing::MakeRawZip({testing::File("__main__.py", "print(1)")});
  ZipStructure zs;
  std::string err;
  ASSERT_TRUE(ParseZipStructure(zip, 100, &zs, &err)) << err;
  EXPECT_EQ(zs.prefix_bytes, 23u);
  EXPECT_TRUE(zs.hidden_local_names.empty());
}

TEST(ZipStructure, RejectsGarbageWithoutCrashing) {
  ZipStructure zs;
  std::string err;
  EXPECT_FALSE(ParseZipStructure("PK\x05\x06", 100, &zs, &err));
  std::string bad = testing::MakeRawZip({testing::File("a", "b")});
  bad[bad.size() - 6] = '\x7f';  // central directory offset far past the end
  EXPECT_FALSE(ParseZipStructure(bad, 100, &zs, &err));
  ZipStructure zs2;
  std::string many = testing::MakeRawZip({testing::File("a", ""), testing::File("b", "")});
  EXPECT_FALSE(ParseZipStructure(many, 1, &zs2, &err));
}

}  // namespace
}  // namespace pyward
