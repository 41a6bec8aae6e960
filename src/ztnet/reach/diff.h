// Semantic diff: what a change to an estate newly allows and newly denies, between every pair of
// endpoints present in either version, with an example flow traced in both versions and the hops
// whose decision changed (the rule change that caused it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ztnet/reach/reachability.h"
#include "ztnet/route/path.h"

namespace ztnet::reach {

/// The address conditions of an estate (NSG rule sides, routes, firewall addresses). Build each
/// version's Reachability with the other version's conditions as extra conditions, so that both
/// cut the Internet into the same pieces.
std::vector<net::AddressSet> estate_address_conditions(const policy::PolicyEngine& engine,
                                                       Diagnostics& diagnostics);

/// One endpoint as it appears in the two versions (kNoEndpoint where it does not exist).
struct EndpointPairing {
    static constexpr std::uint32_t kNoEndpoint = static_cast<std::uint32_t>(-1);
    std::string key; // what identifies it across versions: resource id (and IP configuration), or addresses
    std::string name;
    std::uint32_t before = kNoEndpoint;
    std::uint32_t after = kNoEndpoint;
};

/// A change between one pair of endpoints (pairs that change alike are counted in similar_pairs).
struct PairChange {
    std::uint32_t from = 0; // indices into ReachDiff::endpoints()
    std::uint32_t to = 0;
    ServiceSet newly_allowed;
    ServiceSet newly_denied;
    std::size_t similar_pairs = 0;
    /// The example flow (newly allowed if any, else newly denied) traced in both versions; absent
    /// where an endpoint does not exist in that version.
    std::optional<route::PathResult> before_trace, after_trace;
    /// The hops whose decision differs between the traces, for people: "nsg-web inbound:
    /// DenyAllInBound (4096, default rule) denies -> AllowRdp (110) allows".
    std::vector<std::string> causes;
    /// Per cause, where the after version's deciding rule is written (unknown when none).
    std::vector<SourceLocation> cause_locations;
};

class ReachDiff {
  public:
    ReachDiff(const Reachability& before, const Reachability& after);

    const std::vector<EndpointPairing>& endpoints() const { return endpoints_; }
    /// What the after version allows from a to b and the before version does not; and the reverse.
    ServiceSet newly_allowed(std::uint32_t from, std::uint32_t to) const;
    ServiceSet newly_denied(std::uint32_t from, std::uint32_t to) const;

    /// Every change, pairs that change alike grouped, sorted by endpoint names.
    std::vector<PairChange> changes() const;

  private:
    const ServiceSet& allowed(const Reachability& reach, std::uint32_t from, std::uint32_t to) const;
    const Reachability& before_;
    const Reachability& after_;
    std::vector<EndpointPairing> endpoints_;
};

} // namespace ztnet::reach
