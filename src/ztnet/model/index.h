// Typed positions in the estate's tables: a subnet's NSG is an NsgIndex, which only the NSG table
// accepts, so that a cross-reference followed into the wrong table does not compile.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace ztnet::model {

/// "No resource": what an absent or unresolved reference holds. Converts to every IndexOf.
struct NoIndex {
    friend constexpr bool operator==(NoIndex, NoIndex) { return true; }
};
inline constexpr NoIndex kNone{};

/// The position of a resource of kind `T` in its Estate table, or kNone.
template <class T>
class IndexOf {
  public:
    constexpr IndexOf() = default;
    constexpr IndexOf(NoIndex) {} // NOLINT(google-explicit-constructor): `= kNone` reads as intended
    /// A position read from elsewhere (a generic ResourceRef, a loop over the table).
    constexpr explicit IndexOf(std::uint32_t position) : position_(position) {}
    constexpr explicit IndexOf(std::size_t position) : position_(static_cast<std::uint32_t>(position)) {}

    constexpr std::uint32_t value() const { return position_; }
    constexpr bool is_none() const { return position_ == kNonePosition; }

    friend constexpr bool operator==(IndexOf a, IndexOf b) = default;
    friend constexpr auto operator<=>(IndexOf a, IndexOf b) = default;
    friend constexpr bool operator==(IndexOf a, NoIndex) { return a.is_none(); }

  private:
    static constexpr std::uint32_t kNonePosition = static_cast<std::uint32_t>(-1);
    std::uint32_t position_ = kNonePosition;
};

/// The typed positions 0..size-1 of a table, for range-for. (Hand-written rather than a
/// std::views pipeline: clang 14 cannot compile libstdc++ 12's views.)
template <class K>
class IndexRange {
  public:
    class Iterator {
      public:
        using value_type = IndexOf<K>;
        using difference_type = std::ptrdiff_t;

        constexpr Iterator() = default;
        constexpr explicit Iterator(std::size_t position) : position_(position) {}
        constexpr IndexOf<K> operator*() const { return IndexOf<K>(position_); }
        constexpr Iterator& operator++() {
            ++position_;
            return *this;
        }
        constexpr Iterator operator++(int) {
            Iterator before = *this;
            ++position_;
            return before;
        }
        friend constexpr bool operator==(Iterator a, Iterator b) = default;

      private:
        std::size_t position_ = 0;
    };

    constexpr explicit IndexRange(std::size_t size) : size_(size) {}
    constexpr Iterator begin() const { return Iterator(0); }
    constexpr Iterator end() const { return Iterator(size_); }
    constexpr std::size_t size() const { return size_; }

  private:
    std::size_t size_;
};

/// Values kept per resource of kind K, read by K's typed positions (and, for loops over all of
/// them, by plain positions). The estate's tables are IndexedBy<T, T>; an analysis keeps its own
/// per-subnet or per-firewall data in one the same way.
template <class K, class T>
class IndexedBy : public std::vector<T> {
  public:
    using std::vector<T>::vector;
    using std::vector<T>::operator[];

    typename std::vector<T>::reference operator[](IndexOf<K> i) {
        return std::vector<T>::operator[](i.value());
    }
    typename std::vector<T>::const_reference operator[](IndexOf<K> i) const {
        return std::vector<T>::operator[](i.value());
    }

    /// Whether `i` names an element.
    bool contains(IndexOf<K> i) const { return !i.is_none() && i.value() < this->size(); }
    /// Every typed position, in order: `for (NsgIndex n : estate.network_security_groups.indices())`.
    IndexRange<K> indices() const { return IndexRange<K>(this->size()); }
    /// The typed position of the element at `position`.
    static IndexOf<K> index(std::size_t position) { return IndexOf<K>(position); }
};

/// One kind's resources.
template <class T>
using Table = IndexedBy<T, T>;

} // namespace ztnet::model

template <class T>
struct std::hash<ztnet::model::IndexOf<T>> {
    std::size_t operator()(ztnet::model::IndexOf<T> i) const noexcept {
        return std::hash<std::uint32_t>{}(i.value());
    }
};
