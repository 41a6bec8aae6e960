// Endpoint enumeration and equivalence classes.
//
// Two addresses are alike when every address condition of the estate (each NSG rule's source and
// destination, each route prefix, each firewall rule address) holds for both or for neither. The
// classes of the endpoint addresses come from partition refinement: start with one block, split it
// by each distinct address set in turn. The Internet, which stands for many addresses, is cut the
// same way into pieces that are address sets themselves.
#include "ztnet/reach/endpoints.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/reach/address_conditions.h"
#include "ztnet/route/outbound.h"
#include "ztnet/route/private_endpoints.h"

namespace ztnet::reach {
namespace {

// An endpoint that stands for a piece of the addresses outside every VNet (the Internet's, or
// on-premises), rather than one address.
bool is_piece(ReachEndpoint::Kind kind) {
    return kind == ReachEndpoint::Kind::Internet || kind == ReachEndpoint::Kind::OnPremises;
}

using model::Index;
using model::kNone;

// Refines a class numbering of sorted points by one address set: points inside move to a new class
// per old class; classes are compacted afterwards by the caller.
class PointPartition {
  public:
    explicit PointPartition(std::vector<net::Address> points) : points_(std::move(points)) {
        std::sort(points_.begin(), points_.end());
        points_.erase(std::unique(points_.begin(), points_.end()), points_.end());
        class_of_.assign(points_.size(), 0);
        next_class_ = 1;
    }

    void refine(const net::AddressSet& set) {
        std::unordered_map<std::uint32_t, std::uint32_t> moved; // old class -> new class
        for (net::Family family : {net::Family::V4, net::Family::V6}) {
            for (const auto& iv : set.of(family).intervals()) {
                auto first =
                    std::lower_bound(points_.begin(), points_.end(), net::Address::from_value(family, iv.lo));
                for (auto it = first; it != points_.end() && it->family() == family && it->value() <= iv.hi;
                     ++it) {
                    std::uint32_t& c = class_of_[static_cast<std::size_t>(it - points_.begin())];
                    auto [entry, inserted] = moved.try_emplace(c, next_class_);
                    if (inserted)
                        ++next_class_;
                    c = entry->second;
                }
            }
        }
    }

    /// The class of a point (which must be one of the points), compacted to 0..n-1 on first call.
    std::uint32_t class_of(net::Address address) {
        if (!compacted_)
            compact();
        auto it = std::lower_bound(points_.begin(), points_.end(), address);
        return class_of_[static_cast<std::size_t>(it - points_.begin())];
    }
    std::uint32_t count() {
        if (!compacted_)
            compact();
        return next_class_;
    }

  private:
    void compact() {
        std::unordered_map<std::uint32_t, std::uint32_t> renumber;
        for (std::uint32_t& c : class_of_) {
            auto [it, inserted] = renumber.try_emplace(c, static_cast<std::uint32_t>(renumber.size()));
            c = it->second;
        }
        next_class_ = static_cast<std::uint32_t>(renumber.size());
        compacted_ = true;
    }

    std::vector<net::Address> points_;
    std::vector<std::uint32_t> class_of_;
    std::uint32_t next_class_ = 0;
    bool compacted_ = false;
};

std::string nic_name(const model::Estate& estate, model::NicIndex nic, Index config) {
    const model::NetworkInterface& n = estate.network_interfaces[nic];
    std::string base = n.virtual_machine != kNone ? estate.virtual_machines[n.virtual_machine].name : n.name;
    if (n.ip_configurations.size() > 1)
        base += "/" + n.ip_configurations[config].name;
    return base;
}

class Enumerator {
  public:
    Enumerator(const policy::PolicyEngine& engine, Diagnostics& diagnostics)
        : engine_(engine), estate_(engine.estate()), diagnostics_(diagnostics) {}

