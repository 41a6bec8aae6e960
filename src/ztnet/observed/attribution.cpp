#include "ztnet/observed/attribution.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::observed {

using flows::Decision;
using model::kNone;
using net::Direction;
using store::ConversationRow;

bool inside(Party::Kind kind) {
    return kind != Party::Kind::Internet && kind != Party::Kind::Platform && kind != Party::Kind::OnPremises;
}

bool in_window(const ConversationRow& row, const FlowCheckOptions& options) {
    return (!options.since_ms || row.bucket_ms >= *options.since_ms) &&
           (!options.until_ms || row.bucket_ms < *options.until_ms);
}

Attribution::Attribution(const analysis::Analysis& analysis) : analysis_(analysis) {
    const model::Estate& estate = analysis.estate();
    for (model::NicIndex n : estate.network_interfaces.indices())
        if (!estate.network_interfaces[n].mac_address.empty())
            nic_by_mac_.emplace(estate.network_interfaces[n].mac_address, n);
    index_endpoints();
}

const Party& Attribution::party(const net::Address& address) {
    auto found = parties_.find(address);
    if (found != parties_.end())
        return found->second.party;
    Entry entry = attribute(address);
    return parties_.emplace(address, std::move(entry)).first->second.party;
}

const route::Endpoint& Attribution::endpoint(const net::Address& address) {
    party(address);
    return parties_.at(address).endpoint;
}

model::NicIndex Attribution::nic_of_mac(std::string_view mac) const {
    auto found = nic_by_mac_.find(model::normalise_mac(mac));
    return found == nic_by_mac_.end() ? model::NicIndex(kNone) : found->second;
}

std::vector<std::pair<Party::Kind, std::uint64_t>> Attribution::counts() const {
    std::map<Party::Kind, std::uint64_t> by_kind;
    for (const auto& [address, entry] : parties_)
        ++by_kind[entry.party.kind];
    return {by_kind.begin(), by_kind.end()};
}

Attribution::Entry Attribution::attribute(const net::Address& address) const {
    Entry entry;
    Result<route::Endpoint> resolved =
        route::resolve_endpoint(analysis_.estate(), analysis_.tags(), address.to_string());
    if (resolved) {
        entry.endpoint = *resolved;
    } else {
        entry.endpoint.kind = route::Endpoint::Kind::External;
        entry.endpoint.label = address.to_string();
    }
    entry.endpoint.address = address;
    entry.endpoint.alternatives.clear(); // the address is the one observed
    entry.party.label = entry.endpoint.label;
    entry.party.kind = kind_of(entry.endpoint, address);
    entry.party.resource_id = resource_of(entry.endpoint);
    entry.party.endpoint = reach_endpoint(address, entry.party.kind);
    if (entry.party.endpoint < 0 && entry.party.kind == Party::Kind::SubnetAddress)
        adopt_gateway_instance(entry);
    return entry;
}

// An address of an App Gateway's (or Bastion's) subnet that no frontend names is one of its
// instances: flows from there are the gateway's.
void Attribution::adopt_gateway_instance(Entry& entry) const {
    const reach::Reachability* reach = analysis_.reachability();
    if (!reach || entry.endpoint.subnet == kNone)
        return;
    const auto& endpoints = reach->endpoints().endpoints;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        const reach::ReachEndpoint& r = endpoints[i];
        const bool gateway = r.kind == reach::ReachEndpoint::Kind::ApplicationGateway ||
                             r.kind == reach::ReachEndpoint::Kind::Bastion;
        if (!gateway || r.endpoint.subnet != entry.endpoint.subnet)
            continue;
        entry.party.endpoint = static_cast<std::int64_t>(i);
        entry.party.label = fmt::format("{} (instance {})", r.name, entry.endpoint.address.to_string());
        if (r.kind == reach::ReachEndpoint::Kind::ApplicationGateway)
            entry.party.kind = Party::Kind::ApplicationGateway;
        return;
    }
}

Party::Kind Attribution::kind_of(const route::Endpoint& e, const net::Address& address) const {
    switch (e.kind) {
    case route::Endpoint::Kind::Nic:
        return Party::Kind::Nic;
    case route::Endpoint::Kind::ApplicationGateway:
        return Party::Kind::ApplicationGateway;
    case route::Endpoint::Kind::LoadBalancer:
        return Party::Kind::LoadBalancer;
    case route::Endpoint::Kind::SubnetAddress:
        return e.private_endpoint != kNone ? Party::Kind::PrivateEndpoint : Party::Kind::SubnetAddress;
    case route::Endpoint::Kind::External:
        break;
    }
    if (policy::platform_tag_of(address))
        return Party::Kind::Platform;
    if (const reach::Reachability* reach = analysis_.reachability()) {
        for (const reach::ReachEndpoint& r : reach->endpoints().endpoints)
            if (r.kind == reach::ReachEndpoint::Kind::OnPremises && r.addresses.contains(address))
                return Party::Kind::OnPremises;
    }
    return Party::Kind::Internet;
}

std::string Attribution::resource_of(const route::Endpoint& e) const {
    const model::Estate& estate = analysis_.estate();
    if (e.nic != kNone)
        return estate.network_interfaces[e.nic].id;
    if (e.private_endpoint != kNone)
        return estate.private_endpoints[e.private_endpoint].id;
    if (e.application_gateway != kNone)
        return estate.application_gateways[e.application_gateway].id;
    if (e.load_balancer != kNone)
        return estate.load_balancers[e.load_balancer].id;
    if (e.subnet != kNone)
        return estate.subnets[e.subnet].id;
    return {};
}

