// Default rules, rule matching, tag and ASG resolution, and the policy engine's cache.
#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"

#include "export_builder.h"

namespace ztnet::policy {
namespace {

using testing::ExportBuilder;
using testing::flow;
using testing::has_diagnostic;
using testing::index_of;
using testing::RuleSpec;

constexpr std::uint8_t kIcmp = 1;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint8_t kEsp = 50;
constexpr std::uint8_t kAh = 51;
constexpr std::uint8_t kIcmpv6 = 58;
constexpr std::uint8_t kGre = 47;

net::Address ip(std::string_view text) {
    auto a = net::Address::parse(text);
    EXPECT_TRUE(a.ok()) << text;
    return a.ok() ? *a : net::Address();
}

net::AddressSet prefixes(std::initializer_list<std::string_view> texts) {
    net::AddressSet out;
    for (std::string_view t : texts) {
        auto p = net::Prefix::parse(t);
        EXPECT_TRUE(p.ok()) << t;
        if (p.ok())
            out.insert(*p);
    }
    return out;
}

ServiceTags sample_tags() {
    ServiceTags tags;
    tags.set("Storage", prefixes({"20.150.8.0/23", "52.239.140.0/22", "2603:1020:201::/48"}));
    tags.set("Storage.WestEurope", prefixes({"20.150.8.0/23"}));
    tags.set("Sql", prefixes({"13.66.140.128/26"}));
    return tags;
}

// ---- default rules ----

TEST(DefaultRules, InboundAreExactlyAzures) {
    const net::AddressSet vnet = prefixes({"10.0.0.0/16", "168.63.129.16/32"});
    const std::vector<ResolvedRule> rules = default_rules(net::Direction::Inbound, vnet);
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].name, "AllowVnetInBound");
    EXPECT_EQ(rules[0].priority, 65000);
    EXPECT_EQ(rules[0].access, model::Access::Allow);
    EXPECT_EQ(rules[0].sources, vnet);
    EXPECT_EQ(rules[0].destinations, vnet);
    EXPECT_EQ(rules[1].name, "AllowAzureLoadBalancerInBound");
    EXPECT_EQ(rules[1].priority, 65001);
    EXPECT_EQ(rules[1].access, model::Access::Allow);
    EXPECT_EQ(rules[1].sources, net::AddressSet::from(ip("168.63.129.16")));
    EXPECT_TRUE(rules[1].destinations.full());
    EXPECT_EQ(rules[2].name, "DenyAllInBound");
    EXPECT_EQ(rules[2].priority, 65500);
    EXPECT_EQ(rules[2].access, model::Access::Deny);
    EXPECT_TRUE(rules[2].sources.full());
    EXPECT_TRUE(rules[2].destinations.full());
    for (const ResolvedRule& rule : rules) {
        EXPECT_TRUE(rule.is_default) << rule.name;
        EXPECT_EQ(rule.custom_index, -1) << rule.name;
        EXPECT_TRUE(rule.protocols.full()) << rule.name;
        EXPECT_TRUE(rule.source_ports.full()) << rule.name;
        EXPECT_TRUE(rule.destination_ports.full()) << rule.name;
    }
}

TEST(DefaultRules, OutboundAreExactlyAzures) {
    const net::AddressSet vnet = prefixes({"10.0.0.0/16", "168.63.129.16/32"});
    const std::vector<ResolvedRule> rules = default_rules(net::Direction::Outbound, vnet);
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].name, "AllowVnetOutBound");
    EXPECT_EQ(rules[0].priority, 65000);
    EXPECT_EQ(rules[0].access, model::Access::Allow);
    EXPECT_EQ(rules[0].sources, vnet);
    EXPECT_EQ(rules[0].destinations, vnet);
    EXPECT_EQ(rules[1].name, "AllowInternetOutBound");
    EXPECT_EQ(rules[1].priority, 65001);
    EXPECT_EQ(rules[1].access, model::Access::Allow);
    EXPECT_TRUE(rules[1].sources.full());
    EXPECT_EQ(rules[1].destinations, internet_addresses());
    EXPECT_EQ(rules[2].name, "DenyAllOutBound");
    EXPECT_EQ(rules[2].priority, 65500);
    EXPECT_EQ(rules[2].access, model::Access::Deny);
    EXPECT_TRUE(rules[2].sources.full());
    EXPECT_TRUE(rules[2].destinations.full());
    for (const ResolvedRule& rule : rules) {
        EXPECT_TRUE(rule.is_default) << rule.name;
        EXPECT_EQ(rule.custom_index, -1) << rule.name;
        EXPECT_TRUE(rule.protocols.full()) << rule.name;
        EXPECT_TRUE(rule.source_ports.full()) << rule.name;
        EXPECT_TRUE(rule.destination_ports.full()) << rule.name;
    }
}

