#include "ztnet/report/harden_code.h"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ztnet/harden/arm_rule.h"
#include "ztnet/json/reader.h"
#include "ztnet/model/azure_enums.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/fix_code.h"
#include "ztnet/support/ascii.h"

namespace ztnet::report {
namespace {

using json::Array;
using json::Object;
using json::Value;

constexpr std::string_view kApiVersion = "2023-11-01";

// Where an NSG of the plan lives: its resource group, subscription and location.
struct Placement {
    std::string subscription;
    std::string resource_group;
    std::string location;
};

Placement placement(const harden::NsgProposal& nsg, const model::Estate& estate) {
    const model::ResourceIdParts parts = model::parse_resource_id(nsg.nsg_id);
    Placement out{parts.subscription, parts.resource_group, {}};
    if (const auto ref = estate.find(nsg.nsg_id))
        out.location = estate.resource(*ref).location;
    for (const std::string& subnet_id : nsg.subnets) {
        if (!out.location.empty())
            break;
        if (const auto ref = estate.find(subnet_id); ref && ref->kind == model::ResourceKind::Subnet) {
            const model::Subnet& subnet = estate.subnets[ref->as<model::Subnet>()];
            if (subnet.virtual_network != model::kNone)
                out.location = estate.virtual_networks[subnet.virtual_network].location;
        }
    }
    return out;
}

// One side of a rule as the three formats spell it: a single prefix, several, or ASG ids.
struct SideText {
    std::vector<std::string> prefixes;
    std::vector<std::string> asg_ids;
};

SideText side_text(const model::RuleEndpoint& side, const model::Estate& estate) {
    SideText out;
    for (const model::AddressEntry& a : side.addresses)
        out.prefixes.push_back(a.text());
    for (model::AsgIndex g : side.application_security_groups)
        out.asg_ids.push_back(estate.application_security_groups[g].id);
    return out;
}

std::string direction_text(const model::SecurityRule& r) {
    return std::string(net::direction_name(r.direction));
}

std::string access_text(const model::SecurityRule& r) {
    return r.access == model::Access::Allow ? "Allow" : "Deny";
}

// An identifier for Bicep and Terraform: letters, digits and '_', not starting with a digit.
std::string identifier(std::string_view name) {
    std::string out;
    for (char c : name)
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) != 0)
        out = "r_" + out;
    return out;
}

// Identifiers made unique in order of first use.
class Identifiers {
  public:
    std::string of(const std::string& key, std::string_view name) {
        auto found = given_.find(key);
        if (found != given_.end())
            return found->second;
        std::string id = identifier(name);
        for (int n = 2; used_.contains(id); ++n)
            id = identifier(name) + "_" + std::to_string(n);
        used_.insert(id);
        return given_[key] = id;
    }

  private:
    std::map<std::string, std::string> given_;
    std::set<std::string> used_;
};

// ---- ARM ----

Value strings_json(const std::vector<std::string>& items) {
    Array out;
    for (const std::string& s : items)
        out.emplace_back(s);
    return out;
}

Value arm_rule(const harden::ProposedRule& p, const model::Estate& estate) {
    return harden::arm_security_rule(p.rule, estate);
}

std::string arm_nsg_reference(const harden::NsgProposal& nsg) {
    return fmt::format("[resourceId('Microsoft.Network/networkSecurityGroups', '{}')]", nsg.nsg_name);
}

