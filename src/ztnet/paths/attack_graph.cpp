#include "ztnet/paths/attack_graph.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "ztnet/exposure/endpoints.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/route/path.h"
#include "ztnet/support/ascii.h"
#include "ztnet/support/parallel.h"

namespace ztnet::paths {

using reach::ClassTable;
using reach::ReachEndpoint;
using reach::ServiceSet;
using EndpointKind = ReachEndpoint::Kind;

ServiceSet services_of(const std::vector<model::AttackService>& list) {
    ServiceSet out;
    for (const model::AttackService& s : list)
        out = out.unite(ServiceSet::of(s.protocols, net::PortSet::all(), s.ports));
    return out;
}

std::string service_names(const model::AttackPolicy& policy, const ServiceSet& services) {
    std::string out;
    for (const auto* list : {&policy.management, &policy.exploitable}) {
        for (const model::AttackService& s : *list) {
            if (services.overlaps(ServiceSet::of(s.protocols, net::PortSet::all(), s.ports)))
                out += (out.empty() ? "" : ", ") + s.name;
        }
    }
    return out.empty() ? services.to_string() : out;
}

namespace {

// What a link into a class of this kind is judged on.
enum Interest : std::uint8_t { kMoves, kExploitable, kAny, kInterests };

bool is_relay(EndpointKind kind) {
    return kind == EndpointKind::LoadBalancer || kind == EndpointKind::ApplicationGateway;
}

} // namespace

class GraphBuilder {
  public:
    GraphBuilder(const analysis::Analysis& analysis, const model::AttackPolicy& policy, AttackGraph& out)
        : analysis_(analysis), reach_(*analysis.reachability()), table_(reach_.table()),
          endpoints_(reach_.endpoints().endpoints), out_(out) {
        out_.reach_ = &reach_;
        out_.moves_ = services_of(policy.management).unite(services_of(policy.exploitable));
        out_.exploitable_ = services_of(policy.exploitable);
    }

    void run(const std::vector<std::uint32_t>& jewel_pieces, const std::vector<std::uint32_t>& sources) {
        assign_roles(jewel_pieces, sources);
        derive_sets();
        std::vector<std::vector<Link>> rows = sweep();
        relay(rows);
        flatten(rows);
    }

  private:
    const ReachEndpoint& representative(std::uint32_t c) const {
        return endpoints_[table_.members()[c].front()];
    }

    void assign_roles(const std::vector<std::uint32_t>& jewel_pieces,
                      const std::vector<std::uint32_t>& sources) {
        const model::Estate& estate = analysis_.estate();
        out_.roles_.assign(table_.classes(), Role::Outside);
        for (std::uint32_t c = 0; c < table_.classes(); ++c) {
            const ReachEndpoint& e = representative(c);
            Role& role = out_.roles_[c];
            switch (e.kind) {
            case EndpointKind::Internet:
                role = Role::Internet;
                break;
            case EndpointKind::Nic:
                // A NIC in a Bastion subnet belongs to the managed service, not to a workload.
                role = exposure::in_bastion_subnet(estate, e) ? Role::Target : Role::Foothold;
                break;
            case EndpointKind::LoadBalancer:
            case EndpointKind::ApplicationGateway:
                role = Role::Relay;
                break;
            case EndpointKind::Bastion:
            case EndpointKind::PrivateEndpoint:
                role = Role::Target;
                break;
            case EndpointKind::Platform:
            case EndpointKind::OnPremises:
                break;
            }
        }
        for (std::uint32_t c : jewel_pieces)
            out_.roles_[c] = Role::Target;
        for (std::uint32_t c : sources) {
            if (out_.roles_[c] == Role::Outside)
                out_.roles_[c] = Role::Foothold;
        }
        for (std::uint32_t c = 0; c < table_.classes(); ++c) {
            if (out_.roles_[c] == Role::Internet)
                out_.internet_.push_back(c);
        }
    }

