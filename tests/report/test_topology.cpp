// The estate drawn: the layout of the examples (hub above its spoke, every subnet in its VNet's
// box, no two boxes overlapping, the Internet's lines to what it reaches, management exposure and
// findings highlighted), large estates collapsed, and names in the SVG escaped and shortened.
#include <gtest/gtest.h>

#include "ztnet/report/html/topology.h"

#include "../checks/check_fixture.h"

namespace ztnet::report::html {
namespace {

using checks::testing::CheckFixture;

struct Drawn {
    CheckFixture fixture;
    checks::AuditResult audit;
    Topology topology;
};

Drawn draw(CheckFixture fixture, TopologyOptions options = {}) {
    auto audit = checks::run_audit(fixture.analysis(), {});
    EXPECT_TRUE(static_cast<bool>(audit));
    Topology t =
        layout_topology(fixture.estate(), *audit, fixture.analysis().reachability(), nullptr, options);
    return {std::move(fixture), std::move(*audit), std::move(t)};
}

const VnetBox& vnet(const Topology& t, std::string_view name) {
    for (const VnetBox& v : t.vnets)
        if (v.name == name)
            return v;
    throw std::runtime_error("no VNet " + std::string(name));
}

const SubnetBox& subnet(const VnetBox& v, std::string_view name) {
    for (const SubnetBox& s : v.subnets)
        if (s.name == name)
            return s;
    throw std::runtime_error("no subnet " + std::string(name));
}

bool inside(const Box& inner, const Box& outer) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
           inner.y + inner.height <= outer.y + outer.height;
}

bool overlap(const Box& a, const Box& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

TEST(Topology, TheHubSitsAboveItsSpokeAndEveryBoxFits) {
    Drawn d = draw(CheckFixture::example("zero-trust-spoke"));
    const Topology& t = d.topology;
    ASSERT_EQ(t.vnets.size(), 2u);
    const VnetBox& hub = vnet(t, "vnet-hub");
    const VnetBox& spoke = vnet(t, "vnet-spoke");
    EXPECT_TRUE(hub.hub);
    EXPECT_FALSE(spoke.hub);
    EXPECT_LT(hub.box.y + hub.box.height, spoke.box.y);
    EXPECT_LT(t.internet.y + t.internet.height, hub.box.y);
    EXPECT_FALSE(overlap(hub.box, spoke.box));
    for (const VnetBox& v : t.vnets) {
        EXPECT_TRUE(inside(v.box, {0, 0, t.width, t.height})) << v.name;
        for (const SubnetBox& s : v.subnets)
            EXPECT_TRUE(inside(s.box, v.box)) << s.name;
        for (std::size_t i = 0; i + 1 < v.subnets.size(); ++i)
            EXPECT_FALSE(overlap(v.subnets[i].box, v.subnets[i + 1].box));
    }
    ASSERT_EQ(t.peerings.size(), 1u);
    EXPECT_FALSE(t.peerings[0].one_way);
    EXPECT_EQ(t.subnet_count, 8u);
    EXPECT_FALSE(t.collapsed);
}

TEST(Topology, TheInternetReachesTheEntryPointsOnly) {
    Drawn d = draw(CheckFixture::example("zero-trust-spoke"));
    const VnetBox& spoke = vnet(d.topology, "vnet-spoke");
    // 443 for clients; 65200-65535 from GatewayManager's addresses, which the App Gateway needs.
    EXPECT_EQ(subnet(spoke, "snet-appgw").from_internet, "tcp/443,65200-65535");
    EXPECT_FALSE(subnet(spoke, "snet-appgw").management_exposed);
    EXPECT_TRUE(subnet(spoke, "snet-web").from_internet.empty());
    EXPECT_EQ(subnet(spoke, "snet-web").badges, std::vector<std::string>{"2 VM"});
    EXPECT_EQ(subnet(spoke, "snet-appgw").nsg, "nsg-appgw");
    for (const EntryLine& e : d.topology.entries)
        EXPECT_FALSE(e.management);
}

TEST(Topology, TheLegacySpokeShowsRdpFromTheInternetAndItsFindings) {
    Drawn d = draw(CheckFixture::example("legacy-spoke"));
    const VnetBox& v = vnet(d.topology, "vnet-orders");
    const SubnetBox& web = subnet(v, "snet-web");
    EXPECT_TRUE(web.management_exposed);
    EXPECT_EQ(web.alarm, Alarm::Critical); // ZT-SEG-001 on vm-web-1
    EXPECT_GT(web.findings, 0u);
    EXPECT_EQ(subnet(v, "snet-data").nsg, "");
    EXPECT_EQ(v.alarm, Alarm::Critical);
    const std::string svg = topology_svg(d.topology);
    EXPECT_NE(svg.find("class=\"entry management\""), std::string::npos);
    EXPECT_NE(svg.find("alarm-critical"), std::string::npos);
}

TEST(Topology, ALargeEstateIsDrawnCollapsed) {
    Drawn d = draw(CheckFixture::example("zero-trust-spoke"), {.max_expanded_subnets = 4});
    EXPECT_TRUE(d.topology.collapsed);
    for (const VnetBox& v : d.topology.vnets)
        EXPECT_TRUE(v.collapsed);
    const std::string svg = topology_svg(d.topology);
    EXPECT_EQ(svg.find("class=\"subnet"), std::string::npos);
    EXPECT_NE(svg.find("5 subnets"), std::string::npos);
}

TEST(Topology, NamesAreEscapedAndShortenedInTheDrawing) {
    Topology t;
    t.width = 400;
    t.height = 300;
    VnetBox v;
    v.name = "<script>alert(1)</script>";
    SubnetBox s;
    s.name = std::string(500, 'x') + "\"'&";
    s.prefixes = "10.0.0.0/24";
    v.subnets.push_back(s);
    t.vnets.push_back(v);
    const std::string svg = topology_svg(t);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(svg.find(std::string(33, 'x') + "\xE2\x80\xA6</text>"), std::string::npos); // shortened label
    EXPECT_NE(svg.find(std::string(500, 'x') + "&quot;&#39;&amp;"), std::string::npos);   // whole in <title>
}

} // namespace
} // namespace ztnet::report::html
