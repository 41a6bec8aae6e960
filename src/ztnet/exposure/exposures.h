// Exposures: what one resource is exposed to, gathered over every pair of endpoints that shows part
// of it, with the pairs to trace examples from and the senders to name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/service_set.h"
#include "ztnet/reach/verify.h"
#include "ztnet/route/path.h"

namespace ztnet::exposure {

/// Flows traced into the evidence of one exposure, by default.
inline constexpr std::size_t kExampleFlows = 3;
/// Names listed in one message before "and others".
inline constexpr std::size_t kNamesInMessage = 4;

/// What one resource is exposed to, gathered over every endpoint pair that shows part of it.
struct Exposure {
    const model::Resource* resource = nullptr;
    std::string label; // the discriminator
    reach::ServiceSet services;
    // One (from, to) pair of endpoints per pair of equivalence classes, to trace examples from.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    std::unordered_set<std::uint64_t> class_pairs; // (from class, to class) packed
    // Sets united into `services` already, by address: most pairs bring one again. Callers pass
    // sets that outlive the exposure and never move (the class table's, an AllowedWithin's).
    std::vector<const reach::ServiceSet*> united;
    std::size_t pair_count = 0; // every pair, alike pairs included
    // The senders first in the estate's order (lowest endpoint index) that make kNamesInMessage
    // distinct names, named in the message: the NICs of one VM share its name.
    std::map<std::uint32_t, std::string> sources;
    std::map<std::string, std::size_t> source_names; // how many of `sources` have each name
    bool more_sources = false;                       // senders beyond `sources`
    std::vector<route::PathResult> traced;           // examples traced already (from intent verification)

    /// Keeps the fewest lowest endpoints that hold kNamesInMessage names, whatever the order they
    /// come in.
    void add_source(std::uint32_t endpoint, const std::string& name);
    /// "vm-web-1, vm-web-2" or "vm-app-1, vm-app-2, vm-data-1, vm-data-2 and others".
    std::string source_list() const;
};

/// Exposures keyed by resource and label, in the order first seen.
class Exposures {
  public:
    using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

    /// How many example flows each finding traces (when none were traced already).
    explicit Exposures(std::size_t example_flows = kExampleFlows) : example_flows_(example_flows) {}
    std::size_t example_flows() const { return example_flows_; }

    /// One pair of endpoints that shows part of an exposure.
    void add(const model::Resource& resource, const std::string& label, const reach::Reachability& reach,
             std::uint32_t from, std::uint32_t to, const reach::ServiceSet& services) {
        add(resource, label, reach, {{from, to}}, services);
    }
    /// The pairs of endpoints of one pair of classes (whose results are equal) that show part of an
    /// exposure, in ascending order: every one counts, the first stands for them in the evidence.
    void add(const model::Resource& resource, const std::string& label, const reach::Reachability& reach,
             const Pairs& pairs, const reach::ServiceSet& services) {
        if (!pairs.empty())
            add(at(resource, label), reach, pairs, services);
    }
    /// The same into a known exposure.
    static void add(Exposure& e, const reach::Reachability& reach, const Pairs& pairs,
                    const reach::ServiceSet& services);
    /// The same into a known exposure; `new_class_pair` says whether the pairs' pair of classes is
    /// new to it (then the first pair is kept for the evidence).
    static void add_to(Exposure& e, const reach::Reachability& reach, const Pairs& pairs,
                       const reach::ServiceSet& services, bool new_class_pair);
    /// A violation of the intent, whose examples are traced already. `source_name` names its sender
    /// (v.from) in the message.
    void add(const model::Resource& resource, const std::string& label, const reach::Violation& v,
             const std::string& source_name);
    /// The exposures, each one's example pairs in ascending order (whatever order the sweep found
    /// them in), so that the traced examples do not depend on it.
    const std::deque<Exposure>& list();

    /// The exposure of `resource` under `label`, made on first use. It stays where it is while more
    /// are made.
    Exposure& at(const model::Resource& resource, const std::string& label);
    /// A new exposure of `resource` under `label`, which the caller knows it has none of yet.
    Exposure& make(const model::Resource& resource, std::string label);

  private:
    std::size_t example_flows_;
    // Per resource, its exposures (one per label).
    std::unordered_map<const model::Resource*, std::vector<std::size_t>> index_;
    std::deque<Exposure> list_;
};

/// The endpoint pairs of one pair of classes, grouped by their pair of tiers (a key). Most pairs of
/// classes have one group: the groups' vectors are kept from one pair of classes to the next, so
/// that grouping allocates nothing once they have grown.
class TierPairs {
  public:
    using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
    void clear() {
        for (std::size_t i = 0; i < used_; ++i)
            groups_[i].second.clear();
        used_ = 0;
    }
    void add(std::uint64_t key, std::pair<std::uint32_t, std::uint32_t> pair) {
        std::size_t i = 0;
        while (i < used_ && groups_[i].first != key)
            ++i;
        if (i == used_) {
            if (used_ == groups_.size())
                groups_.emplace_back();
            groups_[used_++].first = key;
        }
        groups_[i].second.push_back(pair);
    }
    /// The groups by ascending key.
    const std::vector<std::pair<std::uint64_t, const Pairs*>>& in_order();

  private:
    std::vector<std::pair<std::uint64_t, Pairs>> groups_;
    std::size_t used_ = 0;
    std::vector<std::pair<std::uint64_t, const Pairs*>> order_;
};

} // namespace ztnet::exposure
