// Every distinct address condition of the estate: the sources and destinations of every compiled
// NSG rule, every effective route prefix, every firewall rule address. Addresses that no condition
// tells apart are treated alike by the whole estate.
#pragma once

#include <set>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/address_set.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::reach {

class AddressConditions {
  public:
    void add(net::AddressSet set);
    /// The distinct sets, in a fixed order.
    std::vector<const net::AddressSet*> sets() const;
    std::size_t size() const { return sets_.size(); }

  private:
    std::set<net::AddressSet> sets_;
};

/// Every distinct address set one Azure Firewall's rules name (addresses, prefixes, ranges, tags,
/// IP groups); entries that are none of these match independently of addresses.
std::vector<net::AddressSet> firewall_address_sets(const model::Estate& estate, model::FirewallIndex firewall,
                                                   const policy::ServiceTags& tags);

/// Collects the conditions of every NSG the engine compiled.
AddressConditions collect_address_conditions(const policy::PolicyEngine& engine, Diagnostics& diagnostics);

} // namespace ztnet::reach