    EndpointSet run(std::vector<net::AddressSet> extra_conditions) {
        add_nics();
        add_gateways_and_balancers();
        add_bastions();
        add_private_endpoints();
        AddressConditions conditions = collect_address_conditions(engine_, diagnostics_);
        for (net::AddressSet& set : extra_conditions)
            conditions.add(std::move(set));
        add_outside(conditions);
        classify(conditions);
        return std::move(out_);
    }

  private:
    void add_nics() {
        for (model::NicIndex n : estate_.network_interfaces.indices()) {
            const auto& nic = estate_.network_interfaces[n];
            if (!nic.private_endpoint.empty())
                continue; // a private endpoint's NIC: the endpoint stands for it (add_private_endpoints)
            for (Index c = 0; c < nic.ip_configurations.size(); ++c) {
                const auto& config = nic.ip_configurations[c];
                if (config.subnet == kNone) {
                    if (!config.address_undecidable.empty())
                        diagnostics_.warning(
                            "reach-address-unknown",
                            fmt::format("{}network interface {}: {}; it is left out of reachability",
                                        route::kUndecidableEndpoint, nic.name, config.address_undecidable),
                            nic.where);
                    continue;
                }
                auto endpoint = route::nic_endpoint(estate_, n, c, nic_name(estate_, n, c));
                if (!endpoint) {
                    diagnostics_.warning(
                        "reach-address-unknown",
                        fmt::format("{}; it is left out of reachability", endpoint.error().message),
                        nic.where);
                    continue;
                }
                if (config.public_ip != kNone)
                    endpoint->public_ip = config.public_ip;
                if (endpoint->alternatives.empty())
                    add(ReachEndpoint::Kind::Nic, nic_name(estate_, n, c), std::move(*endpoint));
                else
                    add_with_candidates(nic_name(estate_, n, c), std::move(*endpoint));
            }
        }
    }

    void add_gateways_and_balancers() {
        for (model::AppGatewayIndex g : estate_.application_gateways.indices()) {
            auto endpoint = route::app_gateway_endpoint(estate_, g);
            if (!endpoint) {
                diagnostics_.warning(
                    "reach-address-unknown",
                    fmt::format("{}; it is left out of reachability", endpoint.error().message),
                    estate_.application_gateways[g].where);
                continue;
            }
            add(ReachEndpoint::Kind::ApplicationGateway, estate_.application_gateways[g].name,
                std::move(*endpoint));
        }
        for (model::LoadBalancerIndex l : estate_.load_balancers.indices()) {
            auto endpoint = route::load_balancer_endpoint(estate_, l);
            if (!endpoint) {
                diagnostics_.warning(
                    "reach-address-unknown",
                    fmt::format("{}; it is left out of reachability", endpoint.error().message),
                    estate_.load_balancers[l].where);
                continue;
            }
            add(ReachEndpoint::Kind::LoadBalancer, estate_.load_balancers[l].name, std::move(*endpoint));
        }
    }

    // A Bastion host's instances sit in AzureBastionSubnet; like an App Gateway's, they are
    // represented by the subnet's first usable address.
    void add_bastions() {
        for (model::BastionIndex b : estate_.bastion_hosts.indices()) {
            const model::BastionHost& bastion = estate_.bastion_hosts[b];
            if (bastion.subnet == kNone || estate_.subnets[bastion.subnet].address_prefixes.empty())
                continue;
            const model::Subnet& subnet = estate_.subnets[bastion.subnet];
            const net::Prefix& p = subnet.address_prefixes[0];
            route::Endpoint e;
            e.kind = route::Endpoint::Kind::SubnetAddress;
            e.subnet = bastion.subnet;
            e.public_ip = bastion.public_ip;
            e.address = net::Address::from_value(p.family(), p.network().value() + 4);
            e.label =
                fmt::format("bastion {} ({}, subnet {})", bastion.name, e.address.to_string(), subnet.name);
            e.representative = fmt::format("an instance address of subnet {}", subnet.name);
            add(ReachEndpoint::Kind::Bastion, bastion.name, std::move(e));
        }
    }

