// The PaaS checks (ZT-PAAS-*): a hardened Key Vault, SQL server, App Service app and AKS cluster
// (tests/data/paas/export.json) pass every one; each check is flipped by one edit of a real-shaped
// resource, and a template that leaves the settings out gets Azure's defaults, by API version.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::edited;
using testing::read_text;

std::string hardened() {
    return read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/paas/export.json");
}

std::vector<std::string> flagged(CheckFixture& fixture, std::string_view id) {
    std::vector<std::string> names;
    for (const Finding& f : fixture.run(id))
        names.push_back(f.resource_name);
    std::sort(names.begin(), names.end());
    return names;
}

using Names = std::vector<std::string>;

const std::vector<std::string_view> kChecks{"ZT-PAAS-001", "ZT-PAAS-002", "ZT-PAAS-003", "ZT-PAAS-004",
                                            "ZT-PAAS-005", "ZT-PAAS-006", "ZT-PAAS-007", "ZT-PAAS-008",
                                            "ZT-PAAS-009", "ZT-PAAS-010", "ZT-PAAS-011", "ZT-PAAS-012"};

TEST(PaasChecks, RegisteredWithTheirSeverities) {
    const std::vector<std::pair<std::string_view, Severity>> expected{
        {"ZT-PAAS-001", Severity::High},   {"ZT-PAAS-002", Severity::Medium},
        {"ZT-PAAS-003", Severity::Medium}, {"ZT-PAAS-004", Severity::Medium},
        {"ZT-PAAS-005", Severity::High},   {"ZT-PAAS-006", Severity::Medium},
        {"ZT-PAAS-007", Severity::Medium}, {"ZT-PAAS-008", Severity::Low},
        {"ZT-PAAS-009", Severity::Medium}, {"ZT-PAAS-010", Severity::Medium}};
    for (const auto& [id, severity] : expected) {
        const Check* check = find_check(id);
        ASSERT_NE(check, nullptr) << id;
        EXPECT_EQ(check->severity, severity) << id;
    }
}

TEST(PaasChecks, TheHardenedServicesPassEveryCheck) {
    CheckFixture fixture(hardened());
    EXPECT_FALSE(fixture.diagnostics().has_errors());
    ASSERT_EQ(fixture.estate().paas_services.size(), 4u);
    for (std::string_view id : kChecks)
        EXPECT_EQ(flagged(fixture, id), Names{}) << id;
}

// One edit of the hardened export, and the one check it must flip on the one resource.
struct Flip {
    std::string from;
    std::string to;
    std::string_view check;
    std::string resource;
};

TEST(PaasChecks, EachSettingFlipsItsCheck) {
    const std::vector<Flip> flips{
        // A vault open to the public network with a firewall that admits what it does not name.
        {R"("publicNetworkAccess": "Disabled",
      "networkAcls": {
        "bypass": "AzureServices",
        "defaultAction": "Deny")",
         R"("publicNetworkAccess": "Enabled",
      "networkAcls": {
        "bypass": "AzureServices",
        "defaultAction": "Allow")",
         "ZT-PAAS-001", "kv-paas"},
        // An App Service app that is public and keeps the "Allow all" restriction.
        {R"("httpsOnly": true,
      "publicNetworkAccess": "Disabled")",
         R"("httpsOnly": true,
      "publicNetworkAccess": "Enabled")",
         "ZT-PAAS-001", "app-paas"},
        // An AKS API server that is not private and names no authorized ranges.
        {R"("enablePrivateCluster": true)", R"("enablePrivateCluster": false)", "ZT-PAAS-001", "aks-paas"},
        {R"("enablePurgeProtection": true)", R"("enablePurgeProtection": false)", "ZT-PAAS-007", "kv-paas"},
        {R"("enableRbacAuthorization": true)", R"("enableRbacAuthorization": false)", "ZT-PAAS-008",
         "kv-paas"},
        {R"("minimalTlsVersion": "1.2")", R"("minimalTlsVersion": "1.0")", "ZT-PAAS-004", "sql-paas"},
        {R"("minTlsVersion": "1.2")", R"("minTlsVersion": "1.1")", "ZT-PAAS-004", "app-paas"},
        {R"("httpsOnly": true)", R"("httpsOnly": false)", "ZT-PAAS-005", "app-paas"},
        {R"("azureADOnlyAuthentication": true)", R"("azureADOnlyAuthentication": false)", "ZT-PAAS-006",
         "sql-paas"},
        {R"("networkPolicy": "azure")", R"("networkPolicy": "none")", "ZT-PAAS-009", "aks-paas"},
        {R"("disableLocalAccounts": true)", R"("disableLocalAccounts": false)", "ZT-PAAS-010", "aks-paas"},
        // VNet integration that takes only private-range calls, and none at all.
        {R"("vnetRouteAllEnabled": true)", R"("vnetRouteAllEnabled": false)", "ZT-PAAS-012", "app-paas"},
        {R"("virtualNetworkSubnetId": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-paas/providers/Microsoft.Network/virtualNetworks/vnet-paas/subnets/snet-integration",)",
         "", "ZT-PAAS-012", "app-paas"},
        // The vault's private endpoint gone.
        {R"("privateLinkServiceId": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-paas/providers/Microsoft.KeyVault/vaults/kv-paas")",
         R"("privateLinkServiceId": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-paas/providers/Microsoft.KeyVault/vaults/kv-elsewhere")",
         "ZT-PAAS-003", "kv-paas"},
    };
    for (const Flip& flip : flips) {
        CheckFixture fixture(edited(hardened(), flip.from, flip.to));
        for (std::string_view id : kChecks)
            EXPECT_EQ(flagged(fixture, id), id == flip.check ? Names{flip.resource} : Names{})
                << id << " after " << flip.to;
    }
}

