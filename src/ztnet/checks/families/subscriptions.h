// Internal to the checks module: the subscriptions an estate's resources live in, for the families
// whose findings are about a whole subscription (ZT-IAM-*, ZT-GOV-*, ZT-MON-*).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::checks::families {

/// The subscription a resource id (or a scope) names, empty when it names none.
std::string subscription_of(std::string_view id);

/// Every subscription some loaded resource lives in, once each (ids compare case-insensitively), in
/// a stable order, spelt as first met.
std::vector<std::string> subscriptions_in(const model::Estate& estate);

/// Whether one of `resources` lives in `subscription`.
template <class Resources>
bool any_in_subscription(const Resources& resources, const std::string& subscription) {
    return std::any_of(resources.begin(), resources.end(), [&](const model::Resource& r) {
        return model::same_id(subscription_of(r.id), subscription);
    });
}

} // namespace ztnet::checks::families
