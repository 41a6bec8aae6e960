// The in-memory conversation table against std::map, the obviously right reference: random keys
// that differ in one field at a time, IPv4 and IPv6, many times each, through several growths and
// clears.
#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include "ztnet/flows/store/conversation.h"

namespace ztnet::flows::store {
namespace {

auto as_tuple(const ConversationKey& k) {
    return std::tuple(k.bucket_ms, k.source.is_v4(), k.source.value(), k.destination.is_v4(),
                      k.destination.value(), k.destination_port, k.protocol, k.direction, k.decision,
                      k.resource, k.acl, k.rule, k.mac, k.encryption);
}

struct KeyLess {
    bool operator()(const ConversationKey& a, const ConversationKey& b) const {
        return as_tuple(a) < as_tuple(b);
    }
};

// Keys from small ranges, so that the same key comes back often and near keys differ in one field.
ConversationKey random_key(std::mt19937_64& rng) {
    const auto pick = [&](std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
    };
    ConversationKey key;
    key.bucket_ms = static_cast<std::int64_t>(pick(3)) * 3'600'000;
    const std::uint64_t host = pick(40);
    // The same low bits in both families: a v4 and a v6 address must not be taken for each other.
    key.source = pick(4) == 0 ? net::Address::v6(net::make_u128(0x20010db800000000ULL, host))
                              : net::Address::v4(0x0a000000u + static_cast<std::uint32_t>(host));
    key.destination = net::Address::v4(0x0a000100u + static_cast<std::uint32_t>(pick(5)));
    key.destination_port = static_cast<std::uint16_t>(pick(3) * 443);
    key.protocol = pick(2) == 0 ? 6 : 17;
    key.direction = pick(2) == 0 ? net::Direction::Inbound : net::Direction::Outbound;
    key.decision = pick(2) == 0 ? Decision::Allow : Decision::Deny;
    key.resource = static_cast<TextPool::Id>(pick(2));
    key.acl = static_cast<TextPool::Id>(pick(2));
    key.rule = static_cast<TextPool::Id>(pick(3));
    key.mac = static_cast<TextPool::Id>(pick(2));
    key.encryption = static_cast<TextPool::Id>(pick(2));
    return key;
}

TEST(ConversationMap, SumsAsAnOrderedMapDoes) {
    std::mt19937_64 rng(11);
    ConversationMap table;
    for (int round = 0; round < 3; ++round) {
        std::map<ConversationKey, std::uint64_t, KeyLess> reference;
        std::vector<ConversationKey> order; // first appearance
        for (int i = 0; i < 200'000; ++i) {
            const ConversationKey key = random_key(rng);
            const std::uint64_t bytes = rng() % 1000;
            auto [at, added] = reference.try_emplace(key, 0);
            at->second += bytes;
            if (added)
                order.push_back(key);
            table[key].counters.bytes_sent += bytes;
            table[key].tuples += 1;
        }
        ASSERT_EQ(table.size(), reference.size());
        ASSERT_GT(table.size(), 10'000u); // grown many times
        std::size_t i = 0;
        for (const auto& [key, totals] : table) {
            ASSERT_TRUE(key == order[i]) << "entries keep the order keys first came in";
            EXPECT_EQ(totals.counters.bytes_sent, reference.at(key));
            ++i;
        }
        table.clear();
        EXPECT_TRUE(table.empty());
        EXPECT_EQ(table.begin(), table.end());
    }
}

TEST(ConversationMap, TellsTheFamiliesApart) {
    ConversationMap table;
    ConversationKey v4;
    v4.source = net::Address::v4(1);
    ConversationKey v6 = v4;
    v6.source = net::Address::v6(net::make_u128(0, 1));
    table[v4].tuples = 1;
    table[v6].tuples = 2;
    EXPECT_EQ(table.size(), 2u);
    EXPECT_EQ(table[v4].tuples, 1u);
    EXPECT_EQ(table[v6].tuples, 2u);
}

// Sums of parts of a run of tuples, added together, are the sums of the run: what lets a blob read
// ahead be summed apart and joined to a chunk whole.
TEST(AddTotals, PartsAddUpToTheWhole) {
    std::mt19937_64 rng(5);
    for (int round = 0; round < 200; ++round) {
        std::vector<FlowTuple> tuples(1 + rng() % 40);
        for (FlowTuple& t : tuples) {
            t.time_ms = static_cast<std::int64_t>(1'663'146'000'000 + rng() % 3'600'000);
            t.state = static_cast<FlowState>(rng() % 5);
            // Now and then a counter near the top, so that sums saturate.
            const std::uint64_t top = rng() % 8 == 0 ? kMaxStored - rng() % 1000 : rng() % 100000;
            t.counters = {rng() % 100, top, rng() % 100, rng() % 100000};
        }
        ConversationTotals whole;
        for (const FlowTuple& t : tuples)
            add_tuple(whole, t);
        ConversationTotals joined;
        for (std::size_t at = 0; at < tuples.size();) {
            const std::size_t end = std::min(tuples.size(), at + 1 + rng() % 7);
            ConversationTotals part;
            for (; at < end; ++at)
                add_tuple(part, tuples[at]);
            add_totals(joined, part);
        }
        add_totals(joined, ConversationTotals{}); // nothing adds nothing
        EXPECT_EQ(joined.tuples, whole.tuples);
        EXPECT_EQ(joined.flows_begun, whole.flows_begun);
        EXPECT_EQ(joined.counters, whole.counters);
        EXPECT_EQ(joined.first_seen_ms, whole.first_seen_ms);
        EXPECT_EQ(joined.last_seen_ms, whole.last_seen_ms);
    }
}

// Keys name texts by their id in the pool, and a context's texts are looked at again only when the
// tuple's context changes; a reader's next call may reuse a context's memory for other texts.
TEST(ConversationKeys, InternTheContextAndEncryptionTexts) {
    TextPool texts;
    ConversationKeys keys(texts, 3'600'000);
    FlowContext context;
    context.resource_id = "/FLOWLOGS/FL";
    context.acl_id = "acl-1";
    context.rule = "AllowWeb";
    context.mac = "00224871C205";
    FlowTuple tuple;
    tuple.time_ms = 1'663'146'003'606;
    tuple.context = &context;
    tuple.encryption_text = "NX";
    keys.start_call();
    const ConversationKey first = keys.key(tuple);
    EXPECT_EQ(first.bucket_ms, 1'663'146'000'000);
    EXPECT_EQ(texts.text(first.rule), "AllowWeb");
    EXPECT_EQ(texts.text(first.mac), "00224871C205");
    EXPECT_EQ(texts.text(first.encryption), "NX");
    context.rule = "DenyAll"; // the same context object, another record
    keys.start_call();
    const ConversationKey second = keys.key(tuple);
    EXPECT_EQ(texts.text(second.rule), "DenyAll");
    EXPECT_EQ(second.resource, first.resource);
    tuple.encryption_text = {};
    EXPECT_EQ(texts.text(keys.key(tuple).encryption), "");
}

} // namespace
} // namespace ztnet::flows::store
