// Terraform's plan and state JSON read into resource instances: modules walked, what is known only
// after apply marked unknown, destroyed resources gone, data sources left out, references resolved to
// absolute addresses, and a format version of another major refused.
#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/terraform/plan_document.h"

namespace ztnet::load::terraform {
namespace {

json::Value parsed(std::string_view text) {
    auto v = json::read(text);
    EXPECT_TRUE(v) << (v ? "" : v.error().message);
    return v ? *v : json::Value();
}

// A plan in the documented shape: a subnet and its NSG association in a child module (count = 1),
// an NIC created in the root module whose private address Azure picks, a resource the plan destroys,
// a data source.
constexpr std::string_view kPlan = R"({
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {"address": "azurerm_network_interface.web", "mode": "managed", "type": "azurerm_network_interface",
         "name": "web", "provider_name": "registry.terraform.io/hashicorp/azurerm", "schema_version": 0,
         "values": {"name": "nic-web", "resource_group_name": "rg-app",
                    "ip_configuration": [{"name": "ipconfig1", "private_ip_address_allocation": "Dynamic"}]}},
        {"address": "data.azurerm_client_config.current", "mode": "data", "type": "azurerm_client_config",
         "name": "current", "values": {}}
      ],
      "child_modules": [
        {"address": "module.spoke[0]",
         "resources": [
           {"address": "module.spoke[0].azurerm_subnet.web", "mode": "managed", "type": "azurerm_subnet",
            "name": "web", "values": {"name": "snet-web", "address_prefixes": ["10.1.1.0/24"]}},
           {"address": "module.spoke[0].azurerm_subnet_network_security_group_association.web",
            "mode": "managed", "type": "azurerm_subnet_network_security_group_association", "name": "web",
            "values": {}}
         ]}
      ]
    }
  },
  "resource_changes": [
    {"address": "azurerm_network_interface.web", "change": {"actions": ["create"],
     "after_unknown": {"id": true, "private_ip_address": true,
                       "ip_configuration": [{"private_ip_address": true, "subnet_id": true}]}}},
    {"address": "module.spoke[0].azurerm_subnet.web", "change": {"actions": ["no-op"], "after_unknown": {}}},
    {"address": "azurerm_public_ip.old", "change": {"actions": ["delete"], "after_unknown": {}}}
  ],
  "prior_state": {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {
    "resources": [
      {"address": "azurerm_public_ip.old", "mode": "managed", "type": "azurerm_public_ip", "name": "old",
       "values": {"name": "pip-old"}}
    ]}}},
  "configuration": {
    "root_module": {
      "resources": [
        {"address": "azurerm_network_interface.web", "type": "azurerm_network_interface", "name": "web",
         "expressions": {"ip_configuration": [{"subnet_id": {"references": [
             "module.spoke[0].subnet_id", "module.spoke[0]", "local.tags"]}}],
                         "resource_group_name": {"references": ["var.rg"]}}}
      ],
      "module_calls": {"spoke": {"module": {"resources": [
        {"address": "azurerm_subnet_network_security_group_association.web",
         "type": "azurerm_subnet_network_security_group_association", "name": "web",
         "expressions": {"subnet_id": {"references": ["azurerm_subnet.web.id", "azurerm_subnet.web"]},
                         "network_security_group_id": {"references": ["azurerm_network_security_group.web[0].id"]}}}
      ]}}}
    }
  }
})";

TEST(TerraformPlan, ReadsEveryModulesManagedResources) {
    const json::Value root = parsed(kPlan);
    ASSERT_TRUE(is_terraform_json(root));
    Diagnostics diagnostics;
    auto doc = read_plan_document(root, 0, diagnostics);
    ASSERT_TRUE(doc) << doc.error().message;
    EXPECT_EQ(doc->kind, PlanDocument::Kind::Plan);
    ASSERT_EQ(doc->resources.size(), 3u); // the data source is left out, and said
    EXPECT_EQ(doc->data_sources, std::vector<std::string>{"data.azurerm_client_config.current"});
    EXPECT_EQ(doc->resources[1].module, "module.spoke[0]");
    EXPECT_EQ(doc->resources[1].values.find("name")->as_string(), "snet-web");
    EXPECT_EQ(doc->resources[1].actions, std::vector<std::string>{"no-op"});
    ASSERT_EQ(doc->prior.size(), 1u); // the destroyed public IP is in the state before, not after
    EXPECT_EQ(doc->prior[0].address, "azurerm_public_ip.old");
    EXPECT_FALSE(diagnostics.has_errors());
}

