// Observed traffic as evidence on findings: a witness flow's path counts the allowed conversations
// from the same kind of source to the same destination, protocol and port, and nothing else.
#include <gtest/gtest.h>

#include "ztnet/observed/path_evidence.h"

#include "check_fixture.h"

namespace ztnet::observed {
namespace {

using checks::testing::example_export;
using flows::Decision;
using store::ConversationRow;

constexpr std::int64_t kHour = 1705312800000; // 2024-01-15T10:00:00Z
constexpr char kWebMac[] = "002248C1CC69";    // vm-web-1-nic, 10.20.1.4

ConversationRow inbound(std::string_view source, std::uint16_t port, Decision decision, std::uint64_t tuples,
                        std::int64_t bucket = kHour) {
    ConversationRow r;
    r.bucket_ms = bucket;
    r.source = *net::Address::parse(source);
    r.destination = *net::Address::parse("10.20.1.4");
    r.destination_port = port;
    r.protocol = 6;
    r.direction = net::Direction::Inbound;
    r.decision = decision;
    r.rule = decision == Decision::Allow ? "UserRule_AllowSshFromInternet" : "DefaultRule_DenyAllInBound";
    r.mac = kWebMac;
    r.totals.tuples = tuples;
    r.totals.first_seen_ms = bucket + 60000;
    r.totals.last_seen_ms = bucket + 120000;
    return r;
}

net::Flow ssh_from(std::string_view source) {
    net::Flow flow;
    flow.protocol = 6;
    flow.source = *net::Address::parse(source);
    flow.destination = *net::Address::parse("10.20.1.4");
    flow.source_port = 49152;
    flow.destination_port = 22;
    return flow;
}

checks::Evidence evidence(std::string text, std::optional<net::Flow> flow) {
    checks::Evidence e;
    e.text = std::move(text);
    e.flow = flow;
    return e;
}

class PathEvidence : public ::testing::Test {
  protected:
    PathEvidence() : fixture_(example_export("legacy-spoke")) {}
    checks::testing::CheckFixture fixture_;
};

TEST_F(PathEvidence, CountsTheAllowedFlowsOfThePathAndNothingElse) {
    const std::vector<ConversationRow> rows = {
        inbound("198.51.100.7", 22, Decision::Allow, 4),
        inbound("198.51.100.7", 22, Decision::Allow, 2, kHour + 3'600'000), // the same flow an hour on
        inbound("203.0.113.9", 22, Decision::Allow, 1),                     // another Internet address
        inbound("203.0.113.10", 22, Decision::Deny, 9),                     // denied: not carried
        inbound("198.51.100.7", 3389, Decision::Allow, 5),                  // another port
        inbound("10.20.2.4", 22, Decision::Allow, 7),                       // from inside the estate
    };
    ObservedPaths paths(fixture_.analysis(), rows, {});
    const PathUse internet = paths.use(ssh_from("192.0.2.1")); // the witness: any Internet address
    EXPECT_EQ(internet.flows, 2u);
    EXPECT_EQ(internet.tuples, 7u);
    EXPECT_EQ(internet.first_seen_ms, kHour + 60000);
    EXPECT_EQ(internet.last_seen_ms, kHour + 3'600'000 + 120000);
    ASSERT_EQ(internet.examples.size(), 2u);
    EXPECT_EQ(internet.examples[0].row.source.to_string(), "198.51.100.7"); // the busiest first
    const PathUse inside = paths.use(ssh_from("10.20.2.4"));
    EXPECT_EQ(inside.flows, 1u);
    EXPECT_EQ(inside.tuples, 7u);
    EXPECT_EQ(paths.use(ssh_from("10.20.3.4")).flows, 0u); // vm-data-1 sent nothing

    FlowCheckOptions later;
    later.since_ms = kHour + 3'600'000;
    ObservedPaths windowed(fixture_.analysis(), rows, later);
    EXPECT_EQ(windowed.use(ssh_from("192.0.2.1")).tuples, 2u);
}

TEST_F(PathEvidence, FindingsGetALinePerDistinctPathThatCarriedTraffic) {
    const std::vector<ConversationRow> rows = {inbound("198.51.100.7", 22, Decision::Allow, 4)};
    ObservedPaths paths(fixture_.analysis(), rows, {});
    std::vector<checks::Finding> findings(2);
    findings[0].evidence.push_back(evidence("witness", ssh_from("192.0.2.1")));
    findings[0].evidence.push_back(evidence("the same witness again", ssh_from("192.0.2.1")));
    findings[0].evidence.push_back(evidence("a rule", std::nullopt));
    findings[1].evidence.push_back(evidence("nothing went this way", ssh_from("10.20.3.4")));
    const std::vector<checks::Finding> out = with_observed_evidence(findings, paths);
    ASSERT_EQ(out[0].evidence.size(), 4u);
    EXPECT_EQ(out[0].evidence[3].text.rfind("observed: this path carried 1 flow(s), 4 tuple(s)", 0), 0u)
        << out[0].evidence[3].text;
    EXPECT_NE(out[0].evidence[3].text.find("198.51.100.7"), std::string::npos);
    EXPECT_EQ(out[1].evidence.size(), 1u);
    EXPECT_EQ(findings_with_observed_evidence(out), 1u);
    EXPECT_EQ(findings_with_observed_evidence(findings), 0u);
}

} // namespace
} // namespace ztnet::observed
