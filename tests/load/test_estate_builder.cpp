#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/estate_builder.h"
#include "ztnet/load/loader.h"
#include "ztnet/report/inventory.h"

namespace ztnet::load {
namespace {

const std::string kSub = "/subscriptions/s/resourceGroups/rg/providers/";

json::Value parse(std::string_view text) {
    auto v = json::read(text);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return v.ok() ? std::move(*v) : json::Value();
}

std::vector<RawResource> raw(std::string_view array_text) {
    std::vector<RawResource> out;
    json::Value root = parse(array_text);
    for (std::size_t i = 0; i < root.as_array().size(); ++i)
        out.push_back({root.as_array()[i], {0, 0, "/" + std::to_string(i)}});
    return out;
}

bool has_code(const Diagnostics& d, std::string_view code, Severity severity) {
    for (const auto& item : d.all()) {
        if (item.code == code && item.severity == severity)
            return true;
    }
    return false;
}

std::string nsg_json(std::string_view rules) {
    return R"({"id": ")" + kSub + R"(Microsoft.Network/networkSecurityGroups/nsg", "type":
        "Microsoft.Network/networkSecurityGroups", "name": "nsg", "location": "westeurope",
        "properties": {"securityRules": [)" +
           std::string(rules) + "]}}";
}

const char* kWebRule = R"({"name": "web", "properties": {"priority": 100, "direction": "Inbound",
    "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
    "destinationAddressPrefixes": ["10.0.1.0/24", "10.0.2.5"], "destinationPortRanges": ["443", "8080-8081"]}})";

TEST(EstateBuilder, ReadsSecurityRuleFields) {
    Diagnostics diags;
    model::Estate e = build_estate(raw("[" + nsg_json(kWebRule) + "]"), diags);
    ASSERT_FALSE(diags.has_errors());
    ASSERT_EQ(e.network_security_groups.size(), 1u);
    const model::SecurityRule& r = e.network_security_groups[0].rules.at(0);
    EXPECT_EQ(r.name, "web");
    EXPECT_EQ(r.priority, 100);
    EXPECT_EQ(r.direction, model::Direction::Inbound);
    EXPECT_EQ(r.access, model::Access::Allow);
    EXPECT_TRUE(r.protocols.contains(6));
    EXPECT_FALSE(r.protocols.contains(17));
    ASSERT_EQ(r.source.addresses.size(), 1u);
    EXPECT_EQ(r.source.addresses[0].kind, model::AddressEntry::Kind::ServiceTag);
    ASSERT_EQ(r.destination.addresses.size(), 2u);
    EXPECT_EQ(r.destination.addresses[1].text(), "10.0.2.5/32");
    EXPECT_TRUE(r.destination_port_set.contains(443));
    EXPECT_TRUE(r.destination_port_set.contains(8081));
    EXPECT_FALSE(r.destination_port_set.contains(8082));
    EXPECT_TRUE(r.source_port_set.full());
}

TEST(EstateBuilder, ChildRuleResourcesEqualInlineRules) {
    Diagnostics d1, d2;
    model::Estate inline_estate = build_estate(raw("[" + nsg_json(kWebRule) + "]"), d1);
    std::string child =
        R"({"id": ")" + kSub + R"(Microsoft.Network/networkSecurityGroups/nsg/securityRules/web",
        "type": "Microsoft.Network/networkSecurityGroups/securityRules", "name": "nsg/web",
        "properties": {"priority": 100, "direction": "Inbound",
        "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
        "destinationAddressPrefixes": ["10.0.1.0/24", "10.0.2.5"], "destinationPortRanges": ["443", "8080-8081"]}})";
    // The child comes first: order of resources must not matter.
    model::Estate child_estate = build_estate(raw("[" + child + "," + nsg_json("") + "]"), d2);
    EXPECT_FALSE(d1.has_errors());
    EXPECT_FALSE(d2.has_errors());
    EXPECT_EQ(report::inventory_json(inline_estate), report::inventory_json(child_estate));
}

TEST(EstateBuilder, DuplicatePriorityInOneDirectionIsAnError) {
    std::string second = R"({"name": "other", "properties": {"priority": 100, "direction": "Inbound",
        "access": "Deny", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "*"}})";
    Diagnostics diags;
    build_estate(raw("[" + nsg_json(std::string(kWebRule) + "," + second) + "]"), diags);
    EXPECT_TRUE(has_code(diags, "duplicate-priority", Severity::Error));
}

TEST(EstateBuilder, SamePriorityInOtherDirectionIsFine) {
    std::string outbound = R"({"name": "out", "properties": {"priority": 100, "direction": "Outbound",
        "access": "Deny", "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "*"}})";
    Diagnostics diags;
    build_estate(raw("[" + nsg_json(std::string(kWebRule) + "," + outbound) + "]"), diags);
    EXPECT_FALSE(diags.has_errors());
}

