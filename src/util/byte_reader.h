// Bounds-checked access to untrusted bytes. Every parser of input that comes
// from a package reads through ByteReader; a read past the end throws
// InputError, which the caller catches once per input and turns into a result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pyward {

// The one error type thrown by readers of untrusted bytes.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

// A cursor over a byte span that never reads out of bounds.
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t size() const { return data_.size(); }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool eof() const { return pos_ >= data_.size(); }

  // Moves the cursor to `pos`; throws when beyond the end.
  void Seek(size_t pos);
  // Advances by `n` bytes; throws when fewer remain.
  void Skip(size_t n);

  uint8_t U8();
  uint16_t U16LE();
  uint32_t U32LE();
  uint64_t U64LE();
  uint16_t U16BE();
  uint32_t U32BE();
  // Returns the next `n` bytes as a view into the underlying data.
  std::string_view Bytes(size_t n);

  // Random access without moving the cursor; throws when out of bounds.
  uint16_t U16LEAt(size_t off) const;
  uint32_t U32LEAt(size_t off) const;
  std::string_view BytesAt(size_t off, size_t n) const;

 private:
  void Need(size_t off, size_t n) const;
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace pyward
