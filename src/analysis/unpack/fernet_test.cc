#include "analysis/unpack/fernet.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "analysis/unpack/test_util.h"
#include "analysis/unpack/test_vectors.h"

namespace pyward {
namespace {

namespace tv = testvec;

std::string UrlSafe(std::string b64) {
  for (char& c : b64) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return b64;
}

// A Fernet token made here with OpenSSL, independent of the Python vector.
std::string MakeToken(std::string_view key32, std::string_view plain) {
  std::string iv = testutil::Random(16, 5);
  std::string ct(plain.size() + 32, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n1 = 0, n2 = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr,
                     reinterpret_cast<const unsigned char*>(key32.data()) + 16,
                     reinterpret_cast<const unsigned char*>(iv.data()));
  EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(ct.data()), &n1,
                    reinterpret_cast<const unsigned char*>(plain.data()),
                    static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(ct.data()) + n1, &n2);
  EVP_CIPHER_CTX_free(ctx);
  ct.resize(n1 + n2);
  std::string msg = std::string("\x80", 1) + std::string(8, '\x01') + iv + ct;
  unsigned char mac[32];
  unsigned len = 0;
  HMAC(EVP_sha256(), key32.data(), 16,
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  return UrlSafe(testutil::B64(msg + std::string(reinterpret_cast<char*>(mac), 32)));
}

TEST(UnpackFernet, DecryptsCPythonToken) {
  std::string out, err;
  ASSERT_TRUE(FernetDecrypt(tv::kFernetKey, tv::kFernetToken, &out, &err)) << err;
  EXPECT_EQ(out, tv::kSnippet);
  // Surrounding whitespace, as in a pasted constant.
  std::string tok = "  " + std::string(tv::kFernetToken) + "\n";
  ASSERT_TRUE(FernetDecrypt(tv::kFernetKey, tok, &out, &err)) << err;
  EXPECT_EQ(out, tv::kSnippet);
}

TEST(UnpackFernet, DecryptsOpenSslToken) {
  std::string key32 = testutil::Random(32, 9);
  std::string key = UrlSafe(testutil::B64(key32));
  for (std::string plain : {std::string(), std::string("exec('x')"),
                            std::string(100, 'a')}) {
    std::string out, err;
    ASSERT_TRUE(FernetDecrypt(key, MakeToken(key32, plain), &out, &err)) << err;
    EXPECT_EQ(out, plain);
  }
}

TEST(UnpackFernet, WrongKeyTamperedOrMalformedFails) {
  std::string out, err;
  std::string other = UrlSafe(testutil::B64(testutil::Random(32, 1)));
  EXPECT_FALSE(FernetDecrypt(other, tv::kFernetToken, &out, &err));
  EXPECT_NE(err.find("signature"), std::string::npos) << err;
  std::string tampered(tv::kFernetToken);
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(FernetDecrypt(tv::kFernetKey, tampered, &out, &err));
  // Every prefix short of the padding (missing padding is tolerated).
  size_t data_end = tv::kFernetToken.find('=');
  for (size_t n = 0; n < data_end; n += 7)
    EXPECT_FALSE(FernetDecrypt(tv::kFernetKey, tv::kFernetToken.substr(0, n),
                               &out, &err));
  EXPECT_FALSE(FernetDecrypt("c2hvcnQ=", tv::kFernetToken, &out, &err));
  EXPECT_FALSE(FernetDecrypt(tv::kFernetKey, "not a token!", &out, &err));
  EXPECT_FALSE(FernetDecrypt(tv::kFernetKey, "", &out, &err));
}

}  // namespace
}  // namespace pyward
