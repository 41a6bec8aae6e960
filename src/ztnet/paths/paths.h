// Assume breach, measured (docs/paths.md): over the lateral-movement graph, the blast radius of
// every workload (what it reaches in 1, 2, … hops), the shortest attack paths from the Internet or
// from given footholds to the crown jewels with each hop's evidence, and the fewest links whose
// removal cuts every such path (a minimum cut), with the rules that allow them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/model/attack_policy.h"
#include "ztnet/paths/attack_graph.h"
#include "ztnet/route/path.h"
#include "ztnet/support/result.h"

namespace ztnet::paths {

/// Something to protect, and the endpoints that stand for it.
struct CrownJewel {
    std::string name;                     // "data", "kv-orders", "vm-data-1"
    std::string kind;                     // "intent group", "private endpoint", "virtual machine", ...
    std::string why;                      // "named in the policy", "the intent's data tier", ...
    std::vector<std::uint32_t> endpoints; // ascending
};

struct PathOptions {
    model::AttackPolicy policy = model::AttackPolicy::defaults();
    /// Footholds by name (a VM, NIC, subnet, intent group, endpoint or "Internet"); empty: the
    /// Internet.
    std::vector<std::string> from;
    /// Crown jewels by name; empty: the policy's, or the defaults.
    std::vector<std::string> to;
    /// Paths and blast radii end after this many hops (0: no limit).
    int max_hops = 0;
    /// Blast radius of every workload (the audit's summary and `ztnet paths`); off: paths only.
    bool blast_radius = true;
    /// The minimum cut and the rules behind it.
    bool cut = true;
    /// Each hop of each path traced as `explain` traces it.
    bool evidence = true;
    /// The most paths shown (the shortest first); the counts cover them all.
    std::size_t max_paths = 50;
};

/// One hop of an attack path: a concrete pair of endpoints standing for the classes it joins.
struct PathHop {
    std::uint32_t from = 0;                 // endpoint
    std::uint32_t to = 0;                   // endpoint
    std::optional<std::uint32_t> via;       // the load balancer frontend or App Gateway that relays it
    reach::ServiceSet services;             // what the attacker may use on this hop
    bool sure = true;                       // allowed, not only undecidable
    std::optional<route::PathResult> trace; // one of the services, traced (PathOptions::evidence)
};

struct AttackPath {
    std::uint32_t start = 0; // endpoint: a piece of the Internet or a foothold
    std::vector<PathHop> hops;
    std::size_t jewel = 0; // index into PathsResult::jewels
    bool sure = true;      // every hop sure
};

/// What one workload reaches if it is taken.
struct BlastRadius {
    std::string resource; // the VM, scale set, NIC or load balancer, by name
    std::string resource_id;
    std::string tier;                     // its tier (subnet and ASGs)
    std::vector<std::uint32_t> endpoints; // its own
    std::vector<std::size_t> by_hop;      // endpoints surely reached at hop 1, 2, ...
    std::size_t reached = 0;              // surely, all hops
    std::size_t possibly = 0;             // counting links the input cannot decide, beyond `reached`
    std::vector<std::string> tiers;       // other tiers surely reached, sorted
    std::vector<std::pair<std::size_t, int>> jewels; // (jewel, hops) surely reached
};

/// Blast radii summed per tier.
struct TierSummary {
    std::string tier;
    std::size_t workloads = 0;
    std::size_t widest = 0;       // the most endpoints one of its workloads reaches
    double mean = 0;              // endpoints reached, on average
    std::size_t reach_jewels = 0; // workloads that surely reach a crown jewel
};

/// A link of the minimum cut, with the rules that let it through.
struct CutLink {
    std::uint32_t from = 0; // endpoint standing for its class
    std::uint32_t to = 0;
    std::optional<std::uint32_t> via;
    reach::ServiceSet services;
    bool sure = true;
    std::size_t pairs = 0;          // endpoint pairs it stands for
    std::vector<std::size_t> rules; // indices into PathsResult::rules
    std::optional<route::PathResult> trace;
};

/// An allow rule (or a default rule, which cannot be removed but can be overridden) behind links
/// of the cut.
struct CutRule {
    std::string nsg; // the NSG's (or firewall's) name
    std::string nsg_id;
    std::string rule; // "AllowRdpFromInternet", "AllowVnetInBound"
    std::string step; // "destination subnet NSG (inbound)"
    int priority = 0;
    bool default_rule = false;
    SourceLocation where;
    std::vector<std::size_t> links; // indices into PathsResult::cut
    std::string advice;             // what to change
};

struct PathsResult {
    model::AttackPolicy policy;
    std::vector<CrownJewel> jewels;
    std::vector<std::string> footholds; // what --from named (empty: the Internet)
    std::vector<std::uint32_t> start_endpoints;
    /// Shortest paths, one per (crown jewel, first reached endpoint of it), sure ones first, then by
    /// length; at most PathOptions::max_paths of them.
    std::vector<AttackPath> paths;
    std::size_t paths_found = 0;          // before the cap
    std::vector<int> jewel_hops;          // per jewel: fewest sure hops from the start, -1 unreached
    std::vector<int> jewel_possible_hops; // the same counting possible links
    std::vector<BlastRadius> radii;       // widest first
    std::vector<TierSummary> tiers;
    std::vector<CutLink> cut; // empty when nothing is reached
    std::vector<CutRule> rules;
    bool cut_verified = false; // the graph without the cut's links reaches no jewel
    struct Stats {
        std::size_t endpoints = 0;
        std::size_t classes = 0;
        AttackGraph::Stats graph;
        double graph_seconds = 0;
        double radius_seconds = 0;
        double paths_seconds = 0;
    } stats;
};

/// The attack-path analysis of a finished analysis (with reachability). An error value when a
/// --from or --to name matches nothing (listing what would match) or the analysis lacks
/// reachability.
Result<PathsResult> attack_paths(const analysis::Analysis& analysis, const PathOptions& options);

/// The crown jewels of a policy (or `names`, when given) in an estate: endpoints resolved by
/// name, or by the defaults (docs/paths.md#crown-jewels). An error value for a name that matches
/// nothing.
Result<std::vector<CrownJewel>> crown_jewels(const analysis::Analysis& analysis,
                                             const model::AttackPolicy& policy,
                                             const std::vector<std::string>& names = {});

/// The endpoints a name stands for: "Internet", an endpoint's name, a VM, NIC, subnet ("snet" or
/// "vnet/snet"), ASG, load balancer, App Gateway, private endpoint, PaaS service, or intent group
/// (case-insensitive). Empty when nothing matches.
std::vector<std::uint32_t> endpoints_named(const analysis::Analysis& analysis, std::string_view name);

/// The blast radius of every workload (VM, scale set, NIC without a VM), over `graph`.
std::vector<BlastRadius> blast_radii(const AttackGraph& graph, const std::vector<CrownJewel>& jewels,
                                     int max_hops);

/// Blast radii summed per tier.
std::vector<TierSummary> tier_summaries(const std::vector<BlastRadius>& radii);

/// The hops that let a traced flow through: the NSG rules and firewall rules that allow it, and a
/// missing NSG only where no NSG at all stands in that direction (a NIC without one behind a
/// subnet NSG decides nothing). `inbound_only` keeps the destination's side when it has any.
std::vector<const route::Hop*> allowing_hops(const route::PathResult& trace, bool inbound_only = false);

} // namespace ztnet::paths
