#include "ztnet/policy/nsg_policy.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/model/virtual_hub.h"
#include "ztnet/policy/admin_rules.h"
#include "ztnet/policy/nsg_classifier.h"
#include "ztnet/support/parallel.h"

namespace ztnet::policy {

using model::Index;
using model::kNone;

namespace {

constexpr std::uint8_t kTcp = net::protocol_number(net::Protocol::Tcp);
constexpr std::uint8_t kUdp = net::protocol_number(net::Protocol::Udp);

std::size_t slot(net::Direction direction) {
    return direction == net::Direction::Inbound ? 0 : 1;
}

ResolvedRule make_default(std::string name, int priority, model::Access access, net::AddressSet sources,
                          net::AddressSet destinations) {
    ResolvedRule rule;
    rule.name = std::move(name);
    rule.priority = priority;
    rule.access = access;
    rule.is_default = true;
    rule.custom_index = -1;
    rule.protocols = net::ProtocolSet::all();
    rule.sources = std::move(sources);
    rule.destinations = std::move(destinations);
    rule.source_ports = net::PortSet::all();
    rule.destination_ports = net::PortSet::all();
    return rule;
}

std::string vnet_name(const model::Estate& estate, model::VnetIndex vnet) {
    if (!estate.virtual_networks.contains(vnet))
        return "(unknown)";
    return estate.virtual_networks[vnet].name;
}

// The VNet an IP configuration lives in, through its subnet; kNone when unknown.
model::VnetIndex vnet_of(const model::Estate& estate, const model::IpConfiguration& config) {
    if (!estate.subnets.contains(config.subnet))
        return kNone;
    return estate.subnets[config.subnet].virtual_network;
}

// A problem found while resolving an ASG, before it is reported (resolve_asg reports it at the member,
// CompiledNsg::compile at the rule that uses the ASG).
struct AsgProblem {
    std::string code;
    std::string message;
    SourceLocation where;
};

AsgAddresses analyse_asg(const model::Estate& estate, model::AsgIndex asg,
                         std::vector<AsgProblem>& problems) {
    AsgAddresses out;
    if (!estate.application_security_groups.contains(asg)) {
        problems.push_back({"asg-unknown", "application security group is not in the estate", {}});
        return out;
    }
    const model::ApplicationSecurityGroup& group = estate.application_security_groups[asg];
    std::string first_member; // the member that fixed out.vnet
    for (const auto& [nic_index, config_index] : group.members) {
        if (!estate.network_interfaces.contains(nic_index) ||
            config_index >= estate.network_interfaces[nic_index].ip_configurations.size()) {
            problems.push_back({"asg-member-unknown",
                                fmt::format("ASG {} lists a member that is not in the estate", group.name),
                                group.where});
            continue;
        }
        const model::NetworkInterface& nic = estate.network_interfaces[nic_index];
        const model::IpConfiguration& config = nic.ip_configurations[config_index];
        const std::string member = nic.name + "/" + config.name;
        if (config.private_ip)
            out.addresses.insert(*config.private_ip);
        else if (!config.candidate_ips.empty())
            // Every address the member may get: no other NIC has any of them (they are distinct).
            for (const net::Address& candidate : config.candidate_ips)
                out.addresses.insert(candidate);
        else
            problems.push_back(
                {"asg-member-no-ip",
                 fmt::format("ASG {}: member {} has no known private IP address, so the rules that use the "
                             "ASG cannot be resolved",
                             group.name, member),
                 nic.where});
        const model::VnetIndex member_vnet = vnet_of(estate, config);
        if (member_vnet == kNone)
            continue;
        if (out.vnet == kNone) {
            out.vnet = member_vnet;
            first_member = member;
        } else if (member_vnet != out.vnet) {
            problems.push_back(
                {"asg-multiple-vnets",
                 fmt::format(
                     "ASG {} has members in VNet {} ({}) and VNet {} ({}); Azure requires every member "
                     "of an ASG to be in the VNet of its first member",
                     group.name, vnet_name(estate, out.vnet), first_member, vnet_name(estate, member_vnet),
                     member),
                 nic.where});
        }
    }
    return out;
}

// Resolves rule sides for one NSG compiled in one VNet.
class SideResolver {
  public:
    // `owner` names where the rules are written, for diagnostics ("NSG nsg-web").
    SideResolver(const model::Estate& estate, std::string owner, model::VnetIndex vnet,
                 const ServiceTags& tags, Diagnostics& diagnostics)
        : estate_(estate), owner_(std::move(owner)), vnet_(vnet),
          virtual_network_(virtual_network_tag(estate, vnet)), tags_(tags), diagnostics_(diagnostics) {}

