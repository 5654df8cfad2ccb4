#include "util/byte_reader.h"

#include <string>

namespace pyward {

void ByteReader::Need(size_t off, size_t n) const {
  if (off > data_.size() || n > data_.size() - off) {
    throw InputError("truncated data: need " + std::to_string(n) +
                     " bytes at offset " + std::to_string(off) + " of " +
                     std::to_string(data_.size()));
  }
}

void ByteReader::Seek(size_t pos) {
  Need(pos, 0);
  pos_ = pos;
}

void ByteReader::Skip(size_t n) {
  Need(pos_, n);
  pos_ += n;
}

uint8_t ByteReader::U8() {
  Need(pos_, 1);
  return static_cast<uint8_t>(data_[pos_++]);
}

uint16_t ByteReader::U16LE() {
  uint16_t v = U16LEAt(pos_);
  pos_ += 2;
  return v;
}

uint32_t ByteReader::U32LE() {
  uint32_t v = U32LEAt(pos_);
  pos_ += 4;
  return v;
}

uint64_t ByteReader::U64LE() {
  uint64_t lo = U32LE();
  uint64_t hi = U32LE();
  return lo | (hi << 32);
}

uint16_t ByteReader::U16BE() {
  std::string_view b = Bytes(2);
  return static_cast<uint16_t>((uint8_t(b[0]) << 8) | uint8_t(b[1]));
}

uint32_t ByteReader::U32BE() {
  std::string_view b = Bytes(4);
  return (uint32_t(uint8_t(b[0])) << 24) | (uint32_t(uint8_t(b[1])) << 16) |
         (uint32_t(uint8_t(b[2])) << 8) | uint32_t(uint8_t(b[3]));
}

std::string_view ByteReader::Bytes(size_t n) {
  std::string_view v = BytesAt(pos_, n);
  pos_ += n;
  return v;
}

uint16_t ByteReader::U16LEAt(size_t off) const {
  std::string_view b = BytesAt(off, 2);
  return static_cast<uint16_t>(uint8_t(b[0]) | (uint8_t(b[1]) << 8));
}

uint32_t ByteReader::U32LEAt(size_t off) const {
  std::string_view b = BytesAt(off, 4);
  return uint32_t(uint8_t(b[0])) | (uint32_t(uint8_t(b[1])) << 8) |
         (uint32_t(uint8_t(b[2])) << 16) | (uint32_t(uint8_t(b[3])) << 24);
}

std::string_view ByteReader::BytesAt(size_t off, size_t n) const {
  Need(off, n);
  return data_.substr(off, n);
}

}  // namespace pyward