// A subnet written whole, as ARM deploys it: with every property the input gives, the new NSG
// among them (a subnet deployed without a property loses it).
Object subnet_properties(const model::Subnet& subnet, const model::Estate& estate, Value nsg_id) {
    Object properties;
    if (subnet.address_prefixes.size() == 1) {
        properties.set("addressPrefix", subnet.address_prefixes.front().to_string());
    } else {
        Array prefixes;
        for (const net::Prefix& p : subnet.address_prefixes)
            prefixes.emplace_back(p.to_string());
        properties.set("addressPrefixes", std::move(prefixes));
    }
    Object nsg;
    nsg.set("id", std::move(nsg_id));
    properties.set("networkSecurityGroup", std::move(nsg));
    if (subnet.route_table != model::kNone) {
        Object table;
        table.set("id", estate.route_tables[subnet.route_table].id);
        properties.set("routeTable", std::move(table));
    }
    if (!subnet.nat_gateway.empty()) {
        Object gateway;
        gateway.set("id", subnet.nat_gateway);
        properties.set("natGateway", std::move(gateway));
    }
    if (!subnet.service_endpoints.empty()) {
        Array endpoints;
        for (const std::string& service : subnet.service_endpoints) {
            Object e;
            e.set("service", service);
            endpoints.emplace_back(std::move(e));
        }
        properties.set("serviceEndpoints", std::move(endpoints));
    }
    if (!subnet.delegations.empty()) {
        Array delegations;
        for (const std::string& service : subnet.delegations) {
            Object d;
            d.set("name", service);
            Object inner;
            inner.set("serviceName", service);
            d.set("properties", std::move(inner));
            delegations.emplace_back(std::move(d));
        }
        properties.set("delegations", std::move(delegations));
    }
    properties.set("privateEndpointNetworkPolicies",
                   std::string(model::name_of(subnet.private_endpoint_network_policies)));
    return properties;
}

const model::Subnet* subnet_of(const model::Estate& estate, const std::string& id) {
    const auto ref = estate.find(id);
    return ref && ref->kind == model::ResourceKind::Subnet ? &estate.subnets[ref->as<model::Subnet>()]
                                                           : nullptr;
}

std::string vnet_name(const model::Estate& estate, const model::Subnet& subnet) {
    return subnet.virtual_network != model::kNone ? estate.virtual_networks[subnet.virtual_network].name
                                                  : std::string();
}

// The subnets a new NSG of the plan is to be associated with (none for an existing NSG).
std::vector<const model::Subnet*> new_associations(const harden::NsgProposal& nsg,
                                                   const model::Estate& estate) {
    std::vector<const model::Subnet*> out;
    if (!nsg.is_new)
        return out;
    for (const std::string& subnet_id : nsg.subnets)
        if (const model::Subnet* subnet = subnet_of(estate, subnet_id))
            out.push_back(subnet);
    return out;
}

Array arm_resources(const std::vector<const harden::NsgProposal*>& nsgs, const model::Estate& estate) {
    Array resources;
    for (const harden::NsgProposal* nsg : nsgs) {
        Object resource;
        resource.set("type", std::string("Microsoft.Network/networkSecurityGroups"));
        resource.set("apiVersion", std::string(kApiVersion));
        resource.set("name", nsg->nsg_name);
        resource.set("location", placement(*nsg, estate).location);
        Array rules;
        for (const harden::ProposedRule& r : nsg->rules)
            rules.push_back(arm_rule(r, estate));
        Object properties;
        properties.set("securityRules", std::move(rules));
        resource.set("properties", std::move(properties));
        resources.emplace_back(std::move(resource));
        for (const model::Subnet* subnet : new_associations(*nsg, estate)) {
            Object association;
            association.set("type", std::string("Microsoft.Network/virtualNetworks/subnets"));
            association.set("apiVersion", std::string(kApiVersion));
            association.set("name", vnet_name(estate, *subnet) + "/" + subnet->name);
            association.set("dependsOn", strings_json({arm_nsg_reference(*nsg)}));
            association.set("properties", subnet_properties(*subnet, estate, Value(arm_nsg_reference(*nsg))));
            resources.emplace_back(std::move(association));
        }
    }
    return resources;
}

Object arm_template(Array resources) {
    Object out;
    out.set("$schema",
            std::string("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"));
    out.set("contentVersion", std::string("1.0.0.0"));
    Object metadata;
    metadata.set("generator", std::string("ztnet harden"));
    out.set("metadata", std::move(metadata));
    out.set("resources", std::move(resources));
    return out;
}

