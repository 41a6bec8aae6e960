#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/load/loader.h"
#include "ztnet/route/effective_routes.h"

namespace ztnet::route {
namespace {

const std::string kNet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/";

net::Address addr(std::string_view text) {
    auto a = net::Address::parse(text);
    EXPECT_TRUE(a.ok()) << text;
    return a.ok() ? *a : net::Address();
}

net::Prefix prefix(std::string_view text) {
    auto p = net::Prefix::parse(text);
    EXPECT_TRUE(p.ok()) << text;
    return p.ok() ? *p : net::Prefix();
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", \"" : "\"") + items[i] + "\"";
    return out + "]";
}

// A VNet resource with one subnet "<name>-a" (optionally on a route table) and inline peerings.
std::string vnet(const std::string& name, const std::vector<std::string>& space,
                 const std::string& subnet_prefix, const std::string& route_table = "",
                 const std::string& peerings = "") {
    std::string id = kNet + "virtualNetworks/" + name;
    std::string table = route_table.empty()
                            ? ""
                            : R"(, "routeTable": {"id": ")" + kNet + "routeTables/" + route_table + "\"}";
    return R"({"id": ")" + id + R"(", "type": "Microsoft.Network/virtualNetworks", "name": ")" + name +
           R"(", "location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": )" +
           quoted_list(space) + R"(}, "subnets": [{"name": ")" + name + R"(-a", "id": ")" + id + "/subnets/" +
           name + R"(-a", "properties": {"addressPrefix": ")" + subnet_prefix + "\"" + table +
           R"(}}], "virtualNetworkPeerings": [)" + peerings + "]}}";
}

std::string peering(const std::string& from, const std::string& name, const std::string& remote,
                    const std::string& extra_properties = "") {
    return R"({"name": ")" + name + R"(", "id": ")" + kNet + "virtualNetworks/" + from +
           "/virtualNetworkPeerings/" + name + R"(", "properties": {"remoteVirtualNetwork": {"id": ")" +
           kNet + "virtualNetworks/" + remote + "\"}" + extra_properties + "}}";
}

std::string route_table(const std::string& name, const std::string& routes, bool disable_bgp = false) {
    return R"({"id": ")" + kNet + "routeTables/" + name +
           R"(", "type": "Microsoft.Network/routeTables", "name": ")" + name +
           R"(", "location": "westeurope", "properties": {"disableBgpRoutePropagation": )" +
           (disable_bgp ? "true" : "false") + R"(, "routes": [)" + routes + "]}}";
}

std::string route(const std::string& name, const std::string& prefix_text, const std::string& hop,
                  const std::string& ip = "") {
    std::string hop_ip = ip.empty() ? "" : R"(, "nextHopIpAddress": ")" + ip + "\"";
    return R"({"name": ")" + name + R"(", "properties": {"addressPrefix": ")" + prefix_text +
           R"(", "nextHopType": ")" + hop + "\"" + hop_ip + "}}";
}

