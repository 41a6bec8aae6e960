#include "ztnet/net/parse_text.h"

namespace ztnet::net::detail {

namespace {

constexpr std::size_t kQuoteLimit = 64;

void append_hex_byte(std::string& out, unsigned char byte) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += "\\x";
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
}

} // namespace

std::string quote(std::string_view text) {
    std::string out = "'";
    const std::size_t shown = text.size() > kQuoteLimit ? kQuoteLimit : text.size();
    for (std::size_t i = 0; i < shown; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte >= 0x7F || byte == '\\')
            append_hex_byte(out, byte);
        else
            out += static_cast<char>(byte);
    }
    if (shown < text.size())
        out += "...";
    out += '\'';
    return out;
}

std::string describe_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ' ')
        return "a space";
    if (byte < 0x20 || byte >= 0x7F) {
        std::string out = "byte ";
        append_hex_byte(out, byte);
        return out;
    }
    return std::string("'") + c + "'";
}

std::string unexpected_char(char c) {
    return "unexpected character " + describe_char(c);
}

} // namespace ztnet::net::detail
