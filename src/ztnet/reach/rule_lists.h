// Rule lists: which rules of one NSG direction an address satisfies on one side (as source, or as
// destination). Addresses with the same pair of lists are treated alike by the NSG, so
// reachability keeps an NSG's first-match results per pair of list ids.
//
// The lists are computed for the whole address space at once: each family is cut at the bounds of
// the rules' address intervals, and each piece keeps its list. Looking an address up is then one
// binary search, instead of testing every rule's address set.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ztnet/net/address.h"
#include "ztnet/policy/nsg_policy.h"

namespace ztnet::reach {

class RuleLists {
  public:
    enum class Side : std::uint8_t { Source, Destination };

    /// Cuts both sides of both families of `rules` (one direction of a compiled NSG, in priority
    /// order). Afterwards nothing changes: several threads may look up at once.
    explicit RuleLists(const std::vector<policy::ResolvedRule>& rules);

    /// The id of the list of rules (indices into `rules`, ascending) whose `side` holds `address`.
    /// Ids are shared by both sides: equal lists have equal ids.
    std::uint32_t list_of(Side side, const net::Address& address) const;
    const std::vector<std::uint32_t>& list(std::uint32_t id) const { return lists_[id]; }
    std::size_t size() const { return lists_.size(); }

  private:
    // One family of one side: piece i covers [starts[i], starts[i + 1]) and has list lists[i].
    struct Cut {
        std::vector<net::u128> starts;
        std::vector<std::uint32_t> lists;
    };

    void build(Cut& cut, const std::vector<policy::ResolvedRule>& rules, Side side, net::Family family);
    std::uint32_t intern(const std::vector<std::uint32_t>& list);

    Cut cuts_[2][2]; // [side][family]
    std::map<std::vector<std::uint32_t>, std::uint32_t> ids_;
    std::vector<std::vector<std::uint32_t>> lists_;
};

} // namespace ztnet::reach
