#include "ztnet/reach/rule_lists.h"

#include <algorithm>

namespace ztnet::reach {

RuleLists::RuleLists(const std::vector<policy::ResolvedRule>& rules) {
    for (Side side : {Side::Source, Side::Destination}) {
        for (net::Family family : {net::Family::V4, net::Family::V6})
            build(cuts_[side == Side::Source ? 0 : 1][family == net::Family::V4 ? 0 : 1], rules, side,
                  family);
    }
}

std::uint32_t RuleLists::list_of(Side side, const net::Address& address) const {
    const Cut& cut = cuts_[side == Side::Source ? 0 : 1][address.is_v4() ? 0 : 1];
    auto after = std::upper_bound(cut.starts.begin(), cut.starts.end(), address.value());
    return cut.lists[static_cast<std::size_t>(after - cut.starts.begin()) - 1];
}

// A sweep over the interval bounds: a rule enters the active list where one of its intervals
// starts and leaves after it ends. A rule's intervals within a family are disjoint, so it is
// active at most once at a time.
void RuleLists::build(Cut& cut, const std::vector<policy::ResolvedRule>& rules, Side side,
                      net::Family family) {
    struct Event {
        net::u128 at;
        std::uint32_t rule;
        bool enters;
    };
    std::vector<Event> events;
    const net::u128 top = net::family_max(family);
    for (std::uint32_t r = 0; r < rules.size(); ++r) {
        const net::AddressSet& set = side == Side::Source ? rules[r].sources : rules[r].destinations;
        for (const auto& iv : set.of(family).intervals()) {
            events.push_back({iv.lo, r, true});
            if (iv.hi < top)
                events.push_back({iv.hi + 1, r, false});
        }
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });

    std::vector<std::uint32_t> active; // ascending rule indices
    cut.starts.push_back(0);
    cut.lists.push_back(intern(active));
    for (std::size_t i = 0; i < events.size();) {
        const net::u128 at = events[i].at;
        for (; i < events.size() && events[i].at == at; ++i) {
            auto place = std::lower_bound(active.begin(), active.end(), events[i].rule);
            if (events[i].enters)
                active.insert(place, events[i].rule);
            else
                active.erase(place);
        }
        std::uint32_t id = intern(active);
        if (id == cut.lists.back())
            continue;
        if (cut.starts.back() == at) { // an earlier piece ended where this one starts
            cut.lists.back() = id;
        } else {
            cut.starts.push_back(at);
            cut.lists.push_back(id);
        }
    }
}

std::uint32_t RuleLists::intern(const std::vector<std::uint32_t>& list) {
    auto [it, inserted] = ids_.try_emplace(list, static_cast<std::uint32_t>(lists_.size()));
    if (inserted)
        lists_.push_back(list);
    return it->second;
}

} // namespace ztnet::reach
