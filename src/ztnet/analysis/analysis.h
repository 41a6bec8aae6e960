// The analysis facade: the one place that knows the order of the phases. Built from a loaded
// estate, the service tags and options, it compiles the policy, computes the routes, the
// reachability between every pair of endpoints, the intent's verification and the rule analysis,
// and is then frozen: everything it hands out is `const`, and nothing reachable through it
// computes or keeps anything on first use. Any number of threads may read it at once; the checks,
// the reports and every command of the CLI are consumers of a finished Analysis.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/model/intent.h"
#include "ztnet/net/address_set.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/diff.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/rule_analysis.h"
#include "ztnet/reach/verify.h"
#include "ztnet/route/path.h"
#include "ztnet/route/route_plan.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/parallel.h"
#include "ztnet/support/result.h"

namespace ztnet::analysis {

/// What to compute beyond the policy and the routes, and with how many threads.
struct Options {
    /// The threads the analysis, and whatever runs on it (the checks), may use; 0: one per core.
    unsigned threads = 0;
    /// Reachability between every pair of endpoints: what reach, verify, diff and the checks read.
    bool reachability = true;
    /// Shadowed, redundant and conflicting NSG rules: what rules and the checks read.
    bool rule_analysis = true;
    /// An intent to verify (which computes reachability, whatever `reachability` says). It must
    /// outlive the analysis.
    const model::Intent* intent = nullptr;
    /// Address sets the endpoints must not straddle, beyond the estate's own and the intent's.
    std::vector<net::AddressSet> extra_conditions = {};
    /// The most equivalence classes of endpoints the pair table may hold (0: the table's own
    /// limit). More is the error `reach-too-large`.
    std::uint32_t max_classes = 0;
};

class Analysis {
  public:
    /// Runs every phase of `options` in order, on a pool of `options.threads` threads. What the
    /// input cannot tell or gets wrong goes to `diagnostics` (which must outlive the analysis, as
    /// must the estate and the tags); what stops the analysis is an error value with a diagnostic
    /// code: `reach-too-large`, `intent-unresolved`, `out-of-memory` or `internal-error`. No
    /// exception leaves it.
    static Result<std::unique_ptr<Analysis>> run(const model::Estate& estate, const policy::ServiceTags& tags,
                                                 Options options, Diagnostics& diagnostics);
    ~Analysis();
    Analysis(const Analysis&) = delete;
    Analysis& operator=(const Analysis&) = delete;

    const model::Estate& estate() const { return estate_; }
    const policy::ServiceTags& tags() const { return tags_; }
    const policy::PolicyEngine& policy() const { return *policy_; }
    /// Every subnet's effective routes.
    const route::RouteViews& routes() const;
    /// Every pair of endpoints, its class table made; null without Options::reachability.
    const reach::Reachability* reachability() const { return reach_.get(); }
    /// Per NSG, its rules' findings; empty without Options::rule_analysis.
    const std::vector<reach::NsgRuleAnalysis>& rule_analyses() const { return rules_; }
    bool has_rule_analysis() const { return rule_analysis_; }
    /// The intent and its verification; null without Options::intent.
    const model::Intent* intent() const { return intent_; }
    const reach::IntentCheck* intent_check() const { return intent_check_.get(); }
    const reach::VerifyResult* verified() const { return verified_.get(); }

    /// One flow traced hop by hop (explain).
    route::PathResult trace(const route::Endpoint& from, const route::Endpoint& to,
                            const route::PathQuery& query) const;

    /// How long each phase took, in seconds (0 for a phase not run).
    struct Timings {
        double policy = 0;
        double reachability = 0; // endpoints, classes and every pair (routes alone without pairs)
        double intent = 0;
        double rules = 0;
    };
    const Timings& timings() const { return timings_; }

    /// The pool the analysis ran on: a consumer that loops over it (the checks) opens a
    /// ThreadPool::Scope on it, so that it keeps to the same threads.
    ThreadPool& pool() const { return *pool_; }

  private:
    friend class Comparison;
    Analysis(const model::Estate& estate, const policy::ServiceTags& tags, std::shared_ptr<ThreadPool> pool);
    // The phases, in order; each an error value when it cannot finish.
    Result<bool> compile_policy(Diagnostics& diagnostics);
    Result<bool> compute_reachability(std::vector<net::AddressSet> conditions, std::uint32_t max_classes,
                                      Diagnostics& diagnostics);
    Result<bool> verify(const model::Intent& intent, Diagnostics& diagnostics);
    void analyse_rules();

    const model::Estate& estate_;
    const policy::ServiceTags& tags_;
    std::shared_ptr<ThreadPool> pool_;
    std::unique_ptr<policy::PolicyEngine> policy_;
    std::unique_ptr<route::RouteViews> routes_; // when there is no reachability to hold them
    std::unique_ptr<reach::Reachability> reach_;
    const model::Intent* intent_ = nullptr;
    std::unique_ptr<reach::IntentCheck> intent_check_;
    std::unique_ptr<reach::VerifyResult> verified_;
    std::vector<reach::NsgRuleAnalysis> rules_;
    bool rule_analysis_ = false;
    Timings timings_;
};

/// Two versions of an estate, each analysed with the other's address conditions (so that their
/// Internet pieces match), and the flows the change newly allows or denies.
class Comparison {
  public:
    /// Options::reachability is implied and the intent is not used; with Options::rule_analysis,
    /// both versions hold it, so that the checks can run on each (checks::run_audit).
    static Result<std::unique_ptr<Comparison>> run(const model::Estate& before, const model::Estate& after,
                                                   const policy::ServiceTags& tags, const Options& options,
                                                   Diagnostics& before_diagnostics,
                                                   Diagnostics& after_diagnostics);
    ~Comparison();

    const Analysis& before() const { return *before_; }
    const Analysis& after() const { return *after_; }
    const reach::ReachDiff& diff() const { return *diff_; }
    /// Every change, pairs that change alike grouped, sorted by endpoint names.
    const std::vector<reach::PairChange>& changes() const { return changes_; }

  private:
    Comparison() = default;
    std::unique_ptr<Analysis> before_, after_;
    std::unique_ptr<reach::ReachDiff> diff_;
    std::vector<reach::PairChange> changes_;
};

} // namespace ztnet::analysis
