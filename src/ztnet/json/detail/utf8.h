// Internal to the json module: UTF-8 sequence checks shared by the reader and the writer.
#pragma once

#include <cstddef>

namespace ztnet::json::detail {

/// Length (2 to 4) of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
/// above U+10FFFF) starting at `s`, whose first byte is >= 0x80; 0 when it is not well-formed.
inline std::size_t utf8_sequence_length(const unsigned char* s, const unsigned char* end) {
    const unsigned char lead = s[0];
    const auto available = static_cast<std::size_t>(end - s);
    auto continuation = [](unsigned char c) { return (c & 0xC0u) == 0x80u; };
    if (lead < 0xC2)
        return 0; // a continuation byte, or an overlong two-byte lead
    if (lead < 0xE0)
        return available >= 2 && continuation(s[1]) ? 2 : 0;
    if (lead < 0xF0) {
        const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;  // no overlongs
        const unsigned char high = lead == 0xED ? 0x9F : 0xBF; // no surrogates
        return available >= 3 && s[1] >= low && s[1] <= high && continuation(s[2]) ? 3 : 0;
    }
    if (lead < 0xF5) {
        const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;  // no overlongs
        const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        return available >= 4 && s[1] >= low && s[1] <= high && continuation(s[2]) && continuation(s[3]) ? 4
                                                                                                         : 0;
    }
    return 0;
}

} // namespace ztnet::json::detail
