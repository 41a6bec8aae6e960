// The reachability engine. For a pair of endpoints it composes, in path tracing's order, the
// services each step lets through:
//   source NIC NSG, source subnet NSG (outbound) -> routing plan (firewalls on the way) ->
//   load balancer rules and backends, or destination subnet NSG, NIC NSG (inbound).
// An NSG step depends on the addresses only through which rules' address conditions hold, so
// each NSG keeps, per address class, the list of rules whose source (destination) holds it, and
// one service set per pair of lists: the first-match result over the rules in both. Service sets
// are interned, and set operations on interned ids are memoised, so a pair of classes costs a
// few hash lookups once the terms exist.
#include "ztnet/reach/reachability.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <tuple>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/policy/admin_rules.h"
#include "ztnet/reach/address_conditions.h"
#include "ztnet/reach/rule_lists.h"
#include "ztnet/reach/service_grid.h"
#include "ztnet/route/firewall.h"
#include "ztnet/route/outbound.h"
#include "ztnet/route/private_endpoints.h"
#include "ztnet/route/route_plan.h"
#include "ztnet/support/flat_map.h"
#include "ztnet/support/parallel.h"

namespace ztnet::reach {
namespace {

using model::Index;
using model::kNone;
using net::Direction;

using SetId = std::uint32_t;

std::uint64_t pack(std::uint32_t a, std::uint32_t b) {
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

// Set ids in the pair table carry, in their top bits, the evaluator that interned them.
constexpr unsigned kEvaluatorShift = 28;
constexpr SetId kLocalIdMask = (SetId{1} << kEvaluatorShift) - 1;
constexpr unsigned kMaxEvaluators = 16;

// Interned service sets with memoised operations.
class SetTable {
  public:
    SetTable() {
        none_ = intern(ServiceSet::none());
        all_ = intern(ServiceSet::all());
    }
    SetId intern(ServiceSet set) {
        if ((sets_.size() + 1) * 4 > slots_.size() * 3)
            grow();
        const std::uint64_t hash = set.hash();
        std::size_t i = slot_of(hash);
        for (; slots_[i].id != kFree; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i].hash == hash && sets_[slots_[i].id] == set)
                return slots_[i].id;
        }
        if (sets_.size() > kLocalIdMask)
            throw std::length_error("reachability: more distinct service sets than set ids");
        const auto id = static_cast<SetId>(sets_.size());
        slots_[i] = {hash, id};
        sets_.push_back(std::move(set));
        return id;
    }
    const ServiceSet& at(SetId id) const { return sets_[id]; }
    SetId none() const { return none_; }
    SetId all() const { return all_; }
    std::size_t size() const { return sets_.size(); }

    SetId intersect(SetId a, SetId b) {
        if (a == b || b == all_)
            return a;
        if (a == all_)
            return b;
        if (a == none_ || b == none_)
            return none_;
        return memo(intersections_, std::min(a, b), std::max(a, b), [&] { return at(a).intersect(at(b)); });
    }
    SetId unite(SetId a, SetId b) {
        if (a == b || b == none_)
            return a;
        if (a == none_)
            return b;
        return memo(unions_, std::min(a, b), std::max(a, b), [&] { return at(a).unite(at(b)); });
    }
    SetId subtract(SetId a, SetId b) {
        if (b == none_)
            return a;
        if (a == b || a == none_)
            return none_;
        return memo(differences_, a, b, [&] { return at(a).subtract(at(b)); });
    }

  private:
    // One operation's answers: all of them, and the recent ones where a lookup is cheap.
    struct Memo {
        FlatMap64 all;
        RecentAnswers<4096> recent;
    };

    template <class Compute>
    SetId memo(Memo& table, SetId a, SetId b, Compute compute) {
        const std::uint64_t key = pack(a, b);
        if (const SetId* recent = table.recent.find(key))
            return *recent;
        SetId id;
        if (const SetId* known = table.all.find(key)) {
            id = *known;
        } else {
            id = intern(compute());
            table.all.insert(key, id);
        }
        table.recent.remember(key, id);
        return id;
    }

    // Interning: an open-addressing table of ids by hash, the sets themselves kept once, in sets_
    // (a map keyed by set kept a second copy of each, and freed hundreds of thousands of them).
    struct Slot {
        std::uint64_t hash = 0;
        SetId id = kFree;
    };
    static constexpr SetId kFree = ~SetId{0};
    std::size_t slot_of(std::uint64_t hash) const {
        return static_cast<std::size_t>(net::hash_mix64(hash)) & (slots_.size() - 1);
    }
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
        for (const Slot& slot : old) {
            if (slot.id == kFree)
                continue;
            std::size_t i = slot_of(slot.hash);
            while (slots_[i].id != kFree)
                i = (i + 1) & (slots_.size() - 1);
            slots_[i] = slot;
        }
    }

    std::vector<ServiceSet> sets_;
    std::vector<Slot> slots_;
    Memo intersections_, unions_, differences_;
    SetId none_ = 0;
    SetId all_ = 0;
};

// What flows on after some steps: the services still certainly allowed, and those that became
// undecidable at a step (path tracing stops there, so later steps do not narrow them).
struct Flowing {
    SetId allowed;
    SetId undecidable;
};

// Marks a slot of a dense table not computed yet.
constexpr std::uint32_t kUnset = ~std::uint32_t{0};

// What every evaluator reads of one NSG compiled for one VNet, one direction: its rule lists, cut
// on first use, and each address class's list ids, looked up by whichever thread asks first.
// Threads that ask at once find the same id, so a slot is written without a lock; 0 marks one not
// looked up yet. Slots are zeroed memory, which the system hands out page by page as it is used.
class SharedDirection {
  public:
    SharedDirection(const policy::CompiledNsg& compiled, Direction direction, std::uint32_t address_classes)
        : compiled_(compiled), direction_(direction), source_(zeroed(address_classes)),
          destination_(zeroed(address_classes)) {}

    const std::vector<policy::ResolvedRule>& rules() const { return compiled_.rules(direction_); }

    const RuleLists& lists() {
        std::call_once(cut_, [&] { lists_ = std::make_unique<RuleLists>(rules()); });
        return *lists_;
    }

    // The list id of the rules whose `side` holds the addresses of an address class, `address`
    // being one of them.
    std::uint32_t list_of(RuleLists::Side side, std::uint32_t address_class, const net::Address& address) {
        std::atomic_ref<std::uint32_t> slot(
            (side == RuleLists::Side::Source ? source_ : destination_)[address_class]);
        if (const std::uint32_t known = slot.load(std::memory_order_relaxed))
            return known - 1;
        const std::uint32_t id = lists().list_of(side, address);
        slot.store(id + 1, std::memory_order_relaxed);
        return id;
    }

  private:
    struct Free {
        void operator()(std::uint32_t* p) const { std::free(p); }
    };
    using Slots = std::unique_ptr<std::uint32_t[], Free>;
    static Slots zeroed(std::size_t count) {
        void* p = std::calloc(std::max<std::size_t>(count, 1), sizeof(std::uint32_t));
        if (!p)
            throw std::bad_alloc();
        return Slots(static_cast<std::uint32_t*>(p));
    }