    const net::AddressSet& virtual_network() const { return virtual_network_; }

    // The addresses of one side. A part that cannot be resolved is reported, and the side is then
    // unknown (`why` says what): the rule may match anything on it and surely matches only the
    // parts that were resolved, so the verdicts that depend on it are undecidable rather than
    // decided by a rule that matches nothing.
    net::AddressSet resolve(const model::SecurityRule& rule, const model::RuleEndpoint& side, bool source,
                            std::string& why) {
        net::AddressSet out;
        auto unknown = [&](const std::string& what) { why += (why.empty() ? "" : "; ") + what; };
        for (const model::AddressEntry& entry : side.addresses) {
            switch (entry.kind) {
            case model::AddressEntry::Kind::Any:
                out = net::AddressSet::any();
                break;
            case model::AddressEntry::Kind::Prefix:
                out.insert(entry.prefix);
                break;
            case model::AddressEntry::Kind::ServiceTag:
                if (const net::AddressSet* tag = find_tag(entry.tag))
                    out = out.unite(*tag);
                else if (model::same_id(entry.tag, "AzurePlatformLKM")) {
                    // Built in, like AzurePlatformDNS, but Microsoft does not publish its addresses.
                    report(rule, source, "platform-tag-unpublished",
                           "service tag 'AzurePlatformLKM' (Windows licensing) is built into Azure, and its "
                           "addresses are not published",
                           Severity::Warning);
                    unknown("the addresses of service tag 'AzurePlatformLKM' are not published");
                } else {
                    report(rule, source, "unresolvable-service-tag",
                           fmt::format("unresolvable service tag '{}': not in the service tags file (pass "
                                       "--service-tags FILE)",
                                       entry.tag));
                    unknown(fmt::format("service tag '{}' is not in the service tags file", entry.tag));
                }
                break;
            }
        }
        for (model::AsgIndex asg : side.application_security_groups) {
            std::vector<AsgProblem> problems;
            AsgAddresses members = analyse_asg(estate_, asg, problems);
            const std::string name = estate_.application_security_groups.contains(asg)
                                         ? estate_.application_security_groups[asg].name
                                         : std::string("(unknown)");
            for (const AsgProblem& problem : problems)
                report(rule, source, problem.code, problem.message);
            if (members.vnet != kNone && vnet_ != kNone && members.vnet != vnet_) {
                report(rule, source, "asg-vnet-mismatch",
                       fmt::format("ASG {}'s members are in VNet {}, but the NSG applies in VNet {}", name,
                                   vnet_name(estate_, members.vnet), vnet_name(estate_, vnet_)));
                unknown(fmt::format("ASG {} cannot apply in VNet {}", name, vnet_name(estate_, vnet_)));
            } else if (!problems.empty()) {
                unknown(fmt::format("ASG {}: {}", name, problems.front().message));
            }
            out = out.unite(members.addresses);
        }
        return out;
    }

  private:
    const net::AddressSet* find_tag(const std::string& written) {
        const std::string_view name = canonical_tag_name(written);
        if (name == "VirtualNetwork")
            return &virtual_network_;
        if (name == "Internet") {
            if (internet_.empty())
                internet_ = internet_addresses();
            return &internet_;
        }
        if (name == "AzureLoadBalancer" || model::same_id(name, "AzurePlatformDNS")) {
            if (load_balancer_.empty())
                load_balancer_ = net::AddressSet::from(azure_platform_address());
            return &load_balancer_;
        }
        if (model::same_id(name, "AzurePlatformIMDS")) {
            if (metadata_.empty())
                metadata_ = net::AddressSet::from(azure_metadata_address());
            return &metadata_;
        }
        return tags_.find(name);
    }

    void report(const model::SecurityRule& rule, bool source, std::string code, std::string message,
                Severity severity = Severity::Error) {
        Diagnostic diagnostic;
        diagnostic.severity = severity;
        diagnostic.code = std::move(code);
        diagnostic.message = std::move(message);
        diagnostic.where = rule.where;
        diagnostic.notes.push_back(fmt::format(
            "rule {} of {} ({}, priority {}) may match anything on its {} side until this is fixed: "
            "the verdicts that depend on it are undecidable",
            rule.name, owner_, net::direction_name(rule.direction), rule.priority,
            source ? "source" : "destination"));
        diagnostics_.add(std::move(diagnostic));
    }

