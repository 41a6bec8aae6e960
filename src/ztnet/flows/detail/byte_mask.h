// Internal to the flows module: which of 64 bytes equal a given byte (or are commas, dots, digits),
// as bit masks, sixteen bytes per instruction with SSE2 (every x86-64 has it) and eight per word
// elsewhere.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ztnet::flows::detail {

/// Bit i set when p[i] == c, for the 64 bytes at p, computed a 64-bit word at a time: the portable
/// way, and the reference byte_mask is tested against.
inline std::uint64_t byte_mask_portable(const char* p, char c) {
    constexpr std::uint64_t kOnes = 0x0101010101010101;
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7F;
    std::uint64_t mask = 0;
    for (std::size_t word = 0; word < 8; ++word) {
        std::uint64_t value;
        std::memcpy(&value, p + 8 * word, 8);
        if constexpr (std::endian::native == std::endian::big)
            value = __builtin_bswap64(value);
        const std::uint64_t x = value ^ (kOnes * static_cast<unsigned char>(c));
        const std::uint64_t equal = ~(((x & kLow7) + kLow7) | x | kLow7); // 0x80 where a byte is 0
        mask |= (((equal >> 7) * 0x0102040810204080) >> 56) << (8 * word);
    }
    return mask;
}

/// Bit i set when p[i] == c, for the 64 bytes at p (all must be readable).
inline std::uint64_t byte_mask(const char* p, char c) {
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8(c);
    std::uint64_t mask = 0;
    for (std::size_t block = 0; block < 4; ++block) {
        const __m128i bytes =
            _mm_loadu_si128(static_cast<const __m128i*>(static_cast<const void*>(p + 16 * block)));
        mask |= static_cast<std::uint64_t>(
                    static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, wanted))))
                << (16 * block);
    }
    return mask;
#else
    return byte_mask_portable(p, c);
#endif
}

/// What a flow tuple's scanner asks of each byte: bit i of each mask for byte i of 64.
struct ByteClasses {
    std::uint64_t commas = 0;
    std::uint64_t dots = 0;
    std::uint64_t digits = 0; ///< '0' to '9'
};

/// The classes of the 64 bytes at p, a byte at a time: the reference byte_classes is tested against.
inline ByteClasses byte_classes_portable(const char* p) {
    ByteClasses out;
    for (std::size_t i = 0; i < 64; ++i) {
        const std::uint64_t bit = std::uint64_t{1} << i;
        out.commas |= p[i] == ',' ? bit : 0;
        out.dots |= p[i] == '.' ? bit : 0;
        out.digits |= p[i] >= '0' && p[i] <= '9' ? bit : 0;
    }
    return out;
}

/// The classes of the 64 bytes at p (all must be readable).
inline ByteClasses byte_classes(const char* p) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i dot = _mm_set1_epi8('.');
    const __m128i below_zero = _mm_set1_epi8('0' - 1);
    const __m128i above_nine = _mm_set1_epi8('9' + 1);
    ByteClasses out;
    for (std::size_t block = 0; block < 4; ++block) {
        const __m128i bytes =
            _mm_loadu_si128(static_cast<const __m128i*>(static_cast<const void*>(p + 16 * block)));
        const auto bits = [&](__m128i equal) {
            return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(equal)))
                   << (16 * block);
        };
        out.commas |= bits(_mm_cmpeq_epi8(bytes, comma));
        out.dots |= bits(_mm_cmpeq_epi8(bytes, dot));
        // Signed compares: bytes of 0x80 and up are negative, so below '0'.
        out.digits |=
            bits(_mm_and_si128(_mm_cmpgt_epi8(bytes, below_zero), _mm_cmplt_epi8(bytes, above_nine)));
    }
    return out;
#else
    return byte_classes_portable(p);
#endif
}

} // namespace ztnet::flows::detail