    // Each set a pair holds, cut to each interest, once: the sweep then only looks up.
    void derive_sets() {
        const ServiceSet interests[kInterests] = {out_.moves_, out_.exploitable_, ServiceSet::all()};
        const std::vector<std::uint32_t>& sets = table_.result_sets();
        std::vector<std::array<ServiceSet, kInterests>> cut(sets.size());
        parallel_for(sets.size(), pool_threads(), 64, [&](std::size_t i, unsigned) {
            const ServiceSet& set = table_.set(sets[i]);
            for (int k = 0; k < kInterests; ++k)
                cut[i][k] = k == kAny ? set : set.intersect(interests[k]);
        });
        for (auto& index : within_)
            index.assign(table_.set_count(), kNoServices);
        for (std::size_t i = 0; i < sets.size(); ++i) {
            for (int k = 0; k < kInterests; ++k) {
                if (!cut[i][k].empty())
                    within_[k][sets[i]] = intern(std::move(cut[i][k]));
            }
        }
    }

    std::uint32_t intern(ServiceSet set) {
        auto& bucket = by_hash_[set.hash()];
        for (std::uint32_t index : bucket) {
            if (out_.services_[index] == set)
                return index;
        }
        out_.services_.push_back(std::move(set));
        bucket.push_back(static_cast<std::uint32_t>(out_.services_.size() - 1));
        return bucket.back();
    }

    Interest interest_of(std::uint32_t c) const {
        const ReachEndpoint& e = representative(c);
        if (e.kind == EndpointKind::PrivateEndpoint || e.kind == EndpointKind::Internet)
            return kAny; // exfiltration: the data plane is enough
        return kMoves;
    }

    // Whether a class may hold a link to itself: two of its members are different machines.
    bool lateral_within(std::uint32_t c) const {
        const auto& members = table_.members()[c];
        for (std::size_t i = 1; i < members.size(); ++i) {
            if (!exposure::same_machine(endpoints_[members[0]], endpoints_[members[i]]))
                return true;
        }
        return false;
    }

    std::vector<std::vector<Link>> sweep() {
        std::vector<std::uint32_t> rows, columns;
        std::vector<Interest> interest(table_.classes(), kMoves);
        for (std::uint32_t c = 0; c < table_.classes(); ++c) {
            const Role role = out_.roles_[c];
            if (role == Role::Internet || role == Role::Foothold)
                rows.push_back(c);
            if (role == Role::Foothold || role == Role::Relay || role == Role::Target) {
                columns.push_back(c);
                interest[c] = interest_of(c);
            }
        }
        std::vector<std::vector<Link>> out(table_.classes());
        parallel_for(rows.size(), pool_threads(), 16, [&](std::size_t r, unsigned) {
            const std::uint32_t from = rows[r];
            const ClassTable::Row words = table_.row(from);
            std::vector<Link>& links = out[from];
            for (std::uint32_t to : columns) {
                const ClassTable::Entry entry = table_.entry(words[to]);
                const auto& within = within_[interest[to]];
                Link link{to, within[entry.allowed], within[entry.undecidable], kDirect};
                if (link.services == kNoServices && link.maybe == kNoServices)
                    continue;
                if (to == from && !lateral_within(from))
                    continue;
                links.push_back(link);
            }
        });
        return out;
    }

    // Relays: a link into a load balancer frontend or an App Gateway becomes links to the backends
    // behind it that admit the flow.
    void relay(std::vector<std::vector<Link>>& rows) {
        std::vector<std::pair<std::uint32_t, Link>> into; // (from class, link to a relay)
        for (std::uint32_t from = 0; from < rows.size(); ++from) {
            for (const Link& link : rows[from]) {
                if (is_relay(representative(link.to).kind))
                    into.emplace_back(from, link);
            }
        }
        endpoint_of_ = index_nic_endpoints();
        std::vector<std::vector<Link>> found(into.size());
        std::vector<std::size_t> traces(into.size(), 0);
        // Endpoints of one class are treated alike, but two frontends in one class may still hand
        // over to different backends: each member is followed.
        parallel_for(into.size(), pool_threads(), 1, [&](std::size_t i, unsigned) {
            const auto& [from, link] = into[i];
            for (std::uint32_t relay : table_.members()[link.to]) {
                if (endpoints_[relay].kind == EndpointKind::LoadBalancer)
                    through_load_balancer(from, link, relay, found[i], traces[i]);
                else
                    through_app_gateway(link, relay, found[i]);
            }
        });
        for (std::size_t i = 0; i < into.size(); ++i) {
            out_.stats_.relay_traces += traces[i];
            for (const Link& link : found[i]) {
                rows[into[i].first].push_back(link);
                ++out_.stats_.relayed_links;
            }
        }
    }

