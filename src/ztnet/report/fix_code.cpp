#include "ztnet/report/fix_code.h"

#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/terraform_resources.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"

namespace ztnet::report {
namespace {

using fix::Deployable;

// The new resources a resource refers to (their id appears in its body), which it depends on.
std::vector<const Deployable*> needs(const Deployable& r, const std::vector<Deployable>& all) {
    const std::string text = ascii::lower(json::write(r.body, {.indent = 0}));
    std::vector<const Deployable*> out;
    for (const Deployable& other : all)
        if (other.is_new && &other != &r && text.find(ascii::lower(other.id)) != std::string::npos)
            out.push_back(&other);
    return out;
}

// New resources first, so that what refers to them finds them (ARM and Terraform order by their
// dependencies anyway; az runs in order).
std::vector<const Deployable*> in_order(const std::vector<Deployable>& all) {
    std::vector<const Deployable*> out;
    for (bool fresh : {true, false})
        for (const Deployable& r : all)
            if (r.is_new == fresh)
                out.push_back(&r);
    return out;
}

// A symbol for a resource in Bicep and Terraform: its name, with what they do not take as '_'.
class Symbols {
  public:
    const std::string& of(const Deployable& r) {
        auto found = given_.find(&r);
        if (found != given_.end())
            return found->second;
        std::string base = r.name.substr(r.name.rfind('/') + 1);
        for (char& c : base)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        if (base.empty() || std::isdigit(static_cast<unsigned char>(base.front())))
            base = "r_" + base;
        std::string symbol = base;
        for (int n = 2; taken_.contains(symbol); ++n)
            symbol = fmt::format("{}_{}", base, n);
        taken_.insert(symbol);
        return given_.emplace(&r, symbol).first->second;
    }

