#include "analysis/native_binary.h"

#include <string>

#include "util/byte_reader.h"

namespace pyward {
namespace {

NativeInfo Elf(std::string_view data) {
  ByteReader r(data);
  uint8_t cls = static_cast<uint8_t>(data[4]);  // 1: 32-bit, 2: 64-bit
  bool le = data[5] == 1;
  auto u16 = [&](size_t off) -> uint16_t {
    uint16_t v = r.U16LEAt(off);
    return le ? v : static_cast<uint16_t>((v >> 8) | (v << 8));
  };
  auto u32 = [&](size_t off) -> uint32_t {
    uint32_t v = r.U32LEAt(off);
    return le ? v : __builtin_bswap32(v);
  };
  auto u64 = [&](size_t off) -> uint64_t {
    uint64_t v = uint64_t(r.U32LEAt(off)) | (uint64_t(r.U32LEAt(off + 4)) << 32);
    return le ? v : __builtin_bswap64(v);
  };
  uint16_t type = u16(16);
  if (type == 2) return {NativeKind::kExecutable, "ELF"};
  if (type != 3) return {NativeKind::kObject, "ELF"};
  // ET_DYN is a shared library unless it asks for an interpreter (a PIE program).
  bool is64 = cls == 2;
  uint64_t phoff = is64 ? u64(32) : u32(28);
  uint16_t phentsize = u16(is64 ? 54 : 42);
  uint16_t phnum = u16(is64 ? 56 : 44);
  for (uint16_t i = 0; i < phnum; ++i) {
    uint64_t off = phoff + uint64_t(i) * phentsize;
    if (off > data.size()) break;
    if (u32(static_cast<size_t>(off)) == 3 /* PT_INTERP */)
      return {NativeKind::kExecutable, "ELF"};
  }
  return {NativeKind::kLibrary, "ELF"};
}

NativeInfo Pe(std::string_view data) {
  ByteReader r(data);
  uint32_t pe = r.U32LEAt(0x3c);
  if (r.BytesAt(pe, 4) != std::string_view("PE\0\0", 4)) return {};
  uint16_t characteristics = r.U16LEAt(pe + 4 + 18);
  if (characteristics & 0x2000) return {NativeKind::kLibrary, "PE"};  // IMAGE_FILE_DLL
  if (characteristics & 0x0002) return {NativeKind::kExecutable, "PE"};
  return {NativeKind::kObject, "PE"};
}

NativeInfo MachO(std::string_view data, bool swap) {
  ByteReader r(data);
  uint32_t ft = r.U32LEAt(12);
  if (swap) ft = __builtin_bswap32(ft);
  if (ft == 2) return {NativeKind::kExecutable, "Mach-O"};             // MH_EXECUTE
  if (ft == 6 || ft == 8) return {NativeKind::kLibrary, "Mach-O"};     // DYLIB, BUNDLE
  return {NativeKind::kObject, "Mach-O"};
}

}  // namespace

NativeInfo ClassifyNative(std::string_view data) {
  try {
    if (data.size() >= 20 && data.substr(0, 4) == "\x7f" "ELF") return Elf(data);
    if (data.size() >= 64 && data.substr(0, 2) == "MZ") return Pe(data);
    if (data.size() >= 16) {
      uint32_t magic = ByteReader(data).U32LEAt(0);
      if (magic == 0xfeedface || magic == 0xfeedfacf) return MachO(data, false);
      if (magic == 0xcefaedfe || magic == 0xcffaedfe) return MachO(data, true);
      // Fat binaries share 0xcafebabe with Java classes: require a small arch count.
      if (magic == 0xbebafeca) {
        uint32_t n = __builtin_bswap32(ByteReader(data).U32LEAt(4));
        if (n > 0 && n < 20) return {NativeKind::kLibrary, "Mach-O"};
      }
    }
  } catch (const InputError&) {
    // A truncated header is not a usable binary.
  }
  return {};
}

XoredNative ClassifyXoredNative(std::string_view data) {
  XoredNative r;
  if (data.size() < 20) return r;
  auto b = [&](size_t i) { return static_cast<uint8_t>(data[i]); };
  // Keys the first bytes imply, one per magic: MZ, \x7fELF, the thin Mach-O
  // magics (fat headers share theirs with Java classes).
  static const std::string_view kMagics[] = {
      std::string_view("MZ"), std::string_view("\x7f" "ELF"),
      std::string_view("\xce\xfa\xed\xfe"), std::string_view("\xcf\xfa\xed\xfe"),
      std::string_view("\xfe\xed\xfa\xce"), std::string_view("\xfe\xed\xfa\xcf")};
  for (std::string_view magic : kMagics) {
    uint8_t key = b(0) ^ static_cast<uint8_t>(magic[0]);
    if (key == 0) continue;  // plain code is ClassifyNative's
    bool match = true;
    for (size_t i = 1; i < magic.size() && match; ++i)
      match = (b(i) ^ key) == static_cast<uint8_t>(magic[i]);
    if (!match) continue;
    std::string plain(data.substr(0, size_t{64} << 10));
    for (char& c : plain) c = static_cast<char>(static_cast<uint8_t>(c) ^ key);
    NativeInfo info = ClassifyNative(plain);
    if (info.kind == NativeKind::kNone) continue;
    r.info = info;
    r.key = key;
    return r;
  }
  return r;
}

}  // namespace pyward
