// How one Azure Firewall decides one flow.
//
// What Microsoft Learn documents (firewall/rule-processing, firewall/policy-rule-sets,
// firewall/firewall-faq; checked for this module) and how it maps here:
// - Threat intelligence, when enabled, is processed before every rule and may deny first. Offline
//   there is no feed, so it is recorded in the reason and never decides. A child policy inherits
//   its parent's mode and may only make it stricter: the effective mode is the strictest of the
//   chain. IDPS (Premium) is recorded the same way.
// - Rules are processed by type: all DNAT rules, then all network rules, then all application
//   rules, regardless of group and collection priorities. Within a type: rule collection groups by
//   priority, collections by priority within their group (100 is first), rules top to bottom.
//   Rules are terminating: the first match decides with its collection's action.
// - Inheritance: "if a firewall policy is inherited from a parent policy, rule collection groups in
//   the parent policy always take precedence regardless of the priority of a child policy". The
//   documented example processes, per rule type, the parent's groups by priority and then the
//   child's (DNATRC1, DNATRC3, ChDNATRC3, NetworkRC1, NetworkRC2, ChNetRC1, ...). Parents of parents
//   come first likewise; a base-policy cycle (which Azure rejects) is cut.
// - DNAT rules apply to traffic arriving on the firewall's public IP. The current rule-processing
//   page says a DNAT match is translated and allowed without further network-rule processing (an
//   older FAQ answer spoke of an implicit network rule that explicit deny rules could override;
//   we follow the current page). The Azure Firewall team's "NAT behaviors" article adds that the
//   source is translated too, to an address of AzureFirewallSubnet for private destinations.
// - Application rules apply to HTTP, HTTPS and MSSQL only, and not to inbound connections, so they
//   are skipped for traffic arriving on the public IP.
// - With no match, the built-in infrastructure rule collection (a few Azure platform FQDNs) is
//   consulted, then traffic is denied. The infrastructure collection is not modelled.
// - Classic firewalls (no policy) hold NAT, network and application rule collections directly,
//   each processed by type and by collection priority. A firewall with a policy ignores classic
//   collections (Azure does not allow both).
//
// A rule that might match (Unknown) does not stop processing: the walk goes on to the first rule
// that matches for certain (or the default deny). If every such uncertain rule's action agrees
// with that outcome the verdict stands; otherwise the verdict is Undecidable, naming the first
// uncertain rule and what the question lacks. DNAT is the exception: an uncertain DNAT rule
// changes the flow itself, so it is Undecidable at once.
#include "ztnet/route/firewall.h"

#include <algorithm>
#include <array>
#include <cassert>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/route/firewall_match.h"

