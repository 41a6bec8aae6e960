// Virtual WAN: a secured hub read as a VNet with its firewall, its connections as peerings, and
// the routes it teaches the connected VNets (tests/data/virtual-wan/secured-hub.json, shaped as
// Azure returns it: two spokes, routing intent for private and Internet traffic through the hub's
// Azure Firewall Premium, whose policy allows only pay's app subnet to crm's API on 443).
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/route/effective_routes.h"

#include "../support/edit_text.h"
#include "route_test_support.h"

namespace ztnet::route {
namespace {

using testing::LoadedText;

std::string secured_hub() {
    std::ifstream in(std::string(ZTNET_SOURCE_DIR) + "/tests/data/virtual-wan/secured-hub.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string edit(const std::string& text, const std::string& anchor, const std::string& from,
                 const std::string& to) {
    return ztnet::testing::edited_after(text, anchor, from, to);
}

std::unique_ptr<LoadedText> load(const std::string& json) {
    auto loaded = testing::load_text(json);
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    return loaded;
}

const model::VirtualNetwork& vnet(const model::Estate& estate, std::string_view name) {
    for (const model::VirtualNetwork& v : estate.virtual_networks)
        if (v.name == name)
            return v;
    throw std::runtime_error("no VNet " + std::string(name));
}

model::SubnetIndex subnet(const model::Estate& estate, std::string_view name) {
    for (model::SubnetIndex s : estate.subnets.indices())
        if (estate.subnets[s].name == name)
            return s;
    throw std::runtime_error("no subnet " + std::string(name));
}

const EffectiveRoute* route_for(const RouteTableView& view, std::string_view prefix) {
    for (const EffectiveRoute& r : view.routes)
        if (r.active && r.prefix.to_string() == prefix)
            return &r;
    return nullptr;
}

// Without a private traffic policy: the routing intent keeps only Internet traffic.
std::string without_private_intent(const std::string& json) {
    return edit(json, "\"ri-vhub-weu\"",
                R"({"name": "PrivateTraffic", "destinations": ["PrivateTraffic"], "nextHop": )",
                R"({"name": "PrivateTrafficOff", "destinations": [], "nextHop": )");
}

TEST(VirtualWan, TheHubIsAVnetWithItsFirewallAndItsConnectionsArePeeringsBothWays) {
    auto loaded = load(secured_hub());
    const model::Estate& estate = loaded->estate;
    const model::VirtualNetwork& hub = vnet(estate, "vhub-weu");
    ASSERT_TRUE(hub.virtual_hub);
    EXPECT_EQ(hub.type, "Microsoft.Network/virtualHubs");
    ASSERT_EQ(hub.subnets.size(), 1u);
    const model::Subnet& hub_subnet = estate.subnets[hub.subnets[0]];
    EXPECT_EQ(hub_subnet.name, "AzureFirewallSubnet");
    ASSERT_EQ(hub_subnet.address_prefixes.size(), 1u);
    EXPECT_EQ(hub_subnet.address_prefixes[0].to_string(), "10.80.0.0/23");
    ASSERT_NE(hub.virtual_hub->firewall, model::kNone);
    const model::AzureFirewall& firewall = estate.azure_firewalls[hub.virtual_hub->firewall];
    EXPECT_EQ(firewall.subnet, hub.subnets[0]);
    ASSERT_TRUE(firewall.private_ip);
    EXPECT_EQ(firewall.private_ip->to_string(), "10.80.0.132");
    // Routing intent: the three RFC 1918 ranges and the default route.
    EXPECT_EQ(hub.virtual_hub->to_firewall.size(), 4u);
    EXPECT_EQ(hub.peerings.size(), 2u);
    for (std::string_view spoke : {"vnet-pay", "vnet-crm"}) {
        const model::VirtualNetwork& v = vnet(estate, spoke);
        ASSERT_EQ(v.peerings.size(), 1u) << spoke;
        const model::Peering& side = estate.peerings[v.peerings[0]];
        EXPECT_TRUE(side.virtual_hub_connection);
        EXPECT_TRUE(side.allow_forwarded_traffic);
        EXPECT_TRUE(side.propagates_default_route);
        EXPECT_EQ(estate.virtual_networks[side.remote_virtual_network].name, "vhub-weu");
        ASSERT_EQ(side.hub_routes_to.size(), 1u);
        EXPECT_NE(estate.virtual_networks[side.hub_routes_to[0]].name, spoke);
        EXPECT_TRUE(v.routing_unknown.empty()) << v.routing_unknown;
    }
}

TEST(VirtualWan, RoutingIntentSendsPrivateAndInternetTrafficToTheFirewall) {
    auto loaded = load(secured_hub());
    const model::Estate& estate = loaded->estate;
    RouteTableView view =
        effective_routes(estate, subnet(estate, "snet-app"), loaded->tags, loaded->diagnostics);
    for (std::string_view prefix : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "0.0.0.0/0"}) {
        const EffectiveRoute* r = route_for(view, prefix);
        ASSERT_NE(r, nullptr) << prefix;
        EXPECT_EQ(r->next_hop, NextHopType::VirtualAppliance) << prefix;
        EXPECT_NE(r->firewall, model::kNone) << prefix;
        EXPECT_EQ(r->source, RouteSource::Gateway) << prefix;
    }
    // The hub's own prefix is a peering route; crm's space is not taught apart from the intent's.
    ASSERT_NE(route_for(view, "10.80.0.0/23"), nullptr);
    EXPECT_EQ(route_for(view, "10.80.0.0/23")->next_hop, NextHopType::VNetPeering);
    EXPECT_EQ(route_for(view, "10.82.0.0/16"), nullptr);
}

TEST(VirtualWan, WithoutPrivateIntentTheHubRouterCarriesSpokeToSpokeTraffic) {
    auto loaded = load(without_private_intent(secured_hub()));
    const model::Estate& estate = loaded->estate;
    RouteTableView view =
        effective_routes(estate, subnet(estate, "snet-app"), loaded->tags, loaded->diagnostics);
    const EffectiveRoute* crm = route_for(view, "10.82.0.0/16");
    ASSERT_NE(crm, nullptr);
    EXPECT_EQ(crm->next_hop, NextHopType::VirtualHub);
    EXPECT_EQ(route_for(view, "10.0.0.0/8")->next_hop, NextHopType::None); // Azure's reserved route
    EXPECT_EQ(route_for(view, "0.0.0.0/0")->next_hop, NextHopType::VirtualAppliance);
}

TEST(VirtualWan, SpokeToSpokeFlowsCrossTheFirewallUnderPrivateIntent) {
    auto loaded = load(secured_hub());
    PathResult allowed = testing::trace_between(*loaded, "vm-pay", "vm-crm", 6, 443);
    EXPECT_EQ(allowed.verdict, Verdict::Allowed);
    PathResult ssh = testing::trace_between(*loaded, "vm-pay", "vm-crm", 6, 22);
    EXPECT_EQ(ssh.verdict, Verdict::Denied); // the firewall policy allows 443 only
    // crm may not open connections to pay: the policy allows the other direction only.
    EXPECT_EQ(testing::trace_between(*loaded, "vm-crm", "vm-pay", 6, 443).verdict, Verdict::Denied);
    testing::expect_fast_path_agrees(*loaded);
}

TEST(VirtualWan, WithoutPrivateIntentSpokeToSpokeFlowsGoAroundTheFirewall) {
    auto loaded = load(without_private_intent(secured_hub()));
    EXPECT_EQ(testing::trace_between(*loaded, "vm-pay", "vm-crm", 6, 22).verdict, Verdict::Allowed);
    EXPECT_EQ(testing::trace_between(*loaded, "vm-crm", "vm-pay", 6, 443).verdict, Verdict::Allowed);
    testing::expect_fast_path_agrees(*loaded);
}

TEST(VirtualWan, InternetTrafficTakesTheFirewallOnlyWhereTheConnectionPropagatesTheDefaultRoute) {
    auto loaded = load(secured_hub());
    // No application or network rule allows the Internet: the firewall denies it.
    EXPECT_EQ(testing::trace_between(*loaded, "vm-pay", "8.8.8.8", 6, 443).verdict, Verdict::Denied);
    auto direct = load(edit(secured_hub(), "\"conn-pay\"", "\"enableInternetSecurity\": true",
                            "\"enableInternetSecurity\": false"));
    EXPECT_EQ(testing::trace_between(*direct, "vm-pay", "8.8.8.8", 6, 443).verdict, Verdict::Allowed);
}

TEST(VirtualWan, ConnectionsPropagatingToNoneAreNotLearned) {
    const std::string json = edit(without_private_intent(secured_hub()), "\"conn-crm\"",
                                  R"("labels": ["default"])", R"("labels": [])");
    auto isolated = load(edit(json, "\"conn-crm\"", "hubRouteTables/defaultRouteTable\"}], \"labels",
                              "hubRouteTables/noneRouteTable\"}], \"labels"));
    const model::Estate& estate = isolated->estate;
    const model::VirtualNetwork& pay = vnet(estate, "vnet-pay");
    EXPECT_TRUE(estate.peerings[pay.peerings[0]].hub_routes_to.empty());
    // pay learns no route to crm: its reserved 10.0.0.0/8 route drops the traffic.
    EXPECT_EQ(testing::trace_between(*isolated, "vm-pay", "vm-crm", 6, 443).verdict, Verdict::Denied);
    // crm still learns pay's space (pay propagates to the default table crm is associated with).
    EXPECT_EQ(estate.peerings[vnet(estate, "vnet-crm").peerings[0]].hub_routes_to.size(), 1u);
}

TEST(VirtualWan, WhatZtnetCannotFollowMakesTheSpokesRoutingUnknown) {
    // Routing intent to something other than the hub's firewall.
    auto appliance = load(
        edit(secured_hub(), "\"ri-vhub-weu\"", "\"nextHop\": \"", "\"nextHop\": \"/x/nva\", \"was\": \""));
    EXPECT_NE(vnet(appliance->estate, "vnet-pay").routing_unknown.find("not the hub's Azure Firewall"),
              std::string::npos);
    EXPECT_EQ(testing::trace_between(*appliance, "vm-pay", "vm-crm", 6, 443).verdict, Verdict::Undecidable);
    // A route map on a connection.
    auto mapped = load(edit(secured_hub(), "\"conn-crm\"", "\"routingConfiguration\": {",
                            "\"routingConfiguration\": {\"inboundRouteMap\": {\"id\": \"/x/rm\"}, "));
    EXPECT_NE(vnet(mapped->estate, "vnet-crm").routing_unknown.find("route map"), std::string::npos);
    EXPECT_TRUE(vnet(mapped->estate, "vnet-pay").routing_unknown.empty());
}

// The peering Azure shows in a connected VNet, to the hub's hidden VNet.
std::string with_hub_peering_in_crm(const std::string& json) {
    return edit(
        json, "\"vnet-crm\"", "\"virtualNetworkPeerings\": []",
        R"("virtualNetworkPeerings": [{"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-spokes/providers/Microsoft.Network/virtualNetworks/vnet-crm/virtualNetworkPeerings/RemoteVnetToHubPeering_5d1e0c4a-1f0b-4c38-9a51-3a0d7e2b9c11",
        "name": "RemoteVnetToHubPeering_5d1e0c4a-1f0b-4c38-9a51-3a0d7e2b9c11", "properties": {"peeringState": "Connected",
        "remoteVirtualNetwork": {"id": "/subscriptions/9e7c5a1d-0000-4000-8000-0000000000aa/resourceGroups/RG_vhub-weu_1b2c/providers/Microsoft.Network/virtualNetworks/HV_vhub-weu_1b2c"},
        "allowVirtualNetworkAccess": true, "allowForwardedTraffic": false, "useRemoteGateways": false}}])");
}

