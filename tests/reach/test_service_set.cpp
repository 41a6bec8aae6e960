#include <random>

#include <gtest/gtest.h>

#include "ztnet/reach/service_set.h"

namespace ztnet::reach {
namespace {

using net::PortSet;
using net::ProtocolSet;

const ProtocolSet kTcp = ProtocolSet::single(6);
const ProtocolSet kUdp = ProtocolSet::single(17);

TEST(ServiceSet, EmptyAndFull) {
    EXPECT_TRUE(ServiceSet().empty());
    EXPECT_TRUE(ServiceSet::all().full());
    EXPECT_FALSE(ServiceSet::all().empty());
    EXPECT_EQ(ServiceSet().to_string(), "none");
    EXPECT_EQ(ServiceSet::all().to_string(), "any");
    EXPECT_EQ(ServiceSet::of(ProtocolSet::all(), PortSet::all(), PortSet::all()), ServiceSet::all());
}

TEST(ServiceSet, PortsOnlyMatterForTcpAndUdp) {
    ServiceSet rule = ServiceSet::of(ProtocolSet::all(), PortSet::all(), PortSet::single(443));
    EXPECT_TRUE(rule.contains(Service{6, 50000, 443}));
    EXPECT_FALSE(rule.contains(Service{6, 50000, 80}));
    EXPECT_TRUE(rule.contains(Service{1, 0, 0}));  // ICMP: ports ignored
    EXPECT_TRUE(rule.contains(Service{47, 0, 0})); // GRE
    EXPECT_EQ(rule.to_string(), "tcp/443; udp/443; all other protocols");
}

TEST(ServiceSet, PrintedAsPeopleWriteServices) {
    EXPECT_EQ(ServiceSet::of(ProtocolSet::all(), PortSet::all(), PortSet::all())
                  .subtract(ServiceSet::of(kTcp, PortSet::all(), PortSet::all()))
                  .to_string(),
              "udp/any; all other protocols");
    EXPECT_EQ(ServiceSet::of(ProtocolSet::all(), PortSet::all(), PortSet::all())
                  .subtract(ServiceSet::of(ProtocolSet::range(6, 6), PortSet::all(), PortSet::all()))
                  .subtract(ServiceSet::of(ProtocolSet::range(17, 17), PortSet::all(), PortSet::all()))
                  .to_string(),
              "every protocol but tcp and udp");
    ProtocolSet some;
    some.insert(1);
    some.insert(50);
    some.insert(47);
    some.insert(200, 210);
    EXPECT_EQ(ServiceSet::of(some, PortSet::all(), PortSet::all()).to_string(),
              "icmp, protocol 47, esp, protocols 200-210");
    EXPECT_EQ(ServiceSet::of(ProtocolSet::range(99, 99), PortSet::all(), PortSet::all()).to_string(),
              "protocol 99");
}

TEST(ServiceSet, AlgebraIsCanonical) {
    ServiceSet a = ServiceSet::of(kTcp, PortSet::all(), PortSet::range(80, 443));
    ServiceSet b = ServiceSet::of(kTcp, PortSet::all(), PortSet::range(100, 1000));
    ServiceSet u = a.unite(b);
    EXPECT_EQ(u, ServiceSet::of(kTcp, PortSet::all(), PortSet::range(80, 1000)));
    EXPECT_EQ(a.intersect(b), ServiceSet::of(kTcp, PortSet::all(), PortSet::range(100, 443)));
    EXPECT_EQ(a.subtract(b), ServiceSet::of(kTcp, PortSet::all(), PortSet::range(80, 99)));
    EXPECT_EQ(u.subtract(a).subtract(b), ServiceSet());
    EXPECT_TRUE(u.contains(a));
    EXPECT_FALSE(a.contains(u));
}

TEST(ServiceSet, SourcePortsAreKept) {
    ServiceSet s = ServiceSet::of(kTcp, PortSet::range(1024, 65535), PortSet::single(22));
    EXPECT_TRUE(s.contains(Service{6, 2000, 22}));
    EXPECT_FALSE(s.contains(Service{6, 80, 22}));
    EXPECT_EQ(s.to_string(), "tcp/22 from source ports 1024-65535");
    auto example = s.example();
    ASSERT_TRUE(example);
    EXPECT_EQ(*example, (Service{6, 49152, 22}));
}

TEST(ServiceSet, ExamplePrefersTcpThenUdp) {
    ServiceSet s = ServiceSet::of(ProtocolSet::single(1), PortSet::all(), PortSet::all())
                       .unite(ServiceSet::of(kUdp, PortSet::all(), PortSet::single(53)));
    EXPECT_EQ(*s.example(), (Service{17, 49152, 53}));
    EXPECT_FALSE(ServiceSet().example());
}

TEST(ServiceSet, ReaddressMapsOnePortToOthers) {
    ServiceSet backend = ServiceSet::of(kTcp, PortSet::all(), PortSet::single(8443));
    ServiceSet front = backend.readdress(6, 8443, PortSet::single(443));
    EXPECT_EQ(front, ServiceSet::of(kTcp, PortSet::all(), PortSet::single(443)));
    EXPECT_TRUE(backend.readdress(6, 80, PortSet::single(443)).empty());
}

TEST(ServiceSet, BoxesCoverExactly) {
    ServiceSet s = ServiceSet::of(ProtocolSet::all(), PortSet::all(), PortSet::single(443))
                       .subtract(ServiceSet::of(kUdp, PortSet::range(0, 1023), PortSet::all()));
    ServiceSet rebuilt;
    for (const ServiceBox& box : s.boxes())
        rebuilt = rebuilt.unite(ServiceSet::of(box.protocols, box.source_ports, box.destination_ports));
    EXPECT_EQ(rebuilt, s);
}

// Set algebra against brute force over a small universe of services.
TEST(ServiceSet, RandomAlgebraMatchesMembership) {
    std::mt19937 rng(7);
    auto random_set = [&] {
        ServiceSet s;
        int boxes = static_cast<int>(rng() % 4);
        for (int i = 0; i < boxes; ++i) {
            auto p = static_cast<std::uint8_t>(std::array<int, 4>{1, 6, 17, 47}[rng() % 4]);
            auto lo = static_cast<std::uint16_t>(rng() % 20);
            auto hi = static_cast<std::uint16_t>(lo + rng() % 10);
            auto slo = static_cast<std::uint16_t>(rng() % 20);
            s = s.unite(ServiceSet::of(ProtocolSet::single(p),
                                       PortSet::range(slo, static_cast<std::uint16_t>(slo + 5)),
                                       PortSet::range(lo, hi)));
        }
        return s;
    };
    for (int round = 0; round < 300; ++round) {
        ServiceSet a = random_set();
        ServiceSet b = random_set();
        ServiceSet u = a.unite(b), i = a.intersect(b), d = a.subtract(b);
        for (std::uint8_t p : {std::uint8_t{1}, std::uint8_t{6}, std::uint8_t{17}, std::uint8_t{47}}) {
            for (std::uint16_t sp = 0; sp < 30; sp += 3) {
                for (std::uint16_t dp = 0; dp < 32; ++dp) {
                    Service x{p, sp, dp};
                    bool in_a = a.contains(x), in_b = b.contains(x);
                    ASSERT_EQ(u.contains(x), in_a || in_b);
                    ASSERT_EQ(i.contains(x), in_a && in_b);
                    ASSERT_EQ(d.contains(x), in_a && !in_b);
                }
            }
        }
        ASSERT_EQ(a.unite(b), b.unite(a));
        ASSERT_EQ(d.unite(i), a);
    }
}

} // namespace
} // namespace ztnet::reach