    const policy::CompiledNsg& compiled_;
    Direction direction_;
    std::once_flag cut_;
    std::unique_ptr<RuleLists> lists_;
    Slots source_;      // address class -> list id + 1
    Slots destination_; // the same as destination
};

// One evaluator's view of an NSG direction: the rules' services and the first-match results in
// its own set table.
struct NsgDirection {
    SharedDirection* shared = nullptr;
    std::vector<SetId> rule_services; // per rule
    FlatMap64 terms;                  // (source list, destination list) -> allowed
};

// One NSG direction in the two readings of what the input cannot tell (policy::Reading): the same
// object twice when the NSG has no uncertain rule. Null where there is no NSG.
struct NsgReadings {
    NsgDirection* restrictive = nullptr;
    NsgDirection* permissive = nullptr;
};

// The NSGs an equivalence class meets, as source (outbound) and as destination (inbound).
struct ClassNsgs {
    NsgReadings nic_outbound;
    NsgReadings subnet_outbound;
    NsgReadings subnet_inbound;
    NsgReadings nic_inbound;
    // Security admin rules the input cannot tell apply before the NSGs: any flow may pass or not.
    bool admin_rules_unknown = false;
    // Security admin rules of the class's VNet (policy::AdminRules), as its two NSG-like lists;
    // null readings when it has none.
    NsgReadings admin_passes_outbound;
    NsgReadings admin_always_outbound;
    NsgReadings admin_passes_inbound;
    NsgReadings admin_always_inbound;
    bool has_admin_rules() const { return admin_passes_outbound.restrictive != nullptr; }
    route::OutboundAccess::Kind outbound = route::OutboundAccess::Kind::Explicit;
};

// A firewall's own address classes (which of its rules' address sets hold an endpoint) and its
// results per pair of them. Its decision depends on the addresses only through these, and they
// are far fewer than the estate's address classes (its rules name a few prefixes; the NSGs name
// thousands).
struct FirewallState {
    std::vector<net::AddressSet> sets;
    std::map<std::vector<bool>, std::uint32_t> classes;
    std::vector<std::uint32_t> of_address_class; // dense, kUnset until known
    std::unique_ptr<ServiceGrid> grid;
    FlatMap64 result_of; // (class of source, class of destination) -> index into results
    std::vector<Flowing> results;
};

// The NSGs an equivalence class meets, compiled for its VNet; null where there is none.
struct ClassSite {
    const policy::CompiledNsg* nic_nsg = nullptr;
    const policy::CompiledNsg* subnet_nsg = nullptr;
    bool admin_rules_unknown = false; // model::VirtualNetwork::admin_rules_unknown
    const policy::AdminRules* admin_rules = nullptr;
    // How the class leaves for the Internet when its route goes there directly.
    route::OutboundAccess::Kind outbound = route::OutboundAccess::Kind::Explicit;
};

// What the per-pair path reads of a class, packed together: reading these from the endpoints
// themselves (names, labels, address sets) touched several cache lines per pair. `endpoint` is
// the class's representative, for what only rare steps need.
struct ClassView {
    std::uint32_t index = 0; // the equivalence class
    std::uint32_t address_class = 0;
    std::uint32_t route_key = 0; // classes of one key share route plans (Shared::key_route_plans)
    ReachEndpoint::Kind kind = ReachEndpoint::Kind::Nic;
    net::Family family = net::Family::V4;
    // A NIC with candidate addresses (endpoint->candidate_classes), evaluated in its stead.
    bool has_candidates = false;
    model::SubnetIndex subnet = kNone;
    const ReachEndpoint* endpoint = nullptr;

    std::span<const std::uint32_t> candidates() const { return endpoint->candidate_classes; }
};

// What every evaluator reads and none changes: the endpoints and their classes, each class's NSGs
// and the members of each load-balancer backend pool.
struct Shared {
    Shared(const policy::PolicyEngine& policy_engine, Diagnostics& diagnostics,
           std::vector<net::AddressSet> extra)
        : engine(policy_engine), estate(policy_engine.estate()),
          endpoints(enumerate_endpoints(policy_engine, diagnostics, std::move(extra))),
          views(estate, policy_engine.tags(), dropped_routes) {
        std::unordered_map<std::uint64_t, std::uint32_t> nic_endpoint; // (nic, ip configuration) -> endpoint
        for (std::uint32_t i = 0; i < endpoints.endpoints.size(); ++i) {
            const ReachEndpoint& e = endpoints.endpoints[i];
            address_class_count = std::max(address_class_count, e.address_class + 1);
            if (e.kind == ReachEndpoint::Kind::Nic)
                nic_endpoint.emplace(pack(e.endpoint.nic.value(), e.endpoint.ip_configuration), i);
        }
        for (const ReachEndpoint& e : endpoints.candidates)
            address_class_count = std::max(address_class_count, e.address_class + 1);
        // The visible classes, then the candidates' own (numbered from class_count on).
        std::vector<const ReachEndpoint*> representatives;
        for (std::uint32_t representative : endpoints.class_representative)
            representatives.push_back(&endpoints.endpoints[representative]);
        for (std::uint32_t representative : endpoints.candidate_representative)
            representatives.push_back(&endpoints.candidates[representative]);
        class_sites.reserve(representatives.size());
        class_views.reserve(representatives.size());
        for (const ReachEndpoint* representative : representatives) {
            const ReachEndpoint& e = *representative;
            class_sites.push_back(site_of(e.endpoint));
            class_sites.back().outbound = route::outbound_access(estate, e.endpoint).kind;
            const policy::AdminRules* admin = class_sites.back().admin_rules;
            for (const policy::CompiledNsg* nsg :
                 {class_sites.back().nic_nsg, class_sites.back().subnet_nsg,
                  admin ? &admin->passes() : nullptr, admin ? &admin->always() : nullptr}) {
                if (!nsg)
                    continue;
                for (Direction direction : {Direction::Inbound, Direction::Outbound}) {
                    auto& of_direction = directions[direction == Direction::Inbound ? 0 : 1];
                    for (policy::Reading reading :
                         {policy::Reading::Restrictive, policy::Reading::Permissive}) {
                        const policy::CompiledNsg* plain = &nsg->in(reading);
                        if (!of_direction.contains(plain))
                            of_direction.emplace(plain, std::make_unique<SharedDirection>(
                                                            *plain, direction, address_class_count));
                    }
                }
            }
            ClassView view;
            view.index = e.equivalence_class;
            view.address_class = e.address_class;
            view.kind = e.kind;
            view.family = e.endpoint.address.family();
            view.has_candidates = !e.candidate_classes.empty();
            view.subnet = e.endpoint.subnet;
            view.endpoint = &e;
            class_views.push_back(view);
        }
        key_route_plans();
        const std::vector<std::string> unknown = pools_of_unknown_members();
        for (const model::LoadBalancer& lb : estate.load_balancers) {
            for (const model::LoadBalancingRule& rule : lb.rules) {
                if (!pool_members.contains(rule.backend_pool))
                    pool_members.emplace(rule.backend_pool, members_of(rule.backend_pool, nic_endpoint));
                if (std::any_of(unknown.begin(), unknown.end(), [&](const std::string& pool) {
                        return model::same_id(pool, rule.backend_pool);
                    }))
                    pools_with_unknown_member.insert(rule.backend_pool);
            }
        }
    }