    const model::Estate& estate_;
    std::string owner_;
    model::VnetIndex vnet_;
    net::AddressSet virtual_network_;
    net::AddressSet internet_;
    net::AddressSet load_balancer_; // 168.63.129.16, also AzurePlatformDNS
    net::AddressSet metadata_;      // 169.254.169.254, AzurePlatformIMDS
    const ServiceTags& tags_;
    Diagnostics& diagnostics_;
};

// A rule's fields as the input gives them: for an uncertain rule each unknown field is widened to
// everything (the rule may match it all) and the known entries are kept as its narrowest reading.
ResolvedRule resolve_rule(const model::SecurityRule& rule, SideResolver& resolver) {
    using model::RuleField;
    ResolvedRule resolved;
    resolved.name = rule.name;
    resolved.priority = rule.priority;
    resolved.access = rule.access;
    resolved.protocols = rule.protocols;
    std::string source_why;
    std::string destination_why;
    resolved.sources = resolver.resolve(rule, rule.source, true, source_why);
    resolved.destinations = resolver.resolve(rule, rule.destination, false, destination_why);
    const bool has_ports = rule.protocols.contains(kTcp) || rule.protocols.contains(kUdp);
    resolved.source_ports = has_ports ? rule.source_port_set : net::PortSet::all();
    resolved.destination_ports = has_ports ? rule.destination_port_set : net::PortSet::all();
    if (rule.unknowns.empty() && source_why.empty() && destination_why.empty())
        return resolved;
    ResolvedRule narrowest = resolved;
    // A side that could not be resolved may hold anything; its resolved parts stay the narrowest.
    if (!source_why.empty())
        resolved.sources = net::AddressSet::any();
    if (!destination_why.empty())
        resolved.destinations = net::AddressSet::any();
    // A rule whose place in the order or whose direction is unknown may be absent from this list.
    if (rule.is_unknown(RuleField::Priority) || rule.is_unknown(RuleField::InboundOrOutbound))
        narrowest.protocols = net::ProtocolSet();
    if (rule.is_unknown(RuleField::Protocol)) {
        resolved.protocols = net::ProtocolSet::all();
        resolved.source_ports = rule.source_port_set;
        resolved.destination_ports = rule.destination_port_set;
    }
    if (rule.is_unknown(RuleField::Source))
        resolved.sources = net::AddressSet::any();
    if (rule.is_unknown(RuleField::Destination))
        resolved.destinations = net::AddressSet::any();
    if (rule.is_unknown(RuleField::SourcePorts))
        resolved.source_ports = net::PortSet::all();
    if (rule.is_unknown(RuleField::DestinationPorts))
        resolved.destination_ports = net::PortSet::all();
    resolved.access_unknown = rule.is_unknown(RuleField::AllowOrDeny);
    resolved.unknown = rule.unknowns.empty() ? std::string() : rule.unknowns_text();
    for (const auto& [side, why] :
         {std::pair{"source", &source_why}, std::pair{"destination", &destination_why}})
        if (!why->empty())
            resolved.unknown += fmt::format("{}{}: {}", resolved.unknown.empty() ? "" : "; ", side, *why);
    resolved.narrowest = std::make_shared<const ResolvedRule>(std::move(narrowest));
    return resolved;
}

// Stands for custom rules the input cannot tell at all: first in the order, of either access, it
// may match every flow and surely matches none.
ResolvedRule unknown_rules_stand_in(const std::string& reason) {
    ResolvedRule rule = make_default("(unknown rules)", 0, model::Access::Deny, net::AddressSet::any(),
                                     net::AddressSet::any());
    rule.is_default = false;
    rule.access_unknown = true;
    rule.unknown = reason;
    ResolvedRule nothing = rule;
    nothing.protocols = net::ProtocolSet();
    rule.narrowest = std::make_shared<const ResolvedRule>(std::move(nothing));
    return rule;
}

} // namespace

std::vector<ResolvedRule> resolve_rules(const model::Estate& estate,
                                        std::span<const model::SecurityRule* const> rules,
                                        model::VnetIndex vnet, const ServiceTags& tags,
                                        Diagnostics& diagnostics, std::string owner) {
    SideResolver resolver(estate, std::move(owner), vnet, tags, diagnostics);
    std::vector<ResolvedRule> out;
    out.reserve(rules.size());
    for (const model::SecurityRule* rule : rules)
        out.push_back(resolve_rule(*rule, resolver));
    return out;
}

ResolvedRule catch_all_rule(std::string name, int priority, model::Access access) {
    return make_default(std::move(name), priority, access, net::AddressSet::any(), net::AddressSet::any());
}

ResolvedRule in_reading(const ResolvedRule& rule, Reading reading) {
    if (!rule.uncertain())
        return rule;
    const model::Access favoured =
        reading == Reading::Permissive ? model::Access::Allow : model::Access::Deny;
    ResolvedRule out = rule.access_unknown || rule.access == favoured ? rule : *rule.narrowest;
    out.custom_index = rule.custom_index; // the narrowest sets were resolved before the rule was placed
    out.access = rule.access_unknown ? favoured : rule.access;
    out.narrowest = nullptr;
    out.access_unknown = false;
    return out;
}

bool matches_every_flow(const ResolvedRule& rule) {
    return rule.protocols.full() && rule.sources.full() && rule.destinations.full() &&
           rule.source_ports.full() && rule.destination_ports.full();
}

bool ResolvedRule::matches(const net::Flow& flow) const {
    return net::box_holds(*this, flow);
}

std::vector<ResolvedRule> default_rules(net::Direction direction, const net::AddressSet& virtual_network) {
    using model::Access;
    std::vector<ResolvedRule> rules;
    if (direction == net::Direction::Inbound) {
        rules.push_back(
            make_default("AllowVnetInBound", 65000, Access::Allow, virtual_network, virtual_network));
        rules.push_back(make_default("AllowAzureLoadBalancerInBound", 65001, Access::Allow,
                                     net::AddressSet::from(azure_platform_address()),
                                     net::AddressSet::any()));
        rules.push_back(make_default("DenyAllInBound", 65500, Access::Deny, net::AddressSet::any(),
                                     net::AddressSet::any()));
    } else {
        rules.push_back(
            make_default("AllowVnetOutBound", 65000, Access::Allow, virtual_network, virtual_network));
        rules.push_back(make_default("AllowInternetOutBound", 65001, Access::Allow, net::AddressSet::any(),
                                     internet_addresses()));
        rules.push_back(make_default("DenyAllOutBound", 65500, Access::Deny, net::AddressSet::any(),
                                     net::AddressSet::any()));
    }
    return rules;
}

// Besides the VNet's and its peers' spaces, the tag covers "the on-premises address space" a
// gateway connects (Microsoft Learn, virtual-network/service-tags-overview): the prefixes of the
// local network gateways reached through the gateways that serve the VNet, and what the user says
// BGP taught its subnets (--routes); prefixes a BGP gateway learns that the input does not list are
// not included. Route prefixes are added below, per VNet (a superset of Azure's per-subnet tag).
net::AddressSet virtual_network_tag(const model::Estate& estate, model::VnetIndex vnet) {
    net::AddressSet out = net::AddressSet::from(azure_platform_address());
    if (!estate.virtual_networks.contains(vnet))
        return out;
    const model::VirtualNetwork& network = estate.virtual_networks[vnet];
    std::vector<net::Prefix> prefixes = network.address_space;
    for (model::PeeringIndex p : network.peerings) {
        if (!estate.peerings.contains(p))
            continue;
        const model::Peering& peering = estate.peerings[p];
        // "Allow access to the remote virtual network" off takes the peer out of the VirtualNetwork tag.
        if (!peering.allow_virtual_network_access)
            continue;
        if (peering.remote_virtual_network != kNone &&
            estate.virtual_networks.contains(peering.remote_virtual_network)) {
            const auto& remote = estate.virtual_networks[peering.remote_virtual_network].address_space;
            prefixes.insert(prefixes.end(), remote.begin(), remote.end());
        } else {
            prefixes.insert(prefixes.end(), peering.remote_address_space.begin(),
                            peering.remote_address_space.end());
        }
    }
    // What a Virtual WAN hub teaches the VNet counts as what a gateway or a route teaches it: the
    // other connections' spaces, and the prefixes it sends to its firewall (0.0.0.0/0 where the
    // connection takes the default route), as for a user-defined route below: a superset.
    if (const model::Peering* connection = model::hub_connection(estate, vnet)) {
        for (model::VnetIndex other : connection->hub_routes_to) {
            const auto& space = estate.virtual_networks[other].address_space;
            prefixes.insert(prefixes.end(), space.begin(), space.end());
        }
        for (const auto& r :
             estate.virtual_networks[connection->remote_virtual_network].virtual_hub->to_firewall)
            if (r.prefix.length() > 0 || connection->propagates_default_route)
                prefixes.push_back(r.prefix);
    }
    for (model::GatewayIndex g : model::gateways_reaching(estate, vnet)) {
        const auto& on_premises = estate.virtual_network_gateways[g].on_premises_prefixes;
        prefixes.insert(prefixes.end(), on_premises.begin(), on_premises.end());
    }
    for (model::SubnetIndex s : network.subnets)
        if (estate.subnets.contains(s))
            prefixes.insert(prefixes.end(), estate.subnets[s].learned_prefixes.begin(),
                            estate.subnets[s].learned_prefixes.end());
    // The service-tags overview counts "address prefixes used in user-defined routes" into the tag, and
    // a 0.0.0.0/0 route to an appliance then makes it cover everything. Azure applies it per subnet; the
    // tag here is per VNet, so the routes of every route table on the VNet's subnets are included: a
    // superset, the conservative reading for a security analysis. Routes whose prefix is a service tag
    // are left out (their addresses need the tags file).
    for (model::SubnetIndex s : network.subnets) {
        model::RouteTableIndex table = estate.subnets.contains(s) ? estate.subnets[s].route_table : kNone;
        if (!estate.route_tables.contains(table))
            continue;
        for (const model::Route& route : estate.route_tables[table].routes) {
            if (auto prefix = net::Prefix::parse(route.address_prefix))
                prefixes.push_back(*prefix);
        }
    }
    return out.unite(net::AddressSet::from_prefixes(prefixes));
}

AsgAddresses resolve_asg(const model::Estate& estate, model::AsgIndex asg, Diagnostics& diagnostics) {
    std::vector<AsgProblem> problems;
    AsgAddresses out = analyse_asg(estate, asg, problems);
    for (AsgProblem& problem : problems)
        diagnostics.error(std::move(problem.code), std::move(problem.message), std::move(problem.where));
    return out;
}

// ---- CompiledNsg ----

struct CompiledNsg::Classifier {
    detail::RuleClassifier impl;
};

CompiledNsg::CompiledNsg() = default;
CompiledNsg::~CompiledNsg() = default;
CompiledNsg::CompiledNsg(CompiledNsg&&) noexcept = default;
// clang-tidy 14 names the defaulted operator's parameter __i0 and then objects to the name.
// NOLINTNEXTLINE(bugprone-reserved-identifier,readability-identifier-naming)
CompiledNsg& CompiledNsg::operator=(CompiledNsg&&) noexcept = default;

CompiledNsg CompiledNsg::compile(const model::Estate& estate, model::NsgIndex nsg, model::VnetIndex vnet,
                                 const ServiceTags& tags, Diagnostics& diagnostics) {
    assert(estate.network_security_groups.contains(nsg));
    std::vector<ResolvedRule> by_direction[2];
    if (!estate.network_security_groups.contains(nsg)) {
        CompiledNsg out =
            from_rules(default_rules(net::Direction::Inbound, virtual_network_tag(estate, vnet)),
                       default_rules(net::Direction::Outbound, virtual_network_tag(estate, vnet)));
        out.vnet_ = vnet;
        return out;
    }
    const model::NetworkSecurityGroup& group = estate.network_security_groups[nsg];
    SideResolver resolver(estate, "NSG " + group.name, vnet, tags, diagnostics);
    if (!group.rules_unknown.empty()) {
        for (std::vector<ResolvedRule>& rules : by_direction)
            rules.push_back(unknown_rules_stand_in(group.rules_unknown));
    }
    for (std::size_t i = 0; i < group.rules.size(); ++i) {
        const model::SecurityRule& rule = group.rules[i];
        if (rule.is_default)
            continue; // an export's copy of a default rule: the defaults are added below
        ResolvedRule resolved = resolve_rule(rule, resolver);
        resolved.custom_index = static_cast<int>(i);
        if (rule.is_unknown(model::RuleField::InboundOrOutbound)) // it may be a rule of either direction
            by_direction[slot(net::Direction::Inbound)].push_back(resolved);
        by_direction[slot(rule.is_unknown(model::RuleField::InboundOrOutbound) ? net::Direction::Outbound
                                                                               : rule.direction)]
            .push_back(std::move(resolved));
    }
    for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound}) {
        std::vector<ResolvedRule>& rules = by_direction[slot(direction)];
        // Azure rejects equal priorities in one direction (the loader reports them); input order breaks ties.
        std::stable_sort(rules.begin(), rules.end(), [](const ResolvedRule& a, const ResolvedRule& b) {
            return a.priority < b.priority;
        });
        for (ResolvedRule& rule : default_rules(direction, resolver.virtual_network()))
            rules.push_back(std::move(rule));
    }
    CompiledNsg out = from_rules(std::move(by_direction[0]), std::move(by_direction[1]));
    out.nsg_ = nsg;
    out.vnet_ = vnet;
    return out;
}

