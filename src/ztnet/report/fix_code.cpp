#include "ztnet/report/fix_code.h"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
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
    metadata.set("generator", std::string("ztnet fix"));
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

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

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
    std::string out = "// Written by ztnet fix: deploy into the resource group of the resources below.\n";
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

std::string fix_terraform(const std::vector<Deployable>& resources) {
    Symbols symbols;
    std::string out =
        "# Written by ztnet fix: the resources whole, as the azapi provider writes Azure's bodies.\n"
        "terraform {\n  required_providers {\n    azapi = {\n      source  = \"Azure/azapi\"\n"
        "      version = \">= 2.0\"\n    }\n  }\n}\n";
    for (const Deployable* r : in_order(resources)) {
        const model::ResourceIdParts parts = model::parse_resource_id(r->id);
        json::Object body;
        for (const auto& [key, value] : r->body.as_object())
            if (key != "location" || !r->is_new)
                body.set(key, value);
        out += fmt::format("\nresource \"{}\" \"{}\" {{\n",
                           r->is_new ? "azapi_resource" : "azapi_update_resource", symbols.of(*r));
        out += fmt::format("  type = {}\n", hcl_string(r->type + "@" + r->api_version));
        if (r->is_new) {
            const std::string parent = parts.parent_id.empty()
                                           ? fmt::format("/subscriptions/{}/resourceGroups/{}",
                                                         parts.subscription, parts.resource_group)
                                           : parts.parent_id;
            out += fmt::format("  name = {}\n", hcl_string(r->name.substr(r->name.rfind('/') + 1)));
            out += fmt::format("  parent_id = {}\n", hcl_string(parent));
            if (const json::Value* location = r->body.find("location");
                location != nullptr && location->is_string())
                out += fmt::format("  location = {}\n", hcl_string(location->as_string()));
        } else {
            out += fmt::format("  resource_id = {}\n", hcl_string(r->id));
        }
        out += "  body = ";
        hcl_value(out, json::Value(std::move(body)), "  ");
        out += "\n";
        std::vector<const Deployable*> depends = needs(*r, resources);
        if (!depends.empty()) {
            out += "  depends_on = [\n";
            for (const Deployable* d : depends)
                out += "    azapi_resource." + symbols.of(*d) + ",\n";
            out += "  ]\n";
        }
        out += "}\n";
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