// NICs and private endpoints stand for one address each, looked up by it; the few endpoints
// that stand for sets (gateways, load balancer frontends, pieces of the Internet) are searched.
void Attribution::index_endpoints() {
    const reach::Reachability* reach = analysis_.reachability();
    if (!reach)
        return;
    const auto& endpoints = reach->endpoints().endpoints;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        const reach::ReachEndpoint& e = endpoints[i];
        const bool single = e.kind == reach::ReachEndpoint::Kind::Nic ||
                            e.kind == reach::ReachEndpoint::Kind::PrivateEndpoint;
        if (single && e.addresses.contains(e.endpoint.address))
            single_.emplace(e.endpoint.address, i);
        else
            sets_.push_back(i);
    }
}

// The reachability endpoint holding the address: the most specific one (a NIC before a subnet's
// gateway instances before a piece of the Internet).
std::int64_t Attribution::reach_endpoint(const net::Address& address, Party::Kind kind) const {
    const reach::Reachability* reach = analysis_.reachability();
    if (!reach)
        return -1;
    if (auto found = single_.find(address); found != single_.end())
        return static_cast<std::int64_t>(found->second);
    const auto& endpoints = reach->endpoints().endpoints;
    std::int64_t outside = -1;
    for (std::size_t i : sets_) {
        if (!endpoints[i].addresses.contains(address))
            continue;
        const bool is_outside = endpoints[i].kind == reach::ReachEndpoint::Kind::Internet ||
                                endpoints[i].kind == reach::ReachEndpoint::Kind::OnPremises ||
                                endpoints[i].kind == reach::ReachEndpoint::Kind::Platform;
        if (!is_outside)
            return static_cast<std::int64_t>(i);
        if (outside < 0)
            outside = static_cast<std::int64_t>(i);
    }
    return inside(kind) && kind != Party::Kind::SubnetAddress ? -1 : outside;
}

namespace {

std::int64_t logging_nic(const ConversationRow& row, Attribution& who) {
    model::NicIndex by_mac = who.nic_of_mac(row.mac);
    if (by_mac != kNone)
        return static_cast<std::int64_t>(by_mac.value());
    const route::Endpoint& local =
        who.endpoint(row.direction == Direction::Inbound ? row.destination : row.source);
    return local.nic != kNone ? static_cast<std::int64_t>(local.nic.value()) : -1;
}

// Conversations of the same flow (both ends, port, protocol, decision).
struct FlowKey {
    net::Address source;
    net::Address destination;
    std::uint16_t port;
    std::uint8_t protocol;
    Decision decision;
    friend auto operator<=>(const FlowKey&, const FlowKey&) = default;
};

} // namespace

ObservedFlow observe(const ConversationRow& row, Attribution& who) {
    ObservedFlow flow;
    flow.row = row;
    flow.source = who.party(row.source);
    flow.destination = who.party(row.destination);
    flow.logging_nic = logging_nic(row, who);
    return flow;
}

std::vector<ObservedFlow> merged_flows(const std::vector<ObservedFlow>& flows) {
    std::map<FlowKey, std::size_t> at;
    std::vector<ObservedFlow> out;
    for (const ObservedFlow& f : flows) {
        const FlowKey key{f.row.source, f.row.destination, f.row.destination_port, f.row.protocol,
                          f.row.decision};
        auto [it, fresh] = at.emplace(key, out.size());
        if (fresh) {
            out.push_back(f);
            continue;
        }
        // A flow logged at both ends (outbound at the source, inbound at the destination) is one flow:
        // its larger count stands, not the sum.
        ObservedFlow& kept = out[it->second];
        if (kept.row.direction != f.row.direction) {
            if (f.row.totals.tuples > kept.row.totals.tuples)
                kept.row.totals = f.row.totals;
            continue;
        }
        store::add_totals(kept.row.totals, f.row.totals);
    }
    return out;
}

namespace {

// Conversations do not keep the source port (docs/flows.md): NSG rules are asked about an
// ephemeral one, which is what clients use and what rules written against a source port expect.
constexpr std::uint16_t kEphemeralPort = 49152;

// ztnet's own decision at the NSGs of the logged side.
route::PathResult decide_again(const analysis::Analysis& analysis, const ConversationRow& row,
                               Attribution& who) {
    route::PathQuery query;
    query.flow.protocol = row.protocol;
    query.flow.source_port = net::protocol_has_ports(row.protocol) ? kEphemeralPort : 0;
    query.flow.destination_port = net::protocol_has_ports(row.protocol) ? row.destination_port : 0;
    return route::nsg_side(analysis.policy(), analysis.routes(), who.endpoint(row.source),
                           who.endpoint(row.destination), query, row.direction);
}

} // namespace

const route::PathResult& SideDecisions::of(const ConversationRow& row) {
    auto [at, fresh] = decided_.try_emplace(
        Key{row.source, row.destination, row.destination_port, row.protocol, row.direction});
    if (fresh)
        at->second = decide_again(analysis_, row, who_);
    return at->second;
}

} // namespace ztnet::observed
