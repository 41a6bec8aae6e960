#include "ztnet/reach/verify.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/reach/detail/merge_internet.h"

namespace ztnet::reach {
namespace {

using model::Index;
using model::IntentSelector;
using model::kNone;

bool same(std::string_view a, std::string_view b) {
    return model::same_id(a, b);
}

std::optional<net::AddressSet> selector_addresses(const IntentSelector& selector,
                                                  const policy::ServiceTags& tags) {
    if (selector.kind == IntentSelector::Kind::Prefix) {
        if (auto prefix = net::Prefix::parse(selector.value))
            return net::AddressSet::from(*prefix);
        if (auto address = net::Address::parse(selector.value))
            return net::AddressSet::from(*address);
        return std::nullopt;
    }
    if (selector.kind == IntentSelector::Kind::ServiceTag) {
        std::string_view tag = policy::canonical_tag_name(selector.value);
        if (same(tag, "Internet") || same(tag, "AzureLoadBalancer") || same(tag, "VirtualNetwork"))
            return std::nullopt; // endpoints of their own, or not one set (see select())
        if (const net::AddressSet* set = tags.find(tag))
            return *set;
    }
    return std::nullopt;
}

} // namespace

std::vector<model::PrivateEndpointIndex>
fronting_endpoints(const model::Estate& estate, const IntentSelector& selector, Diagnostics* diagnostics) {
    if (selector.kind == IntentSelector::Kind::PrivateEndpoint) {
        std::vector<model::PrivateEndpointIndex> found = named(estate.private_endpoints, selector.value);
        if (found.empty() && diagnostics)
            diagnostics->error("intent-unknown-name",
                               fmt::format("the estate has no private endpoint named '{}'", selector.value),
                               selector.where);
        return found;
    }
    std::vector<model::PrivateEndpointIndex> out;
    const auto services = named(estate.paas_services, selector.value);
    if (services.empty() && diagnostics)
        diagnostics->error("intent-unknown-name",
                           fmt::format("the estate has no PaaS service named '{}'", selector.value),
                           selector.where);
    for (const auto s : services) {
        const model::PaasService& service = estate.paas_services[s];
        out.insert(out.end(), service.private_endpoints.begin(), service.private_endpoints.end());
        if (service.private_endpoints.empty() && diagnostics)
            diagnostics->warning(
                "intent-paas-no-private-endpoint",
                fmt::format("{} {} has no private endpoint in the estate: the group holds none of its "
                            "addresses (name its public endpoint by its service tag)",
                            model::service_label(service.service), service.name),
                selector.where);
    }
    return out;
}

std::vector<model::SubnetIndex> named_subnets(const model::Estate& estate, std::string_view value) {
    std::vector<model::SubnetIndex> out = named(estate.subnets, value);
    auto slash = value.find('/');
    if (!out.empty() || slash == std::string_view::npos || value.starts_with("/"))
        return out;
    std::string_view vnet = value.substr(0, slash);
    std::string_view subnet = value.substr(slash + 1);
    for (model::SubnetIndex s : estate.subnets.indices()) {
        const model::Subnet& sub = estate.subnets[s];
        if (same(sub.name, subnet) && sub.virtual_network != kNone &&
            same(estate.virtual_networks[sub.virtual_network].name, vnet))
            out.push_back(s);
    }
    return out;
}

std::vector<net::AddressSet> intent_address_conditions(const model::Intent& intent,
                                                       const policy::ServiceTags& tags) {
    std::vector<net::AddressSet> out;
    for (const model::IntentGroup& group : intent.groups) {
        for (const IntentSelector& selector : group.selectors) {
            if (auto set = selector_addresses(selector, tags))
                out.push_back(std::move(*set));
        }
    }
    return out;
}

IntentCheck::IntentCheck(const Reachability& reach, const model::Intent& intent,
                         const policy::ServiceTags& tags, Diagnostics& diagnostics)
    : reach_(reach), intent_(intent) {
    resolve(tags, diagnostics);
}

std::vector<std::uint32_t> IntentCheck::select(const IntentSelector& selector,
                                               const policy::ServiceTags& tags,
                                               Diagnostics& diagnostics) const {
    const model::Estate& estate = reach_.estate();
    const auto& endpoints = reach_.endpoints().endpoints;
    using Kind = ReachEndpoint::Kind;
    std::vector<std::uint32_t> out;
    auto keep = [&](auto predicate) {
        for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
            if (predicate(endpoints[e]))
                out.push_back(e);
        }
    };
    auto unknown = [&](std::string_view what) {
        diagnostics.error("intent-unknown-name",
                          fmt::format("the estate has no {} named '{}'", what, selector.value),
                          selector.where);
    };
    switch (selector.kind) {
    case IntentSelector::Kind::Subnet: {
        const auto subnets = named_subnets(estate, selector.value);
        if (subnets.empty())
            unknown("subnet");
        if (subnets.size() > 1)
            diagnostics.error("intent-ambiguous-name",
                              fmt::format("'{}' names {} subnets; write vnet/subnet or the subnet's id",
                                          selector.value, subnets.size()),
                              selector.where);
        keep([&](const ReachEndpoint& e) {
            return e.kind != Kind::Internet && e.kind != Kind::Platform &&
                   std::find(subnets.begin(), subnets.end(), e.endpoint.subnet) != subnets.end();
        });
        break;
    }
    case IntentSelector::Kind::Asg: {
        const auto asgs = named(estate.application_security_groups, selector.value);
        if (asgs.empty())
            unknown("application security group");
        keep([&](const ReachEndpoint& e) {
            if (e.kind != Kind::Nic)
                return false;
            const auto& in = estate.network_interfaces[e.endpoint.nic]
                                 .ip_configurations[e.endpoint.ip_configuration]
                                 .application_security_groups;
            return std::any_of(in.begin(), in.end(), [&](model::AsgIndex a) {
                return std::find(asgs.begin(), asgs.end(), a) != asgs.end();
            });
        });
        break;
    }
    case IntentSelector::Kind::Nic: {
        const auto nics = named(estate.network_interfaces, selector.value);
        if (nics.empty())
            unknown("network interface");
        keep([&](const ReachEndpoint& e) {
            return e.kind == Kind::Nic && std::find(nics.begin(), nics.end(), e.endpoint.nic) != nics.end();
        });
        break;
    }
    case IntentSelector::Kind::Vm: {
        const auto vms = named(estate.virtual_machines, selector.value);
        if (vms.empty())
            unknown("virtual machine");
        keep([&](const ReachEndpoint& e) {
            return e.kind == Kind::Nic &&
                   std::find(vms.begin(), vms.end(),
                             estate.network_interfaces[e.endpoint.nic].virtual_machine) != vms.end();
        });
        break;
    }
    case IntentSelector::Kind::ApplicationGateway: {
        const auto gateways = named(estate.application_gateways, selector.value);
        if (gateways.empty())
            unknown("application gateway");
        keep([&](const ReachEndpoint& e) {
            return e.kind == Kind::ApplicationGateway &&
                   std::find(gateways.begin(), gateways.end(), e.endpoint.application_gateway) !=
                       gateways.end();
        });
        break;
    }
    case IntentSelector::Kind::LoadBalancer: {
        const auto balancers = named(estate.load_balancers, selector.value);
        if (balancers.empty())
            unknown("load balancer");
        keep([&](const ReachEndpoint& e) {
            return e.kind == Kind::LoadBalancer &&
                   std::find(balancers.begin(), balancers.end(), e.endpoint.load_balancer) != balancers.end();
        });
        break;
    }
    case IntentSelector::Kind::PrivateEndpoint:
    case IntentSelector::Kind::PaasService: {
        const std::vector<model::PrivateEndpointIndex> fronting =
            fronting_endpoints(estate, selector, &diagnostics);
        keep([&](const ReachEndpoint& e) {
            return e.kind == Kind::PrivateEndpoint &&
                   std::find(fronting.begin(), fronting.end(), e.endpoint.private_endpoint) != fronting.end();
        });
        break;
    }
    case IntentSelector::Kind::Internet:
        keep([](const ReachEndpoint& e) { return e.kind == Kind::Internet; });
        break;
    case IntentSelector::Kind::ServiceTag: {
        std::string_view tag = policy::canonical_tag_name(selector.value);
        if (same(tag, "Internet")) {
            keep([](const ReachEndpoint& e) { return e.kind == Kind::Internet; });
        } else if (same(tag, "AzureLoadBalancer")) {
            keep([](const ReachEndpoint& e) { return e.kind == Kind::Platform; });
        } else if (same(tag, "VirtualNetwork")) {
            diagnostics.error(
                "intent-virtual-network-tag",
                "VirtualNetwork means a different set in every VNet; name subnets or prefixes instead",
                selector.where);
        } else if (auto set = selector_addresses(selector, tags)) {
            keep([&](const ReachEndpoint& e) { return set->contains(e.addresses); });
        } else {
            diagnostics.error("intent-unknown-tag",
                              fmt::format("'{}' is not a service tag of the tags file", selector.value),
                              selector.where);
        }
        break;
    }
    case IntentSelector::Kind::Prefix: {
        auto set = selector_addresses(selector, tags);
        if (!set) {
            diagnostics.error("intent-bad-prefix",
                              fmt::format("'{}' is not an address or prefix", selector.value),
                              selector.where);
            break;
        }
        keep([&](const ReachEndpoint& e) { return !e.addresses.empty() && set->contains(e.addresses); });
        break;
    }
    }
    return out;
}

