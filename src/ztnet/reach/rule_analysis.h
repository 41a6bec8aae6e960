// Rule analysis: for each NSG and direction, the custom rules that never decide a flow (shadowed),
// that could be deleted without changing any decision (redundant), that override a lower-priority
// rule of the opposite access (conflicting), or that restrict the source port. Computed exactly over
// flow boxes: no sampling, and every finding carries a concrete flow that demonstrates it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/flow_box.h"

namespace ztnet::reach {

/// One finding about one custom rule of one direction (default rules are never reported).
struct RuleFinding {
    enum class Kind {
        /// Every flow the rule matches is decided by earlier rules: the rule decides nothing.
        Shadowed,
        /// Not shadowed, but every flow it decides would be decided the same (same access) by later
        /// rules if it were deleted.
        Redundant,
        /// The rule decides flows that a lower-priority custom rule of the opposite access would decide
        /// if this rule were deleted: the order of the two rules is what settles those flows. Not
        /// reported when either rule is shadowed (the shadowed one is reported as such instead).
        Conflicting,
        /// The rule applies to TCP or UDP and does not allow every source port, while clients send from
        /// ephemeral ports: almost always a mistake.
        SourcePortRestricted,
    };

    Kind kind = Kind::Shadowed;
    net::Direction direction = net::Direction::Inbound;
    /// Index into CompiledNsg::rules(direction).
    std::uint32_t rule = 0;
    /// Shadowed: the earlier rules that decide the flows this rule matches (each decides at least one
    /// of them), empty when the rule matches no flow at all. Redundant: the later rules that decide its
    /// flows once it is gone. Conflicting: the one lower-priority rule of opposite access. Empty for
    /// SourcePortRestricted. Ascending.
    std::vector<std::uint32_t> related;
    /// Shadowed: a flow the rule matches (decided by a related rule). Redundant: a flow the rule decides
    /// that a related rule decides the same without it. Conflicting: a flow the rule decides that the
    /// related rule would decide the other way. SourcePortRestricted: a flow the rule would match but for
    /// its source port. Absent when the rule matches no flow at all (or, for a rule whose flow sets come
    /// near the box cap, when the overlap was too large to build).
    std::optional<net::Flow> example;
    /// One line for people, naming the rules by name and priority.
    std::string explanation;
};

/// A rule of one direction, by index into CompiledNsg::rules(direction).
struct RuleRef {
    net::Direction direction = net::Direction::Inbound;
    std::uint32_t rule = 0;

    friend bool operator==(const RuleRef&, const RuleRef&) = default;
    friend auto operator<=>(const RuleRef&, const RuleRef&) = default;
};

/// The findings of one NSG, ordered by direction (inbound first), rule, kind and related rules.
struct NsgRuleAnalysis {
    model::NsgIndex nsg = model::kNone;
    std::vector<RuleFinding> findings;
    /// Rules whose shadowed, redundant and conflicting verdicts could not be completed because the
    /// flow sets grew past the box cap. Findings listed for them are still true; the list may be short.
    std::vector<RuleRef> gave_up;
    /// Rules the input cannot fully tell (policy::ResolvedRule::uncertain). The other rules of their
    /// direction are not judged against each other (shadowed, redundant, conflicting): any verdict
    /// could turn on the unknown value. Source-port findings, about one known rule alone, still hold.
    std::vector<RuleRef> undecidable;
    /// Rules that would be shadowed or redundant but carry traffic the platform requires in the
    /// NSG's subnets (policy::required_by): never advised for deletion; `why` names the service and
    /// Microsoft's page.
    struct Kept {
        RuleRef rule;
        std::string why;
    };
    std::vector<Kept> platform_required;
};

/// Limits of the analysis.
struct RuleAnalysisOptions {
    /// Largest number of disjoint boxes one flow set may hold before the rule is given up.
    std::size_t max_boxes = FlowBoxSet::kDefaultMaxBoxes;
};

/// Analyses both directions of one compiled NSG. The result's nsg is nsg.nsg().
NsgRuleAnalysis analyse_rules(const policy::CompiledNsg& nsg, const RuleAnalysisOptions& options = {});

/// Analyses every NSG of the engine's estate, in index order. An NSG is compiled for every VNet it is
/// associated with (kNone when none), since the VirtualNetwork tag and ASG membership change with the
/// VNet, and the verdicts are merged so that each holds wherever the NSG applies: shadowed or redundant
/// only when so in every VNet (a rule is dead code only if it is dead everywhere), conflicting when so
/// in any VNet (the overlap is real there). Examples come from the first VNet, by index, that shows them.
std::vector<NsgRuleAnalysis> analyse_all_rules(const policy::PolicyEngine& engine,
                                               const RuleAnalysisOptions& options = {});

/// "Shadowed", "Redundant", "Conflicting" or "SourcePortRestricted".
std::string_view rule_finding_kind_name(RuleFinding::Kind kind);

} // namespace ztnet::reach
