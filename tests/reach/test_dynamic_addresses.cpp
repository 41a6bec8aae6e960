// A dynamic address's stand-in is exact: reachability to and from the NIC is the same whichever free
// address of its subnet Azure assigns. Checked by brute force, address by address, against the
// estate with the stand-in; and where a rule tells the free addresses apart, the loader refuses a
// stand-in because the verdicts really do differ.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/reachability.h"

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
std::pair<ServiceSet, ServiceSet> between_the_two(const model::Estate& estate) {
    policy::ServiceTags tags;
    Diagnostics diagnostics;
    policy::PolicyEngine engine(estate, tags, diagnostics);
    Reachability reach(engine, diagnostics);
    std::uint32_t static_nic = 0, dynamic_nic = 0;
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind != ReachEndpoint::Kind::Nic)
            continue;
        (endpoints[i].endpoint.nic == 0 ? static_nic : dynamic_nic) = i;
    }
    return {reach.between(static_nic, dynamic_nic).allowed, reach.between(dynamic_nic, static_nic).allowed};
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

TEST(DynamicAddresses, NoStandInWhereARuleTellsTheFreeAddressesApart) {
    std::string rules = "[" + rule("in", 100, "Inbound", "Allow", "10.0.1.4", "10.0.1.8/29", "22") + "," +
                        rule("deny-in", 200, "Inbound", "Deny", "*", "*", "*") + "]";
    Loaded loaded = load(estate_json(rules));
    const model::IpConfiguration& config = loaded.estate.network_interfaces[1].ip_configurations[0];
    EXPECT_FALSE(config.private_ip.has_value());
    EXPECT_NE(config.address_undecidable.find("10.0.1.8/29"), std::string::npos)
        << config.address_undecidable;
    // And the verdicts do differ: 10.0.1.5 is outside the rule, 10.0.1.9 inside.
    model::Estate low = loaded.estate, high = loaded.estate;
    low.network_interfaces[1].ip_configurations[0].private_ip = net::Address::v4(0x0A000105u);
    high.network_interfaces[1].ip_configurations[0].private_ip = net::Address::v4(0x0A000109u);
    EXPECT_NE(between_the_two(low).first, between_the_two(high).first);
}

} // namespace
} // namespace ztnet::reach
