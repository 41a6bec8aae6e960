// Address: every accepted and rejected spelling, RFC 5952 output, ordering and hashing, and a seeded
// differential test against the C library's inet_pton/inet_ntop.
#include <arpa/inet.h>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

#include "ztnet/net/address.h"

namespace ztnet::net {
namespace {

static_assert(std::is_trivially_copyable_v<Address>);
static_assert(sizeof(Address) == 24);

u128 v6(std::uint64_t hi, std::uint64_t lo) {
    return make_u128(hi, lo);
}

struct Valid {
    const char* text;
    Address expected;
    const char* canonical;
};

TEST(Address, ParsesValidIpv4) {
    const Valid cases[] = {
        {"0.0.0.0", Address::v4(0), "0.0.0.0"},
        {"255.255.255.255", Address::v4(0xFFFFFFFFu), "255.255.255.255"},
        {"10.0.0.1", Address::v4(0x0A000001u), "10.0.0.1"},
        {"192.168.100.200", Address::v4(0xC0A864C8u), "192.168.100.200"},
        {"168.63.129.16", Address::v4(0xA83F8110u), "168.63.129.16"},
        {"1.2.3.4", Address::v4(0x01020304u), "1.2.3.4"},
        {"100.64.0.0", Address::v4(0x64400000u), "100.64.0.0"},
        {"0.10.100.0", Address::v4(0x000A6400u), "0.10.100.0"},
    };
    for (const Valid& c : cases) {
        Result<Address> parsed = Address::parse(c.text);
        ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().message;
        EXPECT_EQ(*parsed, c.expected) << c.text;
        EXPECT_TRUE(parsed->is_v4());
        EXPECT_EQ(parsed->to_string(), c.canonical);
    }
}

TEST(Address, ParsesValidIpv6InEveryRfc4291Form) {
    const Valid cases[] = {
        {"::", Address::v6(0), "::"},
        {"::1", Address::v6(1), "::1"},
        {"1::", Address::v6(v6(0x0001000000000000, 0)), "1::"},
        {"2001:db8::1", Address::v6(v6(0x20010db800000000, 1)), "2001:db8::1"},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", Address::v6(v6(0x20010db800000000, 1)), "2001:db8::1"},
        {"2001:DB8::1", Address::v6(v6(0x20010db800000000, 1)), "2001:db8::1"},
        {"1:2:3:4:5:6:7:8", Address::v6(v6(0x0001000200030004, 0x0005000600070008)), "1:2:3:4:5:6:7:8"},
        {"1:2:3:4:5:6:7::", Address::v6(v6(0x0001000200030004, 0x0005000600070000)), "1:2:3:4:5:6:7:0"},
        {"::2:3:4:5:6:7:8", Address::v6(v6(0x0000000200030004, 0x0005000600070008)), "0:2:3:4:5:6:7:8"},
        {"1::8", Address::v6(v6(0x0001000000000000, 8)), "1::8"},
        {"0:0:0:0:0:0:0:0", Address::v6(0), "::"},
        {"0000::", Address::v6(0), "::"},
        {"::0:0", Address::v6(0), "::"},
        {"fe80::1", Address::v6(v6(0xfe80000000000000, 1)), "fe80::1"},
        {"FFFF:ffff:FFFF:ffff:FFFF:ffff:FFFF:ffff", Address::v6(kU128Max),
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        // Longest zero run wins; the first one on a tie; a lone zero group stays "0".
        {"2001:db8:0:0:1:0:0:1", Address::v6(v6(0x20010db800000000, 0x0001000000000001)),
         "2001:db8::1:0:0:1"},
        {"2001:0:0:1:0:0:0:1", Address::v6(v6(0x2001000000000001, 0x0000000000000001)), "2001:0:0:1::1"},
        {"2001:db8:0:1:1:1:1:1", Address::v6(v6(0x20010db800000001, 0x0001000100010001)),
         "2001:db8:0:1:1:1:1:1"},
        // Embedded IPv4.
        {"::ffff:10.0.0.1", Address::v6(v6(0, 0x0000ffff0a000001)), "::ffff:10.0.0.1"},
        {"::ffff:a00:1", Address::v6(v6(0, 0x0000ffff0a000001)), "::ffff:10.0.0.1"},
        {"::FFFF:0:0", Address::v6(v6(0, 0x0000ffff00000000)), "::ffff:0.0.0.0"},
        {"::10.0.0.1", Address::v6(0x0a000001), "::a00:1"},
        {"1:2:3:4:5:6:1.2.3.4", Address::v6(v6(0x0001000200030004, 0x0005000601020304)),
         "1:2:3:4:5:6:102:304"},
        {"64:ff9b::192.0.2.33", Address::v6(v6(0x0064ff9b00000000, 0xc0000221)), "64:ff9b::c000:221"},
        {"::0.0.0.0", Address::v6(0), "::"},
    };
    for (const Valid& c : cases) {
        Result<Address> parsed = Address::parse(c.text);
        ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().message;
        EXPECT_EQ(*parsed, c.expected) << c.text;
        EXPECT_TRUE(parsed->is_v6());
        EXPECT_EQ(parsed->to_string(), c.canonical) << c.text;
    }
}

struct Invalid {
    const char* text;
    const char* reason; // a fragment the message must contain
    std::size_t offset;
};

TEST(Address, RejectsInvalidIpv4WithAReason) {
    const Invalid cases[] = {
        {"", "the text is empty", 0},
        {"1.2.3", "expected 4 dot-separated octets, got 3", 5},
        {"1.2.3.4.5", "too many octets", 7},
        {"010.1.1.1", "leading zero", 0},
        {"1.2.3.04", "leading zero", 6},
        {"00.0.0.0", "leading zero", 0},
        {"256.1.1.1", "octet '256' is out of range 0-255", 0},
        {"1.2.3.999", "out of range", 6},
        {"1.2.3.99999999999999999999", "out of range", 6},
        {"1..2.3", "empty octet", 2},
        {".1.2.3", "empty octet", 0},
        {"1.2.3.", "missing octet", 6},
        {" 1.2.3.4", "unexpected character a space", 0},
        {"1.2.3.4 ", "unexpected character a space", 7},
        {"+1.2.3.4", "unexpected character '+'", 0},
        {"1.2.3.-4", "unexpected character '-'", 6},
        {"1.2.3.4/32", "a prefix length is not allowed", 7},
        {"0x1.2.3.4", "unexpected character 'x'", 1},
        {"1.2.3.4a", "unexpected character 'a'", 7},
        {"a.b.c.d", "unexpected character 'a'", 0},
        {"1,2,3,4", "unexpected character ','", 1},
        {"1.2.3.4\n", "byte \\x0a", 7},
        {"\xef\xbc\x91.2.3.4", "byte \\xef", 0},
        {"localhost", "unexpected character 'l'", 0},
    };
    for (const Invalid& c : cases) {
        Result<Address> parsed = Address::parse(c.text);
        ASSERT_FALSE(parsed.ok()) << c.text << " parsed as " << parsed.value();
        const Error& error = parsed.error();
        EXPECT_EQ(error.message.rfind("expected an IPv4 or IPv6 address like 10.0.0.1 or fd00::1, got '", 0),
                  0u)
            << error.message;
        EXPECT_NE(error.message.find(c.reason), std::string::npos) << c.text << ": " << error.message;
        EXPECT_EQ(error.offset, c.offset) << c.text << ": " << error.message;
    }
}

TEST(Address, RejectsInvalidIpv6WithAReason) {
    const Invalid cases[] = {
        {":", "cannot start with a single ':'", 0},
        {":::", "':::' is never valid", 2},
        {"1:::2", "':::' is never valid", 3},
        {"1::2::3", "'::' may appear only once", 4},
        {":1::2", "cannot start with a single ':'", 0},
        {"1:2:3:4:5:6:7:8:9", "too many groups", 16},
        {"1:2:3:4:5:6:7", "expected 8 groups, got 7", 13},
        {"1:2:3:4:5:6:7:8::", "'::' must stand for at least one zero group", 15},
        {"::1:2:3:4:5:6:7:8", "'::' must stand for at least one zero group", 0},
        {"1:2:3:4::5:6:7:8", "'::' must stand for at least one zero group", 7},
        {"12345::", "more than 4 hex digits", 0},
        {"00000::1", "more than 4 hex digits", 0},
        {"g::", "unexpected character 'g'", 0},
        {"fe80::1%eth0", "zone ids", 7},
        {"fe80::1%1", "zone ids", 7},
        {"[::1]", "brackets", 0},
        {"::ffff:1.2.3", "expected 4 dot-separated octets", 12},
        {"::ffff:256.1.1.1", "out of range", 7},
        {"::ffff:010.1.1.1", "leading zero", 7},
        {"1.2.3.4::", "embedded IPv4 address must come last", 0},
        {"::1.2.3.4:5", "embedded IPv4 address must come last", 2},
        {"1:2:3:4:5:6:7:1.2.3.4", "at most 6", 14},
        {"::1.2.3.4.5", "too many octets", 9},
        {"1:", "cannot end with a single ':'", 1},
        {"1:2:3:4:5:6:7:8:", "cannot end with a single ':'", 15},
        {" ::1", "unexpected character a space", 0},
        {"::1 ", "unexpected character a space", 3},
        {"::-1", "unexpected character '-'", 2},
        {"::+1", "unexpected character '+'", 2},
        {"::1/128", "a prefix length is not allowed", 3},
        {"1:2:3:4:5:6:7:8:1.2.3.4", "too many groups", 16},
    };
    for (const Invalid& c : cases) {
        Result<Address> parsed = Address::parse(c.text);
        ASSERT_FALSE(parsed.ok()) << c.text << " parsed as " << parsed.value();
        EXPECT_NE(parsed.error().message.find(c.reason), std::string::npos)
            << c.text << ": " << parsed.error().message;
        EXPECT_EQ(parsed.error().offset, c.offset) << c.text << ": " << parsed.error().message;
    }
}

TEST(Address, ErrorMessagesQuoteTheInputSafely) {
    Result<Address> parsed = Address::parse("010.1.1.1");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message,
              "expected an IPv4 or IPv6 address like 10.0.0.1 or fd00::1, got '010.1.1.1': octet '010' has a "
              "leading zero, which is ambiguous (some tools read it as octal)");
    const std::string long_text(200, '9');
    Result<Address> long_parsed = Address::parse(long_text);
    ASSERT_FALSE(long_parsed.ok());
    EXPECT_NE(long_parsed.error().message.find(std::string(64, '9') + "...'"), std::string::npos);
    EXPECT_LT(long_parsed.error().message.size(), 300u);
}

TEST(Address, FamiliesStayDistinct) {
    const Address v4 = Address::v4(0x0A000001u);
    const Address same_value_v6 = Address::v6(0x0A000001u);
    const Address mapped = Address::parse("::ffff:10.0.0.1").value();
    EXPECT_NE(v4, same_value_v6);
    EXPECT_NE(v4, mapped);
    EXPECT_EQ(v4.value(), same_value_v6.value());
    EXPECT_EQ(family_width(Family::V4), 32);
    EXPECT_EQ(family_width(Family::V6), 128);
    EXPECT_EQ(family_max(Family::V4), u128{0xFFFFFFFFu});
    EXPECT_EQ(family_name(Family::V6), "IPv6");
    EXPECT_EQ(Address::from_value(Family::V4, 5), Address::v4(5));
    EXPECT_EQ(Address(), Address::v4(0));
}

TEST(Address, OrdersByFamilyThenValueAndHashes) {
    const Address a = Address::v4(1);
    const Address b = Address::v4(0xFFFFFFFFu);
    const Address c = Address::v6(0);
    const Address d = Address::v6(make_u128(1, 0));
    EXPECT_LT(a, b);
    EXPECT_LT(b, c); // every IPv4 address sorts before every IPv6 address
    EXPECT_LT(c, d);
    EXPECT_LT(Address::v6(make_u128(0, ~0ULL)), d); // high half compared first
    std::unordered_set<Address> set{a, b, c, d, Address::v4(1)};
    EXPECT_EQ(set.size(), 4u);
    EXPECT_TRUE(set.contains(Address::v6(0)));
    EXPECT_NE(Address::v4(5).hash(), Address::v6(5).hash());
}

// --- differential against the C library ---

std::string group_text(std::uint16_t group, bool pad, bool upper) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, pad ? (upper ? "%04X" : "%04x") : (upper ? "%X" : "%x"), group);
    return buffer;
}

