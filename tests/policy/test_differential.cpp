// The compiled classifier against the linear reference: random NSGs (fixed seed; up to a few hundred
// rules of prefixes, tag-sized and ASG-like address sets, port ranges and lists, every rule protocol, both
// directions), and over a million flows, most of them on or next to a rule boundary, each decided both
// ways. Any difference is a classifier bug.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_classifier.h"
#include "ztnet/policy/nsg_policy.h"

namespace ztnet::policy {
namespace {

using net::u128;

class Random {
  public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t next() { return engine_(); }
    // Uniform in [lo, hi].
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + next() % (hi - lo + 1); }
    bool chance(int percent) { return between(0, 99) < static_cast<std::uint64_t>(percent); }
    u128 wide() { return net::make_u128(next(), next()); }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[between(0, items.size() - 1)];
    }

  private:
    std::mt19937_64 engine_;
};

// The address neighbourhoods of one random NSG: rules and flows draw from the same few bases, so that
// rules overlap and flows land on them.
struct Universe {
    std::vector<net::Prefix> bases; // v4 and v6
    std::vector<net::AddressSet>
        tags; // tag-sized sets (many prefixes), Internet, a VNet tag, ASG-like host sets
    net::AddressSet virtual_network;
};

net::Prefix prefix_within(Random& random, const net::Prefix& base) {
    const int width = net::family_width(base.family());
    const int length = static_cast<int>(
        random.between(static_cast<std::uint64_t>(base.length()), static_cast<std::uint64_t>(width)));
    const u128 offset = random.wide() & base.host_mask();
    return net::Prefix::from(net::Address::from_value(base.family(), base.first().value() | offset), length);
}

net::Prefix parse_prefix(std::string_view text) {
    auto p = net::Prefix::parse(text);
    EXPECT_TRUE(p.ok()) << text;
    return p.ok() ? *p : net::Prefix();
}

Universe make_universe(Random& random) {
    Universe u;
    for (std::string_view text : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "20.50.0.0/16",
                                  "52.224.0.0/11", "0.0.0.0/0", "fd00::/8", "2603:1020::/32", "::/0"})
        u.bases.push_back(parse_prefix(text));
    // VNet: a few v4 and v6 blocks, plus the platform address.
    std::vector<net::Prefix> vnet;
    for (int i = 0; i < 3; ++i)
        vnet.push_back(
            net::Prefix::from(prefix_within(random, u.bases[0]).first(), 16 + static_cast<int>(i * 4)));
    vnet.push_back(net::Prefix::from(prefix_within(random, u.bases[6]).first(), 48));
    vnet.push_back(net::Prefix::host(azure_platform_address()));
    u.virtual_network = net::AddressSet::from_prefixes(vnet);
    u.tags.push_back(u.virtual_network);
    u.tags.push_back(internet_addresses());
    u.tags.push_back(net::AddressSet::from(azure_platform_address()));
    // Service-tag-like sets: many prefixes in Microsoft-like public space.
    for (int t = 0; t < 4; ++t) {
        std::vector<net::Prefix> blocks;
        const int count = static_cast<int>(random.between(5, 60));
        for (int i = 0; i < count; ++i)
            blocks.push_back(
                prefix_within(random, u.bases[random.chance(70) ? (random.chance(50) ? 3 : 4) : 7]));
        u.tags.push_back(net::AddressSet::from_prefixes(blocks));
    }
    // ASG-like sets: a handful of host addresses in one subnet.
    for (int a = 0; a < 4; ++a) {
        const net::Prefix subnet = net::Prefix::from(prefix_within(random, u.bases[0]).first(), 24);
        net::AddressSet hosts;
        const int count = static_cast<int>(random.between(1, 12));
        for (int i = 0; i < count; ++i)
            hosts.insert(net::Address::v4(static_cast<std::uint32_t>(subnet.first().value()) +
                                          static_cast<std::uint32_t>(random.between(4, 254))));
        u.tags.push_back(hosts);
    }
    return u;
}

net::AddressSet random_side(Random& random, const Universe& u) {
    const std::uint64_t kind = random.between(0, 99);
    if (kind < 12)
        return net::AddressSet::any();
    if (kind < 35)
        return random.pick(u.tags);
    net::AddressSet out;
    const int entries = random.chance(60) ? 1 : static_cast<int>(random.between(2, 6));
    for (int i = 0; i < entries; ++i) {
        const net::Prefix& base = u.bases[random.chance(75) ? random.between(0, 4) : random.between(6, 7)];
        out.insert(prefix_within(random, base));
    }
    return out;
}

