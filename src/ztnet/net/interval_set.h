// IntervalSet<T>: an exact set of values of an unsigned integer domain [0, max of T], stored as sorted,
// disjoint, non-adjacent closed intervals. Ports, protocols and addresses are all sets of this kind, and
// every reachability question later reduces to unions, intersections and differences of them.
#pragma once

#include <algorithm>
#include <cassert>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <iterator>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ztnet/net/uint128.h"

namespace ztnet::net {

/// A closed interval [lo, hi] of an unsigned domain. Inside an IntervalSet, lo <= hi always holds.
template <class T>
struct Interval {
    T lo;
    T hi;

    friend constexpr bool operator==(const Interval&, const Interval&) = default;
    friend constexpr auto operator<=>(const Interval&, const Interval&) = default;
};

/// A set of values of T (an unsigned integer type, u128 included) kept as coalesced closed intervals.
/// Every binary operation is one linear merge over both interval lists; membership is a binary search.
/// Two sets are equal exactly when they hold the same values (the representation is canonical).
template <class T>
class IntervalSet {
    static_assert(static_cast<T>(~T{0}) > T{0}, "IntervalSet needs an unsigned integer domain");

  public:
    using value_type = T;
    using interval_type = Interval<T>;
    /// Type of size(): wide enough for every count except the full u128 domain, which saturates.
    using size_type = std::conditional_t<(sizeof(T) < 8), std::uint64_t, u128>;

    /// The largest value of the domain.
    static constexpr T kMax = static_cast<T>(~T{0});

    /// The empty set.
    IntervalSet() = default;

    /// The empty set (named factory, for symmetry with all()).
    static IntervalSet none() { return IntervalSet(); }
    /// Every value of the domain, [0, kMax].
    static IntervalSet all() { return range(0, kMax); }
    /// The one-value set {value}.
    static IntervalSet single(T value) { return range(value, value); }
    /// The values lo..hi inclusive. Precondition lo <= hi (asserted; an inverted range yields the empty set).
    static IntervalSet range(T lo, T hi) {
        assert(lo <= hi);
        IntervalSet set;
        if (lo <= hi)
            set.intervals_.push_back({lo, hi});
        return set;
    }
    /// Builds a set from intervals in any order, overlapping or not, in O(n log n). Each must have lo <= hi.
    static IntervalSet from_intervals(std::vector<Interval<T>> intervals);

    /// Adds lo..hi (lo <= hi, asserted) in place, merging with overlapping or adjacent intervals.
    void insert(T lo, T hi);
    /// Adds one value in place.
    void insert(T value) { insert(value, value); }

    /// Values in this set or in `other`.
    IntervalSet unite(const IntervalSet& other) const;
    /// Values in both this set and `other`.
    IntervalSet intersect(const IntervalSet& other) const;
    /// Values in this set but not in `other`.
    IntervalSet subtract(const IntervalSet& other) const;
    /// Values of the whole domain [0, kMax] that are not in this set.
    IntervalSet complement() const;

    /// Whether `value` is in the set (binary search, no allocation).
    bool contains(T value) const {
        // First interval starting after value; the candidate is the one before it.
        auto it = std::upper_bound(intervals_.begin(), intervals_.end(), value,
                                   [](T v, const Interval<T>& iv) { return v < iv.lo; });
        return it != intervals_.begin() && value <= std::prev(it)->hi;
    }
    /// Whether every value of `other` is in this set (subset test; the empty set is a subset of all).
    bool contains(const IntervalSet& other) const;
    /// Whether this set and `other` share at least one value.
    bool overlaps(const IntervalSet& other) const;

    /// Whether the set holds no value.
    bool empty() const { return intervals_.empty(); }
    /// Whether the set holds every value of the domain.
    bool full() const { return intervals_.size() == 1 && intervals_[0].lo == 0 && intervals_[0].hi == kMax; }
    /// Number of values in the set. Exact, except for the full u128 domain (2^128 values), which reports
    /// 2^128 - 1; use full() to tell the two apart.
    size_type size() const;

    /// The canonical intervals: sorted by lo, disjoint, and never adjacent (a.hi + 1 < b.lo).
    std::span<const Interval<T>> intervals() const { return intervals_; }