    // Each private endpoint at its address: a destination only (it never opens a connection).
    void add_private_endpoints() {
        for (model::PrivateEndpointIndex p : estate_.private_endpoints.indices()) {
            auto endpoint = route::private_endpoint_endpoint(estate_, p);
            if (!endpoint) {
                diagnostics_.warning(
                    "reach-address-unknown",
                    fmt::format("{}; it is left out of reachability", endpoint.error().message),
                    estate_.private_endpoints[p].where);
                continue;
            }
            add(ReachEndpoint::Kind::PrivateEndpoint, estate_.private_endpoints[p].name,
                std::move(*endpoint));
        }
    }

    // The Internet, cut into pieces that every condition treats alike, and the platform address.
    void add_outside(const AddressConditions& conditions) {
        // The platform address is an endpoint of its own (health probes, DNS), not the Internet; so
        // are the on-premises prefixes the gateways reach.
        const net::AddressSet on_premises = on_premises_addresses();
        net::AddressSet internet = policy::internet_addresses()
                                       .subtract(net::AddressSet::from(policy::azure_platform_address()))
                                       .subtract(on_premises);
        std::vector<net::AddressSet> pieces = net::cut_into_pieces(internet, conditions.sets());
        // The largest piece is what "the Internet" means to every rule; smaller pieces are the
        // addresses some rule or route names.
        std::size_t largest = 0;
        std::size_t largest_v6 = pieces.size(); // the largest piece with IPv6 addresses only
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (pieces[i].v4().size() > pieces[largest].v4().size())
                largest = i;
            if (pieces[i].v4().empty() &&
                (largest_v6 == pieces.size() || pieces[i].v6().size() > pieces[largest_v6].v6().size()))
                largest_v6 = i;
        }
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const net::AddressSet& piece = pieces[i];
            route::Endpoint e;
            e.kind = route::Endpoint::Kind::External;
            e.address = *piece.first();
            e.label = i == largest      ? std::string("Internet")
                      : i == largest_v6 ? std::string("Internet (IPv6)")
                                        : fmt::format("Internet {}", abbreviate(piece));
            e.representative =
                "an Internet address that every rule and route treats like the rest of the piece";
            std::string name = e.label;
            add(ReachEndpoint::Kind::Internet, std::move(name), std::move(e), piece);
        }
        for (net::AddressSet& piece : on_premises.empty()
                                          ? std::vector<net::AddressSet>{}
                                          : net::cut_into_pieces(on_premises, conditions.sets())) {
            route::Endpoint e;
            e.kind = route::Endpoint::Kind::External;
            e.address = *piece.first();
            e.label = "on-premises " + abbreviate(piece);
            e.representative =
                "an on-premises address that every rule and route treats like the rest of the piece";
            std::string name = e.label;
            add(ReachEndpoint::Kind::OnPremises, std::move(name), std::move(e), std::move(piece));
        }
        route::Endpoint platform;
        platform.kind = route::Endpoint::Kind::External;
        platform.address = policy::azure_platform_address();
        platform.label = "AzureLoadBalancer (the platform's health probes)";
        add(ReachEndpoint::Kind::Platform, "AzureLoadBalancer", std::move(platform));
    }

    // The on-premises prefixes of the gateways and what BGP taught the subnets (--routes), outside
    // every VNet's address space.
    net::AddressSet on_premises_addresses() const {
        std::vector<net::Prefix> prefixes;
        for (const model::VirtualNetworkGateway& gateway : estate_.virtual_network_gateways)
            prefixes.insert(prefixes.end(), gateway.on_premises_prefixes.begin(),
                            gateway.on_premises_prefixes.end());
        for (const model::Subnet& subnet : estate_.subnets)
            prefixes.insert(prefixes.end(), subnet.learned_prefixes.begin(), subnet.learned_prefixes.end());
        std::vector<net::Prefix> spaces;
        for (const model::VirtualNetwork& vnet : estate_.virtual_networks)
            spaces.insert(spaces.end(), vnet.address_space.begin(), vnet.address_space.end());
        return net::AddressSet::from_prefixes(prefixes).subtract(net::AddressSet::from_prefixes(spaces));
    }