TEST(DefaultRules, DecideWithDefaultsOnly) {
    const net::AddressSet vnet = prefixes({"10.0.0.0/16", "168.63.129.16/32"});
    CompiledNsg nsg = CompiledNsg::from_rules(default_rules(net::Direction::Inbound, vnet),
                                              default_rules(net::Direction::Outbound, vnet));
    struct Case {
        net::Direction direction;
        net::Flow flow;
        model::Access access;
        std::uint32_t rule;
    };
    const Case cases[] = {
        {net::Direction::Inbound, flow(kTcp, "10.0.1.4", 5000, "10.0.2.4", 22), model::Access::Allow, 0},
        {net::Direction::Inbound, flow(kTcp, "168.63.129.16", 5000, "10.0.2.4", 80), model::Access::Allow, 0},
        {net::Direction::Inbound, flow(kTcp, "168.63.129.16", 5000, "192.168.9.9", 80), model::Access::Allow,
         1},
        {net::Direction::Inbound, flow(kTcp, "203.0.113.5", 5000, "10.0.2.4", 80), model::Access::Deny, 2},
        {net::Direction::Inbound, flow(kIcmp, "10.9.0.1", 0, "10.0.2.4", 0), model::Access::Deny, 2},
        {net::Direction::Outbound, flow(kUdp, "10.0.1.4", 5000, "10.0.2.4", 53), model::Access::Allow, 0},
        {net::Direction::Outbound, flow(kTcp, "10.0.1.4", 5000, "8.8.8.8", 443), model::Access::Allow, 1},
        {net::Direction::Outbound, flow(kTcp, "10.0.1.4", 5000, "192.168.0.1", 443), model::Access::Deny, 2},
        {net::Direction::Outbound, flow(kTcp, "fd00::1", 5000, "2001:4860::1", 443), model::Access::Allow, 1},
        {net::Direction::Outbound, flow(kTcp, "fd00::1", 5000, "fd00::2", 443), model::Access::Deny, 2},
    };
    for (const Case& c : cases) {
        const NsgDecision fast = nsg.decide(c.direction, c.flow);
        const NsgDecision slow = nsg.decide_linear(c.direction, c.flow);
        EXPECT_EQ(fast.access, c.access) << c.flow;
        EXPECT_EQ(fast.rule, c.rule) << c.flow;
        EXPECT_EQ(slow.access, c.access) << c.flow;
        EXPECT_EQ(slow.rule, c.rule) << c.flow;
    }
}

// ---- matching ----

ResolvedRule rule_for(std::string_view protocol, net::PortSet source_ports, net::PortSet destination_ports) {
    ResolvedRule rule;
    rule.name = "r";
    rule.access = model::Access::Allow;
    auto protocols = net::parse_nsg_protocol(protocol);
    EXPECT_TRUE(protocols.ok()) << protocol;
    rule.protocols = protocols.ok() ? *protocols : net::ProtocolSet();
    rule.sources = prefixes({"10.0.0.0/24", "fd00::/64"});
    rule.destinations = prefixes({"10.0.1.0/24", "fd00:1::/64"});
    rule.source_ports = std::move(source_ports);
    rule.destination_ports = std::move(destination_ports);
    return rule;
}

