// Internal to the reach module. Pieces of the Internet are endpoints of their own, but a result
// that is the same for several pieces reads as one result "from (to) the Internet": the piece
// called plain "Internet" (what no rule names) is kept as the example, the others are counted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <tuple>
#include <vector>

namespace ztnet::reach::detail {

/// `is_internet(e)` and `is_main_piece(e)` classify endpoints; `same(a, b)` compares two items'
/// results; items carry `from`, `to` and `similar_pairs`. `hash(item)` pre-buckets by result.
template <class Item, class IsInternet, class IsMain, class Same, class Hash>
void merge_internet_pieces(std::vector<Item>& items, IsInternet is_internet, IsMain is_main_piece, Same same,
                           Hash hash) {
    auto side = [&](std::uint32_t e) { return is_internet(e) ? std::uint32_t(-1) : e; };
    std::vector<Item> merged;
    std::multimap<std::tuple<std::uint32_t, std::uint32_t, std::size_t>, std::size_t> index;
    for (Item& item : items) {
        auto key = std::make_tuple(side(item.from), side(item.to), hash(item));
        auto [first, last] = index.equal_range(key);
        auto match =
            std::find_if(first, last, [&](const auto& entry) { return same(merged[entry.second], item); });
        if (match == last) {
            index.emplace(key, merged.size());
            merged.push_back(std::move(item));
            continue;
        }
        Item& kept = merged[match->second];
        std::size_t pairs = kept.similar_pairs + 1 + item.similar_pairs;
        if (is_main_piece(item.from) || is_main_piece(item.to))
            kept = std::move(item);
        kept.similar_pairs = pairs;
    }
    items = std::move(merged);
}

} // namespace ztnet::reach::detail