// One spelling of the address in `groups`: padded or not, upper or lower case, optionally with one
// run of zero groups (not necessarily the longest) compressed, optionally with an IPv4 tail.
std::string spell(const std::array<std::uint16_t, 8>& groups, std::mt19937& rng) {
    std::uniform_int_distribution<int> coin(0, 1);
    const bool pad = coin(rng) == 1;
    const bool upper = coin(rng) == 1 && coin(rng) == 1;
    const bool v4_tail = coin(rng) == 1 && coin(rng) == 1;
    const int group_count = v4_tail ? 6 : 8;
    // Pick a random zero run among the groups that are spelled in hex.
    int run_start = -1;
    int run_length = 0;
    if (coin(rng) == 1) {
        std::vector<std::pair<int, int>> runs;
        for (int i = 0; i < group_count;) {
            if (groups[static_cast<std::size_t>(i)] != 0) {
                ++i;
                continue;
            }
            int j = i;
            while (j < group_count && groups[static_cast<std::size_t>(j)] == 0)
                ++j;
            runs.emplace_back(i, j - i);
            i = j;
        }
        if (!runs.empty()) {
            const auto& run = runs[std::uniform_int_distribution<std::size_t>(0, runs.size() - 1)(rng)];
            run_start = run.first;
            run_length = std::uniform_int_distribution<int>(1, run.second)(rng);
        }
    }
    std::string text;
    for (int i = 0; i < group_count;) {
        if (i == run_start) {
            text += "::";
            i += run_length;
            continue;
        }
        if (!text.empty() && text.back() != ':')
            text += ':';
        text += group_text(groups[static_cast<std::size_t>(i)], pad, upper);
        ++i;
    }
    if (v4_tail) {
        if (!text.empty() && text.back() != ':')
            text += ':';
        text += std::to_string(groups[6] >> 8) + "." + std::to_string(groups[6] & 0xFF) + "." +
                std::to_string(groups[7] >> 8) + "." + std::to_string(groups[7] & 0xFF);
    }
    return text;
}