    // The backend pools that hold a NIC whose address the input cannot tell (as the NICs name
    // them): such a pool may admit anything its rules carry, as path tracing says.
    std::vector<std::string> pools_of_unknown_members() const {
        std::vector<std::string> out;
        for (const model::NetworkInterface& nic : estate.network_interfaces)
            for (const model::IpConfiguration& config : nic.ip_configurations)
                if (!config.private_ip && config.candidate_ips.empty() && !config.address_undecidable.empty())
                    out.insert(out.end(), config.load_balancer_backend_pools.begin(),
                               config.load_balancer_backend_pools.end());
        return out;
    }

    // Which classes share route plans. A plan reads of its destination the kind, the subnet (and
    // so its VNet) and, in each lookup, which prefixes of some subnet's effective routes hold the
    // address. Every prefix of every subnet's routes bounds pieces of the address space; two
    // destinations in one piece lie in the same prefixes, so every lookup finds the same route for
    // both. Classes alike in kind, subnet and piece therefore get the same plan from any source,
    // and a plan is made once per source subnet and key instead of once per class.
    void key_route_plans() {
        std::vector<net::u128> starts[2]; // per family, where pieces start
        for (model::SubnetIndex subnet : estate.subnets.indices()) {
            for (const route::EffectiveRoute& r : views.of(subnet).routes) {
                const net::Family family = r.prefix.family();
                auto& of_family = starts[family == net::Family::V4 ? 0 : 1];
                of_family.push_back(r.prefix.first().value());
                if (r.prefix.last().value() != net::family_max(family))
                    of_family.push_back(r.prefix.last().value() + 1);
            }
        }
        for (auto& of_family : starts) {
            std::sort(of_family.begin(), of_family.end());
            of_family.erase(std::unique(of_family.begin(), of_family.end()), of_family.end());
        }
        std::map<std::tuple<model::SubnetIndex, ReachEndpoint::Kind, route::Endpoint::Kind, net::Family,
                            std::size_t>,
                 std::uint32_t>
            keys;
        for (ClassView& view : class_views) {
            const route::Endpoint& e = view.endpoint->endpoint;
            const auto& of_family = starts[view.family == net::Family::V4 ? 0 : 1];
            const std::size_t piece =
                std::upper_bound(of_family.begin(), of_family.end(), e.address.value()) - of_family.begin();
            view.route_key = keys.try_emplace({e.subnet, view.kind, e.kind, view.family, piece},
                                              static_cast<std::uint32_t>(keys.size()))
                                 .first->second;
        }
        route_key_count = static_cast<std::uint32_t>(keys.size());
    }

    ClassSite site_of(const route::Endpoint& e) const {
        ClassSite site;
        if (e.subnet == kNone)
            return site;
        const model::Subnet& subnet = estate.subnets[e.subnet];
        site.admin_rules_unknown =
            subnet.virtual_network != kNone &&
            !estate.virtual_networks[subnet.virtual_network].admin_rules_unknown.empty();
        site.admin_rules = engine.admin_rules(subnet.virtual_network);
        if (e.private_endpoint != kNone && !route::nsg_applies_to_private_endpoints(subnet))
            return site; // the subnet's NSG does not filter traffic to its private endpoints
        if (subnet.network_security_group != kNone)
            site.subnet_nsg = &engine.nsg(subnet.network_security_group, subnet.virtual_network);
        else if (!subnet.network_security_group_unknown.empty())
            site.subnet_nsg =
                &engine.unknown_nsg(subnet.virtual_network, subnet.network_security_group_unknown);
        if (e.nic == kNone)
            return site;
        const model::NetworkInterface& nic = estate.network_interfaces[e.nic];
        if (nic.network_security_group != kNone)
            site.nic_nsg = &engine.nsg(nic.network_security_group, subnet.virtual_network);
        else if (!nic.network_security_group_unknown.empty())
            site.nic_nsg = &engine.unknown_nsg(subnet.virtual_network, nic.network_security_group_unknown);
        return site;
    }

    std::vector<std::uint32_t>
    members_of(const std::string& pool,
               const std::unordered_map<std::uint64_t, std::uint32_t>& nic_endpoint) const {
        std::vector<std::uint32_t> out;
        for (model::NicIndex n : estate.network_interfaces.indices()) {
            const auto& configs = estate.network_interfaces[n].ip_configurations;
            for (Index c = 0; c < configs.size(); ++c) {
                const auto& pools = configs[c].load_balancer_backend_pools;
                bool member = std::any_of(pools.begin(), pools.end(),
                                          [&](const std::string& p) { return model::same_id(p, pool); });
                auto it = nic_endpoint.find(pack(n.value(), c));
                if (member && it != nic_endpoint.end())
                    out.push_back(it->second);
            }
        }
        return out;
    }

    const policy::PolicyEngine& engine;
    const model::Estate& estate;
    EndpointSet endpoints;
    // Every subnet's effective routes, shared by the evaluators. What they find was reported when
    // the endpoints were enumerated (their address conditions read the same routes).
    Diagnostics dropped_routes;
    route::RouteViews views;
    std::uint32_t address_class_count = 0;
    std::uint32_t route_key_count = 0;
    // Per direction (inbound, outbound), every NSG a class meets, in each reading.
    std::unordered_map<const policy::CompiledNsg*, std::unique_ptr<SharedDirection>> directions[2];
    std::vector<ClassSite> class_sites;                                       // per equivalence class
    std::vector<ClassView> class_views;                                       // per equivalence class
    std::unordered_map<std::string, std::vector<std::uint32_t>> pool_members; // backend pool -> endpoints
    std::unordered_set<std::string> pools_with_unknown_member;
};