    std::unordered_map<std::uint64_t, std::uint32_t> index_nic_endpoints() const {
        std::unordered_map<std::uint64_t, std::uint32_t> out;
        for (std::uint32_t i = 0; i < endpoints_.size(); ++i) {
            const ReachEndpoint& e = endpoints_[i];
            if (e.kind == EndpointKind::Nic)
                out.emplace(std::uint64_t{e.endpoint.nic.value()} << 32 | e.endpoint.ip_configuration, i);
        }
        return out;
    }

    // Each frontend port the link carries is traced once per load-balancing rule; the trace hands
    // the flow to every backend of the rule's pool and says which of them admit it.
    void through_load_balancer(std::uint32_t from, const Link& link, std::uint32_t relay,
                               std::vector<Link>& out, std::size_t& traces) const {
        const ReachEndpoint& frontend = endpoints_[relay];
        const model::LoadBalancer& lb = analysis_.estate().load_balancers[frontend.endpoint.load_balancer];
        for (const bool sure : {true, false}) {
            const std::uint32_t index = sure ? link.services : link.maybe;
            if (index == kNoServices)
                continue;
            for (const reach::Service& s : rule_examples(lb, out_.services_[index])) {
                route::PathQuery query;
                query.flow.protocol = s.protocol;
                query.flow.source_port = s.source_port;
                query.flow.destination_port = s.destination_port;
                const route::PathResult path =
                    analysis_.trace(representative(from).endpoint, frontend.endpoint, query);
                ++traces;
                admitted_backends(path, sure, index, relay, out);
            }
        }
    }

    // One service per load-balancing rule that the set reaches: the rule's frontend port (an
    // HA-ports rule: the set's example).
    static std::vector<reach::Service> rule_examples(const model::LoadBalancer& lb, const ServiceSet& set) {
        std::vector<reach::Service> out;
        for (const model::LoadBalancingRule& rule : lb.rules) {
            for (std::uint8_t protocol : {std::uint8_t{6}, std::uint8_t{17}}) {
                if (!route::load_balancing_protocol_matches(rule.protocol, protocol))
                    continue;
                ServiceSet part = set.intersect(
                    ServiceSet::of(net::ProtocolSet::single(protocol), net::PortSet::all(),
                                   rule.frontend_port > 0
                                       ? net::PortSet::single(static_cast<std::uint16_t>(rule.frontend_port))
                                       : net::PortSet::all()));
                if (auto example = part.example())
                    out.push_back(*example);
            }
        }
        return out;
    }

    void admitted_backends(const route::PathResult& path, bool sure, std::uint32_t services,
                           std::uint32_t relay, std::vector<Link>& out) const {
        if (path.verdict == route::Verdict::Denied)
            return;
        for (std::size_t h = 0; h < path.hops.size(); ++h) {
            const route::Hop& hop = path.hops[h];
            if (hop.kind != route::Hop::Kind::Delivery || hop.backend_nic == model::kNone)
                continue;
            route::Verdict verdict = route::Verdict::Allowed;
            for (std::size_t n = h + 1;
                 n < path.hops.size() && path.hops[n].kind != route::Hop::Kind::Delivery; ++n) {
                if (path.hops[n].verdict == route::Verdict::Denied)
                    verdict = route::Verdict::Denied;
                else if (path.hops[n].verdict == route::Verdict::Undecidable &&
                         verdict == route::Verdict::Allowed)
                    verdict = route::Verdict::Undecidable;
            }
            auto it =
                endpoint_of_.find(std::uint64_t{hop.backend_nic.value()} << 32 | hop.backend_configuration);
            if (verdict == route::Verdict::Denied || it == endpoint_of_.end())
                continue;
            const bool surely = sure && verdict == route::Verdict::Allowed;
            Link link{endpoints_[it->second].equivalence_class, surely ? services : kNoServices,
                      surely ? kNoServices : services, relay};
            if (std::none_of(out.begin(), out.end(), [&](const Link& l) {
                    return l.to == link.to && l.services == link.services && l.maybe == link.maybe;
                }))
                out.push_back(link);
        }
    }

