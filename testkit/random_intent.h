// Random intents for generated estates: for the tests that hold an engine against an oracle, or a
// plan against its proof, on many estates.
#pragma once

#include <string>

#include "ztnet/model/intent.h"

#include "testkit/synthetic_estate.h"

namespace ztnet::testkit {

/// A selector of `kind` naming `value`.
model::IntentSelector intent_selector(model::IntentSelector::Kind kind, std::string value);

/// A few groups drawn from the estate's subnets, ASGs, VMs and prefixes (each selecting something),
/// the Internet, and a few flows between them; a platform flow from the load balancer probes now
/// and then.
model::Intent random_intent(const SyntheticEstate& estate, Random& random);

} // namespace ztnet::testkit
