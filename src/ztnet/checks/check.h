// The Zero Trust check registry. Each check is a small unit with a stable ID, the principles it
// serves, a severity, the guidance step it implements, why it matters and how to fix it, and a pure
// function from the estate (and its reachability) to findings. Checks never print, read files or
// decide exit codes; the runner fingerprints their findings and the reports render them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/model/attack_policy.h"
#include "ztnet/model/estate.h"
#include "ztnet/model/intent.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/rule_analysis.h"
#include "ztnet/reach/verify.h"
#include "ztnet/route/route_plan.h"
#include "ztnet/support/source.h"

namespace ztnet::analysis {
class Analysis;
}

namespace ztnet::checks {

/// The three principles of Microsoft's Zero Trust guidance.
enum class Principle : std::uint8_t { VerifyExplicitly, LeastPrivilege, AssumeBreach };
inline constexpr int kPrincipleCount = 3;
/// "verify-explicitly", "least-privilege", "assume-breach".
std::string_view principle_id(Principle principle);
/// "Verify explicitly", "Use least privileged access", "Assume breach".
std::string_view principle_title(Principle principle);

enum class Severity : std::uint8_t { Low, Medium, High, Critical };
/// "low", "medium", "high", "critical".
std::string_view severity_name(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

/// One piece of evidence: a rule, a route, a setting, or a flow that shows the problem.
struct Evidence {
    std::string text;              // for people: "nsg-web inbound AllowRdp (110): Internet -> * Tcp 3389"
    SourceLocation where;          // where it is written, when known
    std::optional<net::Flow> flow; // a concrete flow, when traffic is involved
};

/// One problem on one resource.
struct Finding {
    std::string check_id; // set by the runner
    /// The resource the finding is about, and where it is written.
    std::string resource_id;
    std::string resource_name;
    SourceLocation where;
    /// One line: what is wrong here ("RDP (3389) is reachable from the Internet on vm-web-1").
    std::string message;
    std::vector<Evidence> evidence;
    /// What tells two findings of one check on one resource apart (a rule name, a port), so that the
    /// fingerprint stays stable when the input is reordered. Empty when there is one per resource.
    std::string discriminator;
    /// Stable identity: check id, resource id (case-insensitive) and discriminator, hashed. Set by
    /// the runner.
    std::string fingerprint;
    /// Set when a suppression covers the finding: its reason.
    std::optional<std::string> suppressed_by;
};

/// What checks read: a finished analysis (analysis::Analysis::check_context() makes one), every
/// part of it computed and read-only. The runner runs the checks at the same time, so a check
/// sees only `const` views: nothing it can call computes or keeps anything shared; what it writes
/// is its own.
struct CheckContext {
    const model::Estate& estate;
    const policy::PolicyEngine& engine;
    /// Every pair computed: the class table is made (Reachability::table()), and the effective
    /// routes evidence is traced on are reach.route_views().
    const reach::Reachability& reach;
    const std::vector<reach::NsgRuleAnalysis>& rule_analyses;
    /// The intent and its verification, when the user gave one (or one sits beside the estate).
    const model::Intent* intent = nullptr;
    const reach::VerifyResult* verified = nullptr;
    /// The finished analysis the context was made from (context_of), for the checks that trace
    /// attack paths; null when a test builds a context by hand (those checks then find nothing).
    const analysis::Analysis* analysis = nullptr;
    /// What an attacker is assumed to use (ZT-SEG-009); null: model::AttackPolicy::defaults().
    const model::AttackPolicy* attack_policy = nullptr;
};

using CheckFunction = std::vector<Finding> (*)(const CheckContext& context);

/// A setting a check reads, as a JSON pointer into the resource body ("*" stands for one segment).
/// When the input cannot tell it (it, or an object around it, is among the resource's
/// unknown_fields), the check is not assessed there: the findings that may rest on the stand-in the
/// loader read (Azure's default) are dropped, and the run lists what was not assessed.
struct SettingRead {
    /// Where the check reports what the setting decides: on the resource that holds it, or on
    /// other resources too (an App Gateway for its WAF policy's mode), so that none of the check's
    /// findings can be trusted.
    enum class Findings : std::uint8_t { OnThisResource, Anywhere };
    model::ResourceKind kind = model::ResourceKind::Other;
    std::string_view pointer;
    Findings findings = Findings::OnThisResource;
};

/// One check of the catalogue. Its texts are written in the source as prose wrapped over several
/// lines; registry() folds each into one line (fold_prose), so that readers and reports see whole
/// sentences. Every member has a default, so that a registration names only what it sets.
struct Check {
    std::string_view id = {}; // "ZT-NET-001": area and number, never reused
    std::string title = {};
    std::vector<Principle> principles = {};
    Severity severity = Severity::Medium;
    /// The guidance step it implements: "Spoke step 3: a network security group on every subnet".
    std::string guidance = {};
    std::string rationale = {};   // why it matters, for people
    std::string remediation = {}; // how to fix it
    CheckFunction run = nullptr;
    /// The settings whose value decides the check (none for the checks that read traffic, which
    /// treat what the input cannot tell as undecidable themselves).
    std::vector<SettingRead> reads = {};
    /// ARM types the check cannot judge without (they live in other Resource Graph tables or APIs
    /// than the network: a Resources-only export, or a template that deploys the network alone,
    /// holds none). When the input holds none of them, the check is not assessed.
    std::vector<std::string_view> needs = {};
    /// Where such resources usually are when an input lacks them, for the not-assessed reason;
    /// empty for the types Resource Graph keeps outside its Resources table.
    std::string_view needs_why = {};
    /// Service tags whose addresses the check judges traffic to. When the tags file lacks one and
    /// the estate holds what the check judges (`judges`), the check is not assessed.
    std::vector<std::string_view> needs_tags = {};
    bool (*judges)(const model::Estate&) = nullptr;
};

/// Catalogue text as written in the source, folded into one line: every run of whitespace that
/// holds a line break becomes one space, and whitespace at either end goes. Other runs of
/// whitespace stay as they are.
std::string fold_prose(std::string_view text);

/// Every check, sorted by id.
const std::vector<Check>& registry();
/// The check with that id, or nullptr.
const Check* find_check(std::string_view id);
/// The ids of the checks a pattern names (`*` wildcards, case-insensitive: "ZT-STG-*", "zt-net-001"),
/// in registry order.
std::vector<std::string> checks_matching(std::string_view pattern);

} // namespace ztnet::checks
