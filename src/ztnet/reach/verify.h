// Intent verification: does the estate allow exactly what the intent says? Every endpoint of the
// estate takes part: a flow is excess when the estate allows it and no intent flow names it, and
// missing when an intent flow (or a platform flow) names it and the estate does not allow it.
#pragma once

#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/model/intent.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/route/path.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::reach {

/// The address sets an intent's prefix and service-tag selectors name: pass them to Reachability
/// so that no endpoint (a piece of the Internet above all) is half inside such a group.
std::vector<net::AddressSet> intent_address_conditions(const model::Intent& intent,
                                                       const policy::ServiceTags& tags);

/// The resources an intent selector's value names: by name or full id (case-insensitive), and
/// subnets also as "vnet/subnet".
template <class T>
std::vector<model::IndexOf<T>> named(const model::Table<T>& items, std::string_view value) {
    std::vector<model::IndexOf<T>> out;
    for (model::IndexOf<T> i : items.indices())
        if (model::same_id(items[i].name, value) || model::same_id(items[i].id, value))
            out.push_back(i);
    return out;
}
std::vector<model::SubnetIndex> named_subnets(const model::Estate& estate, std::string_view value);

/// The private endpoints a `private-endpoint` or `paas` selector names (for `paas`, those that front
/// the service). With `diagnostics`, an unknown name is an error, and a service that no private
/// endpoint fronts a warning: its public endpoint is a service tag's addresses, not the group's.
std::vector<model::PrivateEndpointIndex> fronting_endpoints(const model::Estate& estate,
                                                            const model::IntentSelector& selector,
                                                            Diagnostics* diagnostics);

/// An intent resolved against one estate's endpoints.
class IntentCheck {
  public:
    /// Resolves every group. A selector that names nothing in the estate is an error (a typo must
    /// not make verification pass), reported with its place in the intent file.
    IntentCheck(const Reachability& reach, const model::Intent& intent, const policy::ServiceTags& tags,
                Diagnostics& diagnostics);

    /// The endpoints of a group (indices into reach.endpoints()).
    const std::vector<std::uint32_t>& members(std::size_t group) const { return members_[group]; }
    /// What the intent names from endpoint a to b: its application and platform flows. All of it
    /// must be allowed.
    ServiceSet intended(std::uint32_t from, std::uint32_t to) const;
    /// The intent flows (application flows first, then platform flows) that name a to b.
    std::vector<std::uint32_t> flows_between(std::uint32_t from, std::uint32_t to) const;
    /// A flow's label for people: its name, or "from -> to".
    std::string flow_label(std::uint32_t flow) const;
    /// Per endpoint, the flows it is a source (destination) of: endpoints with equal lists and
    /// equal equivalence classes are alike for verification.
    const std::vector<std::uint32_t>& source_flows(std::uint32_t endpoint) const {
        return as_source_[endpoint];
    }
    const std::vector<std::uint32_t>& destination_flows(std::uint32_t endpoint) const {
        return as_destination_[endpoint];
    }

    /// The three answers for one pair at once (the intent's services computed once).
    struct PairVerdict {
        ServiceSet missing, excess, undecidable;
    };
    PairVerdict compare(std::uint32_t from, std::uint32_t to) const;

    /// Allowed by the estate but not intended (nothing from the platform address counts: the
    /// platform is trusted by design and every NSG admits its probes by default).
    ServiceSet excess(std::uint32_t from, std::uint32_t to) const;
    /// Undecidable in the estate and not intended.
    ServiceSet undecidable_excess(std::uint32_t from, std::uint32_t to) const;
    /// Intended but not certainly allowed (pairs of endpoints with no address family in common
    /// cannot exchange traffic and miss nothing).
    ServiceSet missing(std::uint32_t from, std::uint32_t to) const;

  private:
    const model::IntentFlow& flow(std::uint32_t index) const;
    void resolve(const policy::ServiceTags& tags, Diagnostics& diagnostics);
    std::vector<std::uint32_t> select(const model::IntentSelector& selector, const policy::ServiceTags& tags,
                                      Diagnostics& diagnostics) const;

    const Reachability& reach_;
    const model::Intent& intent_;
    std::vector<std::vector<std::uint32_t>> members_; // per intent group
    std::vector<std::vector<std::uint32_t>> as_source_, as_destination_;
    std::vector<ServiceSet> flow_services_; // per flow
};

/// One break of the intent, for one set of services between a pair of endpoints (other pairs of
/// endpoints that behave alike are counted in `similar_pairs`).
struct Violation {
    enum class Kind : std::uint8_t { Missing, Excess, Undecidable };
    Kind kind = Kind::Excess;
    std::uint32_t from = 0; // endpoints
    std::uint32_t to = 0;
    ServiceSet services;
    std::size_t similar_pairs = 0; // further endpoint pairs with the same violation
    /// For missing flows: the intent flows that ask for them.
    std::vector<std::string> intent_flows;
    /// Example flows of the set, traced (the first from ServiceSet::example(), then one per further
    /// port range, at most five): their hops name the rules that let them through (excess) or stop
    /// them (missing).
    std::vector<route::PathResult> examples;
};

struct VerifyResult {
    std::vector<Violation> violations; // missing first, then excess, then undecidable
    std::size_t endpoint_pairs = 0;
    std::size_t missing = 0, excess = 0, undecidable = 0;
    /// True when nothing is missing or excess (undecidable flows are reported, and fail only when
    /// the caller is strict).
    bool holds() const { return missing == 0 && excess == 0; }
};

/// Checks the intent against every pair of endpoints, grouping pairs that behave alike. `reach`
/// must have made its class table (the pairs are read from it).
VerifyResult verify_intent(const Reachability& reach, const IntentCheck& check);

} // namespace ztnet::reach
