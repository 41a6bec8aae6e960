// What one equivalence class may send another within a service set of interest, read from the class
// table, and sweeps over the table's rows for the pairs of classes a predicate accepts.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ztnet/reach/reachability.h"
#include "ztnet/reach/service_set.h"
#include "ztnet/support/parallel.h"

namespace ztnet::exposure {

/// The part of `interest` that one class may send another, derived once per distinct allowed set:
/// classes are far fewer than endpoints, and distinct sets far fewer than class pairs.
class AllowedWithin {
  public:
    AllowedWithin(const reach::ClassTable& table, reach::ServiceSet interest);

    /// Derives every set a pair holds now, on every core; afterwards nothing changes, so that
    /// sweeps may run on several threads.
    void derive_all();

    /// The part of the interest the class may send. Equal parts are one object: callers may tell
    /// them apart by address (an exposure unites each once).
    const reach::ServiceSet& operator()(std::uint32_t from_class, std::uint32_t to_class) {
        const std::uint32_t allowed = table_.allowed(from_class, to_class);
        derive(allowed);
        return canonical(allowed);
    }
    /// Whether the class may send some service of the interest (a byte read once derived).
    bool any(std::uint32_t from_class, std::uint32_t to_class) {
        return flag(from_class, to_class) != kNothing;
    }
    /// After derive_all(), reading only: the same for a pair's entry as a word of its row
    /// (ClassTable::row).
    bool any_of_entry(std::uint64_t word) const { return flags_[table_.entry(word).allowed] != kNothing; }
    /// Whether the pair's entry allows every service of the interest, after derive_all().
    bool all_of_entry(std::uint64_t word) const { return flags_[table_.entry(word).allowed] == kEverything; }
    const reach::ServiceSet& interest() const { return interest_; }

  private:
    enum : std::uint8_t { kUnknown, kNothing, kSome, kEverything };

    std::uint8_t flag(std::uint32_t from_class, std::uint32_t to_class) {
        const std::uint32_t allowed = table_.allowed(from_class, to_class);
        if (table_.empty(allowed))
            return kNothing;
        derive(allowed);
        return flags_[allowed];
    }
    void derive(std::uint32_t allowed) {
        if (flags_[allowed] == kUnknown)
            derive_once(allowed);
    }
    void derive_once(std::uint32_t allowed);

    // The first part asked for that is equal to this set index's, found by hash.
    const reach::ServiceSet& canonical(std::uint32_t allowed);

    const reach::ClassTable& table_;
    reach::ServiceSet interest_;
    std::vector<std::uint8_t> flags_;                 // per set index
    std::vector<reach::ServiceSet> within_;           // per set index, once derived; never reallocated
    std::vector<const reach::ServiceSet*> canonical_; // per set index, once asked for
    std::unordered_map<std::uint64_t, std::vector<const reach::ServiceSet*>> by_hash_;
};

/// The pairs (row class, column class) whose entry `keep` accepts, per row in column order, found on
/// every core, each row read once as words. `keep` must only read (an AllowedWithin after
/// derive_all()).
template <class Keep>
std::vector<std::vector<std::uint32_t>> sweep(const reach::ClassTable& table,
                                              const std::vector<std::uint32_t>& rows,
                                              const std::vector<std::uint32_t>& columns, Keep keep) {
    std::vector<std::vector<std::uint32_t>> hits(rows.size());
    parallel_for(rows.size(), pool_threads(), 16, [&](std::size_t r, unsigned) {
        const reach::ClassTable::Row words = table.row(rows[r]);
        std::vector<std::uint32_t>& out = hits[r];
        for (std::uint32_t column : columns) {
            if (keep(words[column]))
                out.push_back(column);
        }
    });
    return hits;
}

/// One AllowedWithin per interest, for queries whose interest depends on the receiver.
class AllowedWithinEach {
  public:
    explicit AllowedWithinEach(const reach::ClassTable& table) : table_(table) {}
    /// The AllowedWithin of `interest`, made on first use.
    AllowedWithin& operator[](const reach::ServiceSet& interest);

  private:
    const reach::ClassTable& table_;
    std::vector<std::unique_ptr<AllowedWithin>> list_;
};

} // namespace ztnet::exposure