    /// A hash of the values, consistent with ==.
    std::size_t hash() const;
    /// Debug text such as "{}" or "{1-5, 9}" with decimal bounds; modules print domain-specific forms.
    std::string to_string() const;

    friend bool operator==(const IntervalSet&, const IntervalSet&) = default;
    /// Lexicographic over the interval lists: an arbitrary but total order, so sets can key ordered maps.
    friend auto operator<=>(const IntervalSet&, const IntervalSet&) = default;

  private:
    // Appends [lo, hi] at the end, coalescing with the last interval when they overlap or touch.
    // Precondition: lo is >= the lo of every interval already present.
    void append(T lo, T hi) {
        if (!intervals_.empty()) {
            Interval<T>& back = intervals_.back();
            if (back.hi == kMax || lo <= static_cast<T>(back.hi + 1)) {
                back.hi = std::max(back.hi, hi);
                return;
            }
        }
        intervals_.push_back({lo, hi});
    }

    std::vector<Interval<T>> intervals_;
};

/// Writes set.to_string() (lets GoogleTest print sets in failure messages). Instantiated for the
/// domains used by ztnet: std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t and u128.
template <class T>
std::ostream& operator<<(std::ostream& out, const IntervalSet<T>& set);

// ---- out-of-line members (explicitly instantiated in interval_set.cpp for the common domains) ----

template <class T>
IntervalSet<T> IntervalSet<T>::from_intervals(std::vector<Interval<T>> intervals) {
    std::sort(intervals.begin(), intervals.end(),
              [](const Interval<T>& a, const Interval<T>& b) { return a.lo < b.lo; });
    IntervalSet set;
    set.intervals_.reserve(intervals.size());
    for (const Interval<T>& iv : intervals) {
        assert(iv.lo <= iv.hi);
        if (iv.lo <= iv.hi)
            set.append(iv.lo, iv.hi);
    }
    return set;
}

template <class T>
void IntervalSet<T>::insert(T lo, T hi) {
    assert(lo <= hi);
    if (lo > hi)
        return;
    // Intervals entirely before lo and not touching it stay untouched: iv.hi + 1 < lo.
    auto first = std::partition_point(intervals_.begin(), intervals_.end(), [lo](const Interval<T>& iv) {
        return iv.hi < lo && static_cast<T>(iv.hi + 1) < lo;
    });
    // Intervals from `first` that overlap or touch [lo, hi]: iv.lo <= hi + 1.
    auto last = std::partition_point(first, intervals_.end(), [hi](const Interval<T>& iv) {
        return iv.lo <= hi || static_cast<T>(iv.lo - 1) <= hi;
    });
    if (first == last) {
        intervals_.insert(first, Interval<T>{lo, hi});
        return;
    }
    first->lo = std::min(first->lo, lo);
    first->hi = std::max(std::prev(last)->hi, hi);
    intervals_.erase(std::next(first), last);
}

template <class T>
IntervalSet<T> IntervalSet<T>::unite(const IntervalSet& other) const {
    const auto& a = intervals_;
    const auto& b = other.intervals_;
    IntervalSet out;
    out.intervals_.reserve(a.size() + b.size());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() || j < b.size()) {
        const bool take_a = j == b.size() || (i < a.size() && a[i].lo <= b[j].lo);
        const Interval<T>& iv = take_a ? a[i++] : b[j++];
        out.append(iv.lo, iv.hi);
    }
    return out;
}

template <class T>
IntervalSet<T> IntervalSet<T>::intersect(const IntervalSet& other) const {
    const auto& a = intervals_;
    const auto& b = other.intervals_;
    IntervalSet out;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const T lo = std::max(a[i].lo, b[j].lo);
        const T hi = std::min(a[i].hi, b[j].hi);
        // Pieces of two coalesced sets can never touch each other, so a plain push keeps the invariant.
        if (lo <= hi)
            out.intervals_.push_back({lo, hi});
        if (a[i].hi < b[j].hi)
            ++i;
        else
            ++j;
    }
    return out;
}

