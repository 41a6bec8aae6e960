#include "ztnet/observed/flow_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/observed/attribution.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/service_set.h"
#include "ztnet/support/ascii.h"

namespace ztnet::observed {
namespace {

using flows::Decision;
using model::kNone;
using net::Direction;
using store::ConversationRow;

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint16_t kManagementPorts[] = {22, 3389};

// Azure writes a rule as "UserRule_<name>" or "DefaultRule_<name>" in flow logs; the model keeps
// the name alone.
std::string_view bare_rule_name(std::string_view logged) {
    for (std::string_view prefix : {std::string_view("UserRule_"), std::string_view("DefaultRule_")}) {
        if (logged.size() > prefix.size() && ascii::iequals(logged.substr(0, prefix.size()), prefix))
            return logged.substr(prefix.size());
    }
    return logged;
}

// The NSG hop of the side whose rule Azure logged, when ztnet's hops name it.
const route::Hop* hop_of_rule(const route::PathResult& side, std::string_view logged_rule) {
    const std::string_view bare = bare_rule_name(logged_rule);
    for (const route::Hop& hop : side.hops)
        if (hop.kind == route::Hop::Kind::Nsg && !hop.rule.empty() && ascii::iequals(hop.rule, bare))
            return &hop;
    return nullptr;
}

// The hop that decided: the first that denied or could not tell, else the last NSG that allowed.
const route::Hop* deciding_hop(const route::PathResult& side) {
    const route::Hop* last = nullptr;
    for (const route::Hop& hop : side.hops) {
        if (hop.kind != route::Hop::Kind::Nsg)
            continue;
        if (hop.verdict != route::Verdict::Allowed)
            return &hop;
        if (!hop.rule.empty())
            last = &hop;
    }
    return last;
}

std::string hop_rule_text(const route::Hop* hop) {
    if (!hop)
        return "no NSG";
    return hop->resource_name.empty() ? hop->rule : fmt::format("{}/{}", hop->resource_name, hop->rule);
}

// A flow's decision against Azure's: a drift when they differ. Undecidable sides are counted apart.
std::optional<Drift> compare(const ObservedFlow& flow, const route::PathResult& side) {
    const bool logged_allow = flow.row.decision == Decision::Allow;
    const route::Hop* named = hop_of_rule(side, flow.row.rule);
    // Where the NSG Azure names is among ztnet's, that NSG's own verdict is what Azure logged.
    const route::Verdict verdict = named ? named->verdict : side.verdict;
    const bool agrees = (verdict == route::Verdict::Allowed && logged_allow) ||
                        (verdict == route::Verdict::Denied && !logged_allow);
    if (agrees && (named || flow.row.rule.empty()))
        return std::nullopt;
    Drift drift;
    drift.flow = flow;
    drift.ztnet = verdict;
    drift.ztnet_rule = hop_rule_text(named ? named : deciding_hop(side));
    if (!agrees)
        drift.why =
            fmt::format("Azure {} it by rule {}; ztnet finds it {}: {}", logged_allow ? "allowed" : "denied",
                        flow.row.rule, route::verdict_name(verdict), side.summary);
    else
        drift.why = fmt::format(
            "Azure logged rule {}, which no NSG of the estate at {} holds; ztnet finds {}", flow.row.rule,
            flow.row.direction == Direction::Inbound ? "the destination" : "the source", drift.ztnet_rule);
    return drift;
}

reach::ServiceSet observed_service(const ConversationRow& row) {
    const net::ProtocolSet protocol = net::ProtocolSet::single(row.protocol);
    if (!net::protocol_has_ports(row.protocol))
        return reach::ServiceSet::of(protocol, net::PortSet::all(), net::PortSet::all());
    return reach::ServiceSet::of(protocol, net::PortSet::all(), net::PortSet::single(row.destination_port));
}

// The reachability endpoint of a load balancer, -1 when it has none.
std::int64_t load_balancer_endpoint(const reach::Reachability& reach, model::LoadBalancerIndex lb) {
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::size_t i = 0; i < endpoints.size(); ++i)
        if (endpoints[i].kind == reach::ReachEndpoint::Kind::LoadBalancer &&
            endpoints[i].endpoint.load_balancer == lb)
            return static_cast<std::int64_t>(i);
    return -1;
}

// A flow log sees a load-balanced flow at the backend, with the backend's address and port; the
// intent names the load balancer's frontend. The flow is intended when some rule of a load balancer
// whose pool holds the backend maps an intended frontend port to the observed backend port. The
// load balancer's reachability endpoint when so, else -1.
std::int64_t intended_via_load_balancer(const analysis::Analysis& analysis, const reach::IntentCheck& intent,
                                        std::uint32_t from, const route::Endpoint& backend,
                                        const ConversationRow& row) {
    const model::Estate& estate = analysis.estate();
    if (backend.nic == kNone || backend.ip_configuration == model::kNoPosition || !analysis.reachability())
        return -1;
    const model::IpConfiguration& config =
        estate.network_interfaces[backend.nic].ip_configurations[backend.ip_configuration];
    for (model::LoadBalancerIndex l : estate.load_balancers.indices()) {
        const model::LoadBalancer& lb = estate.load_balancers[l];
        for (const model::LoadBalancingRule& rule : lb.rules) {
            const bool holds = std::any_of(
                config.load_balancer_backend_pools.begin(), config.load_balancer_backend_pools.end(),
                [&](const std::string& pool) { return model::same_id(pool, rule.backend_pool); });
            if (!holds || !route::load_balancing_protocol_matches(rule.protocol, row.protocol))
                continue;
            // Port 0 is an HA-ports rule: every port passes as it is.
            if (rule.backend_port != 0 && rule.backend_port != row.destination_port)
                continue;
            const std::int64_t front = load_balancer_endpoint(*analysis.reachability(), l);
            if (front < 0)
                continue;
            const std::uint16_t port = rule.frontend_port != 0
                                           ? static_cast<std::uint16_t>(rule.frontend_port)
                                           : row.destination_port;
            const reach::ServiceSet asked = reach::ServiceSet::of(
                net::ProtocolSet::single(row.protocol), net::PortSet::all(), net::PortSet::single(port));
            if (!intent.intended(from, static_cast<std::uint32_t>(front)).intersect(asked).empty())
                return front;
        }
    }
    return -1;
}

void check_intent(const analysis::Analysis& analysis, const std::vector<ObservedFlow>& flows,
                  Attribution& who, FlowCheckResult& out) {
    const reach::IntentCheck* intent = analysis.intent_check();
    if (!intent)
        return;
    out.intent_checked = true;
    for (const ObservedFlow& f : flows) {
        if (f.source.endpoint < 0 || f.destination.endpoint < 0 || f.source.kind == Party::Kind::Platform)
            continue;
        const auto from = static_cast<std::uint32_t>(f.source.endpoint);
        const auto to = static_cast<std::uint32_t>(f.destination.endpoint);
        // The intent names the destination itself, or a load balancer in front of it.
        std::int64_t named = to;
        if (intent->intended(from, to).intersect(observed_service(f.row)).empty())
            named =
                intended_via_load_balancer(analysis, *intent, from, who.endpoint(f.row.destination), f.row);
        const bool intended = named >= 0;
        const bool allowed = f.row.decision == Decision::Allow;
        if (allowed == intended)
            continue;
        IntentBreach breach;
        breach.kind = allowed ? IntentBreach::Kind::Forbidden : IntentBreach::Kind::Blocked;
        breach.lateral = inside(f.source.kind) && inside(f.destination.kind);
        breach.flow = f;
        if (!allowed) {
            for (std::uint32_t flow : intent->flows_between(from, static_cast<std::uint32_t>(named))) {
                breach.intent_flow = intent->flow_label(flow);
                break;
            }
        }
        out.breaches.push_back(std::move(breach));
    }
}

void check_management(const std::vector<ObservedFlow>& flows, const FlowCheckOptions& options,
                      FlowCheckResult& out) {
    std::map<std::pair<net::Address, std::uint16_t>, std::pair<ManagementContact, std::set<net::Address>>>
        by_host;
    for (const ObservedFlow& f : flows) {
        if (f.source.kind != Party::Kind::Internet || f.row.protocol != kTcp ||
            std::find(std::begin(kManagementPorts), std::end(kManagementPorts), f.row.destination_port) ==
                std::end(kManagementPorts))
            continue;
        auto& [contact, sources] = by_host[{f.row.destination, f.row.destination_port}];
        contact.destination = f.destination;
        contact.port = f.row.destination_port;
        (f.row.decision == Decision::Allow ? contact.allowed_tuples : contact.denied_tuples) +=
            f.row.totals.tuples;
        sources.insert(f.row.source);
        if (contact.examples.size() < options.max_examples)
            contact.examples.push_back(f);
    }
    for (auto& [key, entry] : by_host) {
        entry.first.sources = entry.second.size();
        out.management.push_back(std::move(entry.first));
    }
    // Reached before knocked on; then by how much.
    std::stable_sort(out.management.begin(), out.management.end(), [](const auto& a, const auto& b) {
        return std::tie(b.allowed_tuples, b.denied_tuples) < std::tie(a.allowed_tuples, a.denied_tuples);
    });
}

void check_scans(const std::vector<ObservedFlow>& flows, const FlowCheckOptions& options,
                 FlowCheckResult& out) {
    struct Seen {
        std::map<net::Address, std::set<std::uint16_t>> ports_by_host;
        std::map<std::uint16_t, std::set<net::Address>> hosts_by_port;
        Scan scan;
    };
    std::map<net::Address, Seen> by_source;
    for (const ObservedFlow& f : flows) {
        if (f.source.kind == Party::Kind::Platform || !net::protocol_has_ports(f.row.protocol))
            continue;
        Seen& seen = by_source[f.row.source];
        seen.ports_by_host[f.row.destination].insert(f.row.destination_port);
        seen.hosts_by_port[f.row.destination_port].insert(f.row.destination);
        Scan& s = seen.scan;
        if (s.tuples == 0) {
            s.first_seen_ms = f.row.totals.first_seen_ms;
            s.last_seen_ms = f.row.totals.last_seen_ms;
        }
        s.source = f.row.source;
        s.source_party = f.source;
        s.tuples += f.row.totals.tuples;
        if (f.row.decision == Decision::Deny)
            s.denied_tuples += f.row.totals.tuples;
        s.first_seen_ms = std::min(s.first_seen_ms, f.row.totals.first_seen_ms);
        s.last_seen_ms = std::max(s.last_seen_ms, f.row.totals.last_seen_ms);
    }
    for (auto& [source, seen] : by_source) {
        for (const auto& [host, ports] : seen.ports_by_host)
            seen.scan.ports = std::max<std::uint64_t>(seen.scan.ports, ports.size());
        for (const auto& [port, hosts] : seen.hosts_by_port)
            seen.scan.hosts = std::max<std::uint64_t>(seen.scan.hosts, hosts.size());
        if (seen.scan.ports >= options.scan_ports || seen.scan.hosts >= options.scan_hosts)
            out.scans.push_back(std::move(seen.scan));
    }
    std::stable_sort(out.scans.begin(), out.scans.end(), [](const Scan& a, const Scan& b) {
        return std::max(a.ports, a.hosts) > std::max(b.ports, b.hosts);
    });
}

// Rule use: every custom allow rule of the NSGs a logging NIC is behind, and what it carried.
class RuleLedger {
  public:
    explicit RuleLedger(const model::Estate& estate) : estate_(estate) {}

