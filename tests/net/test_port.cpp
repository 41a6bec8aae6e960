// Ports: every accepted and rejected spelling of an Azure port value, the plural list field with
// comma-separated entries, and a seeded round trip of random port sets through their text.
#include <array>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/net/port.h"

namespace ztnet::net {
namespace {

static_assert(std::is_trivially_copyable_v<PortRange>);
static_assert(sizeof(PortRange) == 4);

struct Valid {
    const char* text;
    std::uint16_t lo;
    std::uint16_t hi;
    const char* printed;
};

TEST(PortSpec, ParsesValidValues) {
    const Valid cases[] = {
        {"*", 0, 65535, "*"},
        {"0", 0, 0, "0"},
        {"80", 80, 80, "80"},
        {"65535", 65535, 65535, "65535"},
        {"1024-65535", 1024, 65535, "1024-65535"},
        {"0-65535", 0, 65535, "*"},
        {"80-80", 80, 80, "80"},
        {"0-0", 0, 0, "0"},
        {"080", 80, 80, "80"},
        {"00000000000000000443", 443, 443, "443"},
        {"65200-65535", 65200, 65535, "65200-65535"},
    };
    for (const Valid& c : cases) {
        Result<PortRange> range = PortRange::parse(c.text);
        ASSERT_TRUE(range.ok()) << c.text << ": " << range.error().message;
        EXPECT_EQ(range->lo(), c.lo) << c.text;
        EXPECT_EQ(range->hi(), c.hi) << c.text;
        EXPECT_EQ(range->to_string(), c.printed);
        EXPECT_EQ(PortRange::parse(range->to_string()).value(), *range);
        Result<PortSet> set = parse_port_spec(c.text);
        ASSERT_TRUE(set.ok());
        EXPECT_EQ(*set, PortSet::range(c.lo, c.hi)) << c.text;
        EXPECT_EQ(port_set_to_string(*set), c.printed);
    }
}

struct Invalid {
    const char* text;
    const char* reason;
    std::size_t offset;
};

TEST(PortSpec, RejectsInvalidValues) {
    const Invalid cases[] = {
        {"", "the text is empty", 0},
        {" ", "unexpected character a space", 0},
        {" 80", "unexpected character a space", 0},
        {"80 ", "unexpected character a space", 2},
        {"80 - 90", "unexpected character a space", 2},
        {"80- 90", "unexpected character a space", 3},
        {"-80", "without a sign", 0},
        {"+80", "without a sign", 0},
        {"80-+90", "without a sign", 3},
        {"80--90", "without a sign", 3},
        {"80-", "missing the end of the range", 3},
        {"-", "without a sign", 0},
        {"90-80", "the range start 90 is above its end 80", 0},
        {"65536", "port '65536' is out of range 0-65535", 0},
        {"99999999999", "out of range", 0},
        {"0-65536", "out of range", 2},
        {"80-90-100", "a range has exactly two ends", 5},
        {"**", "'*' must stand alone", 1},
        {"*-80", "'*' must stand alone", 1},
        {"*80", "'*' must stand alone", 1},
        {"80,443", "a comma-separated list is not allowed here", 2},
        {"a", "unexpected character 'a'", 0},
        {"8o", "unexpected character 'o'", 1},
        {"80.0", "unexpected character '.'", 2},
        {"1e3", "unexpected character 'e'", 1},
        {"0x50", "unexpected character 'x'", 1},
        {"Any", "unexpected character 'A'", 0},
        {"80\t", "byte \\x09", 2},
    };
    for (const Invalid& c : cases) {
        Result<PortSet> set = parse_port_spec(c.text);
        ASSERT_FALSE(set.ok()) << c.text << " parsed as " << set.value();
        const Error& error = set.error();
        EXPECT_EQ(error.message.rfind("expected a port 0-65535, a range like 1024-65535, or *, got '", 0), 0u)
            << error.message;
        EXPECT_NE(error.message.find(c.reason), std::string::npos) << c.text << ": " << error.message;
        EXPECT_EQ(error.offset, c.offset) << c.text << ": " << error.message;
    }
    EXPECT_EQ(
        parse_port_spec("90-80").error().message,
        "expected a port 0-65535, a range like 1024-65535, or *, got '90-80': the range start 90 is above "
        "its end 80");
}

Result<PortSet> list(std::vector<std::string_view> entries) {
    return parse_port_list(entries);
}

TEST(PortList, UnitesEntriesAndCommaSeparatedValues) {
    PortSet web;
    web.insert(80);
    web.insert(443);
    EXPECT_EQ(list({"80", "443"}).value(), web);
    EXPECT_EQ(list({"80,443"}).value(), web);
    EXPECT_EQ(list({"443,80", "80"}).value(), web);
    EXPECT_EQ(port_set_to_string(list({"22", "80,443", "1024-2048", "2049"}).value()), "22,80,443,1024-2049");
    EXPECT_TRUE(list({"*", "80"}).value().full());
    EXPECT_TRUE(list({"0-100", "101-65535"}).value().full());
    EXPECT_EQ(list({"8080"}).value(), PortSet::single(8080));
}

TEST(PortList, RejectsEmptyListsItemsAndSpaces) {
    const Invalid cases[] = {
        {"80,,443", "empty item in a comma-separated list", 3},
        {"80,", "empty item in a comma-separated list", 3},
        {",80", "empty item in a comma-separated list", 0},
        {"80, 443", "unexpected character a space", 3},
        {"80,90-70", "the range start 90 is above its end 70", 3},
        {"80,65536", "out of range", 3},
    };
    for (const Invalid& c : cases) {
        Result<PortSet> set = list({"22", c.text});
        ASSERT_FALSE(set.ok()) << c.text;
        EXPECT_NE(set.error().message.find(c.reason), std::string::npos)
            << c.text << ": " << set.error().message;
        EXPECT_NE(set.error().message.find("(entry 2 of 2)"), std::string::npos) << set.error().message;
        EXPECT_EQ(set.error().offset, c.offset) << c.text << ": " << set.error().message;
    }
    EXPECT_EQ(list({}).error().message, "expected at least one port value, got an empty list");
    EXPECT_NE(list({"80", ""}).error().message.find("the text is empty"), std::string::npos);
}

TEST(PortRange, Queries) {
    const PortRange high = PortRange::between(1024, 65535);
    EXPECT_TRUE(high.contains(std::uint16_t{1024}));
    EXPECT_FALSE(high.contains(std::uint16_t{1023}));
    EXPECT_TRUE(high.contains(PortRange::single(8080)));
    EXPECT_FALSE(high.contains(PortRange::any()));
    EXPECT_EQ(high.size(), 64512u);
    EXPECT_EQ(PortRange::any().size(), 65536u);
    EXPECT_TRUE(PortRange::any().full());
    EXPECT_EQ(PortRange::any().to_set(), PortSet::all());
    EXPECT_EQ(PortRange(), PortRange::single(0));
    EXPECT_LT(PortRange::single(80), PortRange::single(443));
}

TEST(PortSet, PrintsAndReadsBackRandomSets) {
    std::mt19937 rng(555u);
    std::uniform_int_distribution<int> port(0, 65535);
    std::uniform_int_distribution<int> pieces(1, 8);
    EXPECT_EQ(port_set_to_string(PortSet()), "(none)");
    EXPECT_EQ(port_set_to_string(PortSet::all()), "*");
    for (int round = 0; round < 2000; ++round) {
        PortSet set;
        const int n = pieces(rng);
        for (int i = 0; i < n; ++i) {
            const int lo = port(rng);
            const int hi = std::min(65535, lo + (i % 2 == 0 ? 0 : port(rng) % 3000));
            set.insert(static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi));
        }
        const std::string text = port_set_to_string(set);
        const std::array<std::string_view, 1> entries{text};
        Result<PortSet> back = parse_port_list(entries);
        ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
        ASSERT_EQ(*back, set) << text;
    }
}

} // namespace
} // namespace ztnet::net
