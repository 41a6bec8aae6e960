// Exact reachability: for a pair of endpoints, the set of services (protocol, source port,
// destination port) that Azure lets through, following path tracing's order: the source's NSGs,
// routes, firewalls, a load balancer's rules and backends, the destination's NSGs. Computed with
// set algebra per equivalence class; a slow reference replays path tracing on one representative
// flow per cell of the service grid that all rule boundaries induce.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/endpoints.h"
#include "ztnet/reach/service_set.h"
#include "ztnet/route/route_plan.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/result.h"

namespace ztnet::reach {

/// What one source may send to one destination.
struct PairReach {
    /// Services certainly allowed end to end.
    ServiceSet allowed;
    /// Services the estate cannot decide offline (an application rule without an FQDN, a virtual
    /// appliance that is not an Azure Firewall, a gateway): they might be allowed. Disjoint from
    /// `allowed`.
    ServiceSet undecidable;

    friend bool operator==(const PairReach&, const PairReach&) = default;
};

/// What one source may send to one destination, as read from a made class table: the sets stay
/// where the table keeps them.
struct PairView {
    const ServiceSet& allowed;
    const ServiceSet& undecidable;
    /// A copy of the sets, to keep.
    operator PairReach() const { return {allowed, undecidable}; }
};

class Reachability;

/// Every pair's result by equivalence class, in a form an analysis can sweep over billions of
/// pairs: each distinct service set has a dense index, so that what an analysis derives from a set
/// is computed once and kept in a vector. A row holds few distinct entries (a source class meets a
/// few kinds of destination), so each row keeps its distinct entries once, as words, and a code per
/// column, in as few bytes as its count of distinct entries needs: about a byte per class pair
/// where a plain table of words would take eight. Valid while its Reachability lives.
class ClassTable {
  public:
    struct Entry {
        std::uint32_t allowed = 0;     // index of the allowed set
        std::uint32_t undecidable = 0; // index of the undecidable set
    };
    /// One row's entries in column order, a word each: within a table, equal words are equal
    /// entries, so that a sweep can skip a repeat before decoding it with entry().
    struct StoredRow;
    class Row {
      public:
        explicit Row(const StoredRow& stored);
        std::uint64_t operator[](std::uint32_t column) const {
            switch (width_) {
            case 1:
                return words_[static_cast<const std::uint8_t*>(codes_)[column]];
            case 2:
                return words_[static_cast<const std::uint16_t*>(codes_)[column]];
            default:
                return words_[static_cast<const std::uint32_t*>(codes_)[column]];
            }
        }
        /// The row's distinct words.
        std::span<const std::uint64_t> distinct() const { return {words_, count_}; }

      private:
        const void* codes_ = nullptr;
        const std::uint64_t* words_ = nullptr;
        std::size_t count_ = 0;
        unsigned width_ = 1; // bytes per code
    };

    std::uint32_t classes() const { return classes_; }
    Row row(std::uint32_t from_class) const;
    Entry at(std::uint32_t from_class, std::uint32_t to_class) const {
        return entry(row(from_class)[to_class]);
    }
    Entry entry(std::uint64_t word) const {
        return {index(static_cast<std::uint32_t>(word >> 32)), index(static_cast<std::uint32_t>(word))};
    }
    /// The index of the allowed set alone.
    std::uint32_t allowed(std::uint32_t from_class, std::uint32_t to_class) const {
        return index(static_cast<std::uint32_t>(row(from_class)[to_class] >> 32));
    }
    /// Whether the set of that index is empty, without reading the set.
    bool empty(std::uint32_t index) const { return empty_[index] != 0; }
    /// How many set indices there are (0 .. set_count() - 1). Equal indices are equal sets; two
    /// indices may still hold equal sets (computed by different threads).
    std::size_t set_count() const { return sets_.size(); }
    const ServiceSet& set(std::uint32_t index) const { return *sets_[index]; }
    /// The indices that some pair holds (as allowed or undecidable), ascending: the sets a sweep
    /// over the pairs meets, a small part of set_count() (the rest are steps of the computation).
    const std::vector<std::uint32_t>& result_sets() const { return result_sets_; }
    /// The endpoints of each class, ascending.
    const std::vector<std::vector<std::uint32_t>>& members() const { return members_; }
    /// The bytes the rows take.
    std::size_t bytes() const;

