// Dynamic private addresses. A template that lets Azure choose a NIC's address (nearly every one)
// cannot say which address the NIC gets: only that it is a free address of its subnet. When every
// rule and route of the estate treats all of the subnet's free addresses alike, any of them gives the
// same verdicts, so one stands in for the NIC and every answer about it is exact. When some rule or
// route covers only part of them, the verdicts may depend on the address Azure picks: the free
// addresses are cut into the pieces the conditions treat alike, and the NIC gets one candidate
// address per piece. The analyses then answer for every candidate at once: exact where the
// candidates agree, undecidable where they differ.
#include "ztnet/load/dynamic_addresses.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/net/address_range.h"
#include "ztnet/net/address_set.h"
#include "ztnet/net/prefix.h"

namespace ztnet::load {
namespace {

using model::Index;
using model::kNone;

// An address, prefix or range as written in a rule, route or pool; nothing for tags and "*".
std::optional<net::AddressSet> address_text(const std::string& text) {
    if (auto prefix = net::Prefix::parse(text))
        return net::AddressSet::from(*prefix);
    if (auto range = net::AddressRange::parse(text))
        return net::AddressSet::from(*range);
    return std::nullopt;
}

// Every address condition of the estate that could tell two addresses of one subnet apart, with
// where it is written. Service tags and VNet address spaces hold whole subnets, so they never do.
struct Condition {
    net::AddressSet addresses;
    std::string text; // for people: "nsg-web rule AllowAdmin source 10.0.1.10"
};

std::vector<Condition> address_conditions(const model::Estate& estate) {
    std::vector<Condition> out;
    auto add = [&](const std::string& text, const std::string& label) {
        if (auto set = address_text(text))
            out.push_back({std::move(*set), label + " " + text});
    };
    for (const model::NetworkSecurityGroup& nsg : estate.network_security_groups)
        for (const model::SecurityRule& rule : nsg.rules)
            for (const model::RuleEndpoint* side : {&rule.source, &rule.destination})
                for (const model::AddressEntry& entry : side->addresses)
                    if (entry.kind == model::AddressEntry::Kind::Prefix)
                        out.push_back({net::AddressSet::from(entry.prefix),
                                       fmt::format("NSG {} rule {} {}", nsg.name, rule.name, entry.text())});
    for (const model::RouteTable& table : estate.route_tables)
        for (const model::Route& route : table.routes)
            add(route.address_prefix, fmt::format("route table {} route {}", table.name, route.name));
    auto add_firewall_rules = [&](const std::vector<model::FirewallRuleCollection>& collections,
                                  const std::string& owner) {
        for (const model::FirewallRuleCollection& collection : collections)
            for (const model::FirewallRule& rule : collection.rules) {
                std::string label = fmt::format("firewall {} rule {}", owner, rule.name);
                for (const std::string& a : rule.source_addresses)
                    add(a, label);
                for (const std::string& a : rule.destination_addresses)
                    add(a, label);
                add(rule.translated_address, label);
            }
    };
    for (const model::AzureFirewall& firewall : estate.azure_firewalls)
        add_firewall_rules(firewall.classic_collections, firewall.name);
    for (const model::FirewallPolicy& policy : estate.firewall_policies)
        for (const model::FirewallRuleCollectionGroup& group : policy.rule_collection_groups)
            add_firewall_rules(group.collections, policy.name);
    for (const model::IpGroup& group : estate.ip_groups)
        for (const std::string& a : group.ip_addresses)
            add(a, fmt::format("IP group {}", group.name));
    for (const model::ApplicationGateway& gateway : estate.application_gateways)
        for (const auto& pool : gateway.backend_pool_addresses)
            for (const std::string& a : pool)
                add(a, fmt::format("App Gateway {} backend pool", gateway.name));
    return out;
}

// Addresses of a subnet that something holds already: static NIC addresses, frontends, the firewall,
// private endpoints.
net::AddressSet taken_addresses(const model::Estate& estate) {
    net::AddressSet taken;
    for (const model::NetworkInterface& nic : estate.network_interfaces)
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (config.private_ip)
                taken.insert(*config.private_ip);
    auto frontends = [&](const std::vector<model::Frontend>& list) {
        for (const model::Frontend& f : list)
            if (f.private_ip)
                taken.insert(*f.private_ip);
    };
    for (const model::LoadBalancer& lb : estate.load_balancers)
        frontends(lb.frontends);
    for (const model::ApplicationGateway& gateway : estate.application_gateways)
        frontends(gateway.frontends);
    for (const model::AzureFirewall& firewall : estate.azure_firewalls)
        if (firewall.private_ip)
            taken.insert(*firewall.private_ip);
    for (const model::PrivateEndpoint& endpoint : estate.private_endpoints)
        for (const net::Address& a : endpoint.private_ips)
            taken.insert(a);
    return taken;
}

// The addresses Azure may hand out in a subnet: all but the network address, the three it reserves
// after it, and (IPv4) the broadcast address.
net::AddressSet assignable(const net::Prefix& prefix) {
    net::AddressSet all = net::AddressSet::from(prefix);
    net::u128 first = prefix.first().value();
    net::u128 last = prefix.last().value();
    if (last - first < 5)
        return {};
    net::AddressSet reserved;
    for (net::u128 v = first; v < first + 4; ++v)
        reserved.insert(net::Address::from_value(prefix.family(), v));
    if (prefix.family() == net::Family::V4)
        reserved.insert(prefix.last());
    return all.subtract(reserved);
}

// An address Azure picks: a NIC's IP configuration, or a private endpoint's (nic is then kNone).
struct DynamicConfig {
    model::NicIndex nic = kNone;
    Index config = 0; // the NIC's ip configuration
    model::PrivateEndpointIndex private_endpoint = kNone;
};

const SourceLocation& where(const model::Estate& estate, const DynamicConfig& d) {
    return d.nic != kNone ? estate.network_interfaces[d.nic].where
                          : estate.private_endpoints[d.private_endpoint].where;
}

// "2 network interface(s)", "1 private endpoint(s)", or both: what gets its address when deployed.
std::string counted(const std::vector<DynamicConfig>& configs) {
    const auto endpoints = static_cast<std::size_t>(
        std::count_if(configs.begin(), configs.end(), [](const DynamicConfig& d) { return d.nic == kNone; }));
    const std::size_t nics = configs.size() - endpoints;
    if (endpoints == 0)
        return fmt::format("{} network interface(s)", nics);
    if (nics == 0)
        return fmt::format("{} private endpoint(s)", endpoints);
    return fmt::format("{} network interface(s) and {} private endpoint(s)", nics, endpoints);
}

// Records why the address of `d` cannot be told.
void undecidable(model::Estate& estate, const DynamicConfig& d, std::string why) {
    if (d.nic != kNone)
        estate.network_interfaces[d.nic].ip_configurations[d.config].address_undecidable = std::move(why);
    else
        estate.private_endpoints[d.private_endpoint].address_undecidable = std::move(why);
}

// A NIC with candidates is evaluated once per candidate (per pair of candidates between two such
// NICs), so their number is bounded; a subnet cut into more pieces keeps its NICs undecidable.
constexpr std::size_t kMaxCandidates = 16;

// Every rule and route treats the free addresses alike: the first ones stand in, one per NIC.
void stand_in(model::Estate& estate, model::SubnetIndex subnet, const std::vector<DynamicConfig>& configs,
              const net::AddressSet& free, Diagnostics& diagnostics) {
    const model::Subnet& s = estate.subnets[subnet];
    net::AddressSet left = free;
    for (const DynamicConfig& d : configs) {
        auto address = left.first();
        if (!address) {
            undecidable(estate, d, fmt::format("subnet {} has no free address left", s.name));
            continue;
        }
        if (d.nic != kNone) {
            model::IpConfiguration& config = estate.network_interfaces[d.nic].ip_configurations[d.config];
            config.private_ip = *address;
            config.address_stand_in = true;
        } else {
            model::PrivateEndpoint& pe = estate.private_endpoints[d.private_endpoint];
            pe.private_ips.push_back(*address);
            pe.address_stand_in = true;
        }
        left = left.subtract(net::AddressSet::from(*address));
    }
    diagnostics.note(
        "dynamic-address",
        fmt::format("{} in subnet {} get their address when deployed; every rule and route treats the "
                    "subnet's free addresses alike, so {} stand(s) in for them and the verdicts are exact",
                    counted(configs), s.name, free.subtract(left).to_string()),
        where(estate, configs.front()));
}

// Each NIC gets one address of each piece, distinct from every other NIC's, so that a condition on
// one NIC's addresses (an ASG it belongs to) never holds another's. A piece too small for every NIC
// leaves the NICs it cannot serve undecidable: they could be given none of its addresses, or one.
void give_candidates(model::Estate& estate, model::SubnetIndex subnet,
                     const std::vector<DynamicConfig>& configs, std::vector<net::AddressSet> pieces,
                     const Condition& example, Diagnostics& diagnostics) {
    const model::Subnet& s = estate.subnets[subnet];
    const std::string reason =
        fmt::format("{} covers only some of the free addresses of subnet {}", example.text, s.name);
    std::size_t given = 0;
    std::size_t endpoints =
        0; // private endpoints: analyses follow one address each, so none is given candidates
    for (const DynamicConfig& d : configs) {
        if (d.nic == kNone) {
            undecidable(estate, d, reason);
            ++endpoints;
            continue;
        }
        model::IpConfiguration& config = estate.network_interfaces[d.nic].ip_configurations[d.config];
        std::vector<net::Address> candidates;
        for (const net::AddressSet& piece : pieces)
            if (auto address = piece.first())
                candidates.push_back(*address);
        if (candidates.size() < pieces.size()) {
            config.address_undecidable =
                fmt::format("{}, and one of its pieces has too few addresses to stand for every network "
                            "interface there",
                            reason);
            continue;
        }
        for (std::size_t i = 0; i < pieces.size(); ++i)
            pieces[i] = pieces[i].subtract(net::AddressSet::from(candidates[i]));
        config.candidate_ips = std::move(candidates);
        config.candidates_reason = reason;
        ++given;
    }
    if (endpoints > 0)
        diagnostics.add(
            {Severity::Warning,
             "dynamic-address-undecidable",
             fmt::format("{} private endpoint(s) in subnet {} get their address when deployed, and "
                         "{}: they are left out of reachability",
                         endpoints, s.name, reason),
             where(estate, configs.front()),
             {}});
    if (given + endpoints < configs.size())
        diagnostics.add({Severity::Warning,
                         "dynamic-address-undecidable",
                         fmt::format("{} of {} network interface(s) in subnet {} get their address when "
                                     "deployed, and a piece of the free addresses that rules treat alike is "
                                     "too small to stand for each: verdicts about them are undecidable",
                                     configs.size() - given - endpoints, configs.size() - endpoints, s.name),
                         where(estate, configs.front()),
                         {}});
    if (given == 0)
        return;
    diagnostics.note("dynamic-address-candidates",
                     fmt::format("{} network interface(s) in subnet {} get their address when deployed, "
                                 "and {}: each is followed at {} candidate addresses, one per piece the "
                                 "rules and routes treat alike; a verdict is exact where the candidates "
                                 "agree and undecidable where they differ",
                                 given, s.name, reason, pieces.size()),
                     where(estate, configs.front()));
}

void assign_in_subnet(model::Estate& estate, model::SubnetIndex subnet,
                      const std::vector<DynamicConfig>& configs, const net::AddressSet& taken,
                      const std::vector<Condition>& conditions, Diagnostics& diagnostics) {
    const model::Subnet& s = estate.subnets[subnet];
    auto fail_all = [&](const std::string& why) {
        for (const DynamicConfig& d : configs)
            undecidable(estate, d, why);
        Diagnostic diagnostic{
            Severity::Warning,
            "dynamic-address-undecidable",
            fmt::format("{} in subnet {} get their address when deployed, and {}: verdicts about them "
                        "are undecidable",
                        counted(configs), s.name, why),
            where(estate, configs.front()),
            {}};
        diagnostics.add(std::move(diagnostic));
    };
    if (s.address_prefixes.empty())
        return fail_all("the subnet's address prefix is unknown");
    // IPv4 configurations take the subnet's IPv4 prefix (the first one, as Azure does).
    const net::Prefix* prefix = nullptr;
    for (const net::Prefix& p : s.address_prefixes)
        if (p.family() == net::Family::V4) {
            prefix = &p;
            break;
        }
    if (prefix == nullptr)
        return fail_all("the subnet has no IPv4 prefix");
    net::AddressSet free = assignable(*prefix).subtract(taken);
    if (free.empty())
        return fail_all("the subnet has no free address left");
    std::vector<const Condition*> splitting;
    for (const Condition& condition : conditions) {
        if (free.overlaps(condition.addresses) && !condition.addresses.contains(free))
            splitting.push_back(&condition);
    }
    if (splitting.empty())
        return stand_in(estate, subnet, configs, free, diagnostics);
    std::vector<const net::AddressSet*> sets;
    sets.reserve(splitting.size());
    for (const Condition* condition : splitting)
        sets.push_back(&condition->addresses);
    std::vector<net::AddressSet> pieces = net::cut_into_pieces(free, sets, kMaxCandidates);
    if (pieces.size() > kMaxCandidates)
        return fail_all(fmt::format("its free addresses fall into more than {} pieces that rules and "
                                    "routes treat differently",
                                    kMaxCandidates));
    give_candidates(estate, subnet, configs, std::move(pieces), *splitting.front(), diagnostics);
}

} // namespace

void assign_dynamic_addresses(model::Estate& estate, Diagnostics& diagnostics) {
    std::vector<std::vector<DynamicConfig>> by_subnet(estate.subnets.size());
    bool any = false;
    for (model::NicIndex n : estate.network_interfaces.indices()) {
        model::NetworkInterface& nic = estate.network_interfaces[n];
        for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
            model::IpConfiguration& config = nic.ip_configurations[c];
            if (config.private_ip || config.private_ip_version != model::IpVersion::IPv4)
                continue;
            if (config.subnet == kNone) {
                config.address_undecidable = "its subnet is not in the input";
                continue;
            }
            by_subnet[config.subnet.value()].push_back({n, c, kNone});
            any = true;
        }
    }
    // A private endpoint whose address the input does not give (no static IP configuration, no
    // customDnsConfigs) gets one the same way when deployed.
    for (model::PrivateEndpointIndex p : estate.private_endpoints.indices()) {
        const model::PrivateEndpoint& pe = estate.private_endpoints[p];
        if (!pe.private_ips.empty() || pe.subnet == kNone)
            continue;
        by_subnet[pe.subnet.value()].push_back({kNone, 0, p});
        any = true;
    }
    if (!any)
        return;
    std::vector<Condition> conditions = address_conditions(estate);
    net::AddressSet taken = taken_addresses(estate);
    for (model::SubnetIndex s : estate.subnets.indices())
        if (!by_subnet[s.value()].empty())
            assign_in_subnet(estate, s, by_subnet[s.value()], taken, conditions, diagnostics);
}

} // namespace ztnet::load
