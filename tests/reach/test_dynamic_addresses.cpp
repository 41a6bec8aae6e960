// A dynamic address's stand-in is exact: reachability to and from the NIC is the same whichever free
// address of its subnet Azure assigns. Checked by brute force, address by address, against the
// estate with the stand-in. Where a rule tells the free addresses apart, the NIC is followed at one
// candidate per piece, and the answer is checked, again address by address, to be the exact one:
// allowed where every address allows, undecidable where they differ.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/route/path.h"

namespace ztnet::reach {
namespace {

// A subnet 10.0.1.0/28 with an NSG, a static NIC (10.0.1.4) and a dynamic one; `rules` are the NSG's.
std::string estate_json(const std::string& rules) {
    const std::string sub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";
    return R"([
  {"id": ")" +
           sub + R"(networkSecurityGroups/nsg", "type": "Microsoft.Network/networkSecurityGroups",
   "name": "nsg", "properties": {"securityRules": )" +
           rules + R"(}},
  {"id": ")" +
           sub + R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
   "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
     "subnets": [{"id": ")" +
           sub + R"(virtualNetworks/vnet/subnets/s", "name": "s",
       "properties": {"addressPrefix": "10.0.1.0/28", "networkSecurityGroup": {"id": ")" +
           sub + R"(networkSecurityGroups/nsg"}}}]}},
  {"id": ")" +
           sub +
           R"(networkInterfaces/static", "type": "Microsoft.Network/networkInterfaces", "name": "static",
   "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAddress": "10.0.1.4",
     "privateIPAllocationMethod": "Static", "subnet": {"id": ")" +
           sub + R"(virtualNetworks/vnet/subnets/s"}}}]}},
  {"id": ")" +
           sub +
           R"(networkInterfaces/dynamic", "type": "Microsoft.Network/networkInterfaces", "name": "dynamic",
   "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAllocationMethod": "Dynamic",
     "subnet": {"id": ")" +
           sub + R"(virtualNetworks/vnet/subnets/s"}}}]}}])";
}

std::string rule(const std::string& name, int priority, const std::string& direction,
                 const std::string& access, const std::string& source, const std::string& destination,
                 const std::string& ports) {
    return R"({"name": ")" + name + R"(", "properties": {"priority": )" + std::to_string(priority) +
           R"(, "direction": ")" + direction + R"(", "access": ")" + access +
           R"(", "protocol": "Tcp", "sourceAddressPrefix": ")" + source +
           R"(", "sourcePortRange": "*", "destinationAddressPrefix": ")" + destination +
           R"(", "destinationPortRange": ")" + ports + R"("}})";
}

// What the static NIC may send the dynamic one, and the dynamic one the static one.
std::pair<PairReach, PairReach> both_ways(const model::Estate& estate) {
    policy::ServiceTags tags;
    Diagnostics diagnostics;
    policy::PolicyEngine engine(estate, tags, diagnostics);
    Reachability reach(engine, diagnostics);
    std::uint32_t static_nic = 0, dynamic_nic = 0;
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind != ReachEndpoint::Kind::Nic)
            continue;
        (endpoints[i].endpoint.nic == model::NicIndex(0u) ? static_nic : dynamic_nic) = i;
    }
    return {reach.between(static_nic, dynamic_nic), reach.between(dynamic_nic, static_nic)};
}

std::pair<ServiceSet, ServiceSet> between_the_two(const model::Estate& estate) {
    auto [there, back] = both_ways(estate);
    return {there.allowed, back.allowed};
}

// The answer that holds whichever address in `addresses` Azure gives the dynamic NIC: allowed where
// every address is allowed, undecidable where they differ or one is undecidable.
std::pair<PairReach, PairReach> for_every_address(const model::Estate& estate,
                                                  const std::vector<net::Address>& addresses) {
    std::pair<PairReach, PairReach> out;
    std::pair<ServiceSet, ServiceSet> somewhere;
    bool first = true;
    for (const net::Address& address : addresses) {
        model::Estate at = estate;
        model::IpConfiguration& config = at.network_interfaces[1].ip_configurations[0];
        config.private_ip = address;
        config.candidate_ips.clear();
        auto [there, back] = both_ways(at);
        out.first.allowed = first ? there.allowed : out.first.allowed.intersect(there.allowed);
        out.second.allowed = first ? back.allowed : out.second.allowed.intersect(back.allowed);
        somewhere.first = somewhere.first.unite(there.allowed).unite(there.undecidable);
        somewhere.second = somewhere.second.unite(back.allowed).unite(back.undecidable);
        first = false;
    }
    out.first.undecidable = somewhere.first.subtract(out.first.allowed);
    out.second.undecidable = somewhere.second.subtract(out.second.allowed);
    return out;
}

// The free addresses Azure may give the dynamic NIC: 10.0.1.5 .. 10.0.1.14.
std::vector<net::Address> free_addresses() {
    std::vector<net::Address> out;
    for (std::uint32_t last = 5; last <= 14; ++last)
        out.push_back(net::Address::v4(0x0A000100u + last));
    return out;
}

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    model::Estate estate;
};

Loaded load(const std::string& text) {
    Loaded out;
    FileId file = out.sources.add("estate.json", text);
    out.estate = load::load_sources(out.sources, {file}, {}, out.diagnostics).estate;
    return out;
}