TEST(RuleMatching, EveryProtocolAndPortIgnoring) {
    const net::PortSet web = net::PortSet::single(443);
    const net::PortSet high = net::PortSet::range(1024, 65535);
    struct Case {
        std::string_view protocol;
        net::Flow flow;
        bool matches;
    };
    const Case cases[] = {
        // TCP: protocol, addresses and both ports.
        {"Tcp", flow(kTcp, "10.0.0.5", 40000, "10.0.1.5", 443), true},
        {"Tcp", flow(kTcp, "10.0.0.5", 40000, "10.0.1.5", 444), false},
        {"Tcp", flow(kTcp, "10.0.0.5", 1023, "10.0.1.5", 443), false},
        {"Tcp", flow(kUdp, "10.0.0.5", 40000, "10.0.1.5", 443), false},
        {"Tcp", flow(kTcp, "10.0.2.5", 40000, "10.0.1.5", 443), false},
        {"Tcp", flow(kTcp, "10.0.0.5", 40000, "10.0.2.5", 443), false},
        {"Tcp", flow(kTcp, "fd00::5", 40000, "fd00:1::5", 443), true},
        {"Tcp", flow(kTcp, "fd00::5", 40000, "fd00:2::5", 443), false},
        // UDP likewise.
        {"Udp", flow(kUdp, "10.0.0.5", 5000, "10.0.1.5", 443), true},
        {"Udp", flow(kUdp, "10.0.0.5", 5000, "10.0.1.5", 53), false},
        {"Udp", flow(kTcp, "10.0.0.5", 5000, "10.0.1.5", 443), false},
        // ICMP, ESP, AH: ports are ignored (the flow's ports do not matter).
        {"Icmp", flow(kIcmp, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"Icmp", flow(kIcmp, "10.0.0.5", 7, "10.0.1.5", 9), true},
        {"Icmp", flow(kIcmpv6, "fd00::5", 0, "fd00:1::5", 0), false}, // Icmp is ICMPv4 only
        {"Icmp", flow(kTcp, "10.0.0.5", 40000, "10.0.1.5", 443), false},
        {"Esp", flow(kEsp, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"Esp", flow(kAh, "10.0.0.5", 0, "10.0.1.5", 0), false},
        {"Ah", flow(kAh, "fd00::5", 0, "fd00:1::5", 0), true},
        {"Ah", flow(kAh, "fd00::5", 0, "fd00:2::5", 0), false},
        // "*": every protocol number; ports only for TCP and UDP.
        {"*", flow(kTcp, "10.0.0.5", 40000, "10.0.1.5", 443), true},
        {"*", flow(kTcp, "10.0.0.5", 40000, "10.0.1.5", 80), false},
        {"*", flow(kUdp, "10.0.0.5", 80, "10.0.1.5", 443), false},
        {"*", flow(kIcmp, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"*", flow(kIcmpv6, "fd00::5", 0, "fd00:1::5", 0), true},
        {"*", flow(kGre, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"*", flow(0, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"*", flow(255, "10.0.0.5", 0, "10.0.1.5", 0), true},
        {"*", flow(kGre, "10.0.3.5", 0, "10.0.1.5", 0), false},
    };
    for (const Case& c : cases) {
        const ResolvedRule rule = rule_for(c.protocol, high, web);
        EXPECT_EQ(rule.matches(c.flow), c.matches) << c.protocol << " " << c.flow;
        // The compiled classifier agrees, with the rule alone and with the defaults after it.
        CompiledNsg nsg = CompiledNsg::from_rules({rule}, {});
        const NsgDecision decision = nsg.decide(net::Direction::Inbound, c.flow);
        EXPECT_EQ(decision.rule, c.matches ? 0u : 1u) << c.protocol << " " << c.flow;
        EXPECT_EQ(decision.access, c.matches ? model::Access::Allow : model::Access::Deny);
        EXPECT_EQ(nsg.decide_linear(net::Direction::Inbound, c.flow).rule, decision.rule);
    }
}

TEST(RuleMatching, EmptySetsMatchNothing) {
    ResolvedRule rule = rule_for("*", net::PortSet::all(), net::PortSet::all());
    rule.sources = net::AddressSet();
    EXPECT_FALSE(rule.matches(flow(kIcmp, "10.0.0.5", 0, "10.0.1.5", 0)));
    rule = rule_for("Tcp", net::PortSet(), net::PortSet::all());
    EXPECT_FALSE(rule.matches(flow(kTcp, "10.0.0.5", 1, "10.0.1.5", 1)));
}

// ---- compiling from the estate: tags ----

RuleSpec rule(std::string name, int priority, std::vector<std::string> source,
              std::vector<std::string> destination, std::string access = "Allow",
              std::string direction = "Inbound") {
    RuleSpec spec;
    spec.name = std::move(name);
    spec.priority = priority;
    spec.source.addresses = std::move(source);
    spec.destination.addresses = std::move(destination);
    spec.access = std::move(access);
    spec.direction = std::move(direction);
    return spec;
}

TEST(TagResolution, BuiltInLegacyAndFileTags) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("hub", {"10.0.0.0/16"}, {{"s1", "10.0.1.0/24", "nsg"}});
    b.nsg("nsg", {
                     rule("vnet", 100, {"VirtualNetwork"}, {"*"}),
                     rule("vnet-legacy", 110, {"VIRTUAL_NETWORK"}, {"*"}),
                     rule("internet", 120, {"Internet"}, {"*"}),
                     rule("internet-legacy", 130, {"INTERNET"}, {"*"}),
                     rule("lb", 140, {"AzureLoadBalancer"}, {"*"}),
                     rule("lb-legacy", 150, {"AZURE_LOADBALANCER"}, {"*"}),
                     rule("storage-regional", 160, {"*"}, {"storage.westeurope"}, "Allow", "Outbound"),
                     rule("sql-lower", 170, {"*"}, {"sql"}, "Allow", "Outbound"),
                     rule("storage", 180, {"*"}, {"Storage"}, "Allow", "Outbound"),
                 });
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const ServiceTags tags = sample_tags();
    CompiledNsg nsg = CompiledNsg::compile(estate, model::NsgIndex(0u),
                                           index_of(estate.virtual_networks, "hub"), tags, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    const auto& in = nsg.rules(net::Direction::Inbound);
    const auto& out = nsg.rules(net::Direction::Outbound);
    ASSERT_EQ(in.size(), 6u + 3u);
    ASSERT_EQ(out.size(), 3u + 3u);
    const net::AddressSet vnet = prefixes({"10.0.0.0/16", "168.63.129.16/32"});
    EXPECT_EQ(in[0].sources, vnet);
    EXPECT_EQ(in[1].sources, vnet);
    EXPECT_EQ(in[2].sources, internet_addresses());
    EXPECT_EQ(in[3].sources, internet_addresses());
    EXPECT_EQ(in[4].sources, net::AddressSet::from(ip("168.63.129.16")));
    EXPECT_EQ(in[5].sources, net::AddressSet::from(ip("168.63.129.16")));
    EXPECT_EQ(out[0].destinations, *tags.find("Storage.WestEurope"));
    EXPECT_EQ(out[1].destinations, *tags.find("Sql"));
    EXPECT_EQ(out[2].destinations, *tags.find("Storage"));
    EXPECT_EQ(in[6].name, "AllowVnetInBound");
    EXPECT_EQ(in[6].sources, vnet);
    // Custom rules keep their place in the NSG.
    EXPECT_EQ(in[0].custom_index, 0);
    EXPECT_EQ(out[2].custom_index, 8);
    EXPECT_FALSE(in[0].is_default);
}

TEST(TagResolution, UnresolvableTagIsAnErrorAndTheSideIsUnknown) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("hub", {"10.0.0.0/16"}, {{"s1", "10.0.1.0/24", "nsg"}});
    b.nsg("nsg", {rule("deny-monitor", 100, {"*"}, {"AzureMonitor"}, "Deny", "Outbound"),
                  rule("allow-sql-frankfurt", 110, {"*"}, {"Sql.GermanyWestCentral"}, "Allow", "Outbound")});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    CompiledNsg nsg =
        CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u), sample_tags(), diagnostics);
    EXPECT_EQ(diagnostics.error_count(), 2u);
    EXPECT_TRUE(has_diagnostic(diagnostics, "unresolvable-service-tag",
                               "unresolvable service tag 'AzureMonitor': not in the service tags file (pass "
                               "--service-tags FILE)"));
    EXPECT_TRUE(has_diagnostic(diagnostics, "unresolvable-service-tag", "'Sql.GermanyWestCentral'"));
    for (const Diagnostic& d : diagnostics.all()) {
        // The place is the rule's, and a note says what the rule then does.
        EXPECT_EQ(d.where.pointer, estate.network_security_groups[0]
                                       .rules[d.message.find("AzureMonitor") != std::string::npos ? 0 : 1]
                                       .where.pointer);
        ASSERT_EQ(d.notes.size(), 1u);
        EXPECT_NE(d.notes[0].find("may match anything on its destination side"), std::string::npos)
            << d.notes[0];
    }
    // Each rule may match any destination and surely matches none: it is uncertain, never inert.
    const auto& out = nsg.rules(net::Direction::Outbound);
    ASSERT_EQ(out.size(), 5u);
    for (std::size_t r : {0u, 1u}) {
        EXPECT_TRUE(out[r].uncertain());
        EXPECT_TRUE(out[r].destinations.full());
        EXPECT_TRUE(out[r].narrowest->destinations.empty());
        EXPECT_NE(out[r].unknown.find("is not in the service tags file"), std::string::npos)
            << out[r].unknown;
    }
    // Whether the Deny stops Internet traffic depends on what the tag holds: undecidable, both ways.
    const net::Flow f = flow(kTcp, "10.0.1.4", 40000, "8.8.8.8", 443);
    EXPECT_TRUE(nsg.decide(net::Direction::Outbound, f).undecidable);
    EXPECT_TRUE(nsg.decide_linear(net::Direction::Outbound, f).undecidable);
}

// 168.63.129.16 is the host node's virtual IP, not the Internet (Microsoft Learn,
// virtual-network/what-is-ip-address-168-63-129-16; virtual-network/service-tags-overview). Health
// probes come from it and are subject to NSGs through the AzureLoadBalancer tag: a rule on the
// Internet tag decides them neither way.
TEST(TagResolution, TheInternetTagNeverHoldsThePlatformAddress) {
    EXPECT_FALSE(internet_addresses().contains(ip("168.63.129.16")));
    const net::Flow probe = flow(kTcp, "168.63.129.16", 5000, "10.0.1.4", 80);
    auto decide = [&](std::vector<RuleSpec> rules) {
        Diagnostics load;
        ExportBuilder b;
        b.vnet("hub", {"10.0.0.0/16"}, {{"s1", "10.0.1.0/24", "nsg"}});
        b.nsg("nsg", std::move(rules));
        model::Estate estate = b.build(load);
        Diagnostics diagnostics;
        CompiledNsg nsg = CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u),
                                               ServiceTags(), diagnostics);
        const NsgDecision d = nsg.decide(net::Direction::Inbound, probe);
        return std::make_pair(d.access, nsg.rules(net::Direction::Inbound)[d.rule].name);
    };
    // A Deny of the Internet does not stop the probe: the default rules let it in (the VirtualNetwork
    // tag holds the host node's address too, so AllowVnetInBound is the first to match).
    EXPECT_EQ(decide({rule("deny-internet", 100, {"Internet"}, {"*"}, "Deny")}),
              std::make_pair(model::Access::Allow, std::string("AllowVnetInBound")));
    // An Allow of the Internet does not let it through a custom DenyAll.
    EXPECT_EQ(decide({rule("allow-internet", 100, {"Internet"}, {"*"}),
                      rule("deny-all", 4096, {"*"}, {"*"}, "Deny")}),
              std::make_pair(model::Access::Deny, std::string("deny-all")));
}