// Computes pair results with caches of its own: interned sets and memoised operations, NSG terms,
// route plans, firewall results. Evaluators share nothing they write, so several can work on
// different rows of the pair table at once; their set ids are their own.
class Evaluator {
  public:
    explicit Evaluator(const Shared& shared)
        : estate(shared.estate), tags(shared.engine.tags()), endpoints(shared.endpoints),
          class_views(shared.class_views), pool_members(shared.pool_members),
          pools_with_unknown_member(shared.pools_with_unknown_member),
          address_class_count(shared.address_class_count), route_key_count(shared.route_key_count),
          shared_directions(shared.directions), views(shared.views) {
        plan_of.resize(estate.subnets.size());
        firewalls.resize(estate.azure_firewalls.size());
        class_nsgs.reserve(shared.class_sites.size());
        for (const ClassSite& site : shared.class_sites) {
            ClassNsgs c;
            c.nic_outbound = nsg_readings(site.nic_nsg, Direction::Outbound);
            c.subnet_outbound = nsg_readings(site.subnet_nsg, Direction::Outbound);
            c.subnet_inbound = nsg_readings(site.subnet_nsg, Direction::Inbound);
            c.nic_inbound = nsg_readings(site.nic_nsg, Direction::Inbound);
            c.admin_rules_unknown = site.admin_rules_unknown;
            if (site.admin_rules) {
                c.admin_passes_outbound = nsg_readings(&site.admin_rules->passes(), Direction::Outbound);
                c.admin_always_outbound = nsg_readings(&site.admin_rules->always(), Direction::Outbound);
                c.admin_passes_inbound = nsg_readings(&site.admin_rules->passes(), Direction::Inbound);
                c.admin_always_inbound = nsg_readings(&site.admin_rules->always(), Direction::Inbound);
            }
            c.outbound = site.outbound;
            class_nsgs.push_back(c);
        }
    }

    const model::Estate& estate;
    const policy::ServiceTags& tags;
    const EndpointSet& endpoints;
    const std::vector<ClassView>& class_views;
    const std::unordered_map<std::string, std::vector<std::uint32_t>>& pool_members;
    const std::unordered_set<std::string>& pools_with_unknown_member;
    std::uint32_t address_class_count = 0;
    std::uint32_t route_key_count = 0;
    const decltype(Shared::directions)& shared_directions;
    const route::RouteViews& views;
    SetTable sets;
    std::unordered_map<const policy::CompiledNsg*, NsgDirection> nsg_cache[2]; // per direction
    std::vector<ClassNsgs> class_nsgs;                                         // per equivalence class
    // What the fast path needs of a route plan: the firewalls crossed and how it ends. Plans are
    // few and shared; plan_of holds, per source subnet, a dense table over destination route keys.
    struct CompactPlan {
        std::vector<model::FirewallIndex> firewalls;
        route::RouteEnd end = route::RouteEnd::NoRoute;
        friend bool operator==(const CompactPlan&, const CompactPlan&) = default;
    };
    std::vector<CompactPlan> compact_plans;
    model::IndexedBy<model::Subnet, std::vector<std::uint32_t>> plan_of;
    model::IndexedBy<model::AzureFirewall, std::unique_ptr<FirewallState>> firewalls; // on first use
    std::size_t nsg_term_count = 0;

    // ---- steps ----

    // One more step of the path: what was allowed stays allowed where the step allows it and turns
    // undecidable where the step cannot decide; what was undecidable stays so where the step may pass
    // it, and is denied where the step surely denies it.
    void step(Flowing& f, SetId allowed, SetId undecidable = 0) {
        if (f.undecidable != sets.none())
            f.undecidable = sets.intersect(
                f.undecidable, undecidable == sets.none() ? allowed : sets.unite(allowed, undecidable));
        if (undecidable != sets.none())
            f.undecidable = sets.unite(f.undecidable, sets.intersect(f.allowed, undecidable));
        f.allowed = sets.intersect(f.allowed, allowed);
    }
    void step(Flowing& f, const Flowing& g) { step(f, g.allowed, g.undecidable); }

    NsgReadings nsg_readings(const policy::CompiledNsg* compiled, Direction direction) {
        if (!compiled)
            return {};
        return {nsg_direction(&compiled->in(policy::Reading::Restrictive), direction),
                nsg_direction(&compiled->in(policy::Reading::Permissive), direction)};
    }

    NsgDirection* nsg_direction(const policy::CompiledNsg* compiled, Direction direction) {
        if (!compiled)
            return nullptr;
        auto& cache = nsg_cache[direction == Direction::Inbound ? 0 : 1];
        auto [it, inserted] = cache.try_emplace(compiled);
        NsgDirection& d = it->second;
        if (inserted) {
            d.shared = shared_directions[direction == Direction::Inbound ? 0 : 1].at(compiled).get();
            for (const policy::ResolvedRule& rule : d.shared->rules())
                d.rule_services.push_back(
                    sets.intern(ServiceSet::of(rule.protocols, rule.source_ports, rule.destination_ports)));
        }
        return &d;
    }

    const ClassNsgs& nsgs(const ClassView& e) const { return class_nsgs[e.index]; }

    // The rules (indices) whose source (or destination) holds the endpoint's addresses. Endpoints
    // of one address class give the same list, so it is computed once per class.
    static std::uint32_t rule_list(NsgDirection& d, const ClassView& e, bool source_side) {
        return d.shared->list_of(source_side ? RuleLists::Side::Source : RuleLists::Side::Destination,
                                 e.address_class, e.endpoint->endpoint.address);
    }

    // What an NSG surely allows from `from` to `to` (its restrictive reading) and what it may allow
    // beyond that (its permissive reading).
    Flowing nsg_flow(const NsgReadings& nsg, const ClassView& from, const ClassView& to) {
        const SetId surely = nsg_term(nsg.restrictive, from, to);
        if (nsg.permissive == nsg.restrictive)
            return {surely, sets.none()};
        return {surely, sets.subtract(nsg_term(nsg.permissive, from, to), surely)};
    }

    // The services a plain NSG allows from `from` to `to`: first match over the rules both of whose
    // address conditions hold. No NSG allows everything.
    SetId nsg_term(NsgDirection* d, const ClassView& from, const ClassView& to) {
        if (!d)
            return sets.all();
        std::uint32_t sources = rule_list(*d, from, true);
        std::uint32_t destinations = rule_list(*d, to, false);
        if (const SetId* known = d->terms.find(pack(sources, destinations)))
            return *known;
        ++nsg_term_count;
        const RuleLists& lists = d->shared->lists();
        const auto& a = lists.list(sources);
        const auto& b = lists.list(destinations);
        std::vector<std::uint32_t> both;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
        const auto& rules = d->shared->rules();
        SetId allowed = sets.none();
        SetId remaining = sets.all();
        for (std::uint32_t r : both) {
            SetId matched = sets.intersect(remaining, d->rule_services[r]);
            if (rules[r].access == model::Access::Allow)
                allowed = sets.unite(allowed, matched);
            remaining = sets.subtract(remaining, d->rule_services[r]);
            if (remaining == sets.none())
                break;
        }
        d->terms.insert(pack(sources, destinations), allowed);
        return allowed;
    }

    FirewallState& firewall_state(model::FirewallIndex firewall) {
        std::unique_ptr<FirewallState>& state = firewalls[firewall];
        if (!state) {
            state = std::make_unique<FirewallState>();
            state->sets = firewall_address_sets(estate, firewall, tags);
            state->of_address_class.assign(address_class_count, kUnset);
            state->grid = std::make_unique<ServiceGrid>(ServiceGrid::for_firewall(estate, firewall));
        }
        return *state;
    }

