// Recognising bundled native code (ELF, PE, Mach-O) by its headers, read
// through the bounds-checked ByteReader.
#pragma once

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

}  // namespace pyward