TEST(TagResolution, PortsOfPortlessRulesAreAll) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("hub", {"10.0.0.0/16"}, {});
    RuleSpec icmp = rule("icmp", 100, {"*"}, {"*"});
    icmp.protocol = "Icmp";
    icmp.destination_ports = {"7"};
    RuleSpec tcp = rule("tcp", 110, {"*"}, {"*"});
    tcp.protocol = "Tcp";
    tcp.destination_ports = {"80", "443"};
    b.nsg("nsg", {icmp, tcp});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    CompiledNsg nsg =
        CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u), ServiceTags(), diagnostics);
    const auto& in = nsg.rules(net::Direction::Inbound);
    EXPECT_TRUE(in[0].destination_ports.full());
    EXPECT_EQ(in[1].destination_ports, net::PortSet::single(80).unite(net::PortSet::single(443)));
}

TEST(TagResolution, RulesAreOrderedByPriorityPerDirection) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("hub", {"10.0.0.0/16"}, {});
    b.nsg("nsg", {rule("c", 300, {"*"}, {"*"}), rule("out", 100, {"*"}, {"*"}, "Deny", "Outbound"),
                  rule("a", 100, {"*"}, {"*"}, "Deny"), rule("b", 200, {"*"}, {"*"})});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    CompiledNsg nsg =
        CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u), ServiceTags(), diagnostics);
    const auto& in = nsg.rules(net::Direction::Inbound);
    ASSERT_EQ(in.size(), 6u);
    EXPECT_EQ(in[0].name, "a");
    EXPECT_EQ(in[1].name, "b");
    EXPECT_EQ(in[2].name, "c");
    EXPECT_EQ(in[2].custom_index, 0);
    EXPECT_EQ(in[3].name, "AllowVnetInBound");
    const auto& out = nsg.rules(net::Direction::Outbound);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].name, "out");
    EXPECT_EQ(nsg.decide(net::Direction::Inbound, flow(kTcp, "1.2.3.4", 1, "10.0.0.4", 2)).access,
              model::Access::Deny);
    EXPECT_EQ(nsg.nsg(), model::NsgIndex(0u));
    EXPECT_EQ(nsg.vnet(), model::VnetIndex(0u));
}

