#include "util/gzip.h"

#include <zlib.h>

namespace pyward {

bool Gunzip(std::string_view compressed, uint64_t max_bytes, std::string* out,
            std::string* err) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {  // gzip or zlib header
    *err = "zlib initialisation failed";
    return false;
  }
  out->clear();
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      *err = "corrupt compressed data";
      return false;
    }
    size_t got = sizeof buf - zs.avail_out;
    if (out->size() + got > max_bytes) {
      inflateEnd(&zs);
      *err = "decompressed data too large";
      return false;
    }
    out->append(buf, got);
    if (rc == Z_OK && got == 0 && zs.avail_in == 0) {
      inflateEnd(&zs);
      *err = "truncated compressed data";
      return false;
    }
  }
  inflateEnd(&zs);
  return true;
}

bool Gzip(std::string_view data, std::string* out, std::string* err) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    *err = "zlib initialisation failed";
    return false;
  }
  out->resize(deflateBound(&zs, data.size()));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out->data());
  zs.avail_out = static_cast<uInt>(out->size());
  int rc = deflate(&zs, Z_FINISH);
  out->resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    *err = "compression failed";
    return false;
  }
  return true;
}

}  // namespace pyward