    void behind(std::int64_t nic_index) {
        if (nic_index < 0)
            return;
        const model::NetworkInterface& nic =
            estate_.network_interfaces[model::NicIndex(static_cast<std::size_t>(nic_index))];
        add_nsg(nic.network_security_group);
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (config.subnet != kNone)
                add_nsg(estate_.subnets[config.subnet].network_security_group);
    }

    void carried(const route::Hop& hop, const ConversationRow& row) {
        if (hop.verdict != route::Verdict::Allowed || hop.resource.empty())
            return;
        auto found = uses_.find({hop.resource, ascii::lower(hop.rule), row.direction});
        if (found == uses_.end())
            return;
        RuleUse& use = found->second;
        use.tuples += row.totals.tuples;
        ++use.conversations;
        if (net::protocol_has_ports(row.protocol))
            ports_[&use].insert(row.destination_port);
    }

    void report(const FlowCheckOptions& options, FlowCheckResult& out) {
        for (auto& [key, use] : uses_) {
            const std::set<std::uint16_t>& used = ports_[&use];
            use.used_ports.assign(used.begin(), used.end());
            if (use.tuples == 0)
                out.unused_rules.push_back(use);
            else if (!use.used_ports.empty() &&
                     use.opened_ports >= options.wide_factor * use.used_ports.size() && use.opened_ports > 1)
                out.wide_rules.push_back(use);
        }
        auto by_opening = [](const RuleUse& a, const RuleUse& b) {
            return std::tie(b.opened_ports, a.nsg, a.rule) < std::tie(a.opened_ports, b.nsg, b.rule);
        };
        std::stable_sort(out.unused_rules.begin(), out.unused_rules.end(), by_opening);
        std::stable_sort(out.wide_rules.begin(), out.wide_rules.end(), by_opening);
    }