// ---- the VirtualNetwork tag ----

TEST(VirtualNetworkTag, AddressSpacePeersAndPlatform) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("hub", {"10.0.0.0/16", "fd00:0:0::/48"}, {},
           {{"to-spoke1", "spoke1", {"10.99.0.0/16"}, true},   // loaded: the remote VNet's space wins
            {"to-spoke2", "spoke2", {"10.2.0.0/16"}, true},    // not loaded: the recorded remote space
            {"to-spoke3", "spoke3", {"10.3.0.0/16"}, false}}); // access off: not in the tag
    b.vnet("spoke1", {"10.1.0.0/16"}, {});
    model::Estate estate = b.build(load);
    const auto hub = index_of(estate.virtual_networks, "hub");
    ASSERT_NE(hub, model::kNone);
    const net::AddressSet tag = virtual_network_tag(estate, hub);
    EXPECT_EQ(tag, prefixes({"10.0.0.0/16", "fd00::/48", "10.1.0.0/16", "10.2.0.0/16", "168.63.129.16/32"}));
    const auto spoke1 = index_of(estate.virtual_networks, "spoke1");
    EXPECT_EQ(virtual_network_tag(estate, spoke1), prefixes({"10.1.0.0/16", "168.63.129.16/32"}));
    EXPECT_EQ(virtual_network_tag(estate, model::kNone), prefixes({"168.63.129.16/32"}));
}

