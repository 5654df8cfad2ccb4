// Fernet (cryptography.fernet) token decryption, for payloads a package
// decrypts with a key that is in its own code.
#pragma once

#include <string>
#include <string_view>

namespace pyward {

// Decrypts Fernet `token` (urlsafe base64 of 0x80 | timestamp | IV |
// AES-128-CBC ciphertext | HMAC-SHA256) with `key_b64`, the urlsafe base64 of
// a 32-byte key (signing half, then encryption half). The HMAC is verified;
// the timestamp (TTL) is ignored. Surrounding whitespace is ignored in both.
// Returns false with *err on a malformed key or token, a wrong key (HMAC
// mismatch) or bad padding.
bool FernetDecrypt(std::string_view key_b64, std::string_view token,
                   std::string* out, std::string* err);

}  // namespace pyward
