// Default outbound access, as Microsoft Learn states it (virtual-network/ip-services/
// default-outbound-access): a VM in a private subnet (defaultOutboundAccess false) reaches the
// Internet only through an explicit method: a NAT gateway on the subnet, a public IP on its NIC, or a
// load balancer outbound rule for its backend pool. A subnet that is not private still gives VMs
// without one Azure's default outbound access. Each case flips the verdict both ways; the fast path
// (Reachability) must agree with path tracing.
#include <string>

#include <gtest/gtest.h>

#include "route_test_support.h"

namespace ztnet::route {
namespace {

const std::string kRg = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

struct Options {
    bool private_subnet = true;
    bool nat_gateway = false;
    bool public_ip = false;
    bool outbound_rule = false;
};

std::string estate_json(const Options& o) {
    std::string subnet_properties = R"("addressPrefix": "10.0.1.0/24")";
    if (o.private_subnet)
        subnet_properties += R"(, "defaultOutboundAccess": false)";
    if (o.nat_gateway)
        subnet_properties += R"(, "natGateway": {"id": ")" + kRg + R"(natGateways/ng"})";
    std::string config = R"("privateIPAddress": "10.0.1.4", "privateIPAllocationMethod": "Static",
        "subnet": {"id": ")" +
                         kRg + R"(virtualNetworks/vnet/subnets/s"})";
    if (o.public_ip)
        config += R"(, "publicIPAddress": {"id": ")" + kRg + R"(publicIPAddresses/pip"})";
    if (o.outbound_rule)
        config += R"(, "loadBalancerBackendAddressPools": [{"id": ")" + kRg +
                  R"(loadBalancers/lb/backendAddressPools/pool"}])";
    std::string out = R"([{"id": ")" + kRg +
                      R"(virtualNetworks/vnet", "type": "Microsoft.Network/virtualNetworks",
      "name": "vnet", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
      "subnets": [{"id": ")" +
                      kRg + R"(virtualNetworks/vnet/subnets/s", "name": "s", "properties": {)" +
                      subnet_properties + R"(}}]}},
     {"id": ")" + kRg +
                      R"(networkInterfaces/nic", "type": "Microsoft.Network/networkInterfaces", "name": "nic",
      "properties": {"ipConfigurations": [{"name": "ip", "properties": {)" +
                      config + R"(}}]}},
     {"id": ")" + kRg +
                      R"(publicIPAddresses/pip", "type": "Microsoft.Network/publicIPAddresses", "name": "pip",
      "sku": {"name": "Standard"}, "properties": {"ipAddress": "20.0.0.1"}},
     {"id": ")" + kRg +
                      R"(loadBalancers/lb", "type": "Microsoft.Network/loadBalancers", "name": "lb",
      "sku": {"name": "Standard"}, "properties": {
        "frontendIPConfigurations": [{"name": "fe", "properties": {"publicIPAddress": {"id": ")" +
                      kRg +
                      R"(publicIPAddresses/pip"}}}],
        "backendAddressPools": [{"name": "pool", "id": ")" +
                      kRg + R"(loadBalancers/lb/backendAddressPools/pool"}],
        "outboundRules": [{"name": "out", "properties": {"backendAddressPool": {"id": ")" +
                      kRg + R"(loadBalancers/lb/backendAddressPools/pool"}, "protocol": "All"}}]}}])";
    return out;
}

struct Answer {
    Verdict traced = Verdict::Denied;
    std::string summary;
    bool fast_allows_https = false;
};

Answer to_the_internet(const Options& options) {
    Answer out;
    auto loaded = testing::load_text(estate_json(options));
    EXPECT_FALSE(loaded->diagnostics.has_errors());
    PathResult r = testing::trace_between(*loaded, "nic", "Internet");
    out.traced = r.verdict;
    out.summary = r.summary;
    policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
    reach::Reachability reach(engine, loaded->diagnostics);
    const auto& endpoints = reach.endpoints().endpoints;
    std::uint32_t nic = 0, internet = 0;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind == reach::ReachEndpoint::Kind::Nic)
            nic = i;
        if (endpoints[i].name == "Internet")
            internet = i;
    }
    out.fast_allows_https =
        reach.between(nic, internet)
            .allowed.contains(reach::ServiceSet::of(net::ProtocolSet::single(6), net::PortSet::all(),
                                                    net::PortSet::single(443)));
    return out;
}

TEST(OutboundAccess, APrivateSubnetWithoutAnExplicitMethodHasNoWayOut) {
    Answer closed = to_the_internet({});
    EXPECT_EQ(closed.traced, Verdict::Denied);
    EXPECT_NE(closed.summary.find("private"), std::string::npos) << closed.summary;
    EXPECT_FALSE(closed.fast_allows_https);
    // The same subnet, not private: Azure's default outbound access lets it out.
    Answer open = to_the_internet({.private_subnet = false});
    EXPECT_EQ(open.traced, Verdict::Allowed) << open.summary;
    EXPECT_TRUE(open.fast_allows_https);
}

TEST(OutboundAccess, EachExplicitMethodOpensAPrivateSubnet) {
    for (const Options& o :
         {Options{.nat_gateway = true}, Options{.public_ip = true}, Options{.outbound_rule = true}}) {
        Answer a = to_the_internet(o);
        EXPECT_EQ(a.traced, Verdict::Allowed) << a.summary;
        EXPECT_TRUE(a.fast_allows_https);
    }
}

} // namespace
} // namespace ztnet::route
