// IntervalSet: unit cases, a seeded differential test of every operation against std::bitset<256>, and
// the edges of the u16 and u128 domains (no overflow at the top value).
#include <bitset>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/net/interval_set.h"
#include "ztnet/net/uint128.h"

namespace ztnet::net {
namespace {

using Set8 = IntervalSet<std::uint8_t>;
using Set16 = IntervalSet<std::uint16_t>;
using Set128 = IntervalSet<u128>;
using Bits = std::bitset<256>;

// The representation invariant: sorted, lo <= hi, disjoint and never adjacent.
template <class T>
::testing::AssertionResult canonical(const IntervalSet<T>& set) {
    const auto intervals = set.intervals();
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        if (intervals[i].lo > intervals[i].hi)
            return ::testing::AssertionFailure() << "inverted interval in " << set;
        if (i > 0 && !(intervals[i - 1].hi < intervals[i].lo && intervals[i].lo - intervals[i - 1].hi > 1))
            return ::testing::AssertionFailure() << "overlapping or adjacent intervals in " << set;
    }
    return ::testing::AssertionSuccess();
}

Bits to_bits(const Set8& set) {
    Bits bits;
    for (const auto& iv : set.intervals()) {
        for (unsigned v = iv.lo; v <= iv.hi; ++v)
            bits.set(v);
    }
    return bits;
}

TEST(IntervalSet, FactoriesAndQueries) {
    EXPECT_TRUE(Set8().empty());
    EXPECT_TRUE(Set8::none().empty());
    EXPECT_EQ(Set8::none().size(), 0u);
    EXPECT_TRUE(Set8::all().full());
    EXPECT_EQ(Set8::all().size(), 256u);
    EXPECT_EQ(Set16::all().size(), 65536u);
    EXPECT_FALSE(Set8::all().empty());
    EXPECT_FALSE(Set8::range(0, 254).full());
    EXPECT_FALSE(Set8::range(1, 255).full());

    const Set8 five = Set8::single(5);
    EXPECT_TRUE(five.contains(std::uint8_t{5}));
    EXPECT_FALSE(five.contains(std::uint8_t{4}));
    EXPECT_FALSE(five.contains(std::uint8_t{6}));
    EXPECT_EQ(five.size(), 1u);

    const Set8 r = Set8::range(10, 20);
    EXPECT_FALSE(r.contains(std::uint8_t{9}));
    EXPECT_TRUE(r.contains(std::uint8_t{10}));
    EXPECT_TRUE(r.contains(std::uint8_t{20}));
    EXPECT_FALSE(r.contains(std::uint8_t{21}));
    EXPECT_EQ(r.size(), 11u);
    EXPECT_EQ(r.to_string(), "{10-20}");
    EXPECT_EQ(Set8().to_string(), "{}");
}

TEST(IntervalSet, InsertCoalescesOverlappingAndAdjacentIntervals) {
    Set8 s;
    s.insert(10, 20);
    s.insert(30, 40);
    EXPECT_EQ(s.intervals().size(), 2u);
    s.insert(21); // touches the first interval only
    EXPECT_EQ(s.to_string(), "{10-21, 30-40}");
    s.insert(29); // touches the second only
    EXPECT_EQ(s.to_string(), "{10-21, 29-40}");
    s.insert(22, 28); // bridges both
    EXPECT_EQ(s.to_string(), "{10-40}");
    s.insert(0, 3);
    s.insert(250, 255);
    s.insert(5, 5);
    EXPECT_EQ(s.to_string(), "{0-3, 5, 10-40, 250-255}");
    s.insert(4); // joins 0-3 and 5
    EXPECT_EQ(s.to_string(), "{0-5, 10-40, 250-255}");
    s.insert(1, 254); // swallows everything in between
    EXPECT_TRUE(s.full());
    EXPECT_TRUE(canonical(s));
}

TEST(IntervalSet, InsertInsideAndAroundExistingIntervals) {
    Set8 s = Set8::range(10, 20);
    s.insert(12, 15);
    EXPECT_EQ(s.to_string(), "{10-20}");
    s.insert(5, 25);
    EXPECT_EQ(s.to_string(), "{5-25}");
    s.insert(100, 110);
    s.insert(50, 60);
    s.insert(70, 80);
    EXPECT_EQ(s.to_string(), "{5-25, 50-60, 70-80, 100-110}");
    s.insert(55, 105);
    EXPECT_EQ(s.to_string(), "{5-25, 50-110}");
}

TEST(IntervalSet, FromIntervalsSortsAndCoalesces) {
    const Set8 s = Set8::from_intervals({{200, 255}, {3, 4}, {0, 2}, {10, 30}, {20, 40}, {41, 41}});
    EXPECT_EQ(s.to_string(), "{0-4, 10-41, 200-255}");
    EXPECT_TRUE(Set8::from_intervals({}).empty());
}

TEST(IntervalSet, AlgebraOnSmallCases) {
    const Set8 a = Set8::from_intervals({{0, 10}, {20, 30}});
    const Set8 b = Set8::from_intervals({{5, 25}, {255, 255}});
    EXPECT_EQ(a.unite(b).to_string(), "{0-30, 255}");
    EXPECT_EQ(a.intersect(b).to_string(), "{5-10, 20-25}");
    EXPECT_EQ(a.subtract(b).to_string(), "{0-4, 26-30}");
    EXPECT_EQ(b.subtract(a).to_string(), "{11-19, 255}");
    EXPECT_EQ(a.complement().to_string(), "{11-19, 31-255}");
    EXPECT_EQ(b.complement().to_string(), "{0-4, 26-254}");
    EXPECT_TRUE(a.overlaps(b));
    EXPECT_FALSE(a.contains(b));
    EXPECT_TRUE(a.unite(b).contains(a));
    EXPECT_TRUE(a.contains(Set8()));
    EXPECT_TRUE(Set8().contains(Set8()));
    EXPECT_FALSE(Set8().overlaps(Set8::all()));
    EXPECT_EQ(Set8().complement(), Set8::all());
    EXPECT_EQ(Set8::all().complement(), Set8());
}

// A subset test must see that a single interval of `other` spanning a gap is not contained.
TEST(IntervalSet, SubsetRejectsIntervalsSpanningAGap) {
    const Set8 holes = Set8::from_intervals({{0, 10}, {12, 20}});
    EXPECT_FALSE(holes.contains(Set8::range(5, 15)));
    EXPECT_TRUE(holes.contains(Set8::from_intervals({{0, 3}, {12, 12}, {20, 20}})));
    EXPECT_FALSE(holes.contains(Set8::range(20, 21)));
}

TEST(IntervalSet, EqualityOrderingAndHashFollowTheValues) {
    Set8 built;
    built.insert(3, 4);
    built.insert(0, 2);
    EXPECT_EQ(built, Set8::range(0, 4));
    EXPECT_EQ(built.hash(), Set8::range(0, 4).hash());
    EXPECT_NE(built, Set8::range(0, 5));
    EXPECT_LT(Set8::range(0, 4), Set8::range(0, 5));
    EXPECT_LT(Set8(), Set8::single(0));
}

struct Operands {
    Set8 set;
    Bits bits;
};

// Random sets with a varied shape: a few wide runs, many points, or both.
Operands random_operands(std::mt19937& rng) {
    Operands out;
    std::uniform_int_distribution<int> count(0, 12);
    std::uniform_int_distribution<int> value(0, 255);
    std::uniform_int_distribution<int> width_kind(0, 3);
    const int n = count(rng);
    for (int i = 0; i < n; ++i) {
        const int lo = value(rng);
        int width = 0;
        switch (width_kind(rng)) {
        case 0:
            width = 0;
            break;
        case 1:
            width = value(rng) % 4;
            break;
        case 2:
            width = value(rng) % 40;
            break;
        default:
            width = value(rng);
            break;
        }
        const int hi = std::min(255, lo + width);
        out.set.insert(static_cast<std::uint8_t>(lo), static_cast<std::uint8_t>(hi));
        for (int v = lo; v <= hi; ++v)
            out.bits.set(static_cast<std::size_t>(v));
    }
    return out;
}

TEST(IntervalSet, DifferentialAgainstBitsetReference) {
    std::mt19937 rng(20240601u);
    for (int round = 0; round < 3000; ++round) {
        const Operands a = random_operands(rng);
        const Operands b = random_operands(rng);
        ASSERT_TRUE(canonical(a.set));
        ASSERT_EQ(to_bits(a.set), a.bits) << a.set;

        const Set8 u = a.set.unite(b.set);
        const Set8 i = a.set.intersect(b.set);
        const Set8 d = a.set.subtract(b.set);
        const Set8 c = a.set.complement();
        for (const Set8* s : {&u, &i, &d, &c})
            ASSERT_TRUE(canonical(*s));
        ASSERT_EQ(to_bits(u), a.bits | b.bits) << a.set << " | " << b.set;
        ASSERT_EQ(to_bits(i), a.bits & b.bits) << a.set << " & " << b.set;
        ASSERT_EQ(to_bits(d), a.bits & ~b.bits) << a.set << " - " << b.set;
        ASSERT_EQ(to_bits(c), ~a.bits) << "~" << a.set;

        ASSERT_EQ(a.set.size(), a.bits.count());
        ASSERT_EQ(a.set.empty(), a.bits.none());
        ASSERT_EQ(a.set.full(), a.bits.all());
        ASSERT_EQ(a.set.contains(b.set), (b.bits & ~a.bits).none()) << a.set << " >= " << b.set;
        ASSERT_EQ(a.set.overlaps(b.set), (a.bits & b.bits).any()) << a.set << " overlaps " << b.set;
        ASSERT_EQ(a.set == b.set, a.bits == b.bits);
        for (unsigned v = 0; v < 256; ++v)
            ASSERT_EQ(a.set.contains(static_cast<std::uint8_t>(v)), a.bits.test(v))
                << a.set << " value " << v;

        // Building the same values from the raw intervals in shuffled order gives the same set.
        std::vector<Interval<std::uint8_t>> pieces(a.set.intervals().begin(), a.set.intervals().end());
        std::shuffle(pieces.begin(), pieces.end(), rng);
        ASSERT_EQ(Set8::from_intervals(pieces), a.set);
    }
}

TEST(IntervalSet, U16TopOfDomain) {
    Set16 s = Set16::range(65000, 65534);
    s.insert(65535);
    EXPECT_EQ(s.intervals().size(), 1u);
    EXPECT_EQ(s.size(), 536u);
    EXPECT_EQ(s.complement(), Set16::range(0, 64999));
    EXPECT_EQ(Set16::single(65535).complement(), Set16::range(0, 65534));
    EXPECT_EQ(Set16::single(0).complement(), Set16::range(1, 65535));
    EXPECT_EQ(Set16::all().subtract(Set16::single(65535)), Set16::range(0, 65534));
}

TEST(IntervalSet, U128TopOfDomainDoesNotOverflow) {
    constexpr u128 kMax = kU128Max;
    EXPECT_EQ(Set128::kMax, kMax);
    EXPECT_TRUE(Set128::all().full());
    // 2^128 values cannot be counted in a u128: the full domain saturates, one fewer is exact.
    EXPECT_EQ(Set128::all().size(), kMax);
    EXPECT_EQ(Set128::range(0, kMax - 1).size(), kMax);
    EXPECT_EQ(Set128::range(1, kMax).size(), kMax);
    EXPECT_FALSE(Set128::range(1, kMax).full());

    Set128 top = Set128::single(kMax);
    EXPECT_TRUE(top.contains(kMax));
    EXPECT_FALSE(top.contains(kMax - 1));
    EXPECT_EQ(top.complement(), Set128::range(0, kMax - 1));
    EXPECT_EQ(Set128::range(0, kMax - 1).complement(), top);
    top.insert(0, kMax - 1);
    EXPECT_TRUE(top.full());

    Set128 near = Set128::range(kMax - 10, kMax - 5);
    near.insert(kMax - 4, kMax); // adjacent at the very top
    EXPECT_EQ(near, Set128::range(kMax - 10, kMax));
    EXPECT_EQ(Set128::all().subtract(near), Set128::range(0, kMax - 11));
    EXPECT_EQ(near.unite(Set128::range(0, kMax - 11)), Set128::all());
    EXPECT_EQ(near.intersect(Set128::range(kMax - 1, kMax)), Set128::range(kMax - 1, kMax));
    EXPECT_TRUE(Set128::all().contains(near));

    // Across the 64-bit boundary, where the halves of a u128 meet.
    const u128 two64 = u128{1} << 64;
    const Set128 across = Set128::range(two64 - 2, two64 + 1);
    EXPECT_EQ(across.size(), u128{4});
    EXPECT_TRUE(across.contains(two64 - 1));
    EXPECT_TRUE(across.contains(two64));
    EXPECT_EQ(across.subtract(Set128::single(two64)).intervals().size(), 2u);
    EXPECT_EQ(u128_to_string(two64), "18446744073709551616");
    EXPECT_EQ(u128_to_string(kMax), "340282366920938463463374607431768211455");
    EXPECT_EQ(u128_to_hex(kMax), "0xffffffffffffffffffffffffffffffff");
    EXPECT_EQ(u128_to_hex(0), "0x0");
    EXPECT_EQ(u128_to_string(0), "0");

    // The IPv4 top, 0xFFFFFFFF, inside the u128 domain.
    const Set128 v4_all = Set128::range(0, 0xFFFFFFFFu);
    EXPECT_EQ(v4_all.size(), u128{1} << 32);
    EXPECT_EQ(v4_all.complement(), Set128::range(u128{1} << 32, kMax));
}

} // namespace
} // namespace ztnet::net