// A private endpoint resolves to its private address where it is registered in the service's
// privatelink zone and that zone is linked to the virtual network whose DNS the clients use.
TEST(PaasChecks, PrivateEndpointsNeedTheirZoneRegisteredAndLinked) {
    {
        // The SQL endpoint's zone group gone: its name resolves to the public address.
        CheckFixture fixture(edited(hardened(), "pe-sql-paas/privateDnsZoneGroups/default",
                                    "pe-elsewhere/privateDnsZoneGroups/default"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-011"), Names{"pe-sql-paas"});
        const std::vector<Finding> findings = fixture.run("ZT-PAAS-011");
        ASSERT_EQ(findings.size(), 1u);
        EXPECT_NE(findings[0].evidence[0].text.find("no privateDnsZoneGroups entry registers it in "
                                                    "privatelink.database.windows.net"),
                  std::string::npos)
            << findings[0].evidence[0].text;
    }
    {
        // The vault's zone without its link (the link belongs to a zone the input does not hold).
        CheckFixture fixture(edited(hardened(), "privatelink.vaultcore.azure.net/virtualNetworkLinks",
                                    "privatelink.elsewhere.example/virtualNetworkLinks"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-011"), Names{"pe-kv-paas"});
    }
    {
        // The spoke's DNS server is outside the input: where names resolve cannot be told, and no
        // endpoint is judged.
        CheckFixture fixture(edited(edited(hardened(), "pe-sql-paas/privateDnsZoneGroups/default",
                                           "pe-elsewhere/privateDnsZoneGroups/default"),
                                    R"("addressPrefixes": [
          "10.5.0.0/16"
        ]
      },)",
                                    R"("addressPrefixes": [
          "10.5.0.0/16"
        ]
      },
      "dhcpOptions": {"dnsServers": ["192.168.50.4"]},)"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-011"), Names{});
    }
}

