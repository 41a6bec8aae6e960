#include "ztnet/policy/admin_rules.h"

#include <algorithm>

#include <fmt/format.h>

namespace ztnet::policy {

using model::AdminAction;
using model::Index;

namespace {

std::size_t slot(net::Direction direction) {
    return direction == net::Direction::Inbound ? 0 : 1;
}

// A rule whose network group may not hold the VNet: it may match what it says, and surely matches
// nothing.
void may_not_apply(ResolvedRule& rule, const std::string& why) {
    ResolvedRule nothing = rule.uncertain() ? *rule.narrowest : rule;
    nothing.narrowest = nullptr;
    nothing.protocols = net::ProtocolSet();
    rule.narrowest = std::make_shared<const ResolvedRule>(std::move(nothing));
    rule.unknown += (rule.unknown.empty() ? "" : "; ") + why;
}

// The list `access_of` makes of the rules, ending with a catch-all of `otherwise`.
std::vector<ResolvedRule> as_list(const std::vector<AdminRules::Entry>& entries,
                                  model::Access (*access_of)(AdminAction), model::Access otherwise) {
    std::vector<ResolvedRule> out;
    out.reserve(entries.size() + 1);
    for (const AdminRules::Entry& entry : entries) {
        ResolvedRule rule = entry.resolved;
        rule.access = access_of(entry.written->action);
        rule.access_unknown = entry.written->action_unknown;
        out.push_back(std::move(rule));
    }
    out.push_back(catch_all_rule("(no admin rule matches)", 1 << 20, otherwise));
    return out;
}

model::Access passes_access(AdminAction action) {
    return action == AdminAction::Deny ? model::Access::Deny : model::Access::Allow;
}

model::Access always_access(AdminAction action) {
    return action == AdminAction::AlwaysAllow ? model::Access::Allow : model::Access::Deny;
}

std::uint8_t outcome_of(AdminAction action) {
    switch (action) {
    case AdminAction::Allow:
        return AdminDecision::kToNsgs;
    case AdminAction::AlwaysAllow:
        return AdminDecision::kAlwaysAllowed;
    case AdminAction::Deny:
        return AdminDecision::kDenied;
    }
    return AdminDecision::kDenied;
}

} // namespace

AdminRules AdminRules::compile(const model::Estate& estate, model::VnetIndex vnet, const ServiceTags& tags,
                               Diagnostics& diagnostics) {
    AdminRules out;
    const model::VirtualNetwork& network = estate.virtual_networks[vnet];
    std::vector<const model::SecurityRule*> written;
    for (const model::SecurityAdminRule& rule : network.admin_rules)
        written.push_back(&rule.rule);
    std::vector<ResolvedRule> resolved = resolve_rules(estate, written, vnet, tags, diagnostics,
                                                       "the security admin rules of VNet " + network.name);
    for (std::size_t i = 0; i < resolved.size(); ++i) {
        const model::SecurityAdminRule& rule = network.admin_rules[i];
        if (!rule.applies_unknown.empty())
            may_not_apply(resolved[i], rule.applies_unknown);
        const bool either_direction = rule.rule.is_unknown(model::RuleField::InboundOrOutbound);
        for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound})
            if (either_direction || rule.rule.direction == direction)
                out.entries_[slot(direction)].push_back({&rule, resolved[i]});
    }
    for (std::vector<Entry>& entries : out.entries_)
        std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            return a.resolved.priority < b.resolved.priority;
        });
    out.passes_ = CompiledNsg::from_rules(as_list(out.entries_[0], passes_access, model::Access::Allow),
                                          as_list(out.entries_[1], passes_access, model::Access::Allow));
    out.always_ = CompiledNsg::from_rules(as_list(out.entries_[0], always_access, model::Access::Deny),
                                          as_list(out.entries_[1], always_access, model::Access::Deny));
    return out;
}

AdminDecision AdminRules::decide(net::Direction direction, const net::Flow& flow) const {
    AdminDecision out;
    out.outcomes = 0;
    for (const Entry& entry : rules(direction)) {
        if (!entry.resolved.matches(flow))
            continue;
        const std::uint8_t outcome =
            entry.written->action_unknown
                ? static_cast<std::uint8_t>(AdminDecision::kToNsgs | AdminDecision::kAlwaysAllowed |
                                            AdminDecision::kDenied)
                : outcome_of(entry.written->action);
        const bool surely = !entry.resolved.uncertain() || entry.resolved.narrowest->matches(flow);
        if (entry.resolved.uncertain() && out.why.empty() && (outcome | out.outcomes) != out.outcomes)
            out.why = fmt::format("security admin rule {} of {}: {}", entry.written->rule.name,
                                  entry.written->collection, entry.resolved.unknown);
        out.outcomes |= outcome;
        if (surely) {
            out.rule = entry.written;
            if (out.outcomes == outcome)
                out.why.clear();
            return out;
        }
    }
    out.outcomes |= AdminDecision::kToNsgs;
    return out;
}

} // namespace ztnet::policy
