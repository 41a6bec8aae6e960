#include "ztnet/model/intent.h"

#include <algorithm>
#include <cstddef>

#include "ztnet/support/ascii.h"

namespace ztnet::model {

std::string_view selector_key(IntentSelector::Kind kind) {
    return kSelectorKeys[static_cast<std::size_t>(kind)];
}

std::optional<IntentSelector::Kind> selector_kind(std::string_view key) {
    for (std::size_t i = 0; i < kSelectorKeys.size(); ++i) {
        if (kSelectorKeys[i] == key)
            return static_cast<IntentSelector::Kind>(i);
    }
    return std::nullopt;
}

const IntentGroup* Intent::find_group(std::string_view name) const {
    for (const IntentGroup& group : groups) {
        if (ascii::iequals(group.name, name))
            return &group;
    }
    return nullptr;
}

} // namespace ztnet::model