std::uint16_t random_port(Random& random) {
    static const std::vector<std::uint16_t> kCommon{0,    1,    22,   53,   80,    443,
                                                    1024, 1433, 3389, 8080, 65534, 65535};
    return random.chance(50) ? random.pick(kCommon) : static_cast<std::uint16_t>(random.between(0, 65535));
}

net::PortSet random_ports(Random& random) {
    if (random.chance(40))
        return net::PortSet::all();
    net::PortSet out;
    const int entries = random.chance(60) ? 1 : static_cast<int>(random.between(2, 6));
    for (int i = 0; i < entries; ++i) {
        const std::uint16_t a = random_port(random);
        if (random.chance(50)) {
            out.insert(a);
        } else {
            const std::uint16_t b = random_port(random);
            out.insert(std::min(a, b), std::max(a, b));
        }
    }
    return out;
}

std::vector<ResolvedRule> random_rules(Random& random, const Universe& u, net::Direction direction,
                                       int count) {
    static const std::vector<std::string_view> kProtocols{"*",   "*",   "Tcp",  "Tcp", "Tcp",
                                                          "Udp", "Udp", "Icmp", "Esp", "Ah"};
    std::vector<ResolvedRule> rules;
    for (int i = 0; i < count; ++i) {
        ResolvedRule rule;
        rule.name = "r" + std::to_string(i);
        rule.priority = 100 + i;
        rule.custom_index = i;
        rule.access = random.chance(50) ? model::Access::Allow : model::Access::Deny;
        auto protocols = net::parse_nsg_protocol(random.pick(kProtocols));
        EXPECT_TRUE(protocols.ok());
        rule.protocols = *protocols;
        rule.sources = random_side(random, u);
        rule.destinations = random_side(random, u);
        rule.source_ports = random.chance(70) ? net::PortSet::all() : random_ports(random);
        rule.destination_ports = random_ports(random);
        if (random.chance(3))
            rule.sources = net::AddressSet(); // an inert rule (unresolvable side)
        rules.push_back(std::move(rule));
    }
    for (ResolvedRule& rule : default_rules(direction, u.virtual_network))
        rules.push_back(std::move(rule));
    return rules;
}

// Values on and next to every rule boundary, per family, for flows to use.
struct Boundaries {
    std::vector<net::Address> addresses[2]; // [v4, v6]
    std::vector<std::uint16_t> ports;
};

void add_address_edges(Boundaries& out, const net::AddressSet& set) {
    for (net::Family family : {net::Family::V4, net::Family::V6}) {
        std::vector<net::Address>& into = out.addresses[family == net::Family::V4 ? 0 : 1];
        const u128 max = net::family_max(family);
        for (const auto& iv : set.of(family).intervals()) {
            into.push_back(net::Address::from_value(family, iv.lo));
            into.push_back(net::Address::from_value(family, iv.hi));
            if (iv.lo > 0)
                into.push_back(net::Address::from_value(family, iv.lo - 1));
            if (iv.hi < max)
                into.push_back(net::Address::from_value(family, iv.hi + 1));
        }
    }
}

void add_port_edges(Boundaries& out, const net::PortSet& set) {
    for (const auto& iv : set.intervals()) {
        out.ports.push_back(iv.lo);
        out.ports.push_back(iv.hi);
        if (iv.lo > 0)
            out.ports.push_back(static_cast<std::uint16_t>(iv.lo - 1));
        if (iv.hi < 65535)
            out.ports.push_back(static_cast<std::uint16_t>(iv.hi + 1));
    }
}

Boundaries boundaries_of(const std::vector<ResolvedRule>& inbound,
                         const std::vector<ResolvedRule>& outbound) {
    Boundaries out;
    for (const auto* rules : {&inbound, &outbound}) {
        for (const ResolvedRule& rule : *rules) {
            for (const ResolvedRule* sets : {&rule, rule.narrowest.get()}) {
                if (!sets)
                    continue;
                add_address_edges(out, sets->sources);
                add_address_edges(out, sets->destinations);
                add_port_edges(out, sets->source_ports);
                add_port_edges(out, sets->destination_ports);
            }
        }
    }
    return out;
}