std::array<std::uint16_t, 8> random_groups(std::mt19937& rng) {
    std::array<std::uint16_t, 8> groups{};
    std::uniform_int_distribution<int> kind(0, 5);
    std::uniform_int_distribution<int> any16(0, 0xFFFF);
    for (auto& g : groups) {
        const int k = kind(rng);
        g = static_cast<std::uint16_t>(k <= 2 ? 0 : (k == 3 ? any16(rng) & 0xF : any16(rng)));
    }
    if (kind(rng) == 0) { // IPv4-mapped now and then
        groups = {0, 0, 0, 0, 0, 0xFFFF, groups[6], groups[7]};
    }
    return groups;
}

u128 groups_value(const std::array<std::uint16_t, 8>& groups) {
    u128 value = 0;
    for (std::uint16_t g : groups)
        value = value << 16 | g;
    return value;
}

u128 bytes_value(const unsigned char* bytes, int size) {
    u128 value = 0;
    for (int i = 0; i < size; ++i)
        value = value << 8 | bytes[i];
    return value;
}

TEST(Address, DifferentialAgainstInetPtonAndNtop) {
    std::mt19937 rng(7u);
    for (int round = 0; round < 20000; ++round) {
        const std::array<std::uint16_t, 8> groups = random_groups(rng);
        const u128 value = groups_value(groups);
        const Address address = Address::v6(value);

        // Output: RFC 5952 text equals inet_ntop's, except below ::ffff:0:0 where glibc prints the
        // deprecated IPv4-compatible form "::a.b.c.d" and we print hex.
        if (!(u128_hi(value) == 0 && (u128_lo(value) >> 32) == 0)) {
            unsigned char bytes[16];
            for (int i = 0; i < 16; ++i)
                bytes[i] = static_cast<unsigned char>(value >> (8 * (15 - i)));
            char buffer[INET6_ADDRSTRLEN];
            ASSERT_NE(inet_ntop(AF_INET6, bytes, buffer, sizeof buffer), nullptr);
            ASSERT_EQ(address.to_string(), buffer);
        }

        // Input: every spelling parses to the value, and inet_pton agrees.
        const std::string text = spell(groups, rng);
        Result<Address> parsed = Address::parse(text);
        ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
        ASSERT_EQ(parsed->value(), value) << text;
        unsigned char bytes[16];
        ASSERT_EQ(inet_pton(AF_INET6, text.c_str(), bytes), 1) << text;
        ASSERT_EQ(bytes_value(bytes, 16), value) << text;
        ASSERT_EQ(Address::parse(address.to_string()).value(), address);
    }
}

