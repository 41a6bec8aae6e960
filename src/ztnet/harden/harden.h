// Hardening from the intent: the NSG rules that allow exactly an intent's flows, written the way
// Microsoft's Zero Trust guidance writes them, and the proof that they do.
//
// For every NSG in front of an endpoint of the estate (and for every subnet of such endpoints that
// has none), the plan replaces the custom rules with: an allow rule per intent flow on each side
// it crosses (inbound where it arrives, at a load balancer's backends for a flow to its frontend;
// outbound where it leaves), written against the intent's own groups (subnet prefixes, application
// security groups, service tags, addresses); what Azure requires of the subnet (an App Gateway's
// infrastructure ports and its outbound Internet, the load balancer's health probes); and DenyAll
// at 4096 both ways. Special subnets whose NSG Azure dictates or forbids are left alone, and said.
//
// The plan is proved before anyone sees it: prove() applies it to a copy of the estate and
// verifies there the intent plus what Azure requires; a plan that does not prove is a bug.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/model/estate.h"
#include "ztnet/model/intent.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/result.h"

namespace ztnet::harden {

/// A rule of the plan and why it is there ("intent flow 'web to app'", "Azure: ...", "baseline").
struct ProposedRule {
    model::SecurityRule rule;
    std::vector<std::string> reasons;
};

/// The new custom rules of one NSG (an existing one, or one proposed for a subnet without).
struct NsgProposal {
    std::string nsg_id;
    std::string nsg_name;
    bool is_new = false;
    std::vector<std::string> subnets; ///< ids of the subnets it is (to be) associated with
    std::vector<std::string> nics;    ///< ids of the NICs it is associated with
    std::vector<ProposedRule> rules;  ///< inbound, then outbound, each by priority
    /// The custom rules it replaces, one line each ("AllowRdp (110, Inbound, Allow)").
    std::vector<std::string> replaced;
    /// When the exact rules were more than PlanOptions::max_rules: those exact rules (`rules` then
    /// holds the bounded ones), and each merge that widened two rules into one, one line each.
    std::vector<ProposedRule> exact_rules;
    std::vector<std::string> widened;
};

/// An application security group the plan adds for an intent group of VMs or NICs, so that the
/// rules name the group rather than its members' addresses (the guidance's "an application
/// security group per VM role"). Rules refer to it by the index it takes in apply_plan()'s estate:
/// after the estate's own groups, in the plan's order.
struct ProposedAsg {
    std::string id;
    std::string name;
    std::string location;
    std::string group; ///< the intent group it stands for
    /// Its members: a NIC's id, and the name of the IP configuration that joins.
    std::vector<std::pair<std::string, std::string>> members;
};

/// Something the plan does not touch, and why.
struct LeftAlone {
    std::string resource_id;
    std::string name;
    std::string why;
};

struct HardenPlan {
    std::vector<NsgProposal> nsgs;
    /// With PlanOptions::propose_asgs: the groups the rules name that the estate does not have yet.
    std::vector<ProposedAsg> asgs;
    std::vector<LeftAlone> left_alone;
    /// Flows Azure requires that the intent does not name (an App Gateway v2's outbound Internet,
    /// its infrastructure ports): the plan keeps them open, and the proof takes them as platform
    /// flows. Written as intent flows, for the user to add to the intent.
    std::vector<model::IntentFlow> azure_requirements;
    /// The intent the proof verifies: the user's, with the groups and flows above added.
    model::Intent proof_intent;
};

/// What the proof found: the plan applied to a copy of the estate, the intent verified there. It
/// holds when every intended flow that NSGs decide is allowed and nothing else is, between every
/// two endpoints but those of the subnets the plan leaves alone.
struct Proof {
    bool holds = false;
    std::size_t endpoint_pairs = 0;
    /// The intent's breaks before (in the estate as given) and after (with the plan).
    std::size_t missing_before = 0, excess_before = 0, undecidable_before = 0;
    std::size_t missing_after = 0, excess_after = 0, undecidable_after = 0;
    /// Examples of what the plan closes: excess flow sets of the estate as given, and flow sets it
    /// may allow that ztnet cannot decide offline (a firewall's application rules), one line each.
    std::vector<std::string> closed;
    std::vector<std::string> closed_undecidable;
    /// Intended flows that something other than an NSG denies (no public entry point, a route, the
    /// firewall), before and after alike: no NSG rule can give them, so they are said, not held
    /// against the plan.
    std::vector<std::string> beyond_nsgs;
    /// Excess flows to or from what the plan leaves alone (a Bastion subnet), one line each.
    std::vector<std::string> outside_plan;
    /// When it does not hold: the breaks the plan is answerable for, one line each.
    std::vector<std::string> failures;
    /// When an NSG was bounded (PlanOptions::max_rules): the exact plan is what `holds` says of;
    /// the bounded one must still allow every intended flow (a flow it denies is a failure), and
    /// what it allows beyond the exact plan is its cost: flow sets between endpoint pairs, and
    /// examples, one line each.
    bool bounded = false;
    std::size_t widening_excess = 0;
    std::vector<std::string> widening_cost;
};

struct PlanOptions {
    /// The most custom rules one NSG of the plan may hold; Azure's own limit is 1,000 per NSG. An
    /// NSG whose exact rules are more gets wider ones: two application rules of one direction and
    /// protocol merged into one that allows both and the combinations between them, least
    /// widening first, until it fits. The proof measures what that allows beyond the exact rules.
    std::size_t max_rules = 1000;
    /// Write an intent group of VMs or NICs (all in one VNet) as an application security group:
    /// the estate's own when one has exactly those members, else a new one (HardenPlan::asgs). Its
    /// members need not have known addresses. A rule whose two sides would be groups of different
    /// VNets, which Azure refuses, names the source's members' addresses instead.
    bool propose_asgs = false;
};

/// The plan for an analysis that verified an intent (analysis.intent_check() is set). Errors:
/// `harden-no-intent`; `harden-unexpressible` when an intent group cannot be written in a rule (a
/// NIC whose address the input cannot tell: name its subnet or an ASG instead); and
/// `harden-too-many-rules` when an NSG's rules cannot be merged down to options.max_rules.
Result<HardenPlan> plan_hardening(const analysis::Analysis& analysis, const PlanOptions& options = {});

/// The plan with every NSG's exact rules (what it is when no NSG was bounded).
HardenPlan exact_plan(const HardenPlan& plan);

/// The estate with the plan applied: the proposed NSGs' custom rules replaced, the new NSGs added
/// and associated with their subnets, the new application security groups added with their
/// members. The plan's rules are read against this estate (their groups' indices).
model::Estate apply_plan(const model::Estate& estate, const HardenPlan& plan);

/// Applies the plan to a copy of the analysis' estate and verifies the plan's intent there (with
/// the analysis' service tags): the exact plan first, then, when an NSG was bounded, the plan as
/// bounded. What the verification says of the inputs goes to `diagnostics`.
Result<Proof> prove(const analysis::Analysis& analysis, const HardenPlan& plan, Diagnostics& diagnostics);

} // namespace ztnet::harden