// ---- ASGs ----

TEST(Asg, ResolvesMembersPrivateIps) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("spoke", {"10.1.0.0/16"}, {{"web", "10.1.1.0/24", ""}, {"app", "10.1.2.0/24", ""}});
    b.asg("asg-web").asg("asg-app").asg("asg-empty");
    b.nic("web1", "spoke", "web", "10.1.1.4", "", {"asg-web"});
    b.nic("web2", "spoke", "web", "10.1.1.5", "", {"asg-web"});
    b.nic("app1", "spoke", "app", "10.1.2.4", "", {"asg-app"});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const AsgAddresses web =
        resolve_asg(estate, index_of(estate.application_security_groups, "asg-web"), diagnostics);
    EXPECT_EQ(web.addresses, prefixes({"10.1.1.4/32", "10.1.1.5/32"}));
    EXPECT_EQ(web.vnet, index_of(estate.virtual_networks, "spoke"));
    const AsgAddresses empty =
        resolve_asg(estate, index_of(estate.application_security_groups, "asg-empty"), diagnostics);
    EXPECT_TRUE(empty.addresses.empty());
    EXPECT_EQ(empty.vnet, model::kNone);
    EXPECT_FALSE(diagnostics.has_errors());
}

TEST(Asg, UsedInRulesAndDecided) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("spoke", {"10.1.0.0/16"}, {{"web", "10.1.1.0/24", "nsg"}, {"app", "10.1.2.0/24", "nsg"}});
    b.asg("asg-web").asg("asg-app");
    b.nic("web1", "spoke", "web", "10.1.1.4", "", {"asg-web"});
    b.nic("app1", "spoke", "app", "10.1.2.4", "", {"asg-app"});
    b.nic("other", "spoke", "app", "10.1.2.9");
    RuleSpec web_to_app;
    web_to_app.name = "web-to-app";
    web_to_app.priority = 100;
    web_to_app.protocol = "Tcp";
    web_to_app.source = {{}, {"asg-web"}};
    web_to_app.destination = {{}, {"asg-app"}};
    web_to_app.destination_ports = {"8080"};
    b.nsg("nsg", {web_to_app, rule("deny-vnet", 200, {"VirtualNetwork"}, {"VirtualNetwork"}, "Deny")});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    CompiledNsg nsg =
        CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u), ServiceTags(), diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    EXPECT_EQ(nsg.decide(net::Direction::Inbound, flow(kTcp, "10.1.1.4", 40000, "10.1.2.4", 8080)).access,
              model::Access::Allow);
    EXPECT_EQ(nsg.decide(net::Direction::Inbound, flow(kTcp, "10.1.1.4", 40000, "10.1.2.9", 8080)).rule, 1u);
    EXPECT_EQ(nsg.decide(net::Direction::Inbound, flow(kTcp, "10.1.1.4", 40000, "10.1.2.4", 22)).access,
              model::Access::Deny);
}

TEST(Asg, MembersInTwoVnetsAreAnError) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", ""}});
    b.vnet("b", {"10.2.0.0/16"}, {{"s", "10.2.1.0/24", ""}});
    b.asg("asg-split");
    b.nic("first", "a", "s", "10.1.1.4", "", {"asg-split"});
    b.nic("second", "b", "s", "10.2.1.4", "", {"asg-split"});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const AsgAddresses split =
        resolve_asg(estate, index_of(estate.application_security_groups, "asg-split"), diagnostics);
    EXPECT_EQ(diagnostics.error_count(), 1u);
    EXPECT_TRUE(has_diagnostic(
        diagnostics, "asg-multiple-vnets",
        "ASG asg-split has members in VNet a (first/ipconfig1) and VNet b (second/ipconfig1)"));
    EXPECT_EQ(split.vnet, index_of(estate.virtual_networks, "a")); // the first member's VNet
    EXPECT_EQ(split.addresses, prefixes({"10.1.1.4/32", "10.2.1.4/32"}));
}