void IntentCheck::resolve(const policy::ServiceTags& tags, Diagnostics& diagnostics) {
    std::size_t endpoint_count = reach_.endpoints().endpoints.size();
    members_.resize(intent_.groups.size());
    for (std::size_t g = 0; g < intent_.groups.size(); ++g) {
        for (const IntentSelector& selector : intent_.groups[g].selectors) {
            std::vector<std::uint32_t> found = select(selector, tags, diagnostics);
            members_[g].insert(members_[g].end(), found.begin(), found.end());
        }
        std::sort(members_[g].begin(), members_[g].end());
        members_[g].erase(std::unique(members_[g].begin(), members_[g].end()), members_[g].end());
        if (members_[g].empty())
            diagnostics.warning(
                "intent-empty-group",
                fmt::format("group '{}' holds no endpoint of the estate", intent_.groups[g].name),
                intent_.groups[g].where);
    }
    as_source_.assign(endpoint_count, {});
    as_destination_.assign(endpoint_count, {});
    std::size_t flows = intent_.flows.size() + intent_.platform_flows.size();
    for (std::uint32_t f = 0; f < flows; ++f) {
        const model::IntentFlow& fl = flow(f);
        flow_services_.push_back(ServiceSet::of(fl.protocols, net::PortSet::all(), fl.ports));
        for (auto [names, index] : {std::pair{&fl.from, &as_source_}, std::pair{&fl.to, &as_destination_}}) {
            for (const std::string& name : *names) {
                for (std::size_t g = 0; g < intent_.groups.size(); ++g) {
                    if (!same(intent_.groups[g].name, name))
                        continue;
                    for (std::uint32_t e : members_[g]) {
                        auto& list = (*index)[e];
                        if (list.empty() || list.back() != f)
                            list.push_back(f);
                    }
                }
            }
        }
    }
}

