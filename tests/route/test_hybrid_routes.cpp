// Hybrid connectivity, as Microsoft Learn states it (virtual-network/virtual-networks-udr-overview,
// "Virtual network gateway" routes; vpn-gateway/vpn-gateway-about-vpn-gateway-settings): a virtual
// network gateway propagates the on-premises prefixes of its connections to the subnets of its VNet
// (unless a route table disables gateway route propagation), so traffic there goes to the gateway,
// beyond which the estate does not say: undecidable, where without the gateway Azure drops a private
// range and sends a public one to the Internet. A gateway that learns routes by BGP may carry
// prefixes the input does not list: private ranges are then undecidable too, never dropped.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/effective_routes_file.h"

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

struct Hybrid {
    bool gateway = true;
    bool bgp = false;
    bool propagation_disabled = false;
    bool app_nsg = false;     // an NSG of default rules only on snet-app
    bool gateway_udr = false; // GatewaySubnet routes snet-app to an appliance (not a firewall ztnet reads)
};

std::string estate_json(const Hybrid& h) {
    std::string out = R"([{"id": ")" + kRg + R"(routeTables/rt", "type": "Microsoft.Network/routeTables",
      "name": "rt", "properties": {"disableBgpRoutePropagation": )" +
                      std::string(h.propagation_disabled ? "true" : "false") + R"(, "routes": []}},
     {"id": ")" + kRg +
                      R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
        {"id": ")" + kRg +
                      R"(virtualNetworks/vnet/subnets/snet-app", "name": "snet-app", "properties": {
          "addressPrefix": "10.0.1.0/24", "routeTable": {"id": ")" +
                      kRg + R"(routeTables/rt"}}},
        {"id": ")" + kRg +
                      R"(virtualNetworks/vnet/subnets/GatewaySubnet", "name": "GatewaySubnet",
         "properties": {"addressPrefix": "10.0.255.0/27")" +
                      std::string(h.gateway_udr
                                      ? R"(, "routeTable": {"id": ")" + kRg + R"(routeTables/rt-gw"})"
                                      : "") +
                      R"(}}]}},
     {"id": ")" + kRg +
                      R"(networkInterfaces/nic-app", "type": "Microsoft.Network/networkInterfaces",
      "name": "nic-app", "properties": {"ipConfigurations": [{"name": "ip", "properties": {
        "privateIPAddress": "10.0.1.4", "privateIPAllocationMethod": "Static",
        "subnet": {"id": ")" +
                      kRg + R"(virtualNetworks/vnet/subnets/snet-app"}}}]}})";
    if (h.app_nsg)
        out += R"(,
     {"id": ")" +
               kRg + R"(networkSecurityGroups/nsg-app", "type": "Microsoft.Network/networkSecurityGroups",
      "name": "nsg-app", "properties": {"securityRules": [], "subnets": [{"id": ")" +
               kRg + R"(virtualNetworks/vnet/subnets/snet-app"}]}})";
    if (h.gateway_udr)
        out += R"(,
     {"id": ")" +
               kRg + R"(routeTables/rt-gw", "type": "Microsoft.Network/routeTables", "name": "rt-gw",
      "properties": {"routes": [{"name": "app-via-nva", "properties": {"addressPrefix": "10.0.1.0/24",
        "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.9.4"}}]}})";
    if (h.gateway)
        out += R"(,
     {"id": ")" +
               kRg + R"(virtualNetworkGateways/vgw", "type": "Microsoft.Network/virtualNetworkGateways",
      "name": "vgw", "properties": {"gatewayType": "Vpn", "enableBgp": )" +
               std::string(h.bgp ? "true" : "false") +
               R"(, "ipConfigurations": [{"name": "ip", "properties": {
        "subnet": {"id": ")" +
               kRg + R"(virtualNetworks/vnet/subnets/GatewaySubnet"}}}]}},
     {"id": ")" +
               kRg + R"(localNetworkGateways/lng-office", "type": "Microsoft.Network/localNetworkGateways",
      "name": "lng-office", "properties": {"gatewayIpAddress": "198.51.100.7",
        "localNetworkAddressSpace": {"addressPrefixes": ["192.168.10.0/24", "203.0.113.0/24"]}}},
     {"id": ")" +
               kRg + R"(connections/office", "type": "Microsoft.Network/connections", "name": "office",
      "properties": {"connectionType": "IPsec",
        "virtualNetworkGateway1": {"id": ")" +
               kRg + R"(virtualNetworkGateways/vgw"},
        "localNetworkGateway2": {"id": ")" +
               kRg + R"(localNetworkGateways/lng-office"}}})";
    return out + "]";
}

Verdict trace(const Hybrid& h, const std::string& to) {
    auto loaded = testing::load_text(estate_json(h));
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    return testing::trace_between(*loaded, "nic-app", to).verdict;
}

