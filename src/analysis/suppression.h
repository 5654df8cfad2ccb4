// Suppressions: the [[allow]] entries of a policy file (pyward scan
// --policy FILE; format in audit/policy.h) applied to a scan result before
// its verdict is computed.
#pragma once

#include <string_view>

#include "audit/policy.h"
#include "report/finding.h"

namespace pyward {

// Removes from r->findings those the policy allows for r's package name
// (normalised), version and sha256 on date `today` ("YYYY-MM-DD"). A finding
// that only an expired entry would allow is kept, and one info finding
// "policy-expired" per such entry says so (naming the entry's line and
// reason). The verdict is not recomputed here.
void ApplyPolicy(const Policy& policy, std::string_view today, ScanResult* r);

}  // namespace pyward
