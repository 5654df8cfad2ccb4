#include "analysis/unpack/marshal.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "analysis/unpack/decoders.h"
#include "analysis/unpack/test_util.h"
#include "analysis/unpack/test_vectors.h"

namespace pyward {
namespace {

namespace tv = testvec;

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Code objects marshalled by CPython 2.7, 3.7, 3.9, 3.11, 3.12, 3.13 (the
// four code layouts) from the same source.
TEST(UnpackReadMarshal, EveryCodeLayout) {
  const std::pair<const char*, std::string_view> streams[] = {
      {"2.7", tv::kMarshal27},   {"3.7", tv::kMarshal37},
      {"3.9", tv::kMarshal39},   {"3.11", tv::kMarshal311},
      {"3.12", tv::kMarshal312}, {"3.13", tv::kMarshal313}};
  for (const auto& [version, data] : streams) {
    SCOPED_TRACE(version);
    MarshalInfo info;
    std::string err;
    ASSERT_TRUE(ReadMarshal(data, &info, &err)) << err;
    EXPECT_TRUE(info.is_code);
    for (const char* s : {"hello from marshal", "bytes-constant",
                          "nested string constant", "a", "b",
                          "aW1wb3J0IG9zCnByaW50KCdoaScpCg=="})
      EXPECT_TRUE(Has(info.strings, s)) << s;
    for (const char* n : {"os", "greeting", "helper", "alpha", "beta",
                          "inner", "path", "join"})
      EXPECT_TRUE(Has(info.names, n)) << n;
    if (std::string_view(version) != "2.7") {  // print is a statement there
      EXPECT_TRUE(Has(info.names, "print"));
    }
    EXPECT_FALSE(Has(info.strings, "<payload>"));  // file name: not a constant
    // Each kept once.
    std::vector<std::string> s = info.strings;
    std::sort(s.begin(), s.end());
    EXPECT_EQ(std::adjacent_find(s.begin(), s.end()), s.end());
  }
}

TEST(UnpackReadMarshal, EveryPrefixFails) {
  for (std::string_view data : {tv::kMarshal27, tv::kMarshal311}) {
    for (size_t n = 0; n < data.size(); ++n) {
      MarshalInfo info;
      std::string err;
      EXPECT_FALSE(ReadMarshal(data.substr(0, n), &info, &err)) << n;
      EXPECT_FALSE(err.empty());
    }
  }
}

TEST(UnpackReadMarshal, PlainObjectsAndRefs) {
  // (FLAG_REF 'z' "abc", 'r' 0, 'i' 7, None, 1.5 binary float): a tuple.
  std::string s = std::string(")\x05", 2) + "\xfa\x03" "abc" +
                  std::string("r\x00\x00\x00\x00", 5) +
                  std::string("i\x07\x00\x00\x00", 5) + "N" + "g" +
                  std::string(8, '\0');
  MarshalInfo info;
  std::string err;
  ASSERT_TRUE(ReadMarshal(s, &info, &err)) << err;
  EXPECT_FALSE(info.is_code);
  EXPECT_EQ(info.strings, std::vector<std::string>{"abc"});
  // A dict {'k': b'v'} and a long.
  std::string d = "{" + std::string("z\x01k", 3) + std::string("s\x01\x00\x00\x00v", 6) +
                  "0";
  ASSERT_TRUE(ReadMarshal(d, &info, &err)) << err;
  EXPECT_EQ(info.strings, (std::vector<std::string>{"k", "v"}));
  std::string l = std::string("l\xfe\xff\xff\xff\x01\x00\x02\x00", 9);
  EXPECT_TRUE(ReadMarshal(l, &info, &err)) << err;
}

TEST(UnpackReadMarshal, MalformedFails) {
  MarshalInfo info;
  std::string err;
  const std::string bad[] = {
      "",
      "?",
      std::string("r\x00\x00\x00\x00", 5),          // ref to nothing
      std::string("R\x00\x00\x00\x00", 5),          // stringref to nothing
      std::string("(\xff\xff\xff\xff", 5),          // huge tuple
      std::string("s\xff\xff\xff\x7f", 5),          // huge string
      std::string("s\xff\xff\xff\xff", 5),          // negative size
      std::string("l\x00\x00\x00\x80", 5),          // INT_MIN digits
      std::string("{z\x01k", 4),                     // unterminated dict
      std::string(")\x01" "0", 3),                   // NULL as an element
      "\xe3" + std::string(40, '\0'),                // code of zeros
  };
  for (const std::string& b : bad) {
    EXPECT_FALSE(ReadMarshal(b, &info, &err)) << testutil::Hex(b);
  }
  // Nesting deeper than the bound.
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += std::string(")\x01", 2);
  deep += "N";
  EXPECT_FALSE(ReadMarshal(deep, &info, &err));
  EXPECT_NE(err.find("deep"), std::string::npos) << err;
  // Noise never crashes.
  for (uint32_t seed = 0; seed < 200; ++seed) {
    std::string noise = testutil::Random(64 + seed, seed);
    noise[0] = seed % 2 ? '\xe3' : ')';
    ReadMarshal(noise, &info, &err);
  }
}

TEST(UnpackPycHeaderSize, FindsTheStream) {
  std::string pyc = std::string("\xa7\x0d\x0d\x0a", 4) + std::string(12, '\0') +
                    std::string(tv::kMarshal311);
  EXPECT_EQ(PycHeaderSize(pyc), 16u);
  EXPECT_EQ(PycHeaderSize(tv::kMarshal311), 0u);
  std::string py2 = std::string("\x03\xf3\x0d\x0a", 4) + std::string(4, '\1') +
                    std::string(tv::kMarshal27);
  EXPECT_EQ(PycHeaderSize(py2), 8u);
  std::string out, err;
  ASSERT_TRUE(Decode(Encoding::kMarshal, pyc, DecodeLimits(), &out, &err)) << err;
  EXPECT_NE(out.find("nested string constant"), std::string::npos);
}

}  // namespace
}  // namespace pyward
