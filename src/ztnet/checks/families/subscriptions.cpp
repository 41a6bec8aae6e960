#include "ztnet/checks/families/subscriptions.h"

#include <map>

namespace ztnet::checks::families {

std::string subscription_of(std::string_view id) {
    return model::parse_resource_id(id).subscription;
}

std::vector<std::string> subscriptions_in(const model::Estate& estate) {
    std::map<std::string, std::string> by_key;
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<model::ResourceKind>(k);
        for (model::Index i = 0; i < estate.count(kind); ++i) {
            std::string subscription = subscription_of(estate.resource({kind, i}).id);
            if (!subscription.empty())
                by_key.emplace(model::id_key(subscription), subscription);
        }
    }
    std::vector<std::string> out;
    out.reserve(by_key.size());
    for (auto& entry : by_key)
        out.push_back(entry.second);
    return out;
}

} // namespace ztnet::checks::families