// A SQL server's firewall: the Azure-services rule and a rule for the whole Internet, as child
// resources, once the server is public.
TEST(PaasChecks, SqlFirewallRulesDecideWhoReachesAPublicServer) {
    const std::string sql =
        "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-paas/providers/"
        "Microsoft.Sql/servers/sql-paas";
    auto rule = [&](const std::string& name, const std::string& start, const std::string& end) {
        return R"({"id": ")" + sql + "/firewallRules/" + name + R"(", "name": ")" + name +
               R"(", "type": "Microsoft.Sql/servers/firewallRules", "properties": {"startIpAddress": ")" +
               start + R"(", "endIpAddress": ")" + end + R"("}},)";
    };
    const std::string public_sql = edited(hardened(), R"("publicNetworkAccess": "Disabled",
      "minimalTlsVersion")",
                                          R"("publicNetworkAccess": "Enabled",
      "minimalTlsVersion")");
    {
        CheckFixture fixture(public_sql); // public, but no rule admits anyone
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{});
    }
    {
        CheckFixture fixture(edited(
            public_sql, "[\n  {", "[\n  " + rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0") + "\n  {"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{"sql-paas"});
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
    }
    {
        CheckFixture fixture(
            edited(public_sql, "[\n  {", "[\n  " + rule("everyone", "0.0.0.0", "255.255.255.255") + "\n  {"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{"sql-paas"});
        const std::vector<Finding> findings = fixture.run("ZT-PAAS-001");
        ASSERT_EQ(findings.size(), 1u);
        EXPECT_NE(findings[0].evidence[0].text.find("everyone admits 0.0.0.0-255.255.255.255"),
                  std::string::npos)
            << findings[0].evidence[0].text;
    }
    {
        // With public access disabled the firewall rules do not apply.
        CheckFixture fixture(edited(
            hardened(), "[\n  {", "[\n  " + rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0") + "\n  {"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{});
    }
}

// App Service access restrictions as Azure shows them: the last entry ("Allow all" or "Deny all",
// address Any at the lowest priority) and ipSecurityRestrictionsDefaultAction are the default, not a
// rule.
TEST(PaasChecks, AnAppsDefaultActionDecidesWhatNoRuleNames) {
    const std::string public_app = edited(hardened(), R"("httpsOnly": true,
      "publicNetworkAccess": "Disabled")",
                                          R"("httpsOnly": true,
      "publicNetworkAccess": "Enabled")");
    const std::string restrictions = R"("ipSecurityRestrictions": [
          {
            "ipAddress": "Any",
            "action": "Allow",
            "priority": 2147483647,
            "name": "Allow all",
            "description": "Allow all access"
          }
        ],
        "ipSecurityRestrictionsDefaultAction": "Allow")";
    auto app_rules = [](CheckFixture& fixture) {
        for (const model::PaasService& s : fixture.estate().paas_services)
            if (s.name == "app-paas")
                return s.firewall_rules.size();
        return std::size_t{99};
    };
    {
        CheckFixture fixture(public_app); // nothing restricted: Allow all
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{"app-paas"});
        EXPECT_EQ(app_rules(fixture), 0u) << "the last entry is the default, not a rule";
    }
    {
        CheckFixture fixture(edited(public_app, restrictions, R"("ipSecurityRestrictions": [
          {
            "ipAddress": "Any",
            "action": "Deny",
            "priority": 2147483647,
            "name": "Deny all",
            "description": "Deny all access"
          }
        ],
        "ipSecurityRestrictionsDefaultAction": "Deny")"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
    }
    {
        // No list at all, only the default action.
        CheckFixture fixture(
            edited(public_app, restrictions, R"("ipSecurityRestrictionsDefaultAction": "Deny")"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
    }
    {
        // A rule of its own, and no default given: the rest are denied.
        CheckFixture fixture(edited(public_app, restrictions, R"("ipSecurityRestrictions": [
          {
            "ipAddress": "198.51.100.0/24",
            "action": "Allow",
            "priority": 100,
            "name": "office"
          }
        ])"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
        EXPECT_EQ(app_rules(fixture), 1u);
    }
    {
        // "Any" as a rule of its own admits every address.
        CheckFixture fixture(edited(public_app, restrictions, R"("ipSecurityRestrictions": [
          {
            "ipAddress": "Any",
            "action": "Allow",
            "priority": 100,
            "name": "everyone"
          }
        ])"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{"app-paas"});
    }
}

// The older app setting routes every call through the integration subnet, as vnetRouteAllEnabled.
TEST(PaasChecks, TheRouteAllAppSettingCounts) {
    CheckFixture fixture(edited(hardened(), R"("vnetRouteAllEnabled": true,)",
                                R"("appSettings": [{"name": "WEBSITE_VNET_ROUTE_ALL", "value": "1"}],)"));
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-012"), Names{});
    CheckFixture without(edited(hardened(), R"("vnetRouteAllEnabled": true,)", ""));
    EXPECT_EQ(flagged(without, "ZT-PAAS-012"), Names{"app-paas"});
}

TEST(PaasChecks, ASqlServerWithoutAMinimumTlsIsNamed) {
    CheckFixture fixture(
        edited(hardened(), R"("minimalTlsVersion": "1.2")", R"("minimalTlsVersion": "None")"));
    const std::vector<Finding> findings = fixture.run("ZT-PAAS-004");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("sets no minimum TLS version"), std::string::npos)
        << findings[0].message;
    // Left out, Azure now applies 1.2.
    CheckFixture absent(edited(hardened(), R"("minimalTlsVersion": "1.2",)", ""));
    EXPECT_EQ(flagged(absent, "ZT-PAAS-004"), Names{});
}

// A template that writes only what it must: Azure's defaults decide, by the API version it deploys.
TEST(PaasChecks, ATemplateGetsAzuresDefaults) {
    auto vault_template = [](const std::string& api_version) {
        return R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.KeyVault/vaults",
      "apiVersion": ")" +
               api_version + R"(",
      "name": "kv-bare",
      "location": "westeurope",
      "properties": {"sku": {"family": "A", "name": "standard"}, "tenantId": "72f988bf-0000-4000-8000-000000000001"}
    }
  ]
})";
    };
    CheckFixture old_api(vault_template("2023-07-01"));
    EXPECT_EQ(flagged(old_api, "ZT-PAAS-001"), Names{"kv-bare"}); // Enabled, and networkAcls absent: Allow
    EXPECT_EQ(flagged(old_api, "ZT-PAAS-007"), Names{"kv-bare"});
    EXPECT_EQ(flagged(old_api, "ZT-PAAS-008"), Names{"kv-bare"}); // access policies before 2026-02-01
    const std::vector<Finding> findings = old_api.run("ZT-PAAS-008");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].evidence[0].text.find("absent (false)"), std::string::npos);
    CheckFixture new_api(vault_template("2026-02-01"));
    EXPECT_EQ(flagged(new_api, "ZT-PAAS-008"), Names{}); // Azure RBAC by default since
}

} // namespace
} // namespace ztnet::checks