net::Address random_address(Random& random, const Boundaries& edges, net::Family family) {
    const std::vector<net::Address>& pool = edges.addresses[family == net::Family::V4 ? 0 : 1];
    if (!pool.empty() && random.chance(75))
        return random.pick(pool);
    return net::Address::from_value(family, random.wide() & net::family_max(family));
}

// A value on or next to an edge of `intervals` (or inside one), or nullopt for an empty set.
template <class T>
std::optional<T> near(Random& random, std::span<const net::Interval<T>> intervals, T max) {
    if (intervals.empty())
        return std::nullopt;
    const net::Interval<T>& iv = intervals[random.between(0, intervals.size() - 1)];
    // Mostly on or inside the edges (so that aimed flows often match), sometimes one past them.
    switch (random.between(0, 9)) {
    case 0:
        return iv.lo > 0 ? static_cast<T>(iv.lo - 1) : iv.lo;
    case 1:
        return iv.hi < max ? static_cast<T>(iv.hi + 1) : iv.hi;
    case 2:
    case 3:
        return iv.lo;
    case 4:
    case 5:
        return iv.hi;
    default: {
        const u128 span = static_cast<u128>(iv.hi - iv.lo);
        const u128 offset = span == net::kU128Max ? random.wide() : random.wide() % (span + 1);
        return static_cast<T>(iv.lo + static_cast<T>(offset));
    }
    }
}

net::Address near_address(Random& random, const net::AddressSet& set, net::Family family,
                          const Boundaries& edges) {
    if (auto v = near<u128>(random, set.of(family).intervals(), net::family_max(family)))
        return net::Address::from_value(family, *v);
    return random_address(random, edges, family);
}

// A flow aimed at one rule: every field on or next to that rule's edges, so it matches the rule or
// misses it by one value.
net::Flow aimed_flow(Random& random, const ResolvedRule& rule, const Boundaries& edges) {
    net::Flow f;
    f.protocol = near<std::uint8_t>(random, rule.protocols.intervals(), 255).value_or(6);
    net::Family family = random.chance(65) ? net::Family::V4 : net::Family::V6;
    if (rule.sources.of(family).empty() || rule.destinations.of(family).empty())
        family = family == net::Family::V4 ? net::Family::V6 : net::Family::V4;
    f.source = near_address(random, rule.sources, family, edges);
    f.destination = near_address(random, rule.destinations, family, edges);
    if (net::protocol_has_ports(f.protocol)) {
        f.source_port = near<std::uint16_t>(random, rule.source_ports.intervals(), 65535).value_or(0);
        f.destination_port =
            near<std::uint16_t>(random, rule.destination_ports.intervals(), 65535).value_or(0);
    }
    return f;
}

net::Flow random_flow(Random& random, const Boundaries& edges, const std::vector<ResolvedRule>& rules) {
    if (rules.size() > 3 && random.chance(60))
        return aimed_flow(random, rules[random.between(0, rules.size() - 4)], edges);
    static const std::vector<std::uint8_t> kProtocols{6, 6, 6, 17, 17, 1, 58, 50, 51, 47, 0, 255};
    net::Flow f;
    f.protocol =
        random.chance(95) ? random.pick(kProtocols) : static_cast<std::uint8_t>(random.between(0, 255));
    const net::Family family = random.chance(65) ? net::Family::V4 : net::Family::V6;
    const net::Family other =
        random.chance(5) ? (family == net::Family::V4 ? net::Family::V6 : net::Family::V4) : family;
    f.source = random_address(random, edges, family);
    f.destination = random_address(random, edges, other);
    if (net::protocol_has_ports(f.protocol)) {
        f.source_port =
            !edges.ports.empty() && random.chance(70) ? random.pick(edges.ports) : random_port(random);
        f.destination_port =
            !edges.ports.empty() && random.chance(70) ? random.pick(edges.ports) : random_port(random);
    } else if (random.chance(20)) {
        // Portless protocols ignore ports: odd values must not change the answer.
        f.source_port = random_port(random);
        f.destination_port = random_port(random);
    }
    return f;
}