    static std::uint32_t firewall_class(FirewallState& state, const ClassView& e) {
        std::uint32_t& slot = state.of_address_class[e.address_class];
        if (slot != kUnset)
            return slot;
        std::vector<bool> signature;
        signature.reserve(state.sets.size());
        for (const net::AddressSet& set : state.sets)
            signature.push_back(set.contains(e.endpoint->endpoint.address));
        auto [c, fresh] =
            state.classes.try_emplace(std::move(signature), static_cast<std::uint32_t>(state.classes.size()));
        slot = c->second;
        return slot;
    }

    // The services a firewall allows (and cannot decide) from `from` to `to`, cell by cell over
    // the protocol and port boundaries of its rules, kept per pair of the firewall's own classes.
    Flowing firewall_term(model::FirewallIndex firewall, const ClassView& from, const ClassView& to) {
        FirewallState& state = firewall_state(firewall);
        std::uint64_t key = pack(firewall_class(state, from), firewall_class(state, to));
        if (const std::uint32_t* known = state.result_of.find(key))
            return state.results[*known];
        GridOutcome outcome = state.grid->evaluate(
            [&](const net::Flow& flow) {
                route::FirewallDecision d =
                    route::decide_firewall(estate, firewall, {flow, std::nullopt, false}, tags);
                return d.verdict == route::FirewallVerdict::Allow  ? CellVerdict::Allowed
                       : d.verdict == route::FirewallVerdict::Deny ? CellVerdict::Denied
                                                                   : CellVerdict::Undecidable;
            },
            from.endpoint->endpoint.address, to.endpoint->endpoint.address);
        Flowing f{sets.intern(std::move(outcome.allowed)), sets.intern(std::move(outcome.undecidable))};
        state.result_of.insert(key, static_cast<std::uint32_t>(state.results.size()));
        state.results.push_back(f);
        return f;
    }

    const CompactPlan& plan(model::SubnetIndex subnet, const ClassView& to) {
        std::vector<std::uint32_t>& of_key = plan_of[subnet];
        if (of_key.empty())
            of_key.assign(route_key_count, kUnset);
        std::uint32_t& slot = of_key[to.route_key];
        if (slot == kUnset) {
            route::RoutePlan full = route::plan_route(estate, views, subnet, to.endpoint->endpoint);
            CompactPlan compact;
            compact.end = full.end;
            for (const route::RouteStep& s : full.steps) {
                if (s.kind == route::RouteStep::Kind::Firewall)
                    compact.firewalls.push_back(s.firewall);
            }
            auto known = std::find(compact_plans.begin(), compact_plans.end(), compact);
            slot = static_cast<std::uint32_t>(known - compact_plans.begin());
            if (known == compact_plans.end())
                compact_plans.push_back(std::move(compact));
        }
        return compact_plans[slot];
    }

    // Source NSGs and routing; false when nothing can pass.
    bool leave_source(Flowing& f, const ClassView& from, const ClassView& to) {
        const ClassNsgs& source = nsgs(from);
        if (source.admin_rules_unknown) {
            step(f, sets.none(), sets.all());
        } else {
            Flowing nsgs = nsg_flow(source.nic_outbound, from, to);
            step(nsgs, nsg_flow(source.subnet_outbound, from, to));
            if (source.has_admin_rules())
                nsgs = admin_gate(source.admin_passes_outbound, source.admin_always_outbound, nsgs, from, to);
            step(f, nsgs);
        }
        return flows(f) && routed(f, from.subnet, from, to, source.outbound);
    }

    // Routing from `subnet` to `to`: the firewalls on the way and how the plan ends; false when
    // nothing can pass. `outbound` is how the source leaves for the Internet straight from its
    // subnet (none for traffic that arrived through a gateway: its destination is inside).
    bool routed(Flowing& f, model::SubnetIndex subnet, const ClassView& from, const ClassView& to,
                std::optional<route::OutboundAccess::Kind> outbound = std::nullopt) {
        const CompactPlan& p = plan(subnet, to);
        for (model::FirewallIndex firewall : p.firewalls) {
            Flowing fw = firewall_term(firewall, from, to);
            step(f, fw.allowed, fw.undecidable);
        }
        std::optional<bool> passes = route::route_end_passes(p.end);
        if (!passes) { // beyond the estate: whatever still flows is undecidable, and nothing after it decides
            f.undecidable = sets.unite(f.undecidable, f.allowed);
            f.allowed = sets.none();
            return false;
        }
        if (!*passes) {
            f = {sets.none(), sets.none()};
        } else if (p.end == route::RouteEnd::Internet && p.firewalls.empty() && outbound) {
            // Straight out of the source's subnet: the source needs a way out (route/outbound.h).
            if (*outbound == route::OutboundAccess::Kind::None)
                f = {sets.none(), sets.none()};
            else if (*outbound == route::OutboundAccess::Kind::Unknown)
                step(f, sets.none(), sets.all());
        }
        return flows(f);
    }

    bool flows(const Flowing& f) const { return f.allowed != sets.none() || f.undecidable != sets.none(); }

    // From on-premises through a gateway (route::enter_from_outside), then on by the gateway
    // subnet's routes; false when nothing can pass.
    bool through_gateway(Flowing& f, const route::OutsideEntry& entry, const ClassView& from,
                         const ClassView& to) {
        if (entry.kind == route::OutsideEntry::Kind::GatewayMaybe)
            step(f, sets.none(), sets.all());
        return routed(f, estate.virtual_network_gateways[entry.gateway].subnet, from, to);
    }

    // The destination's NSGs (subnet, then NIC), inbound.
    Flowing destination_side(const ClassView& from, const ClassView& to) {
        const ClassNsgs& destination = nsgs(to);
        Flowing f{sets.all(), sets.none()};
        if (destination.admin_rules_unknown) {
            step(f, sets.none(), sets.all());
            return f;
        }
        step(f, nsg_flow(destination.subnet_inbound, from, to));
        step(f, nsg_flow(destination.nic_inbound, from, to));
        if (destination.has_admin_rules())
            return admin_gate(destination.admin_passes_inbound, destination.admin_always_inbound, f, from,
                              to);
        return f;
    }

    // Virtual Network Manager's admin rules before the NSGs (policy/admin_rules.h): what `always`
    // allows, and what `passes` and the NSGs both allow. Undecidable is what either may allow and
    // neither surely does.
    Flowing admin_gate(const NsgReadings& passes, const NsgReadings& always, const Flowing& nsgs,
                       const ClassView& from, const ClassView& to) {
        Flowing through = nsg_flow(passes, from, to);
        step(through, nsgs);
        const Flowing bypass = nsg_flow(always, from, to);
        const SetId allowed = sets.unite(bypass.allowed, through.allowed);
        const SetId possible = sets.unite(sets.unite(bypass.allowed, bypass.undecidable),
                                          sets.unite(through.allowed, through.undecidable));
        return {allowed, sets.subtract(possible, allowed)};
    }

    // A backend's NSGs, at every address it may have.
    Flowing backend_side(const ClassView& from, const ClassView& backend) {
        if (!backend.has_candidates)
            return destination_side(from, backend);
        return over_candidates(from.index, backend.candidates(), [&](std::uint32_t, std::uint32_t b) {
            return destination_side(from, class_views[b]);
        });
    }

