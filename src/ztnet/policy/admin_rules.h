// Virtual Network Manager's security admin rules for one VNet. Azure evaluates them before the
// NSGs, the lowest priority number first: the first rule a flow matches decides what happens to it
// (Deny ends evaluation, AlwaysAllow allows it without consulting the NSGs, Allow hands it over to
// them), and a flow no admin rule matches goes to the NSGs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ztnet/model/estate.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::policy {

/// What the admin rules may do with a flow: one bit per outcome, several when the input cannot
/// tell which (a rule whose network group's members are unknown, a Default rule).
struct AdminDecision {
    static constexpr std::uint8_t kToNsgs = 1;        // no rule, or an Allow rule: the NSGs decide
    static constexpr std::uint8_t kAlwaysAllowed = 2; // an AlwaysAllow rule: allowed, NSGs not consulted
    static constexpr std::uint8_t kDenied = 4;        // a Deny rule
    std::uint8_t outcomes = kToNsgs;
    /// The rule that decides (the first that surely matches), or null when none matches surely.
    const model::SecurityAdminRule* rule = nullptr;
    /// For several outcomes, why the input cannot tell which (the first uncertain rule's reason).
    std::string why;

    bool only(std::uint8_t outcome) const { return outcomes == outcome; }
    bool may(std::uint8_t outcome) const { return (outcomes & outcome) != 0; }
};

/// One VNet's admin rules, resolved and sorted, with two compiled views for the fast path.
class AdminRules {
  public:
    static AdminRules compile(const model::Estate& estate, model::VnetIndex vnet, const ServiceTags& tags,
                              Diagnostics& diagnostics);

    bool empty() const { return entries_[0].empty() && entries_[1].empty(); }

    /// The reference: the rules of the direction in priority order, collecting what each rule that
    /// may match would do, up to the first that surely matches.
    AdminDecision decide(net::Direction direction, const net::Flow& flow) const;

    /// The rules as two NSG-like lists that the NSG machinery (classifier, readings, reachability
    /// terms) evaluates: `passes` allows a flow unless the first rule it matches is a Deny rule;
    /// `always` allows a flow only when the first rule it matches is an AlwaysAllow rule. A flow
    /// is then allowed when `always` allows it, or `passes` and the NSGs do.
    const CompiledNsg& passes() const { return passes_; }
    const CompiledNsg& always() const { return always_; }

    struct Entry {
        const model::SecurityAdminRule* written = nullptr;
        ResolvedRule resolved; // access as written (Deny, or Allow for Allow and AlwaysAllow)
    };
    /// The rules of a direction, by priority.
    const std::vector<Entry>& rules(net::Direction direction) const {
        return entries_[direction == net::Direction::Inbound ? 0 : 1];
    }

  private:
    std::vector<Entry> entries_[2];
    CompiledNsg passes_;
    CompiledNsg always_;
};

} // namespace ztnet::policy
