// The PaaS checks on the data and messaging services of a spoke: a hardened Cosmos DB account,
// container registry, Event Hubs and Service Bus namespaces, and PostgreSQL and MySQL flexible
// servers (tests/data/paas/data-services.json, shaped as Azure returns them) pass every check; one
// edit of one resource flips one check on that resource; a template that leaves the settings out
// gets Azure's defaults.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../support/edit_text.h"
#include "check_fixture.h"

namespace ztnet::checks {
namespace {

using testing::CheckFixture;
using testing::read_text;
using Names = std::vector<std::string>;

std::string hardened() {
    return read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/paas/data-services.json");
}

// Replaces the first `from` after the resource named `name` (properties follow the name).
std::string edit_in(const std::string& text, const std::string& name, const std::string& from,
                    const std::string& to) {
    return ztnet::testing::edited_after(text, "\"name\": \"" + name + "\"", from, to);
}

Names flagged(CheckFixture& fixture, std::string_view id) {
    return testing::flagged_names(fixture, id);
}

const std::vector<std::string_view> kChecks{"ZT-PAAS-001", "ZT-PAAS-002", "ZT-PAAS-003", "ZT-PAAS-004",
                                            "ZT-PAAS-005", "ZT-PAAS-006", "ZT-PAAS-011"};

TEST(PaasDataServices, TheHardenedServicesPassEveryCheck) {
    CheckFixture fixture(hardened());
    EXPECT_FALSE(fixture.diagnostics().has_errors());
    ASSERT_EQ(fixture.estate().paas_services.size(), 6u);
    for (std::string_view id : kChecks)
        EXPECT_EQ(flagged(fixture, id), Names{}) << id;
}

TEST(PaasDataServices, TheServicesAndTheirSettingsAreRead) {
    CheckFixture fixture(hardened());
    for (const model::PaasService& s : fixture.estate().paas_services) {
        SCOPED_TRACE(s.name);
        EXPECT_TRUE(s.entra_only_authentication.value_or(false));
        if (s.name == "pg-data") {
            EXPECT_EQ(s.service, model::PaasServiceType::PostgreSqlFlexible);
            EXPECT_NE(s.delegated_subnet_id.find("snet-pg"), std::string::npos);
            EXPECT_TRUE(s.require_secure_transport.given());
            EXPECT_EQ(s.minimum_tls.value, "TLSv1.2");
        } else if (s.name == "mysql-data") {
            EXPECT_EQ(s.service, model::PaasServiceType::MySqlFlexible);
            ASSERT_EQ(s.firewall_rules.size(), 1u);
            EXPECT_EQ(s.firewall_rules[0].text, "198.51.100.10-198.51.100.20");
            EXPECT_EQ(s.minimum_tls.value, "TLSv1.2,TLSv1.3");
            EXPECT_FALSE(s.require_secure_transport.given()); // the server's default stands
            EXPECT_TRUE(s.require_secure_transport.value);
        } else if (s.name == "evh-data") {
            EXPECT_EQ(s.service, model::PaasServiceType::EventHubs);
            EXPECT_EQ(s.default_action.value, model::NetworkAclAction::Deny); // from networkRuleSets/default
            ASSERT_EQ(s.firewall_rules.size(), 1u);
        } else if (s.name == "acrdata") {
            EXPECT_EQ(s.service, model::PaasServiceType::ContainerRegistry);
            EXPECT_EQ(s.default_action.value, model::NetworkAclAction::Deny);
        }
        if (s.name != "pg-data") {
            EXPECT_EQ(s.private_endpoints.size(), 1u);
        }
    }
}

struct Flip {
    std::string resource;
    std::string from;
    std::string to;
    std::string_view check;
    std::string flagged; // the resource the finding is on
};

TEST(PaasDataServices, EachSettingFlipsItsCheck) {
    const std::vector<Flip> flips{
        // Cosmos DB: public, with no IP rule and no virtual network filter: every network.
        {"cosmos-data", R"("publicNetworkAccess": "Disabled")", R"("publicNetworkAccess": "Enabled")",
         "ZT-PAAS-001", "cosmos-data"},
        {"cosmos-data", R"("minimalTlsVersion": "Tls12")", R"("minimalTlsVersion": "Tls11")", "ZT-PAAS-004",
         "cosmos-data"},
        {"cosmos-data", R"("disableLocalAuth": true)", R"("disableLocalAuth": false)", "ZT-PAAS-006",
         "cosmos-data"},
        // The registry's firewall admits what it does not name; its admin user on.
        {"acrdata", R"("defaultAction": "Deny")", R"("defaultAction": "Allow")", "ZT-PAAS-001", "acrdata"},
        {"acrdata", R"("adminUserEnabled": false)", R"("adminUserEnabled": true)", "ZT-PAAS-006", "acrdata"},
        // The namespace's rule set (its own child resource) admits what it does not name.
        {"evh-data", R"("defaultAction": "Deny")", R"("defaultAction": "Allow")", "ZT-PAAS-001", "evh-data"},
        {"evh-data", R"("minimumTlsVersion": "1.2")", R"("minimumTlsVersion": "1.0")", "ZT-PAAS-004",
         "evh-data"},
        {"sb-data", R"("disableLocalAuth": true)", R"("disableLocalAuth": false)", "ZT-PAAS-006", "sb-data"},
        // The Service Bus endpoint targets another namespace.
        {"pe-sb-data", "/namespaces/sb-data\"", "/namespaces/sb-elsewhere\"", "ZT-PAAS-003", "sb-data"},
        // PostgreSQL: parameters and password authentication.
        {"require_secure_transport", R"("value": "on")", R"("value": "off")", "ZT-PAAS-005", "pg-data"},
        {"ssl_min_protocol_version", R"("value": "TLSv1.2")", R"("value": "TLSv1.1")", "ZT-PAAS-004",
         "pg-data"},
        {"pg-data", R"("passwordAuth": "Disabled")", R"("passwordAuth": "Enabled")", "ZT-PAAS-006",
         "pg-data"},
        // MySQL: a TLS list that admits 1.1, Entra-only off, and a private endpoint that is not
        // registered in its zone.
        {"tls_version", R"("value": "TLSv1.2,TLSv1.3")", R"("value": "TLSv1.1,TLSv1.2")", "ZT-PAAS-004",
         "mysql-data"},
        {"aad_auth_only", R"("value": "ON")", R"("value": "OFF")", "ZT-PAAS-006", "mysql-data"},
        {"pe-mysql-data", "pe-mysql-data/privateDnsZoneGroups", "pe-elsewhere/privateDnsZoneGroups",
         "ZT-PAAS-011", "pe-mysql-data"},
    };
    for (const Flip& flip : flips) {
        CheckFixture fixture(edit_in(hardened(), flip.resource, flip.from, flip.to));
        for (std::string_view id : kChecks)
            EXPECT_EQ(flagged(fixture, id), id == flip.check ? Names{flip.flagged} : Names{})
                << id << " after " << flip.resource << ": " << flip.to;
    }
}

// The rules that admit every Azure tenant: Cosmos DB's 0.0.0.0 IP rule and a flexible server's
// 0.0.0.0-0.0.0.0 firewall rule, once the service is public; and a rule for the whole Internet.
TEST(PaasDataServices, RulesForEveryAzureServiceAndForEveryone) {
    {
        CheckFixture fixture(
            edit_in(edit_in(hardened(), "cosmos-data", R"("publicNetworkAccess": "Disabled")",
                            R"("publicNetworkAccess": "Enabled")"),
                    "cosmos-data", R"("ipRules": [])", R"("ipRules": [{"ipAddressOrRange": "0.0.0.0"}])"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{"cosmos-data"});
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{}) << "the rules filter what else comes in";
    }
    {
        // The older comma-separated ipRangeFilter says the same.
        CheckFixture fixture(
            edit_in(edit_in(hardened(), "cosmos-data", R"("publicNetworkAccess": "Disabled")",
                            R"("publicNetworkAccess": "Enabled")"),
                    "cosmos-data", R"("ipRules": [])", R"("ipRangeFilter": "198.51.100.7, 0.0.0.0")"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{"cosmos-data"});
        EXPECT_EQ(fixture.estate().paas_services[0].firewall_rules.size(), 1u);
    }
    const std::string public_mysql = edit_in(hardened(), "mysql-data", R"("publicNetworkAccess": "Disabled")",
                                             R"("publicNetworkAccess": "Enabled")");
    {
        CheckFixture fixture(public_mysql); // one office range: closed to the rest
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{});
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{});
    }
    {
        CheckFixture fixture(edit_in(edit_in(public_mysql, "office", R"("startIpAddress": "198.51.100.10")",
                                             R"("startIpAddress": "0.0.0.0")"),
                                     "office", R"("endIpAddress": "198.51.100.20")",
                                     R"("endIpAddress": "0.0.0.0")"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-002"), Names{"mysql-data"});
    }
    {
        CheckFixture fixture(edit_in(edit_in(public_mysql, "office", R"("startIpAddress": "198.51.100.10")",
                                             R"("startIpAddress": "0.0.0.0")"),
                                     "office", R"("endIpAddress": "198.51.100.20")",
                                     R"("endIpAddress": "255.255.255.255")"));
        EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), Names{"mysql-data"});
    }
}

// A template that writes only what it must: public endpoints open to every network (Cosmos DB,
// Event Hubs, a registry) or closed by a firewall without rules (a flexible server); TLS 1.2 and
// encrypted transport by default; keys, passwords and the registry's admin user as Azure leaves them.
TEST(PaasDataServices, ATemplateGetsAzuresDefaults) {
    const std::string bare = R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.DocumentDB/databaseAccounts", "apiVersion": "2024-11-15", "name": "cosmos-bare",
     "location": "westeurope", "properties": {"databaseAccountOfferType": "Standard", "locations": []}},
    {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acrbare",
     "location": "westeurope", "sku": {"name": "Basic"}, "properties": {}},
    {"type": "Microsoft.EventHub/namespaces", "apiVersion": "2024-01-01", "name": "evh-bare",
     "location": "westeurope", "sku": {"name": "Standard"}, "properties": {}},
    {"type": "Microsoft.DBforPostgreSQL/flexibleServers", "apiVersion": "2024-08-01", "name": "pg-bare",
     "location": "westeurope", "properties": {"version": "16"}}
  ]
})";
    CheckFixture fixture(bare);
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-001"), (Names{"acrbare", "cosmos-bare", "evh-bare"}));
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-003"), (Names{"acrbare", "cosmos-bare", "evh-bare", "pg-bare"}));
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-004"), Names{});
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-005"), Names{});
    EXPECT_EQ(flagged(fixture, "ZT-PAAS-006"), (Names{"cosmos-bare", "evh-bare", "pg-bare"}));
    for (const Finding& f : fixture.run("ZT-PAAS-006")) {
        if (f.resource_name == "pg-bare") {
            EXPECT_NE(f.evidence[0].text.find("authConfig.passwordAuth: absent (Enabled)"), std::string::npos)
                << f.evidence[0].text;
        }
    }
}

// A parameter the input cannot resolve leaves the check not assessed on that service, not passed.
TEST(PaasDataServices, AnUnknownSettingIsNotAssessed) {
    const std::string with_parameter = R"({
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"localAuth": {"type": "bool"}},
  "resources": [
    {"type": "Microsoft.DocumentDB/databaseAccounts", "apiVersion": "2024-11-15", "name": "cosmos-param",
     "location": "westeurope",
     "properties": {"databaseAccountOfferType": "Standard", "publicNetworkAccess": "Disabled",
                    "disableLocalAuth": "[parameters('localAuth')]"}}
  ]
})";
    CheckFixture fixture(with_parameter);
    const CheckRun run = run_checks(fixture.context(), {}, "2026-12-06", {"ZT-PAAS-006"});
    EXPECT_TRUE(run.findings.empty());
    ASSERT_EQ(run.not_assessed.size(), 1u);
    EXPECT_EQ(run.not_assessed[0].resource_name, "cosmos-param");
    EXPECT_EQ(run.not_assessed[0].setting, "/properties/disableLocalAuth");
}

} // namespace
} // namespace ztnet::checks