    void unite(Flowing& into, const Flowing& more) {
        into.allowed = sets.unite(into.allowed, more.allowed);
        into.undecidable = sets.unite(into.undecidable, more.undecidable);
    }

    // A load balancer frontend: for each protocol and port its rules take, what some backend
    // admits on the backend port, re-addressed to the frontend port.
    Flowing load_balancer(const ClassView& from, const ClassView& to) {
        const model::LoadBalancer& lb = estate.load_balancers[to.endpoint->endpoint.load_balancer];
        Flowing out{sets.none(), sets.none()};
        for (std::uint8_t protocol : {std::uint8_t{6}, std::uint8_t{17}}) {
            net::PortSet claimed; // frontend ports with a rule of their own
            for (const auto& r : lb.rules) {
                if (route::load_balancing_protocol_matches(r.protocol, protocol) && r.frontend_port > 0)
                    claimed.insert(static_cast<std::uint16_t>(r.frontend_port));
            }
            for (const auto& iv : claimed.intervals()) {
                for (unsigned port = iv.lo; port <= iv.hi; ++port) {
                    net::Flow probe;
                    probe.protocol = protocol;
                    probe.destination_port = static_cast<std::uint16_t>(port);
                    unite(out, through_rule(from, route::load_balancing_rule_for(lb, probe), protocol,
                                            net::PortSet::single(static_cast<std::uint16_t>(port))));
                }
            }
            net::Flow unclaimed;
            unclaimed.protocol = protocol;
            net::PortSet rest = claimed.complement();
            if (rest.empty())
                continue;
            unclaimed.destination_port = rest.intervals()[0].lo;
            unite(out, through_rule(from, route::load_balancing_rule_for(lb, unclaimed), protocol, rest));
        }
        return {out.allowed, sets.subtract(out.undecidable, out.allowed)};
    }

    // What the backends of `rule` admit for `protocol` on the frontend ports `ports`.
    // Surely when some backend surely admits it; undecidable when some backend may.
    Flowing through_rule(const ClassView& from, const model::LoadBalancingRule* rule, std::uint8_t protocol,
                         const net::PortSet& ports) {
        if (!rule)
            return {sets.none(), sets.none()};
        Flowing admitted{sets.none(), sets.none()};
        for (std::uint32_t backend : backends(rule->backend_pool))
            unite(admitted, backend_side(from, class_views[endpoints.endpoints[backend].equivalence_class]));
        if (pools_with_unknown_member.contains(rule->backend_pool))
            admitted.undecidable = sets.all();
        const auto to_frontend = [&](SetId at_backends) {
            if (at_backends == sets.none())
                return at_backends;
            if (rule->backend_port == 0) // HA ports: the port is kept
                return sets.intern(sets.at(at_backends)
                                       .intersect(ServiceSet::of(net::ProtocolSet::single(protocol),
                                                                 net::PortSet::all(), ports)));
            return sets.intern(
                sets.at(at_backends)
                    .readdress(protocol, static_cast<std::uint16_t>(rule->backend_port), ports));
        };
        return {to_frontend(admitted.allowed), to_frontend(admitted.undecidable)};
    }

    const std::vector<std::uint32_t>& backends(const std::string& pool) const {
        static const std::vector<std::uint32_t> kNoMembers;
        auto it = pool_members.find(pool);
        return it == pool_members.end() ? kNoMembers : it->second;
    }

    Flowing evaluate(const ClassView& from, const ClassView& to) {
        bool from_outside = from.subnet == kNone;
        bool to_outside = to.subnet == kNone && to.kind != ReachEndpoint::Kind::LoadBalancer;
        if (from.kind == ReachEndpoint::Kind::LoadBalancer ||
            from.kind == ReachEndpoint::Kind::PrivateEndpoint || to.kind == ReachEndpoint::Kind::Platform ||
            (from_outside && to_outside) || from.family != to.family)
            return {sets.none(), sets.none()};
        Flowing f{sets.all(), sets.none()};
        if (!from_outside) {
            if (!leave_source(f, from, to) || to_outside)
                return result(f);
        } else {
            const route::OutsideEntry entry =
                route::enter_from_outside(estate, from.endpoint->endpoint.address, to.endpoint->endpoint);
            if (!entry.through_gateway() && !entry.admits())
                return {sets.none(), sets.none()};
            if (entry.through_gateway() && !through_gateway(f, entry, from, to))
                return result(f);
        }
        if (to.kind == ReachEndpoint::Kind::LoadBalancer)
            step(f, load_balancer(from, to));
        else
            step(f, destination_side(from, to));
        return result(f);
    }

    Flowing result(const Flowing& f) { return {f.allowed, sets.subtract(f.undecidable, f.allowed)}; }

    // The answer for every candidate of a pair at once: allowed where each candidate pair is
    // allowed, undecidable where one may be (allowed at some, denied at others, or undecidable).
    template <typename Evaluate>
    Flowing over_candidates(std::uint32_t from_class, std::span<const std::uint32_t> to_classes,
                            Evaluate evaluate_one, std::span<const std::uint32_t> from_classes = {}) {
        const std::uint32_t single_from[] = {from_class};
        if (from_classes.empty())
            from_classes = single_from;
        SetId everywhere = sets.all();
        SetId somewhere = sets.none();
        for (std::uint32_t a : from_classes) {
            for (std::uint32_t b : to_classes) {
                const Flowing f = evaluate_one(a, b);
                everywhere = sets.intersect(everywhere, f.allowed);
                somewhere = sets.unite(somewhere, sets.unite(f.allowed, f.undecidable));
            }
        }
        return {everywhere, sets.subtract(somewhere, everywhere)};
    }

    Flowing evaluate_candidates(const ClassView& from, const ClassView& to) {
        const std::uint32_t single_to[] = {to.index};
        return over_candidates(
            from.index, to.has_candidates ? to.candidates() : std::span<const std::uint32_t>(single_to),
            [&](std::uint32_t a, std::uint32_t b) { return evaluate(class_views[a], class_views[b]); },
            from.has_candidates ? from.candidates() : std::span<const std::uint32_t>());
    }

    // A pair's result, its sets marked as results.
    Flowing pair_result(const ClassView& from, const ClassView& to) {
        const Flowing f =
            !from.has_candidates && !to.has_candidates ? evaluate(from, to) : evaluate_candidates(from, to);
        mark_result(f.allowed);
        mark_result(f.undecidable);
        return f;
    }
    void mark_result(SetId id) {
        if (id >= is_result.size())
            is_result.resize(sets.size(), 0);
        is_result[id] = 1;
    }
    std::vector<std::uint8_t> is_result; // per set id: whether some pair's result holds it
};

// Rows a worker takes at a time: small enough to balance, large enough to keep the shared counter
// quiet.
constexpr std::uint32_t kRowsPerTask = 64;

} // namespace

struct Reachability::Impl {
    Impl(const policy::PolicyEngine& engine, Diagnostics& diags, std::vector<net::AddressSet> extra)
        : shared(engine, diags, std::move(extra)) {
        evaluators.push_back(std::make_unique<Evaluator>(shared));
    }