std::string shell_word(std::string_view text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// New application security groups take members by a change to each member NIC, which ARM and
// Bicep write whole: what the model does not hold of a NIC (DNS settings, NAT rules, tags) would be
// lost, so those formats refuse.
Result<bool> whole_nics_not_needed(const harden::HardenPlan& plan) {
    if (plan.asgs.empty())
        return true;
    return fail_with(
        "harden-code-membership",
        fmt::format("the plan adds {} application security group(s), whose members join by a change "
                    "to each NIC, which ARM and Bicep write whole from what the input holds of it: "
                    "write --format terraform or az-cli (they add the memberships alone), or run "
                    "`ztnet fix --propose-asgs` on an export",
                    plan.asgs.size()));
}

// The plan's NSGs by (subscription, resource group), in plan order.
std::vector<std::pair<Placement, std::vector<const harden::NsgProposal*>>>
by_resource_group(const harden::HardenPlan& plan, const model::Estate& estate) {
    std::vector<std::pair<Placement, std::vector<const harden::NsgProposal*>>> out;
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        const Placement where = placement(nsg, estate);
        auto same = [&](const auto& group) {
            return model::same_id(group.first.subscription, where.subscription) &&
                   model::same_id(group.first.resource_group, where.resource_group);
        };
        auto found = std::find_if(out.begin(), out.end(), same);
        if (found == out.end()) {
            out.push_back({where, {}});
            found = out.end() - 1;
        }
        found->second.push_back(&nsg);
    }
    return out;
}

// ---- Bicep and Terraform text ----

