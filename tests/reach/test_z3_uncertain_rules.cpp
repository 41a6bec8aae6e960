// What an NSG decides when some of its rules are unknown (a parameter without a value), against Z3:
// each uncertain rule gets a free boolean for "the unknown value makes it match this flow" (beyond
// what it surely matches) and, when its access is unknown, a free boolean for its access. A flow is
// surely allowed when no assignment denies it, surely denied when none allows it, and undecidable
// otherwise. This checks, flow by flow, the argument CompiledNsg::decide rests on: that the two
// extreme readings (policy::Reading) bound every assignment.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "z3_encoding.h"

namespace ztnet::reach::z3oracle {
namespace {

using policy::ResolvedRule;

class Dice {
  public:
    explicit Dice(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }
    bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }

  private:
    std::mt19937_64 engine_;
};

net::Prefix prefix(std::string_view text) {
    return *net::Prefix::parse(text);
}

// A few overlapping IPv4 blocks and ports, so that rules overlap and flows land on their edges.
const std::vector<net::Prefix>& blocks() {
    static const std::vector<net::Prefix> kBlocks{prefix("10.0.0.0/16"), prefix("10.0.1.0/24"),
                                                  prefix("10.0.1.8/29"), prefix("10.1.0.0/16"),
                                                  prefix("20.0.0.0/8"),  prefix("0.0.0.0/0")};
    return kBlocks;
}
const std::vector<std::uint16_t> kPorts{22, 80, 443, 3389, 8080};

net::AddressSet some_addresses(Dice& dice) {
    net::AddressSet out;
    for (std::uint64_t n = 1 + dice.below(2); n > 0; --n)
        out.insert(dice.pick(blocks()));
    return out;
}

net::PortSet some_ports(Dice& dice) {
    if (dice.chance(30))
        return net::PortSet::all();
    net::PortSet out;
    for (std::uint64_t n = 1 + dice.below(2); n > 0; --n)
        out.insert(dice.pick(kPorts));
    return out;
}

ResolvedRule known_rule(Dice& dice, int index) {
    ResolvedRule rule;
    rule.name = "r" + std::to_string(index);
    rule.priority = 100 + index;
    rule.custom_index = index;
    rule.access = dice.chance(50) ? model::Access::Allow : model::Access::Deny;
    rule.protocols = dice.chance(70) ? net::ProtocolSet::single(6) : net::ProtocolSet::all();
    rule.sources = some_addresses(dice);
    rule.destinations = some_addresses(dice);
    rule.source_ports = net::PortSet::all();
    rule.destination_ports = some_ports(dice);
    return rule;
}

// One unknown field: widened to everything, its known part (maybe nothing) kept as the narrowest.
void leave_open(ResolvedRule& rule, Dice& dice) {
    ResolvedRule narrowest = rule;
    switch (dice.below(4)) {
    case 0:
        narrowest.sources = dice.chance(50) ? net::AddressSet() : some_addresses(dice);
        rule.sources = net::AddressSet::any();
        break;
    case 1:
        narrowest.destination_ports =
            dice.chance(50) ? net::PortSet() : net::PortSet::single(dice.pick(kPorts));
        rule.destination_ports = net::PortSet::all();
        break;
    case 2:
        rule.access_unknown = true;
        break;
    default: // priority or direction unknown: it may not be here at all
        narrowest.protocols = net::ProtocolSet();
        break;
    }
    rule.unknown = "test";
    rule.narrowest = std::make_shared<const ResolvedRule>(std::move(narrowest));
}

// The first-match decision with the unknowns as free booleans: allowed for this assignment.
z3::expr allowed_for_some_value(FlowSpace& space, const std::vector<ResolvedRule>& rules,
                                const FlowSpace::Ends& ends) {
    z3::context& c = space.context();
    z3::expr decision = c.bool_val(false);
    for (std::size_t r = rules.size(); r-- > 0;) {
        const ResolvedRule& rule = rules[r];
        z3::expr matches = space.rule_matches(rule, ends);
        z3::expr allows = c.bool_val(rule.access == model::Access::Allow);
        if (rule.uncertain()) {
            const std::string name = std::to_string(r);
            matches =
                space.rule_matches(*rule.narrowest, ends) || (matches && c.bool_const(("m" + name).c_str()));
            if (rule.access_unknown)
                allows = c.bool_const(("a" + name).c_str());
        }
        decision = z3::ite(matches, allows, decision);
    }
    return decision;
}

TEST(Z3UncertainRules, TheTwoReadingsBoundEveryValueOfTheUnknowns) {
    Dice dice(20261206);
    FlowSpace space;
    std::size_t outcomes[3] = {0, 0, 0}; // allowed, denied, undecidable
    for (int n = 0; n < 40; ++n) {
        std::vector<ResolvedRule> rules;
        const int count = 2 + static_cast<int>(dice.below(8));
        for (int i = 0; i < count; ++i) {
            rules.push_back(known_rule(dice, i));
            if (dice.chance(35))
                leave_open(rules.back(), dice);
        }
        for (ResolvedRule& rule :
             policy::default_rules(net::Direction::Inbound, net::AddressSet::from(blocks()[0])))
            rules.push_back(std::move(rule));
        const policy::CompiledNsg nsg = policy::CompiledNsg::from_rules(rules, {});
        for (int f = 0; f < 25; ++f) {
            net::Flow flow;
            flow.protocol = dice.chance(80) ? 6 : 17;
            flow.source = dice.pick(blocks()).first();
            flow.source = net::Address::v4(static_cast<std::uint32_t>(flow.source.value()) +
                                           static_cast<std::uint32_t>(dice.below(12)));
            flow.destination =
                net::Address::v4(static_cast<std::uint32_t>(dice.pick(blocks()).first().value()) +
                                 static_cast<std::uint32_t>(dice.below(12)));
            flow.source_port = 50000;
            flow.destination_port = dice.pick(kPorts);
            const net::AddressSet from = net::AddressSet::from(flow.source);
            const net::AddressSet to = net::AddressSet::from(flow.destination);
            const z3::expr service = space.services(ServiceSet::of(
                net::ProtocolSet::single(flow.protocol), net::PortSet::single(flow.source_port),
                net::PortSet::single(flow.destination_port)));
            const z3::expr allowed = allowed_for_some_value(space, rules, {&from, &to});
            const bool may_allow = space.find_flow(allowed && service, from, to).has_value();
            const bool may_deny = space.find_flow(!allowed && service, from, to).has_value();
            ASSERT_TRUE(may_allow || may_deny) << flow;
            const policy::NsgDecision d = nsg.decide(net::Direction::Inbound, flow);
            EXPECT_EQ(d.undecidable, may_allow && may_deny) << "NSG #" << n << " " << flow;
            if (!d.undecidable) {
                EXPECT_EQ(d.access == model::Access::Allow, may_allow) << "NSG #" << n << " " << flow;
            }
            ++outcomes[d.undecidable ? 2 : d.access == model::Access::Allow ? 0 : 1];
        }
    }
    // Every outcome occurs, or the test would prove little.
    for (std::size_t count : outcomes)
        EXPECT_GT(count, 50u);
}

} // namespace
} // namespace ztnet::reach::z3oracle
