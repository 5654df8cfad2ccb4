#include "util/byte_reader.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(ByteReader, ReadsLittleAndBigEndian) {
  ByteReader r(std::string_view("\x01\x02\x03\x04\x05\x06", 6));
  EXPECT_EQ(r.U16LE(), 0x0201);
  EXPECT_EQ(r.U16BE(), 0x0304);
  EXPECT_EQ(r.remaining(), 2u);
}

TEST(ByteReader, ThrowsPastTheEnd) {
  ByteReader r("abc");
  EXPECT_THROW(r.U32LE(), InputError);
  EXPECT_THROW(r.Seek(4), InputError);
  EXPECT_THROW(r.BytesAt(2, 2), InputError);
  EXPECT_THROW(r.BytesAt(SIZE_MAX, 2), InputError);
  EXPECT_EQ(r.BytesAt(1, 2), "bc");
}

}  // namespace
}  // namespace pyward
