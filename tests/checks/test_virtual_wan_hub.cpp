// The hub checks on a Virtual WAN hub (tests/data/virtual-wan/secured-hub.json): a secured hub
// with routing intent for private and Internet traffic passes ZT-HUB-001, -006 and -009; one edit
// flips each on the resource it concerns.
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

std::string secured_hub() {
    return read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/virtual-wan/secured-hub.json");
}

std::string edit(const std::string& text, const std::string& anchor, const std::string& from,
                 const std::string& to) {
    return ztnet::testing::edited_after(text, anchor, from, to);
}

Names flagged(CheckFixture& fixture, std::string_view id) {
    Names names = testing::flagged_names(fixture, id);
    std::sort(names.begin(), names.end());
    return names;
}

std::string without_private_intent() {
    return edit(secured_hub(), "\"ri-vhub-weu\"",
                R"({"name": "PrivateTraffic", "destinations": ["PrivateTraffic"], "nextHop": )",
                R"({"name": "PrivateTrafficOff", "destinations": [], "nextHop": )");
}

std::string with_branch_gateway(std::string json) {
    json.insert(
        json.rfind(']'),
        R"(, {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/Microsoft.Network/vpnGateways/vpngw-vhub-weu",
      "name": "vpngw-vhub-weu", "type": "Microsoft.Network/vpnGateways", "location": "westeurope",
      "properties": {"virtualHub": {"id": "/subscriptions/6f1d2c3b-4a59-4e68-8d7c-9b0a1e2f3d4c/resourceGroups/rg-vwan-hub/providers/Microsoft.Network/virtualHubs/vhub-weu"}}})");
    return json;
}

TEST(VirtualWanHub, ASecuredHubWithRoutingIntentPassesTheHubRoutingChecks) {
    CheckFixture fixture(with_branch_gateway(secured_hub()));
    EXPECT_FALSE(fixture.diagnostics().has_errors());
    for (std::string_view id : {"ZT-HUB-001", "ZT-HUB-002", "ZT-HUB-003", "ZT-HUB-006", "ZT-HUB-009"})
        EXPECT_EQ(flagged(fixture, id), Names{}) << id;
}

TEST(VirtualWanHub, WithoutPrivateIntentTrafficBetweenConnectionsAndFromBranchesIsFlagged) {
    CheckFixture fixture(with_branch_gateway(without_private_intent()));
    EXPECT_EQ(flagged(fixture, "ZT-HUB-009"), (Names{"vhub-weu", "vnet-crm", "vnet-pay"}));
    const std::vector<Finding> findings = fixture.run("ZT-HUB-009");
    auto pay = std::find_if(findings.begin(), findings.end(),
                            [](const Finding& f) { return f.resource_name == "vnet-pay"; });
    ASSERT_NE(pay, findings.end());
    EXPECT_NE(pay->message.find("10.82.0.0/16"), std::string::npos) << pay->message;
    EXPECT_NE(pay->message.find("around its firewall"), std::string::npos) << pay->message;
    // Internet traffic still goes through the firewall.
    EXPECT_EQ(flagged(fixture, "ZT-HUB-006"), Names{});
}

TEST(VirtualWanHub, AConnectionThatDoesNotPropagateTheDefaultRouteSendsItsVmsStraightOut) {
    CheckFixture fixture(edit(secured_hub(), "\"conn-crm\"", "\"enableInternetSecurity\": true",
                              "\"enableInternetSecurity\": false"));
    EXPECT_EQ(flagged(fixture, "ZT-HUB-006"), Names{"snet-api"});
    const std::vector<Finding> findings = fixture.run("ZT-HUB-006");
    ASSERT_EQ(findings.size(), 1u);
    ASSERT_FALSE(findings[0].evidence.empty());
    EXPECT_NE(findings[0].evidence[0].text.find("conn-crm: enableInternetSecurity false"), std::string::npos);
}

TEST(VirtualWanHub, AHubWithoutInternetIntentSendsEveryVmStraightOut) {
    CheckFixture fixture(
        edit(secured_hub(), "\"ri-vhub-weu\"", R"("destinations": ["Internet"])", R"("destinations": [])"));
    EXPECT_EQ(flagged(fixture, "ZT-HUB-006"), (Names{"snet-api", "snet-app"}));
}

TEST(VirtualWanHub, AHubWithoutAFirewallIsNotSecured) {
    // Take the firewall out of the hub (and the routing intent that names it).
    std::string json =
        edit(secured_hub(), "\"afw-vhub-weu\", \"type\"", "\"virtualHub\": {\"id\"", "\"notInHub\": {\"id\"");
    json = edit(json, "\"ri-vhub-weu\"", "\"routingPolicies\": [", "\"routingPolicies\": [], \"was\": [");
    CheckFixture fixture(json);
    EXPECT_EQ(flagged(fixture, "ZT-HUB-001"), Names{"vhub-weu"});
    // Without a firewall in the hub, HUB-009 has nothing to route through: HUB-001 says it.
    EXPECT_EQ(flagged(fixture, "ZT-HUB-009"), Names{});
}

} // namespace
} // namespace ztnet::checks
