#include "ztnet/model/intent.h"

#include <algorithm>
#include <cstddef>

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
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (const IntentGroup& group : groups) {
        if (std::equal(group.name.begin(), group.name.end(), name.begin(), name.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }))
            return &group;
    }
    return nullptr;
}

} // namespace ztnet::model