CompiledNsg CompiledNsg::from_rules(std::vector<ResolvedRule> inbound, std::vector<ResolvedRule> outbound) {
    CompiledNsg out;
    out.rules_[0] = std::move(inbound);
    out.rules_[1] = std::move(outbound);
    for (std::size_t d = 0; d < 2; ++d)
        out.classifiers_[d] =
            std::make_unique<Classifier>(Classifier{detail::RuleClassifier::build(out.rules_[d])});
    const auto uncertain = [](const std::vector<ResolvedRule>& rules) {
        return std::any_of(rules.begin(), rules.end(), [](const ResolvedRule& r) { return r.uncertain(); });
    };
    if (uncertain(out.rules_[0]) || uncertain(out.rules_[1])) {
        for (Reading reading : {Reading::Restrictive, Reading::Permissive}) {
            std::vector<ResolvedRule> plain[2];
            for (std::size_t d = 0; d < 2; ++d) {
                for (const ResolvedRule& rule : out.rules_[d])
                    plain[d].push_back(in_reading(rule, reading));
            }
            out.readings_[static_cast<std::size_t>(reading)] =
                std::make_unique<CompiledNsg>(from_rules(std::move(plain[0]), std::move(plain[1])));
        }
    }
    return out;
}

const CompiledNsg& CompiledNsg::in(Reading reading) const {
    const std::unique_ptr<CompiledNsg>& plain = readings_[static_cast<std::size_t>(reading)];
    return plain ? *plain : *this;
}

