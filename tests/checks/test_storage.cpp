// The storage checks (ZT-STG-*): the hardened flow-log account passes (customer-managed keys aside,
// a low finding), the legacy account fails each check, and each setting is flipped on its own.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::example_export;

CheckFixture& zero_trust() {
    static CheckFixture fixture = CheckFixture::example("zero-trust-spoke");
    return fixture;
}

CheckFixture& legacy() {
    static CheckFixture fixture = CheckFixture::example("legacy-spoke");
    return fixture;
}

CheckFixture zero_trust_with(const std::string& from, const std::string& to) {
    return CheckFixture(edited(example_export("zero-trust-spoke"), from, to));
}

std::vector<std::string> flagged(const std::vector<Finding>& findings) {
    std::vector<std::string> names;
    for (const Finding& f : findings)
        names.push_back(f.resource_name);
    std::sort(names.begin(), names.end());
    return names;
}

const std::vector<std::string> kHardenedAccount{"stztflowlogsweu01"};
const std::vector<std::string> kLegacyAccount{"stordersdiag01"};
const std::vector<std::string> kNone{};

TEST(StorageChecks, RegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-STG-001", Severity::High}, {"ZT-STG-002", Severity::Medium}, {"ZT-STG-003", Severity::High},
        {"ZT-STG-004", Severity::High}, {"ZT-STG-005", Severity::Medium}, {"ZT-STG-006", Severity::Medium},
        {"ZT-STG-007", Severity::Low}};
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
}

TEST(StorageChecks, TheHardenedAccountPassesAllButCustomerManagedKeys) {
    for (std::string_view id :
         {"ZT-STG-001", "ZT-STG-002", "ZT-STG-003", "ZT-STG-004", "ZT-STG-005", "ZT-STG-006"})
        EXPECT_EQ(flagged(zero_trust().run(id)), kNone) << id;
    // Infrastructure encryption with Microsoft-managed keys is not customer-managed: a low finding.
    std::vector<Finding> keys = zero_trust().run("ZT-STG-007");
    EXPECT_EQ(flagged(keys), kHardenedAccount);
    ASSERT_EQ(keys.size(), 1U);
    EXPECT_NE(keys[0].message.find("infrastructure encryption on"), std::string::npos);
}

TEST(StorageChecks, TheLegacyAccountFailsEveryCheck) {
    // GAP 10: HTTP, TLS 1.0, anonymous blobs, open network, no private endpoint, shared keys.
    const std::vector<std::pair<std::string_view, std::string>> expected{
        {"ZT-STG-001", "supportsHttpsTrafficOnly: false"},
        {"ZT-STG-002", "minimumTlsVersion: TLS1_0"},
        {"ZT-STG-003", "allowBlobPublicAccess: true"},
        {"ZT-STG-004", "publicNetworkAccess: Enabled, networkAcls.defaultAction: Allow"},
        {"ZT-STG-005", "no Microsoft.Network/privateEndpoints targets it"},
        {"ZT-STG-006", "allowSharedKeyAccess: true"},
        {"ZT-STG-007", "encryption.keySource: Microsoft.Storage"}};
    for (const auto& [id, evidence] : expected) {
        std::vector<Finding> findings = legacy().run(id);
        EXPECT_EQ(flagged(findings), kLegacyAccount) << id;
        ASSERT_EQ(findings.size(), 1U) << id;
        EXPECT_EQ(findings[0].check_id, id);
        ASSERT_EQ(findings[0].evidence.size(), 1U) << id;
        EXPECT_NE(findings[0].evidence[0].text.find(evidence), std::string::npos)
            << findings[0].evidence[0].text;
        EXPECT_TRUE(findings[0].evidence[0].where.has_file()) << id;
        EXPECT_TRUE(findings[0].where.has_file()) << id;
    }
}

TEST(SecureTransfer, HttpAllowedFails) {
    CheckFixture fixture =
        zero_trust_with("\"supportsHttpsTrafficOnly\": true", "\"supportsHttpsTrafficOnly\": false");
    EXPECT_EQ(flagged(fixture.run("ZT-STG-001")), kHardenedAccount);
}

