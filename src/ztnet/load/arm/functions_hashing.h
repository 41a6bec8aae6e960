// Internal to the ARM function library: the hashes behind uniqueString() and guid(), exposed so
// that tests can check them against published input/output pairs.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ztnet::load::arm::detail {

/// The 64-bit MurmurHash variant Azure uses for uniqueString(): two 32-bit lanes over 8-byte blocks,
/// little-endian, seed 0. Returns (h2 << 32) | h1.
std::uint64_t azure_murmur64(std::string_view bytes);

/// uniqueString(): the parts joined with '-', hashed, and the 64 bits written as 13 lowercase
/// base32 characters (RFC 4648 alphabet, most significant bits first).
std::string unique_string(std::span<const std::string_view> parts);

/// SHA-1 (FIPS 180-4) of `bytes`.
std::array<std::uint8_t, 20> sha1(std::string_view bytes);

/// RFC 4122 §4.3 name-based UUID, version 5 (SHA-1), in lowercase 8-4-4-4-12 form. `namespace_id`
/// is in network byte order; `name` is hashed as given (UTF-8).
std::string uuid_v5(const std::array<std::uint8_t, 16>& namespace_id, std::string_view name);

/// guid(): the parts joined with '-' as a version-5 UUID in ARM's namespace
/// 11fb06fb-712d-4ddd-98c7-e71bbd588830.
std::string template_guid(std::span<const std::string_view> parts);

} // namespace ztnet::load::arm::detail