const std::vector<ResolvedRule>& CompiledNsg::rules(net::Direction direction) const {
    return rules_[slot(direction)];
}

// When no rule matches (only possible for rules given to from_rules without the defaults, or for a
// default-constructed CompiledNsg), both decide() and decide_linear() answer Deny with rule ==
// rules(direction).size().
NsgDecision CompiledNsg::decide(net::Direction direction, const net::Flow& flow) const {
    if (uncertain()) {
        const NsgDecision restrictive = in(Reading::Restrictive).decide(direction, flow);
        const NsgDecision permissive = in(Reading::Permissive).decide(direction, flow);
        if (restrictive.access == permissive.access) // Allow surely in the one, Deny surely in the other
            return restrictive.access == model::Access::Allow ? restrictive : permissive;
        return {model::Access::Deny, restrictive.rule, true, permissive.rule};
    }
    const std::unique_ptr<Classifier>& classifier = classifiers_[slot(direction)];
    if (!classifier)
        return {model::Access::Deny, 0};
    return classifier->impl.decide(flow);
}

NsgDecision CompiledNsg::decide_linear(net::Direction direction, const net::Flow& flow) const {
    const std::vector<ResolvedRule>& rules = rules_[slot(direction)];
    bool may_allow = false;
    bool may_deny = false;
    std::uint32_t first_allow = 0;
    std::uint32_t first_deny = 0;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const ResolvedRule& rule = rules[i];
        if (!rule.matches(flow))
            continue;
        const auto at = static_cast<std::uint32_t>(i);
        if (rule.access_unknown || rule.access == model::Access::Allow) {
            first_allow = may_allow ? first_allow : at;
            may_allow = true;
        }
        if (rule.access_unknown || rule.access == model::Access::Deny) {
            first_deny = may_deny ? first_deny : at;
            may_deny = true;
        }
        const bool surely = !rule.uncertain() || rule.narrowest->matches(flow);
        if (!surely)
            continue;
        if (may_allow && may_deny)
            return {model::Access::Deny, first_deny, true, first_allow};
        return {rule.access, at};
    }
    if (may_allow)
        return {model::Access::Deny, static_cast<std::uint32_t>(rules.size()), true, first_allow};
    return {model::Access::Deny, static_cast<std::uint32_t>(rules.size())};
}

