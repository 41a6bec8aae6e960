// Naming endpoints, and the crown jewels: what the policy names, or by default the intent's data
// tier (or, without an intent, the subnets and ASGs named as one), the private endpoints (storage,
// Key Vault, SQL and every other PaaS service behind one) and SQL virtual machines by name.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ztnet/exposure/endpoints.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/paths/paths.h"
#include "ztnet/support/ascii.h"

namespace ztnet::paths {

using reach::ReachEndpoint;
using EndpointKind = ReachEndpoint::Kind;

namespace {

// The names an endpoint answers to, besides its own: its NIC, VM, subnet (alone and within its
// VNet), ASGs, load balancer, App Gateway, private endpoint and the PaaS services behind that.
std::vector<std::string> names_of(const model::Estate& estate, const ReachEndpoint& e) {
    std::vector<std::string> out{e.name};
    const route::Endpoint& at = e.endpoint;
    if (const model::Resource* resource = exposure::endpoint_resource(estate, e))
        out.push_back(resource->name);
    if (at.subnet != model::kNone) {
        out.push_back(estate.subnets[at.subnet].name);
        out.push_back(exposure::subnet_label(estate, at.subnet));
    }
    if (e.kind == EndpointKind::Nic) {
        const model::NetworkInterface& nic = estate.network_interfaces[at.nic];
        out.push_back(nic.name);
        for (model::AsgIndex asg : nic.ip_configurations[at.ip_configuration].application_security_groups)
            out.push_back(estate.application_security_groups[asg].name);
    }
    if (e.kind == EndpointKind::PrivateEndpoint) {
        for (const std::string& id : estate.private_endpoints[at.private_endpoint].target_resource_ids)
            out.push_back(model::parse_resource_id(id).name);
    }
    return out;
}

bool answers_to(const model::Estate& estate, const ReachEndpoint& e, std::string_view name) {
    const auto names = names_of(estate, e);
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& n) { return ascii::iequals(n, name); });
}

// A name that says "data tier": one of its words (split at '-', '_', '.', ' ') is data, db,
// database or sql.
bool names_data_tier(std::string_view name) {
    static constexpr std::string_view kWords[] = {"data", "db", "database", "sql"};
    std::string lower = ascii::lower(name);
    std::size_t start = 0;
    while (start <= lower.size()) {
        std::size_t end = lower.find_first_of("-_. ", start);
        if (end == std::string::npos)
            end = lower.size();
        std::string_view word(lower.data() + start, end - start);
        if (std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords))
            return true;
        start = end + 1;
    }
    return false;
}

std::string kind_of(const model::Estate& estate, const reach::Reachability& reach, std::string_view name,
                    const std::vector<std::uint32_t>& endpoints) {
    const ReachEndpoint& e = reach.endpoints().endpoints[endpoints.front()];
    if (e.kind == EndpointKind::Internet)
        return ascii::iequals(name, "internet") ? "the Internet" : "service tag";
    if (const model::Resource* resource = exposure::endpoint_resource(estate, e);
        resource && ascii::iequals(resource->name, name))
        return resource->type;
    return "endpoints";
}

} // namespace

std::vector<std::uint32_t> endpoints_named(const analysis::Analysis& analysis, std::string_view name) {
    const reach::Reachability& reach = *analysis.reachability();
    const auto& endpoints = reach.endpoints().endpoints;
    std::vector<std::uint32_t> out;
    if (const model::Intent* intent = analysis.intent(); intent && analysis.intent_check()) {
        for (std::size_t g = 0; g < intent->groups.size(); ++g) {
            if (ascii::iequals(intent->groups[g].name, name)) {
                out = analysis.intent_check()->members(g);
                std::sort(out.begin(), out.end());
                return out;
            }
        }
    }
    const bool internet = ascii::iequals(name, "internet");
    const net::AddressSet* tag = internet ? nullptr : analysis.tags().find(name);
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        const ReachEndpoint& e = endpoints[i];
        if (e.kind == EndpointKind::Internet) {
            if (internet || (tag && e.addresses.subtract(*tag).empty()))
                out.push_back(i);
        } else if (answers_to(analysis.estate(), e, name)) {
            out.push_back(i);
        }
    }
    return out;
}

Result<std::vector<CrownJewel>> crown_jewels(const analysis::Analysis& analysis,
                                             const model::AttackPolicy& policy,
                                             const std::vector<std::string>& names) {
    const model::Estate& estate = analysis.estate();
    const reach::Reachability& reach = *analysis.reachability();
    const auto& endpoints = reach.endpoints().endpoints;
    std::vector<CrownJewel> out;
    const std::vector<std::string>& wanted = names.empty() ? policy.crown_jewels : names;
    for (const std::string& name : wanted) {
        std::vector<std::uint32_t> members = endpoints_named(analysis, name);
        if (members.empty())
            return fail_with(
                "paths-unknown-name",
                fmt::format("crown jewel '{}' names no endpoint: expected an intent group, a VM, "
                            "NIC, subnet, ASG, load balancer, App Gateway, private endpoint, PaaS "
                            "service or a service tag that a rule names",
                            name));
        std::string kind = kind_of(estate, reach, name, members);
        if (analysis.intent())
            for (const model::IntentGroup& g : analysis.intent()->groups)
                if (ascii::iequals(g.name, name))
                    kind = "intent group";
        out.push_back({name, std::move(kind), names.empty() ? "named in the attack policy" : "named by --to",
                       std::move(members)});
    }
    if (!wanted.empty())
        return out;
    // The defaults. The data tier: the intent's groups named so, else subnets and ASGs named so.
    std::set<std::string> tiers;
    if (const model::Intent* intent = analysis.intent(); intent && analysis.intent_check()) {
        for (std::size_t g = 0; g < intent->groups.size(); ++g) {
            if (!names_data_tier(intent->groups[g].name) || analysis.intent_check()->members(g).empty())
                continue;
            std::vector<std::uint32_t> members = analysis.intent_check()->members(g);
            std::sort(members.begin(), members.end());
            out.push_back(
                {intent->groups[g].name, "intent group", "the intent's data tier", std::move(members)});
            tiers.insert(intent->groups[g].name);
        }
    }
    if (tiers.empty()) {
        std::set<std::string> named;
        for (const model::Subnet& subnet : estate.subnets)
            if (names_data_tier(subnet.name))
                named.insert(subnet.name);
        for (const model::ApplicationSecurityGroup& asg : estate.application_security_groups)
            if (names_data_tier(asg.name))
                named.insert(asg.name);
        for (const std::string& name : named) {
            std::vector<std::uint32_t> members;
            for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
                if (endpoints[i].kind == EndpointKind::Nic && answers_to(estate, endpoints[i], name))
                    members.push_back(i);
            }
            if (!members.empty())
                out.push_back(
                    {name, "data tier", "a subnet or ASG named as the data tier", std::move(members)});
        }
    }
    // Every private endpoint: it fronts a storage account, a Key Vault, a database.
    for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].kind != EndpointKind::PrivateEndpoint)
            continue;
        const model::PrivateEndpoint& pe = estate.private_endpoints[endpoints[i].endpoint.private_endpoint];
        std::string name = pe.name;
        if (!pe.target_resource_ids.empty())
            name = model::parse_resource_id(pe.target_resource_ids.front()).name + " (" + pe.name + ")";
        auto same = std::find_if(out.begin(), out.end(), [&](const CrownJewel& j) { return j.name == name; });
        if (same != out.end())
            same->endpoints.push_back(i);
        else
            out.push_back({name, "private endpoint", "a PaaS service's private endpoint", {i}});
    }
    return out;
}

} // namespace ztnet::paths
