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

// A hardened copy of the estate and its analysis with the plan's intent (the analysis refers to
// the estate: they live and die together).
struct Hardened {
    model::Estate estate;
    std::unique_ptr<analysis::Analysis> analysis;
};

Result<std::unique_ptr<Hardened>> verify_hardened(const analysis::Analysis& analysis, const HardenPlan& plan,
                                                  Diagnostics& diagnostics) {
    auto out = std::make_unique<Hardened>();
    out->estate = apply_plan(analysis.estate(), plan);
    analysis::Options options;
    options.rule_analysis = false;
    options.intent = &plan.proof_intent;
    Result<std::unique_ptr<analysis::Analysis>> run =
        analysis::Analysis::run(out->estate, analysis.tags(), options, diagnostics);
    if (!run)
        return run.error();
    out->analysis = std::move(*run);
    return out;
}

} // namespace

model::Estate apply_plan(const model::Estate& estate, const HardenPlan& plan) {
    model::Estate out = estate;
    // The new groups first, in the plan's order: the rules know them by that place.
    for (const ProposedAsg& proposed : plan.asgs) {
        model::ApplicationSecurityGroup group;
        group.id = proposed.id;
        group.name = proposed.name;
        group.type = "Microsoft.Network/applicationSecurityGroups";
        group.location = proposed.location;
        const model::AsgIndex index(out.application_security_groups.size());
        for (const auto& [nic_id, config_name] : proposed.members) {
            const std::optional<model::ResourceRef> ref = out.find(nic_id);
            if (!ref || ref->kind != model::ResourceKind::NetworkInterface)
                continue;
            const auto nic = ref->as<model::NetworkInterface>();
            auto& configs = out.network_interfaces[nic].ip_configurations;
            for (model::Index c = 0; c < configs.size(); ++c) {
                if (configs[c].name != config_name)
                    continue;
                configs[c].application_security_groups.push_back(index);
                group.members.emplace_back(nic, c);
            }
        }
        out.application_security_groups.push_back(std::move(group));
        out.index(proposed.id, {model::ResourceKind::ApplicationSecurityGroup, index.value()});
    }
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
    const HardenPlan exact = exact_plan(plan);
    Result<std::unique_ptr<Hardened>> after = verify_hardened(analysis, exact, diagnostics);
    if (!after)
        return after.error();
    const reach::VerifyResult& verified = *(*after)->analysis->verified();
    proof.endpoint_pairs = verified.endpoint_pairs;
    proof.missing_after = verified.missing;
    proof.excess_after = verified.excess;
    proof.undecidable_after = verified.undecidable;
    const reach::Reachability& reach = *(*after)->analysis->reachability();
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
    proof.bounded = std::any_of(plan.nsgs.begin(), plan.nsgs.end(),
                                [](const NsgProposal& n) { return !n.exact_rules.empty(); });
    if (proof.bounded) {
        // The bounded rules allow all the exact ones do (each is the union of some of them, and
        // the Deny rules keep their places): what they deny of the intent is a failure, what they
        // allow beyond it is the bound's cost.
        Result<std::unique_ptr<Hardened>> wide = verify_hardened(analysis, plan, diagnostics);
        if (!wide)
            return wide.error();
        const reach::Reachability& wide_reach = *(*wide)->analysis->reachability();
        for (const reach::Violation& v : (*wide)->analysis->verified()->violations) {
            if (v.kind == reach::Violation::Kind::Missing && denied_at_an_nsg(v)) {
                ++failures;
                if (proof.failures.size() < kExamples)
                    proof.failures.push_back("bounded: " + violation_text(wide_reach, v));
            } else if (v.kind == reach::Violation::Kind::Excess && !touches_left_alone(wide_reach, v, plan)) {
                proof.widening_excess += 1 + v.similar_pairs;
                if (proof.widening_cost.size() < kExamples)
                    proof.widening_cost.push_back(violation_text(wide_reach, v));
            }
        }
    }
    proof.holds = failures == 0;
    return proof;
}

} // namespace ztnet::harden
