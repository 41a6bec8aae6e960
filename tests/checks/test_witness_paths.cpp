// A finding's witness flow traced hop by hop for the HTML report: the legacy spoke's RDP from the
// Internet is allowed, hop by hop, by the rule that opens it; findings without a flow get none;
// the cap keeps the first (most severe) findings; the traces agree with tracing one at a time.
#include <gtest/gtest.h>

#include "ztnet/checks/witness_paths.h"

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;

TEST(WitnessPaths, TracesTheFlowAFindingRestsOn) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    auto audit = run_audit(fixture.analysis(), {});
    ASSERT_TRUE(static_cast<bool>(audit));
    const std::vector<Finding>& findings = audit->run.findings;
    const auto traces = witness_paths(fixture.analysis(), findings, findings.size());
    ASSERT_EQ(traces.size(), findings.size());
    std::size_t traced = 0;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const bool has_flow = std::any_of(findings[i].evidence.begin(), findings[i].evidence.end(),
                                          [](const Evidence& e) { return e.flow.has_value(); });
        if (!has_flow) {
            EXPECT_FALSE(traces[i].has_value()) << findings[i].check_id;
            continue;
        }
        if (!traces[i])
            continue; // an end ztnet cannot resolve
        ++traced;
        const net::Flow& flow =
            *std::find_if(findings[i].evidence.begin(), findings[i].evidence.end(), [](const Evidence& e) {
                 return e.flow.has_value();
             })->flow;
        EXPECT_EQ(traces[i]->flow.destination_port, flow.destination_port);
    }
    EXPECT_GT(traced, 0u);
    const auto rdp = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.check_id == "ZT-SEG-001"; });
    ASSERT_NE(rdp, findings.end());
    const auto& trace = traces[static_cast<std::size_t>(rdp - findings.begin())];
    ASSERT_TRUE(trace.has_value());
    EXPECT_EQ(trace->verdict, route::Verdict::Allowed);
    const bool named = std::any_of(trace->hops.begin(), trace->hops.end(),
                                   [](const route::Hop& h) { return h.rule == "AllowSshFromInternet"; });
    EXPECT_TRUE(named) << "the rule that lets it in";
}

TEST(WitnessPaths, TheCapKeepsTheFirstFindings) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    auto audit = run_audit(fixture.analysis(), {});
    ASSERT_TRUE(static_cast<bool>(audit));
    const auto all = witness_paths(fixture.analysis(), audit->run.findings, audit->run.findings.size());
    const auto one = witness_paths(fixture.analysis(), audit->run.findings, 1);
    std::size_t traced = 0;
    for (std::size_t i = 0; i < one.size(); ++i) {
        if (!one[i])
            continue;
        ++traced;
        ASSERT_TRUE(all[i].has_value());
        EXPECT_EQ(one[i]->hops.size(), all[i]->hops.size());
    }
    EXPECT_LE(traced, 1u);
}

} // namespace
} // namespace ztnet::checks
