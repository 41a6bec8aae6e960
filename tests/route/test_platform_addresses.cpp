// Platform addresses, as Microsoft Learn states them. virtual-network/network-security-groups-overview:
// traffic to 168.63.129.16 and 169.254.169.254 "aren't subject to the configured network security
// groups unless targeted by service tags specific to each service" (AzurePlatformDNS,
// AzurePlatformIMDS, AzurePlatformLKM). virtual-network/what-is-ip-address-168-63-129-16: the host
// node's address "isn't subject to user defined routes". Each case would flip if ztnet got it wrong:
// a DenyAll that does not block DNS, a Deny naming the tag that does, a default route to an
// appliance that DNS does not take.
#include <string>

#include <gtest/gtest.h>

#include "ztnet/policy/service_tags.h"

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

std::string rule(const std::string& name, int priority, const std::string& access,
                 const std::string& destination) {
    return R"({"name": ")" + name + R"(", "properties": {"priority": )" + std::to_string(priority) +
           R"(, "direction": "Outbound", "access": ")" + access +
           R"(", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": ")" +
           destination + R"(", "destinationPortRange": "*"}})";
}

// One subnet with an NSG of `rules` and a route table sending 0.0.0.0/0 to an appliance, and one NIC.
std::string estate_json(const std::string& rules) {
    return R"([{"id": ")" + kRg +
           R"(networkSecurityGroups/nsg", "type": "Microsoft.Network/networkSecurityGroups",
      "name": "nsg", "properties": {"securityRules": [)" +
           rules + R"(]}},
     {"id": ")" +
           kRg + R"(routeTables/rt", "type": "Microsoft.Network/routeTables", "name": "rt",
      "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0",
        "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.9.4"}}]}},
     {"id": ")" +
           kRg + R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"id": ")" +
           kRg +
           R"(virtualNetworks/vnet/subnets/s", "name": "s", "properties": {"addressPrefix": "10.0.1.0/24",
        "networkSecurityGroup": {"id": ")" +
           kRg + R"(networkSecurityGroups/nsg"},
        "routeTable": {"id": ")" +
           kRg + R"(routeTables/rt"}}}]}},
     {"id": ")" +
           kRg + R"(networkInterfaces/nic", "type": "Microsoft.Network/networkInterfaces", "name": "nic",
      "properties": {"ipConfigurations": [{"name": "ip", "properties": {"privateIPAddress": "10.0.1.4",
        "privateIPAllocationMethod": "Static", "subnet": {"id": ")" +
           kRg + R"(virtualNetworks/vnet/subnets/s"}}}]}}])";
}

struct Traced {
    Verdict verdict = Verdict::Denied;
    std::string summary;
    bool routed = false; // whether a route hop was taken
    Diagnostics diagnostics;
};

Traced trace(const std::string& rules, const std::string& to, std::uint16_t port) {
    auto loaded = testing::load_text(estate_json(rules));
    PathResult r = testing::trace_between(*loaded, "nic", to, 17, port);
    Traced out;
    out.verdict = r.verdict;
    out.summary = r.summary;
    for (const Hop& h : r.hops)
        out.routed = out.routed || h.kind == Hop::Kind::Route;
    out.diagnostics = std::move(loaded->diagnostics);
    return out;
}

TEST(PlatformAddresses, ADenyAllDoesNotBlockDnsOrTheMetadataService) {
    const std::string deny_all = rule("DenyAllOutbound", 4096, "Deny", "*");
    Traced dns = trace(deny_all, "168.63.129.16", 53);
    EXPECT_EQ(dns.verdict, Verdict::Allowed) << dns.summary;
    EXPECT_FALSE(dns.routed) << "168.63.129.16 takes no user-defined route";
    EXPECT_EQ(trace(deny_all, "169.254.169.254", 80).verdict, Verdict::Allowed);
    // Everything else is still filtered: DNS to a public resolver is denied.
    EXPECT_EQ(trace(deny_all, "8.8.8.8", 53).verdict, Verdict::Denied);
}

TEST(PlatformAddresses, ARuleNamingTheTagDecides) {
    const std::string rules = rule("DenyAzureDns", 100, "Deny", "AzurePlatformDNS") + "," +
                              rule("DenyAllOutbound", 4096, "Deny", "*");
    Traced dns = trace(rules, "168.63.129.16", 53);
    EXPECT_EQ(dns.verdict, Verdict::Denied);
    EXPECT_NE(dns.summary.find("DenyAzureDns"), std::string::npos) << dns.summary;
    // The tag is the DNS address's alone: the metadata service is not affected.
    EXPECT_EQ(trace(rules, "169.254.169.254", 80).verdict, Verdict::Allowed);
    const std::string imds = rule("DenyImds", 100, "Deny", "AzurePlatformIMDS");
    EXPECT_EQ(trace(imds, "169.254.169.254", 80).verdict, Verdict::Denied);
    EXPECT_FALSE(dns.diagnostics.has_errors());
}

TEST(PlatformAddresses, NeitherAddressIsInternet) {
    EXPECT_FALSE(policy::internet_addresses().contains(policy::azure_platform_address()));
    EXPECT_FALSE(policy::internet_addresses().contains(policy::azure_metadata_address()));
}

TEST(PlatformAddresses, TheLicensingTagIsBuiltInButUnpublished) {
    Traced t = trace(rule("DenyKms", 100, "Deny", "AzurePlatformLKM"), "8.8.8.8", 1688);
    EXPECT_FALSE(t.diagnostics.has_errors());
    bool warned = false;
    for (const Diagnostic& d : t.diagnostics.all())
        warned = warned || d.code == "platform-tag-unpublished";
    EXPECT_TRUE(warned);
    // Whether the Deny holds 8.8.8.8 is unknown: the flow is undecidable, not allowed.
    EXPECT_EQ(t.verdict, Verdict::Undecidable) << t.summary;
}

} // namespace
} // namespace ztnet::route
