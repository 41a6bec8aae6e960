// Private endpoints, as Microsoft Learn states them (private-link/disable-private-endpoint-network-policy,
// private-link/private-endpoint-overview): privateEndpointNetworkPolicies on the endpoint's subnet
// decides whether that subnet's NSG (Enabled, NetworkSecurityGroupEnabled) and the user-defined
// routes (Enabled, RouteTableEnabled) apply to traffic to the endpoint; otherwise the endpoint's /32
// route wins over broader routes by longest prefix, and the NSG does not filter it. An endpoint never
// opens a connection. Each policy flips a verdict; the fast path must agree with path tracing.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

// A VM subnet whose routes send the VNet's traffic to an appliance (not a firewall ztnet reads), and
// a subnet holding a storage account's private endpoint behind an NSG that denies the VNet.
std::string estate_json(const std::string& policies) {
    return R"([{"id": ")" + kRg + R"(routeTables/rt", "type": "Microsoft.Network/routeTables", "name": "rt",
      "properties": {"routes": [{"name": "vnet", "properties": {"addressPrefix": "10.0.0.0/16",
        "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.9.4"}}]}},
     {"id": ")" +
           kRg + R"(networkSecurityGroups/nsg-pe", "type": "Microsoft.Network/networkSecurityGroups",
      "name": "nsg-pe", "properties": {"securityRules": [{"name": "DenyVnet", "properties": {"priority": 100,
        "direction": "Inbound", "access": "Deny", "protocol": "*", "sourceAddressPrefix": "VirtualNetwork",
        "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}},
     {"id": ")" +
           kRg + R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        {"id": ")" +
           kRg + R"(virtualNetworks/vnet/subnets/snet-app", "name": "snet-app", "properties": {
          "addressPrefix": "10.0.1.0/24", "routeTable": {"id": ")" +
           kRg + R"(routeTables/rt"}}},
        {"id": ")" +
           kRg + R"(virtualNetworks/vnet/subnets/snet-pe", "name": "snet-pe", "properties": {
          "addressPrefix": "10.0.2.0/24", "privateEndpointNetworkPolicies": ")" +
           policies + R"(",
          "networkSecurityGroup": {"id": ")" +
           kRg + R"(networkSecurityGroups/nsg-pe"}}}]}},
     {"id": ")" +
           kRg + R"(networkInterfaces/nic-app", "type": "Microsoft.Network/networkInterfaces",
      "name": "nic-app", "properties": {"ipConfigurations": [{"name": "ip", "properties": {
        "privateIPAddress": "10.0.1.4", "privateIPAllocationMethod": "Static",
        "subnet": {"id": ")" +
           kRg + R"(virtualNetworks/vnet/subnets/snet-app"}}}]}},
     {"id": ")" +
           kRg + R"(privateEndpoints/pe-blob", "type": "Microsoft.Network/privateEndpoints",
      "name": "pe-blob", "properties": {"subnet": {"id": ")" +
           kRg + R"(virtualNetworks/vnet/subnets/snet-pe"},
        "privateLinkServiceConnections": [{"name": "blob", "properties": {"privateLinkServiceId":
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdata",
          "groupIds": ["blob"]}}],
        "customDnsConfigs": [{"fqdn": "stdata.blob.core.windows.net", "ipAddresses": ["10.0.2.4"]}]}}])";
}

using testing::LoadedText;

std::unique_ptr<LoadedText> load(const std::string& policies) {
    return testing::load_text(estate_json(policies));
}

Verdict trace(LoadedText& loaded, const std::string& from, const std::string& to) {
    return testing::trace_between(loaded, from, to).verdict;
}

// Every pair, fast path against path tracing, with the endpoint among them.
void fast_agrees(LoadedText& loaded) {
    testing::expect_fast_path_agrees(loaded);
    policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
    reach::Reachability fast(engine, loaded.diagnostics);
    const auto& endpoints = fast.endpoints().endpoints;
    EXPECT_TRUE(std::any_of(endpoints.begin(), endpoints.end(), [](const reach::ReachEndpoint& e) {
        return e.kind == reach::ReachEndpoint::Kind::PrivateEndpoint;
    }));
}