TEST(HybridRoutes, OnPremisesPrefixesGoToTheGateway) {
    // A private on-premises prefix: to the gateway (undecidable beyond it), not dropped.
    EXPECT_EQ(trace({}, "192.168.10.5"), Verdict::Undecidable);
    EXPECT_EQ(trace({.gateway = false}, "192.168.10.5"), Verdict::Denied);
    // A public on-premises prefix: to the gateway, not out to the Internet.
    EXPECT_EQ(trace({}, "203.0.113.5"), Verdict::Undecidable);
    EXPECT_EQ(trace({.gateway = false}, "203.0.113.5"), Verdict::Allowed);
    // Private space the connection does not reach is still dropped.
    EXPECT_EQ(trace({}, "192.168.20.5"), Verdict::Denied);
}

TEST(HybridRoutes, ABgpGatewayMayCarryPrivateRangesTheInputDoesNotList) {
    EXPECT_EQ(trace({.bgp = true}, "192.168.20.5"), Verdict::Undecidable);
    EXPECT_EQ(trace({.bgp = true}, "172.16.0.9"), Verdict::Undecidable);
}

TEST(HybridRoutes, DisabledPropagationKeepsTheGatewayRoutesOut) {
    EXPECT_EQ(trace({.propagation_disabled = true}, "192.168.10.5"), Verdict::Denied);
    EXPECT_EQ(trace({.bgp = true, .propagation_disabled = true}, "192.168.20.5"), Verdict::Denied);
}

TEST(HybridRoutes, TheFastPathAgreesWithPathTracing) {
    for (const Hybrid& h : {Hybrid{}, Hybrid{.bgp = true}, Hybrid{.gateway = false}, Hybrid{.app_nsg = true},
                            Hybrid{.gateway_udr = true}}) {
        auto loaded = testing::load_text(estate_json(h));
        testing::expect_fast_path_agrees(*loaded);
        // The on-premises prefixes, public ones included, are endpoints of their own where a
        // gateway reaches them, not pieces of the Internet.
        policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
        reach::Reachability fast(engine, loaded->diagnostics);
        const auto& endpoints = fast.endpoints().endpoints;
        const auto named = [&](const std::string& name) {
            return std::any_of(endpoints.begin(), endpoints.end(),
                               [&](const auto& e) { return e.name == name; });
        };
        EXPECT_EQ(named("on-premises 192.168.10.0/24"), h.gateway);
        EXPECT_EQ(named("on-premises 203.0.113.0/24"), h.gateway);
        EXPECT_FALSE(named("Internet 203.0.113.0/24"));
    }
}

Verdict from_on_premises(const Hybrid& h, const std::string& from) {
    auto loaded = testing::load_text(estate_json(h));
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    return testing::trace_between(*loaded, from, "nic-app").verdict;
}

// Traffic from on-premises enters through the gateway that serves the VNet
// (vpn-gateway/vpn-gateway-about-vpngateways): denied without a gateway, allowed with one.
TEST(HybridRoutes, OnPremisesEntersThroughTheGateway) {
    EXPECT_EQ(from_on_premises({}, "192.168.10.5"), Verdict::Allowed);
    EXPECT_EQ(from_on_premises({.gateway = false}, "192.168.10.5"), Verdict::Denied);
    EXPECT_EQ(from_on_premises({}, "192.168.20.5"), Verdict::Denied); // not an on-premises prefix
    auto loaded = testing::load_text(estate_json({}));
    const PathResult r = testing::trace_between(*loaded, "192.168.10.5", "nic-app");
    ASSERT_FALSE(r.hops.empty());
    EXPECT_EQ(r.hops.front().resource_name, "vgw");
}

// "The VirtualNetwork service tag ... includes the on-premises address space" (virtual-network/
// service-tags-overview): an NSG of default rules admits on-premises through AllowVnetInBound.
TEST(HybridRoutes, TheVirtualNetworkTagHoldsTheOnPremisesPrefixes) {
    EXPECT_EQ(from_on_premises({.app_nsg = true}, "192.168.10.5"), Verdict::Allowed);
    auto loaded = testing::load_text(estate_json({.app_nsg = true}));
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "192.168.10.5").verdict,
              Verdict::Undecidable); // beyond the gateway
}

// User-defined routes on the GatewaySubnet apply to traffic arriving from on-premises: here they
// send it to an appliance ztnet cannot evaluate.
TEST(HybridRoutes, GatewaySubnetRoutesApplyToTrafficFromOnPremises) {
    EXPECT_EQ(from_on_premises({.gateway_udr = true}, "192.168.10.5"), Verdict::Undecidable);
}