std::string bicep_string(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

std::string hcl_string(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' || c == '\\')
            out += '\\';
        if ((c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{')
            out += c; // "${" and "%{" start templates: doubled, they are literal
        out += c;
    }
    return out + "\"";
}

template <class Quote>
std::string list_text(const std::vector<std::string>& items, Quote&& quote, std::string_view separator) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : std::string(separator)) + quote(items[i]);
    return out + "]";
}

// A Bicep array, an item per line (the form every Bicep version reads).
std::string bicep_list(const std::vector<std::string>& items, std::string_view indent) {
    std::string out = "[\n";
    for (const std::string& item : items)
        out += fmt::format("{}  {}\n", indent, bicep_string(item));
    return out + std::string(indent) + "]";
}

void bicep_side(std::string& out, std::string_view which, const SideText& side, std::string_view indent) {
    if (!side.asg_ids.empty()) {
        out += fmt::format("{}{}ApplicationSecurityGroups: [\n", indent, which);
        for (const std::string& id : side.asg_ids)
            out += fmt::format("{}  {{\n{}    id: {}\n{}  }}\n", indent, indent, bicep_string(id), indent);
        out += fmt::format("{}]\n", indent);
    } else if (side.prefixes.size() == 1) {
        out += fmt::format("{}{}AddressPrefix: {}\n", indent, which, bicep_string(side.prefixes.front()));
    } else {
        out += fmt::format("{}{}AddressPrefixes: {}\n", indent, which, bicep_list(side.prefixes, indent));
    }
}

std::string bicep_rule(const harden::ProposedRule& p, const model::Estate& estate) {
    const model::SecurityRule& r = p.rule;
    constexpr std::string_view kIndent = "          ";
    std::string out =
        fmt::format("      {{\n        name: {}\n        properties: {{\n", bicep_string(r.name));
    out += fmt::format("{}description: {}\n", kIndent, bicep_string(r.description));
    out += fmt::format("{}priority: {}\n", kIndent, r.priority);
    out += fmt::format("{}direction: {}\n", kIndent, bicep_string(direction_text(r)));
    out += fmt::format("{}access: {}\n", kIndent, bicep_string(access_text(r)));
    out += fmt::format("{}protocol: {}\n", kIndent, bicep_string(r.protocol));
    out += fmt::format("{}sourcePortRange: '*'\n", kIndent);
    bicep_side(out, "source", side_text(r.source, estate), kIndent);
    bicep_side(out, "destination", side_text(r.destination, estate), kIndent);
    if (r.destination_ports.size() == 1)
        out +=
            fmt::format("{}destinationPortRange: {}\n", kIndent, bicep_string(r.destination_ports.front()));
    else
        out +=
            fmt::format("{}destinationPortRanges: {}\n", kIndent, bicep_list(r.destination_ports, kIndent));
    return out + "        }\n      }\n";
}

// A JSON value as a Bicep expression (the subnet's properties, written once for ARM).
std::string bicep_value(const Value& value, int depth) {
    const std::string indent(static_cast<std::size_t>(2 * depth), ' ');
    if (value.is_string())
        return bicep_string(value.as_string());
    if (value.is_object()) {
        std::string out = "{\n";
        for (const auto& [key, member] : value.as_object().members())
            out += fmt::format("{}  {}: {}\n", indent, key, bicep_value(member, depth + 1));
        return out + indent + "}";
    }
    if (value.is_array()) {
        std::string out = "[\n";
        for (const Value& item : value.as_array())
            out += fmt::format("{}  {}\n", indent, bicep_value(item, depth + 1));
        return out + indent + "]";
    }
    return json::write(value);
}

void hcl_side(std::string& out, std::string_view which, const SideText& side) {
    if (!side.asg_ids.empty())
        out += fmt::format("    {}_application_security_group_ids = {}\n", which,
                           list_text(side.asg_ids, hcl_string, ", "));
    else if (side.prefixes.size() == 1)
        out += fmt::format("    {}_address_prefix = {}\n", which, hcl_string(side.prefixes.front()));
    else
        out +=
            fmt::format("    {}_address_prefixes = {}\n", which, list_text(side.prefixes, hcl_string, ", "));
}

std::string hcl_rule(const harden::ProposedRule& p, const model::Estate& estate) {
    const model::SecurityRule& r = p.rule;
    std::string out = "\n  security_rule {\n";
    out += fmt::format("    name = {}\n", hcl_string(r.name));
    out += fmt::format("    description = {}\n", hcl_string(r.description));
    out += fmt::format("    priority = {}\n", r.priority);
    out += fmt::format("    direction = {}\n", hcl_string(direction_text(r)));
    out += fmt::format("    access = {}\n", hcl_string(access_text(r)));
    out += fmt::format("    protocol = {}\n", hcl_string(r.protocol));
    out += "    source_port_range = \"*\"\n";
    hcl_side(out, "source", side_text(r.source, estate));
    hcl_side(out, "destination", side_text(r.destination, estate));
    if (r.destination_ports.size() == 1)
        out += fmt::format("    destination_port_range = {}\n", hcl_string(r.destination_ports.front()));
    else
        out += fmt::format("    destination_port_ranges = {}\n",
                           list_text(r.destination_ports, hcl_string, ", "));
    return out + "  }\n";
}

std::string header(std::string_view comment) {
    return fmt::format(
        "{} Generated by ztnet harden: every NSG below with its whole rule list (deploying it\n"
        "{} replaces the custom rules it had), proved against the intent before it was written.\n",
        comment, comment);
}

} // namespace

Result<std::string> harden_arm(const harden::HardenPlan& plan, const model::Estate& estate) {
    if (Result<bool> whole = whole_nics_not_needed(plan); !whole)
        return whole.error();
    const auto groups = by_resource_group(plan, estate);
    if (groups.size() <= 1)
        return json::write(
                   arm_template(groups.empty() ? Array() : arm_resources(groups.front().second, estate))) +
               "\n";
    // One nested deployment per resource group, each into its group.
    Array deployments;
    for (const auto& [where, nsgs] : groups) {
        Object deployment;
        deployment.set("type", std::string("Microsoft.Resources/deployments"));
        deployment.set("apiVersion", std::string("2022-09-01"));
        deployment.set("name", identifier("ztnet-harden-" + where.resource_group));
        deployment.set("subscriptionId", where.subscription);
        deployment.set("resourceGroup", where.resource_group);
        Object properties;
        properties.set("mode", std::string("Incremental"));
        properties.set("template", arm_template(arm_resources(nsgs, estate)));
        deployment.set("properties", std::move(properties));
        deployments.emplace_back(std::move(deployment));
    }
    return json::write(arm_template(std::move(deployments))) + "\n";
}

