#include "audit/lockfiles.h"

#include <gtest/gtest.h>

namespace pyward {
namespace {

TEST(LockfileNames, KnownNames) {
  EXPECT_TRUE(IsLockfileName("poetry.lock"));
}

}  // namespace
}  // namespace pyward
