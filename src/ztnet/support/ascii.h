// ASCII case folding and comparison, independent of the C locale: Azure compares resource ids,
// types, tags and enumeration values case-insensitively over ASCII letters only, and a process
// locale must never change what ztnet decides.
#pragma once

#include <string>
#include <string_view>

namespace ztnet::ascii {

constexpr char to_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr char to_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

inline std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = to_lower(c);
    return out;
}

inline std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = to_upper(c);
    return out;
}

/// Whether `c` is an ASCII decimal digit (locale-independent, unlike std::isdigit).
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// The value of an ASCII hex digit, or -1 when `c` is not one.
constexpr int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Whether `a` and `b` are equal up to the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i]))
            return false;
    return true;
}

} // namespace ztnet::ascii
