// u128: the unsigned 128-bit integer that holds every IP address value (IPv4 in the low 32 bits), plus
// the few bit and text helpers the net module needs, since the standard library lacks them in strict C++20.
#pragma once

#include <bit>
#include <cstdint>
#include <string>

namespace ztnet::net {

/// Unsigned 128-bit integer (a compiler extension; `__extension__` keeps -Wpedantic quiet).
__extension__ using u128 = unsigned __int128;

/// The largest u128 value, 2^128 - 1.
inline constexpr u128 kU128Max = ~u128{0};

/// Builds a u128 from its high and low 64-bit halves.
constexpr u128 make_u128(std::uint64_t hi, std::uint64_t lo) {
    return (u128{hi} << 64) | u128{lo};
}

/// The high 64 bits of `value`.
constexpr std::uint64_t u128_hi(u128 value) {
    return static_cast<std::uint64_t>(value >> 64);
}

/// The low 64 bits of `value`.
constexpr std::uint64_t u128_lo(u128 value) {
    return static_cast<std::uint64_t>(value);
}

/// Number of leading zero bits; 128 for zero.
constexpr int countl_zero_u128(u128 value) {
    const std::uint64_t hi = u128_hi(value);
    return hi != 0 ? std::countl_zero(hi) : 64 + std::countl_zero(u128_lo(value));
}

/// Number of trailing zero bits; 128 for zero.
constexpr int countr_zero_u128(u128 value) {
    const std::uint64_t lo = u128_lo(value);
    return lo != 0 ? std::countr_zero(lo) : 64 + std::countr_zero(u128_hi(value));
}

/// Mixes 64 bits into a well-distributed 64-bit hash (a SplitMix64-style finaliser); used by the
/// hash() members of net types so that adjacent addresses land in different buckets.
constexpr std::uint64_t hash_mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/// Hash of a u128 value, combining both halves.
constexpr std::uint64_t hash_u128(u128 value) {
    return hash_mix64(u128_hi(value) ^ hash_mix64(u128_lo(value) + 0x9e3779b97f4a7c15ULL));
}

/// Decimal text of `value` ("0" to "340282366920938463463374607431768211455").
std::string u128_to_string(u128 value);

/// Lowercase hexadecimal text of `value` with a "0x" prefix and no leading zeros ("0x0" for zero).
std::string u128_to_hex(u128 value);

} // namespace ztnet::net
