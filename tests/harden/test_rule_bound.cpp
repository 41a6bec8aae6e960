// The rule-count bound: drafts merged least widening first, only where Azure can write the merge,
// and the numbering that keeps many rules below Azure's requirements.
#include <gtest/gtest.h>

#include "ztnet/harden/detail/rule_draft.h"

namespace ztnet::harden::detail {
namespace {

Draft allow(const char* from, const char* to, std::uint16_t port) {
    Side source, destination;
    add_prefix(source, *net::Prefix::parse(from));
    add_prefix(destination, *net::Prefix::parse(to));
    Draft d;
    d.direction = net::Direction::Inbound;
    d.source = source;
    d.destination = destination;
    d.protocol = "Tcp";
    d.ports = net::PortSet::single(port);
    d.reasons = {std::string("flow to ") + to};
    d.label = to;
    return d;
}

TEST(RuleBound, MergesTheLeastWideningPairFirst) {
    // Two /32 destinations close together in size, and one /16: the /32s merge first.
    std::vector<Draft> drafts = {allow("10.0.1.0/24", "10.0.2.4/32", 443),
                                 allow("10.0.1.0/24", "10.0.2.5/32", 8443),
                                 allow("10.0.9.0/24", "10.1.0.0/16", 22)};
    std::vector<std::string> widened;
    auto fewer = bounded(drafts, 2, widened);
    ASSERT_TRUE(fewer);
    ASSERT_EQ(fewer->size(), 2u);
    EXPECT_EQ(widened.size(), 1u);
    const Draft& merged = (*fewer)[0];
    EXPECT_EQ(merged.destination.addresses.size(), 2u);
    EXPECT_TRUE(merged.ports.contains(443) && merged.ports.contains(8443));
    EXPECT_EQ(merged.reasons.size(), 2u);
    EXPECT_EQ((*fewer)[1].destination.key(), drafts[2].destination.key());
}

TEST(RuleBound, NeverMergesWhatAzureCannotWriteAsOneRule) {
    Draft tag = allow("10.0.1.0/24", "10.0.2.4/32", 443);
    tag.destination = tag_side("AzureMonitor");
    Draft outbound = allow("10.0.1.0/24", "10.0.2.5/32", 443);
    outbound.direction = net::Direction::Outbound;
    Draft udp = allow("10.0.1.0/24", "10.0.2.6/32", 443);
    udp.protocol = "Udp";
    std::vector<Draft> drafts = {allow("10.0.1.0/24", "10.0.2.7/32", 443), tag, outbound, udp};
    std::vector<std::string> widened;
    EXPECT_FALSE(bounded(drafts, 3, widened));
    EXPECT_TRUE(widened.empty());
    Draft fixed_rule = fixed(net::Direction::Inbound, any_side(), any_side(), "*", net::PortSet::all(), 4096,
                             "DenyAllInbound", "baseline");
    EXPECT_FALSE(bounded({allow("10.0.1.0/24", "10.0.2.7/32", 443), fixed_rule}, 1, widened));
}

TEST(RuleBound, ManyRulesStayBelowAzuresRequirements) {
    std::vector<Draft> drafts;
    for (int i = 0; i < 500; ++i)
        drafts.push_back(allow("10.0.1.0/24", "10.0.2.4/32", static_cast<std::uint16_t>(1000 + i)));
    for (Draft& d : drafts)
        d.label = "flow-" + std::to_string(drafts.size()) + d.ports.to_string();
    drafts.push_back(fixed(net::Direction::Inbound, any_side(), any_side(), "*", net::PortSet::all(), 4096,
                           "DenyAllInbound", "baseline"));
    const std::vector<ProposedRule> rules = numbered(drafts);
    int last = 0;
    for (const ProposedRule& r : rules) {
        if (r.rule.priority == 4096)
            continue;
        EXPECT_GT(r.rule.priority, last);
        EXPECT_LT(r.rule.priority, 4000);
        last = r.rule.priority;
    }
}

} // namespace
} // namespace ztnet::harden::detail