Result<std::string> harden_bicep(const harden::HardenPlan& plan, const model::Estate& estate) {
    if (Result<bool> whole = whole_nics_not_needed(plan); !whole)
        return whole.error();
    const auto groups = by_resource_group(plan, estate);
    if (groups.size() > 1)
        return fail_with(
            "harden-code-scope",
            fmt::format("the plan spans {} resource groups, and a Bicep file deploys into one; write "
                        "--format arm (a nested deployment per group) or terraform",
                        groups.size()));
    Identifiers ids;
    std::string out = header("//");
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        const std::string id = ids.of(nsg.nsg_id, nsg.nsg_name);
        out +=
            fmt::format("\nresource {} 'Microsoft.Network/networkSecurityGroups@{}' = {{\n", id, kApiVersion);
        out += fmt::format("  name: {}\n  location: {}\n  properties: {{\n    securityRules: [\n",
                           bicep_string(nsg.nsg_name), bicep_string(placement(nsg, estate).location));
        for (const harden::ProposedRule& r : nsg.rules)
            out += bicep_rule(r, estate);
        out += "    ]\n  }\n}\n";
        for (const model::Subnet* subnet : new_associations(nsg, estate)) {
            const std::string vnet = vnet_name(estate, *subnet);
            const std::string vnet_id = ids.of("vnet:" + vnet, vnet);
            out += fmt::format(
                "\nresource {} 'Microsoft.Network/virtualNetworks@{}' existing = {{\n  name: {}\n}}\n",
                vnet_id, kApiVersion, bicep_string(vnet));
            // The subnet written whole: a subnet deployed without a property loses it.
            Object properties = subnet_properties(*subnet, estate, Value(std::string("__NSG_ID__")));
            std::string body = bicep_value(Value(std::move(properties)), 1);
            const std::string placeholder = bicep_string("__NSG_ID__");
            body.replace(body.find(placeholder), placeholder.size(), id + ".id");
            out += fmt::format(
                "\nresource {} 'Microsoft.Network/virtualNetworks/subnets@{}' = {{\n  parent: {}\n  "
                "name: {}\n  properties: {}\n}}\n",
                ids.of(subnet->id, subnet->name), kApiVersion, vnet_id, bicep_string(subnet->name), body);
        }
    }
    return out;
}

std::string harden_terraform(const harden::HardenPlan& plan, const model::Estate& estate) {
    Identifiers ids;
    std::string out = header("#");
    // New application security groups, and each member joining alone (nothing else of a NIC changes).
    std::string groups_first;
    for (const harden::ProposedAsg& asg : plan.asgs) {
        const std::string id = ids.of(asg.id, asg.name);
        const model::ResourceIdParts parts = model::parse_resource_id(asg.id);
        out += fmt::format(
            "\nresource \"azurerm_application_security_group\" \"{}\" {{\n  name = {}\n  location = {}\n"
            "  resource_group_name = {}\n}}\n",
            id, hcl_string(asg.name), hcl_string(asg.location), hcl_string(parts.resource_group));
        for (const auto& [nic, config] : asg.members)
            out += fmt::format(
                "\nresource \"azurerm_network_interface_application_security_group_association\" \"{}\" "
                "{{\n  network_interface_id = {}\n  application_security_group_id = "
                "azurerm_application_security_group.{}.id\n}}\n",
                ids.of(asg.id + "|" + nic + "|" + config,
                       asg.name + "_" + model::parse_resource_id(nic).name),
                hcl_string(nic), id);
        groups_first +=
            (groups_first.empty() ? "" : ", ") + std::string("azurerm_application_security_group.") + id;
    }
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        const Placement where = placement(nsg, estate);
        const std::string id = ids.of(nsg.nsg_id, nsg.nsg_name);
        if (!nsg.is_new)
            out += fmt::format("\nimport {{\n  to = azurerm_network_security_group.{}\n  id = {}\n}}\n", id,
                               hcl_string(nsg.nsg_id));
        out += fmt::format("\nresource \"azurerm_network_security_group\" \"{}\" {{\n", id);
        out += fmt::format("  name = {}\n  location = {}\n  resource_group_name = {}\n",
                           hcl_string(nsg.nsg_name), hcl_string(where.location),
                           hcl_string(where.resource_group));
        for (const harden::ProposedRule& r : nsg.rules)
            out += hcl_rule(r, estate);
        if (!groups_first.empty()) // its rules name the new groups by id
            out += fmt::format("  depends_on = [{}]\n", groups_first);
        out += "}\n";
        if (!nsg.is_new)
            continue;
        for (const std::string& subnet_id : nsg.subnets) {
            const model::Subnet* subnet = subnet_of(estate, subnet_id);
            const std::string name = subnet != nullptr ? subnet->name : subnet_id;
            out += fmt::format(
                "\nresource \"azurerm_subnet_network_security_group_association\" \"{}\" {{\n"
                "  subnet_id = {}\n  network_security_group_id = azurerm_network_security_group.{}.id\n}}\n",
                ids.of("association:" + subnet_id, name), hcl_string(subnet_id), id);
        }
    }
    return out;
}