template <class T>
IntervalSet<T> IntervalSet<T>::subtract(const IntervalSet& other) const {
    const auto& b = other.intervals_;
    IntervalSet out;
    std::size_t j = 0;
    for (const Interval<T>& iv : intervals_) {
        T lo = iv.lo;
        const T hi = iv.hi;
        while (j < b.size() && b[j].hi < lo)
            ++j;
        bool consumed = false;
        std::size_t k = j;
        for (; k < b.size() && b[k].lo <= hi; ++k) {
            if (b[k].lo > lo)
                out.intervals_.push_back({lo, static_cast<T>(b[k].lo - 1)});
            if (b[k].hi >= hi) {
                consumed = true;
                break;
            }
            lo = static_cast<T>(b[k].hi + 1); // b[k].hi < hi <= kMax: no wrap
        }
        if (!consumed)
            out.intervals_.push_back({lo, hi});
        // b[k] may reach into the next interval of this set, so resume from it.
        j = k;
    }
    return out;
}

template <class T>
IntervalSet<T> IntervalSet<T>::complement() const {
    IntervalSet out;
    out.intervals_.reserve(intervals_.size() + 1);
    T next = 0; // smallest value not yet classified
    for (const Interval<T>& iv : intervals_) {
        if (iv.lo > next)
            out.intervals_.push_back({next, static_cast<T>(iv.lo - 1)});
        if (iv.hi == kMax)
            return out;
        next = static_cast<T>(iv.hi + 1);
    }
    out.intervals_.push_back({next, kMax});
    return out;
}

template <class T>
bool IntervalSet<T>::contains(const IntervalSet& other) const {
    std::size_t i = 0;
    for (const Interval<T>& iv : other.intervals_) {
        while (i < intervals_.size() && intervals_[i].hi < iv.lo)
            ++i;
        // Coalesced intervals: a subset interval must sit inside a single interval of this set.
        if (i == intervals_.size() || intervals_[i].lo > iv.lo || intervals_[i].hi < iv.hi)
            return false;
    }
    return true;
}

template <class T>
bool IntervalSet<T>::overlaps(const IntervalSet& other) const {
    const auto& a = intervals_;
    const auto& b = other.intervals_;
    // Disjoint spans first: the common answer, without walking either list.
    if (a.empty() || b.empty() || a.back().hi < b.front().lo || b.back().hi < a.front().lo)
        return false;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].hi < b[j].lo)
            ++i;
        else if (b[j].hi < a[i].lo)
            ++j;
        else
            return true;
    }
    return false;
}

template <class T>
typename IntervalSet<T>::size_type IntervalSet<T>::size() const {
    constexpr size_type kSaturated = static_cast<size_type>(~size_type{0});
    size_type total = 0;
    for (const Interval<T>& iv : intervals_) {
        const size_type span = static_cast<size_type>(iv.hi - iv.lo);
        if (span == kSaturated)
            return kSaturated; // only the full u128 domain gets here
        // Disjoint intervals of a non-full set sum to at most 2^128 - 1, so this cannot wrap.
        total += span + 1;
    }
    return total;
}

template <class T>
std::size_t IntervalSet<T>::hash() const {
    std::uint64_t h = hash_mix64(intervals_.size());
    for (const Interval<T>& iv : intervals_) {
        h = hash_mix64(h ^ hash_u128(static_cast<u128>(iv.lo)));
        h = hash_mix64(h ^ hash_u128(static_cast<u128>(iv.hi)));
    }
    return static_cast<std::size_t>(h);
}

template <class T>
std::string IntervalSet<T>::to_string() const {
    std::string text = "{";
    for (std::size_t i = 0; i < intervals_.size(); ++i) {
        if (i != 0)
            text += ", ";
        text += u128_to_string(static_cast<u128>(intervals_[i].lo));
        if (intervals_[i].hi != intervals_[i].lo) {
            text += '-';
            text += u128_to_string(static_cast<u128>(intervals_[i].hi));
        }
    }
    text += '}';
    return text;
}

extern template class IntervalSet<std::uint8_t>;
extern template class IntervalSet<std::uint16_t>;
extern template class IntervalSet<std::uint32_t>;
extern template class IntervalSet<std::uint64_t>;
extern template class IntervalSet<u128>;

} // namespace ztnet::net
