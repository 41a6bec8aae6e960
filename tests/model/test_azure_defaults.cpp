#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/model/azure_defaults.h"
#include "ztnet/model/azure_enums.h"
#include "ztnet/model/setting.h"

namespace ztnet::model {
namespace {

TEST(AzureEnums, ParseIgnoresCaseAndNamesRoundTrip) {
    EXPECT_EQ(parse_azure<TlsVersion>("tls1_2"), TlsVersion::Tls1_2);
    EXPECT_EQ(parse_azure<KeySource>("MICROSOFT.KEYVAULT"), KeySource::MicrosoftKeyvault);
    EXPECT_EQ(parse_azure<VmSecurityType>("ConfidentialVM"), VmSecurityType::ConfidentialVm);
    EXPECT_EQ(parse_azure<TlsVersion>("TLS1_4"), std::nullopt);
    EXPECT_EQ(parse_azure<TlsVersion>(""), std::nullopt);
    for (TlsVersion v : {TlsVersion::Tls1_0, TlsVersion::Tls1_1, TlsVersion::Tls1_2, TlsVersion::Tls1_3})
        EXPECT_EQ(parse_azure<TlsVersion>(name_of(v)), v);
    EXPECT_EQ(expected_names<NetworkAclAction>(), "Allow or Deny");
    EXPECT_EQ(expected_names<FirewallAlertMode>(), "Off, Alert or Deny");
}

// The last enumerator of each SKU enum has the last spelling: names and values stay in step.
TEST(AzureEnums, SkuNamesMatchTheirValues) {
    EXPECT_EQ(name_of(PublicIpSku::Standard), "Standard");
    EXPECT_EQ(name_of(LoadBalancerSku::Gateway), "Gateway");
    EXPECT_EQ(name_of(LoadBalancerProtocol::All), "All");
    EXPECT_EQ(name_of(ProbeProtocol::Https), "Https");
    EXPECT_EQ(name_of(AppGatewaySku::Basic), "Basic");
    EXPECT_EQ(parse_azure<AppGatewaySku>("waf_v2"), AppGatewaySku::WafV2);
    EXPECT_EQ(name_of(AppGatewayTier::Basic), "Basic");
    EXPECT_EQ(parse_azure<AppGatewayTier>("WAF"), AppGatewayTier::Waf);
    EXPECT_EQ(name_of(BastionSku::Premium), "Premium");
    EXPECT_EQ(name_of(StorageSku::PremiumV2Zrs), "PremiumV2_ZRS");
    EXPECT_EQ(parse_azure<StorageSku>("standard_ragrs"), StorageSku::StandardRagrs);
    EXPECT_EQ(name_of(StorageKind::BlockBlobStorage), "BlockBlobStorage");
}

TEST(AzureEnums, AlertModesRunFromTheMostLenient) {
    // Firewall checks and the firewall's reason take the strictest mode of a policy chain by order.
    EXPECT_LT(FirewallAlertMode::Off, FirewallAlertMode::Alert);
    EXPECT_LT(FirewallAlertMode::Alert, FirewallAlertMode::Deny);
}

// Each row's value is one its setting can hold, and each names where Azure documents it.
TEST(AzureDefaults, EveryRowIsWellFormed) {
    std::set<std::pair<int, std::string>> seen;
    for (const SettingDefault& row : setting_defaults()) {
        EXPECT_FALSE(row.source.empty()) << row.property;
        EXPECT_FALSE(row.value.empty()) << row.property;
        EXPECT_FALSE(row.in_export.empty()) << row.property;
        EXPECT_EQ(row.since.empty(), row.before.empty()) << row.property;
        if (!row.since.empty()) {
            EXPECT_EQ(row.since.size(), 10u) << row.property << ": a YYYY-MM-DD API version";
        }
        EXPECT_TRUE(seen.emplace(static_cast<int>(row.kind), std::string(row.property)).second)
            << row.property << " twice";
    }
}

TEST(AzureDefaults, ValuesFollowTheApiVersion) {
    const SettingDefault& https =
        setting_default(ResourceKind::StorageAccount, "properties.supportsHttpsTrafficOnly");
    EXPECT_EQ(default_value(https, "2018-07-01"), "false");
    EXPECT_EQ(default_value(https, "2019-04-01"), "true");
    EXPECT_EQ(default_value(https, "2021-06-01-preview"), "true");
    EXPECT_EQ(default_value(https, ""), "true"); // an export
    const SettingDefault& blob =
        setting_default(ResourceKind::StorageAccount, "properties.allowBlobPublicAccess");
    EXPECT_EQ(default_value(blob, "2021-09-01"), "true");
    EXPECT_EQ(default_value(blob, "2023-01-01"), "false");
    // An export may hold an account created under the older default: the laxer value is read.
    EXPECT_EQ(default_value(blob, ""), "true");
    const SettingDefault& tls = setting_default(ResourceKind::StorageAccount, "properties.minimumTlsVersion");
    EXPECT_EQ(default_value(tls, "2023-01-01"), "TLS1_0");
    // Lookups ignore the case of the property, as ARM does.
    EXPECT_EQ(&setting_default(ResourceKind::StorageAccount, "Properties.MinimumTlsVersion"), &tls);
}

TEST(Setting, TextSaysWhenAzureDefaultStandsIn) {
    Setting<TlsVersion> given{TlsVersion::Tls1_2, {}, nullptr};
    EXPECT_EQ(setting_text(given), "TLS1_2");
    const SettingDefault& row = setting_default(ResourceKind::StorageAccount, "properties.minimumTlsVersion");
    Setting<TlsVersion> absent{TlsVersion::Tls1_0, {}, &row};
    EXPECT_EQ(setting_text(absent), "absent (TLS1_0)");
    Setting<bool> flag{true, {}, nullptr};
    EXPECT_EQ(setting_text(flag), "true");
}

} // namespace
} // namespace ztnet::model
