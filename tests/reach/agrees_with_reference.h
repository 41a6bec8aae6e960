// The comparison the differential tests make pair by pair: the fast answer against the reference's.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "ztnet/reach/reachability.h"

namespace ztnet::reach::testing {

/// Whether both sets of the fast answer are the reference's; `pair` names the pair in a failure.
inline ::testing::AssertionResult agrees_with_reference(const PairReach& fast, const PairReach& reference,
                                                        const std::string& pair) {
    if (fast.allowed != reference.allowed)
        return ::testing::AssertionFailure() << pair << ": allowed: fast " << fast.allowed.to_string()
                                             << ", reference " << reference.allowed.to_string();
    if (fast.undecidable != reference.undecidable)
        return ::testing::AssertionFailure() << pair << ": undecidable: fast " << fast.undecidable.to_string()
                                             << ", reference " << reference.undecidable.to_string();
    return ::testing::AssertionSuccess();
}

} // namespace ztnet::reach::testing
