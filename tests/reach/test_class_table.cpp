// The pair table's rows as stored: distinct words once, a code per column in one, two or four
// bytes as the count of distinct words needs; decoding gives back every word.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/reach/reachability.h"

namespace ztnet::reach {
namespace {

// A row of `columns` words drawn from `distinct` values, runs of equal words among them.
std::vector<std::uint64_t> row_of(std::size_t columns, std::uint64_t distinct, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::vector<std::uint64_t> row(columns);
    for (std::size_t i = 0; i < columns; ++i) {
        const bool repeat = i > 0 && random() % 3 == 0;
        // Words as the table packs them: two tagged set ids, the high one often zero.
        row[i] = repeat ? row[i - 1] : (random() % distinct) * 0x100000001ULL;
    }
    for (std::uint64_t k = 0; k < distinct && k < columns; ++k)
        row[k] = k * 0x100000001ULL; // every value at least once
    return row;
}

void expect_round_trip(std::size_t columns, std::uint64_t distinct, unsigned width) {
    const std::vector<std::uint64_t> row = row_of(columns, distinct, columns * 31 + distinct);
    const ClassTable::StoredRow stored = ClassTable::StoredRow::encode(row);
    EXPECT_EQ(stored.width, width) << distinct << " distinct words";
    EXPECT_EQ(stored.words.size(), distinct);
    const ClassTable::Row decoded(stored);
    EXPECT_EQ(decoded.distinct().size(), distinct);
    for (std::uint32_t c = 0; c < columns; ++c)
        ASSERT_EQ(decoded[c], row[c]) << "column " << c << " of a row of " << distinct << " distinct words";
}

TEST(ClassTableRows, FewDistinctWordsTakeAByteAColumn) {
    expect_round_trip(1000, 1, 1);
    expect_round_trip(1000, 7, 1);
    expect_round_trip(5000, 256, 1);
}

TEST(ClassTableRows, MoreTakeTwoOrFourBytes) {
    expect_round_trip(5000, 257, 2);
    expect_round_trip(70000, 65536, 2);
    expect_round_trip(70000, 65537, 4);
}

TEST(ClassTableRows, AnEmptyRowHoldsNothing) {
    const ClassTable::StoredRow stored = ClassTable::StoredRow::encode({});
    EXPECT_TRUE(stored.words.empty());
    EXPECT_EQ(ClassTable::Row(stored).distinct().size(), 0U);
}

} // namespace
} // namespace ztnet::reach
