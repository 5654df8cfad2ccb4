#include "analysis/unpack/fernet.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

#include "analysis/unpack/decoders.h"
#include "util/strings.h"

namespace pyward {
namespace {

// Strict urlsafe base64 for keys and tokens: only the urlsafe alphabet and
// trailing padding.
bool UrlsafeB64(std::string_view in, std::string* out, std::string* err) {
  in = Trim(in);
  for (char c : in) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '=';
    if (!ok) {
      *err = "not urlsafe base64";
      return false;
    }
  }
  DecodeLimits lim;
  lim.max_output = in.size();
  return Decode(Encoding::kBase64Url, in, lim, out, err);
}

}  // namespace

bool FernetDecrypt(std::string_view key_b64, std::string_view token,
                   std::string* out, std::string* err) {
  std::string key, raw;
  if (!UrlsafeB64(key_b64, &key, err) || key.size() != 32) {
    *err = "Fernet key must be 32 url-safe base64-encoded bytes";
    return false;
  }
  if (!UrlsafeB64(token, &raw, err)) {
    *err = "Fernet token is not url-safe base64";
    return false;
  }
  // version(1) timestamp(8) iv(16) ciphertext(16*n, n >= 1) hmac(32)
  if (raw.size() < 1 + 8 + 16 + 16 + 32 || (raw.size() - 57) % 16 != 0 ||
      static_cast<unsigned char>(raw[0]) != 0x80) {
    *err = "malformed Fernet token";
    return false;
  }
  const unsigned char* k = reinterpret_cast<const unsigned char*>(key.data());
  const unsigned char* t = reinterpret_cast<const unsigned char*>(raw.data());
  size_t signed_len = raw.size() - 32;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha256(), k, 16, t, signed_len, mac, &mac_len) ||
      mac_len != 32 || CRYPTO_memcmp(mac, t + signed_len, 32) != 0) {
    *err = "Fernet token signature does not match the key";
    return false;
  }
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(
      EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const unsigned char* iv = t + 9;
  const unsigned char* ct = t + 25;
  int ct_len = static_cast<int>(signed_len - 25);
  out->assign(static_cast<size_t>(ct_len) + 16, '\0');
  unsigned char* o = reinterpret_cast<unsigned char*>(out->data());
  int n1 = 0, n2 = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, k + 16,
                                 iv) != 1 ||
      EVP_DecryptUpdate(ctx.get(), o, &n1, ct, ct_len) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), o + n1, &n2) != 1) {
    out->clear();
    *err = "Fernet decryption failed (padding)";
    return false;
  }
  out->resize(static_cast<size_t>(n1 + n2));
  return true;
}

}  // namespace pyward