TEST(EstateBuilder, HostBitsInRulePrefixWarnAndNormalise) {
    std::string rule = R"({"name": "r", "properties": {"priority": 200, "direction": "Inbound",
        "access": "Allow", "protocol": "Udp", "sourceAddressPrefix": "10.1.2.3/16", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "53"}})";
    Diagnostics diags;
    model::Estate e = build_estate(raw("[" + nsg_json(rule) + "]"), diags);
    EXPECT_FALSE(diags.has_errors());
    EXPECT_TRUE(has_code(diags, "prefix-host-bits", Severity::Warning));
    EXPECT_EQ(e.network_security_groups[0].rules[0].source.addresses[0].text(), "10.1.0.0/16");
}

std::string network_json() {
    return "[" + std::string(R"({"id": ")") + kSub + R"(Microsoft.Network/virtualNetworks/vnet",
      "type": "Microsoft.Network/virtualNetworks", "name": "vnet", "location": "westeurope",
      "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "web", "properties": {"addressPrefix": "10.0.1.0/24",
          "networkSecurityGroup": {"id": ")" +
           "/SUBSCRIPTIONS/s/resourcegroups/RG/providers/" +
           R"(Microsoft.Network/networkSecurityGroups/NSG"}}}]}},
    {"id": ")" +
           kSub + R"(Microsoft.Network/applicationSecurityGroups/asg-web",
     "type": "Microsoft.Network/applicationSecurityGroups", "name": "asg-web", "location": "westeurope"},
    {"id": ")" +
           kSub + R"(Microsoft.Network/networkInterfaces/nic1",
     "type": "Microsoft.Network/networkInterfaces", "name": "nic1", "location": "westeurope",
     "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
        "privateIPAddress": "10.0.1.4", "privateIPAllocationMethod": "Static",
        "subnet": {"id": ")" +
           kSub + R"(Microsoft.Network/virtualNetworks/vnet/subnets/web"},
        "applicationSecurityGroups": [{"id": ")" +
           kSub + R"(Microsoft.Network/applicationSecurityGroups/asg-web"}]}}]}},
    )" + nsg_json("") +
           "]";
}

TEST(EstateBuilder, ResolvesReferencesCaseInsensitivelyAndLinksBack) {
    Diagnostics diags;
    model::Estate e = build_estate(raw(network_json()), diags);
    ASSERT_FALSE(diags.has_errors()) << format_diagnostic(diags.all().at(0), SourceSet{});
    ASSERT_EQ(e.subnets.size(), 1u);
    ASSERT_NE(e.subnets[0].network_security_group, model::kNone);
    EXPECT_EQ(e.network_security_groups[0].subnets, std::vector<model::SubnetIndex>{model::SubnetIndex(0u)});
    EXPECT_EQ(e.virtual_networks[0].subnets, std::vector<model::SubnetIndex>{model::SubnetIndex(0u)});
    ASSERT_EQ(e.application_security_groups[0].members.size(), 1u);
    EXPECT_EQ(e.network_interfaces[0].ip_configurations[0].private_ip->to_string(), "10.0.1.4");
    EXPECT_EQ(e.subnets[0].name, "web");
    EXPECT_TRUE(e.find(kSub + "microsoft.network/virtualnetworks/VNET/subnets/WEB").has_value());
}

TEST(EstateBuilder, ReferenceOutsideTheInputIsAnExternalResource) {
    // A subnet associated with an NSG deployed elsewhere (another resource group, an earlier
    // deployment): a warning and an external reference, never a failed load.
    std::string text = network_json();
    text.replace(text.find("networkSecurityGroups/NSG"), 25, "networkSecurityGroups/gone");
    Diagnostics diags;
    model::Estate e = build_estate(raw(text), diags);
    EXPECT_FALSE(diags.has_errors());
    ASSERT_TRUE(has_code(diags, "external-reference", Severity::Warning));
    EXPECT_EQ(e.subnets[0].network_security_group, model::kNone);
    ASSERT_EQ(e.external_references.size(), 1u);
    EXPECT_EQ(e.external_references[0].kind, model::ResourceKind::NetworkSecurityGroup);
    EXPECT_NE(e.find_external(e.external_references[0].id), nullptr);
    for (const auto& d : diags.all()) {
        if (d.code == "external-reference") {
            EXPECT_EQ(d.where.pointer, "/0/properties/subnets/0/properties/networkSecurityGroup/id");
            EXPECT_NE(d.message.find("undecidable"), std::string::npos);
        }
    }
}