TEST(MinimumTls, OlderOrAbsentFailsAndTls13Passes) {
    EXPECT_EQ(
        flagged(zero_trust_with("\"minimumTlsVersion\": \"TLS1_2\"", "\"minimumTlsVersion\": \"TLS1_1\"")
                    .run("ZT-STG-002")),
        kHardenedAccount);
    // Absent, the storage API reads the minimum as TLS 1.0.
    std::vector<Finding> absent =
        zero_trust_with("\"minimumTlsVersion\": \"TLS1_2\"", "\"unusedMinimumTlsVersion\": \"TLS1_2\"")
            .run("ZT-STG-002");
    EXPECT_EQ(flagged(absent), kHardenedAccount);
    ASSERT_EQ(absent.size(), 1U);
    EXPECT_NE(absent[0].evidence.at(0).text.find("absent (TLS1_0)"), std::string::npos);
    EXPECT_EQ(
        flagged(zero_trust_with("\"minimumTlsVersion\": \"TLS1_2\"", "\"minimumTlsVersion\": \"TLS1_3\"")
                    .run("ZT-STG-002")),
        kNone);
}

TEST(AnonymousBlobAccess, AllowedFails) {
    CheckFixture fixture =
        zero_trust_with("\"allowBlobPublicAccess\": false", "\"allowBlobPublicAccess\": true");
    EXPECT_EQ(flagged(fixture.run("ZT-STG-003")), kHardenedAccount);
}

TEST(PublicNetworkAccess, EitherDisabledAccessOrDefaultDenyIsEnough) {
    // The hardened account has both; take one away at a time.
    CheckFixture access_on =
        zero_trust_with("\"publicNetworkAccess\": \"Disabled\"", "\"publicNetworkAccess\": \"Enabled\"");
    EXPECT_EQ(flagged(access_on.run("ZT-STG-004")), kNone);
    CheckFixture default_allow =
        zero_trust_with("\"defaultAction\": \"Deny\"", "\"defaultAction\": \"Allow\"");
    EXPECT_EQ(flagged(default_allow.run("ZT-STG-004")), kNone);
    CheckFixture both(
        edited(edited(example_export("zero-trust-spoke"), "\"publicNetworkAccess\": \"Disabled\"",
                      "\"publicNetworkAccess\": \"Enabled\""),
               "\"defaultAction\": \"Deny\"", "\"defaultAction\": \"Allow\""));
    EXPECT_EQ(flagged(both.run("ZT-STG-004")), kHardenedAccount);
}

TEST(PrivateEndpoint, AnAccountNoEndpointTargetsFails) {
    ASSERT_EQ(zero_trust().estate().storage_accounts.at(0).private_endpoints.size(), 1U);
    // Point the endpoint's connection elsewhere: nothing targets the account any more.
    CheckFixture fixture =
        zero_trust_with("\"privateLinkServiceId\": \"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/"
                        "resourceGroups/rg-zt-hub/providers/Microsoft.Storage/storageAccounts/"
                        "stztflowlogsweu01\"",
                        "\"privateLinkServiceId\": \"/subscriptions/6f1d2c3b-4a59-4e68-8d7c-"
                        "9b0a1e2f3d4c/resourceGroups/rg-other/providers/Microsoft.Storage/"
                        "storageAccounts/stelsewhere\"");
    EXPECT_EQ(flagged(fixture.run("ZT-STG-005")), kHardenedAccount);
}

TEST(SharedKeyAccess, AllowedFails) {
    CheckFixture fixture =
        zero_trust_with("\"allowSharedKeyAccess\": false", "\"allowSharedKeyAccess\": true");
    EXPECT_EQ(flagged(fixture.run("ZT-STG-006")), kHardenedAccount);
}

TEST(CustomerManagedKeys, AKeyVaultKeySourcePasses) {
    CheckFixture fixture =
        zero_trust_with("\"keySource\": \"Microsoft.Storage\"", "\"keySource\": \"Microsoft.Keyvault\"");
    EXPECT_EQ(flagged(fixture.run("ZT-STG-007")), kNone);
}

} // namespace
} // namespace ztnet::checks