TEST(Differential, CompiledAgreesWithLinearOnAMillionFlows) {
    Random random(0x5eed2024);
    constexpr std::size_t kTargetFlows = 1'050'000;
    std::size_t flows = 0;
    std::size_t nsgs = 0;
    std::size_t mismatches = 0;
    std::size_t decided_by_custom = 0;
    std::size_t allowed = 0;
    const auto start = std::chrono::steady_clock::now();
    while (flows < kTargetFlows) {
        const Universe universe = make_universe(random);
        // Mostly small NSGs, some large: up to 400 rules in a direction.
        auto count = [&] {
            return static_cast<int>(random.chance(80) ? random.between(0, 40) : random.between(41, 400));
        };
        std::vector<ResolvedRule> inbound = random_rules(random, universe, net::Direction::Inbound, count());
        std::vector<ResolvedRule> outbound =
            random_rules(random, universe, net::Direction::Outbound, count());
        const Boundaries edges = boundaries_of(inbound, outbound);
        const std::size_t rule_total = inbound.size() + outbound.size();
        CompiledNsg nsg = CompiledNsg::from_rules(std::move(inbound), std::move(outbound));
        ++nsgs;
        // Flows per NSG: fewer for big NSGs, whose linear scans cost more.
        const std::size_t per_nsg = rule_total > 200 ? 2000 : 6000;
        for (std::size_t i = 0; i < per_nsg; ++i, ++flows) {
            const net::Direction direction =
                random.chance(50) ? net::Direction::Inbound : net::Direction::Outbound;
            const net::Flow f = random_flow(random, edges, nsg.rules(direction));
            const NsgDecision fast = nsg.decide(direction, f);
            const NsgDecision slow = nsg.decide_linear(direction, f);
            if (fast.rule != slow.rule || fast.access != slow.access) {
                if (++mismatches <= 10)
                    ADD_FAILURE() << "NSG #" << nsgs << " " << net::direction_name(direction) << " " << f
                                  << ": compiled rule " << fast.rule << ", linear rule " << slow.rule;
            }
            ASSERT_LT(slow.rule, nsg.rules(direction).size()); // the defaults always decide at the latest
            decided_by_custom += nsg.rules(direction)[slow.rule].is_default ? 0 : 1;
            allowed += slow.access == model::Access::Allow ? 1 : 0;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(mismatches, 0u);
    EXPECT_GE(flows, 1'000'000u);
    // The sample is meaningful: custom rules decide a good share, and both answers occur.
    EXPECT_GT(decided_by_custom, flows / 4);
    EXPECT_GT(allowed, flows / 10);
    EXPECT_LT(allowed, flows - flows / 10);
    std::printf("%zu flows over %zu NSGs in %.1f s; %zu decided by custom rules, %zu allowed\n", flows, nsgs,
                seconds, decided_by_custom, allowed);
}

// Makes a random rule one the input cannot fully tell, in one of the ways a template leaves a rule
// open: a side or the ports from a parameter (perhaps beside known entries), the protocol, the access,
// or the priority or direction (then it may not be in this list at all).
void make_uncertain(ResolvedRule& rule, Random& random, const Universe& u) {
    ResolvedRule narrowest = rule;
    switch (random.between(0, 5)) {
    case 0:
        narrowest.sources = random.chance(50) ? net::AddressSet() : random_side(random, u);
        rule.sources = net::AddressSet::any();
        break;
    case 1:
        narrowest.destinations = random.chance(50) ? net::AddressSet() : random_side(random, u);
        rule.destinations = net::AddressSet::any();
        break;
    case 2:
        narrowest.destination_ports = random.chance(50) ? net::PortSet() : random_ports(random);
        rule.destination_ports = net::PortSet::all();
        break;
    case 3:
        narrowest.protocols = net::ProtocolSet();
        rule.protocols = net::ProtocolSet::all();
        break;
    case 4:
        rule.access_unknown = true;
        break;
    default:
        narrowest.protocols = net::ProtocolSet();
        break;
    }
    // The narrowest reading never matches more than the widest.
    narrowest.sources = narrowest.sources.intersect(rule.sources);
    narrowest.destinations = narrowest.destinations.intersect(rule.destinations);
    narrowest.destination_ports = narrowest.destination_ports.intersect(rule.destination_ports);
    rule.unknown = "a parameter has no value";
    rule.narrowest = std::make_shared<const ResolvedRule>(std::move(narrowest));
}

// The classifier's two readings against the linear scan that collects every access a rule may give
// up to the first rule that surely matches: the same access, the same undecidable flows, and the same
// deciding rules.
TEST(Differential, UncertainRulesAgreeWithTheThreeValuedScan) {
    Random random(0x0dd5eed);
    std::size_t flows = 0;
    std::size_t mismatches = 0;
    std::size_t undecidable = 0;
    std::size_t allowed = 0;
    for (int n = 0; n < 120; ++n) {
        const Universe universe = make_universe(random);
        std::vector<ResolvedRule> lists[2];
        for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound}) {
            std::vector<ResolvedRule>& rules = lists[direction == net::Direction::Inbound ? 0 : 1];
            rules = random_rules(random, universe, direction, static_cast<int>(random.between(1, 40)));
            for (ResolvedRule& rule : rules)
                if (!rule.is_default && random.chance(20))
                    make_uncertain(rule, random, universe);
        }
        const Boundaries edges = boundaries_of(lists[0], lists[1]);
        CompiledNsg nsg = CompiledNsg::from_rules(std::move(lists[0]), std::move(lists[1]));
        for (int i = 0; i < 2500; ++i, ++flows) {
            const net::Direction direction =
                random.chance(50) ? net::Direction::Inbound : net::Direction::Outbound;
            const net::Flow f = random_flow(random, edges, nsg.rules(direction));
            const NsgDecision fast = nsg.decide(direction, f);
            const NsgDecision slow = nsg.decide_linear(direction, f);
            const bool same = fast.access == slow.access && fast.undecidable == slow.undecidable &&
                              fast.rule == slow.rule &&
                              (!fast.undecidable || fast.permissive_rule == slow.permissive_rule);
            if (!same && ++mismatches <= 10)
                ADD_FAILURE() << "NSG #" << n << " " << net::direction_name(direction) << " " << f
                              << ": compiled " << (fast.undecidable ? "undecidable" : "decided") << " rule "
                              << fast.rule << "/" << fast.permissive_rule << ", linear "
                              << (slow.undecidable ? "undecidable" : "decided") << " rule " << slow.rule
                              << "/" << slow.permissive_rule;
            undecidable += slow.undecidable ? 1 : 0;
            allowed += slow.access == model::Access::Allow ? 1 : 0;
        }
    }
    EXPECT_EQ(mismatches, 0u);
    // All three outcomes occur often enough to mean something.
    EXPECT_GT(undecidable, flows / 20);
    EXPECT_GT(allowed, flows / 20);
    EXPECT_GT(flows - allowed - undecidable, flows / 20);
    std::printf("%zu flows: %zu undecidable, %zu allowed\n", flows, undecidable, allowed);
}

