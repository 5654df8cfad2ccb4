// Blind unwrapping of encoded blobs: a string constant the constant folder
// could not tie to a decode call, or a layer already decoded, is decoded
// again and again by the encodings whose alphabet and shape fit, within
// DecodeLimits, and what it ends in is classified.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/unpack/decoders.h"

namespace pyward {

// What decoded bytes look like.
enum class Content {
  kPython, kShell, kPowerShell, kText, kBinary, kPythonBytecode
};

// Short lowercase name of `c` ("python", "shell", "powershell", "text",
// "binary", "bytecode").
std::string_view ContentName(Content c);

// One result of Unwrap: the decodings applied to the blob, in order, and
// what they produced.
struct Layer {
  std::vector<Encoding> chain;
  std::string data;  // for kPythonBytecode: the marshal listing (decoders.h)
  Content content;
};

// Cheap classification of `data` (its first 256 KiB): a marshal code object or .pyc (type byte
// 0xe3/0x63 with a small argcount) is kPythonBytecode; under 90% printable
// (ASCII or valid UTF-8) or fewer than 6 distinct characters is kBinary;
// otherwise the family with the most distinct indicators present wins
// (data/unpack/content-indicators.txt: Python import/def/exec(/print(...;
// shell curl/wget, | sh, chmod +x, /dev/tcp...; PowerShell Invoke-WebRequest,
// IEX, New-Object, DownloadString...), ties going to Python, then
// PowerShell; no indicator at all is kText. Thread-safe.
Content Classify(std::string_view data);
// Classify, also setting *hits to the number of distinct indicators of the
// family that won (0 for text, binary and bytecode): evidence for guesses
// such as blind XOR keys.
Content ClassifyScored(std::string_view data, int* hits);
// Whether `text` is convincingly Python, shell or PowerShell: two distinct
// indicators of its family and at least 5% whitespace. Guessed decodings
// (reversal, ROT13, single-byte XOR) must pass it.
bool LooksLikeCode(std::string_view text);

// Every terminal layer reached from `blob`, in discovery order: decoding goes
// depth first, taking at each layer the first candidate encoding (strictest
// alphabet first) that leads somewhere meaningful, until nothing more fits.
// A terminal layer is kept when it is Python, shell, PowerShell, text,
// bytecode, or binary with an executable/archive magic (MZ, ELF, PK...);
// marshal code yields its listing and the string constants inside it are
// unwrapped in turn; shell/PowerShell text also yields its -EncodedCommand
// arguments (FindPowerShellEncoded). A UTF-16LE layer becomes UTF-8. The
// blob itself is never a result: empty when nothing decodes to something
// meaningful. Bounded by limits: max_layers deep, max_steps decode attempts,
// max_output per step, max_total over the call.
std::vector<Layer> Unwrap(std::string_view blob, const DecodeLimits& limits);

// The arguments of PowerShell -EncodedCommand (or an abbreviation: -enc,
// -e, -ec, ...; any case; '-' or '/') found in `text`, decoded from base64
// UTF-16LE to UTF-8, in order of appearance; arguments that do not decode
// to text are skipped.
std::vector<std::string> FindPowerShellEncoded(std::string_view text,
                                               const DecodeLimits& limits);

}  // namespace pyward