  private:
    using Key = std::tuple<std::string, std::string, Direction>;

    void add_nsg(model::NsgIndex index) {
        if (index == kNone || !seen_.insert(index.value()).second)
            return;
        const model::NetworkSecurityGroup& nsg = estate_.network_security_groups[index];
        for (const model::SecurityRule& rule : nsg.rules) {
            if (rule.access != model::Access::Allow)
                continue;
            RuleUse use;
            use.nsg_id = nsg.id;
            use.nsg = nsg.name;
            use.rule = rule.name;
            use.priority = rule.priority;
            use.direction = rule.direction;
            use.where = rule.where;
            if (rule.protocols.contains(kTcp) || rule.protocols.contains(kUdp))
                use.opened_ports = rule.destination_port_set.size();
            uses_.emplace(Key{nsg.id, ascii::lower(rule.name), rule.direction}, std::move(use));
        }
    }

    const model::Estate& estate_;
    std::set<std::size_t> seen_;
    std::map<Key, RuleUse> uses_;
    std::map<const RuleUse*, std::set<std::uint16_t>> ports_;
};

} // namespace

std::string_view party_kind_name(Party::Kind kind) {
    switch (kind) {
    case Party::Kind::Nic:
        return "nic";
    case Party::Kind::PrivateEndpoint:
        return "private-endpoint";
    case Party::Kind::SubnetAddress:
        return "subnet-address";
    case Party::Kind::ApplicationGateway:
        return "application-gateway";
    case Party::Kind::LoadBalancer:
        return "load-balancer";
    case Party::Kind::Platform:
        return "platform";
    case Party::Kind::OnPremises:
        return "on-premises";
    case Party::Kind::Internet:
        return "internet";
    }
    return "internet";
}