TEST(VirtualWan, TheHubPeeringAnExportShowsIsTheConnectionsOtherSide) {
    auto loaded = testing::load_text(with_hub_peering_in_crm(secured_hub()));
    const model::Estate& estate = loaded->estate;
    const model::VirtualNetwork& crm = vnet(estate, "vnet-crm");
    ASSERT_EQ(crm.peerings.size(), 1u);
    const model::Peering& side = estate.peerings[crm.peerings[0]];
    EXPECT_TRUE(side.name.starts_with("RemoteVnetToHubPeering_5d1e"));
    EXPECT_TRUE(side.virtual_hub_connection);
    EXPECT_TRUE(side.allow_forwarded_traffic);
    EXPECT_EQ(estate.virtual_networks[side.remote_virtual_network].name, "vhub-weu");
    EXPECT_EQ(testing::trace_between(*loaded, "vm-pay", "vm-crm", 6, 443).verdict, Verdict::Allowed);
}

TEST(VirtualWan, AHubPeeringWithoutItsConnectionLeavesTheVnetsRoutingUnknown) {
    // An export that did not collect the hub's connections still shows the peering.
    std::string json = with_hub_peering_in_crm(secured_hub());
    json = edit(json, "\"conn-crm\"", "\"remoteVirtualNetwork\": {\"id\": \"",
                "\"remoteVirtualNetwork\": {\"id\": \"/x");
    auto loaded = testing::load_text(json);
    const model::VirtualNetwork& crm = vnet(loaded->estate, "vnet-crm");
    EXPECT_NE(crm.routing_unknown.find("RemoteVnetToHubPeering_5d1e"), std::string::npos)
        << crm.routing_unknown;
    EXPECT_EQ(testing::trace_between(*loaded, "vm-crm", "vm-pay", 6, 443).verdict, Verdict::Undecidable);
}

TEST(VirtualWan, BranchGatewaysMakePrivateSpaceOutsideTheFirewallsRoutesUndecidable) {
    std::string json = without_private_intent(secured_hub());
    json.insert(
        json.rfind(']'),
        R"(, {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/Microsoft.Network/vpnGateways/vpngw-vhub-weu",
      "name": "vpngw-vhub-weu", "type": "Microsoft.Network/vpnGateways", "location": "westeurope",
      "properties": {"virtualHub": {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/Microsoft.Network/virtualHubs/vhub-weu"}}})");
    auto loaded = load(json);
    EXPECT_EQ(vnet(loaded->estate, "vhub-weu").virtual_hub->branch_gateways,
              std::vector<std::string>{"vpngw-vhub-weu"});
    // An address no connection holds, in private space: a branch may hold it.
    EXPECT_EQ(testing::trace_between(*loaded, "vm-pay", "10.200.0.10", 6, 443).verdict, Verdict::Undecidable);
    // The other spoke is still reached through the hub's router.
    EXPECT_EQ(testing::trace_between(*loaded, "vm-pay", "vm-crm", 6, 443).verdict, Verdict::Allowed);
}

} // namespace
} // namespace ztnet::route
