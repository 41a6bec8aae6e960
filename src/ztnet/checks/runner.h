// Running the checks: every check (or a selection) over one context, findings fingerprinted and
// sorted, suppressions applied, and a score per principle.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/checks/check.h"
#include "ztnet/checks/suppression.h"

namespace ztnet::checks {

/// A stable fingerprint: a hex digest of the check id, the resource id (lower case: Azure ids are
/// case-insensitive) and the discriminator.
std::string fingerprint(std::string_view check_id, std::string_view resource_id,
                        std::string_view discriminator);

/// A check that could not judge a resource because a setting it reads is unknown offline.
struct NotAssessed {
    std::string check_id;
    std::string resource_id;
    std::string resource_name;
    SourceLocation where;
    std::string setting;   // the unknown field, as a JSON pointer into the resource
    bool anywhere = false; // the check's findings on every resource were dropped, not only here
    std::string why;       // for a check the input gives nothing to judge: what it lacks
};

/// The not-assessed entries `check` has on `estate` (with the service tags `tags`), and `findings`
/// without those resting on them.
std::vector<NotAssessed> drop_unassessed(const model::Estate& estate, const policy::ServiceTags& tags,
                                         const Check& check, std::vector<Finding>& findings);

struct CheckRun {
    /// Every finding, most severe first, then by check id, resource id and discriminator.
    std::vector<Finding> findings;
    /// The ids of the checks that ran.
    std::vector<std::string> checks;
    /// Suppressions whose expiry date has passed: they no longer suppress anything.
    std::vector<Suppression> expired;
    /// Suppressions that matched no finding (likely stale).
    std::vector<Suppression> unused;
    /// Where a check read a setting the input cannot tell, by check id then resource id.
    std::vector<NotAssessed> not_assessed;
};

/// Runs `selection` (every registered check when empty) and applies `suppressions` as of `today`
/// ("YYYY-MM-DD").
CheckRun run_checks(const CheckContext& context, const std::vector<Suppression>& suppressions,
                    std::string_view today, const std::vector<std::string>& selection = {});

/// How well the estate meets one principle: 100 when no check serving it has an unsuppressed
/// finding; each failing check takes off its weight (low 1, medium 3, high 7, critical 10) out of
/// the total weight of the checks serving the principle.
struct PrincipleScore {
    Principle principle = Principle::VerifyExplicitly;
    /// The score: check_score, and for Assume breach weighed by the blast radius (docs/paths.md).
    int score = 100;
    /// 100 less each failing check's weight, in percent of all the principle's checks' weights.
    int check_score = 100;
    /// Assume breach, in an audit: the share of the estate's inside endpoints that a workload
    /// surely reaches, on average over the workloads; score = check_score x (1 - share / 2).
    std::optional<double> blast_share;
    int checks = 0;
    int failing = 0;
};
std::vector<PrincipleScore> principle_scores(const CheckRun& run);

} // namespace ztnet::checks
