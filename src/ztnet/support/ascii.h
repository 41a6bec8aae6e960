// ASCII case folding and comparison, independent of the C locale: Azure compares resource ids,
// types, tags and enumeration values case-insensitively over ASCII letters only, and a process
// locale must never change what ztnet decides.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

/// The items of a list Azure writes as one string ("a, b,c"), each without surrounding spaces;
/// empty items are left out.
inline std::vector<std::string_view> split_list(std::string_view text, char separator = ',') {
    std::vector<std::string_view> items;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find(separator), text.size());
        std::string_view item = text.substr(0, end);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
            item.remove_suffix(1);
        if (!item.empty())
            items.push_back(item);
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return items;
}

} // namespace ztnet::ascii
