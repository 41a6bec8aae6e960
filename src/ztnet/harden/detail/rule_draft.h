// Internal to harden: a rule being written (a Draft) before it is merged with its like, numbered
// and named; and the rule sides, names and numbers the plan's rules take.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/harden/harden.h"

namespace ztnet::harden::detail {

inline constexpr int kFirstPriority = 100;
inline constexpr int kPriorityStep = 10;
inline constexpr int kRequirementPriority = 4000; // what Azure requires, after the application's rules
inline constexpr int kProbePriority = 4095;
inline constexpr int kDenyAllPriority = 4096;

/// One side of a rule: address entries, or an application security group (Azure takes one or the
/// other on a side, never both, and one group or one service tag at most).
struct Side {
    std::vector<model::AddressEntry> addresses;
    std::vector<model::AsgIndex> asgs;

    /// Equal for equal sides: what merging compares.
    std::string key() const;
};

Side any_side();
Side tag_side(std::string tag);
void add_prefix(Side& side, const net::Prefix& prefix);

/// A rule being gathered for one NSG, before it is named and numbered.
struct Draft {
    net::Direction direction = net::Direction::Inbound;
    Side source;
    Side destination;
    std::string protocol; ///< as Azure spells it: Tcp, Udp, *
    net::PortSet ports = net::PortSet::all();
    std::vector<std::string> reasons;
    std::string label;     ///< the name's stem
    int priority = 0;      ///< fixed for Azure's requirements and the baseline, 0 for the application's
    std::size_t order = 0; ///< the intent flow's place, for numbering
};

/// A rule of fixed priority (Azure's requirements, the probes, the baseline).
Draft fixed(net::Direction direction, Side source, Side destination, std::string protocol, net::PortSet ports,
            int priority, std::string label, std::string reason);

/// Drafts that differ only in their ports become one; then those of the application that differ
/// only in their destination (or only in their source) addresses: the backends of one load
/// balancer, the tiers one flow reaches. In inbound-then-outbound order, each by priority and then
/// by the intent's order.
std::vector<Draft> merged(std::vector<Draft> drafts);

/// Application drafts merged until at most `max` drafts are left: two of one direction and protocol
/// whose sides Azure can write as one (prefixes with prefixes, or equal sides) become one
/// with the entries of both and the ports of both, the pair whose merge adds the fewest address
/// and port combinations first. Each merge is said in `widened`. nullopt when too many are left
/// and no two can be merged.
std::optional<std::vector<Draft>> bounded(std::vector<Draft> drafts, std::size_t max,
                                          std::vector<std::string>& widened);

/// The application's rules numbered from 100 by 10 (closer when there are more than 390 in one
/// direction, so that they stay below Azure's requirements at 4000) and named after their flow
/// ("Allow-x-In"), requirements from 4000 by 10, the rest at their fixed priority; names unique per
/// direction.
std::vector<ProposedRule> numbered(const std::vector<Draft>& drafts);

} // namespace ztnet::harden::detail