    Shared shared;
    // [0] answers between(); the others help compute_all() and keep the sets they interned.
    std::vector<std::unique_ptr<Evaluator>> evaluators;

    // A class pair's result, as the two tagged set ids packed in a word. Pairs asked one at a time
    // before the table is made are kept in a hash map; compute_all() makes every row at once, each
    // kept as its distinct words and a code per column (ClassTable::StoredRow).
    std::unordered_map<std::uint64_t, std::uint64_t> single_pairs;
    std::vector<ClassTable::StoredRow> rows; // per class, once compute_all() has run
    std::size_t computed_pairs = 0;
    // One PairReach per distinct pair of ids: results are shared, and references stay valid. The
    // lock lets threads ask between() at once once every pair is computed.
    std::unordered_map<std::uint64_t, PairReach> materialized;
    std::mutex materialized_lock;
    // Made once every pair is computed; nothing is interned after that.
    std::optional<ClassTable> table;

    static std::uint64_t tagged(const Flowing& f, unsigned evaluator) {
        const SetId tag = static_cast<SetId>(evaluator) << kEvaluatorShift;
        return pack(f.allowed | tag, f.undecidable | tag);
    }

    const ServiceSet& set_at(SetId tagged_id) const {
        return evaluators[tagged_id >> kEvaluatorShift]->sets.at(tagged_id & kLocalIdMask);
    }

    // The packed result of a pair of endpoints: read from the table once it is made, else computed
    // on first use per pair of classes.
    std::uint64_t pair_result(std::uint32_t from, std::uint32_t to) {
        const std::uint32_t a = shared.endpoints.endpoints[from].equivalence_class;
        const std::uint32_t b = shared.endpoints.endpoints[to].equivalence_class;
        if (table)
            return table->row(a)[b];
        auto [slot, fresh] = single_pairs.try_emplace(pack(a, b));
        if (fresh) {
            slot->second =
                tagged(evaluators[0]->pair_result(shared.class_views[a], shared.class_views[b]), 0);
            ++computed_pairs;
        }
        return slot->second;
    }

    const PairReach& between(std::uint32_t from, std::uint32_t to) {
        std::uint64_t slot = pair_result(from, to);
        std::lock_guard lock(materialized_lock);
        auto [it, inserted] = materialized.try_emplace(slot);
        if (inserted)
            it->second = {set_at(static_cast<SetId>(slot >> 32)), set_at(static_cast<SetId>(slot))};
        return it->second;
    }

    unsigned worker_count(unsigned requested) const {
        if (requested == 0) {
            // A few hundred classes take milliseconds: threads would cost more than they save.
            if (shared.endpoints.class_count < 512)
                return 1;
            requested = pool_threads();
        }
        return std::min({requested, pool_threads(), kMaxEvaluators});
    }

    // One row: every column's word, computed by `evaluator` (number w) into `scratch`, then stored.
    // Pairs asked for one at a time before keep the answer they were given (`earlier`, by column).
    void compute_row(Evaluator& evaluator, unsigned w, std::uint32_t row, std::vector<std::uint64_t>& scratch,
                     const std::vector<std::pair<std::uint32_t, std::uint64_t>>& earlier) {
        const std::uint32_t classes = shared.endpoints.class_count;
        const auto& views = shared.class_views;
        scratch.resize(classes);
        auto next = earlier.begin();
        for (std::uint32_t column = 0; column < classes; ++column) {
            if (next != earlier.end() && next->first == column)
                scratch[column] = (next++)->second;
            else
                scratch[column] = tagged(evaluator.pair_result(views[row], views[column]), w);
        }
        rows[row] = ClassTable::StoredRow::encode(scratch);
    }

    // Every class pair, rows shared out to `workers` threads, each with its own evaluator; a row is
    // written by the one thread that took it.
    void compute_all(unsigned threads) {
        const std::uint32_t classes = shared.endpoints.class_count;
        if (rows.size() == classes && classes > 0)
            return;
        rows.clear();
        rows.resize(classes);
        const unsigned workers = worker_count(threads);
        while (evaluators.size() < workers)
            evaluators.push_back(std::make_unique<Evaluator>(shared));

        // Rows by source subnet: a task's rows then share their subnet's route plans and outbound
        // NSG terms, which each thread computes for itself.
        std::vector<std::uint32_t> order(classes);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return shared.class_views[a].subnet < shared.class_views[b].subnet;
        });
        // The pairs computed one at a time so far, by row and column.
        std::vector<std::vector<std::pair<std::uint32_t, std::uint64_t>>> earlier(
            single_pairs.empty() ? 0 : classes);
        for (const auto& [key, word] : single_pairs)
            earlier[key >> 32].emplace_back(static_cast<std::uint32_t>(key), word);
        for (auto& of_row : earlier)
            std::sort(of_row.begin(), of_row.end());
        static const std::vector<std::pair<std::uint32_t, std::uint64_t>> kNoneEarlier;
        std::vector<std::vector<std::uint64_t>> scratch(workers); // a row's words, per worker
        try {
            parallel_for(classes, workers, kRowsPerTask, [&](std::size_t k, unsigned w) {
                const std::uint32_t row = order[k];
                compute_row(*evaluators[w], w, row, scratch[w],
                            earlier.empty() ? kNoneEarlier : earlier[row]);
            });
        } catch (...) {
            rows.clear(); // rows left unwritten: start over on next use
            throw;
        }
        computed_pairs = std::size_t{classes} * classes;
    }

    // The least the table needs (a byte per pair of classes) against the machine's memory: what a
    // larger estate would meet is an error value now, not the allocator's failure halfway.
    std::optional<std::string> too_large() const {
        const double classes = shared.endpoints.class_count;
        const double needs = classes * classes;
        const double pages = static_cast<double>(sysconf(_SC_PHYS_PAGES));
        const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
        const double has = pages > 0 && page > 0 ? pages * page : 0;
        if (has == 0 || needs <= 0.75 * has)
            return std::nullopt;
        return fmt::format("the estate has {} equivalence classes of endpoints: their pair table needs at "
                           "least {:.1f} GB, and this machine has {:.1f} GB",
                           shared.endpoints.class_count, needs / 1e9, has / 1e9);
    }
};

Reachability::Reachability(const policy::PolicyEngine& engine, Diagnostics& diagnostics,
                           std::vector<net::AddressSet> extra_conditions)
    : impl_(std::make_unique<Impl>(engine, diagnostics, std::move(extra_conditions))) {}
Reachability::~Reachability() = default;
Reachability::Reachability(Reachability&&) noexcept = default;

const EndpointSet& Reachability::endpoints() const {
    return impl_->shared.endpoints;
}

const policy::PolicyEngine& Reachability::engine() const {
    return impl_->shared.engine;
}

const model::Estate& Reachability::estate() const {
    return impl_->shared.estate;
}

const PairReach& Reachability::between(std::uint32_t from, std::uint32_t to) {
    return impl_->between(from, to);
}