// ---- PolicyEngine ----

namespace {

// Compiled NSGs are kept sorted by (NSG, VNet), packed in one word.
std::uint64_t compiled_key(model::NsgIndex nsg, model::VnetIndex vnet) {
    return std::uint64_t{nsg.value()} << 32 | vnet.value();
}

// Every (NSG, VNet) an NSG applies in, read from both sides of the association (the subnet's or
// NIC's reference and the NSG's lists of them), and an NSG that applies nowhere once without a VNet.
std::vector<std::pair<model::NsgIndex, model::VnetIndex>> nsg_uses(const model::Estate& estate) {
    std::vector<std::pair<model::NsgIndex, model::VnetIndex>> uses;
    auto add = [&](model::NsgIndex nsg, model::VnetIndex vnet) {
        if (estate.network_security_groups.contains(nsg))
            uses.emplace_back(nsg, vnet);
    };
    auto subnet_vnet = [&](model::SubnetIndex subnet) {
        return estate.subnets.contains(subnet) ? estate.subnets[subnet].virtual_network : kNone;
    };
    auto add_nic = [&](model::NsgIndex nsg, const model::NetworkInterface& nic) {
        bool placed = false;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            const model::VnetIndex vnet = vnet_of(estate, config);
            if (vnet != kNone) {
                add(nsg, vnet);
                placed = true;
            }
        }
        if (!placed)
            add(nsg, kNone);
    };
    for (const model::Subnet& subnet : estate.subnets) {
        if (subnet.network_security_group != kNone)
            add(subnet.network_security_group, subnet.virtual_network);
    }
    for (const model::NetworkInterface& nic : estate.network_interfaces) {
        if (nic.network_security_group != kNone)
            add_nic(nic.network_security_group, nic);
    }
    for (model::NsgIndex n : estate.network_security_groups.indices()) {
        const model::NetworkSecurityGroup& group = estate.network_security_groups[n];
        for (model::SubnetIndex subnet : group.subnets) {
            if (subnet_vnet(subnet) != kNone)
                add(n, subnet_vnet(subnet));
        }
        for (model::NicIndex nic : group.network_interfaces) {
            if (estate.network_interfaces.contains(nic))
                add_nic(n, estate.network_interfaces[nic]);
        }
    }
    std::vector<bool> used(estate.network_security_groups.size(), false);
    for (const auto& [nsg, vnet] : uses)
        used[nsg.value()] = true;
    for (model::NsgIndex n : estate.network_security_groups.indices()) {
        if (!used[n.value()])
            uses.emplace_back(n, kNone);
    }
    std::sort(uses.begin(), uses.end());
    uses.erase(std::unique(uses.begin(), uses.end()), uses.end());
    return uses;
}

} // namespace

