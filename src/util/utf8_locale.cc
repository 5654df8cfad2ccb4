#include "util/utf8_locale.h"

namespace pyward {

ScopedUtf8Locale::ScopedUtf8Locale() {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8) old_ = uselocale(utf8);
}

ScopedUtf8Locale::~ScopedUtf8Locale() {
  if (old_) uselocale(old_);
}

}  // namespace pyward
