// check_flows on the legacy example's export with conversations written here: what agrees with
// the estate, what drifts from it (decision or rule), what the window leaves out, what no NIC of
// the estate logged, and an allow rule far wider than its traffic.
#include <gtest/gtest.h>

#include "ztnet/flows/store/summary_report.h"
#include "ztnet/observed/flow_check.h"

#include "check_fixture.h"

namespace ztnet::observed {
namespace {

using checks::testing::edited;
using checks::testing::example_export;
using flows::Decision;
using store::ConversationRow;

constexpr std::int64_t kHour = 1705312800000; // 2024-01-15T10:00:00Z
constexpr char kWebMac[] = "002248C1CC69";    // vm-web-1-nic, 10.20.1.4
constexpr char kAppMac[] = "0022487FE3A4";    // vm-app-1-nic, 10.20.2.4

net::Address address(std::string_view text) {
    return *net::Address::parse(text);
}

ConversationRow row(std::string_view source, std::string_view destination, std::uint16_t port,
                    net::Direction direction, Decision decision, std::string rule, std::string mac,
                    std::uint64_t tuples = 3) {
    ConversationRow r;
    r.bucket_ms = kHour;
    r.source = address(source);
    r.destination = address(destination);
    r.destination_port = port;
    r.protocol = 6;
    r.direction = direction;
    r.decision = decision;
    r.rule = std::move(rule);
    r.mac = std::move(mac);
    r.totals.tuples = tuples;
    r.totals.first_seen_ms = kHour + 60000;
    r.totals.last_seen_ms = kHour + 120000;
    return r;
}

class LegacyFlows : public ::testing::Test {
  protected:
    explicit LegacyFlows(std::string text = example_export("legacy-spoke")) : fixture_(std::move(text)) {}
    FlowCheckResult check(const std::vector<ConversationRow>& rows, FlowCheckOptions options = {}) {
        return check_flows(fixture_.analysis(), rows, options);
    }
    checks::testing::CheckFixture fixture_;
};

TEST_F(LegacyFlows, WhatTheEstateExplainsIsNoDrift) {
    const FlowCheckResult r = check({
        row("10.20.1.4", "10.20.2.4", 443, net::Direction::Inbound, Decision::Allow, "UserRule_AllowWebToApp",
            kAppMac),
        row("203.0.113.9", "10.20.1.4", 8080, net::Direction::Inbound, Decision::Deny,
            "DefaultRule_DenyAllInBound", kWebMac),
    });
    EXPECT_EQ(r.conversations, 2u);
    EXPECT_EQ(r.tuples, 6u);
    EXPECT_TRUE(r.drifts.empty()) << r.drifts.front().why;
    EXPECT_EQ(r.unattributed, 0u);
    EXPECT_FALSE(r.intent_checked);
}

// A flow's decision is traced once and reused for its conversations in other buckets: each still
// counts, and each gets the same answer.
TEST_F(LegacyFlows, TheSameFlowInSeveralBucketsIsDecidedAlike) {
    std::vector<ConversationRow> rows;
    for (int hour = 0; hour < 3; ++hour) {
        rows.push_back(row("10.20.1.4", "10.20.2.4", 443, net::Direction::Inbound, Decision::Deny,
                           "DefaultRule_DenyAllInBound", kAppMac));
        rows.back().bucket_ms = kHour + hour * 3'600'000;
        rows.push_back(row("10.20.1.4", "10.20.2.4", 443, net::Direction::Inbound, Decision::Allow,
                           "UserRule_AllowWebToApp", kAppMac));
        rows.back().bucket_ms = kHour + hour * 3'600'000;
    }
    const FlowCheckResult r = check(rows);
    EXPECT_EQ(r.conversations, 6u);
    ASSERT_EQ(r.drifts.size(), 3u); // the denied ones; the allowed ones agree with the estate
    for (const Drift& d : r.drifts) {
        EXPECT_EQ(d.flow.row.decision, Decision::Deny);
        EXPECT_EQ(d.why, r.drifts[0].why);
        EXPECT_EQ(d.ztnet, route::Verdict::Allowed);
    }
}

TEST_F(LegacyFlows, ADecisionOrARuleTheEstateDoesNotExplainIsDrift) {
    const FlowCheckResult r = check({
        // nsg-orders-app allows web to app on 443; Azure says it denied it.
        row("10.20.1.4", "10.20.2.4", 443, net::Direction::Inbound, Decision::Deny,
            "DefaultRule_DenyAllInBound", kAppMac),
        // Allowed, as ztnet finds, but by a rule no NSG of the estate holds.
        row("10.20.1.5", "10.20.2.4", 443, net::Direction::Inbound, Decision::Allow,
            "UserRule_AllowFromAnywhere", kAppMac),
    });
    ASSERT_EQ(r.drifts.size(), 2u);
    EXPECT_EQ(r.drifts[0].ztnet, route::Verdict::Allowed);
    EXPECT_NE(r.drifts[0].why.find("Azure denied it by rule DefaultRule_DenyAllInBound"), std::string::npos)
        << r.drifts[0].why;
    EXPECT_NE(r.drifts[0].ztnet_rule.find("AllowWebToApp"), std::string::npos) << r.drifts[0].ztnet_rule;
    EXPECT_NE(r.drifts[1].why.find("UserRule_AllowFromAnywhere, which no NSG"), std::string::npos)
        << r.drifts[1].why;
}

TEST_F(LegacyFlows, TheWindowAndUnknownNicsAreSaid) {
    ConversationRow late = row("10.20.1.4", "10.20.2.4", 22, net::Direction::Inbound, Decision::Deny,
                               "DefaultRule_DenyAllInBound", kAppMac);
    late.bucket_ms = kHour + 3600000;
    const ConversationRow elsewhere = row("192.0.2.1", "172.16.0.9", 443, net::Direction::Inbound,
                                          Decision::Allow, "UserRule_Web", "0022480000FF");
    FlowCheckOptions window;
    window.until_ms = kHour + 3600000;
    const FlowCheckResult r = check({late, elsewhere}, window);
    EXPECT_EQ(r.conversations, 1u);
    EXPECT_EQ(r.unattributed, 1u);
    EXPECT_TRUE(r.drifts.empty());
}

TEST_F(LegacyFlows, RulesThatCarriedNothingAreUnused) {
    const FlowCheckResult r = check({
        row("198.51.100.7", "10.20.1.4", 22, net::Direction::Inbound, Decision::Allow,
            "UserRule_AllowSshFromInternet", kWebMac),
    });
    std::set<std::string> unused;
    for (const RuleUse& u : r.unused_rules)
        unused.insert(u.nsg + "/" + u.rule);
    EXPECT_TRUE(unused.count("nsg-orders-web/AllowRdpFromInternet"));
    EXPECT_TRUE(unused.count("nsg-orders-web/AllowAppGwToWeb"));
    EXPECT_FALSE(unused.count("nsg-orders-web/AllowSshFromInternet"));
    ASSERT_EQ(r.management.size(), 1u);
    EXPECT_EQ(r.management[0].allowed_tuples, 3u);
    EXPECT_EQ(r.management[0].sources, 1u);
}

// The same estate with SSH opened on every port: the rule carried only port 22.
class WideLegacyFlows : public LegacyFlows {
  protected:
    WideLegacyFlows()
        : LegacyFlows(edited(example_export("legacy-spoke"),
                             R"("destinationPortRange": "22",
            "sourceAddressPrefix": "Internet")",
                             R"("destinationPortRange": "*",
            "sourceAddressPrefix": "Internet")")) {}
};

TEST_F(WideLegacyFlows, AnAllowRuleWiderThanItsTrafficIsNamed) {
    const FlowCheckResult r = check({
        row("198.51.100.7", "10.20.1.4", 22, net::Direction::Inbound, Decision::Allow,
            "UserRule_AllowSshFromInternet", kWebMac),
    });
    ASSERT_EQ(r.wide_rules.size(), 1u);
    EXPECT_EQ(r.wide_rules[0].rule, "AllowSshFromInternet");
    EXPECT_EQ(r.wide_rules[0].opened_ports, 65536u);
    EXPECT_EQ(r.wide_rules[0].used_ports, std::vector<std::uint16_t>{22});
}

TEST(ParseUtcTime, TakesDatesAndTimesInUtc) {
    using store::parse_utc_time;
    EXPECT_EQ(*parse_utc_time("1970-01-01"), 0);
    EXPECT_EQ(*parse_utc_time("2024-01-15T10:00Z"), kHour);
    EXPECT_EQ(*parse_utc_time("2024-01-15T10:00:30"), kHour + 30000);
    EXPECT_EQ(*parse_utc_time("2024-02-29"), 1709164800000);
    for (std::string_view bad : {"", "yesterday", "2024-02-30", "2023-02-29", "2024-13-01",
                                 "2024-01-15T24:00Z", "2024-01-15 10:00", "2024-1-5", "1969-12-31"}) {
        const Result<std::int64_t> parsed = parse_utc_time(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().code, "flows-time-invalid");
    }
}

TEST(NormaliseMac, AcceptsTheSpellingsAzureUses) {
    EXPECT_EQ(model::normalise_mac("00-22-48-c1-cc-69"), "002248C1CC69");
    EXPECT_EQ(model::normalise_mac("00:22:48:C1:CC:69"), "002248C1CC69");
    EXPECT_EQ(model::normalise_mac("002248c1cc69"), "002248C1CC69");
    EXPECT_EQ(model::normalise_mac("00-22-48-C1-CC"), "");
    EXPECT_EQ(model::normalise_mac("00-22-48-C1-CC-6G"), "");
}

} // namespace
} // namespace ztnet::observed