PolicyEngine::PolicyEngine(const model::Estate& estate, const ServiceTags& tags, Diagnostics& diagnostics)
    : estate_(estate), tags_(tags), diagnostics_(diagnostics) {
    compile_admin_rules();
    compile_nsgs();
    compile_unknown_nsgs();
}

PolicyEngine::~PolicyEngine() = default;

const AdminRules* PolicyEngine::admin_rules(model::VnetIndex vnet) const {
    auto it = admin_rules_.find(vnet);
    return it == admin_rules_.end() ? nullptr : it->second.get();
}

const CompiledNsg& PolicyEngine::nsg(model::NsgIndex nsg, model::VnetIndex vnet) const {
    const std::uint64_t key = compiled_key(nsg, vnet);
    if (const CompiledNsg* known = find(key))
        return *known;
    // Every NSG is compiled where it applies: asking elsewhere is a mistake of the caller.
    throw std::out_of_range(fmt::format("NSG {} is not compiled for VNet {}: it does not apply there",
                                        nsg.value(), vnet.value()));
}

const CompiledNsg& PolicyEngine::nsg(model::NsgIndex nsg) const {
    auto it = position(std::uint64_t{nsg.value()} << 32);
    if (it == compiled_.end() || it->first >> 32 != nsg.value())
        throw std::out_of_range(fmt::format("NSG {} is not in the estate", nsg.value()));
    return *it->second;
}

