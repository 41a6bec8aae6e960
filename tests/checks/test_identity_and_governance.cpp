// Identity, governance and monitoring checks (ZT-IAM-*, ZT-GOV-*, ZT-MON-*): the hardened example
// passes, the legacy example's planted gaps fire, and edited exports cover the other branches.
#include <set>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::example_export;

const std::string kSubscription = "6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c";
const std::string kSubscriptionId = "/subscriptions/" + kSubscription;
const std::string kLegacyAssignment = "ef6d9708-1e9a-468a-af39-120a5e7de6c0";
const std::string kZeroTrustAssignment = "7546c5ad-9299-4866-9dc3-f8902ff15d30";
const std::string kOperatorRoleRef =
    "\"roleDefinitionId\": \"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/providers/"
    "Microsoft.Authorization/roleDefinitions/f87d1a45-38c8-4508-8a2b-94b3bd32a7ac\"";

std::multiset<std::string> flagged(const std::vector<Finding>& findings) {
    std::multiset<std::string> names;
    for (const Finding& f : findings)
        names.insert(f.resource_name);
    return names;
}

std::vector<Finding> run_on(const std::string& json, std::string_view check) {
    return CheckFixture(json).run(check);
}

std::vector<Finding> run_on_example(const std::string& example, std::string_view check) {
    return CheckFixture::example(example).run(check);
}

bool mentions(const Finding& f, const std::string& text) {
    if (f.message.find(text) != std::string::npos)
        return true;
    for (const Evidence& e : f.evidence) {
        if (e.text.find(text) != std::string::npos)
            return true;
    }
    return false;
}

TEST(IdentityAndGovernance, ChecksAreRegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-IAM-001", Severity::High},   {"ZT-IAM-002", Severity::Medium}, {"ZT-IAM-003", Severity::Medium},
        {"ZT-GOV-001", Severity::Medium}, {"ZT-GOV-002", Severity::Medium}, {"ZT-MON-001", Severity::Medium},
    };
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
    EXPECT_EQ(find_check("ZT-IAM-001")->principles, std::vector<Principle>{Principle::LeastPrivilege});
}

TEST(IdentityAndGovernance, ZeroTrustSpokePassesEveryCheck) {
    CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    for (std::string_view id :
         {"ZT-IAM-001", "ZT-IAM-002", "ZT-IAM-003", "ZT-GOV-001", "ZT-GOV-002", "ZT-MON-001"})
        EXPECT_TRUE(fixture.run(id).empty()) << id << ": " << fixture.run(id).front().message;
}

// ---- ZT-IAM-001 ----

TEST(BroadRoleAtBroadScope, LegacyContributorOnTheSubscriptionFires) {
    auto findings = run_on_example("legacy-spoke", "ZT-IAM-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kLegacyAssignment});
    EXPECT_EQ(findings[0].check_id, "ZT-IAM-001");
    EXPECT_NE(findings[0].message.find("Contributor"), std::string::npos);
    EXPECT_NE(findings[0].message.find("subscription"), std::string::npos);
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset());
}

TEST(BroadRoleAtBroadScope, OwnerOnAResourceGroupFires) {
    std::string json =
        edited(example_export("zero-trust-spoke"), kOperatorRoleRef,
               "\"roleDefinitionId\": \"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/providers/"
               "Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635\"");
    auto findings = run_on(json, "ZT-IAM-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kZeroTrustAssignment});
    EXPECT_NE(findings[0].message.find("Owner"), std::string::npos);
    EXPECT_NE(findings[0].message.find("resource group"), std::string::npos);
}

TEST(BroadRoleAtBroadScope, CustomRoleWithEveryActionFires) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"Microsoft.Network/*\",", "\"*\",");
    EXPECT_EQ(flagged(run_on(json, "ZT-IAM-001")), std::multiset<std::string>{kZeroTrustAssignment});
}

TEST(BroadRoleAtBroadScope, ContributorOnOneResourceIsNotBroad) {
    std::string json =
        edited(example_export("legacy-spoke"), "\"scope\": \"" + kSubscriptionId + "\",",
               "\"scope\": \"" + kSubscriptionId +
                   "/resourceGroups/rg-legacy-orders/providers/Microsoft.Compute/virtualMachines/"
                   "vm-web-1\",");
    EXPECT_TRUE(run_on(json, "ZT-IAM-001").empty());
}

// ---- ZT-IAM-002 ----

TEST(RoleAssignedToUser, LegacyUserAssignmentFires) {
    auto findings = run_on_example("legacy-spoke", "ZT-IAM-002");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kLegacyAssignment});
    EXPECT_NE(findings[0].message.find("f6000103-8984-42af-90b7-acfae3226901"), std::string::npos);
    ASSERT_FALSE(findings[0].evidence.empty());
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset());
}

TEST(RoleAssignedToUser, GroupAssignmentPasses) {
    std::string json =
        edited(example_export("legacy-spoke"), "\"principalType\": \"User\"", "\"principalType\": \"Group\"");
    EXPECT_TRUE(run_on(json, "ZT-IAM-002").empty());
}

// ---- ZT-IAM-003 ----

TEST(NetworkOperatorRole, LegacyHasNoneAndTheSubscriptionIsFlagged) {
    auto findings = run_on_example("legacy-spoke", "ZT-IAM-003");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_EQ(findings[0].resource_id, kSubscriptionId);
    EXPECT_FALSE(findings[0].where.has_file()); // nothing deployed, so no place in the input
    EXPECT_TRUE(findings[0].evidence.empty());  // no custom role to explain
}

