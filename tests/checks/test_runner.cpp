// The checks runner: the selection it runs, the order and identity of findings, suppressions as of
// a date, and what it refuses.
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/checks/runner.h"

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;

CheckRun run(CheckFixture& fixture, const std::vector<Suppression>& suppressions = {},
             const std::vector<std::string>& selection = {}) {
    return run_checks(fixture.context(), suppressions, "2026-12-01", selection);
}

TEST(Runner, RunsTheSelectionOnly) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    const std::vector<std::string> selection = {"ZT-NET-001", "ZT-STG-001"};
    const CheckRun r = run(fixture, {}, selection);
    EXPECT_EQ(r.checks, selection);
    for (const Finding& f : r.findings)
        EXPECT_TRUE(std::find(selection.begin(), selection.end(), f.check_id) != selection.end())
            << f.check_id;
    EXPECT_EQ(run(fixture).checks.size(), registry().size());
}

TEST(Runner, OrdersFindingsBySeverityThenCheckAndGivesEachItsOwnFingerprint) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    const CheckRun r = run(fixture);
    ASSERT_GT(r.findings.size(), 10u);
    std::set<std::string> fingerprints;
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        const Finding& f = r.findings[i];
        EXPECT_FALSE(f.fingerprint.empty());
        EXPECT_EQ(f.fingerprint, fingerprint(f.check_id, f.resource_id, f.discriminator));
        EXPECT_TRUE(fingerprints.insert(f.fingerprint).second) << "two findings share " << f.fingerprint;
        if (i == 0)
            continue;
        const Check& a = *find_check(r.findings[i - 1].check_id);
        const Check& b = *find_check(f.check_id);
        EXPECT_TRUE(a.severity > b.severity || (a.severity == b.severity && a.id <= b.id))
            << a.id << " before " << b.id;
    }
    // The same input gives the same findings, in the same order.
    const CheckRun again = run(fixture);
    ASSERT_EQ(again.findings.size(), r.findings.size());
    for (std::size_t i = 0; i < r.findings.size(); ++i)
        EXPECT_EQ(again.findings[i].fingerprint, r.findings[i].fingerprint);
}

TEST(Runner, AppliesSuppressionsAsOfTheDate) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    const CheckRun plain = run(fixture);
    ASSERT_FALSE(plain.findings.empty());
    const Finding& target = plain.findings.front();
    Suppression active{target.check_id, target.resource_name, "accepted", "2026-12-31", {}};
    Suppression expired{target.check_id, target.resource_name, "was accepted", "2026-11-30", {}};
    Suppression stale{"ZT-NET-001", "no-such-resource-*", "left over", "2027-01-01", {}};
    const CheckRun r = run(fixture, {expired, stale, active});
    const auto it = std::find_if(r.findings.begin(), r.findings.end(),
                                 [&](const Finding& f) { return f.fingerprint == target.fingerprint; });
    ASSERT_NE(it, r.findings.end()); // suppressed findings are kept, marked
    ASSERT_TRUE(it->suppressed_by.has_value());
    EXPECT_EQ(*it->suppressed_by, "accepted");
    ASSERT_EQ(r.expired.size(), 1u);
    EXPECT_EQ(r.expired.front().reason, "was accepted");
    ASSERT_EQ(r.unused.size(), 1u);
    EXPECT_EQ(r.unused.front().reason, "left over");
    // Only the expired suppression: nothing is suppressed.
    const CheckRun only_expired = run(fixture, {expired});
    EXPECT_TRUE(std::none_of(only_expired.findings.begin(), only_expired.findings.end(),
                             [](const Finding& f) { return f.suppressed_by.has_value(); }));
}

TEST(Runner, ScoresEachPrincipleFromItsFailingChecks) {
    CheckFixture fixture = CheckFixture::example("legacy-spoke");
    const CheckRun r = run(fixture);
    for (const PrincipleScore& s : principle_scores(r)) {
        EXPECT_GT(s.checks, 0);
        EXPECT_GE(s.score, 0);
        EXPECT_LT(s.score, 100) << principle_id(s.principle) << ": the legacy spoke fails some check";
        EXPECT_GT(s.failing, 0);
    }
    CheckFixture clean = CheckFixture::example("zero-trust-spoke");
    const std::vector<PrincipleScore> none = principle_scores(run(clean, {}, {"ZT-NET-001"}));
    for (const PrincipleScore& s : none) // one passing check at most in each principle
        EXPECT_EQ(s.score, 100);
}

} // namespace
} // namespace ztnet::checks
