#include "ztnet/report/harden_code.h"

#include <map>

#include <fmt/format.h>

#include "ztnet/harden/arm_rule.h"
#include "ztnet/model/azure_enums.h"
#include "ztnet/model/resource_id.h"
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

Value arm_rule(const harden::ProposedRule& p, const model::Estate& estate) {
    return harden::arm_security_rule(p.rule, estate);
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

} // namespace

Result<std::string> harden_arm(const harden::HardenPlan& plan, const model::Estate& estate) {
    if (Result<bool> whole = whole_nics_not_needed(plan); !whole)
        return whole.error();
    return fix_arm(harden_deployables(plan, estate));
}

Result<std::string> harden_bicep(const harden::HardenPlan& plan, const model::Estate& estate) {
    if (Result<bool> whole = whole_nics_not_needed(plan); !whole)
        return whole.error();
    return fix_bicep(harden_deployables(plan, estate));
}

std::string harden_terraform(const harden::HardenPlan& plan, const model::Estate& estate) {
    std::vector<TerraformMembership> memberships;
    for (const harden::ProposedAsg& asg : plan.asgs)
        for (const auto& member : asg.members) {
            const std::string& nic = member.first; // a name a lambda can capture (clang 14)
            if (std::none_of(memberships.begin(), memberships.end(), [&](const TerraformMembership& m) {
                    return ascii::iequals(m.nic_id, nic) && ascii::iequals(m.group_id, asg.id);
                }))
                memberships.push_back({nic, asg.id});
        }
    return fix_terraform(harden_deployables(plan, estate), memberships);
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
            configs.emplace(ascii::lower(nic) + "/ipconfigurations/" + ascii::lower(config),
                            std::pair{nic, config});
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
                groups += " " + shell_quote(estate.application_security_groups[g].id);
            out +=
                fmt::format("\n# {} {} joins its groups\naz network nic ip-config update --ids {} --asgs{}\n",
                            model::parse_resource_id(member.first).name, member.second,
                            shell_quote(member.first + "/ipConfigurations/" + member.second), groups);
        }
    }
    return out;
}

} // namespace ztnet::report