    /// One row as stored: its distinct words and a code per column into them, in the narrowest
    /// of the three code vectors that holds them (the other two stay empty).
    struct StoredRow {
        std::vector<std::uint64_t> words;
        std::vector<std::uint8_t> narrow; // at most 256 distinct words
        std::vector<std::uint16_t> medium;
        std::vector<std::uint32_t> wide;
        unsigned width = 1; // bytes per code
        /// Encodes `row` (a word per column).
        static StoredRow encode(std::span<const std::uint64_t> row);
    };

  private:
    friend class Reachability;
    std::uint32_t index(std::uint32_t tagged) const {
        return offsets_[tagged >> kTagShift] + (tagged & kLocalMask);
    }
    static constexpr unsigned kTagShift = 28;
    static constexpr std::uint32_t kLocalMask = (std::uint32_t{1} << kTagShift) - 1;

    std::uint32_t classes_ = 0;
    const std::vector<StoredRow>* rows_ = nullptr;
    std::vector<std::uint32_t> offsets_; // per evaluator, where its sets start
    std::vector<const ServiceSet*> sets_;
    std::vector<std::uint8_t> empty_; // per set index
    std::vector<std::uint32_t> result_sets_;
    std::vector<std::vector<std::uint32_t>> members_;
};

/// The reachability engine over one estate. Pair results are computed on first use per pair of
/// equivalence classes and kept.
class Reachability {
  public:
    /// `extra_conditions` are address sets beyond the estate's own that endpoints must not
    /// straddle (an intent's prefixes and service tags).
    Reachability(const policy::PolicyEngine& engine, Diagnostics& diagnostics,
                 std::vector<net::AddressSet> extra_conditions = {});
    ~Reachability();
    Reachability(Reachability&&) noexcept;
    Reachability& operator=(Reachability&&) = delete;
    Reachability(const Reachability&) = delete;

    const EndpointSet& endpoints() const;
    const model::Estate& estate() const;
    const policy::PolicyEngine& engine() const;
    /// From endpoint `from` to endpoint `to` (indices into endpoints().endpoints). Once the class
    /// table is made, this only looks up, and several threads may ask at once.
    const PairReach& between(std::uint32_t from, std::uint32_t to);
    /// The same, for a Reachability whose class table is made (has_class_table()): read from the
    /// table, computing nothing, so that any number of threads may ask. Without the table it throws
    /// std::logic_error (the caller's mistake: the analysis facade makes the table first).
    PairView between(std::uint32_t from, std::uint32_t to) const;
    /// Computes every pair of classes now (what a full matrix needs), rows shared out to `threads`
    /// threads (0: as many as the machine has, or one for a small estate). Results do not depend
    /// on the number of threads.
    void compute_all(unsigned threads = 0);
    /// Computes every pair (compute_all(threads)) on first call and returns the table of results
    /// by class, kept for later calls. Fails, before computing, when the table would not fit in
    /// the machine's memory (a byte or more per pair of classes).
    Result<const ClassTable*> class_table(unsigned threads = 0);
    /// Whether class_table() has made the table: every pair is computed.
    bool has_class_table() const;
    /// The table class_table() made; std::logic_error when it has not.
    const ClassTable& table() const;
    /// Every subnet's effective routes, as the pair results read them.
    const route::RouteViews& route_views() const;
    /// Statistics for people and benchmarks.
    struct Stats {
        std::size_t endpoints = 0;
        std::size_t classes = 0;
        std::size_t class_pairs_computed = 0;
        std::size_t distinct_service_sets = 0;
        std::size_t nsg_terms = 0;
        /// Evaluators used so far: 1, plus the helpers of compute_all().
        std::size_t threads = 0;
    };
    Stats stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class ServiceGrid;

/// The reference: path tracing replayed on one flow per cell of the grid cut by every protocol and
/// port boundary of every NSG rule, load-balancing rule and firewall rule in the estate. Exact and
/// slow (hundreds of traces per pair): for tests.
class ReferenceReach {
  public:
    explicit ReferenceReach(const policy::PolicyEngine& engine);
    ~ReferenceReach();
    PairReach between(const ReachEndpoint& from, const ReachEndpoint& to) const;
    /// Traces per pair.
    std::size_t cells() const;

  private:
    const policy::PolicyEngine& engine_;
    std::unique_ptr<ServiceGrid> grid_;
    Diagnostics routes_found_; // what the routes find, reported by the fast path already
    route::RouteViews routes_;
};

} // namespace ztnet::reach
