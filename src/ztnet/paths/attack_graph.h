// The lateral-movement graph (docs/paths.md): a node per equivalence class of endpoints, a link
// from class A to class B when A can open a connection to B on a service an attacker moves on
// (a management service or one the policy calls exploitable), read from the exact class table.
// Load balancer frontends and App Gateways pass an attacker on to their backends, so a link through
// one goes straight to the backend that admits the flow, with the relay named. Private endpoints
// and the service-tag pieces named as crown jewels are reached on any service (exfiltration). Links
// are sure (allowed) or only possible (the input cannot tell), and the two are kept apart.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/model/attack_policy.h"
#include "ztnet/reach/service_set.h"

namespace ztnet::paths {

/// What a class of endpoints is to an attacker.
enum class Role : std::uint8_t {
    Internet, // a piece of the Internet: where attacks start
    Foothold, // a workload (a VM's or scale set's NIC): taken, then moved on from
    Relay,    // a load balancer frontend or an App Gateway: hands the attacker to its backends
    Target,   // reached, never moved on from: Bastion, private endpoints, crown-jewel tag pieces
    Outside,  // on-premises pieces and the platform: no part in the graph unless made footholds
};

inline constexpr std::uint32_t kNoServices = 0xffffffffu;
inline constexpr std::uint32_t kDirect = 0xffffffffu;

/// One link of the graph, out of the class that holds it.
struct Link {
    std::uint32_t to = 0;                 // class
    std::uint32_t services = kNoServices; // what is surely allowed (AttackGraph::services)
    std::uint32_t maybe = kNoServices;    // what only might be (undecidable), beyond that
    std::uint32_t via = kDirect;          // the relay's endpoint: a load balancer frontend or App Gateway
    bool sure() const { return services != kNoServices; }
};

class AttackGraph {
  public:
    /// Builds the graph over the analysis's class table (which it must hold). `jewel_pieces` are
    /// the Internet classes to keep as targets (a service tag named as a crown jewel); `sources`
    /// are further classes to treat as footholds (on-premises pieces a user starts from).
    static AttackGraph build(const analysis::Analysis& analysis, const model::AttackPolicy& policy,
                             const std::vector<std::uint32_t>& jewel_pieces = {},
                             const std::vector<std::uint32_t>& sources = {});

    const reach::Reachability& reach() const { return *reach_; }
    std::uint32_t classes() const { return static_cast<std::uint32_t>(roles_.size()); }
    Role role(std::uint32_t c) const { return roles_[c]; }
    /// Every link out of a class, by target class.
    std::span<const Link> links(std::uint32_t c) const {
        return {links_.data() + offsets_[c], links_.data() + offsets_[c + 1]};
    }
    /// The distinct targets of a class's sure links (`possible`: of all its links), ascending.
    std::span<const std::uint32_t> next(std::uint32_t c, bool possible) const {
        const auto& a = possible ? all_ : sure_;
        return {a.targets.data() + a.offsets[c], a.targets.data() + a.offsets[c + 1]};
    }
    const reach::ServiceSet& services(std::uint32_t index) const { return services_[index]; }
    /// The Internet classes where attacks start.
    const std::vector<std::uint32_t>& internet() const { return internet_; }
    /// The services an attacker moves on (management and exploitable).
    const reach::ServiceSet& moves() const { return moves_; }
    const reach::ServiceSet& exploitable() const { return exploitable_; }

    struct Stats {
        std::size_t links = 0;
        std::size_t sure_links = 0;
        std::size_t relayed_links = 0; // through a load balancer or App Gateway
        std::size_t relay_traces = 0;  // flows traced to find which backends admit them
    };
    const Stats& stats() const { return stats_; }

  private:
    struct Adjacency {
        std::vector<std::uint32_t> offsets;
        std::vector<std::uint32_t> targets;
    };
    const reach::Reachability* reach_ = nullptr;
    std::vector<Role> roles_;
    std::vector<std::uint32_t> offsets_;
    std::vector<Link> links_;
    Adjacency sure_, all_;
    std::vector<reach::ServiceSet> services_;
    std::vector<std::uint32_t> internet_;
    reach::ServiceSet moves_, exploitable_;
    Stats stats_;

    friend class GraphBuilder;
};

/// The union of the policy's services of one list.
reach::ServiceSet services_of(const std::vector<model::AttackService>& list);
/// "SSH, RDP" for the policy's services that `services` touches, or its ports when it touches none.
std::string service_names(const model::AttackPolicy& policy, const reach::ServiceSet& services);

} // namespace ztnet::paths
