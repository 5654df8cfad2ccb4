#include "audit/http_fetch.h"

#include <curl/curl.h>

#include <mutex>

namespace pyward {

namespace {

struct Sink {
  std::string* out;
  uint64_t max_bytes;
  bool too_big = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (sink->out->size() + bytes > sink->max_bytes) {
    sink->too_big = true;
    return 0;
  }
  sink->out->append(data, bytes);
  return bytes;
}

}  // namespace

bool HttpFetch(const std::string& url, uint64_t max_bytes, int timeout_seconds,
               std::string* out, std::string* err) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) {
    *err = "cannot start the HTTP client";
    return false;
  }
  out->clear();
  Sink sink{out, max_bytes};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "pyward/" PYWARD_VERSION);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (sink.too_big) {
    *err = url + ": larger than " + std::to_string(max_bytes >> 20) + " MiB";
    return false;
  }
  if (rc != CURLE_OK) {
    *err = url + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(rc));
    return false;
  }
  if (status < 200 || status >= 300) {
    *err = url + ": HTTP status " + std::to_string(status);
    return false;
  }
  return true;
}

}  // namespace pyward