TEST(DynamicAddresses, TheStandInGivesTheVerdictsOfEveryFreeAddress) {
    // Rules that name the static NIC's address and whole prefixes: none splits the free addresses.
    std::string rules = "[" + rule("in", 100, "Inbound", "Allow", "10.0.1.4", "10.0.1.0/28", "22") + "," +
                        rule("deny-in", 200, "Inbound", "Deny", "*", "*", "*") + "," +
                        rule("out", 100, "Outbound", "Allow", "10.0.0.0/16", "10.0.1.4/32", "443") + "]";
    Loaded loaded = load(estate_json(rules));
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    const model::IpConfiguration& stand_in = loaded.estate.network_interfaces[1].ip_configurations[0];
    ASSERT_TRUE(stand_in.address_stand_in);
    EXPECT_EQ(stand_in.private_ip->to_string(), "10.0.1.5");
    auto expected = between_the_two(loaded.estate);
    EXPECT_FALSE(expected.first.empty()); // SSH from the static NIC, so the comparison is not vacuous
    // Every other address Azure may assign: 10.0.1.6 .. 10.0.1.14 (10.0.1.15 is the broadcast).
    for (std::uint32_t last = 6; last <= 14; ++last) {
        model::Estate estate = loaded.estate;
        estate.network_interfaces[1].ip_configurations[0].private_ip = net::Address::v4(0x0A000100u + last);
        EXPECT_EQ(between_the_two(estate), expected) << "10.0.1." << last;
    }
}

TEST(DynamicAddresses, CandidatesWhereARuleTellsTheFreeAddressesApart) {
    // SSH from the static NIC to 10.0.1.8/29 only; an outbound rule that names one free address.
    std::string rules = "[" + rule("in", 100, "Inbound", "Allow", "10.0.1.4", "10.0.1.8/29", "22") + "," +
                        rule("in-web", 110, "Inbound", "Allow", "10.0.1.4", "10.0.1.0/28", "80") + "," +
                        rule("in-static", 120, "Inbound", "Allow", "10.0.1.0/28", "10.0.1.4", "443") + "," +
                        rule("deny-in", 200, "Inbound", "Deny", "*", "*", "*") + "," +
                        rule("out", 100, "Outbound", "Deny", "10.0.1.6", "*", "443") + "]";
    Loaded loaded = load(estate_json(rules));
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    const model::IpConfiguration& config = loaded.estate.network_interfaces[1].ip_configurations[0];
    EXPECT_FALSE(config.private_ip.has_value());
    EXPECT_TRUE(config.address_undecidable.empty()) << config.address_undecidable;
    // Pieces: {.5, .7}, {.6}, {.8 .. .14}; one candidate each.
    ASSERT_EQ(config.candidate_ips.size(), 3u);
    EXPECT_NE(config.candidates_reason.find("10.0.1.8/29"), std::string::npos) << config.candidates_reason;

    auto [there, back] = both_ways(loaded.estate);
    EXPECT_EQ(std::make_pair(there, back), for_every_address(loaded.estate, free_addresses()));
    // Not vacuous: port 80 is allowed at every address, 22 at some, 443 out leaves at some.
    const ServiceSet tcp22 =
        ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(), net::PortSet::single(22));
    const ServiceSet tcp80 =
        ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(), net::PortSet::single(80));
    const ServiceSet tcp443 =
        ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(), net::PortSet::single(443));
    EXPECT_TRUE(there.allowed.contains(tcp80));
    EXPECT_TRUE(there.undecidable.contains(tcp22));
    EXPECT_FALSE(there.allowed.overlaps(tcp22));
    EXPECT_TRUE(back.undecidable.contains(tcp443));
    // And the verdicts do differ by address: 10.0.1.5 is outside the SSH rule, 10.0.1.9 inside.
    model::Estate low = loaded.estate, high = loaded.estate;
    low.network_interfaces[1].ip_configurations[0].private_ip = net::Address::v4(0x0A000105u);
    high.network_interfaces[1].ip_configurations[0].private_ip = net::Address::v4(0x0A000109u);
    EXPECT_NE(between_the_two(low).first, between_the_two(high).first);
}

TEST(DynamicAddresses, ATraceFollowsEveryCandidate) {
    std::string rules = "[" + rule("in", 100, "Inbound", "Allow", "10.0.1.4", "10.0.1.8/29", "22") + "," +
                        rule("in-web", 110, "Inbound", "Allow", "10.0.1.4", "10.0.1.0/28", "80") + "," +
                        rule("deny-in", 200, "Inbound", "Deny", "*", "*", "*") + "]";
    Loaded loaded = load(estate_json(rules));
    policy::ServiceTags tags;
    Diagnostics diagnostics;
    policy::PolicyEngine engine(loaded.estate, tags, diagnostics);
    auto from = route::nic_endpoint(loaded.estate, model::NicIndex(0u), 0, "static");
    auto to = route::nic_endpoint(loaded.estate, model::NicIndex(1u), 0, "dynamic");
    ASSERT_TRUE(from && to);
    EXPECT_EQ(to->alternatives.size(), 1u);
    auto verdict = [&](std::uint16_t port, std::uint8_t protocol = 6) {
        route::PathQuery query;
        query.flow.protocol = protocol;
        query.flow.source_port = 50000;
        query.flow.destination_port = port;
        return route::trace_path(engine, *from, *to, query, diagnostics).verdict;
    };
    EXPECT_EQ(verdict(22), route::Verdict::Undecidable);
    EXPECT_EQ(verdict(80), route::Verdict::Allowed);
    EXPECT_EQ(verdict(443), route::Verdict::Denied);
    // The slow reference, which traces each cell, agrees with the fast answer.
    Reachability reach(engine, diagnostics);
    ReferenceReach reference(engine);
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::uint32_t a = 0; a < endpoints.size(); ++a)
        for (std::uint32_t b = 0; b < endpoints.size(); ++b)
            EXPECT_EQ(reach.between(a, b), reference.between(endpoints[a], endpoints[b]))
                << endpoints[a].name << " -> " << endpoints[b].name;
}

} // namespace
} // namespace ztnet::reach
