// Rule lists: the sweep over interval bounds against a plain scan of every rule's address set, on
// hand-made rules and on random ones, at every interval bound and next to it, in both families.
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/reach/rule_lists.h"

namespace ztnet::reach {
namespace {

using policy::ResolvedRule;
using Side = RuleLists::Side;

net::Address ip(std::string_view text) {
    auto address = net::Address::parse(text);
    EXPECT_TRUE(address.ok()) << text;
    return address.ok() ? *address : net::Address();
}

net::AddressSet prefix(std::string_view text) {
    auto p = net::Prefix::parse(text);
    EXPECT_TRUE(p.ok()) << text;
    return p.ok() ? net::AddressSet::from(*p) : net::AddressSet();
}

ResolvedRule rule(net::AddressSet sources, net::AddressSet destinations) {
    ResolvedRule r;
    r.sources = std::move(sources);
    r.destinations = std::move(destinations);
    return r;
}

std::vector<std::uint32_t> scan(const std::vector<ResolvedRule>& rules, Side side, const net::Address& a) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
        const net::AddressSet& set = side == Side::Source ? rules[r].sources : rules[r].destinations;
        if (set.contains(a))
            out.push_back(r);
    }
    return out;
}

TEST(RuleLists, ListsTheRulesWhoseSideHoldsTheAddress) {
    std::vector<ResolvedRule> rules{
        rule(prefix("10.0.0.0/8"), prefix("10.1.0.0/16")),
        rule(prefix("10.1.2.0/24"), net::AddressSet::any()),
        rule(net::AddressSet::any(), prefix("fd00::/64")),
    };
    RuleLists lists(rules);
    auto sources_of = [&](std::string_view a) { return lists.list(lists.list_of(Side::Source, ip(a))); };
    auto destinations_of = [&](std::string_view a) {
        return lists.list(lists.list_of(Side::Destination, ip(a)));
    };
    EXPECT_EQ(sources_of("10.1.2.3"), (std::vector<std::uint32_t>{0, 1, 2}));
    EXPECT_EQ(sources_of("10.1.3.3"), (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(sources_of("192.0.2.1"), (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(sources_of("fd00::1"), (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(destinations_of("10.1.255.255"), (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(destinations_of("10.2.0.0"), (std::vector<std::uint32_t>{1}));
    EXPECT_EQ(destinations_of("fd00::ffff"), (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(destinations_of("fd00:0:0:1::"), (std::vector<std::uint32_t>{1}));
    // Equal lists share an id, across families too.
    EXPECT_EQ(lists.list_of(Side::Source, ip("192.0.2.1")), lists.list_of(Side::Source, ip("fd00::1")));
}

TEST(RuleLists, AgreesWithAScanOnRandomRules) {
    std::mt19937_64 random(20261125);
    auto random_set = [&](net::Family family) {
        net::AddressSet set;
        int pieces = static_cast<int>(random() % 4);
        for (int i = 0; i < pieces; ++i) {
            int bits = family == net::Family::V4 ? 32 : 128;
            int length = static_cast<int>(random() % static_cast<unsigned>(bits + 1));
            net::u128 value = (static_cast<net::u128>(random()) << 64 | random()) & net::family_max(family);
            auto p = net::Prefix::from(net::Address::from_value(family, value), length);
            set = set.unite(net::AddressSet::from(p));
        }
        return set;
    };
    for (int round = 0; round < 200; ++round) {
        std::vector<ResolvedRule> rules;
        int count = 1 + static_cast<int>(random() % 12);
        for (int r = 0; r < count; ++r) {
            rules.push_back(rule(random_set(net::Family::V4).unite(random_set(net::Family::V6)),
                                 random_set(net::Family::V4).unite(random_set(net::Family::V6))));
        }
        RuleLists lists(rules);
        // Every interval bound, one below it and one above it: where lists change.
        std::vector<net::Address> probes;
        for (const ResolvedRule& r : rules) {
            for (const net::AddressSet* set : {&r.sources, &r.destinations}) {
                for (net::Family family : {net::Family::V4, net::Family::V6}) {
                    for (const auto& iv : set->of(family).intervals()) {
                        for (net::u128 v : {iv.lo, iv.hi}) {
                            probes.push_back(net::Address::from_value(family, v));
                            if (v > 0)
                                probes.push_back(net::Address::from_value(family, v - 1));
                            if (v < net::family_max(family))
                                probes.push_back(net::Address::from_value(family, v + 1));
                        }
                    }
                }
            }
        }
        probes.push_back(net::Address::v4(0));
        probes.push_back(net::Address::from_value(net::Family::V6, net::family_max(net::Family::V6)));
        for (const net::Address& a : probes) {
            for (Side side : {Side::Source, Side::Destination})
                ASSERT_EQ(lists.list(lists.list_of(side, a)), scan(rules, side, a))
                    << "round " << round << ", " << a.to_string();
        }
    }
}

} // namespace
} // namespace ztnet::reach
