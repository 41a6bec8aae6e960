// The plan: which NSGs to rewrite (or add), and their rules, from the intent's flows.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "ztnet/harden/detail/rule_draft.h"
#include "ztnet/harden/harden.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/net/protocol.h"
#include "ztnet/reach/verify.h"
#include "ztnet/route/path.h"
#include "ztnet/support/ascii.h"

namespace ztnet::harden {
namespace {

using detail::add_prefix;
using detail::any_side;
using detail::Draft;
using detail::fixed;
using detail::kDenyAllPriority;
using detail::kProbePriority;
using detail::kRequirementPriority;
using detail::Side;
using detail::tag_side;
using model::AddressEntry;
using model::IntentSelector;
using model::kNone;
using net::Direction;
using reach::ReachEndpoint;

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

// Subnets whose NSG Azure dictates rule by rule, or forbids: never rewritten.
constexpr std::string_view kSpecialSubnets[] = {"AzureBastionSubnet", "GatewaySubnet", "AzureFirewallSubnet",
                                                "AzureFirewallManagementSubnet", "RouteServerSubnet"};

bool is_special(const model::Subnet& subnet) {
    return std::any_of(std::begin(kSpecialSubnets), std::end(kSpecialSubnets),
                       [&](std::string_view name) { return ascii::iequals(subnet.name, name); });
}

// An NSG the plan rewrites, or one it adds for a subnet without.
struct Target {
    model::NsgIndex nsg = kNone; // kNone: a new one for `new_for`
    model::SubnetIndex new_for = kNone;
    std::set<std::string> subnets, nics;
    std::vector<Draft> drafts;
    bool app_gateway_v1 = false, app_gateway = false;
    std::vector<net::Prefix> app_gateway_prefixes;
    std::vector<std::string> probe_flows; // intent flows from the probes to endpoints behind it
};

std::string flow_label(const model::IntentFlow& flow) {
    if (!flow.name.empty())
        return flow.name;
    std::string from, to;
    for (const std::string& g : flow.from)
        from += (from.empty() ? "" : ",") + g;
    for (const std::string& g : flow.to)
        to += (to.empty() ? "" : ",") + g;
    return fmt::format("{} -> {}", from, to);
}

class Planner {
  public:
    Planner(const analysis::Analysis& analysis, const PlanOptions& options)
        : analysis_(analysis), estate_(analysis.estate()), reach_(*analysis.reachability()),
          check_(*analysis.intent_check()), intent_(*analysis.intent()), options_(options) {}

    Result<HardenPlan> run();

  private:
    void gather_targets();
    std::vector<Target*> targets_of(model::SubnetIndex subnet, model::NicIndex nic);
    Result<std::vector<Side>> sides(const model::IntentGroup& group, bool as_source,
                                    bool as_group = true) const;
    void propose_asgs();
    std::optional<model::VnetIndex> vnet_of_group(model::AsgIndex g) const;
    Result<bool> add_flow(const model::IntentFlow& flow, std::size_t order);
    Result<bool> add_pair(const model::IntentFlow& flow, std::size_t order, std::size_t from_group,
                          std::size_t to_group);
    void add_to_backends(const Draft& draft, const ReachEndpoint& lb);
    bool to_backend_group(const Draft& draft, const Side& source, const model::LoadBalancingRule& rule);
    Side inside_only(const Side& side) const;
    void add_requirements(Target& target);
    void add_requirement_flows();
    template <class From, class To>
    bool intent_names(From&& from, To&& to, const net::ProtocolSet& protocols,
                      const net::PortSet& ports) const;
    NsgProposal proposal(Target& target);
    std::size_t group_index(std::string_view name) const;

