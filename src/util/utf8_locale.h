// A scope in which the calling thread's character-type locale is C.UTF-8.
#pragma once

#include <locale.h>

namespace pyward {

// While alive, the calling thread converts multibyte text as UTF-8 (the
// C.UTF-8 locale, for character types only; the process locale and other
// threads are untouched). libarchive converts member names to the thread's
// locale, and in the default C locale any name outside ASCII converts to
// nothing. Does nothing when the system has no C.UTF-8 locale.
class ScopedUtf8Locale {
 public:
  ScopedUtf8Locale();
  ~ScopedUtf8Locale();
  ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
  ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

 private:
  locale_t old_ = static_cast<locale_t>(0);
};

}  // namespace pyward