    static std::string abbreviate(const net::AddressSet& set) {
        std::vector<net::Prefix> prefixes = set.to_prefixes();
        if (prefixes.size() <= 3)
            return set.to_string();
        return fmt::format("{}, {} and {} more blocks", prefixes[0].to_string(), prefixes[1].to_string(),
                           prefixes.size() - 2);
    }

    void add(ReachEndpoint::Kind kind, std::string name, route::Endpoint endpoint,
             std::optional<net::AddressSet> addresses = std::nullopt) {
        ReachEndpoint e;
        e.kind = kind;
        e.name = std::move(name);
        e.addresses = addresses ? std::move(*addresses) : net::AddressSet::from(endpoint.address);
        e.endpoint = std::move(endpoint);
        out_.endpoints.push_back(std::move(e));
    }

    // A NIC whose address Azure picks among candidates: one endpoint people see, standing for one
    // hidden endpoint per candidate address.
    void add_with_candidates(std::string name, route::Endpoint endpoint) {
        std::vector<std::uint32_t> indices;
        net::AddressSet all;
        std::vector<net::Address> addresses{endpoint.address};
        addresses.insert(addresses.end(), endpoint.alternatives.begin(), endpoint.alternatives.end());
        for (const net::Address& a : addresses) {
            ReachEndpoint c;
            c.kind = ReachEndpoint::Kind::Nic;
            c.name = name;
            c.endpoint = endpoint;
            c.endpoint.address = a;
            c.endpoint.alternatives.clear();
            c.addresses = net::AddressSet::from(a);
            all.insert(a);
            indices.push_back(static_cast<std::uint32_t>(out_.candidates.size()));
            out_.candidates.push_back(std::move(c));
        }
        candidates_of_.emplace(static_cast<std::uint32_t>(out_.endpoints.size()), std::move(indices));
        add(ReachEndpoint::Kind::Nic, std::move(name), std::move(endpoint), std::move(all));
    }

    // Address classes by partition refinement over the inside endpoints' addresses, then endpoint
    // classes: alike addresses at alike places.
    void classify(const AddressConditions& conditions) {
        std::vector<net::Address> points;
        for (const ReachEndpoint& e : out_.endpoints) {
            if (!is_piece(e.kind))
                points.push_back(e.endpoint.address);
        }
        for (const ReachEndpoint& e : out_.candidates)
            points.push_back(e.endpoint.address);
        PointPartition partition(std::move(points));
        for (const net::AddressSet* set : conditions.sets())
            partition.refine(*set);
        std::uint32_t inside_classes = partition.count();
        std::uint32_t outside_piece = 0; // pieces are disjoint and each cut along every condition
        for (ReachEndpoint& e : out_.endpoints) {
            e.address_class =
                is_piece(e.kind) ? inside_classes + outside_piece++ : partition.class_of(e.endpoint.address);
        }
        for (ReachEndpoint& e : out_.candidates)
            e.address_class = partition.class_of(e.endpoint.address);
        // Candidates first, so that a NIC with candidates is keyed by its candidates' classes.
        std::map<std::vector<std::uint64_t>, std::uint32_t> hidden;
        for (std::uint32_t i = 0; i < out_.candidates.size(); ++i) {
            ReachEndpoint& e = out_.candidates[i];
            auto [it, inserted] =
                hidden.try_emplace(place_key(e, 0), static_cast<std::uint32_t>(hidden.size()));
            e.equivalence_class = it->second; // offset by class_count below
            if (inserted)
                out_.candidate_representative.push_back(i);
        }
        std::map<std::vector<std::uint64_t>, std::uint32_t> classes;
        for (std::uint32_t i = 0; i < out_.endpoints.size(); ++i) {
            ReachEndpoint& e = out_.endpoints[i];
            auto candidates = candidates_of_.find(i);
            auto [it, inserted] = classes.try_emplace(
                candidates == candidates_of_.end() ? place_key(e, i) : candidates_key(candidates->second),
                static_cast<std::uint32_t>(classes.size()));
            e.equivalence_class = it->second;
            if (inserted)
                out_.class_representative.push_back(i);
        }
        out_.class_count = static_cast<std::uint32_t>(classes.size());
        for (ReachEndpoint& e : out_.candidates)
            e.equivalence_class += out_.class_count;
        for (const auto& [visible, indices] : candidates_of_)
            for (std::uint32_t c : indices)
                out_.endpoints[visible].candidate_classes.push_back(out_.candidates[c].equivalence_class);
    }