TEST(Differential, FourThousandRulesStayWithinMemory) {
    Random random(0xb16);
    const Universe universe = make_universe(random);
    const std::vector<ResolvedRule> rules = random_rules(random, universe, net::Direction::Inbound, 4000);
    const detail::RuleClassifier classifier = detail::RuleClassifier::build(rules);
    EXPECT_EQ(classifier.rule_count(), 4003u);
    // 64 words of bits per pooled bitset plus the bucket tables: a few MiB, far below the cap.
    EXPECT_LT(classifier.memory_bytes(), std::size_t{64} << 20);
    const Boundaries edges = boundaries_of(rules, {});
    CompiledNsg nsg = CompiledNsg::from_rules(rules, {});
    for (int i = 0; i < 20000; ++i) {
        const net::Flow f = random_flow(random, edges, rules);
        ASSERT_EQ(classifier.first_match(f), nsg.decide_linear(net::Direction::Inbound, f).rule) << f;
    }
    std::printf("4,003 rules: %zu bitsets, %zu intervals, %.1f MiB\n", classifier.bitset_count(),
                classifier.interval_count(), static_cast<double>(classifier.memory_bytes()) / (1 << 20));
}

TEST(Differential, EmptyClassifierMatchesNothing) {
    const detail::RuleClassifier empty = detail::RuleClassifier::build({});
    EXPECT_EQ(empty.rule_count(), 0u);
    net::Flow f;
    EXPECT_EQ(empty.first_match(f), 0u);
    EXPECT_EQ(empty.decide(f).access, model::Access::Deny);
    const CompiledNsg nothing;
    EXPECT_EQ(nothing.decide(net::Direction::Inbound, f).rule, 0u);
    EXPECT_EQ(nothing.decide_linear(net::Direction::Outbound, f).rule, 0u);
    EXPECT_TRUE(nothing.rules(net::Direction::Inbound).empty());
}

} // namespace
} // namespace ztnet::policy