// A BGP gateway may carry private ranges the input does not list: whether on-premises announces
// the source is unknown, never denied; a public source it does not list is not on-premises.
TEST(HybridRoutes, ABgpGatewayMayCarryUnlistedSources) {
    EXPECT_EQ(from_on_premises({.bgp = true}, "172.16.0.9"), Verdict::Undecidable);
    EXPECT_EQ(from_on_premises({.bgp = true}, "198.18.0.9"), Verdict::Denied);
}

// What BGP taught, from `az network nic show-effective-route-table` (--routes NIC=FILE): the
// learned prefixes go to the gateway; the private ranges it did not teach are Azure's default
// routes again (next hop None) rather than undecidable. Both directions flip.
TEST(HybridRoutes, SuppliedEffectiveRoutesReplaceTheGuess) {
    auto loaded = testing::load_text(estate_json({.bgp = true}));
    SourceSet sources;
    const FileId file = sources.add("routes.json", R"({"value": [
      {"addressPrefix": ["10.0.0.0/16"], "nextHopIpAddress": [], "nextHopType": "VnetLocal", "source": "Default",
       "state": "Active"},
      {"addressPrefix": ["172.16.0.0/16"], "nextHopIpAddress": ["10.0.255.4"], "nextHopType": "VirtualNetworkGateway",
       "source": "VirtualNetworkGateway", "state": "Active"},
      {"addressPrefix": ["172.17.0.0/16"], "nextHopIpAddress": ["10.0.255.4"], "nextHopType": "VirtualNetworkGateway",
       "source": "VirtualNetworkGateway", "state": "Invalid"}]})");
    auto root = json::read(sources.text(file));
    ASSERT_TRUE(root);
    load::apply_effective_routes(loaded->estate, "nic-app", *root, file, loaded->diagnostics);
    ASSERT_FALSE(loaded->diagnostics.has_errors());
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "172.16.4.5").verdict,
              Verdict::Undecidable); // on-premises
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "172.17.4.5").verdict,
              Verdict::Denied); // not taught
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "192.168.20.5").verdict, Verdict::Denied);
    testing::expect_fast_path_agrees(*loaded);
}

// A summary broader than the VNet (10.0.0.0/8 on-premises) is installed: the longest prefix keeps
// the VNet's own traffic local and sends the rest of 10/8 to the gateway; a default route BGP taught
// (forced tunnelling) beats the system route to the Internet on equal prefix.
TEST(HybridRoutes, BroaderPrefixesAndABgpDefaultRouteGoToTheGateway) {
    auto loaded = testing::load_text(estate_json({}));
    SourceSet sources;
    const FileId file = sources.add("routes.json", R"({"value": [
      {"addressPrefix": ["10.0.0.0/8"], "nextHopType": "VirtualNetworkGateway", "source": "VirtualNetworkGateway",
       "state": "Active"},
      {"addressPrefix": ["0.0.0.0/0"], "nextHopType": "VirtualNetworkGateway", "source": "VirtualNetworkGateway",
       "state": "Active"}]})");
    auto root = json::read(sources.text(file));
    ASSERT_TRUE(root);
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "10.5.0.4").verdict,
              Verdict::Denied); // before: dropped
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "198.18.0.9").verdict, Verdict::Allowed);
    load::apply_effective_routes(loaded->estate, "nic-app", *root, file, loaded->diagnostics);
    ASSERT_FALSE(loaded->diagnostics.has_errors());
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "10.5.0.4").verdict, Verdict::Undecidable);
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "198.18.0.9").verdict, Verdict::Undecidable);
    EXPECT_EQ(testing::trace_between(*loaded, "nic-app", "10.0.255.5").verdict,
              Verdict::Allowed); // still local
    testing::expect_fast_path_agrees(*loaded);
}

TEST(HybridRoutes, ABadRouteTableIsAnErrorWithItsPlace) {
    auto loaded = testing::load_text(estate_json({}));
    SourceSet sources;
    const FileId file = sources.add("routes.json", R"({"value": [{"source": "VirtualNetworkGateway",
      "addressPrefix": ["not-a-prefix"]}]})");
    auto root = json::read(sources.text(file));
    ASSERT_TRUE(root);
    load::apply_effective_routes(loaded->estate, "nic-app", *root, file, loaded->diagnostics);
    ASSERT_TRUE(loaded->diagnostics.has_errors());
    EXPECT_EQ(loaded->diagnostics.all().back().where.pointer, "/value/0/addressPrefix/0");
    Diagnostics other;
    load::apply_effective_routes(loaded->estate, "nic-missing", *root, file, other);
    ASSERT_TRUE(other.has_errors());
    EXPECT_NE(other.all().back().message.find("no network interface nic-missing"), std::string::npos);
}

} // namespace
} // namespace ztnet::route
