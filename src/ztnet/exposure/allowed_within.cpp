#include "ztnet/exposure/allowed_within.h"

#include <algorithm>
#include <utility>

namespace ztnet::exposure {

using reach::ServiceSet;

AllowedWithin::AllowedWithin(const reach::ClassTable& table, ServiceSet interest)
    : table_(table), interest_(std::move(interest)), flags_(table.set_count(), kUnknown),
      within_(table.set_count()), canonical_(table.set_count(), nullptr) {}

void AllowedWithin::derive_all() {
    const std::vector<std::uint32_t>& results = table_.result_sets();
    parallel_for(results.size(), pool_threads(), 256, [&](std::size_t k, unsigned) {
        if (flags_[results[k]] == kUnknown)
            derive_once(results[k]);
    });
}

void AllowedWithin::derive_once(std::uint32_t allowed) {
    within_[allowed] = table_.set(allowed).intersect(interest_);
    flags_[allowed] = within_[allowed].empty()        ? kNothing
                      : within_[allowed] == interest_ ? kEverything
                                                      : kSome;
}

const ServiceSet& AllowedWithin::canonical(std::uint32_t allowed) {
    const ServiceSet*& known = canonical_[allowed];
    if (!known) {
        std::vector<const ServiceSet*>& alike = by_hash_[within_[allowed].hash()];
        auto equal = std::find_if(alike.begin(), alike.end(),
                                  [&](const ServiceSet* s) { return *s == within_[allowed]; });
        known = equal != alike.end() ? *equal : alike.emplace_back(&within_[allowed]);
    }
    return *known;
}

AllowedWithin& AllowedWithinEach::operator[](const ServiceSet& interest) {
    for (auto& within : list_) {
        if (within->interest() == interest)
            return *within;
    }
    list_.push_back(std::make_unique<AllowedWithin>(table_, interest));
    return *list_.back();
}

} // namespace ztnet::exposure
