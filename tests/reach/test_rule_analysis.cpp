// Rule analysis: flow-box algebra, hand-written NSGs with one finding each, a brute-force reference over
// every rule boundary on hundreds of random NSGs, and the per-VNet merge over a loaded estate.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/reach/atom_box.h"
#include "ztnet/reach/flow_box.h"
#include "ztnet/reach/rule_analysis.h"

#include "../policy/export_builder.h"

namespace ztnet::reach {
namespace {

using model::Access;
using net::Direction;
using policy::CompiledNsg;
using policy::ResolvedRule;
using Kind = RuleFinding::Kind;

constexpr std::uint8_t kIcmp = 1;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

net::Address ip(std::string_view text) {
    auto address = net::Address::parse(text);
    EXPECT_TRUE(address.ok()) << text;
    return address.ok() ? *address : net::Address();
}

// "*" is every address; anything else a prefix or an address.
net::AddressSet addresses(const std::vector<std::string>& texts) {
    net::AddressSet out;
    for (const std::string& text : texts) {
        if (text == "*") {
            out = net::AddressSet::any();
            continue;
        }
        auto prefix = net::Prefix::parse(text);
        EXPECT_TRUE(prefix.ok()) << text;
        if (prefix.ok())
            out.insert(*prefix);
    }
    return out;
}

net::PortSet ports(std::string_view text) {
    const std::string_view entries[] = {text};
    auto set = net::parse_port_list(entries);
    EXPECT_TRUE(set.ok()) << text;
    return set.ok() ? *set : net::PortSet();
}

net::ProtocolSet protocols(std::string_view text) {
    auto set = net::parse_nsg_protocol(text);
    EXPECT_TRUE(set.ok()) << text;
    return set.ok() ? *set : net::ProtocolSet();
}

net::Flow flow(std::uint8_t protocol, std::string_view source, std::uint16_t source_port,
               std::string_view destination, std::uint16_t destination_port) {
    net::Flow f;
    f.protocol = protocol;
    f.source = ip(source);
    f.destination = ip(destination);
    f.source_port = source_port;
    f.destination_port = destination_port;
    return f;
}

struct RuleSpec {
    std::string name;
    int priority = 100;
    Access access = Access::Allow;
    std::string protocol = "Tcp";
    std::vector<std::string> sources{"*"};
    std::vector<std::string> destinations{"*"};
    std::string source_ports = "*";
    std::string destination_ports = "*";
};

// Ports are kept as written even for protocols without ports, unlike CompiledNsg::compile, so that the
// analysis is seen to ignore them on its own.
ResolvedRule make_rule(const RuleSpec& spec) {
    ResolvedRule rule;
    rule.name = spec.name;
    rule.priority = spec.priority;
    rule.access = spec.access;
    rule.custom_index = spec.priority;
    rule.protocols = protocols(spec.protocol);
    rule.sources = addresses(spec.sources);
    rule.destinations = addresses(spec.destinations);
    rule.source_ports = ports(spec.source_ports);
    rule.destination_ports = ports(spec.destination_ports);
    return rule;
}

const net::AddressSet& test_vnet() {
    static const net::AddressSet vnet = addresses({"10.0.0.0/16", "168.63.129.16/32"});
    return vnet;
}

std::vector<ResolvedRule> with_defaults(const std::vector<RuleSpec>& specs, Direction direction) {
    std::vector<ResolvedRule> rules;
    for (const RuleSpec& spec : specs)
        rules.push_back(make_rule(spec));
    for (ResolvedRule& rule : policy::default_rules(direction, test_vnet()))
        rules.push_back(std::move(rule));
    return rules;
}

CompiledNsg inbound_nsg(const std::vector<RuleSpec>& specs) {
    return CompiledNsg::from_rules(with_defaults(specs, Direction::Inbound),
                                   with_defaults({}, Direction::Outbound));
}

std::vector<const RuleFinding*> findings_of(const NsgRuleAnalysis& analysis, Kind kind) {
    std::vector<const RuleFinding*> out;
    for (const RuleFinding& finding : analysis.findings) {
        if (finding.kind == kind)
            out.push_back(&finding);
    }
    return out;
}

// The decision without rule `removed` of `direction`, with the deciding rule's index mapped back to
// the full rule list.
policy::NsgDecision decide_without(const CompiledNsg& nsg, Direction direction, std::uint32_t removed,
                                   const net::Flow& f) {
    std::vector<ResolvedRule> rules = nsg.rules(direction);
    rules.erase(rules.begin() + removed);
    const bool inbound = direction == Direction::Inbound;
    const CompiledNsg without = CompiledNsg::from_rules(inbound ? rules : std::vector<ResolvedRule>{},
                                                        inbound ? std::vector<ResolvedRule>{} : rules);
    policy::NsgDecision decision = without.decide_linear(direction, f);
    if (decision.rule >= removed)
        ++decision.rule;
    return decision;
}

// Checks that each finding's example shows what the finding claims.
void expect_examples_hold(const CompiledNsg& nsg, const NsgRuleAnalysis& analysis) {
    for (const RuleFinding& finding : analysis.findings) {
        const ResolvedRule& rule = nsg.rules(finding.direction)[finding.rule];
        SCOPED_TRACE(finding.explanation);
        if (!finding.example) {
            EXPECT_TRUE(FlowBoxSet::from_rule(rule).empty()); // only a rule matching nothing has none
            EXPECT_TRUE(finding.related.empty());
            continue;
        }
        const net::Flow& example = *finding.example;
        const policy::NsgDecision decision = nsg.decide_linear(finding.direction, example);
        switch (finding.kind) {
        case Kind::Shadowed:
            EXPECT_TRUE(rule.matches(example));
            EXPECT_LT(decision.rule, finding.rule);
            EXPECT_TRUE(std::count(finding.related.begin(), finding.related.end(), decision.rule));
            break;
        case Kind::Redundant: {
            EXPECT_EQ(decision.rule, finding.rule);
            const policy::NsgDecision without = decide_without(nsg, finding.direction, finding.rule, example);
            EXPECT_EQ(without.access, decision.access);
            EXPECT_TRUE(std::count(finding.related.begin(), finding.related.end(), without.rule));
            break;
        }
        case Kind::Conflicting: {
            EXPECT_EQ(decision.rule, finding.rule);
            ASSERT_EQ(finding.related.size(), 1u);
            const policy::NsgDecision without = decide_without(nsg, finding.direction, finding.rule, example);
            EXPECT_EQ(without.rule, finding.related[0]);
            EXPECT_NE(without.access, decision.access);
            break;
        }
        case Kind::SourcePortRestricted: {
            EXPECT_FALSE(rule.matches(example));
            net::Flow with_allowed_port = example;
            with_allowed_port.source_port = rule.source_ports.intervals().front().lo;
            EXPECT_TRUE(rule.matches(with_allowed_port));
            break;
        }
        }
    }
}

// ---- FlowBox and FlowBoxSet ----

FlowBox box(std::string_view protocol, const std::vector<std::string>& sources,
            const std::vector<std::string>& destinations, std::string_view source_ports,
            std::string_view destination_ports) {
    return FlowBox{protocols(protocol), addresses(sources), addresses(destinations), ports(source_ports),
                   ports(destination_ports)};
}

TEST(FlowBoxSet, RuleWithPortsSplitsIntoPortedAndPortlessParts) {
    const FlowBoxSet set = FlowBoxSet::from_box(box("*", {"*"}, {"10.0.0.0/8"}, "*", "80"));
    ASSERT_EQ(set.boxes().size(), 2u);
    EXPECT_TRUE(set.contains(flow(kTcp, "1.2.3.4", 5, "10.1.1.1", 80)));
    EXPECT_FALSE(set.contains(flow(kTcp, "1.2.3.4", 5, "10.1.1.1", 81)));
    EXPECT_FALSE(set.contains(flow(kUdp, "1.2.3.4", 5, "10.1.1.1", 81)));
    // ICMP has no ports: any port value is inside.
    EXPECT_TRUE(set.contains(flow(kIcmp, "1.2.3.4", 0, "10.1.1.1", 0)));
    EXPECT_TRUE(set.contains(flow(kIcmp, "1.2.3.4", 9, "10.1.1.1", 443)));
    EXPECT_FALSE(set.contains(flow(kIcmp, "1.2.3.4", 0, "11.0.0.1", 0)));
}

TEST(FlowBoxSet, SubtractionIsExactAndDisjoint) {
    FlowBoxSet set = FlowBoxSet::from_box(box("*", {"10.0.0.0/8", "fd00::/8"}, {"*"}, "*", "*"));
    set.subtract(box("Tcp", {"10.1.0.0/16"}, {"10.0.0.5/32"}, "*", "22"));
    set.subtract(box("Icmp", {"*"}, {"*"}, "*", "80")); // ports ignored: all ICMP goes
    EXPECT_FALSE(set.empty());
    EXPECT_FALSE(set.contains(flow(kTcp, "10.1.2.3", 40000, "10.0.0.5", 22)));
    EXPECT_TRUE(set.contains(flow(kTcp, "10.1.2.3", 40000, "10.0.0.5", 23)));
    EXPECT_TRUE(set.contains(flow(kTcp, "10.2.2.3", 40000, "10.0.0.5", 22)));
    EXPECT_TRUE(set.contains(flow(kUdp, "10.1.2.3", 40000, "10.0.0.5", 22)));
    EXPECT_FALSE(set.contains(flow(kIcmp, "10.1.2.3", 0, "10.0.0.5", 0)));
    EXPECT_TRUE(set.contains(flow(58, "fd00::1", 0, "::1", 0)));
    EXPECT_FALSE(set.contains(flow(kTcp, "11.0.0.1", 1, "10.0.0.5", 23)));
    // Disjoint: no flow lies in two boxes (checked on the corners of every box).
    const auto boxes = set.boxes();
    for (std::size_t a = 0; a < boxes.size(); ++a) {
        const std::optional<net::Flow> corner = FlowBoxSet::from_box(boxes[a]).example();
        ASSERT_TRUE(corner.has_value());
        for (std::size_t b = 0; b < boxes.size(); ++b)
            EXPECT_EQ(boxes[b].contains(*corner), a == b) << a << " " << b;
    }
    // Subtracting the rest empties it.
    set.subtract(box("*", {"*"}, {"*"}, "*", "*"));
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.example().has_value());
}

TEST(FlowBoxSet, IntersectionKeepsCommonFlowsOnly) {
    FlowBoxSet set = FlowBoxSet::from_box(box("*", {"10.0.0.0/8"}, {"*"}, "*", "80-90"));
    set.intersect(box("Udp", {"10.0.0.0/16", "fd00::/8"}, {"*"}, "*", "85-100"));
    EXPECT_TRUE(set.contains(flow(kUdp, "10.0.0.1", 1, "1.1.1.1", 85)));
    EXPECT_FALSE(set.contains(flow(kUdp, "10.0.0.1", 1, "1.1.1.1", 91)));
    EXPECT_FALSE(set.contains(flow(kTcp, "10.0.0.1", 1, "1.1.1.1", 85)));
    EXPECT_FALSE(set.contains(flow(kUdp, "10.1.0.1", 1, "1.1.1.1", 85)));
    EXPECT_FALSE(set.contains(flow(kIcmp, "10.0.0.1", 0, "1.1.1.1", 0)));
    set.intersect(box("Tcp", {"*"}, {"*"}, "*", "*"));
    EXPECT_TRUE(set.empty());
}

TEST(FlowBoxSet, ExamplePrefersTcpThenUdpThenIpv4AndReadableValues) {
    const FlowBoxSet all = FlowBoxSet::from_box(box("*", {"10.9.0.0/16"}, {"fd00::/8"}, "1024-65535", "443"));
    EXPECT_EQ(all.example(), flow(kTcp, "10.9.0.4", 49152, "fd00::4", 443));
    FlowBoxSet no_tcp =
        FlowBoxSet::from_box(box("*", {"fd00::/8", "10.9.0.0/16"}, {"fd00::5/128"}, "*", "53"));
    no_tcp.subtract(box("Tcp", {"*"}, {"*"}, "*", "*"));
    EXPECT_EQ(no_tcp.example(), flow(kUdp, "10.9.0.4", 49152, "fd00::5", 53));
    const FlowBoxSet icmp = FlowBoxSet::from_box(box("Icmp", {"fd00::/8"}, {"*"}, "*", "80"));
    EXPECT_EQ(icmp.example(), flow(kIcmp, "fd00::4", 0, "203.0.113.10", 0));
}

TEST(FlowBoxSet, OverflowPastTheCapClaimsNothing) {
    FlowBoxSet set = FlowBoxSet::from_box(box("*", {"*"}, {"*"}, "*", "*"), 3);
    set.subtract(box("Tcp", {"10.0.0.0/8"}, {"10.0.0.0/8"}, "22", "22")); // needs five pieces
    EXPECT_TRUE(set.overflowed());
    EXPECT_FALSE(set.empty());
    EXPECT_FALSE(set.example().has_value());
    EXPECT_FALSE(set.contains(flow(kUdp, "1.1.1.1", 1, "1.1.1.1", 1)));
    EXPECT_TRUE(set.boxes().empty());
}

// ---- hand-written NSGs ----

TEST(RuleAnalysis, ObviousShadow) {
    const CompiledNsg nsg = inbound_nsg({
        {"deny-web-subnet", 100, Access::Deny, "Tcp", {"*"}, {"10.0.1.0/24"}},
        {"allow-ssh-to-vm", 200, Access::Allow, "Tcp", {"*"}, {"10.0.1.5/32"}, "*", "22"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto shadowed = findings_of(analysis, Kind::Shadowed);
    ASSERT_EQ(shadowed.size(), 1u);
    EXPECT_EQ(shadowed[0]->rule, 1u);
    EXPECT_EQ(shadowed[0]->direction, Direction::Inbound);
    EXPECT_EQ(shadowed[0]->related, std::vector<std::uint32_t>{0});
    EXPECT_EQ(shadowed[0]->example, flow(kTcp, "203.0.113.10", 49152, "10.0.1.5", 22));
    EXPECT_NE(shadowed[0]->explanation.find("allow-ssh-to-vm (200, Allow) is never reached"),
              std::string::npos)
        << shadowed[0]->explanation;
    EXPECT_NE(shadowed[0]->explanation.find("deny-web-subnet (100, Deny)"), std::string::npos);
    // The pair is reported once, as the shadow, not again as a conflict.
    EXPECT_TRUE(findings_of(analysis, Kind::Conflicting).empty());
    EXPECT_TRUE(analysis.gave_up.empty());
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, ShadowedByTheUnionOfSeveralEarlierRules) {
    const CompiledNsg nsg = inbound_nsg({
        {"low-half", 100, Access::Allow, "Tcp", {"10.1.0.0/17"}, {"*"}},
        {"high-half", 110, Access::Deny, "Tcp", {"10.1.128.0/17"}, {"*"}},
        {"whole", 120, Access::Allow, "Tcp", {"10.1.0.0/16"}, {"*"}, "*", "443"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto shadowed = findings_of(analysis, Kind::Shadowed);
    ASSERT_EQ(shadowed.size(), 1u);
    EXPECT_EQ(shadowed[0]->rule, 2u);
    EXPECT_EQ(shadowed[0]->related, (std::vector<std::uint32_t>{0, 1}));
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, RedundantBecauseOfALaterBroaderRuleOfTheSameAccess) {
    const CompiledNsg nsg = inbound_nsg({
        {"allow-https", 100, Access::Allow, "Tcp", {"10.0.0.0/16"}, {"10.0.1.0/24"}, "*", "443"},
        {"allow-private", 200, Access::Allow, "Tcp", {"10.0.0.0/8"}, {"10.0.0.0/8"}},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto redundant = findings_of(analysis, Kind::Redundant);
    ASSERT_EQ(redundant.size(), 1u);
    EXPECT_EQ(redundant[0]->rule, 0u);
    EXPECT_EQ(redundant[0]->related, std::vector<std::uint32_t>{1});
    EXPECT_EQ(redundant[0]->example, flow(kTcp, "10.0.0.4", 49152, "10.0.1.4", 443));
    EXPECT_NE(redundant[0]->explanation.find("would be allowed the same way by allow-private (200, Allow)"),
              std::string::npos)
        << redundant[0]->explanation;
    // allow-private lets 10.1.0.0/16 in, which the defaults deny: not redundant.
    EXPECT_TRUE(findings_of(analysis, Kind::Shadowed).empty());
    EXPECT_TRUE(findings_of(analysis, Kind::Conflicting).empty());
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, RedundantAgainstTheDefaultRules) {
    // Everything inside the VNet is allowed by AllowVnetInBound anyway; defaults are never reported.
    const CompiledNsg nsg = inbound_nsg({
        {"allow-vnet-sql", 100, Access::Allow, "Tcp", {"10.0.2.0/24"}, {"10.0.3.0/24"}, "*", "1433"},
        {"deny-outside", 4096, Access::Deny, "*", {"192.0.2.0/24"}, {"*"}},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto redundant = findings_of(analysis, Kind::Redundant);
    ASSERT_EQ(redundant.size(), 2u);
    EXPECT_EQ(redundant[0]->rule, 0u);
    EXPECT_EQ(redundant[0]->related, std::vector<std::uint32_t>{2}); // AllowVnetInBound
    EXPECT_EQ(redundant[1]->rule, 1u);
    EXPECT_EQ(redundant[1]->related, std::vector<std::uint32_t>{4}); // DenyAllInBound
    for (const RuleFinding& finding : analysis.findings)
        EXPECT_LT(finding.rule, 2u);
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, ConflictIsReportedOnTheHigherPriorityRule) {
    const CompiledNsg nsg = inbound_nsg({
        {"deny-ssh-from-vnet", 100, Access::Deny, "Tcp", {"10.0.0.0/16"}, {"*"}, "*", "22"},
        {"unrelated", 150, Access::Allow, "Udp", {"*"}, {"*"}, "*", "53"},
        {"allow-ssh", 200, Access::Allow, "Tcp", {"*"}, {"*"}, "*", "22"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto conflicts = findings_of(analysis, Kind::Conflicting);
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts[0]->rule, 0u);
    EXPECT_EQ(conflicts[0]->related, std::vector<std::uint32_t>{2});
    EXPECT_EQ(conflicts[0]->example, flow(kTcp, "10.0.0.4", 49152, "203.0.113.10", 22));
    EXPECT_NE(conflicts[0]->explanation.find("overrides allow-ssh (200, Allow)"), std::string::npos)
        << conflicts[0]->explanation;
    EXPECT_TRUE(findings_of(analysis, Kind::Shadowed).empty());
    EXPECT_TRUE(findings_of(analysis, Kind::Redundant).empty());
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, NoConflictWhenAnInterveningRuleDecidesTheOverlap) {
    // deny-subnet and allow-ssh overlap on port 22 to 10.0.9.0/24, but without deny-subnet those flows
    // would still be denied, by deny-subnet-ssh: allow-ssh never gets them, so the pair is no conflict.
    const CompiledNsg nsg = inbound_nsg({
        {"deny-subnet", 100, Access::Deny, "Tcp", {"*"}, {"10.0.9.0/24"}},
        {"deny-subnet-ssh", 200, Access::Deny, "Tcp", {"*"}, {"10.0.9.0/24"}, "*", "22"},
        {"allow-ssh", 300, Access::Allow, "Tcp", {"*"}, {"*"}, "*", "22"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    EXPECT_TRUE(findings_of(analysis, Kind::Conflicting).empty());
    const auto shadowed = findings_of(analysis, Kind::Shadowed);
    ASSERT_EQ(shadowed.size(), 1u);
    EXPECT_EQ(shadowed[0]->rule, 1u);
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, NoConflictWithAShadowedLowerRule) {
    // allow-dns is wholly shadowed by deny-internet: reported once, as the shadow.
    const CompiledNsg nsg = inbound_nsg({
        {"deny-internet", 100, Access::Deny, "*", {"*"}, {"0.0.0.0/0"}},
        {"allow-dns", 200, Access::Allow, "Udp", {"*"}, {"8.8.8.8/32"}, "*", "53"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    ASSERT_EQ(analysis.findings.size(), 1u);
    EXPECT_EQ(analysis.findings[0].kind, Kind::Shadowed);
    EXPECT_EQ(analysis.findings[0].rule, 1u);
}

TEST(RuleAnalysis, SourcePortRestriction) {
    const CompiledNsg nsg = inbound_nsg({
        {"allow-web-wrong", 100, Access::Allow, "Tcp", {"*"}, {"10.0.1.0/24"}, "80,443", "80,443"},
        {"icmp-with-ports", 110, Access::Allow, "Icmp", {"*"}, {"*"}, "7", "*"},
        {"allow-high", 120, Access::Allow, "Udp", {"*"}, {"10.0.2.0/24"}, "1024-65535", "53"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto restricted = findings_of(analysis, Kind::SourcePortRestricted);
    ASSERT_EQ(restricted.size(), 2u); // ICMP has no ports: its source port field means nothing
    EXPECT_EQ(restricted[0]->rule, 0u);
    EXPECT_EQ(restricted[0]->example, flow(kTcp, "203.0.113.10", 49152, "10.0.1.4", 443));
    EXPECT_NE(restricted[0]->explanation.find("only source ports 80,443"), std::string::npos)
        << restricted[0]->explanation;
    EXPECT_EQ(restricted[1]->rule, 2u);
    EXPECT_EQ(restricted[1]->example, flow(kUdp, "203.0.113.10", 0, "10.0.2.4", 53));
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, PartiallyOverlappedRuleIsNeitherShadowedNorRedundant) {
    const CompiledNsg nsg = inbound_nsg({
        {"deny-ssh", 100, Access::Deny, "Tcp", {"*"}, {"10.0.1.0/24"}, "*", "22"},
        {"allow-admin", 200, Access::Allow, "Tcp", {"*"}, {"10.0.1.0/24"}, "*", "20-25"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    for (const RuleFinding& finding : analysis.findings) {
        EXPECT_FALSE(finding.rule == 1 && finding.kind == Kind::Shadowed) << finding.explanation;
        EXPECT_FALSE(finding.rule == 1 && finding.kind == Kind::Redundant) << finding.explanation;
    }
    // The overlap on port 22 is a conflict between the two.
    const auto conflicts = findings_of(analysis, Kind::Conflicting);
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts[0]->rule, 0u);
    EXPECT_EQ(conflicts[0]->related, std::vector<std::uint32_t>{1});
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, IcmpRulePortsAreIgnored) {
    const CompiledNsg nsg = inbound_nsg({
        {"icmp-port-80", 100, Access::Allow, "Icmp", {"*"}, {"*"}, "*", "80"},
        {"icmp-port-443", 110, Access::Deny, "Icmp", {"*"}, {"10.0.0.0/8"}, "*", "443"},
        {"any-port-80", 120, Access::Deny, "*", {"*"}, {"*"}, "*", "80"},
        {"esp", 130, Access::Allow, "Esp", {"*"}, {"*"}, "*", "*"},
        {"tcp-81", 140, Access::Deny, "Tcp", {"*"}, {"*"}, "*", "81"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    const auto shadowed = findings_of(analysis, Kind::Shadowed);
    // icmp-port-443: every ICMP flow to 10/8 is taken by icmp-port-80, ports notwithstanding.
    // esp: ESP has no ports, so any-port-80 denies all of it. tcp-81 is live.
    ASSERT_EQ(shadowed.size(), 2u);
    EXPECT_EQ(shadowed[0]->rule, 1u);
    EXPECT_EQ(shadowed[0]->related, std::vector<std::uint32_t>{0});
    EXPECT_EQ(shadowed[1]->rule, 3u);
    EXPECT_EQ(shadowed[1]->related, std::vector<std::uint32_t>{2});
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, RuleThatMatchesNothingIsShadowedWithoutExample) {
    RuleSpec empty_asg{"empty-asg", 100, Access::Allow, "Tcp", {}, {"*"}};
    const CompiledNsg nsg = inbound_nsg({empty_asg});
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    ASSERT_EQ(analysis.findings.size(), 1u);
    EXPECT_EQ(analysis.findings[0].kind, Kind::Shadowed);
    EXPECT_TRUE(analysis.findings[0].related.empty());
    EXPECT_FALSE(analysis.findings[0].example.has_value());
    EXPECT_NE(analysis.findings[0].explanation.find("matches no flow at all"), std::string::npos);
}

TEST(RuleAnalysis, OutboundIsAnalysedOnItsOwn) {
    std::vector<ResolvedRule> outbound =
        with_defaults({{"deny-internet", 100, Access::Deny, "*", {"*"}, {"0.0.0.0/0"}},
                       {"allow-dns", 200, Access::Allow, "Udp", {"*"}, {"8.8.8.8/32"}, "*", "53"}},
                      Direction::Outbound);
    const CompiledNsg nsg =
        CompiledNsg::from_rules(with_defaults({}, Direction::Inbound), std::move(outbound));
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    ASSERT_EQ(analysis.findings.size(), 1u);
    EXPECT_EQ(analysis.findings[0].kind, Kind::Shadowed);
    EXPECT_EQ(analysis.findings[0].direction, Direction::Outbound);
    EXPECT_EQ(analysis.findings[0].rule, 1u);
    expect_examples_hold(nsg, analysis);
}

// The example of docs/rules.md, finding for finding.
TEST(RuleAnalysis, DocumentedExample) {
    const CompiledNsg nsg = inbound_nsg({
        {"deny-ssh-from-vnet", 100, Access::Deny, "Tcp", {"10.0.0.0/16"}, {"*"}, "*", "22"},
        {"allow-ssh", 200, Access::Allow, "Tcp", {"*"}, {"*"}, "*", "22"},
        {"allow-ssh-admin", 300, Access::Allow, "Tcp", {"10.0.5.0/24"}, {"10.0.1.4/32"}, "*", "22"},
        {"allow-app", 400, Access::Allow, "Tcp", {"10.0.2.0/24"}, {"10.0.3.0/24"}, "*", "8080"},
        {"allow-web", 500, Access::Allow, "Tcp", {"*"}, {"10.0.1.0/24"}, "443", "*"},
    });
    const NsgRuleAnalysis analysis = analyse_rules(nsg);
    std::vector<std::string> seen;
    for (const RuleFinding& f : analysis.findings) {
        std::string line =
            std::string(rule_finding_kind_name(f.kind)) + " " + nsg.rules(f.direction)[f.rule].name;
        for (std::uint32_t r : f.related)
            line += " " + nsg.rules(f.direction)[r].name;
        line += " | " + (f.example ? f.example->to_string() : std::string("-"));
        seen.push_back(line);
    }
    const std::vector<std::string> expected = {
        "Conflicting deny-ssh-from-vnet allow-ssh | Tcp 10.0.0.4:49152 -> 203.0.113.10:22",
        "Shadowed allow-ssh-admin deny-ssh-from-vnet | Tcp 10.0.5.4:49152 -> 10.0.1.4:22",
        "Redundant allow-app AllowVnetInBound | Tcp 10.0.2.4:49152 -> 10.0.3.4:8080",
        "SourcePortRestricted allow-web | Tcp 203.0.113.10:49152 -> 10.0.1.4:22",
    };
    EXPECT_EQ(seen, expected);
    expect_examples_hold(nsg, analysis);
}

TEST(RuleAnalysis, GivesUpPastTheBoxCapAndClaimsNothing) {
    const CompiledNsg nsg = inbound_nsg({
        {"a", 100, Access::Deny, "Tcp", {"10.0.0.0/8"}, {"10.0.0.0/8"}, "*", "22"},
        {"b", 110, Access::Deny, "Udp", {"10.0.0.0/8"}, {"10.1.0.0/16"}, "*", "53"},
        {"c", 120, Access::Allow, "*", {"*"}, {"*"}, "*", "*"},
    });
    const NsgRuleAnalysis full = analyse_rules(nsg);
    EXPECT_TRUE(full.gave_up.empty());
    RuleAnalysisOptions tight;
    tight.max_boxes = 4;
    const NsgRuleAnalysis limited = analyse_rules(nsg, tight);
    ASSERT_FALSE(limited.gave_up.empty());
    EXPECT_EQ(limited.gave_up.front(), (RuleRef{Direction::Inbound, 2}));
    for (const RuleFinding& finding : limited.findings) {
        // Whatever is still reported must also be in the complete answer.
        const bool in_full =
            std::any_of(full.findings.begin(), full.findings.end(), [&](const RuleFinding& f) {
                return f.kind == finding.kind && f.direction == finding.direction && f.rule == finding.rule &&
                       f.related == finding.related;
            });
        EXPECT_TRUE(in_full) << finding.explanation;
    }
}

// ---- brute force over every rule boundary ----

template <class T>
void add_boundaries(std::vector<T>& points, const net::IntervalSet<T>& set, T max) {
    for (const auto& interval : set.intervals()) {
        points.push_back(interval.lo);
        if (interval.hi < max)
            points.push_back(static_cast<T>(interval.hi + 1));
    }
}

template <class T>
void sort_unique(std::vector<T>& points) {
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
}

std::vector<net::Address> address_points(const std::vector<ResolvedRule>& rules, bool source) {
    std::vector<net::Address> out;
    for (net::Family family : {net::Family::V4, net::Family::V6}) {
        std::vector<net::u128> points{0};
        for (const ResolvedRule& rule : rules)
            add_boundaries(points, (source ? rule.sources : rule.destinations).of(family),
                           net::family_max(family));
        sort_unique(points);
        for (net::u128 value : points)
            out.push_back(net::Address::from_value(family, value));
    }
    return out;
}

// Keeps the first point of each membership pattern over the rules. Points that every rule treats alike
// are interchangeable in any flow, so this loses nothing; it only spares the many cells that, say, the
// Internet tag's intervals cut but no other rule tells apart.
template <class T, class Member>
std::vector<T> one_per_pattern(const std::vector<T>& points, const std::vector<ResolvedRule>& rules,
                               Member member) {
    std::set<std::vector<bool>> seen;
    std::vector<T> out;
    for (const T& point : points) {
        std::vector<bool> pattern;
        for (const ResolvedRule& rule : rules)
            pattern.push_back(member(rule, point));
        if (seen.insert(std::move(pattern)).second)
            out.push_back(point);
    }
    return out;
}

// One flow per cell of the grid cut by every interval end of every rule in every dimension: each rule
// matches either all of a cell or none of it, so these flows stand for all flows. Protocols without
// ports get one port pair, since no rule looks at their ports.
std::vector<net::Flow> representative_flows(const std::vector<ResolvedRule>& rules) {
    std::vector<std::uint8_t> protocol_points{0};
    std::vector<std::uint16_t> source_ports{0};
    std::vector<std::uint16_t> destination_ports{0};
    for (const ResolvedRule& rule : rules) {
        add_boundaries<std::uint8_t>(protocol_points, rule.protocols, 255);
        add_boundaries<std::uint16_t>(source_ports, rule.source_ports, 65535);
        add_boundaries<std::uint16_t>(destination_ports, rule.destination_ports, 65535);
    }
    // TCP and UDP must be cells of their own, whatever the rules say, since ports apply to them only.
    for (std::uint8_t p : {kTcp, std::uint8_t{kTcp + 1}, kUdp, std::uint8_t{kUdp + 1}})
        protocol_points.push_back(p);
    sort_unique(protocol_points);
    sort_unique(source_ports);
    sort_unique(destination_ports);
    // Ported and portless protocols are never interchangeable, so they are thinned out apart.
    std::vector<std::uint8_t> protocols_kept;
    for (bool ported : {true, false}) {
        std::vector<std::uint8_t> part;
        std::copy_if(protocol_points.begin(), protocol_points.end(), std::back_inserter(part),
                     [&](std::uint8_t p) { return net::protocol_has_ports(p) == ported; });
        for (std::uint8_t p : one_per_pattern(
                 part, rules, [](const ResolvedRule&r, std::uint8_t v) { return r.protocols.contains(v); }))
            protocols_kept.push_back(p);
    }
    protocol_points = protocols_kept;
    source_ports = one_per_pattern(source_ports, rules, [](const ResolvedRule& r, std::uint16_t v) {
        return r.source_ports.contains(v);
    });
    destination_ports = one_per_pattern(destination_ports, rules, [](const ResolvedRule& r, std::uint16_t v) {
        return r.destination_ports.contains(v);
    });
    const std::vector<net::Address> sources =
        one_per_pattern(address_points(rules, true), rules,
                        [](const ResolvedRule& r, const net::Address& a) { return r.sources.contains(a); });
    const std::vector<net::Address> destinations = one_per_pattern(
        address_points(rules, false), rules,
        [](const ResolvedRule& r, const net::Address& a) { return r.destinations.contains(a); });
    std::vector<net::Flow> flows;
    for (std::uint8_t protocol : protocol_points) {
        const bool ported = net::protocol_has_ports(protocol);
        for (const net::Address& source : sources) {
            for (const net::Address& destination : destinations) {
                net::Flow f{protocol, source, destination, 0, 0};
                if (!ported) {
                    flows.push_back(f);
                    continue;
                }
                for (std::uint16_t sp : source_ports) {
                    for (std::uint16_t dp : destination_ports) {
                        f.source_port = sp;
                        f.destination_port = dp;
                        flows.push_back(f);
                    }
                }
            }
        }
    }
    return flows;
}

struct Verdicts {
    std::set<std::uint32_t> shadowed;
    std::set<std::uint32_t> redundant;
    std::set<std::pair<std::uint32_t, std::uint32_t>> conflicts;
    std::map<std::uint32_t, std::set<std::uint32_t>> related; // of shadowed and redundant rules

    friend bool operator==(const Verdicts&, const Verdicts&) = default;
};

std::ostream& operator<<(std::ostream& out, const Verdicts& v) {
    out << "shadowed {";
    for (auto r : v.shadowed)
        out << ' ' << r;
    out << " } redundant {";
    for (auto r : v.redundant)
        out << ' ' << r;
    out << " } conflicts {";
    for (auto [a, b] : v.conflicts)
        out << ' ' << a << "->" << b;
    out << " } related {";
    for (const auto& [r, rel] : v.related) {
        out << ' ' << r << ":";
        for (auto x : rel)
            out << x << ',';
    }
    return out << " }";
}

// The reference: first match with decide_linear over every representative flow, and again without the
// deciding rule (deleting a rule changes only the flows it decides).
Verdicts brute_force(const CompiledNsg& nsg, Direction direction) {
    const std::vector<ResolvedRule>& rules = nsg.rules(direction);
    std::vector<CompiledNsg> without;
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        std::vector<ResolvedRule> rest = rules;
        rest.erase(rest.begin() + i);
        const bool inbound = direction == Direction::Inbound;
        without.push_back(CompiledNsg::from_rules(inbound ? rest : std::vector<ResolvedRule>{},
                                                  inbound ? std::vector<ResolvedRule>{} : rest));
    }
    std::vector<bool> decides(rules.size(), false);
    std::vector<bool> changes(rules.size(), false);
    std::set<std::pair<std::uint32_t, std::uint32_t>> conflicts;
    std::map<std::uint32_t, std::set<std::uint32_t>> earlier_deciders; // rule -> who decides its flows
    std::map<std::uint32_t, std::set<std::uint32_t>> later_deciders;   // rule -> who decides without it
    Verdicts out;
    for (const net::Flow& f : representative_flows(rules)) {
        const policy::NsgDecision with = nsg.decide_linear(direction, f);
        for (std::uint32_t i = 0; i < with.rule; ++i) {
            if (rules[i].matches(f))
                ADD_FAILURE() << "decide_linear skipped a match";
        }
        for (std::uint32_t i = with.rule + 1; i < rules.size(); ++i) {
            if (rules[i].matches(f))
                earlier_deciders[i].insert(with.rule);
        }
        if (with.rule >= rules.size() || rules[with.rule].is_default)
            continue;
        decides[with.rule] = true;
        policy::NsgDecision alone = without[with.rule].decide_linear(direction, f);
        const std::uint32_t next = alone.rule + 1; // index in the full list
        later_deciders[with.rule].insert(next);
        if (alone.access != with.access) {
            changes[with.rule] = true;
            if (next < rules.size() && !rules[next].is_default && !policy::matches_every_flow(rules[next]))
                conflicts.insert({with.rule, next});
        }
    }
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        if (rules[i].is_default)
            continue;
        if (!decides[i]) {
            out.shadowed.insert(i);
            out.related[i] = earlier_deciders[i];
        } else if (!changes[i]) {
            out.redundant.insert(i);
            out.related[i] = later_deciders[i];
        }
    }
    for (const auto& [higher, lower] : conflicts) {
        if (!out.shadowed.count(lower))
            out.conflicts.insert({higher, lower});
    }
    return out;
}

Verdicts from_analysis(const NsgRuleAnalysis& analysis, Direction direction) {
    Verdicts out;
    for (const RuleFinding& f : analysis.findings) {
        if (f.direction != direction)
            continue;
        if (f.kind == Kind::Shadowed) {
            out.shadowed.insert(f.rule);
            out.related[f.rule] = {f.related.begin(), f.related.end()};
        } else if (f.kind == Kind::Redundant) {
            out.redundant.insert(f.rule);
            out.related[f.rule] = {f.related.begin(), f.related.end()};
        } else if (f.kind == Kind::Conflicting) {
            out.conflicts.insert({f.rule, f.related.at(0)});
        }
    }
    return out;
}

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& items) {
    return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
}

bool chance(std::mt19937& rng, int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
}

// A side of one or two blocks from a small pool that nests and overlaps on purpose, sometimes "*",
// rarely empty (an ASG without members).
std::vector<std::string> random_side(std::mt19937& rng) {
    static const std::vector<std::string> pool = {
        "10.0.0.0/8", "10.0.0.0/16", "10.0.1.0/24", "10.0.1.4/32",   "10.0.2.0/24",
        "20.0.0.0/8", "fd00::/8",    "fd00:1::/32", "fd00:1::4/128", "2001:db8::/32",
        "0.0.0.0/0",  "::/0",        "10.0.0.0/15", "10.0.1.128/25",
    };
    if (chance(rng, 3))
        return {};
    if (chance(rng, 20))
        return {"*"};
    std::vector<std::string> side{pick(rng, pool)};
    if (chance(rng, 30))
        side.push_back(pick(rng, pool));
    return side;
}

ResolvedRule random_rule(std::mt19937& rng, int priority) {
    static const std::vector<std::string> protocol_pool = {"Tcp", "Tcp", "Udp", "Icmp", "*", "*", "Esp"};
    static const std::vector<std::string> port_pool = {"*",      "*",          "22",     "80",     "443",
                                                       "80-443", "1024-65535", "0-1023", "80,443", "53"};
    RuleSpec spec;
    spec.name = "r" + std::to_string(priority);
    spec.priority = priority;
    spec.access = chance(rng, 50) ? Access::Allow : Access::Deny;
    spec.protocol = pick(rng, protocol_pool);
    spec.sources = random_side(rng);
    spec.destinations = random_side(rng);
    spec.source_ports = chance(rng, 80) ? "*" : pick(rng, port_pool);
    spec.destination_ports = pick(rng, port_pool);
    ResolvedRule rule = make_rule(spec);
    if (chance(rng, 10))
        rule.protocols.insert(kUdp); // Tcp+Udp or Icmp+Udp: sets no single Azure keyword gives
    return rule;
}

std::vector<ResolvedRule> random_direction(std::mt19937& rng, Direction direction) {
    std::vector<ResolvedRule> rules;
    const int count = std::uniform_int_distribution<int>(1, 6)(rng);
    for (int k = 0; k < count; ++k)
        rules.push_back(random_rule(rng, 100 + 10 * k));
    static const net::AddressSet small_vnet = addresses({"10.0.0.0/16", "fd00:1::/32"});
    for (ResolvedRule& rule : policy::default_rules(direction, chance(rng, 50) ? test_vnet() : small_vnet))
        rules.push_back(std::move(rule));
    return rules;
}

TEST(RuleAnalysisReference, AgreesWithBruteForceOnRandomNsgs) {
    constexpr int kNsgs = 320;
    std::size_t shadowed = 0;
    std::size_t redundant = 0;
    std::size_t conflicts = 0;
    for (int seed = 1; seed <= kNsgs; ++seed) {
        std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
        std::vector<ResolvedRule> inbound = random_direction(rng, Direction::Inbound);
        std::vector<ResolvedRule> outbound = random_direction(rng, Direction::Outbound);
        const CompiledNsg nsg = CompiledNsg::from_rules(std::move(inbound), std::move(outbound));
        const NsgRuleAnalysis analysis = analyse_rules(nsg);
        ASSERT_TRUE(analysis.gave_up.empty()) << "seed " << seed;
        for (Direction direction : {Direction::Inbound, Direction::Outbound}) {
            const Verdicts expected = brute_force(nsg, direction);
            const Verdicts actual = from_analysis(analysis, direction);
            EXPECT_EQ(actual, expected) << "seed " << seed << " " << net::direction_name(direction);
            shadowed += expected.shadowed.size();
            redundant += expected.redundant.size();
            conflicts += expected.conflicts.size();
        }
        expect_examples_hold(nsg, analysis);
        if (::testing::Test::HasFailure())
            break;
    }
    // The generator must exercise every verdict, or agreement proves little.
    EXPECT_GT(shadowed, 50u);
    EXPECT_GT(redundant, 50u);
    EXPECT_GT(conflicts, 50u);
}

// ---- atoms ----

bool same_box(const FlowBox& a, const FlowBox& b) {
    return a.protocols == b.protocols && a.sources == b.sources && a.destinations == b.destinations &&
           a.source_ports == b.source_ports && a.destination_ports == b.destination_ports;
}

// The same sets over atoms and over interval sets: box for box, in the same order, and the same
// example. Random rule lists, and random sequences of the operations the analysis uses.
void expect_same_sets(const AtomSpace& space, const AtomBoxSet& atoms, const FlowBoxSet& flows,
                      const std::string& where) {
    ASSERT_EQ(atoms.overflowed(), flows.overflowed()) << where;
    ASSERT_EQ(atoms.boxes().size(), flows.boxes().size()) << where;
    for (std::size_t k = 0; k < atoms.boxes().size(); ++k)
        EXPECT_TRUE(same_box(space.to_flow_box(atoms.boxes()[k]), flows.boxes()[k])) << where << " box " << k;
    EXPECT_EQ(atoms.example(), flows.example()) << where;
}

TEST(AtomBoxSet, AgreesWithFlowBoxSetBoxForBox) {
    std::size_t operations = 0;
    std::size_t split = 0;
    for (int seed = 1; seed <= 200; ++seed) {
        std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
        const std::vector<ResolvedRule> rules = random_direction(rng, Direction::Inbound);
        const AtomSpace space(rules);
        std::vector<AtomBoxSet> atoms;
        std::vector<FlowBoxSet> flows;
        for (std::size_t r = 0; r < rules.size(); ++r) {
            atoms.push_back(space.rule_flows(r, 64));
            flows.push_back(FlowBoxSet::from_rule(rules[r], 64));
            expect_same_sets(space, atoms.back(), flows.back(), "rule " + std::to_string(r));
        }
        AtomBoxSet atom_set = atoms[0];
        FlowBoxSet flow_set = flows[0];
        for (int step = 0; step < 12; ++step) {
            const std::size_t r = std::uniform_int_distribution<std::size_t>(0, rules.size() - 1)(rng);
            ASSERT_EQ(atom_set.overlaps(atoms[r]), flow_set.overlaps(flows[r])) << "seed " << seed;
            if (chance(rng, 25)) {
                atom_set.intersect(atoms[r]);
                flow_set.intersect(flows[r]);
            } else {
                atom_set.subtract(atoms[r]);
                flow_set.subtract(flows[r]);
            }
            ++operations;
            split += flow_set.boxes().size() > 2 ? 1 : 0;
            expect_same_sets(space, atom_set, flow_set, "seed " + std::to_string(seed));
            if (::testing::Test::HasFailure())
                return;
            if (flow_set.empty() || flow_set.overflowed()) {
                atom_set = atoms[step % rules.size()];
                flow_set = flows[step % rules.size()];
            }
        }
    }
    // Sets of several boxes must come up often, or box-for-box agreement proves little.
    EXPECT_GT(split, 100u);
    EXPECT_EQ(operations, 200u * 12);
}

TEST(AtomSpace, AtomsAreTheCoarsestCutOfEachDimension) {
    // Two rules: 10.0.0.0/8 and 10.0.1.0/24 as sources. Source atoms: inside the /24, inside the /8
    // only, every other IPv4 address, and every IPv6 address (atoms never mix families).
    std::vector<ResolvedRule> rules;
    for (const char* source : {"10.0.0.0/8", "10.0.1.0/24"}) {
        RuleSpec spec;
        spec.name = source;
        spec.priority = 100 + static_cast<int>(rules.size());
        spec.protocol = "Tcp";
        spec.sources = {source};
        spec.destinations = {"*"};
        spec.destination_ports = "443";
        rules.push_back(make_rule(spec));
    }
    const AtomSpace space(rules);
    EXPECT_EQ(space.atom_count(AtomSpace::Source), 4u);
    EXPECT_EQ(space.atom_count(AtomSpace::Destination), 2u); // all IPv4, all IPv6
    // 443, and every other port: values no rule tells apart share an atom even when not adjacent.
    EXPECT_EQ(space.atom_count(AtomSpace::DestinationPort), 2u);
    EXPECT_EQ(space.atom_count(AtomSpace::SourcePort), 1u);
    // Protocols: TCP, UDP (kept apart from the rest, for the ported parts), and every other one.
    EXPECT_EQ(space.atom_count(AtomSpace::Protocol), 3u);
    EXPECT_TRUE(same_box(space.to_flow_box(space.rule_flows(1).boxes()[0]), FlowBox::of_rule(rules[1])));
}

// ---- every NSG of an estate, per VNet ----

using policy::testing::ExportBuilder;
using policy::testing::index_of;

policy::testing::RuleSpec estate_rule(std::string name, int priority, std::string access,
                                      std::vector<std::string> sources, std::vector<std::string> destinations,
                                      std::string port) {
    policy::testing::RuleSpec spec;
    spec.name = std::move(name);
    spec.priority = priority;
    spec.access = std::move(access);
    spec.protocol = "Tcp";
    spec.source = {std::move(sources), {}};
    spec.destination = {std::move(destinations), {}};
    spec.destination_ports = {std::move(port)};
    return spec;
}

TEST(AnalyseAllRules, VerdictsMustHoldInEveryVnetTheNsgAppliesIn) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", "shared"}});
    b.vnet("b", {"10.2.0.0/16"}, {{"s", "10.2.1.0/24", "shared"}});
    b.nsg("shared", {
                        estate_rule("allow-vnet", 100, "Allow", {"VirtualNetwork"}, {"VirtualNetwork"}, "*"),
                        estate_rule("deny-ssh", 150, "Deny", {"*"}, {"*"}, "22"),
                        estate_rule("allow-a-https", 200, "Allow", {"10.1.0.0/16"}, {"10.1.0.0/16"}, "443"),
                        estate_rule("deny-ssh-private", 300, "Deny", {"10.0.0.0/8"}, {"*"}, "22"),
                        estate_rule("allow-a-http", 400, "Allow", {"10.1.0.0/16"}, {"10.1.0.0/16"}, "80"),
                        estate_rule("allow-a-web", 500, "Allow", {"10.1.0.0/16"}, {"10.1.0.0/16"}, "80-90"),
                    });
    b.nsg("loose", {
                       estate_rule("deny-all-tcp", 100, "Deny", {"*"}, {"*"}, "*"),
                       estate_rule("deny-ssh", 200, "Deny", {"*"}, {"*"}, "22"),
                   });
    const model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const policy::ServiceTags tags;
    policy::PolicyEngine engine(estate, tags, diagnostics);
    const auto shared = index_of(estate.network_security_groups, "shared");
    const auto loose = index_of(estate.network_security_groups, "loose");
    const auto a = index_of(estate.virtual_networks, "a");
    const auto vnet_b = index_of(estate.virtual_networks, "b");

    // In VNet a, allow-a-https is inside VirtualNetwork and shadowed; in b it is live.
    const NsgRuleAnalysis in_a = analyse_rules(engine.nsg(shared, a));
    const NsgRuleAnalysis in_b = analyse_rules(engine.nsg(shared, vnet_b));
    auto has = [](const NsgRuleAnalysis& analysis, Kind kind, std::uint32_t rule) {
        return std::any_of(analysis.findings.begin(), analysis.findings.end(), [&](const RuleFinding& f) {
            return f.kind == kind && f.rule == rule && f.direction == Direction::Inbound;
        });
    };
    EXPECT_TRUE(has(in_a, Kind::Shadowed, 2));
    EXPECT_FALSE(has(in_b, Kind::Shadowed, 2));
    EXPECT_FALSE(has(in_b, Kind::Redundant, 2));
    // deny-ssh-private is shadowed in both: by allow-vnet and deny-ssh.
    EXPECT_TRUE(has(in_a, Kind::Shadowed, 3));
    EXPECT_TRUE(has(in_b, Kind::Shadowed, 3));
    // allow-a-http is shadowed in a and redundant in b (allow-a-web allows the same): dead in both.
    EXPECT_TRUE(has(in_a, Kind::Shadowed, 4));
    EXPECT_TRUE(has(in_b, Kind::Redundant, 4));
    EXPECT_TRUE(has(in_a, Kind::Shadowed, 5));
    EXPECT_FALSE(has(in_b, Kind::Shadowed, 5));

    const std::vector<NsgRuleAnalysis> all = analyse_all_rules(engine);
    ASSERT_EQ(all.size(), 2u);
    const NsgRuleAnalysis& merged = all[shared.value()];
    EXPECT_EQ(merged.nsg, shared);
    EXPECT_FALSE(has(merged, Kind::Shadowed, 2)) << "live in VNet b";
    EXPECT_FALSE(has(merged, Kind::Redundant, 2));
    EXPECT_TRUE(has(merged, Kind::Shadowed, 3));
    EXPECT_TRUE(has(merged, Kind::Redundant, 4));
    EXPECT_FALSE(has(merged, Kind::Shadowed, 4));
    EXPECT_FALSE(has(merged, Kind::Shadowed, 5)); // shadowed in a only
    EXPECT_FALSE(has(merged, Kind::Redundant, 5));
    // allow-vnet overrides deny-ssh inside each VNet: a conflict wherever it is found.
    EXPECT_TRUE(has(merged, Kind::Conflicting, 0));
    // Findings are sorted and not repeated per VNet.
    for (std::size_t k = 1; k < merged.findings.size(); ++k) {
        const RuleFinding& p = merged.findings[k - 1];
        const RuleFinding& q = merged.findings[k];
        EXPECT_TRUE(std::tie(p.direction, p.rule, p.kind, p.related) <
                    std::tie(q.direction, q.rule, q.kind, q.related));
    }

    // The NSG associated nowhere is analysed once, without a VNet.
    const NsgRuleAnalysis& unassociated = all[loose.value()];
    EXPECT_EQ(unassociated.nsg, loose);
    EXPECT_TRUE(has(unassociated, Kind::Shadowed, 1));
}

} // namespace
} // namespace ztnet::reach
