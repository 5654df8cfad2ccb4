// Identity rules of the Python package index: when two spellings name the
// same project, which names are valid, and which names the index refuses as
// "too similar" to an existing one.
#pragma once

#include <string>
#include <string_view>

namespace pyward {

// PEP 503 normalisation: lower case, every run of '-', '_' and '.' becomes a
// single '-'. "Typing_Extensions" -> "typing-extensions".
std::string NormalizeName(std::string_view name);

// The project name validity rule (PEP 508 / core metadata): ASCII letters,
// digits, '.', '_' and '-', starting and ending with a letter or digit.
bool IsValidName(std::string_view name);

// The index's "too similar" key: '.', '_' and '-' removed, lower case, 'l'
// and 'i' mapped to '1' and 'o' to '0'. Two names with the same key cannot
// both be registered on PyPI ("pyparsing" vs "pypars1ng").
std::string TooSimilarKey(std::string_view name);

// `normalized` with its '-' delimiters removed ("typing-extensions" ->
// "typingextensions").
std::string WithoutDelimiters(std::string_view normalized);

// `s` with every run of one repeated character collapsed to one character
// ("aiohttpp" -> "aiohtp").
std::string CollapseRepeats(std::string_view s);

}  // namespace pyward
