#include "ztnet/harden/arm_rule.h"

#include <string>
#include <vector>

namespace ztnet::harden {
namespace {

// One side: application security groups when it names any, else one prefix or several.
void arm_side(json::Object& properties, const std::string& which, const model::RuleEndpoint& side,
              const model::Estate& estate) {
    if (!side.application_security_groups.empty()) {
        json::Array groups;
        for (model::AsgIndex g : side.application_security_groups) {
            json::Object group;
            group.set("id", estate.application_security_groups[g].id);
            groups.emplace_back(std::move(group));
        }
        properties.set(which + "ApplicationSecurityGroups", std::move(groups));
        return;
    }
    std::vector<std::string> prefixes;
    for (const model::AddressEntry& a : side.addresses)
        prefixes.push_back(a.text());
    if (prefixes.size() == 1)
        properties.set(which + "AddressPrefix", prefixes.front());
    else
        properties.set(which + "AddressPrefixes", json::string_array(prefixes));
}

} // namespace

json::Value arm_security_rule(const model::SecurityRule& r, const model::Estate& estate) {
    json::Object properties;
    properties.set("description", r.description);
    properties.set("priority", static_cast<std::int64_t>(r.priority));
    properties.set("direction", std::string(net::direction_name(r.direction)));
    properties.set("access", std::string(r.access == model::Access::Allow ? "Allow" : "Deny"));
    properties.set("protocol", r.protocol);
    properties.set("sourcePortRange", std::string("*"));
    arm_side(properties, "source", r.source, estate);
    arm_side(properties, "destination", r.destination, estate);
    if (r.destination_ports.size() == 1)
        properties.set("destinationPortRange", r.destination_ports.front());
    else
        properties.set("destinationPortRanges", json::string_array(r.destination_ports));
    json::Object rule;
    rule.set("name", r.name);
    rule.set("properties", std::move(properties));
    return rule;
}

} // namespace ztnet::harden
