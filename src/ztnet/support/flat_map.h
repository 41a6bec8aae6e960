// An open-addressing hash map from 64-bit keys to 32-bit values, for the memo tables on the hot
// paths of reachability: one probe into a flat array instead of a node-based std::unordered_map's
// pointer chase, which dominated the all-pairs profile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ztnet {

class FlatMap64 {
  public:
    /// The one key the map cannot hold: it marks an empty slot.
    static constexpr std::uint64_t kEmptyKey = ~std::uint64_t{0};

    FlatMap64() { rehash(16); }

    /// The value stored for `key`, or nullptr.
    const std::uint32_t* find(std::uint64_t key) const {
        for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
            if (slots_[i].key == key)
                return &slots_[i].value;
            if (slots_[i].key == kEmptyKey)
                return nullptr;
        }
    }

    /// Stores `value` for `key` (which must not be kEmptyKey), replacing any earlier value.
    void insert(std::uint64_t key, std::uint32_t value) {
        if ((size_ + 1) * 4 > slots_.size() * 3)
            rehash(slots_.size() * 2);
        std::size_t i = slot_of(key);
        while (slots_[i].key != kEmptyKey && slots_[i].key != key)
            i = (i + 1) & mask_;
        if (slots_[i].key == kEmptyKey)
            ++size_;
        slots_[i] = {key, value};
    }

    std::size_t size() const { return size_; }

  private:
    std::size_t slot_of(std::uint64_t key) const {
        // Fibonacci hashing: the multiplication spreads packed pairs of small ids over the table.
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
    }

    void rehash(std::size_t capacity) {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        shift_ = 64;
        for (std::size_t c = capacity; c > 1; c >>= 1)
            --shift_;
        size_ = 0;
        for (const Slot& slot : old) {
            if (slot.key != kEmptyKey)
                insert(slot.key, slot.value);
        }
    }

    // A key and its value side by side: a lookup touches one cache line.
    struct Slot {
        std::uint64_t key = kEmptyKey;
        std::uint32_t value = 0;
    };
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t size_ = 0;
};

/// The last answer seen per slot of a small direct-mapped table, in front of a FlatMap64 that has
/// grown past the caches: consecutive pairs of one row ask mostly the same few keys, and a hit here
/// stays in L1 or L2 where the big table's probe goes to memory.
template <std::size_t kSlots>
class RecentAnswers {
    static_assert((kSlots & (kSlots - 1)) == 0, "a power of two");

  public:
    RecentAnswers() : slots_(kSlots) {}

    const std::uint32_t* find(std::uint64_t key) const {
        const Slot& slot = slots_[slot_of(key)];
        return slot.key == key ? &slot.value : nullptr;
    }
    /// Remembers `value` for `key` (not FlatMap64::kEmptyKey), forgetting whatever shared its slot.
    void remember(std::uint64_t key, std::uint32_t value) { slots_[slot_of(key)] = {key, value}; }

  private:
    static std::size_t slot_of(std::uint64_t key) {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 40) & (kSlots - 1);
    }
    struct Slot {
        std::uint64_t key = FlatMap64::kEmptyKey;
        std::uint32_t value = 0;
    };
    std::vector<Slot> slots_;
};

} // namespace ztnet
