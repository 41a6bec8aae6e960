// The proof: the plan applied to a copy of the estate, and the intent (with what Azure requires)
// verified there by the same engine that found the estate's excess.
#include <algorithm>

#include <fmt/format.h>

#include "ztnet/harden/harden.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::harden {
namespace {

constexpr std::size_t kExamples = 10;

std::string violation_text(const reach::Reachability& reach, const reach::Violation& v) {
    const auto& endpoints = reach.endpoints().endpoints;
    const std::string_view kind = v.kind == reach::Violation::Kind::Missing  ? "missing"
                                  : v.kind == reach::Violation::Kind::Excess ? "excess"
                                                                             : "undecidable";
    std::string out = fmt::format("{} {} -> {}: {}", kind, endpoints[v.from].name, endpoints[v.to].name,
                                  v.services.to_string());
    if (v.similar_pairs > 0)
        out += fmt::format(" (and {} similar pair(s))", v.similar_pairs);
    return out;
}

// Whether an example of a missing flow is stopped by an NSG (the plan's business) rather than by
// what no NSG rule changes: no entry from outside, a route, the firewall, a load balancer without
// a matching rule.
bool denied_at_an_nsg(const reach::Violation& v) {
    if (v.examples.empty())
        return true; // nothing to tell by: the plan answers for it
    return std::any_of(v.examples.begin(), v.examples.end(), [](const route::PathResult& path) {
        return std::any_of(path.hops.begin(), path.hops.end(), [](const route::Hop& hop) {
            return hop.kind == route::Hop::Kind::Nsg && hop.verdict == route::Verdict::Denied;
        });
    });
}

// Whether either end sits in a subnet the plan leaves alone.
bool touches_left_alone(const reach::Reachability& reach, const reach::Violation& v, const HardenPlan& plan) {
    const model::Estate& estate = reach.estate();
    const auto& endpoints = reach.endpoints().endpoints;
    for (const std::uint32_t e : {v.from, v.to}) {
        const model::SubnetIndex subnet = endpoints[e].endpoint.subnet;
        if (subnet == model::kNone)
            continue;
        const std::string key = model::id_key(estate.subnets[subnet].id);
        if (std::any_of(plan.left_alone.begin(), plan.left_alone.end(),
                        [&](const LeftAlone& l) { return model::id_key(l.resource_id) == key; }))
            return true;
    }
    return false;
}

} // namespace

model::Estate apply_plan(const model::Estate& estate, const HardenPlan& plan) {
    model::Estate out = estate;
    for (const NsgProposal& proposal : plan.nsgs) {
        std::vector<model::SecurityRule> rules;
        for (const ProposedRule& r : proposal.rules) {
            rules.push_back(r.rule);
            rules.back().id = proposal.nsg_id + "/securityRules/" + r.rule.name;
        }
        if (!proposal.is_new) {
            const std::optional<model::ResourceRef> ref = out.find(proposal.nsg_id);
            if (!ref || ref->kind != model::ResourceKind::NetworkSecurityGroup)
                continue;
            model::NetworkSecurityGroup& nsg =
                out.network_security_groups[ref->as<model::NetworkSecurityGroup>()];
            nsg.rules = std::move(rules);
            nsg.rules_unknown.clear();
            continue;
        }
        model::NetworkSecurityGroup nsg;
        nsg.id = proposal.nsg_id;
        nsg.name = proposal.nsg_name;
        nsg.type = "Microsoft.Network/networkSecurityGroups";
        nsg.rules = std::move(rules);
        const auto index = model::NsgIndex(out.network_security_groups.size());
        for (const std::string& subnet_id : proposal.subnets) {
            const std::optional<model::ResourceRef> ref = out.find(subnet_id);
            if (!ref || ref->kind != model::ResourceKind::Subnet)
                continue;
            const auto subnet = ref->as<model::Subnet>();
            out.subnets[subnet].network_security_group = index;
            nsg.subnets.push_back(subnet);
        }
        out.network_security_groups.push_back(std::move(nsg));
        out.index(proposal.nsg_id, {model::ResourceKind::NetworkSecurityGroup, index.value()});
    }
    return out;
}

Result<Proof> prove(const analysis::Analysis& analysis, const HardenPlan& plan, Diagnostics& diagnostics) {
    Proof proof;
    if (const reach::VerifyResult* before = analysis.verified()) {
        proof.missing_before = before->missing;
        proof.excess_before = before->excess;
        proof.undecidable_before = before->undecidable;
        for (const reach::Violation& v : before->violations) {
            std::vector<std::string>& list =
                v.kind == reach::Violation::Kind::Excess ? proof.closed : proof.closed_undecidable;
            if (v.kind != reach::Violation::Kind::Missing && list.size() < kExamples)
                list.push_back(violation_text(*analysis.reachability(), v));
        }
    }
    const model::Estate hardened = apply_plan(analysis.estate(), plan);
    analysis::Options options;
    options.rule_analysis = false;
    options.intent = &plan.proof_intent;
    Result<std::unique_ptr<analysis::Analysis>> after =
        analysis::Analysis::run(hardened, analysis.tags(), options, diagnostics);
    if (!after)
        return after.error();
    const reach::VerifyResult& verified = *(*after)->verified();
    proof.endpoint_pairs = verified.endpoint_pairs;
    proof.missing_after = verified.missing;
    proof.excess_after = verified.excess;
    proof.undecidable_after = verified.undecidable;
    const reach::Reachability& reach = *(*after)->reachability();
    std::size_t failures = 0;
    for (const reach::Violation& v : verified.violations) {
        std::vector<std::string>* list = nullptr;
        if (v.kind == reach::Violation::Kind::Missing)
            list = denied_at_an_nsg(v) ? &proof.failures : &proof.beyond_nsgs;
        else if (v.kind == reach::Violation::Kind::Excess)
            list = touches_left_alone(reach, v, plan) ? &proof.outside_plan : &proof.failures;
        if (list == nullptr)
            continue;
        failures += list == &proof.failures ? 1 : 0;
        if (list->size() < kExamples)
            list->push_back(violation_text(reach, v));
    }
    proof.holds = failures == 0;
    return proof;
}

} // namespace ztnet::harden
