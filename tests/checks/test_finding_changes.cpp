// The findings a change adds and removes: matched by fingerprint, suppressed findings absent, and
// only the checks both versions ran compared.
#include <gtest/gtest.h>

#include "ztnet/checks/finding_changes.h"

namespace ztnet::checks {
namespace {

Finding finding(std::string check, std::string resource, std::string message = "m") {
    Finding f;
    f.check_id = std::move(check);
    f.resource_id = std::move(resource);
    f.resource_name = f.resource_id;
    f.message = std::move(message);
    f.fingerprint = fingerprint(f.check_id, f.resource_id, "");
    return f;
}

CheckRun run_of(std::vector<Finding> findings, std::vector<std::string> checks) {
    CheckRun run;
    run.findings = std::move(findings);
    run.checks = std::move(checks);
    return run;
}

TEST(FindingChanges, MatchesByFingerprintNotByMessage) {
    CheckRun before = run_of({finding("ZT-NET-001", "nsg-a", "old words"), finding("ZT-NET-002", "nsg-b")},
                             {"ZT-NET-001", "ZT-NET-002"});
    CheckRun after = run_of({finding("ZT-NET-001", "NSG-A", "new words"), finding("ZT-NET-002", "nsg-c")},
                            {"ZT-NET-001", "ZT-NET-002"});
    FindingChanges changes = compare_findings(before, after);
    ASSERT_EQ(changes.added.size(), 1u);
    EXPECT_EQ(changes.added[0].resource_id, "nsg-c");
    ASSERT_EQ(changes.removed.size(), 1u);
    EXPECT_EQ(changes.removed[0].resource_id, "nsg-b");
}

TEST(FindingChanges, ASuppressionTheChangeAddsRemovesTheFinding) {
    Finding suppressed = finding("ZT-NET-001", "nsg-a");
    suppressed.suppressed_by = "accepted risk";
    FindingChanges changes = compare_findings(run_of({finding("ZT-NET-001", "nsg-a")}, {"ZT-NET-001"}),
                                              run_of({suppressed}, {"ZT-NET-001"}));
    EXPECT_TRUE(changes.added.empty());
    ASSERT_EQ(changes.removed.size(), 1u);
    changes = compare_findings(run_of({suppressed}, {"ZT-NET-001"}), run_of({suppressed}, {"ZT-NET-001"}));
    EXPECT_TRUE(changes.added.empty() && changes.removed.empty());
}

TEST(FindingChanges, ACheckThatRanInOneVersionOnlySaysNothing) {
    FindingChanges changes = compare_findings(
        run_of({}, {"ZT-NET-001"}), run_of({finding("ZT-STG-001", "st")}, {"ZT-NET-001", "ZT-STG-001"}));
    EXPECT_TRUE(changes.added.empty());
    EXPECT_TRUE(changes.removed.empty());
}

TEST(FindingChanges, NoChangeAgainstItself) {
    CheckRun run = run_of({finding("ZT-NET-001", "a"), finding("ZT-NET-001", "b")}, {"ZT-NET-001"});
    FindingChanges changes = compare_findings(run, run);
    EXPECT_TRUE(changes.added.empty() && changes.removed.empty());
}

} // namespace
} // namespace ztnet::checks