    const analysis::Analysis& analysis_;
    const model::Estate& estate_;
    const reach::Reachability& reach_;
    const reach::IntentCheck& check_;
    const model::Intent& intent_;
    const PlanOptions options_;
    std::map<std::string, Target> targets_; // by NSG id (or the proposed id of a new one)
    std::map<const model::IntentGroup*, model::AsgIndex> group_asgs_; // groups written as one ASG
    std::map<std::size_t, model::VnetIndex> proposed_vnets_;          // by AsgIndex value
    // The members of each group the intent's groups are written as: (NIC, IP configuration).
    std::map<std::size_t, std::set<std::pair<model::NicIndex, model::Index>>> group_members_;
    HardenPlan plan_;
    std::set<std::string> left_alone_;
    std::optional<Error> unexpressible_; // met where a Result cannot be returned
};

std::size_t Planner::group_index(std::string_view name) const {
    for (std::size_t g = 0; g < intent_.groups.size(); ++g)
        if (ascii::iequals(intent_.groups[g].name, name))
            return g;
    return intent_.groups.size();
}

// The NSGs in front of an endpoint: its subnet's (or the one the plan adds there) and its NIC's.
std::vector<Target*> Planner::targets_of(model::SubnetIndex subnet, model::NicIndex nic) {
    std::vector<Target*> out;
    if (subnet != kNone) {
        const model::Subnet& s = estate_.subnets[subnet];
        const std::string id = s.network_security_group != kNone
                                   ? estate_.network_security_groups[s.network_security_group].id
                                   : s.id + "#new-nsg";
        if (auto found = targets_.find(model::id_key(id)); found != targets_.end())
            out.push_back(&found->second);
    }
    if (nic != kNone && estate_.network_interfaces[nic].network_security_group != kNone) {
        const model::NsgIndex n = estate_.network_interfaces[nic].network_security_group;
        if (auto found = targets_.find(model::id_key(estate_.network_security_groups[n].id));
            found != targets_.end())
            out.push_back(&found->second);
    }
    return out;
}

// Every NSG in front of an endpoint inside the estate, and a new one for every subnet of such
// endpoints without; special subnets and NSGs the input cannot tell are left alone.
void Planner::gather_targets() {
    auto leave = [&](const std::string& id, const std::string& name, std::string why) {
        if (left_alone_.insert(model::id_key(id)).second)
            plan_.left_alone.push_back({id, name, std::move(why)});
    };
    for (const ReachEndpoint& e : reach_.endpoints().endpoints) {
        const bool inside =
            e.kind == ReachEndpoint::Kind::Nic || e.kind == ReachEndpoint::Kind::ApplicationGateway ||
            e.kind == ReachEndpoint::Kind::PrivateEndpoint || e.kind == ReachEndpoint::Kind::Bastion;
        if (!inside || e.endpoint.subnet == kNone)
            continue;
        const model::SubnetIndex s = e.endpoint.subnet;
        const model::Subnet& subnet = estate_.subnets[s];
        if (is_special(subnet)) {
            leave(subnet.id, subnet.name,
                  "Azure dictates this subnet's NSG rule by rule, or forbids one: it is not rewritten");
            continue;
        }
        if (!subnet.network_security_group_unknown.empty()) {
            leave(subnet.id, subnet.name,
                  "the input cannot tell this subnet's NSG (" + subnet.network_security_group_unknown + ")");
            continue;
        }
        const bool has = subnet.network_security_group != kNone;
        const std::string id =
            has ? estate_.network_security_groups[subnet.network_security_group].id : subnet.id + "#new-nsg";
        Target& t = targets_[model::id_key(id)];
        t.nsg = has ? subnet.network_security_group : model::NsgIndex(kNone);
        t.new_for = has ? model::SubnetIndex(kNone) : s;
        t.subnets.insert(subnet.id);
        if (e.kind == ReachEndpoint::Kind::ApplicationGateway) {
            const model::ApplicationGateway& agw =
                estate_.application_gateways[e.endpoint.application_gateway];
            t.app_gateway = true;
            const bool v1 = agw.sku_tier && (*agw.sku_tier == model::AppGatewayTier::Standard ||
                                             *agw.sku_tier == model::AppGatewayTier::Waf);
            t.app_gateway_v1 = t.app_gateway_v1 || v1;
            for (const net::Prefix& p : subnet.address_prefixes)
                t.app_gateway_prefixes.push_back(p);
        }
        if (e.endpoint.nic != kNone) {
            const model::NetworkInterface& nic = estate_.network_interfaces[e.endpoint.nic];
            if (nic.network_security_group != kNone) {
                Target& n =
                    targets_[model::id_key(estate_.network_security_groups[nic.network_security_group].id)];
                n.nsg = nic.network_security_group;
                n.nics.insert(nic.id);
            }
        }
    }
}

// How a group is written on one side of a rule, one Side per kind of entry. Without `as_group`, by
// its addresses alone: no application security group, the group's own or one it names.
Result<std::vector<Side>> Planner::sides(const model::IntentGroup& group, bool as_source,
                                         bool as_group) const {
    if (auto found = group_asgs_.find(&group); as_group && found != group_asgs_.end()) {
        Side one;
        one.asgs.push_back(found->second);
        return std::vector<Side>{std::move(one)};
    }
    Side addresses; // prefixes, which one rule side may list together
    Side asgs;
    std::vector<std::string> tags;
    auto unexpressible = [&](std::string why) {
        return fail_with(
            "harden-unexpressible",
            fmt::format("intent group '{}' cannot be written in an NSG rule: {}", group.name, why));
    };
    auto add_ip = [&](const model::IpConfiguration& config, std::string_view nic) -> Result<bool> {
        if (!config.private_ip || config.address_stand_in)
            return unexpressible(fmt::format("the address of NIC {} is not known offline; name its subnet or "
                                             "an application security group",
                                             nic));
        add_prefix(addresses, net::Prefix::host(*config.private_ip));
        return true;
    };
    for (const IntentSelector& selector : group.selectors) {
        switch (selector.kind) {
        case IntentSelector::Kind::Subnet:
            for (model::SubnetIndex s : reach::named_subnets(estate_, selector.value))
                for (const net::Prefix& p : estate_.subnets[s].address_prefixes)
                    add_prefix(addresses, p);
            break;
        case IntentSelector::Kind::Asg:
            for (model::AsgIndex g : reach::named(estate_.application_security_groups, selector.value)) {
                if (as_group) {
                    asgs.asgs.push_back(g);
                    continue;
                }
                // By address: where the group cannot be named (an NSG of another VNet).
                for (const auto& [n, c] : estate_.application_security_groups[g].members)
                    if (auto ok = add_ip(estate_.network_interfaces[n].ip_configurations[c],
                                         estate_.network_interfaces[n].name);
                        !ok)
                        return ok.error();
            }
            break;
        case IntentSelector::Kind::Nic:
            for (model::NicIndex n : reach::named(estate_.network_interfaces, selector.value))
                for (const model::IpConfiguration& c : estate_.network_interfaces[n].ip_configurations)
                    if (auto ok = add_ip(c, estate_.network_interfaces[n].name); !ok)
                        return ok.error();
            break;
        case IntentSelector::Kind::Vm:
            for (model::VmIndex v : reach::named(estate_.virtual_machines, selector.value))
                for (model::NicIndex n : estate_.network_interfaces.indices())
                    if (estate_.network_interfaces[n].virtual_machine == v)
                        for (const model::IpConfiguration& c :
                             estate_.network_interfaces[n].ip_configurations)
                            if (auto ok = add_ip(c, estate_.network_interfaces[n].name); !ok)
                                return ok.error();
            break;
        case IntentSelector::Kind::Prefix: {
            Result<net::Prefix> prefix = net::Prefix::parse(selector.value);
            if (!prefix)
                return unexpressible(prefix.error().message);
            add_prefix(addresses, *prefix);
            break;
        }
        case IntentSelector::Kind::ServiceTag:
            tags.push_back(selector.value);
            break;
        case IntentSelector::Kind::PrivateEndpoint:
        case IntentSelector::Kind::PaasService:
            for (model::PrivateEndpointIndex p : reach::fronting_endpoints(estate_, selector, nullptr)) {
                const model::PrivateEndpoint& endpoint = estate_.private_endpoints[p];
                if (endpoint.private_ips.empty() || !endpoint.address_undecidable.empty())
                    return unexpressible(
                        fmt::format("private endpoint {} has no address known offline", endpoint.name));
                for (const net::Address& ip : endpoint.private_ips)
                    add_prefix(addresses, net::Prefix::host(ip));
            }
            break;
        case IntentSelector::Kind::Internet:
            tags.emplace_back("Internet");
            break;
        case IntentSelector::Kind::ApplicationGateway:
            // Its instances take addresses of its subnet: that is what a backend's NSG sees.
            for (model::AppGatewayIndex a : reach::named(estate_.application_gateways, selector.value))
                for (model::SubnetIndex s : estate_.application_gateways[a].subnets)
                    for (const net::Prefix& p : estate_.subnets[s].address_prefixes)
                        add_prefix(addresses, p);
            break;
        case IntentSelector::Kind::LoadBalancer:
            if (as_source)
                return unexpressible("a load balancer does not send traffic of its own");
            for (model::LoadBalancerIndex l : reach::named(estate_.load_balancers, selector.value))
                for (const model::Frontend& f : estate_.load_balancers[l].frontends) {
                    if (!f.private_ip)
                        return unexpressible(
                            fmt::format("load balancer {} has a frontend whose address is not "
                                        "known offline",
                                        estate_.load_balancers[l].name));
                    add_prefix(addresses, net::Prefix::host(*f.private_ip));
                }
            break;
        }
    }
    std::vector<Side> out;
    if (!addresses.addresses.empty())
        out.push_back(std::move(addresses));
    for (const std::string& tag : tags) // a rule side names one service tag at most, and nothing beside it
        if (std::none_of(out.begin(), out.end(), [&](const Side& side) { return side.key() == tag + ","; }))
            out.push_back(tag_side(tag));
    for (model::AsgIndex g : asgs.asgs) { // and one group at most
        Side one;
        one.asgs.push_back(g);
        out.push_back(std::move(one));
    }
    return out;
}

// The part of a rule side inside the estate's VNets: its ASGs, its prefixes inside an address
// space, the VirtualNetwork tag.
Side Planner::inside_only(const Side& side) const {
    Side out;
    out.asgs = side.asgs;
    for (const AddressEntry& a : side.addresses) {
        const bool inside =
            (a.kind == AddressEntry::Kind::ServiceTag && ascii::iequals(a.tag, "VirtualNetwork")) ||
            (a.kind == AddressEntry::Kind::Prefix &&
             std::any_of(
                 estate_.virtual_networks.begin(), estate_.virtual_networks.end(), [&](const auto& vnet) {
                     return std::any_of(vnet.address_space.begin(), vnet.address_space.end(),
                                        [&](const net::Prefix& space) { return space.contains(a.prefix); });
                 }));
        if (inside)
            out.addresses.push_back(a);
    }
    return out;
}

// A flow to a load balancer's frontend reaches its backends with their address and port: the
// backends' NSGs decide, and are given the rule with the backend's port.
void Planner::add_to_backends(const Draft& draft, const ReachEndpoint& lb_endpoint) {
    const model::LoadBalancer& lb = estate_.load_balancers[lb_endpoint.endpoint.load_balancer];
    for (const model::LoadBalancingRule& rule : lb.rules) {
        const std::uint8_t protocol = draft.protocol == "Udp" ? kUdp : kTcp;
        if (!route::load_balancing_protocol_matches(rule.protocol, protocol))
            continue;
        if (rule.frontend_port != 0 && !draft.ports.contains(static_cast<std::uint16_t>(rule.frontend_port)))
            continue;
        // An internal frontend is reached from inside only: a backend rule that admitted sources
        // outside every VNet would let them reach a backend with a public IP directly.
        const auto frontend =
            std::find_if(lb.frontends.begin(), lb.frontends.end(),
                         [&](const model::Frontend& f) { return model::same_id(f.id, rule.frontend); });
        const bool internal = frontend != lb.frontends.end() && frontend->public_ip == kNone;
        const Side source = internal ? inside_only(draft.source) : draft.source;
        if (source.addresses.empty() && source.asgs.empty())
            continue;
        if (to_backend_group(draft, source, rule))
            continue;
        for (model::NicIndex n : estate_.network_interfaces.indices()) {
            const model::NetworkInterface& nic = estate_.network_interfaces[n];
            for (const model::IpConfiguration& config : nic.ip_configurations) {
                const bool member = std::any_of(
                    config.load_balancer_backend_pools.begin(), config.load_balancer_backend_pools.end(),
                    [&](const std::string& pool) { return model::same_id(pool, rule.backend_pool); });
                if (!member)
                    continue;
                // An address Azure picks at deployment cannot be written in a rule: the stand-in
                // the analysis uses would be wrong in Azure.
                if (!config.private_ip || config.address_stand_in) {
                    if (!unexpressible_)
                        unexpressible_ = fail_with(
                            "harden-unexpressible",
                            fmt::format(
                                "backend {} of load balancer {} has an address Azure picks at deployment; "
                                "give it a static address, or name its tier by an application security "
                                "group",
                                nic.name, lb.name));
                    continue;
                }
                Draft backend = draft;
                backend.source = source;
                backend.direction = Direction::Inbound;
                backend.destination = Side{};
                add_prefix(backend.destination, net::Prefix::host(*config.private_ip));
                if (rule.backend_port != 0)
                    backend.ports = net::PortSet::single(static_cast<std::uint16_t>(rule.backend_port));
                else if (rule.frontend_port != 0)
                    backend.ports = net::PortSet::single(static_cast<std::uint16_t>(rule.frontend_port));
                backend.reasons = {draft.reasons.front() +
                                   fmt::format(" (through {} rule {})", lb.name, rule.name)};
                for (Target* t : targets_of(config.subnet, n))
                    t->drafts.push_back(backend);
            }
        }
    }
}

// The protocols of an intent flow as NSG rules spell them: one rule per protocol, TCP and UDP for
// "any protocol" on some ports (other protocols have none).
std::vector<std::string> rule_protocols(const model::IntentFlow& flow) {
    if (flow.protocols.full() && flow.ports.full())
        return {"*"};
    std::vector<std::string> out;
    if (flow.protocols.contains(kTcp))
        out.emplace_back("Tcp");
    if (flow.protocols.contains(kUdp))
        out.emplace_back("Udp");
    if (flow.protocols.contains(1) && flow.ports.full())
        out.emplace_back("Icmp");
    return out;
}

Result<bool> Planner::add_pair(const model::IntentFlow& flow, std::size_t order, std::size_t from_group,
                               std::size_t to_group) {
    const model::IntentGroup& from = intent_.groups[from_group];
    const model::IntentGroup& to = intent_.groups[to_group];
    Result<std::vector<Side>> sources = sides(from, true);
    if (!sources)
        return sources.error();
    Result<std::vector<Side>> destinations = sides(to, false);
    if (!destinations)
        return destinations.error();
    const auto& endpoints = reach_.endpoints().endpoints;
    const std::string reason = fmt::format("intent flow '{}'", flow_label(flow));
    // An NSG names only the ASGs of the VNet it applies in (Azure refuses the others): at an
    // endpoint of another VNet, a group's side is written by its members' addresses.
    std::optional<std::vector<Side>> source_addresses, destination_addresses;
    auto written_at = [&](const Side& side, bool as_source, std::uint32_t at) -> Result<std::vector<Side>> {
        const model::SubnetIndex subnet = endpoints[at].endpoint.subnet;
        const auto group_vnet = side.asgs.empty() ? std::nullopt : vnet_of_group(side.asgs.front());
        if (!group_vnet || subnet == kNone || estate_.subnets[subnet].virtual_network == *group_vnet)
            return std::vector<Side>{side};
        std::optional<std::vector<Side>>& cached = as_source ? source_addresses : destination_addresses;
        if (!cached) {
            Result<std::vector<Side>> by_address = sides(as_source ? from : to, as_source, false);
            if (!by_address)
                return by_address.error();
            cached = std::move(*by_address);
        }
        return *cached;
    };
    // One draft of the flow at the NSGs in front of endpoint `at`, with the side that names the far
    // end written as that NSG can name it.
    auto place = [&](const Draft& draft, std::uint32_t at) -> Result<bool> {
        const bool outbound = draft.direction == Direction::Outbound;
        Result<std::vector<Side>> far =
            written_at(outbound ? draft.destination : draft.source, !outbound, at);
        if (!far)
            return far.error();
        for (const Side& side : *far) {
            Draft local = draft;
            (outbound ? local.destination : local.source) = side;
            for (Target* t : targets_of(endpoints[at].endpoint.subnet, endpoints[at].endpoint.nic))
                t->drafts.push_back(local);
        }
        return true;
    };
    for (const std::string& protocol : rule_protocols(flow)) {
        for (const Side& source : *sources) {
            for (const Side& destination : *destinations) {
                Draft draft;
                draft.source = source;
                draft.destination = destination;
                draft.protocol = protocol;
                draft.ports = protocol == "Tcp" || protocol == "Udp" ? flow.ports : net::PortSet::all();
                draft.reasons = {reason};
                draft.label = flow_label(flow);
                draft.order = order;
                // Outbound where it leaves.
                draft.direction = Direction::Outbound;
                for (std::uint32_t e : check_.members(from_group))
                    if (Result<bool> placed = place(draft, e); !placed)
                        return placed.error();
                // Inbound where it arrives: at the endpoint, or at a load balancer's backends.
                draft.direction = Direction::Inbound;
                for (std::uint32_t e : check_.members(to_group)) {
                    if (endpoints[e].kind != ReachEndpoint::Kind::LoadBalancer) {
                        if (Result<bool> placed = place(draft, e); !placed)
                            return placed.error();
                        continue;
                    }
                    // The backends are in the frontend's VNet: the source as their NSGs name it.
                    Result<std::vector<Side>> near = written_at(draft.source, true, e);
                    if (!near)
                        return near.error();
                    for (const Side& side : *near) {
                        Draft backend = draft;
                        backend.source = side;
                        add_to_backends(backend, endpoints[e]);
                    }
                }
            }
        }
    }
    return true;
}

// A load-balancing rule whose backend pool is exactly the members of a group the plan writes: one
// rule to the group at the backends' NSGs, rather than one per backend address (which needs no
// known address either). False when no group has exactly the pool, or the rule would name groups
// of two VNets.
bool Planner::to_backend_group(const Draft& draft, const Side& source, const model::LoadBalancingRule& rule) {
    std::set<std::pair<model::NicIndex, model::Index>> pool;
    for (model::NicIndex n : estate_.network_interfaces.indices()) {
        const auto& configs = estate_.network_interfaces[n].ip_configurations;
        for (model::Index c = 0; c < configs.size(); ++c)
            if (std::any_of(configs[c].load_balancer_backend_pools.begin(),
                            configs[c].load_balancer_backend_pools.end(),
                            [&](const std::string& p) { return model::same_id(p, rule.backend_pool); }))
                pool.emplace(n, c);
    }
    const auto group = std::find_if(group_members_.begin(), group_members_.end(),
                                    [&](const auto& entry) { return !pool.empty() && entry.second == pool; });
    if (group == group_members_.end())
        return false;
    const model::AsgIndex g(group->first);
    if (!source.asgs.empty()) {
        const auto a = vnet_of_group(source.asgs.front()), b = vnet_of_group(g);
        if (a && b && *a != *b)
            return false;
    }
    Draft backend = draft;
    backend.source = source;
    backend.direction = Direction::Inbound;
    backend.destination = Side{};
    backend.destination.asgs.push_back(g);
    if (rule.backend_port != 0)
        backend.ports = net::PortSet::single(static_cast<std::uint16_t>(rule.backend_port));
    else if (rule.frontend_port != 0)
        backend.ports = net::PortSet::single(static_cast<std::uint16_t>(rule.frontend_port));
    backend.reasons = {draft.reasons.front() + fmt::format(" (through load-balancing rule {})", rule.name)};
    std::set<Target*> targets;
    for (const auto& [n, c] : pool)
        for (Target* t : targets_of(estate_.network_interfaces[n].ip_configurations[c].subnet, n))
            targets.insert(t);
    for (Target* t : targets)
        t->drafts.push_back(backend);
    return true;
}

// The VNet of a group: that of its first member (Azure keeps every member in it).
std::optional<model::VnetIndex> Planner::vnet_of_group(model::AsgIndex g) const {
    if (auto proposed = proposed_vnets_.find(g.value()); proposed != proposed_vnets_.end())
        return proposed->second;
    if (!estate_.application_security_groups.contains(g))
        return std::nullopt;
    for (const auto& [nic, config] : estate_.application_security_groups[g].members) {
        const model::SubnetIndex subnet = estate_.network_interfaces[nic].ip_configurations[config].subnet;
        if (subnet != kNone)
            return estate_.subnets[subnet].virtual_network;
    }
    return std::nullopt;
}

template <class T>
bool contains(const std::vector<T>& items, const T& item) {
    return std::find(items.begin(), items.end(), item) != items.end();
}

// Lower-case letters, digits and '-': what an ASG's name is made of here.
std::string asg_name(std::string_view group) {
    std::string out = "asg-";
    for (char c : group)
        out += std::isalnum(static_cast<unsigned char>(c)) != 0
                   ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                   : '-';
    return out.substr(0, 80);
}

// Every intent group of VMs or NICs in one VNet becomes one application security group: the
// estate's own when one has exactly its members, else a new one.
void Planner::propose_asgs() {
    std::set<std::string> taken;
    for (const model::ApplicationSecurityGroup& g : estate_.application_security_groups)
        taken.insert(ascii::lower(g.name));
    for (const model::IntentGroup& group : intent_.groups) {
        const bool machines =
            !group.selectors.empty() &&
            std::all_of(group.selectors.begin(), group.selectors.end(), [](const auto& s) {
                return s.kind == IntentSelector::Kind::Vm || s.kind == IntentSelector::Kind::Nic;
            });
        if (!machines)
            continue;
        std::set<std::pair<model::NicIndex, model::Index>> members;
        for (const IntentSelector& selector : group.selectors) {
            for (model::NicIndex n : estate_.network_interfaces.indices()) {
                const model::NetworkInterface& nic = estate_.network_interfaces[n];
                const bool named = selector.kind == IntentSelector::Kind::Nic
                                       ? contains(reach::named(estate_.network_interfaces, selector.value), n)
                                       : nic.virtual_machine != kNone &&
                                             contains(reach::named(estate_.virtual_machines, selector.value),
                                                      nic.virtual_machine);
                for (model::Index c = 0; named && c < nic.ip_configurations.size(); ++c)
                    members.emplace(n, c);
            }
        }
        std::set<model::VnetIndex> vnets;
        for (const auto& [n, c] : members) {
            const model::SubnetIndex subnet = estate_.network_interfaces[n].ip_configurations[c].subnet;
            vnets.insert(subnet != kNone ? estate_.subnets[subnet].virtual_network : model::VnetIndex(kNone));
        }
        if (members.empty() || vnets.size() != 1 || *vnets.begin() == kNone)
            continue; // Azure keeps a group's members in one VNet
        // The estate's own group, when one has exactly these members.
        std::optional<model::AsgIndex> own;
        for (model::AsgIndex g : estate_.application_security_groups.indices()) {
            const auto& m = estate_.application_security_groups[g].members;
            if (std::set<std::pair<model::NicIndex, model::Index>>(m.begin(), m.end()) == members)
                own = g;
        }
        if (own) {
            group_asgs_[&group] = *own;
            group_members_[own->value()] = members;
            continue;
        }
        const model::NetworkInterface& first = estate_.network_interfaces[members.begin()->first];
        const model::ResourceIdParts parts = model::parse_resource_id(first.id);
        std::string name = asg_name(group.name);
        for (int n = 2; taken.contains(ascii::lower(name)); ++n)
            name = fmt::format("{}-{}", asg_name(group.name), n);
        taken.insert(ascii::lower(name));
        ProposedAsg proposed;
        proposed.name = name;
        proposed.id = fmt::format("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/"
                                  "applicationSecurityGroups/{}",
                                  parts.subscription, parts.resource_group, name);
        proposed.location = first.location;
        proposed.group = group.name;
        for (const auto& [n, c] : members)
            proposed.members.emplace_back(estate_.network_interfaces[n].id,
                                          estate_.network_interfaces[n].ip_configurations[c].name);
        const model::AsgIndex index(estate_.application_security_groups.size() + plan_.asgs.size());
        plan_.asgs.push_back(std::move(proposed));
        group_asgs_[&group] = index;
        proposed_vnets_[index.value()] = *vnets.begin();
        group_members_[index.value()] = members;
    }
}

// A flow from the load balancer's probes is the probe rule every NSG gets (below).
bool from_probes(const model::IntentGroup& group) {
    return !group.selectors.empty() &&
           std::all_of(group.selectors.begin(), group.selectors.end(), [](const auto& s) {
               return s.kind == IntentSelector::Kind::ServiceTag &&
                      ascii::iequals(s.value, "AzureLoadBalancer");
           });
}

Result<bool> Planner::add_flow(const model::IntentFlow& flow, std::size_t order) {
    const auto& endpoints = reach_.endpoints().endpoints;
    for (const std::string& from : flow.from) {
        const std::size_t f = group_index(from);
        if (f == intent_.groups.size())
            continue;
        if (from_probes(intent_.groups[f])) {
            for (const std::string& to : flow.to)
                if (const std::size_t t = group_index(to); t < intent_.groups.size())
                    for (std::uint32_t e : check_.members(t))
                        for (Target* target :
                             targets_of(endpoints[e].endpoint.subnet, endpoints[e].endpoint.nic))
                            if (std::find(target->probe_flows.begin(), target->probe_flows.end(),
                                          flow_label(flow)) == target->probe_flows.end())
                                target->probe_flows.push_back(flow_label(flow));
            continue;
        }
        for (const std::string& to : flow.to) {
            const std::size_t t = group_index(to);
            if (t == intent_.groups.size())
                continue;
            if (auto ok = add_pair(flow, order, f, t); !ok)
                return ok;
        }
    }
    return true;
}

// A requirement the intent's own rules already meet (same direction, source and protocol, its ports
// or more) adds its reason to that rule rather than a rule of its own.
void require(Target& t, Draft requirement) {
    for (Draft& d : t.drafts) {
        if (d.priority == 0 && d.direction == requirement.direction &&
            d.source.key() == requirement.source.key() && d.protocol == requirement.protocol &&
            d.ports.contains(requirement.ports)) {
            d.reasons.push_back(requirement.reasons.front());
            return;
        }
    }
    t.drafts.push_back(std::move(requirement));
}

// What Azure requires of the subnet, the health probes, and the baseline.
void Planner::add_requirements(Target& t) {
    if (t.app_gateway) {
        const net::PortSet infrastructure =
            t.app_gateway_v1 ? net::PortSet::range(65503, 65534) : net::PortSet::range(65200, 65535);
        require(t,
                fixed(Direction::Inbound, tag_side("GatewayManager"), any_side(), "Tcp", infrastructure,
                      kRequirementPriority, "AppGatewayInfrastructure",
                      "Azure: the App Gateway subnet admits its infrastructure ports from GatewayManager"));
        Side instances;
        for (const net::Prefix& p : t.app_gateway_prefixes)
            add_prefix(instances, p);
        require(t, fixed(Direction::Outbound, instances, tag_side("Internet"), "*", net::PortSet::all(),
                         kRequirementPriority, "AppGatewayInternet",
                         "Azure: an App Gateway's outbound Internet connectivity cannot be blocked"));
    }
    Draft probes =
        fixed(Direction::Inbound, tag_side("AzureLoadBalancer"), any_side(), "*", net::PortSet::all(),
              kProbePriority, "AzureLoadBalancerProbes",
              "Azure: load balancer health probes (the default rule AllowAzureLoadBalancerInBound, which "
              "DenyAll at 4096 would shadow)");
    for (const std::string& flow : t.probe_flows)
        probes.reasons.push_back(fmt::format("intent flow '{}'", flow));
    t.drafts.push_back(std::move(probes));
    for (Direction d : {Direction::Inbound, Direction::Outbound})
        t.drafts.push_back(fixed(d, any_side(), any_side(), "*", net::PortSet::all(), kDenyAllPriority,
                                 d == Direction::Inbound ? "DenyAllInbound" : "DenyAllOutbound",
                                 "baseline: everything the rules above do not allow is denied"));
}

// The NSG's drafts merged, numbered and named, with what they replace.
NsgProposal Planner::proposal(Target& t) {
    add_requirements(t);
    NsgProposal out;
    if (t.nsg != kNone) {
        const model::NetworkSecurityGroup& nsg = estate_.network_security_groups[t.nsg];
        out.nsg_id = nsg.id;
        out.nsg_name = nsg.name;
        for (const model::SecurityRule& r : nsg.rules)
            out.replaced.push_back(fmt::format("{} ({}, {}, {})", r.name, r.priority,
                                               net::direction_name(r.direction),
                                               r.access == model::Access::Allow ? "Allow" : "Deny"));
    } else {
        const model::Subnet& subnet = estate_.subnets[t.new_for];
        const model::ResourceIdParts parts = model::parse_resource_id(subnet.id);
        out.is_new = true;
        out.nsg_name = fmt::format("nsg-{}", subnet.name);
        out.nsg_id = fmt::format("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/"
                                 "networkSecurityGroups/{}",
                                 parts.subscription, parts.resource_group, out.nsg_name);
    }
    out.subnets.assign(t.subnets.begin(), t.subnets.end());
    out.nics.assign(t.nics.begin(), t.nics.end());
    std::vector<Draft> exact = detail::merged(std::move(t.drafts));
    out.rules = detail::numbered(exact);
    if (exact.size() <= options_.max_rules)
        return out;
    // Too many for the NSG: wider rules, whose cost the proof measures.
    std::optional<std::vector<Draft>> fewer = detail::bounded(exact, options_.max_rules, out.widened);
    if (!fewer) {
        if (!unexpressible_)
            unexpressible_ =
                fail_with("harden-too-many-rules",
                          fmt::format("{} needs {} rules, and no two of its rules can be merged into "
                                      "one to bring it to {}",
                                      out.nsg_name, exact.size(), options_.max_rules));
        return out;
    }
    out.exact_rules = std::move(out.rules);
    out.rules = detail::numbered(*fewer);
    return out;
}

// Whether some flow of the intent goes from a group with a selector `from` accepts to one with a
// selector `to` accepts, for all of `protocols` and `ports`.
template <class From, class To>
bool Planner::intent_names(From&& from, To&& to, const net::ProtocolSet& protocols,
                           const net::PortSet& ports) const {
    auto selects = [&](const std::vector<std::string>& groups, auto&& accepts) {
        return std::any_of(groups.begin(), groups.end(), [&](const std::string& name) {
            const model::IntentGroup* group = intent_.find_group(name);
            return group != nullptr && std::any_of(group->selectors.begin(), group->selectors.end(), accepts);
        });
    };
    for (const auto* flows : {&intent_.flows, &intent_.platform_flows})
        for (const model::IntentFlow& flow : *flows)
            if (flow.protocols.contains(protocols) && flow.ports.contains(ports) &&
                selects(flow.from, from) && selects(flow.to, to))
                return true;
    return false;
}

// Azure's requirements the intent does not name, as intent flows: for the user to see (and add),
// and for the proof to take as platform flows. An App Gateway's infrastructure ports and its
// outbound Internet.
void Planner::add_requirement_flows() {
    model::Intent& intent = plan_.proof_intent;
    auto ensure_group = [&](std::string name, IntentSelector::Kind kind, std::string value) {
        if (intent.find_group(name) == nullptr)
            intent.groups.push_back({name, {IntentSelector{kind, std::move(value), {}}}, {}});
        return name;
    };
    for (model::AppGatewayIndex a : estate_.application_gateways.indices()) {
        const model::ApplicationGateway& agw = estate_.application_gateways[a];
        const bool hardened = std::any_of(agw.subnets.begin(), agw.subnets.end(), [&](model::SubnetIndex s) {
            const model::Subnet& subnet = estate_.subnets[s];
            const std::string id = subnet.network_security_group != kNone
                                       ? estate_.network_security_groups[subnet.network_security_group].id
                                       : subnet.id + "#new-nsg";
            return targets_.contains(model::id_key(id));
        });
        if (!hardened)
            continue;
        const bool v1 = agw.sku_tier && (*agw.sku_tier == model::AppGatewayTier::Standard ||
                                         *agw.sku_tier == model::AppGatewayTier::Waf);
        const std::string gateway =
            ensure_group("azure-" + agw.name, IntentSelector::Kind::ApplicationGateway, agw.id);
        const std::string manager =
            ensure_group("azure-gateway-manager", IntentSelector::Kind::ServiceTag, "GatewayManager");
        const std::string internet =
            ensure_group(std::string(model::kInternetGroup), IntentSelector::Kind::Internet, "");
        const net::PortSet infrastructure =
            v1 ? net::PortSet::range(65503, 65534) : net::PortSet::range(65200, 65535);
        auto names_gateway = [&](const IntentSelector& sel) {
            if (sel.kind != IntentSelector::Kind::ApplicationGateway)
                return false;
            const auto named = reach::named(estate_.application_gateways, sel.value);
            return std::find(named.begin(), named.end(), a) != named.end();
        };
        auto names_tag = [](std::string_view tag) {
            return [tag](const IntentSelector& sel) {
                return (sel.kind == IntentSelector::Kind::ServiceTag && ascii::iequals(sel.value, tag)) ||
                       (sel.kind == IntentSelector::Kind::Internet && ascii::iequals(tag, "Internet"));
            };
        };
        const bool ports_named = intent_names(names_tag("GatewayManager"), names_gateway,
                                              net::ProtocolSet::single(kTcp), infrastructure);
        const bool outbound_named =
            intent_names(names_gateway, names_tag("Internet"), net::ProtocolSet::all(), net::PortSet::all());
        model::IntentFlow ports;
        ports.name = fmt::format("Azure: {} infrastructure ports", agw.name);
        ports.from = {manager};
        ports.to = {gateway};
        ports.protocols = net::ProtocolSet::single(kTcp);
        ports.ports = infrastructure;
        ports.platform = true;
        model::IntentFlow outbound;
        outbound.name = fmt::format("Azure: {} outbound Internet", agw.name);
        outbound.from = {gateway};
        outbound.to = {internet};
        outbound.protocols = net::ProtocolSet::all();
        outbound.ports = net::PortSet::all();
        outbound.platform = true;
        for (auto [flow, named] : {std::pair{&ports, ports_named}, std::pair{&outbound, outbound_named}}) {
            if (named)
                continue;
            plan_.azure_requirements.push_back(*flow);
            intent.platform_flows.push_back(std::move(*flow));
        }
    }
}

Result<HardenPlan> Planner::run() {
    gather_targets();
    if (options_.propose_asgs)
        propose_asgs();
    std::size_t order = 0;
    for (const auto* flows : {&intent_.flows, &intent_.platform_flows})
        for (const model::IntentFlow& flow : *flows)
            if (auto ok = add_flow(flow, order++); !ok)
                return ok.error();
    if (unexpressible_)
        return *unexpressible_;
    for (auto& [key, target] : targets_)
        plan_.nsgs.push_back(proposal(target));
    if (unexpressible_)
        return *unexpressible_;
    if (plan_.nsgs.size() > 0 && std::any_of(plan_.nsgs.begin(), plan_.nsgs.end(), [](const NsgProposal& n) {
            return std::count_if(n.rules.begin(), n.rules.end(), [](const ProposedRule& r) {
                       return r.rule.priority >= kRequirementPriority;
                   }) == 0;
        }))
        return fail_with("internal-error", "a hardened NSG lacks its baseline rules");
    plan_.proof_intent = intent_;
    add_requirement_flows();
    return std::move(plan_);
}

} // namespace

Result<HardenPlan> plan_hardening(const analysis::Analysis& analysis, const PlanOptions& options) {
    if (!analysis.intent_check() || !analysis.intent() || !analysis.reachability())
        return fail_with("harden-no-intent", "hardening needs an intent: the flows the NSGs must allow");
    if (options.max_rules < 3)
        return fail_with("harden-too-many-rules",
                         "an NSG of the plan needs room for at least three rules: an "
                         "allow rule and DenyAll both ways");
    return Planner(analysis, options).run();
}

HardenPlan exact_plan(const HardenPlan& plan) {
    HardenPlan out = plan;
    for (NsgProposal& nsg : out.nsgs) {
        if (nsg.exact_rules.empty())
            continue;
        nsg.rules = std::move(nsg.exact_rules);
        nsg.exact_rules.clear();
        nsg.widened.clear();
    }
    return out;
}

} // namespace ztnet::harden