FlowCheckResult check_flows(const analysis::Analysis& analysis, std::span<const ConversationRow> rows,
                            const FlowCheckOptions& options) {
    FlowCheckResult out;
    Attribution who(analysis);
    SideDecisions decisions(analysis, who);
    RuleLedger ledger(analysis.estate());
    std::vector<ObservedFlow> flows;
    for (const ConversationRow& row : rows) {
        if (!in_window(row, options))
            continue;
        ++out.conversations;
        out.tuples += row.totals.tuples;
        out.first_seen_ms =
            std::min(out.first_seen_ms.value_or(row.totals.first_seen_ms), row.totals.first_seen_ms);
        out.last_seen_ms =
            std::max(out.last_seen_ms.value_or(row.totals.last_seen_ms), row.totals.last_seen_ms);
        ObservedFlow flow = observe(row, who);
        ledger.behind(flow.logging_nic);
        const route::Endpoint& local =
            who.endpoint(row.direction == Direction::Inbound ? row.destination : row.source);
        if (local.subnet == kNone) {
            ++out.unattributed;
        } else {
            const route::PathResult& side = decisions.of(row);
            if (side.verdict == route::Verdict::Undecidable)
                ++out.undecidable;
            else if (std::optional<Drift> drift = compare(flow, side))
                out.drifts.push_back(std::move(*drift));
            if (const route::Hop* hop = hop_of_rule(side, row.rule))
                ledger.carried(*hop, row);
        }
        flows.push_back(std::move(flow));
    }
    out.addresses_by_kind = who.counts();
    const std::vector<ObservedFlow> merged = merged_flows(flows);
    check_intent(analysis, merged, who, out);
    check_management(merged, options, out);
    check_scans(merged, options, out);
    ledger.report(options, out);
    return out;
}

} // namespace ztnet::observed
