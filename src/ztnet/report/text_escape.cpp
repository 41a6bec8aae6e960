#include "ztnet/report/text_escape.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace ztnet::report {

namespace {

// One UTF-8 sequence at `text[i]`: its code point and length; length 1 and U+FFFD when invalid
// (overlong forms, surrogates and truncated sequences included).
std::pair<std::uint32_t, std::size_t> decode(std::string_view text, std::size_t i) {
    constexpr std::uint32_t kReplacement = 0xFFFD;
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80)
        return {lead, 1};
    std::size_t length = lead >= 0xF0 && lead <= 0xF4  ? 4
                         : lead >= 0xE0                ? 3
                         : lead >= 0xC2 && lead < 0xE0 ? 2
                                                       : 0;
    if (length == 0 || i + length > text.size())
        return {kReplacement, 1};
    std::uint32_t cp = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return {kReplacement, 1};
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return {kReplacement, 1};
    return {cp, length};
}

bool hidden(std::uint32_t cp) {
    return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0) || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string visible_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto [cp, length] = decode(text, i);
        if (hidden(cp))
            out += fmt::format("\\u{{{:04X}}}", cp);
        else if (cp == 0xFFFD && length == 1)
            out += "\xEF\xBF\xBD";
        else
            out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string html_text(std::string_view text) {
    std::string out;
    for (char c : visible_text(text)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string markdown_text(std::string_view text) {
    // Inline markup only: the text goes into table cells and sentences, never at a line's start.
    static constexpr std::string_view kPunctuation = "\\`*_[]|~";
    std::string out;
    for (char c : visible_text(text)) {
        if (c == '\t' || c == '\n')
            out += ' ';
        else if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (kPunctuation.find(c) != std::string_view::npos) {
            out += '\\';
            out += c;
        } else
            out += c;
    }
    return out;
}

std::string markdown_fence(std::string_view text) {
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string shortened(std::string_view text, std::size_t max_characters) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            continue; // a continuation byte
        if (++characters == max_characters) {
            std::size_t rest = i + 1;
            while (rest < text.size() && (static_cast<unsigned char>(text[rest]) & 0xC0) == 0x80)
                ++rest;
            return rest >= text.size() ? std::string(text) : std::string(text.substr(0, i)) + "\u2026";
        }
    }
    return std::string(text);
}

std::string script_safe_json(std::string_view json_text) {
    std::string out;
    out.reserve(json_text.size());
    for (std::size_t i = 0; i < json_text.size(); ++i) {
        const char c = json_text[i];
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else if (json_text.substr(i, 3) == "\xE2\x80\xA8" || json_text.substr(i, 3) == "\xE2\x80\xA9") {
            out += json_text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else
            out += c;
    }
    return out;
}

} // namespace ztnet::report
