#include "audit/environment.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(EnvironmentCsv, Simple) {
  EXPECT_EQ(ParseCsv("a,b\n").size(), 1u);
}

}  // namespace
}  // namespace pyward
