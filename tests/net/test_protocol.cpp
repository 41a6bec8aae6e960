// Protocols: the NSG protocol field (case-insensitive names and *), printing, and which protocols carry
// ports.
#include <string>

#include <gtest/gtest.h>

#include "ztnet/net/protocol.h"

namespace ztnet::net {
namespace {

static_assert(protocol_number(Protocol::Icmp) == 1 && protocol_number(Protocol::Tcp) == 6 &&
              protocol_number(Protocol::Udp) == 17 && protocol_number(Protocol::Esp) == 50 &&
              protocol_number(Protocol::Ah) == 51 && protocol_number(Protocol::Icmpv6) == 58);

TEST(NsgProtocol, ParsesNamesCaseInsensitively) {
    const struct {
        const char* text;
        std::uint8_t number;
    } cases[] = {
        {"Tcp", 6},  {"TCP", 6},  {"tcp", 6},  {"tCp", 6},  {"Udp", 17}, {"UDP", 17},
        {"Icmp", 1}, {"ICMP", 1}, {"Esp", 50}, {"ESP", 50}, {"Ah", 51},  {"ah", 51},
    };
    for (const auto& c : cases) {
        Result<ProtocolSet> set = parse_nsg_protocol(c.text);
        ASSERT_TRUE(set.ok()) << c.text << ": " << set.error().message;
        EXPECT_EQ(*set, ProtocolSet::single(c.number)) << c.text;
        EXPECT_EQ(parse_nsg_protocol(protocol_set_to_string(*set)).value(), *set);
    }
}

TEST(NsgProtocol, StarIsEveryIpProtocol) {
    const ProtocolSet any = parse_nsg_protocol("*").value();
    EXPECT_TRUE(any.full());
    EXPECT_EQ(any.size(), 256u);
    EXPECT_TRUE(any.contains(std::uint8_t{47})); // GRE, not a named NSG protocol, still matches *
    EXPECT_TRUE(any.contains(protocol_number(Protocol::Icmpv6)));
    EXPECT_EQ(protocol_set_to_string(any), "*");
}

TEST(NsgProtocol, IcmpDoesNotIncludeIcmpv6) {
    EXPECT_FALSE(parse_nsg_protocol("Icmp").value().contains(protocol_number(Protocol::Icmpv6)));
}

TEST(NsgProtocol, RejectsOtherSpellings) {
    const char* invalid[] = {"",       "Any", "any",  "TCP ", " Tcp",    "6",  "Icmpv6",
                             "ICMPv4", "Tc",  "Tcpp", "**",   "Tcp,Udp", "All"};
    for (const char* text : invalid) {
        Result<ProtocolSet> set = parse_nsg_protocol(text);
        ASSERT_FALSE(set.ok()) << text;
        EXPECT_EQ(set.error().message,
                  "expected an NSG protocol (Tcp, Udp, Icmp, Esp, Ah or *), got '" + std::string(text) + "'");
    }
}

TEST(Protocol, NamesAndPrinting) {
    EXPECT_EQ(protocol_name(6), "Tcp");
    EXPECT_EQ(protocol_name(58), "Icmpv6");
    EXPECT_EQ(protocol_name(47), "");
    EXPECT_EQ(protocol_to_string(17), "Udp");
    EXPECT_EQ(protocol_to_string(47), "47");
    EXPECT_EQ(protocol_set_to_string(ProtocolSet()), "(none)");
    ProtocolSet some = ProtocolSet::single(6);
    some.insert(1);
    some.insert(100, 110);
    EXPECT_EQ(protocol_set_to_string(some), "Icmp,Tcp,100-110");
    EXPECT_EQ(protocol_set_to_string(ProtocolSet::single(6).complement()), "0-5,7-255");
}

TEST(Protocol, OnlyTcpAndUdpHavePorts) {
    for (int number = 0; number < 256; ++number) {
        EXPECT_EQ(protocol_has_ports(static_cast<std::uint8_t>(number)), number == 6 || number == 17)
            << number;
    }
}

} // namespace
} // namespace ztnet::net