TEST(EstateBuilder, ReferenceToTheWrongKindIsAnError) {
    std::string text = network_json();
    text.replace(text.find("networkSecurityGroups/NSG"), 25, "applicationSecurityGroups/asg-web");
    Diagnostics diags;
    build_estate(raw(text), diags);
    EXPECT_TRUE(has_code(diags, "dangling-reference", Severity::Error));
}

TEST(EstateBuilder, WrongTypeNamesTheExpectedType) {
    std::string rule = R"({"name": "r", "properties": {"priority": "high", "direction": "Inbound",
        "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "22"}})";
    Diagnostics diags;
    build_estate(raw("[" + nsg_json(rule) + "]"), diags);
    ASSERT_TRUE(has_code(diags, "wrong-type", Severity::Error));
    EXPECT_NE(diags.all()[0].message.find("expected an integer"), std::string::npos);
}

TEST(EstateBuilder, UnknownValuesAreRecordedNotGuessed) {
    json::Value body = parse(
        R"({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip",
        "type": "Microsoft.Network/publicIPAddresses", "name": "pip", "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static"}})");
    body.as_object()
        .find("properties")
        ->as_object()
        .set("ipAddress", json::Value::unknown("assigned at deployment"));
    Diagnostics diags;
    model::Estate e = build_estate({RawResource{body, {}}}, diags);
    EXPECT_FALSE(diags.has_errors());
    ASSERT_EQ(e.public_ip_addresses.size(), 1u);
    EXPECT_FALSE(e.public_ip_addresses[0].ip_address.has_value());
    EXPECT_EQ(e.public_ip_addresses[0].unknown_fields, std::vector<std::string>{"/properties/ipAddress"});
}

// A public IP's SKU decides whether it is open without an NSG: absent or misspelt, it is read as
// Basic (open), the reading that hides no path; a misspelling is warned about, at the property.
TEST(EstateBuilder, PublicIpSkuIsAnEnumWithAzureDefault) {
    auto ip = [](const std::string& name, const std::string& sku) {
        return R"({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/)" +
               name + R"(", "type": "Microsoft.Network/publicIPAddresses", "name": ")" + name + "\"" + sku +
               R"(, "properties": {"publicIPAllocationMethod": "Static"}})";
    };
    Diagnostics diags;
    model::Estate e = build_estate(raw("[" + ip("a", R"(, "sku": {"name": "standard"})") + "," + ip("b", "") +
                                       "," + ip("c", R"(, "sku": {"name": "Standrd"})") + "]"),
                                   diags);
    ASSERT_EQ(e.public_ip_addresses.size(), 3u);
    EXPECT_EQ(e.public_ip_addresses[0].sku.value, model::PublicIpSku::Standard);
    EXPECT_TRUE(e.public_ip_addresses[0].sku.given());
    EXPECT_EQ(e.public_ip_addresses[1].sku.value, model::PublicIpSku::Basic);
    EXPECT_FALSE(e.public_ip_addresses[1].sku.given());
    EXPECT_EQ(e.public_ip_addresses[2].sku.value, model::PublicIpSku::Basic);
    EXPECT_TRUE(has_code(diags, "unrecognised-value", Severity::Warning));
    EXPECT_EQ(e.public_ip_addresses[2].unknown_fields, std::vector<std::string>{"/sku/name"});
}

TEST(EstateBuilder, LoadBalancerProtocolsAreEnums) {
    std::string lb =
        R"([{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
        "type": "Microsoft.Network/loadBalancers", "name": "lb", "sku": {"name": "Standard"},
        "properties": {"loadBalancingRules": [
            {"name": "web", "properties": {"protocol": "tcp", "frontendPort": 443, "backendPort": 443}},
            {"name": "ha", "properties": {"protocol": "All", "frontendPort": 0, "backendPort": 0}},
            {"name": "odd", "properties": {"protocol": "Sctp", "frontendPort": 9, "backendPort": 9}}],
          "probes": [{"name": "p", "properties": {"protocol": "Https", "port": 443}}]}}])";
    Diagnostics diags;
    model::Estate e = build_estate(raw(lb), diags);
    ASSERT_EQ(e.load_balancers.size(), 1u);
    const model::LoadBalancer& b = e.load_balancers[0];
    EXPECT_EQ(b.sku.value, model::LoadBalancerSku::Standard);
    ASSERT_EQ(b.rules.size(), 3u);
    EXPECT_EQ(b.rules[0].protocol, model::LoadBalancerProtocol::Tcp);
    EXPECT_EQ(b.rules[1].protocol, model::LoadBalancerProtocol::All);
    EXPECT_EQ(b.rules[2].protocol, std::nullopt);
    EXPECT_TRUE(has_code(diags, "unrecognised-value", Severity::Warning));
    ASSERT_EQ(b.probes.size(), 1u);
    EXPECT_EQ(b.probes[0].protocol, model::ProbeProtocol::Https);
}