  private:
    std::map<const Deployable*, std::string> given_;
    std::set<std::string> taken_;
};

// ---- ARM ----

json::Value arm_resource(const Deployable& r, const std::vector<Deployable>& all) {
    json::Object out;
    out.set("type", r.type);
    out.set("apiVersion", r.api_version);
    out.set("name", r.name);
    json::Array depends;
    for (const Deployable* n : needs(r, all))
        depends.emplace_back(n->id);
    if (!depends.empty())
        out.set("dependsOn", std::move(depends));
    for (const auto& [key, value] : r.body.as_object())
        out.set(key, value);
    return out;
}

json::Object arm_template(json::Array resources) {
    json::Object out;
    out.set("$schema",
            std::string("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"));
    out.set("contentVersion", std::string("1.0.0.0"));
    json::Object metadata;
    metadata.set("generator", std::string("ztnet"));
    out.set("metadata", std::move(metadata));
    out.set("resources", std::move(resources));
    return out;
}

// ---- Bicep ----

std::string bicep_string(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "'";
}

bool identifier(std::string_view key) {
    return !key.empty() && (std::isalpha(static_cast<unsigned char>(key.front())) || key.front() == '_') &&
           std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

void bicep_value(std::string& out, const json::Value& v, const std::string& indent) {
    const std::string inner = indent + "  ";
    if (v.is_object()) {
        out += "{\n";
        for (const auto& [key, member] : v.as_object()) {
            out += inner + (identifier(key) ? key : bicep_string(key)) + ": ";
            bicep_value(out, member, inner);
            out += "\n";
        }
        out += indent + "}";
    } else if (v.is_array()) {
        out += "[\n";
        for (const json::Value& e : v.as_array()) {
            out += inner;
            bicep_value(out, e, inner);
            out += "\n";
        }
        out += indent + "]";
    } else if (v.is_string()) {
        out += bicep_string(v.as_string());
    } else {
        out += json::write(v, {.indent = 0}); // numbers, booleans, null
    }
}

// ---- Terraform (HCL) ----

std::string hcl_string(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        // "${" and "%{" open a template in HCL strings: doubled, they stand for themselves.
        if ((c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{')
            out += c;
        out += c;
    }
    return out + "\"";
}

void hcl_value(std::string& out, const json::Value& v, const std::string& indent) {
    const std::string inner = indent + "  ";
    if (v.is_object()) {
        if (v.as_object().empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (const auto& [key, member] : v.as_object()) {
            out += inner + (identifier(key) ? key : hcl_string(key)) + " = ";
            hcl_value(out, member, inner);
            out += "\n";
        }
        out += indent + "}";
    } else if (v.is_array()) {
        if (v.as_array().empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (const json::Value& e : v.as_array()) {
            out += inner;
            hcl_value(out, e, inner);
            out += ",\n";
        }
        out += indent + "]";
    } else if (v.is_string()) {
        out += hcl_string(v.as_string());
    } else {
        out += json::write(v, {.indent = 0});
    }
}

} // namespace

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string fix_arm(const std::vector<Deployable>& resources) {
    std::map<std::pair<std::string, std::string>, json::Array> groups;
    for (const Deployable* r : in_order(resources)) {
        const model::ResourceIdParts parts = model::parse_resource_id(r->id);
        groups[{parts.subscription, parts.resource_group}].push_back(arm_resource(*r, resources));
    }
    if (groups.size() <= 1)
        return json::write(
                   json::Value(arm_template(groups.empty() ? json::Array{} : groups.begin()->second))) +
               "\n";
    json::Array nested;
    for (auto& [where, list] : groups) {
        json::Object properties;
        properties.set("mode", std::string("Incremental"));
        properties.set("template", json::Value(arm_template(std::move(list))));
        json::Object deployment;
        deployment.set("type", std::string("Microsoft.Resources/deployments"));
        deployment.set("apiVersion", std::string("2022-09-01"));
        deployment.set("name", fmt::format("ztnet-fix-{}", where.second));
        deployment.set("subscriptionId", where.first);
        deployment.set("resourceGroup", where.second);
        deployment.set("properties", std::move(properties));
        nested.emplace_back(std::move(deployment));
    }
    return json::write(json::Value(arm_template(std::move(nested)))) + "\n";
}

Result<std::string> fix_bicep(const std::vector<Deployable>& resources) {
    std::set<std::string> groups;
    for (const Deployable& r : resources) {
        const model::ResourceIdParts parts = model::parse_resource_id(r.id);
        groups.insert(ascii::lower(parts.subscription + "/" + parts.resource_group));
    }
    if (groups.size() > 1) {
        Error e =
            fail(fmt::format("the fixes change resources in {} resource groups, and a Bicep file deploys "
                             "into one: write --format arm, terraform or az-cli",
                             groups.size()));
        e.code = "fix-code-scope";
        return e;
    }
    Symbols symbols;
    std::string out = "// Written by ztnet: deploy into the resource group of the resources below.\n";
    for (const Deployable* r : in_order(resources)) {
        json::Object body;
        body.set("name", r->name);
        for (const auto& [key, value] : r->body.as_object())
            body.set(key, value);
        std::vector<const Deployable*> depends = needs(*r, resources);
        out +=
            fmt::format("\nresource {} {} = ", symbols.of(*r), bicep_string(r->type + "@" + r->api_version));
        bicep_value(out, json::Value(std::move(body)), "");
        if (!depends.empty()) { // written into the object's last line, before its closing brace
            out.pop_back();
            out += "  dependsOn: [\n";
            for (const Deployable* d : depends)
                out += "    " + symbols.of(*d) + "\n";
            out += "  ]\n}";
        }
        out += "\n";
    }
    return out;
}

namespace {

// ---- Terraform: azurerm for the network's own types, azapi for the rest ----

bool is_type(const Deployable& r, std::string_view type) {
    return ascii::iequals(r.type, type);
}

// The azurerm resource type a deployable is written as, or empty for azapi.
std::string_view azurerm_type(const Deployable& r) {
    if (is_type(r, "Microsoft.Network/networkSecurityGroups"))
        return "azurerm_network_security_group";
    if (is_type(r, "Microsoft.Network/applicationSecurityGroups"))
        return "azurerm_application_security_group";
    if (is_type(r, "Microsoft.Network/routeTables"))
        return "azurerm_route_table";
    return {};
}

// The Terraform address of a resource ("azurerm_route_table.rt_web", "azapi_resource.x").
std::string address(const Deployable& r, Symbols& symbols) {
    const std::string_view azurerm = azurerm_type(r);
    if (!azurerm.empty())
        return std::string(azurerm) + "." + symbols.of(r);
    return std::string(r.is_new ? "azapi_resource." : "azapi_update_resource.") + symbols.of(r);
}

const json::Value* property(const json::Value& body, std::string_view key) {
    const json::Value* properties = body.find("properties");
    return properties != nullptr ? properties->find(key) : nullptr;
}

void hcl_attribute(std::string& out, std::string_view indent, std::string_view name,
                   const json::Value& value) {
    out += fmt::format("{}{} = ", indent, name);
    hcl_value(out, value, std::string(indent));
    out += "\n";
}

// A security rule's ARM properties as azurerm's security_rule block spells them.
void hcl_security_rule(std::string& out, const json::Value& rule) {
    out += "\n  security_rule {\n";
    if (const json::Value* name = rule.find("name"))
        hcl_attribute(out, "    ", "name", *name);
    const json::Value* properties = rule.find("properties");
    for (const load::RuleField& f : load::azurerm_rule_fields())
        if (const json::Value* v = properties != nullptr ? properties->find(f.arm) : nullptr)
            hcl_attribute(out, "    ", f.azurerm, *v);
    for (std::string_view side : {"source", "destination"}) {
        const json::Value* groups = properties != nullptr
                                        ? properties->find(std::string(side) + "ApplicationSecurityGroups")
                                        : nullptr;
        if (groups == nullptr || !groups->is_array())
            continue;
        json::Array ids;
        for (const json::Value& g : groups->as_array())
            if (const json::Value* id = g.find("id"))
                ids.push_back(*id);
        hcl_attribute(out, "    ", std::string(side) + "_application_security_group_ids",
                      json::Value(std::move(ids)));
    }
    out += "  }\n";
}

void hcl_route(std::string& out, const json::Value& route) {
    out += "\n  route {\n";
    if (const json::Value* name = route.find("name"))
        hcl_attribute(out, "    ", "name", *name);
    const json::Value* properties = route.find("properties");
    for (const auto& [arm, hcl] :
         {std::pair{"addressPrefix", "address_prefix"}, std::pair{"nextHopType", "next_hop_type"},
          std::pair{"nextHopIpAddress", "next_hop_in_ip_address"}})
        if (const json::Value* v = properties != nullptr ? properties->find(arm) : nullptr)
            hcl_attribute(out, "    ", hcl, *v);
    out += "  }\n";
}

// The body of an azurerm resource: what the type takes from the deployable's ARM body.
void azurerm_body(std::string& out, const Deployable& r) {
    const model::ResourceIdParts parts = model::parse_resource_id(r.id);
    out += fmt::format("  name = {}\n", hcl_string(r.name));
    if (const json::Value* location = r.body.find("location"); location != nullptr && location->is_string())
        out += fmt::format("  location = {}\n", hcl_string(location->as_string()));
    out += fmt::format("  resource_group_name = {}\n", hcl_string(parts.resource_group));
    if (is_type(r, "Microsoft.Network/networkSecurityGroups")) {
        if (const json::Value* rules = property(r.body, "securityRules");
            rules != nullptr && rules->is_array())
            for (const json::Value& rule : rules->as_array())
                hcl_security_rule(out, rule);
    } else if (is_type(r, "Microsoft.Network/routeTables")) {
        const json::Value* off = property(r.body, "disableBgpRoutePropagation");
        out += fmt::format("  bgp_route_propagation_enabled = {}\n",
                           off != nullptr && off->is_bool() && off->as_bool() ? "false" : "true");
        if (const json::Value* routes = property(r.body, "routes"); routes != nullptr && routes->is_array())
            for (const json::Value& route : routes->as_array())
                hcl_route(out, route);
    }
}

void azapi_body(std::string& out, const Deployable& r) {
    const model::ResourceIdParts parts = model::parse_resource_id(r.id);
    out += fmt::format("  type = {}\n", hcl_string(r.type + "@" + r.api_version));
    json::Object body;
    for (const auto& [key, value] : r.body.as_object())
        if (key != "location" || !r.is_new)
            body.set(key, value);
    if (r.is_new) {
        const std::string parent =
            parts.parent_id.empty()
                ? fmt::format("/subscriptions/{}/resourceGroups/{}", parts.subscription, parts.resource_group)
                : parts.parent_id;
        out += fmt::format("  name = {}\n", hcl_string(r.name.substr(r.name.rfind('/') + 1)));
        out += fmt::format("  parent_id = {}\n", hcl_string(parent));
        if (const json::Value* location = r.body.find("location");
            location != nullptr && location->is_string())
            out += fmt::format("  location = {}\n", hcl_string(location->as_string()));
    } else {
        out += fmt::format("  resource_id = {}\n", hcl_string(r.id));
    }
    out += "  body = ";
    hcl_value(out, json::Value(std::move(body)), "  ");
    out += "\n";
}

// A subnet given whole (a new NSG or route table associated with it): azurerm writes the
// associations alone, which touch nothing else of the subnet.
void subnet_associations(std::string& out, const Deployable& r, const std::vector<Deployable>& all,
                         Symbols& symbols) {
    for (const auto& [key, kind, attribute] :
         {std::tuple{"networkSecurityGroup", "azurerm_subnet_network_security_group_association",
                     "network_security_group_id"},
          std::tuple{"routeTable", "azurerm_subnet_route_table_association", "route_table_id"}}) {
        const json::Value* linked = property(r.body, key);
        const json::Value* id = linked != nullptr ? linked->find("id") : nullptr;
        if (id == nullptr || !id->is_string())
            continue;
        const auto target = std::find_if(all.begin(), all.end(), [&](const Deployable& d) {
            return d.is_new && ascii::iequals(d.id, id->as_string());
        });
        if (target == all.end())
            continue; // an association that does not change
        out += fmt::format("\nresource \"{}\" \"{}\" {{\n  subnet_id = {}\n  {} = {}.id\n}}\n", kind,
                           symbols.of(r) + (std::string_view(key) == "routeTable" ? "_route_table" : "_nsg"),
                           hcl_string(r.id), attribute, address(*target, symbols));
    }
}

} // namespace

std::string fix_terraform(const std::vector<Deployable>& resources,
                          const std::vector<TerraformMembership>& memberships) {
    Symbols symbols;
    bool azapi = false, azurerm = false;
    for (const Deployable& r : resources) {
        const bool native =
            !azurerm_type(r).empty() || is_type(r, "Microsoft.Network/virtualNetworks/subnets");
        (native ? azurerm : azapi) = true;
    }
    std::string out =
        "# Written by ztnet: the network's own types with azurerm, any other type's body with azapi.\n"
        "terraform {\n  required_providers {\n";
    if (azurerm)
        out += "    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \">= 4.0\"\n    }\n";
    if (azapi)
        out += "    azapi = {\n      source  = \"Azure/azapi\"\n      version = \">= 2.0\"\n    }\n";
    out += "  }\n}\n";
    for (const Deployable* r : in_order(resources)) {
        if (is_type(*r, "Microsoft.Network/virtualNetworks/subnets")) {
            subnet_associations(out, *r, resources, symbols);
            continue;
        }
        const std::string_view native = azurerm_type(*r);
        if (!native.empty() && !r->is_new) // adopted, not created a second time
            out += fmt::format("\nimport {{\n  to = {}\n  id = {}\n}}\n", address(*r, symbols),
                               hcl_string(r->id));
        out +=
            fmt::format("\nresource \"{}\" \"{}\" {{\n",
                        !native.empty() ? std::string(native)
                                        : std::string(r->is_new ? "azapi_resource" : "azapi_update_resource"),
                        symbols.of(*r));
        if (!native.empty())
            azurerm_body(out, *r);
        else
            azapi_body(out, *r);
        std::vector<const Deployable*> depends = needs(*r, resources);
        if (!depends.empty()) {
            out += "  depends_on = [\n";
            for (const Deployable* d : depends)
                out += "    " + address(*d, symbols) + ",\n";
            out += "  ]\n";
        }
        out += "}\n";
    }
    for (const TerraformMembership& m : memberships) {
        const auto group = std::find_if(resources.begin(), resources.end(), [&](const Deployable& d) {
            return ascii::iequals(d.id, m.group_id);
        });
        const std::string group_id =
            group != resources.end() ? address(*group, symbols) + ".id" : hcl_string(m.group_id);
        const model::ResourceIdParts nic = model::parse_resource_id(m.nic_id);
        std::string symbol = nic.name + "_" + model::parse_resource_id(m.group_id).name;
        for (char& c : symbol)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        out += fmt::format(
            "\nresource \"azurerm_network_interface_application_security_group_association\" \"{}\" {{\n"
            "  network_interface_id = {}\n  application_security_group_id = {}\n}}\n",
            symbol, hcl_string(m.nic_id), group_id);
    }
    return out;
}

std::string fix_az_cli(const std::vector<Deployable>& resources) {
    std::string out =
        "#!/usr/bin/env bash\n# Written by ztnet: each resource whole (az resource create replaces "
        "it), new resources first.\nset -euo pipefail\n";
    for (const Deployable* r : in_order(resources)) {
        out += fmt::format("\n# {} {}\naz resource create --id {} --api-version {} --is-full-object \\\n"
                           "  --properties {}\n",
                           r->is_new ? "new" : "changed", r->name, shell_quote(r->id), r->api_version,
                           shell_quote(json::write(r->body, {.indent = 0})));
    }
    return out;
}

} // namespace ztnet::report
