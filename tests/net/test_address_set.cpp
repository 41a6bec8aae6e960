// AddressRange and AddressSet: CIDR decomposition (exact and minimal), range parsing, set algebra with
// the two families kept apart, per-family complement, and the top of the IPv4 and IPv6 domains.
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/net/address_range.h"
#include "ztnet/net/address_set.h"

namespace ztnet::net {
namespace {

static_assert(std::is_trivially_copyable_v<AddressRange>);

Address address(const char* text) {
    return Address::parse(text).value();
}
Prefix prefix(const char* text) {
    return Prefix::parse(text).value();
}
AddressRange range(const char* text) {
    return AddressRange::parse(text).value();
}

std::vector<std::string> texts(const std::vector<Prefix>& prefixes) {
    std::vector<std::string> out;
    for (const Prefix& p : prefixes)
        out.push_back(p.to_string());
    return out;
}

using Strings = std::vector<std::string>;

TEST(Cidr, DecomposesRangesIntoTheFewestBlocks) {
    EXPECT_EQ(texts(range("10.0.0.1-10.0.0.6").to_prefixes()),
              (Strings{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"}));
    EXPECT_EQ(texts(range("10.0.0.0-10.0.0.255").to_prefixes()), (Strings{"10.0.0.0/24"}));
    EXPECT_EQ(texts(range("10.0.0.7").to_prefixes()), (Strings{"10.0.0.7/32"}));
    EXPECT_EQ(texts(range("0.0.0.0-255.255.255.255").to_prefixes()), (Strings{"0.0.0.0/0"}));
    EXPECT_EQ(texts(range("255.255.255.254-255.255.255.255").to_prefixes()), (Strings{"255.255.255.254/31"}));
    EXPECT_EQ(texts(range("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").to_prefixes()), (Strings{"::/0"}));
    EXPECT_EQ(texts(range("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").to_prefixes()).size(), 128u);
    EXPECT_EQ(texts(range("0.0.0.1-255.255.255.255").to_prefixes()).size(), 32u);
    EXPECT_EQ(texts(range("0.0.0.0-255.255.255.254").to_prefixes()).size(), 32u);
    EXPECT_EQ(texts(range("fd00::-fd00::ff").to_prefixes()), (Strings{"fd00::/120"}));
}

// Random ranges: the blocks are aligned, contiguous, cover exactly the range, and no two neighbours are
// halves of one bigger aligned block (which would make the decomposition non-minimal).
TEST(Cidr, RandomRangesDecomposeExactly) {
    std::mt19937_64 rng(31337u);
    for (int round = 0; round < 5000; ++round) {
        const Family family = round % 2 == 0 ? Family::V4 : Family::V6;
        const int width = family_width(family);
        auto draw = [&]() -> u128 {
            u128 v = family == Family::V4 ? u128{rng() & 0xFFFFFFFFu} : make_u128(rng(), rng());
            // Bias towards values with long runs of zero or one bits, where blocks are large.
            const int cut = static_cast<int>(rng() % static_cast<std::uint64_t>(width));
            switch (rng() % 3) {
            case 0:
                v &= ~low_bits_mask(cut);
                break;
            case 1:
                v |= low_bits_mask(cut);
                break;
            default:
                break;
            }
            return v;
        };
        u128 lo = draw();
        u128 hi = draw();
        if (lo > hi)
            std::swap(lo, hi);
        std::vector<Prefix> blocks;
        append_cidr_blocks(family, lo, hi, blocks);
        ASSERT_FALSE(blocks.empty());
        u128 next = lo;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            const Prefix& b = blocks[i];
            ASSERT_EQ(b.family(), family);
            ASSERT_FALSE(b.had_host_bits());
            ASSERT_EQ(b.first().value(), next);
            if (i + 1 < blocks.size()) {
                next = b.last().value() + 1;
                const Prefix& c = blocks[i + 1];
                if (c.length() == b.length() && b.length() > 0) {
                    const Prefix parent = Prefix::from(b.network(), b.length() - 1);
                    ASSERT_FALSE(parent.contains(c)) << b << " and " << c << " should have been one block";
                }
            }
        }
        ASSERT_EQ(blocks.back().last().value(), hi);
    }
}

TEST(AddressRange, ParsesAndValidates) {
    const AddressRange r = range("10.0.0.1-10.0.0.9");
    EXPECT_EQ(r.first(), address("10.0.0.1"));
    EXPECT_EQ(r.last(), address("10.0.0.9"));
    EXPECT_EQ(r.size(), u128{9});
    EXPECT_TRUE(r.contains(address("10.0.0.5")));
    EXPECT_FALSE(r.contains(address("10.0.0.10")));
    EXPECT_FALSE(r.contains(Address::v6(0x0A000005u)));
    EXPECT_TRUE(r.contains(range("10.0.0.2-10.0.0.3")));
    EXPECT_EQ(r.to_string(), "10.0.0.1-10.0.0.9");
    EXPECT_EQ(range("fd00::1").to_string(), "fd00::1");
    EXPECT_EQ(AddressRange::from(prefix("10.0.0.0/30")), range("10.0.0.0-10.0.0.3"));
    EXPECT_EQ(range("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").size(), kU128Max); // saturates

    const char* invalid[] = {
        "",          "10.0.0.9-10.0.0.1",   "10.0.0.1-::1", "10.0.0.1-",
        "-10.0.0.1", "10.0.0.1 - 10.0.0.2", "10.0.0.0/24",  "10.0.0.1-10.0.0.2-10.0.0.3"};
    for (const char* text : invalid) {
        Result<AddressRange> parsed = AddressRange::parse(text);
        ASSERT_FALSE(parsed.ok()) << text;
        EXPECT_EQ(parsed.error().message.rfind("expected an address range like 10.0.0.1-10.0.0.9, got '", 0),
                  0u)
            << parsed.error().message;
    }
    EXPECT_EQ(AddressRange::parse("10.0.0.1-10.0.0.x").error().offset, 16u);

    EXPECT_TRUE(AddressRange::make(address("10.0.0.1"), address("10.0.0.1")).ok());
    EXPECT_FALSE(AddressRange::make(address("10.0.0.2"), address("10.0.0.1")).ok());
    Result<AddressRange> mixed = AddressRange::make(address("10.0.0.1"), address("::1"));
    ASSERT_FALSE(mixed.ok());
    EXPECT_EQ(mixed.error().message,
              "an address range needs both ends in one family, got 10.0.0.1 (IPv4) and ::1 (IPv6)");
}

TEST(AddressSet, FamiliesNeverMatchEachOther) {
    const AddressSet ten = AddressSet::from(prefix("10.0.0.0/8"));
    EXPECT_TRUE(ten.contains(address("10.1.2.3")));
    EXPECT_FALSE(ten.contains(address("::ffff:10.1.2.3")));
    EXPECT_FALSE(ten.contains(Address::v6(0x0A010203u)));
    EXPECT_FALSE(ten.overlaps(AddressSet::all(Family::V6)));
    EXPECT_TRUE(ten.intersect(AddressSet::all(Family::V6)).empty());

    const AddressSet v6_values = AddressSet::from(range("::-::ffff:ffff"));
    EXPECT_FALSE(v6_values.contains(address("10.0.0.1")));
    EXPECT_FALSE(v6_values.overlaps(AddressSet::all(Family::V4)));
}

TEST(AddressSet, AnyNoneAndComplementPerFamily) {
    const AddressSet any = AddressSet::any();
    EXPECT_TRUE(any.full());
    EXPECT_TRUE(any.contains(address("0.0.0.0")));
    EXPECT_TRUE(any.contains(address("255.255.255.255")));
    EXPECT_TRUE(any.contains(address("::")));
    EXPECT_TRUE(any.contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    EXPECT_EQ(any.to_string(), "0.0.0.0/0, ::/0");
    EXPECT_TRUE(AddressSet::none().empty());
    EXPECT_EQ(AddressSet().to_string(), "(none)");
    EXPECT_EQ(any.complement(), AddressSet());
    EXPECT_EQ(AddressSet().complement(), any);
    EXPECT_EQ(AddressSet::all(Family::V4).complement(), AddressSet::all(Family::V6));
    EXPECT_EQ(AddressSet::all(Family::V4).unite(AddressSet::all(Family::V6)), any);
    EXPECT_FALSE(AddressSet::all(Family::V4).full());

    // The IPv4 complement stays inside 0..0xFFFFFFFF.
    const AddressSet top = AddressSet::from(address("255.255.255.255"));
    const AddressSet rest = top.complement();
    ASSERT_EQ(rest.v4().intervals().size(), 1u);
    EXPECT_EQ(rest.v4().intervals()[0].lo, u128{0});
    EXPECT_EQ(rest.v4().intervals()[0].hi, u128{0xFFFFFFFEu});
    EXPECT_TRUE(rest.v6().full());
    EXPECT_EQ(rest.complement(), top);
    EXPECT_EQ(rest.unite(top), any);

    EXPECT_EQ(
        AddressSet::from(prefix("10.0.0.0/8"))
            .complement()
            .intersect(AddressSet::all(Family::V4))
            .to_string(),
        "0.0.0.0/5, 8.0.0.0/7, 11.0.0.0/8, 12.0.0.0/6, 16.0.0.0/4, 32.0.0.0/3, 64.0.0.0/2, 128.0.0.0/1");
    const AddressSet top_v6 = AddressSet::from(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    EXPECT_EQ(top_v6.complement().complement(), top_v6);
    EXPECT_TRUE(top_v6.complement().contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
    EXPECT_FALSE(top_v6.complement().contains(address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
}

TEST(AddressSet, AlgebraOnPrivateRanges) {
    const Prefix rfc1918[] = {prefix("10.0.0.0/8"), prefix("172.16.0.0/12"), prefix("192.168.0.0/16")};
    const AddressSet private_space = AddressSet::from_prefixes(rfc1918);
    AddressSet built;
    for (const Prefix& p : rfc1918)
        built.insert(p);
    EXPECT_EQ(private_space, built);
    EXPECT_EQ(private_space.hash(), built.hash());
    EXPECT_EQ(private_space.to_string(), "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16");

    const AddressSet vnet = AddressSet::from(prefix("10.1.0.0/16"));
    EXPECT_TRUE(private_space.contains(vnet));
    EXPECT_FALSE(vnet.contains(private_space));
    EXPECT_TRUE(private_space.overlaps(vnet));
    EXPECT_EQ(private_space.intersect(vnet), vnet);
    EXPECT_EQ(private_space.subtract(vnet).to_string(),
              "10.0.0.0/16, 10.2.0.0/15, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, 10.64.0.0/10, "
              "10.128.0.0/9, 172.16.0.0/12, 192.168.0.0/16");
    EXPECT_EQ(private_space.subtract(vnet).unite(vnet), private_space);

    AddressSet mixed = AddressSet::from(prefix("fd00::/8"));
    mixed.insert(address("168.63.129.16"));
    mixed.insert(range("10.0.0.1-10.0.0.6"));
    EXPECT_EQ(mixed.to_string(),
              "10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32, 168.63.129.16/32, fd00::/8");
    EXPECT_EQ(AddressSet::from_prefixes(mixed.to_prefixes()), mixed);
    EXPECT_TRUE(mixed.contains(address("fd12::1")));
    EXPECT_FALSE(mixed.contains(address("fe00::")));
    EXPECT_LT(AddressSet(), mixed);
}

} // namespace
} // namespace ztnet::net