std::vector<fix::Deployable> harden_deployables(const harden::HardenPlan& plan, const model::Estate& estate) {
    std::vector<fix::Deployable> out;
    for (const harden::ProposedAsg& asg : plan.asgs) {
        Object body;
        body.set("location", asg.location);
        body.set("properties", Object());
        out.push_back({asg.id, "Microsoft.Network/applicationSecurityGroups", asg.name,
                       std::string(kApiVersion), Value(std::move(body)), true});
    }
    for (const harden::NsgProposal& nsg : plan.nsgs) {
        Array rules;
        for (const harden::ProposedRule& r : nsg.rules)
            rules.push_back(arm_rule(r, estate));
        Object properties;
        properties.set("securityRules", std::move(rules));
        Object body;
        body.set("location", placement(nsg, estate).location);
        body.set("properties", std::move(properties));
        out.push_back({nsg.nsg_id, "Microsoft.Network/networkSecurityGroups", nsg.nsg_name,
                       std::string(kApiVersion), Value(std::move(body)), nsg.is_new});
        for (const model::Subnet* subnet : new_associations(nsg, estate)) {
            Object association;
            association.set("properties", subnet_properties(*subnet, estate, Value(nsg.nsg_id)));
            out.push_back({subnet->id, "Microsoft.Network/virtualNetworks/subnets",
                           vnet_name(estate, *subnet) + "/" + subnet->name, std::string(kApiVersion),
                           Value(std::move(association)), false});
        }
    }
    return out;
}

std::string harden_az_cli(const harden::HardenPlan& plan, const model::Estate& estate) {
    std::string out = fix_az_cli(harden_deployables(plan, estate));
    // Each member of a new group joins alone: the IP configuration's list of groups, given whole.
    std::map<std::string, std::pair<std::string, std::string>> configs; // by id: (NIC id, configuration)
    for (const harden::ProposedAsg& asg : plan.asgs)
        for (const auto& [nic, config] : asg.members)
            configs.emplace(ascii::lower(nic + "/ipConfigurations/" + config), std::pair{nic, config});
    for (const auto& [key, member] : configs) {
        const auto ref = estate.find(member.first);
        if (!ref || ref->kind != model::ResourceKind::NetworkInterface)
            continue;
        for (const model::IpConfiguration& c :
             estate.network_interfaces[ref->as<model::NetworkInterface>()].ip_configurations) {
            if (c.name != member.second)
                continue;
            std::string groups;
            for (model::AsgIndex g : c.application_security_groups)
                groups += " " + shell_word(estate.application_security_groups[g].id);
            out +=
                fmt::format("\n# {} {} joins its groups\naz network nic ip-config update --ids {} --asgs{}\n",
                            model::parse_resource_id(member.first).name, member.second,
                            shell_word(member.first + "/ipConfigurations/" + member.second), groups);
        }
    }
    return out;
}

} // namespace ztnet::report