namespace ztnet::route {

namespace {

using detail::Match;
using detail::MatchContext;
using detail::MatchResult;
using model::Index;
using model::kNone;

enum class Stage : std::uint8_t { Dnat, Network, Application, Unrecognised };

std::string_view stage_name(Stage stage) {
    switch (stage) {
    case Stage::Dnat:
        return "dnat";
    case Stage::Network:
    case Stage::Unrecognised:
        return "network";
    case Stage::Application:
        return "application";
    }
    return "network";
}

/// One rule collection in processing order, with the policy and group it belongs to.
struct OrderedCollection {
    const model::FirewallRuleCollection* collection = nullptr;
    const model::FirewallPolicy* policy = nullptr;             // null for classic collections
    const model::FirewallRuleCollectionGroup* group = nullptr; // null for classic collections
};

// The policy and its ancestors, the root parent first; a cycle is cut where it closes.
std::vector<model::FirewallPolicyIndex> policy_chain(const model::Estate& estate,
                                                     model::FirewallPolicyIndex policy) {
    std::vector<model::FirewallPolicyIndex> chain;
    for (model::FirewallPolicyIndex p = policy; p != kNone; p = estate.firewall_policies[p].base_policy) {
        if (std::find(chain.begin(), chain.end(), p) != chain.end())
            break;
        chain.push_back(p);
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

template <class T>
std::vector<const T*> by_priority(const std::vector<T>& items) {
    std::vector<const T*> out;
    out.reserve(items.size());
    for (const T& item : items)
        out.push_back(&item);
    std::stable_sort(out.begin(), out.end(),
                     [](const T* a, const T* b) { return a->priority < b->priority; });
    return out;
}

std::vector<OrderedCollection> ordered_collections(const model::Estate& estate,
                                                   const model::AzureFirewall& fw) {
    std::vector<OrderedCollection> out;
    if (fw.firewall_policy != kNone) {
        for (model::FirewallPolicyIndex p : policy_chain(estate, fw.firewall_policy)) {
            const model::FirewallPolicy& policy = estate.firewall_policies[p];
            for (const model::FirewallRuleCollectionGroup* group :
                 by_priority(policy.rule_collection_groups)) {
                for (const model::FirewallRuleCollection* collection : by_priority(group->collections))
                    out.push_back({collection, &policy, group});
            }
        }
        return out;
    }
    for (const model::FirewallRuleCollection* collection : by_priority(fw.classic_collections))
        out.push_back({collection, nullptr, nullptr});
    return out;
}

// A rule's type (the builder gives classic rules their collection's); Unrecognised when the input
// cannot tell it.
Stage stage_of(const model::FirewallRule& rule) {
    if (!rule.rule_type)
        return Stage::Unrecognised;
    switch (*rule.rule_type) {
    case model::FirewallRuleType::NatRule:
        return Stage::Dnat;
    case model::FirewallRuleType::NetworkRule:
        return Stage::Network;
    case model::FirewallRuleType::ApplicationRule:
        return Stage::Application;
    }
    return Stage::Unrecognised;
}

// A rule of an unrecognised type is walked with the network rules, where it can only be Unknown.
bool walked_in(Stage rule_stage, Stage pass) {
    return rule_stage == pass || (rule_stage == Stage::Unrecognised && pass == Stage::Network);
}

MatchResult match_known_rule(const MatchContext& ctx, Stage stage, const model::FirewallRule& rule) {
    switch (stage) {
    case Stage::Dnat:
        return detail::match_nat_rule(ctx, rule);
    case Stage::Network:
        return detail::match_network_rule(ctx, rule);
    case Stage::Application:
        return detail::match_application_rule(ctx, rule);
    case Stage::Unrecognised:
        break;
    }
    return {Match::Unknown, "the input cannot tell the rule's type"};
}

// A rule with fields the input cannot tell, as wide as it may be: each such field matching every
// flow. Nullopt when a field cannot be widened so (FQDNs, web categories, an application rule's
// protocols, the rule type, the whole rule): then the rule may match any flow.
std::optional<model::FirewallRule> widened(const model::FirewallRule& rule, Stage stage) {
    model::FirewallRule out = rule;
    for (const std::string& field : rule.unknown_fields) {
        if (field == "sourceAddresses" || field == "sourceIpGroups") {
            out.source_addresses = {"*"};
            out.source_ip_groups.clear();
        } else if (field == "destinationAddresses" || field == "destinationIpGroups") {
            out.destination_addresses = {"*"};
            out.destination_ip_groups.clear();
        } else if (field == "destinationPorts") {
            out.destination_ports = {"*"};
        } else if ((field == "protocols" || field == "ipProtocols") && stage != Stage::Application) {
            out.protocols = {"Any"};
        } else if (field != "translatedAddress" && field != "translatedPort") { // matching ignores those
            return std::nullopt;
        }
    }
    return out;
}

// Whether the rule matches: Unknown, naming what the input lacks, when it may match only because
// of a field the input cannot tell.
MatchResult match_rule(const MatchContext& ctx, Stage stage, const model::FirewallRule& rule) {
    if (rule.unknown_fields.empty())
        return match_known_rule(ctx, stage, rule);
    if (std::optional<model::FirewallRule> wide = widened(rule, stage)) {
        MatchResult m = match_known_rule(ctx, stage, *wide);
        if (m.match == Match::No)
            return m;
    }
    return {Match::Unknown, "the input cannot tell the rule's " + rule.unknown_reason};
}

// A collection's action as a verdict: Allow, Deny, and DNAT (which allows the translated flow).
std::optional<FirewallVerdict> action_verdict(std::optional<model::FirewallAction> action) {
    if (!action)
        return std::nullopt;
    return *action == model::FirewallAction::Deny ? FirewallVerdict::Deny : FirewallVerdict::Allow;
}

FirewallDecision describe(const OrderedCollection& oc, const model::FirewallRule& rule, Stage stage,
                          FirewallVerdict verdict) {
    FirewallDecision d;
    d.verdict = verdict;
    d.stage = std::string(stage_name(stage));
    d.policy = oc.policy != nullptr ? oc.policy->id : std::string();
    d.collection_group = oc.group != nullptr ? oc.group->name : std::string();
    d.collection = oc.collection->name;
    d.collection_priority = oc.collection->priority;
    d.rule = rule.name;
    return d;
}

std::string place(const FirewallDecision& d) {
    std::string text = fmt::format("rule '{}' of collection '{}' (priority {})", d.rule, d.collection,
                                   d.collection_priority);
    if (!d.collection_group.empty())
        text += fmt::format(" in group '{}'", d.collection_group);
    return text;
}

// Rules that might match before the deciding one: which verdicts they could give, and the first.
struct Pending {
    bool may_allow = false;
    bool may_deny = false;
    std::optional<FirewallDecision> first;
};

class RuleWalk {
  public:
    RuleWalk(const MatchContext& ctx, const std::vector<OrderedCollection>& order)
        : ctx_(ctx), order_(order) {}

    /// Walks the rules of one type in processing order; returns the first certain match.
    std::optional<FirewallDecision> run(Stage pass) {
        for (const OrderedCollection& oc : order_) {
            for (const model::FirewallRule& rule : oc.collection->rules) {
                Stage stage = stage_of(rule);
                if (!walked_in(stage, pass))
                    continue;
                if (auto decided = visit(oc, rule, stage))
                    return decided;
            }
        }
        return std::nullopt;
    }

    /// The walk's outcome once `decided` (a certain match or the default) is known.
    FirewallDecision settle(FirewallDecision decided) const {
        if (!pending_.first)
            return decided;
        bool conflict = decided.verdict == FirewallVerdict::Undecidable ||
                        (decided.verdict == FirewallVerdict::Allow && pending_.may_deny) ||
                        (decided.verdict == FirewallVerdict::Deny && pending_.may_allow);
        if (conflict)
            return *pending_.first;
        decided.reason +=
            fmt::format("; {} comes first and cannot be settled ({}), but it would decide the same way",
                        place(*pending_.first), pending_.first->reason);
        return decided;
    }

  private:
    std::optional<FirewallDecision> visit(const OrderedCollection& oc, const model::FirewallRule& rule,
                                          Stage stage) {
        MatchResult match = match_rule(ctx_, stage, rule);
        if (match.match == Match::No)
            return std::nullopt;
        std::optional<FirewallVerdict> action = action_verdict(oc.collection->action);
        if (match.match == Match::Yes && action)
            return certain(oc, rule, stage, *action);
        std::string why = match.match == Match::Unknown
                              ? match.why
                              : std::string("the input cannot tell the collection's action");
        FirewallDecision undecided = describe(oc, rule, stage, FirewallVerdict::Undecidable);
        undecided.reason = std::move(why);
        if (stage == Stage::Dnat) // a DNAT rule that may apply changes the flow itself
            return undecided;
        note_pending(std::move(undecided), action);
        return std::nullopt;
    }

    FirewallDecision certain(const OrderedCollection& oc, const model::FirewallRule& rule, Stage stage,
                             FirewallVerdict verdict) const {
        FirewallDecision d = describe(oc, rule, stage, verdict);
        d.reason = fmt::format("{} matches", place(d));
        if (stage != Stage::Dnat)
            return d;
        std::string why;
        d.translated = detail::translate(rule, ctx_.query.flow, why);
        if (!d.translated) {
            d.verdict = FirewallVerdict::Undecidable;
            d.reason = why;
            return d;
        }
        d.source_translated = true;
        d.reason += fmt::format("; translated to {}", d.translated->to_string());
        return d;
    }

    void note_pending(FirewallDecision undecided, std::optional<FirewallVerdict> action) {
        pending_.may_allow = pending_.may_allow || !action || *action == FirewallVerdict::Allow;
        pending_.may_deny = pending_.may_deny || !action || *action == FirewallVerdict::Deny;
        if (!pending_.first)
            pending_.first = std::move(undecided);
    }

    const MatchContext& ctx_;
    const std::vector<OrderedCollection>& order_;
    Pending pending_;
};

// Threat intelligence and IDPS as the reason records them: applied, but not decidable offline. A
// policy's mode is the strictest along its chain of base policies (the enum runs Off, Alert, Deny).
std::string inspection_note(const model::Estate& estate, const model::AzureFirewall& fw) {
    using Mode = model::FirewallAlertMode;
    Mode mode = fw.threat_intel_mode.value;
    std::optional<Mode> idps;
    if (fw.firewall_policy != kNone) {
        mode = Mode::Off;
        for (model::FirewallPolicyIndex p : policy_chain(estate, fw.firewall_policy)) {
            const model::FirewallPolicy& policy = estate.firewall_policies[p];
            mode = std::max(mode, policy.threat_intel_mode.value);
            idps = policy.intrusion_detection_mode.value;
        }
    }
    std::string note;
    if (mode == Mode::Off)
        note = "threat intelligence is Off";
    else
        note = fmt::format(
            "threat intelligence ({}) runs before the rules and is not evaluated offline (no feed)",
            model::name_of(mode));
    if (idps && *idps != Mode::Off)
        note += fmt::format("; IDPS ({}) is not evaluated offline (no signatures)", model::name_of(*idps));
    return note;
}

FirewallDecision default_deny(const FirewallQuery& query) {
    FirewallDecision d;
    d.verdict = FirewallVerdict::Deny;
    d.stage = "default-deny";
    d.reason = query.to_public_ip ? "no DNAT or network rule matches traffic arriving on the public IP"
                                  : "no rule matches; Azure Firewall denies by default";
    if (query.fqdn && !query.to_public_ip)
        d.reason += " (its built-in infrastructure collection of Azure platform FQDNs is not modelled)";
    return d;
}

} // namespace

FirewallDecision decide_firewall(const model::Estate& estate, model::FirewallIndex firewall,
                                 const FirewallQuery& query, const policy::ServiceTags& tags) {
    assert(estate.azure_firewalls.contains(firewall));
    if (!estate.azure_firewalls.contains(firewall)) {
        FirewallDecision unknown_firewall;
        unknown_firewall.verdict = FirewallVerdict::Undecidable;
        unknown_firewall.reason = "no such firewall in the estate";
        return unknown_firewall;
    }
    const model::AzureFirewall& fw = estate.azure_firewalls[firewall];
    std::vector<OrderedCollection> order = ordered_collections(estate, fw);
    MatchContext ctx{estate, tags, query};
    RuleWalk walk(ctx, order);

    std::optional<FirewallDecision> decided;
    if (query.to_public_ip)
        decided = walk.run(Stage::Dnat);
    if (!decided)
        decided = walk.run(Stage::Network);
    if (!decided && !query.to_public_ip)
        decided = walk.run(Stage::Application);
    FirewallDecision result = walk.settle(decided ? std::move(*decided) : default_deny(query));
    result.reason += "; " + inspection_note(estate, fw);
    return result;
}

std::vector<const model::FirewallRule*> firewall_rules(const model::Estate& estate,
                                                       model::FirewallIndex firewall) {
    std::vector<const model::FirewallRule*> out;
    for (const OrderedCollection& oc : ordered_collections(estate, estate.azure_firewalls[firewall])) {
        for (const model::FirewallRule& rule : oc.collection->rules)
            out.push_back(&rule);
    }
    return out;
}

std::optional<net::AddressSet> firewall_entry_addresses(std::string_view text,
                                                        const policy::ServiceTags& tags) {
    if (text == "*")
        return net::AddressSet::any();
    if (auto range = net::AddressRange::parse(text))
        return net::AddressSet::from(*range);
    if (auto prefix = net::Prefix::parse(text))
        return net::AddressSet::from(*prefix);
    std::string_view tag = policy::canonical_tag_name(text);
    if (model::same_id(tag, "Internet"))
        return policy::internet_addresses();
    if (const net::AddressSet* set = tags.find(tag))
        return *set;
    return std::nullopt;
}

std::optional<model::FirewallIndex> firewall_at(const model::Estate& estate, net::Address address) {
    const auto& firewalls = estate.azure_firewalls;
    for (model::FirewallIndex i : firewalls.indices()) {
        if (firewalls[i].private_ip && *firewalls[i].private_ip == address)
            return i;
    }
    for (model::FirewallIndex i : firewalls.indices()) {
        if (firewalls[i].subnet == kNone)
            continue;
        for (const net::Prefix& prefix : estate.subnets[firewalls[i].subnet].address_prefixes) {
            if (prefix.contains(address))
                return i;
        }
    }
    return std::nullopt;
}

} // namespace ztnet::route