    // A NIC with candidates is treated like another when their candidates are alike, in order.
    std::vector<std::uint64_t> candidates_key(const std::vector<std::uint32_t>& candidates) const {
        std::vector<std::uint64_t> key{static_cast<std::uint64_t>(ReachEndpoint::Kind::Nic),
                                       ~std::uint64_t{0}};
        for (std::uint32_t c : candidates)
            key.push_back(out_.candidates[c].equivalence_class);
        return key;
    }

    // Everything besides the address that decides how an endpoint is treated.
    std::vector<std::uint64_t> place_key(const ReachEndpoint& e, std::uint32_t index) const {
        const route::Endpoint& p = e.endpoint;
        std::vector<std::uint64_t> key{static_cast<std::uint64_t>(e.kind), e.address_class, p.subnet.value()};
        switch (e.kind) {
        case ReachEndpoint::Kind::Nic: {
            const auto& nic = estate_.network_interfaces[p.nic];
            key.push_back(nic.network_security_group.value());
            key.push_back(public_entry(p.public_ip));
            key.push_back(static_cast<std::uint64_t>(route::outbound_access(estate_, p).kind));
            break;
        }
        case ReachEndpoint::Kind::ApplicationGateway:
        case ReachEndpoint::Kind::Bastion:
            key.push_back(public_entry(p.public_ip));
            break;
        case ReachEndpoint::Kind::LoadBalancer:
            key.push_back(index); // its rules and backends are its own
            break;
        case ReachEndpoint::Kind::PrivateEndpoint:
            key.push_back(p.private_endpoint.value()); // its subnet's policies and the resource it fronts
            break;
        case ReachEndpoint::Kind::Internet:
        case ReachEndpoint::Kind::OnPremises:
        case ReachEndpoint::Kind::Platform:
            break;
        }
        return key;
    }

    // 0: no public IP; 1: a Basic one; 2: a Standard one (closed inbound without an NSG).
    std::uint64_t public_entry(model::PublicIpIndex public_ip) const {
        if (public_ip == kNone)
            return 0;
        return estate_.public_ip_addresses[public_ip].sku.value == model::PublicIpSku::Standard ? 2 : 1;
    }

    const policy::PolicyEngine& engine_;
    const model::Estate& estate_;
    Diagnostics& diagnostics_;
    EndpointSet out_;
    std::map<std::uint32_t, std::vector<std::uint32_t>> candidates_of_; // endpoint -> its candidates
};

} // namespace

EndpointSet enumerate_endpoints(const policy::PolicyEngine& engine, Diagnostics& diagnostics,
                                std::vector<net::AddressSet> extra_conditions) {
    return Enumerator(engine, diagnostics).run(std::move(extra_conditions));
}

std::string_view endpoint_kind_name(ReachEndpoint::Kind kind) {
    switch (kind) {
    case ReachEndpoint::Kind::Nic:
        return "nic";
    case ReachEndpoint::Kind::ApplicationGateway:
        return "application-gateway";
    case ReachEndpoint::Kind::LoadBalancer:
        return "load-balancer";
    case ReachEndpoint::Kind::Bastion:
        return "bastion";
    case ReachEndpoint::Kind::Internet:
        return "internet";
    case ReachEndpoint::Kind::Platform:
        return "platform";
    case ReachEndpoint::Kind::PrivateEndpoint:
        return "private-endpoint";
    case ReachEndpoint::Kind::OnPremises:
        return "on-premises";
    }
    return "nic";
}

} // namespace ztnet::reach
