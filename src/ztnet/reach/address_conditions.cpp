#include "ztnet/reach/address_conditions.h"

#include <algorithm>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/admin_rules.h"
#include "ztnet/route/effective_routes.h"
#include "ztnet/route/firewall.h"

namespace ztnet::reach {
namespace {

using model::Index;
using model::kNone;

// The VNets each NSG is compiled in: those of the subnets and NICs it is associated with.
std::vector<std::pair<model::NsgIndex, model::VnetIndex>> nsg_placements(const model::Estate& estate) {
    std::set<std::pair<model::NsgIndex, model::VnetIndex>> placements;
    for (const model::Subnet& subnet : estate.subnets) {
        if (subnet.network_security_group != kNone)
            placements.insert({subnet.network_security_group, subnet.virtual_network});
    }
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        if (nic.network_security_group == kNone)
            continue;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (config.subnet != kNone)
                placements.insert(
                    {nic.network_security_group, estate.subnets[config.subnet].virtual_network});
        }
    }
    return {placements.begin(), placements.end()};
}

void add_entries(const policy::ServiceTags& tags, const std::vector<std::string>& entries,
                 std::vector<net::AddressSet>& out) {
    for (const std::string& entry : entries) {
        if (auto set = route::firewall_entry_addresses(entry, tags))
            out.push_back(std::move(*set));
    }
}

void add_ip_groups(const model::Estate& estate, const policy::ServiceTags& tags,
                   const std::vector<std::string>& ids, std::vector<net::AddressSet>& out) {
    for (const std::string& id : ids) {
        std::optional<model::ResourceRef> ref = estate.find(id);
        if (ref && ref->kind == model::ResourceKind::IpGroup)
            add_entries(tags, estate.ip_groups[ref->index].ip_addresses, out);
    }
}

} // namespace

std::vector<net::AddressSet> firewall_address_sets(const model::Estate& estate, model::FirewallIndex firewall,
                                                   const policy::ServiceTags& tags) {
    std::vector<net::AddressSet> out;
    for (const model::FirewallRule* rule : route::firewall_rules(estate, firewall)) {
        add_entries(tags, rule->source_addresses, out);
        add_entries(tags, rule->destination_addresses, out);
        add_ip_groups(estate, tags, rule->source_ip_groups, out);
        add_ip_groups(estate, tags, rule->destination_ip_groups, out);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void AddressConditions::add(net::AddressSet set) {
    if (!set.empty() && !set.full())
        sets_.insert(std::move(set));
}

std::vector<const net::AddressSet*> AddressConditions::sets() const {
    std::vector<const net::AddressSet*> out;
    out.reserve(sets_.size());
    for (const net::AddressSet& set : sets_)
        out.push_back(&set);
    return out;
}

AddressConditions collect_address_conditions(const policy::PolicyEngine& engine, Diagnostics& diagnostics) {
    const model::Estate& estate = engine.estate();
    AddressConditions out;
    for (auto [nsg, vnet] : nsg_placements(estate)) {
        const policy::CompiledNsg& compiled = engine.nsg(nsg, vnet);
        for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound}) {
            for (const policy::ResolvedRule& rule : compiled.rules(direction)) {
                out.add(rule.sources);
                out.add(rule.destinations);
                if (rule.uncertain()) { // the known part of an unknown side splits endpoints too
                    out.add(rule.narrowest->sources);
                    out.add(rule.narrowest->destinations);
                }
            }
        }
    }
    for (model::VnetIndex v : estate.virtual_networks.indices()) {
        const policy::AdminRules* admin = engine.admin_rules(v);
        if (!admin)
            continue;
        for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound}) {
            for (const policy::AdminRules::Entry& entry : admin->rules(direction)) {
                out.add(entry.resolved.sources);
                out.add(entry.resolved.destinations);
                if (entry.resolved.uncertain()) {
                    out.add(entry.resolved.narrowest->sources);
                    out.add(entry.resolved.narrowest->destinations);
                }
            }
        }
    }
    for (model::SubnetIndex s : estate.subnets.indices()) {
        route::RouteTableView view = route::effective_routes(estate, s, engine.tags(), diagnostics);
        for (const route::EffectiveRoute& r : view.routes)
            out.add(net::AddressSet::from(r.prefix));
    }
    // Where traffic from on-premises enters (route::enter_from_outside) depends on these.
    for (const model::VirtualNetworkGateway& gateway : estate.virtual_network_gateways)
        for (const net::Prefix& prefix : gateway.on_premises_prefixes)
            out.add(net::AddressSet::from(prefix));
    for (const model::Subnet& subnet : estate.subnets)
        for (const net::Prefix& prefix : subnet.learned_prefixes)
            out.add(net::AddressSet::from(prefix));
    for (model::FirewallIndex f : estate.azure_firewalls.indices()) {
        for (net::AddressSet& set : firewall_address_sets(estate, f, engine.tags()))
            out.add(std::move(set));
    }
    return out;
}

} // namespace ztnet::reach
