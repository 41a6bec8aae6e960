#include "ztnet/net/uint128.h"

#include <algorithm>

namespace ztnet::net {

std::string u128_to_string(u128 value) {
    char buffer[40];
    int n = 0;
    do {
        buffer[n++] = static_cast<char>('0' + static_cast<int>(value % 10));
        value /= 10;
    } while (value != 0);
    std::string text(buffer, buffer + n);
    std::reverse(text.begin(), text.end());
    return text;
}

std::string u128_to_hex(u128 value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char buffer[32];
    int n = 0;
    do {
        buffer[n++] = kDigits[static_cast<int>(value & 0xF)];
        value >>= 4;
    } while (value != 0);
    std::string text = "0x";
    text.append(std::make_reverse_iterator(buffer + n), std::make_reverse_iterator(buffer));
    return text;
}

} // namespace ztnet::net
