// SHA-256 (FIPS 180-4) and base64 (RFC 4648): what a Content-Security-Policy hash source needs
// ('sha256-' and the base64 of the digest of an inline script or style). Small enough to keep
// here rather than take a cryptography library for one digest of our own text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ztnet {

std::array<std::uint8_t, 32> sha256(std::string_view data);

/// Standard base64 with padding.
std::string base64(std::string_view bytes);

/// "'sha256-…'": the CSP source that lets exactly this text run (or apply) inline.
std::string csp_hash_source(std::string_view text);

} // namespace ztnet
