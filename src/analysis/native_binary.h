// Recognising bundled native code (ELF, PE, Mach-O) by its headers, read
// through the bounds-checked ByteReader.
#pragma once

#include <cstdint>
#include <string_view>

namespace pyward {

enum class NativeKind {
  kNone,
  kExecutable,  // a program that can be started
  kLibrary,     // a shared library / DLL / extension module
  kObject,      // relocatable object, core dump or other
};

struct NativeInfo {
  NativeKind kind = NativeKind::kNone;
  std::string_view format;  // "ELF", "PE", "Mach-O"
};

// Classifies `data` by its native executable headers.
NativeInfo ClassifyNative(std::string_view data);

// Native code stored XOR-encrypted with one non-zero byte.
struct XoredNative {
  NativeInfo info;   // kind kNone when `data` is not such code
  uint8_t key = 0;   // the byte every byte was XORed with
};

// Recognises native code whose every byte is XORed with one key: the key
// the first bytes imply (they must decode to an ELF, PE or thin Mach-O
// magic) must also decode the rest of the header (a PE's "PE\0\0" at
// e_lfanew, the ELF or Mach-O type). Reads at most the first 64 KB.
XoredNative ClassifyXoredNative(std::string_view data);

}  // namespace pyward