// An ASG with a static member (10.1.1.4) and a dynamic one, used by the first rule of the NSG; `more`
// rules follow it.
model::Estate asg_with_dynamic_member(std::vector<RuleSpec> more, Diagnostics& load) {
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", "nsg"}});
    b.asg("asg");
    b.nic("known", "a", "s", "10.1.1.4", "", {"asg"});
    b.nic("dynamic", "a", "s", "", "", {"asg"});
    RuleSpec r = rule("from-asg", 100, {}, {"*"});
    r.source = {{}, {"asg"}};
    more.insert(more.begin(), r);
    b.nsg("nsg", more);
    return b.build(load);
}

TEST(Asg, DynamicMemberTakesAStandInAddress) {
    // A NIC whose address Azure picks at deployment: no rule tells the subnet's free addresses
    // apart, so the first free one (after the static 10.1.1.4) stands in for it, exactly.
    Diagnostics load;
    model::Estate estate = asg_with_dynamic_member({}, load);
    ASSERT_FALSE(load.has_errors());
    EXPECT_TRUE(estate.network_interfaces[1].ip_configurations[0].address_stand_in);
    Diagnostics direct;
    const AsgAddresses members = resolve_asg(estate, model::AsgIndex(0u), direct);
    EXPECT_FALSE(direct.has_errors());
    EXPECT_EQ(members.addresses, prefixes({"10.1.1.4/32", "10.1.1.5/32"}));
}

TEST(Asg, DynamicMemberWithCandidatesHoldsThemAll) {
    // A rule naming 10.1.1.8/29 tells the subnet's free addresses apart: the dynamic NIC gets one
    // candidate per piece, and the ASG holds each (no other NIC has any of them).
    Diagnostics load;
    model::Estate estate = asg_with_dynamic_member({rule("to-some", 110, {"*"}, {"10.1.1.8/29"})}, load);
    ASSERT_FALSE(load.has_errors());
    EXPECT_TRUE(has_diagnostic(load, "dynamic-address-candidates", "to-some", Severity::Note));
    const model::IpConfiguration& config = estate.network_interfaces[1].ip_configurations[0];
    ASSERT_EQ(config.candidate_ips.size(), 2u);
    Diagnostics direct;
    const AsgAddresses members = resolve_asg(estate, model::AsgIndex(0u), direct);
    EXPECT_FALSE(direct.has_errors());
    EXPECT_EQ(members.addresses, prefixes({"10.1.1.4/31", "10.1.1.8/32"}));
}

TEST(Asg, MemberWithoutIpIsAnError) {
    // A member whose address the input cannot tell at all: the ASG cannot be resolved.
    Diagnostics load;
    model::Estate estate = asg_with_dynamic_member({}, load);
    model::IpConfiguration& config = estate.network_interfaces[1].ip_configurations[0];
    config.private_ip.reset();
    config.address_stand_in = false;
    config.address_undecidable = "its subnet is not in the input";
    Diagnostics direct;
    const AsgAddresses members = resolve_asg(estate, model::AsgIndex(0u), direct);
    EXPECT_TRUE(
        has_diagnostic(direct, "asg-member-no-ip", "member dynamic/ipconfig1 has no known private IP"));
    EXPECT_EQ(members.addresses, prefixes({"10.1.1.4/32"}));
    // In a rule, the ASG side is then unknown beyond its known member, and the error is at the rule.
    Diagnostics diagnostics;
    CompiledNsg nsg =
        CompiledNsg::compile(estate, model::NsgIndex(0u), model::VnetIndex(0u), ServiceTags(), diagnostics);
    EXPECT_TRUE(has_diagnostic(diagnostics, "asg-member-no-ip", "dynamic/ipconfig1"));
    EXPECT_EQ(diagnostics.all().at(0).where.pointer,
              estate.network_security_groups[0].rules[0].where.pointer);
    const ResolvedRule& from_asg = nsg.rules(net::Direction::Inbound)[0];
    ASSERT_TRUE(from_asg.uncertain());
    EXPECT_TRUE(from_asg.sources.full());
    EXPECT_EQ(from_asg.narrowest->sources, prefixes({"10.1.1.4/32"}));
}

