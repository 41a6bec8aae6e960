// The VirtualNetwork tag also covers the prefixes of user-defined routes (service-tags overview):
// a default route to an appliance widens it to everything, which opens AllowVnetInBound.
#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/policy/nsg_policy.h"

namespace ztnet::policy {
namespace {

const char* kEstate = R"([
  {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
   "type": "Microsoft.Network/virtualNetworks", "name": "vnet",
   "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
     {"name": "routed", "properties": {"addressPrefix": "10.0.1.0/24",
       "routeTable": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"}}},
     {"name": "plain", "properties": {"addressPrefix": "10.0.2.0/24"}}]}},
  {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt",
   "type": "Microsoft.Network/routeTables", "name": "rt",
   "properties": {"routes": [
     {"name": "onprem", "properties": {"addressPrefix": "192.168.50.0/24", "nextHopType": "VirtualAppliance",
                                       "nextHopIpAddress": "10.0.2.4"}},
     {"name": "storage", "properties": {"addressPrefix": "Storage", "nextHopType": "Internet"}}]}}
])";

TEST(VirtualNetworkTag, IncludesUserDefinedRoutePrefixes) {
    SourceSet sources;
    FileId f = sources.add("estate.json", kEstate);
    Diagnostics diags;
    model::Estate estate = load::load_sources(sources, {f}, {}, diags).estate;
    ASSERT_FALSE(diags.has_errors());
    net::AddressSet tag = virtual_network_tag(estate, model::VnetIndex(0u));
    EXPECT_TRUE(tag.contains(*net::Address::parse("192.168.50.7")));
    EXPECT_TRUE(tag.contains(*net::Address::parse("10.0.200.1")));
    EXPECT_FALSE(tag.contains(*net::Address::parse("192.168.51.1")));
    // The default AllowVnetInBound rule therefore admits the routed prefix.
    std::vector<ResolvedRule> inbound = default_rules(net::Direction::Inbound, tag);
    net::Flow flow{6, *net::Address::parse("192.168.50.7"), *net::Address::parse("10.0.2.4"), 50000, 22};
    ASSERT_FALSE(inbound.empty());
    EXPECT_EQ(inbound[0].name, "AllowVnetInBound");
    EXPECT_TRUE(inbound[0].matches(flow));
}

} // namespace
} // namespace ztnet::policy
