#include "ztnet/flows/tuple_parser.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "ztnet/flows/detail/byte_mask.h"

namespace ztnet::flows {
namespace {

// Fields are read a machine word at a time, without a branch per byte: a field's length varies
// from tuple to tuple, and a loop that stops at its end mispredicts once per field. Words are read
// from a field's first byte on, so up to kTupleSlack bytes past the tuple's end are read (and
// ignored): the reader's tuples lie in a padded buffer; parse_tuple copies others into one.
constexpr std::size_t kWords = (kMaxTupleBytes + 63) / 64;

constexpr std::int64_t kMaxTimeSeconds = kMaxTimeMs / 1000;
constexpr std::size_t kMaxDigits = 19;               // 19 decimal digits always fit in 64 bits
constexpr std::uint64_t kZeros = 0x3030303030303030; // '0' in every byte

template <class T>
T load(const char* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    if constexpr (std::endian::native == std::endian::big)
        value = static_cast<T>(sizeof value == 8 ? __builtin_bswap64(value) : __builtin_bswap32(value));
    return value;
}

// The value of the n (1 to 8) decimal digits at `begin`, which the caller knows to be digits. The
// digits are moved to the word's high end and '0's fill the rest, then the eight digits are combined
// in three multiplications (pairs, fours, all).
inline std::uint64_t digits8(const char* begin, std::size_t n) {
    const unsigned shift = static_cast<unsigned>(8 * (8 - n));
    std::uint64_t word = (load<std::uint64_t>(begin) << shift) | (kZeros & ((std::uint64_t{1} << shift) - 1));
    word -= kZeros;
    word = word * 10 + (word >> 8);
    word = (((word & 0x000000FF000000FF) * 0x000F424000000064) +
            (((word >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >>
           32;
    return word;
}

// The value of the n (1 to 19) decimal digits at `begin`, which the caller knows to be digits.
inline std::uint64_t digits19(const char* begin, std::size_t n) {
    if (n <= 8)
        return digits8(begin, n);
    const std::uint64_t low = digits8(begin + n - 8, 8);
    if (n <= 16)
        return digits8(begin, n - 8) * 100000000 + low;
    const std::uint64_t middle = digits8(begin + n - 16, 8);
    return (digits8(begin, n - 16) * 100000000 + middle) * 100000000 + low;
}

// An IPv4 octet's value from its 1 to 3 digits at `begin`, which the caller knows to be digits.
inline std::uint32_t octet_value(const char* begin, std::size_t n) {
    const unsigned shift = static_cast<unsigned>(8 * (4 - n));
    const std::uint32_t word = (load<std::uint32_t>(begin) << shift) | (0x30303030u & ((1u << shift) - 1));
    const std::uint32_t d = word - 0x30303030u;
    return ((d >> 8) & 0xFF) * 100 + ((d >> 16) & 0xFF) * 10 + (d >> 24);
}

constexpr std::uint64_t low_bits(std::size_t n) {
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

// One field of the tuple: its first byte, its offset in the tuple and its length.
struct Field {
    const char* data;
    std::size_t at;
    std::size_t size;

    bool is(char c) const { return size == 1 && data[0] == c; }
    char letter() const { return size == 1 ? data[0] : '\0'; }
};

// The tuple's bytes classified (commas, dots, digits: bit i % 64 of word i / 64 for byte i) and where
// its fields end. All of it is found first, 64 bytes at a time, so that no field's reading waits for
// the one before it to find its end, and a field's bytes are checked by one mask, not one by one.
class Tuple {
  public:
    Tuple(std::string_view text, std::size_t expected) : data_(text.data()) {
        const std::size_t blocks = (text.size() + 63) / 64;
        for (std::size_t block = 0; block < blocks; ++block) {
            const detail::ByteClasses classes = detail::byte_classes(data_ + 64 * block);
            commas_[block] = classes.commas;
            dots_[block] = classes.dots;
            digits_[block] = classes.digits;
        }
        commas_[blocks] = dots_[blocks] = digits_[blocks] = 0; // a field's mask may read one word on
        if (text.size() % 64 != 0)                             // bytes past the end are not the tuple's
            commas_[blocks - 1] &= low_bits(text.size() % 64);
        std::size_t word = 0;
        std::uint64_t mask = blocks > 0 ? commas_[0] : 0;
        for (std::size_t i = 0; i + 1 < expected; ++i) {
            while (mask == 0) {
                if (++word >= blocks) {
                    fields_ = i + 1;
                    return;
                }
                mask = commas_[word];
            }
            ends_[i] =
                static_cast<std::uint16_t>(word * 64 + static_cast<std::size_t>(std::countr_zero(mask)));
            mask &= mask - 1;
        }
        fields_ = expected;
        while (mask == 0 && ++word < blocks)
            mask = commas_[word];
        if (mask != 0)
            fields_ = expected + 1; // more, at least
        ends_[expected - 1] = static_cast<std::uint16_t>(text.size());
    }

    std::size_t fields() const { return fields_; }

    /// Field `i`; only when fields() is what the constructor expected.
    Field operator[](std::size_t i) const {
        const std::size_t begin = i == 0 ? 0 : ends_[i - 1] + 1u;
        return {data_ + begin, begin, ends_[i] - begin};
    }

    /// The digit and dot bits of a field of at most 64 bytes, its first byte lowest.
    std::uint64_t digits(Field field) const { return bits(digits_, field); }
    std::uint64_t dots(Field field) const { return bits(dots_, field); }

    /// The value of a field of 1 to 19 decimal digits; false for anything else.
    bool decimal(Field field, std::uint64_t& out) const {
        if (field.size - 1 >= kMaxDigits || digits(field) != low_bits(field.size))
            return false;
        out = digits19(field.data, field.size);
        return true;
    }

  private:
    static std::uint64_t bits(const std::uint64_t* words, Field field) {
        const std::size_t word = field.at / 64;
        const std::size_t shift = field.at % 64;
        std::uint64_t value = words[word] >> shift;
        if (shift != 0)
            value |= words[word + 1] << (64 - shift);
        return value & low_bits(field.size);
    }

    const char* data_;
    std::size_t fields_ = 0;
    std::uint16_t ends_[13] = {};
    std::uint64_t commas_[kWords + 1];
    std::uint64_t dots_[kWords + 1];
    std::uint64_t digits_[kWords + 1];
};

// An IPv4 address as Azure writes it: four octets of 1 to 3 digits (no leading zero, at most 255)
// between three dots, the dots and digits read from the tuple's masks.
bool dotted_quad(const Tuple& tuple, Field field, std::uint32_t& out) {
    if (field.size < 7 || field.size > 15)
        return false;
    std::uint64_t dots = tuple.dots(field);
    const std::uint64_t three = dots & (dots - 1) & ((dots & (dots - 1)) - 1); // the third dot and on
    if (three == 0 || (three & (three - 1)) != 0 || (tuple.digits(field) | dots) != low_bits(field.size))
        return false;
    std::size_t begin = 0;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const std::size_t end = i < 3 ? static_cast<std::size_t>(std::countr_zero(dots)) : field.size;
        dots &= dots - 1;
        const std::size_t n = end - begin;
        if (n - 1 >= 3 || (n > 1 && field.data[begin] == '0'))
            return false;
        const std::uint32_t octet = octet_value(field.data + begin, n);
        if (octet > 255)
            return false;
        value = value << 8 | octet;
        begin = end + 1;
    }
    out = value;
    return true;
}

// IPv6, and whatever is not an address: net::Address::parse decides. Out of line, so that the
// fast path does not carry its error's strings.
[[gnu::noinline]] bool parse_other_address(Field field, net::Address& out) {
    Result<net::Address> parsed = net::Address::parse({field.data, field.size});
    if (!parsed)
        return false;
    out = *parsed;
    return true;
}

inline bool read_address(const Tuple& tuple, Field field, net::Address& out) {
    std::uint32_t v4 = 0;
    if (!dotted_quad(tuple, field, v4))
        return parse_other_address(field, out);
    out = net::Address::v4(v4);
    return true;
}

bool read_port(const Tuple& tuple, Field field, std::uint16_t& out) {
    std::uint64_t value = 0;
    if (!tuple.decimal(field, value) || value > 65535)
        return false;
    out = static_cast<std::uint16_t>(value);
    return true;
}

bool read_direction(Field field, net::Direction& out) {
    out = field.is('O') ? net::Direction::Outbound : net::Direction::Inbound;
    return field.is('I') || field.is('O');
}

// Fields 0 to 4, the same in every format: time, source, destination, source and destination port.
TupleProblem read_endpoints(const Tuple& tuple, Format format, FlowTuple& out) {
    std::uint64_t time = 0;
    const bool seconds = format != Format::Vnet;
    const Field time_field = tuple[0];
    if (!tuple.decimal(time_field, time) ||
        time > static_cast<std::uint64_t>(seconds ? kMaxTimeSeconds : kMaxTimeMs))
        return {TupleError::Time, 0};
    out.time_ms = static_cast<std::int64_t>(seconds ? time * 1000 : time);
    if (!read_address(tuple, tuple[1], out.source))
        return {TupleError::Address, 1};
    if (!read_address(tuple, tuple[2], out.destination))
        return {TupleError::Address, 2};
    if (!read_port(tuple, tuple[3], out.source_port))
        return {TupleError::Port, 3};
    if (!read_port(tuple, tuple[4], out.destination_port))
        return {TupleError::Port, 4};
    return {};
}

// The four counters, fields 9 to 12 of NSG version 2 and VNet tuples: all four numbers, or all four
// empty (a flow that has just begun, as NSG logs write it).
TupleProblem read_counters(const Tuple& tuple, FlowTuple& out) {
    std::uint64_t values[4] = {};
    std::size_t empty = 0;
    for (std::uint8_t i = 0; i < 4; ++i) {
        const Field field = tuple[9u + i];
        if (field.size == 0)
            ++empty;
        else if (!tuple.decimal(field, values[i]))
            return {TupleError::Counter, static_cast<std::uint8_t>(9 + i)};
        if (empty != 0 && empty != i + 1u)
            return {TupleError::Counter, static_cast<std::uint8_t>(9 + i)};
    }
    out.has_counters = empty == 0;
    out.counters = {values[0], values[1], values[2], values[3]};
    return {};
}

// NSG fields 5 to 7 (protocol letter, direction, decision), then version 2's state and counters.
TupleProblem read_nsg(const Tuple& tuple, Format format, FlowTuple& out) {
    const char protocol = tuple[5].letter();
    if (protocol != 'T' && protocol != 'U')
        return {TupleError::Protocol, 5};
    out.protocol = protocol == 'T' ? 6 : 17;
    if (!read_direction(tuple[6], out.direction))
        return {TupleError::Direction, 6};
    const char decision = tuple[7].letter();
    if (decision != 'A' && decision != 'D')
        return {TupleError::Decision, 7};
    out.decision = decision == 'A' ? Decision::Allow : Decision::Deny;
    out.encryption = Encryption::Unknown;
    out.encryption_text = {};
    if (format == Format::NsgV1) {
        out.state = FlowState::None;
        out.has_counters = false;
        out.counters = {};
        return {};
    }
    const char state = tuple[8].letter();
    if (state != 'B' && state != 'C' && state != 'E')
        return {TupleError::State, 8};
    out.state = state == 'B' ? FlowState::Begin : state == 'C' ? FlowState::Continuing : FlowState::End;
    return read_counters(tuple, out);
}

FlowState vnet_state(char c) {
    switch (c) {
    case 'B':
        return FlowState::Begin;
    case 'C':
        return FlowState::Continuing;
    case 'E':
        return FlowState::End;
    case 'D':
        return FlowState::Deny;
    default:
        return FlowState::None;
    }
}

constexpr bool is_token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The encryption field: X and NX first, as nearly every tuple holds one of them; then any run of
// capital letters, digits and underscores (the reasons NX_... and values Azure may add).
bool read_encryption(Field field, FlowTuple& out) {
    if (field.is('X')) {
        out.encryption = Encryption::Encrypted;
    } else if (field.size == 2 && field.data[0] == 'N' && field.data[1] == 'X') {
        out.encryption = Encryption::NotEncrypted;
    } else {
        if (field.size == 0)
            return false;
        for (std::size_t i = 0; i < field.size; ++i) {
            if (!is_token_char(field.data[i]))
                return false;
        }
        const bool reason = field.size > 3 && std::memcmp(field.data, "NX_", 3) == 0;
        out.encryption = reason ? Encryption::NotEncrypted : Encryption::Unknown;
    }
    return true;
}

// VNet fields 5 to 12: protocol number, direction, state, encryption, counters.
TupleProblem read_vnet(const Tuple& tuple, std::string_view text, FlowTuple& out) {
    std::uint64_t protocol = 0;
    const Field protocol_field = tuple[5];
    if (!tuple.decimal(protocol_field, protocol) || protocol > 255)
        return {TupleError::Protocol, 5};
    out.protocol = static_cast<std::uint8_t>(protocol);
    if (!read_direction(tuple[6], out.direction))
        return {TupleError::Direction, 6};
    out.state = vnet_state(tuple[7].letter());
    if (out.state == FlowState::None)
        return {TupleError::State, 7};
    out.decision = out.state == FlowState::Deny ? Decision::Deny : Decision::Allow;
    const Field encryption = tuple[8];
    if (!read_encryption(encryption, out))
        return {TupleError::Encryption, 8};
    out.encryption_text =
        text.substr(static_cast<std::size_t>(encryption.data - text.data()), encryption.size);
    return read_counters(tuple, out);
}

} // namespace

std::string_view describe(TupleError error) {
    static constexpr std::array<std::string_view, 12> kPhrases = {
        "no problem",
        "longer than 512 bytes",
        "the wrong number of fields",
        "not a time (decimal digits, up to 9999-12-31)",
        "not an IPv4 or IPv6 address",
        "not a port number (0 to 65535)",
        "not a protocol (a number from 0 to 255 in VNet flow logs, T or U in NSG flow logs)",
        "not a direction (I or O)",
        "not a decision (A or D)",
        "not a flow state (B, C or E; D too in VNet flow logs)",
        "not an encryption status (capital letters, digits and underscores)",
        "not a counter (decimal digits; the four counters all given or all empty)",
    };
    return kPhrases[static_cast<std::size_t>(error)];
}

std::string_view field_name(Format format, std::size_t field) {
    static constexpr std::array<std::string_view, 13> kNsg = {
        "time",          "source address",   "destination address",
        "source port",   "destination port", "protocol",
        "direction",     "decision",         "flow state",
        "packets sent",  "bytes sent",       "packets received",
        "bytes received"};
    static constexpr std::array<std::string_view, 13> kVnet = {
        "time",       "source address",   "destination address", "source port", "destination port",
        "protocol",   "direction",        "flow state",          "encryption",  "packets sent",
        "bytes sent", "packets received", "bytes received"};
    const std::size_t count = format == Format::NsgV1 ? 8 : 13;
    if (field >= count)
        return "field";
    return format == Format::Vnet ? kVnet[field] : kNsg[field];
}

TupleProblem parse_padded_tuple(std::string_view text, Format format, FlowTuple& out) {
    if (text.size() > kMaxTupleBytes)
        return {TupleError::TooLong, 0};
    const std::size_t expected = format == Format::NsgV1 ? 8 : 13;
    const Tuple tuple(text, expected);
    if (tuple.fields() != expected)
        return {TupleError::FieldCount, static_cast<std::uint8_t>(std::min(tuple.fields(), expected) - 1)};
    if (TupleProblem problem = read_endpoints(tuple, format, out))
        return problem;
    return format == Format::Vnet ? read_vnet(tuple, text, out) : read_nsg(tuple, format, out);
}

TupleProblem parse_tuple(std::string_view text, Format format, FlowTuple& out) {
    if (text.size() > kMaxTupleBytes)
        return {TupleError::TooLong, 0};
    char padded[kMaxTupleBytes + kTupleSlack] = {};
    std::memcpy(padded, text.data(), text.size());
    const std::string_view copy(padded, text.size());
    out.encryption_text = {};
    const TupleProblem problem = parse_padded_tuple(copy, format, out);
    // The encryption text must view the caller's bytes, not this copy.
    if (!out.encryption_text.empty())
        out.encryption_text = text.substr(static_cast<std::size_t>(out.encryption_text.data() - padded),
                                          out.encryption_text.size());
    return problem;
}

} // namespace ztnet::flows
