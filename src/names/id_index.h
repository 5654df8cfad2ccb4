// IdIndex: a frozen hash multimap from string keys to 32-bit ids, built in
// one pass (no sorting) and probed with one cache miss per key. Keys are
// stored as 64-bit hashes only: callers confirm a hit against the id's own
// data, so a hash collision can cost time but never a wrong answer.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pyward {

// 64-bit FNV-1a of `s`, seeded with `tag` so that keys of different kinds
// (deletions, bare names, ...) sharing one index do not meet.
inline uint64_t TaggedHash(char tag, std::string_view s) {
  uint64_t h = 1469598103934665603ULL ^ static_cast<unsigned char>(tag);
  h *= 1099511628211ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h ^ (h >> 29);
}

class IdIndex {
 public:
  void Reserve(size_t n) { entries_.reserve(n); }
  // Adds (hash, id). Call Finish() once after the last Add.
  void Add(uint64_t hash, uint32_t id) {
    entries_.push_back({hash, id, kNone});
  }
  void Finish() {
    size_t size = 16;
    while (size < 2 * entries_.size()) size *= 2;
    mask_ = size - 1;
    heads_.assign(size, kNone);
    for (uint32_t i = 0; i < entries_.size(); ++i) {
      uint32_t& head = heads_[entries_[i].hash & mask_];
      entries_[i].next = head;
      head = i;
    }
  }
  // Calls fn(id) for each id added under `hash` (most recent first).
  template <typename Fn>
  void ForEach(uint64_t hash, Fn fn) const {
    if (heads_.empty()) return;
    for (uint32_t i = heads_[hash & mask_]; i != kNone; i = entries_[i].next)
      if (entries_[i].hash == hash) fn(entries_[i].id);
  }
  size_t size() const { return entries_.size(); }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  struct Entry {
    uint64_t hash;
    uint32_t id;
    uint32_t next;
  };
  std::vector<Entry> entries_;
  std::vector<uint32_t> heads_;
  size_t mask_ = 0;
};

}  // namespace pyward