void Reachability::compute_all(unsigned threads) {
    impl_->compute_all(threads);
}

Result<const ClassTable*> Reachability::class_table(unsigned threads) {
    static_assert(ClassTable::kTagShift == kEvaluatorShift);
    Impl& impl = *impl_;
    if (impl.table)
        return &*impl.table;
    const std::uint32_t classes = impl.shared.endpoints.class_count;
    if (auto why = impl.too_large())
        return fail(*why);
    impl.compute_all(threads);
    ClassTable table;
    table.classes_ = classes;
    table.rows_ = &impl.rows;
    for (const auto& evaluator : impl.evaluators) {
        table.offsets_.push_back(static_cast<std::uint32_t>(table.sets_.size()));
        for (SetId id = 0; id < evaluator->sets.size(); ++id) {
            table.sets_.push_back(&evaluator->sets.at(id));
            table.empty_.push_back(evaluator->sets.at(id).empty() ? 1 : 0);
        }
        for (SetId id = 0; id < evaluator->is_result.size(); ++id) {
            if (evaluator->is_result[id])
                table.result_sets_.push_back(table.offsets_.back() + id);
        }
    }
    table.members_.resize(classes);
    const auto& endpoints = impl.shared.endpoints.endpoints;
    for (std::uint32_t i = 0; i < endpoints.size(); ++i)
        table.members_[endpoints[i].equivalence_class].push_back(i);
    impl.table = std::move(table);
    return &*impl.table;
}

ClassTable::Row::Row(const StoredRow& stored)
    : codes_(stored.width == 1   ? static_cast<const void*>(stored.narrow.data())
             : stored.width == 2 ? static_cast<const void*>(stored.medium.data())
                                 : static_cast<const void*>(stored.wide.data())),
      words_(stored.words.data()), count_(stored.words.size()), width_(stored.width) {}

ClassTable::Row ClassTable::row(std::uint32_t from_class) const {
    return Row((*rows_)[from_class]);
}

std::size_t ClassTable::bytes() const {
    std::size_t out = 0;
    for (const StoredRow& r : *rows_)
        out += r.words.capacity() * sizeof(std::uint64_t) + r.narrow.capacity() +
               r.medium.capacity() * sizeof(std::uint16_t) + r.wide.capacity() * sizeof(std::uint32_t);
    return out;
}

namespace {

// The distinct words of one row and each column's code, found with an open-addressing table
// (a row has few distinct words among many columns; std::unordered_map would dominate the time).
class WordCodes {
  public:
    std::uint32_t code(std::uint64_t word) {
        if (2 * (std::size_t{count_} + 1) > keys_.size())
            grow();
        std::size_t at = slot(word);
        while (used_[at] && keys_[at] != word)
            at = (at + 1) & (keys_.size() - 1);
        if (!used_[at]) {
            used_[at] = 1;
            keys_[at] = word;
            codes_[at] = count_++;
            words_.push_back(word);
        }
        return codes_[at];
    }
    std::vector<std::uint64_t> take_words() { return std::move(words_); }
    std::uint32_t count() const { return count_; }

  private:
    std::size_t slot(std::uint64_t word) const {
        return static_cast<std::size_t>((word * 0x9E3779B97F4A7C15ULL) >> 32) & (keys_.size() - 1);
    }
    void grow() {
        std::vector<std::uint64_t> words = std::move(words_);
        const std::size_t size = std::max<std::size_t>(64, keys_.size() * 2);
        keys_.assign(size, 0);
        codes_.assign(size, 0);
        used_.assign(size, 0);
        count_ = 0;
        words_.clear();
        for (std::uint64_t w : words)
            code(w);
    }
    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> codes_;
    std::vector<std::uint8_t> used_;
    std::vector<std::uint64_t> words_; // by code
    std::uint32_t count_ = 0;
};

} // namespace

ClassTable::StoredRow ClassTable::StoredRow::encode(std::span<const std::uint64_t> row) {
    WordCodes dictionary;
    std::vector<std::uint32_t> codes(row.size());
    for (std::size_t i = 0; i < row.size(); ++i)
        codes[i] = dictionary.code(row[i]);
    StoredRow out;
    const std::uint32_t distinct = dictionary.count();
    out.words = dictionary.take_words();
    out.words.shrink_to_fit();
    out.width = distinct <= 0x100 ? 1 : distinct <= 0x10000 ? 2 : 4;
    if (out.width == 1)
        out.narrow.assign(codes.begin(), codes.end());
    else if (out.width == 2)
        out.medium.assign(codes.begin(), codes.end());
    else
        out.wide = std::move(codes);
    return out;
}

bool Reachability::has_class_table() const {
    return impl_->table.has_value();
}

const ClassTable& Reachability::table() const {
    if (!impl_->table)
        throw std::logic_error("the class table is read before it is made (Reachability::class_table)");
    return *impl_->table;
}

PairView Reachability::between(std::uint32_t from, std::uint32_t to) const {
    const ClassTable& t = table();
    const auto& endpoints = impl_->shared.endpoints.endpoints;
    const ClassTable::Entry e = t.at(endpoints[from].equivalence_class, endpoints[to].equivalence_class);
    return {t.set(e.allowed), t.set(e.undecidable)};
}

const route::RouteViews& Reachability::route_views() const {
    return impl_->shared.views;
}

Reachability::Stats Reachability::stats() const {
    Stats s;
    s.endpoints = impl_->shared.endpoints.endpoints.size();
    s.classes = impl_->shared.endpoints.class_count;
    s.class_pairs_computed = impl_->computed_pairs;
    for (const auto& evaluator : impl_->evaluators) {
        s.distinct_service_sets += evaluator->sets.size();
        s.nsg_terms += evaluator->nsg_term_count;
    }
    s.threads = impl_->evaluators.size();
    return s;
}

ReferenceReach::ReferenceReach(const policy::PolicyEngine& engine)
    : engine_(engine), grid_(std::make_unique<ServiceGrid>(ServiceGrid::for_estate(engine))),
      routes_(engine.estate(), engine.tags(), routes_found_) {}
ReferenceReach::~ReferenceReach() = default;

PairReach ReferenceReach::between(const ReachEndpoint& from, const ReachEndpoint& to) const {
    if (from.kind == ReachEndpoint::Kind::LoadBalancer || to.kind == ReachEndpoint::Kind::Platform)
        return {};
    GridOutcome outcome = grid_->evaluate(
        [&](const net::Flow& flow) {
            route::PathQuery query;
            query.flow = flow;
            route::PathResult r = route::trace_path(engine_, routes_, from.endpoint, to.endpoint, query);
            return r.verdict == route::Verdict::Allowed  ? CellVerdict::Allowed
                   : r.verdict == route::Verdict::Denied ? CellVerdict::Denied
                                                         : CellVerdict::Undecidable;
        },
        from.endpoint.address, to.endpoint.address);
    return {std::move(outcome.allowed), std::move(outcome.undecidable)};
}

std::size_t ReferenceReach::cells() const {
    return grid_->cell_count();
}

} // namespace ztnet::reach
