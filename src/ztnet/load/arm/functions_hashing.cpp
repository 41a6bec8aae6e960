// uniqueString() and guid(). The algorithms are public facts: uniqueString is Azure's 64-bit
// MurmurHash variant over the UTF-8 bytes of the arguments joined by '-', written in base32
// (as reimplemented, for example, by Azure/terraform-provider-azapi's unique_string function);
// guid is an RFC 4122 version-5 UUID over the same joined string in a fixed ARM namespace.
#include "ztnet/load/arm/functions_hashing.h"

#include <string>
#include <vector>

#include "ztnet/load/arm/functions_common.h"

namespace ztnet::load::arm::detail {

namespace {

constexpr std::uint32_t rotl32(std::uint32_t x, int r) {
    return (x << r) | (x >> (32 - r));
}

constexpr std::uint32_t final_mix(std::uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

// Little-endian load of `count` (1 to 4) bytes.
std::uint32_t load_le(std::string_view bytes, std::size_t at, std::size_t count) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i)
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return value;
}

constexpr std::uint32_t kC1 = 0x239B961Bu;
constexpr std::uint32_t kC2 = 0xAB0E9789u;

std::uint32_t mix_k1(std::uint32_t k) {
    return rotl32(k * kC1, 15) * kC2;
}
std::uint32_t mix_k2(std::uint32_t k) {
    return rotl32(k * kC2, 17) * kC1;
}

std::string join_parts(std::span<const std::string_view> parts) {
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            joined += '-';
        joined += parts[i];
    }
    return joined;
}

} // namespace

std::uint64_t azure_murmur64(std::string_view bytes) {
    const std::size_t length = bytes.size();
    std::uint32_t h1 = 0;
    std::uint32_t h2 = 0;
    std::size_t index = 0;
    for (; index + 8 <= length; index += 8) {
        h1 ^= mix_k1(load_le(bytes, index, 4));
        h1 = rotl32(h1, 19) + h2;
        h1 = h1 * 5 + 0x561CCD1Bu;
        h2 ^= mix_k2(load_le(bytes, index + 4, 4));
        h2 = rotl32(h2, 13) + h1;
        h2 = h2 * 5 + 0x0BCAA747u;
    }
    const std::size_t tail = length - index;
    if (tail > 0) {
        h1 ^= mix_k1(load_le(bytes, index, tail < 4 ? tail : 4));
        if (tail > 4)
            h2 ^= mix_k2(load_le(bytes, index + 4, tail - 4));
    }
    const auto length32 = static_cast<std::uint32_t>(length);
    h1 ^= length32;
    h2 ^= length32;
    h1 += h2;
    h2 += h1;
    h1 = final_mix(h1);
    h2 = final_mix(h2);
    h1 += h2;
    h2 += h1;
    return (static_cast<std::uint64_t>(h2) << 32) | h1;
}

std::string unique_string(std::span<const std::string_view> parts) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    std::uint64_t hash = azure_murmur64(join_parts(parts));
    std::string out;
    out.reserve(13);
    for (int i = 0; i < 13; ++i) {
        out += kAlphabet[static_cast<std::size_t>(hash >> 59)];
        hash <<= 5;
    }
    return out;
}

std::array<std::uint8_t, 20> sha1(std::string_view bytes) {
    std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    std::vector<std::uint8_t> message(bytes.begin(), bytes.end());
    const std::uint64_t bit_length = static_cast<std::uint64_t>(bytes.size()) * 8;
    message.push_back(0x80);
    while (message.size() % 64 != 56)
        message.push_back(0);
    for (int i = 7; i >= 0; --i)
        message.push_back(static_cast<std::uint8_t>(bit_length >> (8 * i)));
    for (std::size_t block = 0; block < message.size(); block += 64) {
        std::uint32_t w[80];
        for (std::size_t t = 0; t < 16; ++t) {
            w[t] = (static_cast<std::uint32_t>(message[block + 4 * t]) << 24) |
                   (static_cast<std::uint32_t>(message[block + 4 * t + 1]) << 16) |
                   (static_cast<std::uint32_t>(message[block + 4 * t + 2]) << 8) |
                   static_cast<std::uint32_t>(message[block + 4 * t + 3]);
        }
        for (std::size_t t = 16; t < 80; ++t)
            w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (std::size_t t = 0; t < 80; ++t) {
            std::uint32_t f = 0;
            std::uint32_t k = 0;
            if (t < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999u;
            } else if (t < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1u;
            } else if (t < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDCu;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6u;
            }
            const std::uint32_t temp = rotl32(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = rotl32(b, 30);
            b = a;
            a = temp;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
    std::array<std::uint8_t, 20> digest{};
    for (std::size_t i = 0; i < 5; ++i) {
        digest[4 * i] = static_cast<std::uint8_t>(h[i] >> 24);
        digest[4 * i + 1] = static_cast<std::uint8_t>(h[i] >> 16);
        digest[4 * i + 2] = static_cast<std::uint8_t>(h[i] >> 8);
        digest[4 * i + 3] = static_cast<std::uint8_t>(h[i]);
    }
    return digest;
}

std::string uuid_v5(const std::array<std::uint8_t, 16>& namespace_id, std::string_view name) {
    std::string input(namespace_id.begin(), namespace_id.end());
    input.append(name);
    const std::array<std::uint8_t, 20> digest = sha1(input);
    std::array<std::uint8_t, 16> uuid{};
    for (std::size_t i = 0; i < 16; ++i)
        uuid[i] = digest[i];
    uuid[6] = static_cast<std::uint8_t>((uuid[6] & 0x0Fu) | 0x50u);
    uuid[8] = static_cast<std::uint8_t>((uuid[8] & 0x3Fu) | 0x80u);
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += '-';
        out += kHex[uuid[i] >> 4];
        out += kHex[uuid[i] & 0x0Fu];
    }
    return out;
}

std::string template_guid(std::span<const std::string_view> parts) {
    // 11fb06fb-712d-4ddd-98c7-e71bbd588830 in network byte order.
    static constexpr std::array<std::uint8_t, 16> kArmNamespace = {
        0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30};
    return uuid_v5(kArmNamespace, join_parts(parts));
}

namespace {

// uniqueString(baseString, ...) and guid(baseString, ...): one or more strings.
template <std::string (*Hash)(std::span<const std::string_view>)>
Result<json::Value> hash_function(std::string_view name, Arguments arguments) {
    if (auto error = check_signature(name, "(string, ...)", arguments, 1, SIZE_MAX, {}, kString))
        return *error;
    if (any_unknown(arguments))
        return unknown_result(name);
    std::vector<std::string_view> parts;
    parts.reserve(arguments.size());
    for (const json::Value& argument : arguments)
        parts.push_back(argument.as_string());
    return value_result(Hash(parts));
}

Result<json::Value> fn_unique_string(Arguments arguments) {
    return hash_function<unique_string>("uniqueString", arguments);
}

Result<json::Value> fn_guid(Arguments arguments) {
    return hash_function<template_guid>("guid", arguments);
}

constexpr FunctionEntry kHashingFunctions[] = {
    {"uniqueString", fn_unique_string},
    {"guid", fn_guid},
};

} // namespace

std::span<const FunctionEntry> hashing_functions() {
    return kHashingFunctions;
}

} // namespace ztnet::load::arm::detail
