// Downloading one file over HTTP(S) into memory (libcurl), for
// `pyward db update`.
#pragma once

#include <cstdint>
#include <string>

namespace pyward {

// Fetches `url` into *out, following redirects. Fails (false, *err) on a
// transport error, an HTTP status other than 2xx, more than `max_bytes`, or
// no progress for `timeout_seconds`.
bool HttpFetch(const std::string& url, uint64_t max_bytes, int timeout_seconds,
               std::string* out, std::string* err);

}  // namespace pyward