TEST(PrivateEndpoints, DisabledPoliciesBypassTheRoutesAndTheNsg) {
    auto loaded = load("Disabled");
    ASSERT_FALSE(loaded->diagnostics.has_errors());
    EXPECT_EQ(trace(*loaded, "nic-app", "pe-blob"), Verdict::Allowed);
    EXPECT_EQ(trace(*loaded, "nic-app", "10.0.2.4"), Verdict::Allowed); // by its address too
    // Another address of the same subnet follows the route to the appliance, and meets the NSG.
    EXPECT_EQ(trace(*loaded, "nic-app", "10.0.2.5"), Verdict::Undecidable);
    fast_agrees(*loaded);
}

TEST(PrivateEndpoints, EnabledPoliciesApplyBoth) {
    auto loaded = load("Enabled");
    EXPECT_EQ(trace(*loaded, "nic-app", "pe-blob"), Verdict::Undecidable); // the appliance decides first
    fast_agrees(*loaded);
}

TEST(PrivateEndpoints, NsgOnlyPoliciesKeepTheRouteAndApplyTheNsg) {
    auto loaded = load("NetworkSecurityGroupEnabled");
    EXPECT_EQ(trace(*loaded, "nic-app", "pe-blob"), Verdict::Denied); // nsg-pe's DenyVnet
    fast_agrees(*loaded);
}

TEST(PrivateEndpoints, AnEndpointNeverOpensAConnection) {
    auto loaded = load("Disabled");
    EXPECT_EQ(trace(*loaded, "pe-blob", "nic-app"), Verdict::Denied);
}

// A template that lets Azure pick the endpoint's address: where every rule and route treats the
// subnet's free addresses alike, a free one stands in and the verdicts are those above; where a rule
// names one of them, the address decides and the endpoint is left out, with a warning.
std::string without_address(std::string json, const std::string& extra_rule = "") {
    const std::size_t at = json.find(",\n        \"customDnsConfigs\"");
    json.erase(at, json.rfind("}}]") - at); // up to what closes the properties, the endpoint and the array
    if (!extra_rule.empty()) {
        const std::string anchor = R"("destinationPortRange": "*"}}]}})";
        json.replace(json.find(anchor), anchor.size(),
                     R"("destinationPortRange": "*"}}, )" + extra_rule + "]}}");
    }
    return json;
}

TEST(PrivateEndpoints, AnAddressAzurePicksIsStoodInWhereRulesTreatTheSubnetAlike) {
    auto open = testing::load_text(without_address(estate_json("Disabled")));
    ASSERT_FALSE(open->diagnostics.has_errors());
    ASSERT_EQ(open->estate.private_endpoints.size(), 1u);
    EXPECT_TRUE(open->estate.private_endpoints[0].address_stand_in);
    EXPECT_EQ(trace(*open, "nic-app", "pe-blob"), Verdict::Allowed);
    fast_agrees(*open);
    auto filtered = testing::load_text(without_address(estate_json("NetworkSecurityGroupEnabled")));
    EXPECT_EQ(trace(*filtered, "nic-app", "pe-blob"), Verdict::Denied);
}

TEST(PrivateEndpoints, AnAddressARuleTellsApartLeavesTheEndpointOut) {
    const std::string host_rule =
        R"({"name": "AllowOne", "properties": {"priority": 110, "direction": "Inbound",
        "access": "Allow", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
        "destinationAddressPrefix": "10.0.2.10", "destinationPortRange": "*"}})";
    auto loaded = testing::load_text(without_address(estate_json("Enabled"), host_rule));
    ASSERT_FALSE(loaded->diagnostics.has_errors());
    EXPECT_TRUE(loaded->estate.private_endpoints[0].private_ips.empty());
    EXPECT_NE(loaded->estate.private_endpoints[0].address_undecidable.find("AllowOne"), std::string::npos)
        << loaded->estate.private_endpoints[0].address_undecidable;
    policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
    reach::Reachability fast(engine, loaded->diagnostics);
    const auto& endpoints = fast.endpoints().endpoints;
    EXPECT_TRUE(std::none_of(endpoints.begin(), endpoints.end(), [](const reach::ReachEndpoint& e) {
        return e.kind == reach::ReachEndpoint::Kind::PrivateEndpoint;
    }));
}

} // namespace
} // namespace ztnet::route
