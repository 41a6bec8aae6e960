// Prefix: accepted and rejected spellings, host bits (lenient and strict), containment, bounds at the
// top of each family, ordering, and a seeded round trip through to_string.
#include <random>
#include <string>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

#include "ztnet/net/prefix.h"

namespace ztnet::net {
namespace {

static_assert(std::is_trivially_copyable_v<Prefix>);
static_assert(sizeof(Prefix) == 24);

Prefix prefix(const char* text) {
    Result<Prefix> parsed = Prefix::parse(text);
    EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    return parsed.ok() ? *parsed : Prefix();
}

Address address(const char* text) {
    return Address::parse(text).value();
}

struct Valid {
    const char* text;
    const char* normalised;
    int length;
    bool host_bits;
};

TEST(Prefix, ParsesValidSpellings) {
    const Valid cases[] = {
        {"10.0.0.0/24", "10.0.0.0/24", 24, false},
        {"10.0.0.5/24", "10.0.0.0/24", 24, true},
        {"10.0.0.5", "10.0.0.5/32", 32, false},
        {"0.0.0.0/0", "0.0.0.0/0", 0, false},
        {"255.255.255.255/0", "0.0.0.0/0", 0, true},
        {"255.255.255.255/32", "255.255.255.255/32", 32, false},
        {"255.255.255.255/31", "255.255.255.254/31", 31, true},
        {"172.16.0.0/12", "172.16.0.0/12", 12, false},
        {"172.31.255.255/12", "172.16.0.0/12", 12, true},
        {"100.64.0.0/10", "100.64.0.0/10", 10, false},
        {"::/0", "::/0", 0, false},
        {"fd00::/8", "fd00::/8", 8, false},
        {"fd12:3456::1/64", "fd12:3456::/64", 64, true},
        {"::1", "::1/128", 128, false},
        {"2001:db8::/128", "2001:db8::/128", 128, false},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", 127,
         true},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1", "8000::/1", 1, true},
        {"::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104", 104, false},
        {"2001:DB8:0:0:8:800:200C:417A/64", "2001:db8::/64", 64, true},
    };
    for (const Valid& c : cases) {
        Result<Prefix> parsed = Prefix::parse(c.text);
        ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().message;
        EXPECT_EQ(parsed->to_string(), c.normalised) << c.text;
        EXPECT_EQ(parsed->length(), c.length) << c.text;
        EXPECT_EQ(parsed->had_host_bits(), c.host_bits) << c.text;
        EXPECT_EQ(Prefix::parse(parsed->to_string()).value(), *parsed) << c.text;
    }
}

struct Invalid {
    const char* text;
    const char* reason;
    std::size_t offset;
};

TEST(Prefix, RejectsInvalidSpellings) {
    const Invalid cases[] = {
        {"", "the text is empty", 0},
        {"/8", "missing address before '/'", 0},
        {"10.0.0.0/", "missing prefix length after '/'", 9},
        {"10.0.0.0/33", "prefix length must be 0-32 for IPv4", 9},
        {"10.0.0.0/999999999999", "prefix length must be 0-32 for IPv4", 9},
        {"::/129", "prefix length must be 0-128 for IPv6", 3},
        {"10.0.0.0/+8", "without a sign", 9},
        {"10.0.0.0/-1", "without a sign", 9},
        {"+10.0.0.0/8", "unexpected character '+'", 0},
        {"10.0.0.0/08", "leading zero", 9},
        {"::/00", "leading zero", 3},
        {"10.0.0.0/8/8", "unexpected character '/'", 10},
        {"10.0.0.0 /8", "unexpected character a space", 8},
        {"10.0.0.0/ 8", "unexpected character a space", 9},
        {"10.0.0.0/8 ", "unexpected character a space", 10},
        {"10.0.0.0/24a", "unexpected character 'a'", 11},
        {"10.0.0.0/0x8", "unexpected character 'x'", 10},
        {"010.0.0.0/8", "leading zero", 0},
        {"10.0.0/8", "expected 4 dot-separated octets, got 3", 6},
        {"10.0.0.256/24", "out of range", 7},
        {"fe80::/10%eth0", "unexpected character '%'", 9},
        {"fe80::%eth0/10", "zone ids", 6},
        {"*", "unexpected character '*'", 0},
        {"VirtualNetwork", "unexpected character 'V'", 0},
    };
    for (const Invalid& c : cases) {
        Result<Prefix> parsed = Prefix::parse(c.text);
        ASSERT_FALSE(parsed.ok()) << c.text << " parsed as " << parsed.value();
        const Error& error = parsed.error();
        EXPECT_EQ(error.message.rfind("expected an IPv4 or IPv6 prefix like 10.0.0.0/16, got '", 0), 0u)
            << error.message;
        EXPECT_NE(error.message.find(c.reason), std::string::npos) << c.text << ": " << error.message;
        EXPECT_EQ(error.offset, c.offset) << c.text << ": " << error.message;
    }
}

TEST(Prefix, ErrorMessageSaysWhatWasExpected) {
    Result<Prefix> parsed = Prefix::parse("10.0.0.0/33");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().message,
              "expected an IPv4 or IPv6 prefix like 10.0.0.0/16, got '10.0.0.0/33': prefix "
              "length must be 0-32 for IPv4");
}

