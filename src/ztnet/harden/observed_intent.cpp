#include "ztnet/harden/observed_intent.h"

#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/observed/attribution.h"
#include "ztnet/support/ascii.h"

namespace ztnet::harden {
namespace {

using model::IntentSelector;
using observed::Party;

// How an intent names a party inside the estate; nullopt outside it (and for the platform).
std::optional<IntentSelector> selector_for(const analysis::Analysis& analysis, observed::Attribution& who,
                                           const Party& party, const net::Address& address) {
    const model::Estate& estate = analysis.estate();
    const route::Endpoint& endpoint = who.endpoint(address);
    IntentSelector out;
    switch (party.kind) {
    case Party::Kind::Nic:
        if (endpoint.nic == model::kNone)
            break;
        out.kind = IntentSelector::Kind::Nic;
        out.value = estate.network_interfaces[endpoint.nic].id;
        return out;
    case Party::Kind::ApplicationGateway: {
        const reach::Reachability* reach = analysis.reachability();
        if (reach == nullptr || party.endpoint < 0)
            break;
        const auto& e = reach->endpoints().endpoints[static_cast<std::size_t>(party.endpoint)];
        if (e.endpoint.application_gateway == model::kNone)
            break;
        out.kind = IntentSelector::Kind::ApplicationGateway;
        out.value = estate.application_gateways[e.endpoint.application_gateway].id;
        return out;
    }
    case Party::Kind::LoadBalancer:
        if (endpoint.load_balancer == model::kNone)
            break;
        out.kind = IntentSelector::Kind::LoadBalancer;
        out.value = estate.load_balancers[endpoint.load_balancer].id;
        return out;
    case Party::Kind::PrivateEndpoint:
    case Party::Kind::SubnetAddress:
        break;
    case Party::Kind::Platform:
    case Party::Kind::OnPremises:
    case Party::Kind::Internet:
        return std::nullopt;
    }
    // What no selector names by itself: its address.
    out.kind = IntentSelector::Kind::Prefix;
    out.value = address.to_string();
    return out;
}

class Builder {
  public:
    explicit Builder(model::Intent& intent) : intent_(intent) {}

    // The group of one selector, made on first use and named after what it names.
    std::string group(const IntentSelector& selector, std::string_view label) {
        const auto key = std::make_pair(selector.kind, selector.value);
        if (auto found = groups_.find(key); found != groups_.end())
            return found->second;
        // "internet" is the built-in group's name: a resource called so takes another.
        std::string name(label);
        for (int n = 2; intent_.find_group(name) != nullptr || ascii::iequals(name, model::kInternetGroup);
             ++n)
            name = fmt::format("{}-{}", label, n);
        intent_.groups.push_back({name, {selector}, {}});
        return groups_[key] = name;
    }

    std::string named_group(const std::string& name, std::vector<IntentSelector> selectors) {
        if (intent_.find_group(name) == nullptr)
            intent_.groups.push_back({name, std::move(selectors), {}});
        return name;
    }

    void flow(const std::string& from, const std::string& to, std::uint8_t protocol, std::uint16_t port,
              bool has_ports) {
        auto [at, fresh] = flows_.try_emplace(std::make_tuple(from, to, protocol), intent_.flows.size());
        if (fresh) {
            model::IntentFlow f;
            f.name = fmt::format("observed: {} -> {}", from, to);
            f.from = {from};
            f.to = {to};
            f.protocols = net::ProtocolSet::single(protocol);
            f.ports = has_ports ? net::PortSet::single(port) : net::PortSet::all();
            intent_.flows.push_back(std::move(f));
            return;
        }
        model::IntentFlow& f = intent_.flows[at->second];
        if (has_ports)
            f.ports = f.ports.unite(net::PortSet::single(port));
    }

  private:
    model::Intent& intent_;
    std::map<std::pair<IntentSelector::Kind, std::string>, std::string> groups_;
    std::map<std::tuple<std::string, std::string, std::uint8_t>, std::size_t> flows_;
};

// The name a selector's group takes: the resource's name (the last segment of its id), or the
// address.
std::string label_of(const IntentSelector& selector) {
    const std::size_t slash = selector.value.rfind('/');
    return slash == std::string::npos || selector.kind == IntentSelector::Kind::Prefix
               ? selector.value
               : selector.value.substr(slash + 1);
}

} // namespace

model::Intent observed_intent(const analysis::Analysis& analysis,
                              std::span<const flows::store::ConversationRow> rows,
                              const ObservedIntentOptions& options) {
    model::Intent intent;
    intent.path = options.path;
    observed::Attribution who(analysis);
    std::vector<observed::ObservedFlow> seen;
    for (const flows::store::ConversationRow& row : rows)
        if (observed::in_window(row, options.window) && row.decision == flows::Decision::Allow)
            seen.push_back(observed::observe(row, who));
    Builder builder(intent);
    // Outside sources per destination group and service, kept as addresses up to the bound.
    std::map<std::tuple<std::string, std::uint8_t, std::uint16_t, bool>, std::set<net::Address>> outside;
    for (const observed::ObservedFlow& f : observed::merged_flows(seen)) {
        if (f.source.kind == Party::Kind::Platform || f.destination.kind == Party::Kind::Platform)
            continue;
        const bool has_ports = net::protocol_has_ports(f.row.protocol);
        const std::optional<IntentSelector> to =
            selector_for(analysis, who, f.destination, f.row.destination);
        const std::string destination = to ? builder.group(*to, label_of(*to))
                                           : builder.named_group(std::string(model::kInternetGroup),
                                                                 {{IntentSelector::Kind::Internet, "", {}}});
        const std::optional<IntentSelector> from = selector_for(analysis, who, f.source, f.row.source);
        if (from) {
            builder.flow(builder.group(*from, label_of(*from)), destination, f.row.protocol,
                         f.row.destination_port, has_ports);
            continue;
        }
        outside[{destination, f.row.protocol, f.row.destination_port, has_ports}].insert(f.row.source);
    }
    for (const auto& [service, sources] : outside) {
        const auto& [destination, protocol, port, has_ports] = service;
        if (sources.size() > options.max_outside_sources) {
            builder.flow(builder.named_group(std::string(model::kInternetGroup),
                                             {{IntentSelector::Kind::Internet, "", {}}}),
                         destination, protocol, port, has_ports);
            continue;
        }
        for (const net::Address& source : sources)
            builder.flow(
                builder.group({IntentSelector::Kind::Prefix, source.to_string(), {}}, source.to_string()),
                destination, protocol, port, has_ports);
    }
    return intent;
}

} // namespace ztnet::harden