TEST(TerraformPlan, MarksWhatIsKnownOnlyAfterApply) {
    Diagnostics diagnostics;
    auto doc = read_plan_document(parsed(kPlan), 0, diagnostics);
    ASSERT_TRUE(doc);
    const ResourceInstance& nic = doc->resources[0];
    EXPECT_EQ(nic.actions, std::vector<std::string>{"create"});
    ASSERT_NE(nic.values.find("id"), nullptr);
    EXPECT_TRUE(nic.values.find("id")->is_unknown());
    EXPECT_TRUE(nic.values.find("private_ip_address")->is_unknown());
    const json::Value& config = nic.values.find("ip_configuration")->as_array()[0];
    EXPECT_TRUE(config.find("private_ip_address")->is_unknown());
    EXPECT_TRUE(config.find("subnet_id")->is_unknown());
    EXPECT_EQ(config.find("name")->as_string(), "ipconfig1"); // what is known stays
}

TEST(TerraformPlan, ResolvesReferencesToAbsoluteAddresses) {
    Diagnostics diagnostics;
    auto doc = read_plan_document(parsed(kPlan), 0, diagnostics);
    ASSERT_TRUE(doc);
    const ResourceInstance& association = doc->resources[2];
    EXPECT_EQ(association.references.at("subnet_id"),
              std::vector<std::string>{"module.spoke.azurerm_subnet.web"});
    EXPECT_EQ(association.references.at("network_security_group_id"),
              std::vector<std::string>{"module.spoke.azurerm_network_security_group.web"});
    // Module outputs, variables and locals are not resources.
    const ResourceInstance& nic = doc->resources[0];
    EXPECT_TRUE(nic.references.at("ip_configuration").empty());
    EXPECT_TRUE(nic.references.at("resource_group_name").empty());
}

TEST(TerraformPlan, ReadsAState) {
    const json::Value root = parsed(R"({"format_version": "1.0", "terraform_version": "1.9.5", "values": {
        "root_module": {"resources": [{"address": "azurerm_resource_group.app", "mode": "managed",
            "type": "azurerm_resource_group", "name": "app",
            "values": {"id": "/subscriptions/s/resourceGroups/rg-app", "name": "rg-app"}}]}}})");
    ASSERT_TRUE(is_terraform_json(root));
    Diagnostics diagnostics;
    auto doc = read_plan_document(root, 0, diagnostics);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->kind, PlanDocument::Kind::State);
    ASSERT_EQ(doc->resources.size(), 1u);
    EXPECT_TRUE(doc->resources[0].actions.empty());
    EXPECT_EQ(doc->resources[0].values.find("id")->as_string(), "/subscriptions/s/resourceGroups/rg-app");
}

TEST(TerraformPlan, KeepsWhatIsSensitiveForRedaction) {
    const json::Value root = parsed(R"({"format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [
            {"address": "azurerm_linux_virtual_machine.web", "type": "azurerm_linux_virtual_machine", "name": "web",
             "values": {"admin_password": "P@ssw0rd-in-state", "name": "vm-web"},
             "sensitive_values": {"admin_password": true}}]}},
        "resource_changes": [{"address": "azurerm_linux_virtual_machine.web", "change": {"actions": ["create"],
            "after": {"admin_password": "P@ssw0rd-in-plan", "custom_data": {"a": ["x-secret"]}},
            "after_sensitive": {"admin_password": true, "custom_data": true}}}]})");
    Diagnostics diagnostics;
    auto doc = read_plan_document(root, 0, diagnostics);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->sensitive,
              (std::vector<std::string>{"P@ssw0rd-in-state", "P@ssw0rd-in-plan", "x-secret"}));
}

TEST(TerraformPlan, RefusesAnotherMajorFormatVersion) {
    Diagnostics diagnostics;
    auto doc = read_plan_document(
        parsed(R"({"format_version": "2.0", "terraform_version": "2.0.0", "planned_values": {}})"), 0,
        diagnostics);
    ASSERT_FALSE(doc);
    EXPECT_EQ(doc.error().code, "terraform-format-version");
}

TEST(TerraformPlan, SaysWhatIsMalformedAndReadsTheRest) {
    const json::Value root = parsed(R"({"format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [
            42,
            {"address": "azurerm_resource_group.app", "type": "azurerm_resource_group"},
            {"address": "azurerm_resource_group.ok", "type": "azurerm_resource_group", "name": "ok", "values": {}}
        ]}}})");
    Diagnostics diagnostics;
    auto doc = read_plan_document(root, 0, diagnostics);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->resources.size(), 1u);
    ASSERT_EQ(diagnostics.all().size(), 2u);
    EXPECT_EQ(diagnostics.all()[0].code, "terraform-malformed");
    EXPECT_EQ(diagnostics.all()[0].where.pointer, "/planned_values/root_module/resources/0");
    EXPECT_FALSE(is_terraform_json(parsed(R"({"format_version": "1.2"})")));
    EXPECT_FALSE(is_terraform_json(parsed(R"([1, 2])")));
}

} // namespace
} // namespace ztnet::load::terraform
