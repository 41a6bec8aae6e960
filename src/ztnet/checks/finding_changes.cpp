#include "ztnet/checks/finding_changes.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace ztnet::checks {

namespace {

std::unordered_set<std::string> active_fingerprints(const CheckRun& run) {
    std::unordered_set<std::string> out;
    for (const Finding& f : run.findings)
        if (!f.suppressed_by)
            out.insert(f.fingerprint);
    return out;
}

bool ran(const CheckRun& run, const std::string& check_id) {
    return std::find(run.checks.begin(), run.checks.end(), check_id) != run.checks.end();
}

// The unsuppressed findings of `run` not active in `other`, of checks both runs ran; the run's own
// order (most severe first) is kept.
std::vector<Finding> only_in(const CheckRun& run, const CheckRun& other) {
    const std::unordered_set<std::string> there = active_fingerprints(other);
    std::vector<Finding> out;
    for (const Finding& f : run.findings)
        if (!f.suppressed_by && !there.contains(f.fingerprint) && ran(other, f.check_id))
            out.push_back(f);
    return out;
}

} // namespace

FindingChanges compare_findings(const CheckRun& before, const CheckRun& after) {
    return {only_in(after, before), only_in(before, after)};
}

} // namespace ztnet::checks