const CompiledNsg& PolicyEngine::unknown_nsg(model::VnetIndex vnet, const std::string& why) const {
    auto it = unknown_.find({vnet, why});
    if (it == unknown_.end())
        throw std::out_of_range(
            fmt::format("no subnet or NIC of VNet {} refers to the unknown NSG '{}'", vnet.value(), why));
    return *it->second;
}

PolicyEngine::Compiled::const_iterator PolicyEngine::position(std::uint64_t key) const {
    return std::lower_bound(compiled_.begin(), compiled_.end(), key,
                            [](const auto& entry, std::uint64_t k) { return entry.first < k; });
}

const CompiledNsg* PolicyEngine::find(std::uint64_t key) const {
    auto it = position(key);
    return it != compiled_.end() && it->first == key ? it->second.get() : nullptr;
}

void PolicyEngine::keep_diagnostics(const Diagnostics& found) {
    // The same rule compiled for another VNet finds the same unresolvable tag: report it once.
    for (const Diagnostic& diagnostic : found.all())
        diagnostics_.add_once(diagnostic);
}

void PolicyEngine::compile_admin_rules() {
    for (model::VnetIndex v : estate_.virtual_networks.indices()) {
        if (estate_.virtual_networks[v].admin_rules.empty())
            continue;
        Diagnostics found;
        admin_rules_[v] = std::make_unique<AdminRules>(AdminRules::compile(estate_, v, tags_, found));
        keep_diagnostics(found);
    }
}

void PolicyEngine::compile_nsgs() {
    const std::vector<std::pair<model::NsgIndex, model::VnetIndex>> uses = nsg_uses(estate_);
    // Compiled on every thread of the pool (compiling reads only the estate and the tags), then kept
    // and reported in the order of `uses`, as one by one.
    std::vector<std::unique_ptr<CompiledNsg>> compiled(uses.size());
    std::vector<Diagnostics> found(uses.size());
    parallel_for(uses.size(), pool_threads(), 4, [&](std::size_t k, unsigned) {
        const auto [nsg_index, vnet] = uses[k];
        compiled[k] =
            std::make_unique<CompiledNsg>(CompiledNsg::compile(estate_, nsg_index, vnet, tags_, found[k]));
    });
    compiled_.reserve(uses.size());
    for (std::size_t k = 0; k < uses.size(); ++k) { // `uses` is sorted: so are the keys
        keep_diagnostics(found[k]);
        compiled_.emplace_back(compiled_key(uses[k].first, uses[k].second), std::move(compiled[k]));
    }
}

void PolicyEngine::compile_unknown_nsgs() {
    auto stand_in = [&](model::VnetIndex vnet, const std::string& why) {
        std::unique_ptr<CompiledNsg>& kept = unknown_[{vnet, why}];
        if (kept)
            return;
        const net::AddressSet vnet_tag = virtual_network_tag(estate_, vnet);
        std::vector<ResolvedRule> lists[2];
        for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound}) {
            std::vector<ResolvedRule>& rules = lists[slot(direction)];
            rules.push_back(unknown_rules_stand_in(why));
            for (ResolvedRule& rule : default_rules(direction, vnet_tag))
                rules.push_back(std::move(rule));
        }
        kept =
            std::make_unique<CompiledNsg>(CompiledNsg::from_rules(std::move(lists[0]), std::move(lists[1])));
        kept->vnet_ = vnet;
    };
    for (const model::Subnet& subnet : estate_.subnets) {
        if (subnet.network_security_group == kNone && !subnet.network_security_group_unknown.empty())
            stand_in(subnet.virtual_network, subnet.network_security_group_unknown);
    }
    for (const model::NetworkInterface& nic : estate_.network_interfaces) {
        if (nic.network_security_group != kNone || nic.network_security_group_unknown.empty())
            continue;
        for (const model::IpConfiguration& config : nic.ip_configurations) {
            if (estate_.subnets.contains(config.subnet))
                stand_in(estate_.subnets[config.subnet].virtual_network, nic.network_security_group_unknown);
        }
    }
}

} // namespace ztnet::policy