TEST(Asg, AsgFromAnotherVnetIsAnError) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", ""}});
    b.vnet("b", {"10.2.0.0/16"}, {{"s", "10.2.1.0/24", "nsg"}});
    b.asg("asg-a");
    b.nic("member", "a", "s", "10.1.1.4", "", {"asg-a"});
    RuleSpec r = rule("to-asg", 100, {"*"}, {});
    r.destination = {{}, {"asg-a"}};
    b.nsg("nsg", {r});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    CompiledNsg in_b = CompiledNsg::compile(
        estate, model::NsgIndex(0u), index_of(estate.virtual_networks, "b"), ServiceTags(), diagnostics);
    EXPECT_EQ(diagnostics.error_count(), 1u);
    EXPECT_TRUE(has_diagnostic(diagnostics, "asg-vnet-mismatch",
                               "ASG asg-a's members are in VNet a, but the NSG applies in VNet b"));
    EXPECT_TRUE(in_b.rules(net::Direction::Inbound)[0].uncertain());
    EXPECT_TRUE(in_b.rules(net::Direction::Inbound)[0].destinations.full());
    // Compiled for VNet a, the same rule is fine.
    Diagnostics fine;
    CompiledNsg in_a = CompiledNsg::compile(estate, model::NsgIndex(0u),
                                            index_of(estate.virtual_networks, "a"), ServiceTags(), fine);
    EXPECT_FALSE(fine.has_errors());
    EXPECT_EQ(in_a.rules(net::Direction::Inbound)[0].destinations, prefixes({"10.1.1.4/32"}));
}

// ---- the engine ----

TEST(PolicyEngine, CompilesOncePerNsgAndVnetAndReportsOnce) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", "nsg"}});
    b.vnet("b", {"10.2.0.0/16"}, {{"s", "10.2.1.0/24", "nsg"}});
    b.nsg("nsg", {rule("monitor", 100, {"AzureMonitor"}, {"*"})});
    b.nsg("unused", {});
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const ServiceTags tags;
    PolicyEngine engine(estate, tags, diagnostics);
    const model::NsgIndex nsg = index_of(estate.network_security_groups, "nsg");
    const auto a = index_of(estate.virtual_networks, "a");
    const auto vnet_b = index_of(estate.virtual_networks, "b");
    const CompiledNsg& first = engine.nsg(nsg, a);
    EXPECT_EQ(&engine.nsg(nsg, a), &first);
    const CompiledNsg& second = engine.nsg(nsg, vnet_b);
    EXPECT_NE(&second, &first);
    EXPECT_EQ(&engine.nsg(nsg, a), &first); // stable after other insertions
    EXPECT_EQ(first.vnet(), a);
    EXPECT_EQ(second.vnet(), vnet_b);
    EXPECT_EQ(diagnostics.error_count(), 1u); // same rule, same tag: one error
    // VirtualNetwork differs per VNet.
    const net::Flow inside_a = flow(kTcp, "10.1.1.4", 1, "10.1.1.5", 22);
    EXPECT_EQ(first.decide(net::Direction::Inbound, inside_a).access, model::Access::Allow);
    EXPECT_EQ(second.decide(net::Direction::Inbound, inside_a).access, model::Access::Deny);
    EXPECT_EQ(diagnostics.error_count(), 1u);
    EXPECT_EQ(&engine.nsg(nsg, a), &first);
    EXPECT_EQ(&engine.estate(), &estate);
    EXPECT_EQ(&engine.tags(), &tags);
}

TEST(PolicyEngine, CompileAllReportsEveryUsedNsg) {
    Diagnostics load;
    ExportBuilder b;
    b.vnet("a", {"10.1.0.0/16"}, {{"s", "10.1.1.0/24", ""}});
    b.nsg("nic-nsg", {rule("sql", 100, {"Sql"}, {"*"})});
    b.nsg("loose", {rule("kv", 100, {"AzureKeyVault"}, {"*"})});
    b.nic("vm", "a", "s", "10.1.1.4", "nic-nsg");
    model::Estate estate = b.build(load);
    ASSERT_FALSE(load.has_errors());
    Diagnostics diagnostics;
    const ServiceTags tags;
    PolicyEngine engine(estate, tags, diagnostics);
    EXPECT_EQ(diagnostics.error_count(), 2u);
    EXPECT_TRUE(has_diagnostic(diagnostics, "unresolvable-service-tag", "'Sql'"));
    EXPECT_TRUE(has_diagnostic(diagnostics, "unresolvable-service-tag", "'AzureKeyVault'"));
}

} // namespace
} // namespace ztnet::policy