const model::IntentFlow& IntentCheck::flow(std::uint32_t index) const {
    return index < intent_.flows.size() ? intent_.flows[index]
                                        : intent_.platform_flows[index - intent_.flows.size()];
}

std::string IntentCheck::flow_label(std::uint32_t index) const {
    const model::IntentFlow& f = flow(index);
    if (!f.name.empty())
        return f.name;
    auto join = [](const std::vector<std::string>& names) {
        std::string out;
        for (const std::string& n : names)
            out += (out.empty() ? "" : ", ") + n;
        return out;
    };
    return fmt::format("{} -> {}", join(f.from), join(f.to));
}

std::vector<std::uint32_t> IntentCheck::flows_between(std::uint32_t from, std::uint32_t to) const {
    std::vector<std::uint32_t> out;
    const auto& a = as_source_[from];
    const auto& b = as_destination_[to];
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

ServiceSet IntentCheck::intended(std::uint32_t from, std::uint32_t to) const {
    ServiceSet out;
    for (std::uint32_t f : flows_between(from, to))
        out = out.unite(flow_services_[f]);
    return out;
}

IntentCheck::PairVerdict IntentCheck::compare(std::uint32_t from, std::uint32_t to) const {
    const ReachEndpoint& a = reach_.endpoints().endpoints[from];
    const ReachEndpoint& b = reach_.endpoints().endpoints[to];
    const PairView reached = reach_.between(from, to);
    const ServiceSet intent = intended(from, to);
    PairVerdict verdict;
    if (a.kind != ReachEndpoint::Kind::Platform) {
        verdict.excess = reached.allowed.subtract(intent);
        verdict.undecidable = reached.undecidable.subtract(intent);
    }
    // An IPv4 endpoint cannot send to an IPv6 one: such a pair can miss nothing. A load balancer
    // frontend sends nothing, and nothing is sent to the platform address: a group that holds them
    // (a subnet holding a frontend) asks for no flow from or to them.
    bool v4 = !a.addresses.v4().empty() && !b.addresses.v4().empty();
    bool v6 = !a.addresses.v6().empty() && !b.addresses.v6().empty();
    if ((v4 || v6) && a.kind != ReachEndpoint::Kind::LoadBalancer && b.kind != ReachEndpoint::Kind::Platform)
        verdict.missing = intent.subtract(reached.allowed);
    return verdict;
}

ServiceSet IntentCheck::excess(std::uint32_t from, std::uint32_t to) const {
    return compare(from, to).excess;
}

ServiceSet IntentCheck::undecidable_excess(std::uint32_t from, std::uint32_t to) const {
    return compare(from, to).undecidable;
}

ServiceSet IntentCheck::missing(std::uint32_t from, std::uint32_t to) const {
    return compare(from, to).missing;
}

namespace {

// Endpoints that verification cannot tell apart: same equivalence class, same intent flows.
struct VerifyClass {
    std::vector<std::uint32_t> members;
};

std::vector<VerifyClass> verify_classes(const Reachability& reach, const IntentCheck& check) {
    std::map<std::tuple<std::uint32_t, std::vector<std::uint32_t>, std::vector<std::uint32_t>>, std::size_t>
        index;
    std::vector<VerifyClass> out;
    const auto& endpoints = reach.endpoints().endpoints;
    for (std::uint32_t e = 0; e < endpoints.size(); ++e) {
        auto key = std::make_tuple(endpoints[e].equivalence_class, check.source_flows(e),
                                   check.destination_flows(e));
        auto [it, inserted] = index.try_emplace(std::move(key), out.size());
        if (inserted)
            out.emplace_back();
        out[it->second].members.push_back(e);
    }
    return out;
}

std::vector<route::PathResult> trace_examples(const Reachability& reach, std::uint32_t from, std::uint32_t to,
                                              const ServiceSet& services) {
    const auto& endpoints = reach.endpoints().endpoints;
    std::vector<route::PathResult> out;
    for (const Service& s : services.examples(5)) {
        route::PathQuery query;
        query.flow.protocol = s.protocol;
        query.flow.source_port = s.source_port;
        query.flow.destination_port = s.destination_port;
        out.push_back(route::trace_path(reach.engine(), reach.route_views(), endpoints[from].endpoint,
                                        endpoints[to].endpoint, query));
    }
    return out;
}

void merge_internet_pieces(const Reachability& reach, std::vector<Violation>& list) {
    const auto& endpoints = reach.endpoints().endpoints;
    detail::merge_internet_pieces(
        list, [&](std::uint32_t e) { return endpoints[e].kind == ReachEndpoint::Kind::Internet; },
        [&](std::uint32_t e) { return endpoints[e].name == "Internet"; },
        [](const Violation& a, const Violation& b) { return a.services == b.services; },
        [](const Violation& v) { return v.services.hash(); });
}

} // namespace

VerifyResult verify_intent(const Reachability& reach, const IntentCheck& check) {
    VerifyResult result;
    std::vector<VerifyClass> classes = verify_classes(reach, check);
    std::vector<Violation> missing, excess, undecidable;
    for (const VerifyClass& a : classes) {
        for (const VerifyClass& b : classes) {
            // Ordered pairs of distinct endpoints between the two classes.
            std::size_t pairs = a.members.size() * b.members.size() - (&a == &b ? a.members.size() : 0);
            if (pairs == 0)
                continue;
            result.endpoint_pairs += pairs;
            std::uint32_t from = a.members[0];
            std::uint32_t to = &a == &b ? a.members[1] : b.members[0];
            auto report = [&](Violation::Kind kind, ServiceSet services, std::vector<Violation>& into) {
                if (services.empty())
                    return;
                Violation v;
                v.kind = kind;
                v.from = from;
                v.to = to;
                v.similar_pairs = pairs - 1;
                v.examples = trace_examples(reach, from, to, services);
                v.services = std::move(services);
                if (kind == Violation::Kind::Missing) {
                    for (std::uint32_t f : check.flows_between(from, to)) {
                        v.intent_flows.push_back(check.flow_label(f));
                    }
                }
                into.push_back(std::move(v));
            };
            IntentCheck::PairVerdict verdict = check.compare(from, to);
            report(Violation::Kind::Missing, std::move(verdict.missing), missing);
            report(Violation::Kind::Excess, std::move(verdict.excess), excess);
            report(Violation::Kind::Undecidable, std::move(verdict.undecidable), undecidable);
        }
    }
    merge_internet_pieces(reach, missing);
    merge_internet_pieces(reach, excess);
    merge_internet_pieces(reach, undecidable);
    auto count = [](const std::vector<Violation>& list) {
        std::size_t n = 0;
        for (const Violation& v : list)
            n += 1 + v.similar_pairs;
        return n;
    };
    result.missing = count(missing);
    result.excess = count(excess);
    result.undecidable = count(undecidable);
    const auto& endpoints = reach.endpoints().endpoints;
    auto by_names = [&](const Violation& x, const Violation& y) {
        return std::tie(endpoints[x.from].name, endpoints[x.to].name) <
               std::tie(endpoints[y.from].name, endpoints[y.to].name);
    };
    for (auto* list : {&missing, &excess, &undecidable}) {
        std::stable_sort(list->begin(), list->end(), by_names);
        for (Violation& v : *list)
            result.violations.push_back(std::move(v));
    }
    return result;
}

} // namespace ztnet::reach