TEST(EstateBuilder, RecognisesBuiltInRolesAndCustomDefinitions) {
    std::string text = R"([
      {"id": "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a1",
       "type": "Microsoft.Authorization/roleAssignments", "name": "a1",
       "properties": {"roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
                      "principalId": "p", "principalType": "User", "scope": "/subscriptions/s"}},
      {"id": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
       "type": "Microsoft.Authorization/roleDefinitions", "name": "11111111-2222-3333-4444-555555555555",
       "properties": {"roleName": "netops", "type": "CustomRole",
                      "permissions": [{"actions": ["Microsoft.Network/*", "*/read"], "notActions": []}],
                      "assignableScopes": ["/subscriptions/s/resourceGroups/rg"]}},
      {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a2",
       "type": "Microsoft.Authorization/roleAssignments", "name": "a2",
       "properties": {"roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
                      "principalId": "g", "principalType": "Group"}}])";
    Diagnostics diags;
    model::Estate e = build_estate(raw(text), diags);
    EXPECT_FALSE(diags.has_errors());
    ASSERT_EQ(e.role_assignments.size(), 2u);
    EXPECT_EQ(e.role_assignments[0].built_in_role, "Contributor");
    EXPECT_EQ(e.role_assignments[1].role_definition, model::RoleDefinitionIndex(0u));
    EXPECT_EQ(e.role_assignments[1].scope, "/subscriptions/s/resourceGroups/rg");
    EXPECT_EQ(e.role_definitions[0].actions.size(), 2u);
}

TEST(EstateBuilder, RouteNextHopValidation) {
    std::string text =
        R"([{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt",
      "type": "Microsoft.Network/routeTables", "name": "rt", "properties": {"routes": [
        {"name": "ok", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"}},
        {"name": "no-ip", "properties": {"addressPrefix": "10.9.0.0/16", "nextHopType": "VirtualAppliance"}},
        {"name": "bad-type", "properties": {"addressPrefix": "Storage", "nextHopType": "Firewall"}}]}}])";
    Diagnostics diags;
    model::Estate e = build_estate(raw(text), diags);
    EXPECT_EQ(diags.error_count(), 2u);
    EXPECT_TRUE(has_code(diags, "invalid-next-hop", Severity::Error));
    ASSERT_EQ(e.route_tables[0].routes.size(), 3u);
    EXPECT_EQ(e.route_tables[0].routes[0].next_hop_ip->to_string(), "10.0.1.4");
}

TEST(Loader, AcceptsEveryExportShape) {
    std::string one =
        R"({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/a",
                          "type": "Microsoft.Network/applicationSecurityGroups", "name": "a"})";
    for (std::string text :
         {"[" + one + "]", R"({"value": [)" + one + "]}", R"({"data": [)" + one + "]}", one}) {
        SourceSet sources;
        FileId f = sources.add("export.json", text);
        Diagnostics diags;
        LoadResult r = load_sources(sources, {f}, {}, diags);
        EXPECT_FALSE(diags.has_errors()) << text;
        EXPECT_EQ(r.estate.application_security_groups.size(), 1u) << text;
        EXPECT_EQ(r.inputs.exports.size(), 1u);
    }
}

TEST(Loader, RejectsUnrecognisedDocumentsAndSyntaxErrors) {
    SourceSet sources;
    FileId odd = sources.add("odd.json", R"({"hello": 1})");
    FileId broken = sources.add("broken.json", "[\n  {\"id\": }\n]");
    Diagnostics diags;
    load_sources(sources, {odd, broken}, {}, diags);
    ASSERT_EQ(diags.error_count(), 2u);
    EXPECT_EQ(diags.all()[0].code, "unrecognised-input");
    EXPECT_EQ(diags.all()[1].code, "json-syntax");
    LineColumn lc = sources.line_column(broken, diags.all()[1].where.offset);
    EXPECT_EQ(lc.line, 2u);
    EXPECT_EQ(lc.column, 10u);
}

TEST(Loader, EnforcesTheDepthLimit) {
    SourceSet sources;
    FileId f = sources.add("deep.json", std::string(500, '[') + std::string(500, ']'));
    Diagnostics diags;
    load_sources(sources, {f}, {}, diags);
    ASSERT_TRUE(diags.has_errors());
    EXPECT_EQ(diags.all()[0].code, "json-syntax");
}

} // namespace
} // namespace ztnet::load