TEST(Prefix, StrictParsingRejectsHostBits) {
    EXPECT_TRUE(Prefix::parse_strict("10.0.0.0/24").ok());
    EXPECT_TRUE(Prefix::parse_strict("10.0.0.5").ok()); // a bare address is its own /32
    EXPECT_TRUE(Prefix::parse_strict("fd00::/8").ok());
    Result<Prefix> strict = Prefix::parse_strict("10.0.0.5/24");
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(
        strict.error().message,
        "expected an IPv4 or IPv6 prefix with no host bits set like 10.0.0.0/16, got '10.0.0.5/24': host "
        "bits are set beyond /24 (the network is 10.0.0.0/24)");
    EXPECT_FALSE(Prefix::parse_strict("fd00::1/64").ok());
    // Other errors pass through unchanged.
    EXPECT_NE(Prefix::parse_strict("10.0.0.0/33").error().message.find("0-32 for IPv4"), std::string::npos);
}

TEST(Prefix, BoundsAndContainment) {
    const Prefix net = prefix("10.0.0.0/24");
    EXPECT_EQ(net.first(), address("10.0.0.0"));
    EXPECT_EQ(net.network(), address("10.0.0.0"));
    EXPECT_EQ(net.last(), address("10.0.0.255"));
    EXPECT_TRUE(net.contains(address("10.0.0.128")));
    EXPECT_TRUE(net.contains(address("10.0.0.255")));
    EXPECT_FALSE(net.contains(address("10.0.1.0")));
    EXPECT_FALSE(net.contains(address("9.255.255.255")));
    EXPECT_FALSE(net.contains(address("::ffff:10.0.0.1")));
    EXPECT_FALSE(net.contains(Address::v6(0x0A000001u))); // same value, other family
    EXPECT_TRUE(net.contains(prefix("10.0.0.128/25")));
    EXPECT_TRUE(net.contains(net));
    EXPECT_FALSE(net.contains(prefix("10.0.0.0/23")));
    EXPECT_TRUE(net.overlaps(prefix("10.0.0.0/8")));
    EXPECT_FALSE(net.overlaps(prefix("10.0.1.0/24")));

    const Prefix all_v4 = prefix("0.0.0.0/0");
    EXPECT_EQ(all_v4.last(), address("255.255.255.255")); // stays within 32 bits
    EXPECT_EQ(all_v4.last().value(), u128{0xFFFFFFFFu});
    EXPECT_TRUE(all_v4.contains(address("255.255.255.255")));
    EXPECT_FALSE(all_v4.contains(address("::")));

    const Prefix all_v6 = prefix("::/0");
    EXPECT_EQ(all_v6.last().value(), kU128Max);
    EXPECT_TRUE(all_v6.contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    EXPECT_FALSE(all_v6.contains(address("0.0.0.0")));
    EXPECT_FALSE(all_v6.contains(all_v4));

    const Prefix top = prefix("255.255.255.255/32");
    EXPECT_EQ(top.first(), top.last());
    EXPECT_EQ(top.host_mask(), u128{0});
}

TEST(Prefix, FromAddressAndLength) {
    const Prefix p = Prefix::from(address("192.168.1.77"), 16);
    EXPECT_EQ(p.to_string(), "192.168.0.0/16");
    EXPECT_TRUE(p.had_host_bits());
    EXPECT_EQ(Prefix::host(address("fd00::1")).to_string(), "fd00::1/128");
    EXPECT_EQ(Prefix::from(address("fd00::1"), 0).to_string(), "::/0");
    EXPECT_EQ(Prefix().to_string(), "0.0.0.0/32");
}

TEST(Prefix, EqualityIgnoresHostBitProvenance) {
    const Prefix written_with_host_bits = prefix("10.0.0.5/24");
    const Prefix written_clean = prefix("10.0.0.0/24");
    EXPECT_EQ(written_with_host_bits, written_clean);
    EXPECT_EQ(written_with_host_bits.hash(), written_clean.hash());
    EXPECT_NE(prefix("10.0.0.0/24"), prefix("10.0.0.0/25"));
    EXPECT_NE(prefix("0.0.0.0/0"), prefix("::/0"));
}

TEST(Prefix, OrdersByFamilyNetworkThenLength) {
    EXPECT_LT(prefix("10.0.0.0/8"), prefix("10.0.0.0/24"));
    EXPECT_LT(prefix("10.0.0.0/24"), prefix("10.0.1.0/24"));
    EXPECT_LT(prefix("255.255.255.255/32"), prefix("::/0"));
    std::unordered_set<Prefix> set{prefix("10.0.0.0/8"), prefix("10.1.2.3/8"), prefix("::/0")};
    EXPECT_EQ(set.size(), 2u);
}

TEST(Prefix, RandomPrefixesRoundTripThroughText) {
    std::mt19937_64 rng(4242u);
    for (int round = 0; round < 20000; ++round) {
        const bool v6 = round % 2 == 1;
        const u128 value = v6 ? make_u128(rng(), rng()) : u128{rng() & 0xFFFFFFFFu};
        const Address base = v6 ? Address::v6(value) : Address::v4(static_cast<std::uint32_t>(value));
        const int length =
            static_cast<int>(rng() % static_cast<std::uint64_t>(family_width(base.family()) + 1));
        const Prefix p = Prefix::from(base, length);
        ASSERT_TRUE(p.contains(base));
        ASSERT_LE(p.first(), base);
        ASSERT_GE(p.last(), base);
        Result<Prefix> back = Prefix::parse_strict(p.to_string());
        ASSERT_TRUE(back.ok()) << p << ": " << back.error().message;
        ASSERT_EQ(*back, p);
        // Writing the base address with the length gives the same block, flagged as having host bits
        // exactly when the base had bits beyond the length.
        Result<Prefix> lenient = Prefix::parse(base.to_string() + "/" + std::to_string(length));
        ASSERT_TRUE(lenient.ok());
        ASSERT_EQ(*lenient, p);
        ASSERT_EQ(lenient->had_host_bits(), p.network() != base);
    }
}

} // namespace
} // namespace ztnet::net