// Random near-addresses (valid spellings with one character changed, and random strings over the
// address alphabet): we accept exactly what inet_pton accepts, with the same value.
TEST(Address, AcceptsExactlyWhatInetPtonAccepts) {
    std::mt19937 rng(99u);
    const std::string alphabet = "0123456789abcdefABCDEF:.::..g%/ ";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    int accepted = 0;
    for (int round = 0; round < 50000; ++round) {
        std::string text;
        if (round % 2 == 0) {
            const int length = std::uniform_int_distribution<int>(0, 16)(rng);
            for (int i = 0; i < length; ++i)
                text += alphabet[pick(rng)];
        } else {
            if (round % 4 == 1) {
                text = spell(random_groups(rng), rng);
            } else {
                std::uniform_int_distribution<int> octet(0, 255);
                text = std::to_string(octet(rng)) + "." + std::to_string(octet(rng)) + "." +
                       std::to_string(octet(rng)) + "." + std::to_string(octet(rng));
            }
            const std::size_t where = std::uniform_int_distribution<std::size_t>(0, text.size())(rng);
            switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
            case 0:
                text.insert(where, 1, alphabet[pick(rng)]);
                break;
            case 1:
                if (where < text.size())
                    text.erase(where, 1);
                break;
            default:
                if (where < text.size())
                    text[where] = alphabet[pick(rng)];
                break;
            }
        }
        const bool is_v6 = text.find(':') != std::string::npos;
        unsigned char bytes[16];
        const bool reference = inet_pton(is_v6 ? AF_INET6 : AF_INET, text.c_str(), bytes) == 1;
        Result<Address> parsed = Address::parse(text);
        ASSERT_EQ(parsed.ok(), reference)
            << "'" << text << "' " << (parsed.ok() ? parsed->to_string() : parsed.error().message);
        if (reference) {
            ++accepted;
            ASSERT_EQ(parsed->family(), is_v6 ? Family::V6 : Family::V4);
            ASSERT_EQ(parsed->value(), bytes_value(bytes, is_v6 ? 16 : 4)) << text;
        }
    }
    EXPECT_GT(accepted, 5000); // the mutations must exercise acceptance, not only rejection
}

} // namespace
} // namespace ztnet::net
