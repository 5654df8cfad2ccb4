// gzip compression for pyward's own data files (zlib).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pyward {

// Inflates gzip (or zlib) data into *out; fails on corrupt or truncated data
// or when the result would exceed max_bytes.
bool Gunzip(std::string_view compressed, uint64_t max_bytes, std::string* out,
            std::string* err);
// Compresses `data` as gzip into *out.
bool Gzip(std::string_view data, std::string* out, std::string* err);

}  // namespace pyward