std::string gateway(const std::string& name, const std::string& vnet_name) {
    return R"({"id": ")" + kNet + "virtualNetworkGateways/" + name +
           R"(", "type": "Microsoft.Network/virtualNetworkGateways", "name": ")" + name +
           R"(", "location": "westeurope", "properties": {"gatewayType": "Vpn", "ipConfigurations": [{"name": "c",
           "properties": {"subnet": {"id": ")" +
           kNet + "virtualNetworks/" + vnet_name + "/subnets/" + vnet_name + "-a\"}}}]}}";
}

struct Loaded {
    model::Estate estate;
    Diagnostics diagnostics;
};

Loaded load(const std::vector<std::string>& resources) {
    std::string text = "[";
    for (std::size_t i = 0; i < resources.size(); ++i)
        text += (i ? ",\n" : "") + resources[i];
    text += "]";
    SourceSet sources;
    FileId file = sources.add("export.json", text);
    Loaded out;
    out.estate = load::load_sources(sources, {file}, {}, out.diagnostics).estate;
    return out;
}

model::SubnetIndex subnet_of(const model::Estate& estate, const std::string& vnet_name) {
    for (model::SubnetIndex i : estate.subnets.indices()) {
        if (estate.subnets[i].name == vnet_name + "-a")
            return i;
    }
    ADD_FAILURE() << "no subnet in " << vnet_name;
    return model::kNone;
}

model::VnetIndex vnet_index(const model::Estate& estate, const std::string& name) {
    for (model::VnetIndex i : estate.virtual_networks.indices()) {
        if (estate.virtual_networks[i].name == name)
            return i;
    }
    ADD_FAILURE() << "no vnet " << name;
    return model::kNone;
}

const EffectiveRoute* find_route(const RouteTableView& view, std::string_view prefix_text,
                                 RouteSource source) {
    for (const EffectiveRoute& r : view.routes) {
        if (r.prefix == prefix(prefix_text) && r.source == source)
            return &r;
    }
    return nullptr;
}

// Whether the route of this prefix and source is active; fails the test when there is none.
bool active(const RouteTableView& view, std::string_view prefix_text, RouteSource source) {
    const EffectiveRoute* r = find_route(view, prefix_text, source);
    EXPECT_NE(r, nullptr) << prefix_text;
    return r != nullptr && r->active;
}

RouteTableView routes_of(const Loaded& loaded, const std::string& vnet_name,
                         const policy::ServiceTags& tags = {}) {
    Diagnostics diagnostics;
    RouteTableView view =
        effective_routes(loaded.estate, subnet_of(loaded.estate, vnet_name), tags, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors());
    return view;
}

struct LookupCase {
    std::string destination;
    NextHopType hop;
    std::string route_prefix;
};

void expect_lookups(const RouteTableView& view, const std::vector<LookupCase>& cases) {
    for (const LookupCase& c : cases) {
        const EffectiveRoute* r = view.lookup(addr(c.destination));
        ASSERT_NE(r, nullptr) << c.destination;
        EXPECT_EQ(r->next_hop, c.hop) << c.destination << " took " << r->prefix;
        EXPECT_EQ(r->prefix, prefix(c.route_prefix)) << c.destination;
        EXPECT_TRUE(r->active);
    }
}

TEST(EffectiveRoutes, DefaultSystemRoutes) {
    Loaded loaded = load({vnet("hub", {"10.0.0.0/16"}, "10.0.1.0/24")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "hub");
    ASSERT_EQ(view.routes.size(), 6u);
    const EffectiveRoute* local = find_route(view, "10.0.0.0/16", RouteSource::Default);
    ASSERT_NE(local, nullptr);
    EXPECT_EQ(local->next_hop, NextHopType::VnetLocal);
    EXPECT_EQ(local->vnet, vnet_index(loaded.estate, "hub"));
    for (const char* reserved : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}) {
        const EffectiveRoute* r = find_route(view, reserved, RouteSource::Default);
        ASSERT_NE(r, nullptr) << reserved;
        EXPECT_EQ(r->next_hop, NextHopType::None) << reserved;
        EXPECT_TRUE(r->active) << reserved;
    }
    for (std::size_t i = 1; i < view.routes.size(); ++i)
        EXPECT_GE(view.routes[i - 1].prefix.length(), view.routes[i].prefix.length());
    EXPECT_FALSE(view.gateway_routes);
    expect_lookups(view, {{"10.0.1.5", NextHopType::VnetLocal, "10.0.0.0/16"},
                          {"10.0.200.1", NextHopType::VnetLocal, "10.0.0.0/16"},
                          {"10.1.0.1", NextHopType::None, "10.0.0.0/8"},
                          {"172.20.0.1", NextHopType::None, "172.16.0.0/12"},
                          {"100.64.0.1", NextHopType::None, "100.64.0.0/10"},
                          {"8.8.8.8", NextHopType::Internet, "0.0.0.0/0"}});
    EXPECT_EQ(view.lookup(addr("fd00::1")), nullptr); // no IPv6 space, no IPv6 route
}

TEST(EffectiveRoutes, ReservedRangesAgainstTheVnetSpace) {
    struct Case {
        std::string space;
        std::string reserved;
        bool reserved_active;
        LookupCase lookup;
    };
    const std::vector<Case> cases = {
        // Equal: the None route becomes the VnetLocal one.
        {"172.16.0.0/12", "172.16.0.0/12", false, {"172.31.0.1", NextHopType::VnetLocal, "172.16.0.0/12"}},
        // The VNet range contains the reserved one: the None route is removed.
        {"192.168.0.0/15",
         "192.168.0.0/16",
         false,
         {"192.168.3.1", NextHopType::VnetLocal, "192.168.0.0/15"}},
        // The reserved range contains the VNet range: both stay, the longer one wins.
        {"10.0.0.0/16", "10.0.0.0/8", true, {"10.0.3.1", NextHopType::VnetLocal, "10.0.0.0/16"}},
    };
    for (const Case& c : cases) {
        std::string subnet = c.space.substr(0, c.space.find('/')) + "/24";
        Loaded loaded = load({vnet("v", {c.space}, subnet)});
        ASSERT_FALSE(loaded.diagnostics.has_errors()) << c.space;
        RouteTableView view = routes_of(loaded, "v");
        const EffectiveRoute* none = nullptr;
        for (const EffectiveRoute& r : view.routes) {
            if (r.prefix == prefix(c.reserved) && r.next_hop == NextHopType::None)
                none = &r;
        }
        ASSERT_NE(none, nullptr) << c.space;
        EXPECT_EQ(none->active, c.reserved_active) << c.space;
        expect_lookups(view, {c.lookup});
    }
}

TEST(EffectiveRoutes, IPv6SpaceAddsAnIPv6DefaultRoute) {
    Loaded loaded = load({vnet("dual", {"10.0.0.0/16", "fd00:db8::/48"}, "10.0.1.0/24")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "dual");
    expect_lookups(view, {{"fd00:db8::5", NextHopType::VnetLocal, "fd00:db8::/48"},
                          {"2001:db8::1", NextHopType::Internet, "::/0"},
                          {"10.0.0.4", NextHopType::VnetLocal, "10.0.0.0/16"}});
    // IPv4 routes come first, each family by length descending.
    EXPECT_EQ(view.routes.front().prefix.family(), net::Family::V4);
    EXPECT_EQ(view.routes.back().prefix, prefix("::/0"));
}

TEST(EffectiveRoutes, PeeringRoutes) {
    std::string hub_peerings =
        peering("hub", "to-spoke", "spoke") + "," +
        peering("hub", "to-remote", "elsewhere",
                R"(, "remoteAddressSpace": {"addressPrefixes": ["10.9.0.0/16"]})") +
        "," + peering("hub", "to-closed", "closed", R"(, "allowVirtualNetworkAccess": false)");
    Loaded loaded = load(
        {vnet("hub", {"10.0.0.0/16"}, "10.0.1.0/24", "", hub_peerings),
         vnet("spoke", {"10.1.0.0/16", "10.2.0.0/16"}, "10.1.1.0/24", "", peering("spoke", "to-hub", "hub")),
         vnet("closed", {"10.3.0.0/16"}, "10.3.1.0/24")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "hub");

    for (const char* space : {"10.1.0.0/16", "10.2.0.0/16"}) {
        const EffectiveRoute* r = find_route(view, space, RouteSource::Default);
        ASSERT_NE(r, nullptr) << space;
        EXPECT_EQ(r->next_hop, NextHopType::VNetPeering);
        EXPECT_EQ(r->vnet, vnet_index(loaded.estate, "spoke"));
        ASSERT_NE(r->peering, model::kNone);
        EXPECT_EQ(loaded.estate.peerings[r->peering].name, "to-spoke");
    }
    // A peer outside the estate: the peering's recorded remote address space.
    const EffectiveRoute* remote = find_route(view, "10.9.0.0/16", RouteSource::Default);
    ASSERT_NE(remote, nullptr);
    EXPECT_EQ(remote->next_hop, NextHopType::VNetPeering);
    EXPECT_EQ(remote->vnet, model::kNone);
    // allowVirtualNetworkAccess false: no route; its space falls to the reserved None route.
    EXPECT_EQ(find_route(view, "10.3.0.0/16", RouteSource::Default), nullptr);
    expect_lookups(view, {{"10.2.0.7", NextHopType::VNetPeering, "10.2.0.0/16"},
                          {"10.3.0.7", NextHopType::None, "10.0.0.0/8"}});
    // Peering routes are per VNet: the spoke sees the hub.
    expect_lookups(routes_of(loaded, "spoke"), {{"10.0.1.9", NextHopType::VNetPeering, "10.0.0.0/16"}});
}

// The routing example of virtual-networks-udr-overview (Subnet1), without the gateway and service
// endpoint routes, which carry prefixes the model does not have.
TEST(EffectiveRoutes, UserRoutesOverrideSystemRoutesOfTheSamePrefix) {
    std::string routes = route("Within-VNet1", "10.0.0.0/16", "VirtualAppliance", "10.0.100.4") + "," +
                         route("Within-Subnet1", "10.0.0.0/24", "VnetLocal") + "," +
                         route("ToVNet2-1-Drop", "10.1.0.0/16", "None") + "," +
                         route("Default-NVA", "0.0.0.0/0", "VirtualAppliance", "10.0.100.4");
    Loaded loaded =
        load({route_table("rt1", routes),
              vnet("vnet1", {"10.0.0.0/16"}, "10.0.0.0/24", "rt1", peering("vnet1", "p", "vnet2")),
              vnet("vnet2", {"10.1.0.0/16"}, "10.1.0.0/24", "", peering("vnet2", "p", "vnet1"))});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "vnet1");

    const EffectiveRoute* system_local = find_route(view, "10.0.0.0/16", RouteSource::Default);
    const EffectiveRoute* user_local = find_route(view, "10.0.0.0/16", RouteSource::User);
    ASSERT_NE(system_local, nullptr);
    ASSERT_NE(user_local, nullptr);
    EXPECT_FALSE(system_local->active); // kept, shown as Invalid by Azure
    EXPECT_TRUE(user_local->active);
    EXPECT_EQ(user_local->route_name, "Within-VNet1");
    EXPECT_EQ(user_local->next_hop_ip, addr("10.0.100.4"));
    EXPECT_EQ(loaded.estate.route_tables[user_local->route_table].name, "rt1");
    EXPECT_FALSE(active(view, "10.1.0.0/16", RouteSource::Default));
    EXPECT_FALSE(active(view, "0.0.0.0/0", RouteSource::Default));
    // A user route for 0.0.0.0/0 removes the reserved None routes (the example's note).
    EXPECT_FALSE(active(view, "10.0.0.0/8", RouteSource::Default));
    EXPECT_FALSE(active(view, "192.168.0.0/16", RouteSource::Default));

    expect_lookups(view, {{"10.0.0.9", NextHopType::VnetLocal, "10.0.0.0/24"},
                          {"10.0.7.9", NextHopType::VirtualAppliance, "10.0.0.0/16"},
                          {"10.1.0.9", NextHopType::None, "10.1.0.0/16"},
                          {"10.50.0.1", NextHopType::VirtualAppliance, "0.0.0.0/0"},
                          {"192.168.1.1", NextHopType::VirtualAppliance, "0.0.0.0/0"},
                          {"8.8.8.8", NextHopType::VirtualAppliance, "0.0.0.0/0"}});
    EXPECT_EQ(view.lookup(addr("10.0.0.9"))->vnet, vnet_index(loaded.estate, "vnet1"));
    // The route table is the subnet's, not the VNet's: the peer keeps its system routes.
    expect_lookups(routes_of(loaded, "vnet2"), {{"10.0.0.9", NextHopType::VNetPeering, "10.0.0.0/16"},
                                                {"8.8.8.8", NextHopType::Internet, "0.0.0.0/0"}});
}

TEST(EffectiveRoutes, LongestPrefixMatchAcrossSources) {
    std::string routes = route("wide", "10.0.0.0/12", "VirtualAppliance", "10.0.100.4") + "," +
                         route("narrow", "10.0.5.0/24", "Internet") + "," +
                         route("host", "10.0.5.7/32", "None");
    Loaded loaded = load({route_table("rt", routes), vnet("v", {"10.0.0.0/16"}, "10.0.1.0/24", "rt")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "v");
    expect_lookups(view, {{"10.0.5.7", NextHopType::None, "10.0.5.7/32"},
                          {"10.0.5.8", NextHopType::Internet, "10.0.5.0/24"},
                          {"10.0.6.1", NextHopType::VnetLocal, "10.0.0.0/16"},
                          {"10.8.0.1", NextHopType::VirtualAppliance, "10.0.0.0/12"},
                          {"10.200.0.1", NextHopType::None, "10.0.0.0/8"}});
}

TEST(EffectiveRoutes, ServiceTagRoutesExpandAndRankBelowExplicitPrefixes) {
    policy::ServiceTags tags;
    tags.set("Storage.WestEurope", net::AddressSet::from_prefixes(std::vector<net::Prefix>{
                                       prefix("20.60.0.0/16"), prefix("20.150.0.0/17")}));
    tags.set("Storage", net::AddressSet::from(prefix("20.150.0.0/17")));
    tags.set("AzureCloud", net::AddressSet::from(prefix("20.0.0.0/8")));
    std::string routes = route("storage-weu", "Storage.WestEurope", "VirtualAppliance", "10.0.100.4") + "," +
                         route("storage", "storage", "Internet") + "," +
                         route("cloud", "AzureCloud", "None") + "," +
                         route("explicit", "20.60.0.0/16", "Internet");
    Loaded loaded = load({route_table("rt", routes), vnet("v", {"10.0.0.0/16"}, "10.0.1.0/24", "rt")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    RouteTableView view = routes_of(loaded, "v", tags);

    std::vector<const EffectiveRoute*> expanded;
    for (const EffectiveRoute& r : view.routes) {
        if (r.route_name == "storage-weu")
            expanded.push_back(&r);
    }
    ASSERT_EQ(expanded.size(), 2u);
    for (const EffectiveRoute* r : expanded) {
        EXPECT_EQ(r->service_tag, "Storage.WestEurope");
        EXPECT_EQ(r->source, RouteSource::User);
        EXPECT_EQ(r->next_hop_ip, addr("10.0.100.4"));
    }
    // 20.60.0.0/16: the explicit prefix beats the tag; 20.150.0.0/17: the regional tag beats the
    // top-level one; the rest of 20.0.0.0/8 follows AzureCloud.
    expect_lookups(view, {{"20.60.1.1", NextHopType::Internet, "20.60.0.0/16"},
                          {"20.150.1.1", NextHopType::VirtualAppliance, "20.150.0.0/17"},
                          {"20.1.1.1", NextHopType::None, "20.0.0.0/8"}});
    EXPECT_EQ(view.lookup(addr("20.60.1.1"))->route_name, "explicit");
    EXPECT_EQ(view.lookup(addr("20.150.1.1"))->route_name, "storage-weu");
}

TEST(EffectiveRoutes, UnknownServiceTagIsAnErrorAtTheRoute) {
    Loaded loaded = load({route_table("rt", route("odd", "NoSuchTag", "Internet") + "," +
                                                route("ok", "203.0.113.0/24", "None")),
                          vnet("v", {"10.0.0.0/16"}, "10.0.1.0/24", "rt")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    Diagnostics diagnostics;
    RouteTableView view = effective_routes(loaded.estate, subnet_of(loaded.estate, "v"), {}, diagnostics);
    ASSERT_EQ(diagnostics.error_count(), 1u);
    const Diagnostic& d = diagnostics.all()[0];
    EXPECT_EQ(d.code, "unknown-service-tag");
    EXPECT_NE(d.message.find("NoSuchTag"), std::string::npos);
    const model::Route& odd = loaded.estate.route_tables[0].routes[0];
    EXPECT_EQ(d.where.offset, odd.where.offset);
    EXPECT_TRUE(d.where.has_offset());
    // The bad route is left out; the others stay.
    for (const EffectiveRoute& r : view.routes)
        EXPECT_NE(r.route_name, "odd");
    expect_lookups(view, {{"203.0.113.9", NextHopType::None, "203.0.113.0/24"}});
}

TEST(EffectiveRoutes, RoutesTheLoaderRejectedAreSkipped) {
    Loaded loaded = load({route_table("rt", route("host-bits", "10.0.0.5/16", "None") + "," +
                                                route("bad-hop", "10.7.0.0/16", "Firewall")),
                          vnet("v", {"10.0.0.0/16"}, "10.0.1.0/24", "rt")});
    EXPECT_EQ(loaded.diagnostics.error_count(), 2u);
    RouteTableView view = routes_of(loaded, "v");
    for (const EffectiveRoute& r : view.routes)
        EXPECT_NE(r.source, RouteSource::User);
    expect_lookups(view, {{"10.0.0.5", NextHopType::VnetLocal, "10.0.0.0/16"}});
}

TEST(EffectiveRoutes, GatewayRoutesFollowBgpPropagation) {
    std::string hub_peering = peering("hub", "to-spoke", "spoke", R"(, "allowGatewayTransit": true)");
    std::string spoke_peering = peering("spoke", "to-hub", "hub", R"(, "useRemoteGateways": true)");
    Loaded loaded = load({route_table("rt-on", "", false), route_table("rt-off", "", true),
                          vnet("hub", {"10.0.0.0/16"}, "10.0.0.0/27", "", hub_peering),
                          vnet("spoke", {"10.1.0.0/16"}, "10.1.0.0/24", "rt-on", spoke_peering),
                          vnet("isolated", {"10.2.0.0/16"}, "10.2.0.0/24", "rt-off", ""),
                          vnet("lonely", {"10.3.0.0/16"}, "10.3.0.0/24"), gateway("vpn", "hub")});
    ASSERT_FALSE(loaded.diagnostics.has_errors());
    EXPECT_TRUE(routes_of(loaded, "hub").gateway_routes);   // the gateway's own VNet
    EXPECT_TRUE(routes_of(loaded, "spoke").gateway_routes); // through useRemoteGateways
    EXPECT_FALSE(routes_of(loaded, "lonely").gateway_routes);

    // Propagation disabled on the subnet's route table: no gateway routes, even next to a gateway.
    Loaded disabled = load({route_table("rt-off", "", true),
                            vnet("hub", {"10.0.0.0/16"}, "10.0.0.0/27", "rt-off"), gateway("vpn", "hub")});
    ASSERT_FALSE(disabled.diagnostics.has_errors());
    EXPECT_FALSE(routes_of(disabled, "hub").gateway_routes);
    // Gateway routes carry no prefixes yet: the table holds only system routes.
    for (const EffectiveRoute& r : routes_of(loaded, "hub").routes)
        EXPECT_EQ(r.source, RouteSource::Default);
}

TEST(EffectiveRoutes, Names) {
    EXPECT_EQ(next_hop_name(NextHopType::VirtualAppliance), "VirtualAppliance");
    EXPECT_EQ(next_hop_name(NextHopType::VNetPeering), "VNetPeering");
    EXPECT_EQ(route_source_name(RouteSource::Gateway), "VirtualNetworkGateway");
    EXPECT_EQ(route_source_name(RouteSource::User), "User");
}

} // namespace
} // namespace ztnet::route