TEST(NetworkOperatorRole, RoleAssignedToAUserInsteadOfAGroupFires) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"principalType\": \"Group\"",
                              "\"principalType\": \"User\"");
    auto findings = run_on(json, "ZT-IAM-003");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(mentions(findings[0], "not assigned to a group"));
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset());
}

TEST(NetworkOperatorRole, WriteActionsOutsideTheNetworkDisqualifyTheRole) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"Microsoft.Authorization/*/read\",",
                              "\"Microsoft.Compute/*\",");
    auto findings = run_on(json, "ZT-IAM-003");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_TRUE(mentions(findings[0], "Microsoft.Compute/*"));
}

TEST(NetworkOperatorRole, AssignableAtTheWholeSubscriptionDisqualifiesTheRole) {
    std::string json =
        edited(example_export("zero-trust-spoke"),
               "\"assignableScopes\": [\n        \"" + kSubscriptionId + "/resourceGroups/rg-zt-spoke\"",
               "\"assignableScopes\": [\n        \"" + kSubscriptionId + "\"");
    auto findings = run_on(json, "ZT-IAM-003");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_TRUE(mentions(findings[0], "assignable at subscription scope"));
}

// ---- ZT-GOV-001 ----

TEST(NetworkResourceGroup, LegacySharedResourceGroupFires) {
    auto findings = run_on_example("legacy-spoke", "ZT-GOV-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"rg-legacy-orders"});
    EXPECT_TRUE(findings[0].where.has_offset()); // the resource group is in the export
    EXPECT_EQ(findings[0].evidence.size(), 7U);  // six VMs and the storage account
    EXPECT_TRUE(mentions(findings[0], "stordersdiag01"));
    EXPECT_TRUE(mentions(findings[0], "vnet-orders"));
}

TEST(NetworkResourceGroup, AVmMovedIntoTheSpokeResourceGroupFires) {
    // The hub's resource group holds flow-log storage beside vnet-hub and passes (hub resource
    // groups are the platform's); the spoke's must hold network resources only.
    std::string vm =
        kSubscriptionId + "/resourceGroups/rg-zt-app/providers/Microsoft.Compute/virtualMachines/vm-web-1\",";
    std::string json = edited(example_export("zero-trust-spoke"), vm,
                              kSubscriptionId + "/resourceGroups/rg-zt-spoke/providers/Microsoft.Compute/"
                                                "virtualMachines/vm-web-1\",");
    auto findings = run_on(json, "ZT-GOV-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{"rg-zt-spoke"});
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(mentions(findings[0], "vm-web-1"));
}

// ---- ZT-GOV-002 ----

TEST(ActivityLogExport, LegacyWithoutAnyExportFires) {
    auto findings = run_on_example("legacy-spoke", "ZT-GOV-002");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_EQ(findings[0].resource_id, kSubscriptionId);
    EXPECT_TRUE(findings[0].evidence.empty());
}

TEST(ActivityLogExport, ExportWithoutTheSecurityCategoryFires) {
    std::string json =
        edited(example_export("zero-trust-spoke"), "\"category\": \"Security\",\n          \"enabled\": true",
               "\"category\": \"Security\",\n          \"enabled\": false");
    auto findings = run_on(json, "ZT-GOV-002");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(mentions(findings[0], "diag-activitylog-to-law"));
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset());
}

TEST(ActivityLogExport, TheAllLogsCategoryGroupCoversSecurity) {
    std::string json = edited(example_export("zero-trust-spoke"), "\"category\": \"Security\",",
                              "\"categoryGroup\": \"allLogs\",");
    EXPECT_TRUE(run_on(json, "ZT-GOV-002").empty());
}

// ---- ZT-MON-001 ----

TEST(DefenderPlans, TheLoaderKeepsThePricingTier) {
    CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    std::set<std::string> standard;
    for (const model::OtherResource& r : fixture.estate().others) {
        if (r.pricing_tier == model::PricingTier::Standard)
            standard.insert(r.name);
    }
    EXPECT_EQ(standard, (std::set<std::string>{"StorageAccounts", "VirtualMachines"}));
}

TEST(DefenderPlans, LegacyWithoutPlansFiresOnceListingBoth) {
    auto findings = run_on_example("legacy-spoke", "ZT-MON-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_TRUE(mentions(findings[0], "VirtualMachines"));
    EXPECT_TRUE(mentions(findings[0], "StorageAccounts"));
    EXPECT_EQ(findings[0].evidence.size(), 2U);
}

TEST(DefenderPlans, StoragePlanOnTheFreeTierFires) {
    std::string json = edited(example_export("zero-trust-spoke"),
                              "\"pricingTier\": \"Standard\",\n      \"subPlan\": \"DefenderForStorageV2\"",
                              "\"pricingTier\": \"Free\",\n      \"subPlan\": \"DefenderForStorageV2\"");
    auto findings = run_on(json, "ZT-MON-001");
    ASSERT_EQ(flagged(findings), std::multiset<std::string>{kSubscription});
    EXPECT_TRUE(mentions(findings[0], "StorageAccounts"));
    EXPECT_FALSE(mentions(findings[0], "VirtualMachines"));
    ASSERT_EQ(findings[0].evidence.size(), 1U);
    EXPECT_TRUE(findings[0].evidence[0].where.has_offset()); // the pricing resource's place
}

} // namespace
} // namespace ztnet::checks
