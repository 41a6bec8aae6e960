// Flow and Direction: printing (ports only where the protocol has them), equality and hashing.
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

#include "ztnet/net/flow.h"

namespace ztnet::net {
namespace {

static_assert(std::is_trivially_copyable_v<Flow>);
static_assert(sizeof(Flow) <= 64);

Address address(const char* text) {
    return Address::parse(text).value();
}

TEST(Flow, PrintsComparesAndHashes) {
    const Flow web{6, address("10.0.0.4"), address("10.0.1.5"), 50000, 443};
    EXPECT_EQ(web.to_string(), "Tcp 10.0.0.4:50000 -> 10.0.1.5:443");
    const Flow v6{17, address("fd00::1"), address("fd00::2"), 5000, 53};
    EXPECT_EQ(v6.to_string(), "Udp [fd00::1]:5000 -> [fd00::2]:53");
    const Flow ping{1, address("10.0.0.4"), address("10.0.1.5"), 0, 0};
    EXPECT_EQ(ping.to_string(), "Icmp 10.0.0.4 -> 10.0.1.5");
    const Flow gre{47, address("10.0.0.4"), address("10.0.1.5"), 0, 0};
    EXPECT_EQ(gre.to_string(), "47 10.0.0.4 -> 10.0.1.5");

    Flow other = web;
    EXPECT_EQ(other, web);
    other.destination_port = 444;
    EXPECT_NE(other, web);
    Flow reversed{6, web.destination, web.source, web.destination_port, web.source_port};
    EXPECT_NE(reversed, web);
    std::unordered_set<Flow> flows{web, other, reversed, web};
    EXPECT_EQ(flows.size(), 3u);
    EXPECT_NE(web.hash(), reversed.hash());
}

TEST(Direction, Names) {
    EXPECT_EQ(direction_name(Direction::Inbound), "Inbound");
    EXPECT_EQ(direction_name(Direction::Outbound), "Outbound");
}

} // namespace
} // namespace ztnet::net
