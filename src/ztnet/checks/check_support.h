// Internal to the checks module: small helpers every family of checks uses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ztnet/checks/check.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/source.h"

namespace ztnet::checks::support {

/// A finding on `resource` with its id, name and place filled in.
inline Finding finding_on(const model::Resource& resource, std::string message,
                          std::string discriminator = {}) {
    Finding f;
    f.resource_id = resource.id;
    f.resource_name = resource.name;
    f.where = resource.where;
    f.message = std::move(message);
    f.discriminator = std::move(discriminator);
    return f;
}

/// Evidence naming a setting of a resource, at the resource's place.
inline Evidence setting(const model::Resource& resource, std::string text) {
    return Evidence{std::move(text), resource.where, std::nullopt};
}

/// What a resource failing a setting check shows: the message, the evidence, and the setting that
/// decides it, whose place the finding points at (the property, or the resource when Azure's default
/// stands in).
struct Described {
    std::string message;
    std::string evidence;
    SourceLocation where;
};

/// One finding per resource of `resources` for which `failing` holds, with the deciding setting
/// `describe` names as evidence.
template <typename Resources, typename Failing, typename Describe>
std::vector<Finding> each_failing(const Resources& resources, Failing failing, Describe describe) {
    std::vector<Finding> out;
    for (const auto& resource : resources) {
        if (!failing(resource))
            continue;
        Described d = describe(resource);
        Finding f = finding_on(resource, std::move(d.message));
        f.where = d.where;
        f.evidence.push_back(Evidence{std::move(d.evidence), d.where, std::nullopt});
        out.push_back(std::move(f));
    }
    return out;
}

/// The items joined with ", ".
inline std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

/// Case-insensitive equality of Azure's enumerated values ("Premium", "Deny"), which Azure does
/// not treat as case-sensitive.
inline bool same_word(std::string_view a, std::string_view b) {
    return model::same_id(a, b);
}

/// A finding about something absent from a whole subscription: it has no resource of its own, so it
/// is attached to the subscription, with no place in the input (nothing is written there).
inline Finding finding_on_subscription(const std::string& subscription, std::string message) {
    Finding f;
    f.resource_id = "/subscriptions/" + subscription;
    f.resource_name = subscription;
    f.message = std::move(message);
    return f;
}

/// Subnets Azure does not let an NSG be associated with (or that must not carry one).
inline bool subnet_takes_no_nsg(std::string_view name) {
    for (std::string_view special :
         {"GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"}) {
        if (model::same_id(name, special))
            return true;
    }
    return false;
}

/// The VNet an NSG applies in (through a subnet, else a NIC), kNone when it applies nowhere: one of
/// the VNets the policy engine compiled it for, and rule indices of the rule analysis refer to it
/// as compiled there.
inline model::VnetIndex associated_vnet(const model::Estate& estate, model::NsgIndex nsg) {
    const model::NetworkSecurityGroup& group = estate.network_security_groups[nsg];
    for (model::SubnetIndex s : group.subnets)
        return estate.subnets[s].virtual_network;
    for (model::NicIndex n : group.network_interfaces)
        for (const model::IpConfiguration& config : estate.network_interfaces[n].ip_configurations)
            if (config.subnet != model::kNone)
                return estate.subnets[config.subnet].virtual_network;
    return model::kNone;
}

} // namespace ztnet::checks::support
