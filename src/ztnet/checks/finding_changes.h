// What a change to an estate does to its findings: the findings the new version has and the old one
// has not, and the reverse, matched by fingerprint (check id, resource id and discriminator), so a
// finding whose message or location moved with an edit is neither added nor removed.
#pragma once

#include <vector>

#include "ztnet/checks/runner.h"

namespace ztnet::checks {

struct FindingChanges {
    /// Unsuppressed in the new version, absent or suppressed in the old one; most severe first.
    std::vector<Finding> added;
    /// Unsuppressed in the old version, absent or suppressed in the new one (a suppression the
    /// change adds removes a finding); most severe first.
    std::vector<Finding> removed;
};

/// Compares two runs of the same checks. A check that ran in only one version is left out: its
/// findings say nothing about the change.
FindingChanges compare_findings(const CheckRun& before, const CheckRun& after);

} // namespace ztnet::checks
