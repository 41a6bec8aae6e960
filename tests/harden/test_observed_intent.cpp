// The intent observed traffic makes: inside parties named as an intent names them (a NIC by its
// id), outside sources kept as the addresses seen up to the bound and the Internet past it, ports
// of one pair and protocol gathered into one flow, denied and out-of-window traffic left out; and a
// plan hardened from it proves.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ztnet/harden/harden.h"
#include "ztnet/harden/observed_intent.h"

#include "harden_fixture.h"

namespace ztnet::harden {
namespace {

using flows::Decision;
using flows::store::ConversationRow;

constexpr std::int64_t kHour = 1705312800000; // 2024-01-15T10:00:00Z

ConversationRow row(std::string_view source, std::string_view destination, std::uint16_t port,
                    Decision decision = Decision::Allow, std::int64_t bucket = kHour) {
    ConversationRow r;
    r.bucket_ms = bucket;
    r.source = *net::Address::parse(source);
    r.destination = *net::Address::parse(destination);
    r.destination_port = port;
    r.protocol = 6;
    r.direction = net::Direction::Inbound;
    r.decision = decision;
    r.totals.tuples = 1;
    r.totals.first_seen_ms = bucket;
    r.totals.last_seen_ms = bucket;
    return r;
}

const model::IntentFlow* flow_to(const model::Intent& intent, std::string_view from, std::string_view to) {
    for (const model::IntentFlow& f : intent.flows)
        if (f.from.front() == from && f.to.front() == to)
            return &f;
    return nullptr;
}

TEST(ObservedIntent, NamesTheInsideAndBoundsTheOutside) {
    testing::Example legacy("legacy-spoke");
    std::vector<ConversationRow> rows = {
        row("10.20.1.4", "10.20.2.4", 443), // vm-web-1 -> vm-app-1
        row("10.20.1.4", "10.20.2.4", 22),  // the same pair: one flow, both ports
        row("10.20.1.4", "10.20.3.4", 1433, Decision::Deny),
        row("10.20.1.5", "10.20.2.4", 443, Decision::Allow, kHour - 3'600'000), // before the window
        row("198.51.100.7", "10.20.1.4", 22),
    };
    for (int i = 0; i < 20; ++i) // many sources on one service: the Internet
        rows.push_back(row(fmt::format("203.0.113.{}", i + 1), "10.20.1.5", 3389));
    ObservedIntentOptions options;
    options.window.since_ms = kHour;
    options.path = "the traffic";
    const model::Intent intent = observed_intent(legacy.analysis(), rows, options);
    EXPECT_EQ(intent.path, "the traffic");
    const model::IntentGroup* web = intent.find_group("vm-web-1-nic");
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(web->selectors.at(0).kind, model::IntentSelector::Kind::Nic);
    const model::IntentFlow* web_to_app = flow_to(intent, "vm-web-1-nic", "vm-app-1-nic");
    ASSERT_NE(web_to_app, nullptr);
    EXPECT_EQ(web_to_app->ports.to_string(),
              net::PortSet::single(22).unite(net::PortSet::single(443)).to_string());
    EXPECT_EQ(flow_to(intent, "vm-web-1-nic", "vm-data-1-nic"), nullptr) << "denied traffic is not kept";
    EXPECT_EQ(flow_to(intent, "vm-web-2-nic", "vm-app-1-nic"), nullptr)
        << "traffic before the window is not kept";
    const model::IntentGroup* ssh_source = intent.find_group("198.51.100.7");
    ASSERT_NE(ssh_source, nullptr);
    EXPECT_EQ(ssh_source->selectors.at(0).kind, model::IntentSelector::Kind::Prefix);
    EXPECT_NE(flow_to(intent, "198.51.100.7", "vm-web-1-nic"), nullptr);
    EXPECT_NE(flow_to(intent, "internet", "vm-web-2-nic"), nullptr) << "past the bound, the Internet";
    EXPECT_EQ(intent.find_group("203.0.113.1"), nullptr);
    EXPECT_EQ(intent.flows.size(), 3u);
}

TEST(ObservedIntent, APlanHardenedFromTrafficProves) {
    testing::Example legacy("legacy-spoke");
    const std::vector<ConversationRow> rows = {row("10.20.1.4", "10.20.2.4", 443),
                                               row("198.51.100.7", "10.20.1.4", 22)};
    const model::Intent intent = observed_intent(legacy.analysis(), rows, {});
    Diagnostics diagnostics;
    analysis::Options options;
    options.intent = &intent;
    auto analysed = analysis::Analysis::run(legacy.analysis().estate(), legacy.tags(), options, diagnostics);
    ASSERT_TRUE(analysed.ok()) << analysed.error().message;
    const Result<HardenPlan> plan = plan_hardening(**analysed);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    const Result<Proof> proof = prove(**analysed, *plan, diagnostics);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(proof->holds);
}

} // namespace
} // namespace ztnet::harden