    // An App Gateway forwards application traffic to the members of its backend pools: an attacker
    // who reaches it on an exploitable service reaches each backend its instances may send that to.
    void through_app_gateway(const Link& link, std::uint32_t relay, std::vector<Link>& out) const {
        const ReachEndpoint& gateway = endpoints_[relay];
        const model::ApplicationGateway& agw =
            analysis_.estate().application_gateways[gateway.endpoint.application_gateway];
        const auto exploits = [&](std::uint32_t index) {
            return index != kNoServices && out_.services_[index].overlaps(out_.exploitable_);
        };
        const bool arrives_surely = exploits(link.services);
        if (!arrives_surely && !exploits(link.maybe))
            return;
        for (const ReachEndpoint& backend : endpoints_) {
            if (backend.kind != EndpointKind::Nic || !in_pool(agw, backend))
                continue;
            const ClassTable::Entry entry = table_.at(link.to, backend.equivalence_class);
            const std::uint32_t sure_out = within_[kExploitable][entry.allowed];
            const std::uint32_t maybe_out = within_[kExploitable][entry.undecidable];
            if (sure_out == kNoServices && maybe_out == kNoServices)
                continue;
            if (arrives_surely && sure_out != kNoServices)
                out.push_back({backend.equivalence_class, sure_out, kNoServices, relay});
            else
                out.push_back({backend.equivalence_class, kNoServices,
                               sure_out != kNoServices ? sure_out : maybe_out, relay});
        }
    }

    bool in_pool(const model::ApplicationGateway& agw, const ReachEndpoint& backend) const {
        const model::IpConfiguration& config = analysis_.estate()
                                                   .network_interfaces[backend.endpoint.nic]
                                                   .ip_configurations[backend.endpoint.ip_configuration];
        const std::string prefix = ascii::lower(agw.id) + "/";
        for (const std::string& pool : config.application_gateway_backend_pools) {
            if (ascii::lower(pool).starts_with(prefix))
                return true;
        }
        const std::string address = backend.endpoint.address.to_string();
        for (const auto& pool : agw.backend_pool_addresses) {
            if (std::find(pool.begin(), pool.end(), address) != pool.end())
                return true;
        }
        return false;
    }

    void flatten(std::vector<std::vector<Link>>& rows) {
        out_.offsets_.assign(1, 0);
        for (auto& row : rows) {
            std::sort(row.begin(), row.end(), [](const Link& a, const Link& b) {
                return a.to != b.to ? a.to < b.to : a.via < b.via;
            });
            for (const Link& link : row) {
                out_.links_.push_back(link);
                out_.stats_.sure_links += link.sure();
            }
            out_.offsets_.push_back(static_cast<std::uint32_t>(out_.links_.size()));
        }
        out_.stats_.links = out_.links_.size();
        for (const bool possible : {false, true}) {
            AttackGraph::Adjacency& adjacency = possible ? out_.all_ : out_.sure_;
            adjacency.offsets.assign(1, 0);
            for (std::uint32_t c = 0; c < rows.size(); ++c) {
                std::uint32_t last = kNoServices;
                for (const Link& link : out_.links(c)) {
                    if ((possible || link.sure()) && link.to != last) {
                        adjacency.targets.push_back(link.to);
                        last = link.to;
                    }
                }
                adjacency.offsets.push_back(static_cast<std::uint32_t>(adjacency.targets.size()));
            }
        }
    }

    const analysis::Analysis& analysis_;
    const reach::Reachability& reach_;
    const ClassTable& table_;
    const std::vector<ReachEndpoint>& endpoints_;
    AttackGraph& out_;
    std::array<std::vector<std::uint32_t>, kInterests> within_; // per interest, per set index
    std::unordered_map<std::size_t, std::vector<std::uint32_t>> by_hash_;
    std::unordered_map<std::uint64_t, std::uint32_t> endpoint_of_; // (NIC, configuration) -> endpoint
};

AttackGraph AttackGraph::build(const analysis::Analysis& analysis, const model::AttackPolicy& policy,
                               const std::vector<std::uint32_t>& jewel_pieces,
                               const std::vector<std::uint32_t>& sources) {
    AttackGraph out;
    GraphBuilder(analysis, policy, out).run(jewel_pieces, sources);
    return out;
}

} // namespace ztnet::paths
