#include "ztnet/reach/rule_analysis.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "ztnet/policy/platform_rules.h"
#include "ztnet/reach/atom_box.h"
#include "ztnet/support/parallel.h"

namespace ztnet::reach {

namespace {

using policy::ResolvedRule;

constexpr std::uint8_t kTcp = net::protocol_number(net::Protocol::Tcp);
constexpr std::uint8_t kUdp = net::protocol_number(net::Protocol::Udp);
constexpr std::uint16_t kEphemeralFirst = 49152; // IANA's dynamic range, what most clients use

std::string_view access_name(model::Access access) {
    return access == model::Access::Allow ? "Allow" : "Deny";
}

std::string_view access_verb(model::Access access) {
    return access == model::Access::Allow ? "allowed" : "denied";
}

std::string label(const ResolvedRule& rule) {
    return fmt::format("{} ({}, {})", rule.name, rule.priority, access_name(rule.access));
}

std::string labels(const std::vector<ResolvedRule>& rules, const std::vector<std::uint32_t>& indices) {
    std::string out;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        if (k != 0)
            out += k + 1 == indices.size() ? " and " : ", ";
        out += label(rules[indices[k]]);
    }
    return out;
}

bool restricts_source_port(const ResolvedRule& rule) {
    const bool ported = rule.protocols.contains(kTcp) || rule.protocols.contains(kUdp);
    return ported && !rule.source_ports.full();
}

// A flow the rule would match but for its source port, from the ephemeral range when the rule leaves
// any of it out: the traffic the rule was most likely written for.
std::optional<net::Flow> missed_client_flow(const ResolvedRule& rule) {
    FlowBox box = FlowBox::of_rule(rule);
    net::ProtocolSet ported;
    ported.insert(kTcp);
    ported.insert(kUdp);
    box.protocols = box.protocols.intersect(ported);
    const net::PortSet excluded = rule.source_ports.complement();
    const net::PortSet ephemeral = excluded.intersect(net::PortSet::range(kEphemeralFirst, 65535));
    box.source_ports = ephemeral.empty() ? excluded : ephemeral;
    return FlowBoxSet::from_box(box).example();
}

// The analysis of one direction: every custom rule against the rules around it.
class DirectionAnalysis {
  public:
    DirectionAnalysis(const std::vector<ResolvedRule>& rules, net::Direction direction,
                      const RuleAnalysisOptions& options, NsgRuleAnalysis& out)
        : rules_(rules), direction_(direction), out_(out), state_(rules.size(), State::Default),
          space_(rules), decided_(rules.size(), AtomBoxSet(options.max_boxes)) {
        boxes_.reserve(rules.size());
        for (std::size_t i = 0; i < rules.size(); ++i)
            boxes_.push_back(space_.rule_flows(i, options.max_boxes));
    }

    void run() {
        bool uncertain = false;
        for (std::uint32_t i = 0; i < rules_.size(); ++i) {
            if (rules_[i].uncertain()) {
                out_.undecidable.push_back({direction_, i});
                uncertain = true;
            } else if (!rules_[i].is_default && restricts_source_port(rules_[i])) {
                report_source_port(i);
            }
        }
        if (uncertain)
            return;
        // First what each custom rule decides, so that conflicts can leave out shadowed lower rules.
        for (std::uint32_t i = 0; i < rules_.size(); ++i) {
            if (!rules_[i].is_default)
                find_decided(i);
        }
        for (std::uint32_t i = 0; i < rules_.size(); ++i) {
            if (state_[i] == State::Live)
                walk_later_rules(i, decided_[i]);
        }
    }

  private:
    void add(RuleFinding::Kind kind, std::uint32_t rule, std::vector<std::uint32_t> related,
             std::optional<net::Flow> example, std::string explanation) {
        out_.findings.push_back(
            {kind, direction_, rule, std::move(related), example, std::move(explanation)});
    }

    void report_source_port(std::uint32_t i) {
        const ResolvedRule& rule = rules_[i];
        add(RuleFinding::Kind::SourcePortRestricted, i, {}, missed_client_flow(rule),
            fmt::format("{} matches only source port{} {}: clients send from ephemeral ports, so the "
                        "traffic it was written for most likely does not match (use * for the source port)",
                        label(rule), rule.source_ports.size() == 1 ? "" : "s",
                        net::port_set_to_string(rule.source_ports)));
    }

    // What custom rule i decides: its flows minus those of every earlier rule. The earlier rules that
    // take a part are the ones that shadow it.
    void find_decided(std::uint32_t i) {
        AtomBoxSet decided = boxes_[i];
        std::vector<std::uint32_t> earlier;
        for (std::uint32_t j = 0; j < i && !decided.empty(); ++j) {
            if (!decided.overlaps(boxes_[j]))
                continue;
            earlier.push_back(j);
            decided.subtract(boxes_[j]);
        }
        if (decided.overflowed()) {
            state_[i] = State::GaveUp;
            out_.gave_up.push_back({direction_, i});
        } else if (decided.empty()) {
            state_[i] = State::Shadowed;
            report_shadowed(i, std::move(earlier));
        } else {
            state_[i] = State::Live;
            decided_[i] = std::move(decided);
        }
    }

    void report_shadowed(std::uint32_t i, std::vector<std::uint32_t> earlier) {
        const ResolvedRule& rule = rules_[i];
        std::string explanation =
            earlier.empty()
                ? fmt::format("{} matches no flow at all: one of its fields is empty (an ASG without "
                              "members, or a tag or ASG that could not be resolved)",
                              label(rule))
                : fmt::format("{} is never reached: every flow it matches is decided first by {}",
                              label(rule), labels(rules_, earlier));
        add(RuleFinding::Kind::Shadowed, i, std::move(earlier), boxes_[i].example(), std::move(explanation));
    }

    // Follows the flows rule i decides down the later rules, as they would fall without rule i: each
    // later rule takes the part it matches. A custom rule of the opposite access that takes a part is a
    // conflict; the rule is redundant when every part lands on a rule of the same access.
    void walk_later_rules(std::uint32_t i, const AtomBoxSet& decided) {
        const ResolvedRule& rule = rules_[i];
        AtomBoxSet remaining = decided;
        std::vector<std::uint32_t> same_access;
        bool redundant = true;
        for (std::uint32_t j = i + 1; j < rules_.size() && !remaining.empty(); ++j) {
            // Past the custom rules only redundancy is still open; once refuted, nothing is left to find.
            if (rules_[j].is_default && !redundant)
                break;
            if (!remaining.overlaps(boxes_[j]))
                continue;
            if (rules_[j].access == rule.access) {
                same_access.push_back(j);
            } else {
                redundant = false;
                // A shadowed lower rule is reported as such, with this rule among those that shadow it.
                // A custom catch-all (DenyAll at 4096) plays the default's part: the rules above it
                // are its intended exceptions, not conflicts.
                if (!rules_[j].is_default && state_[j] != State::Shadowed &&
                    !policy::matches_every_flow(rules_[j]))
                    report_conflict(i, j, remaining);
            }
            remaining.subtract(boxes_[j]);
        }
        if (remaining.overflowed()) {
            out_.gave_up.push_back({direction_, i});
            return;
        }
        // Flows no later rule matches are denied (only possible without the default rules).
        if (!remaining.empty() && rule.access == model::Access::Allow)
            redundant = false;
        if (redundant)
            add(RuleFinding::Kind::Redundant, i, same_access, decided.example(),
                fmt::format(
                    "{} is redundant: every flow it decides would be {} the same way by {} without it",
                    label(rule), access_verb(rule.access), labels(rules_, same_access)));
    }

    void report_conflict(std::uint32_t i, std::uint32_t j, const AtomBoxSet& remaining) {
        AtomBoxSet overlap = remaining;
        overlap.intersect(boxes_[j]);
        add(RuleFinding::Kind::Conflicting, i, {j}, overlap.example(),
            fmt::format("{} overrides {} for some flows: without {} they would be {}", label(rules_[i]),
                        label(rules_[j]), rules_[i].name, access_verb(rules_[j].access)));
    }

    // What the analysis knows of each rule once find_decided has run.
    enum class State : std::uint8_t { Default, GaveUp, Shadowed, Live };

    const std::vector<ResolvedRule>& rules_;
    net::Direction direction_;
    NsgRuleAnalysis& out_;
    std::vector<State> state_;
    AtomSpace space_;                 // the rules' atoms, which every set below is made of
    std::vector<AtomBoxSet> decided_; // of Live rules
    std::vector<AtomBoxSet> boxes_;   // every rule's flows
};

auto finding_key(const RuleFinding& f) {
    return std::tie(f.direction, f.rule, f.kind, f.related);
}

void sort_findings(NsgRuleAnalysis& analysis) {
    std::stable_sort(
        analysis.findings.begin(), analysis.findings.end(),
        [](const RuleFinding& a, const RuleFinding& b) { return finding_key(a) < finding_key(b); });
    for (std::vector<RuleRef>* refs : {&analysis.gave_up, &analysis.undecidable}) {
        std::sort(refs->begin(), refs->end());
        refs->erase(std::unique(refs->begin(), refs->end()), refs->end());
    }
}

// The VNets an NSG applies in, through its subnets and its NICs' ip configurations; {kNone} when none
// is known, so that an unassociated NSG is still analysed once.
std::vector<model::VnetIndex> vnets_of(const model::Estate& estate, model::NsgIndex nsg) {
    std::set<model::VnetIndex> vnets;
    const model::NetworkSecurityGroup& group = estate.network_security_groups[nsg];
    auto add_subnet = [&](model::SubnetIndex subnet) {
        if (estate.subnets.contains(subnet) && estate.subnets[subnet].virtual_network != model::kNone)
            vnets.insert(estate.subnets[subnet].virtual_network);
    };
    for (model::SubnetIndex subnet : group.subnets)
        add_subnet(subnet);
    for (model::NicIndex nic : group.network_interfaces) {
        if (!estate.network_interfaces.contains(nic))
            continue;
        for (const model::IpConfiguration& config : estate.network_interfaces[nic].ip_configurations)
            add_subnet(config.subnet);
    }
    if (vnets.empty())
        return {model::VnetIndex(model::kNone)};
    return {vnets.begin(), vnets.end()};
}

// Merges the analyses of one NSG in several VNets (see analyse_all_rules for the rules of merging).
NsgRuleAnalysis merge(model::NsgIndex nsg, const std::vector<NsgRuleAnalysis>& per_vnet) {
    using Kind = RuleFinding::Kind;
    NsgRuleAnalysis out;
    out.nsg = nsg;
    // Per rule: in how many VNets it is shadowed, or redundant, and the first such finding.
    struct Verdicts {
        std::size_t shadowed = 0;
        std::size_t redundant = 0;
        const RuleFinding* first_shadowed = nullptr;
        const RuleFinding* first_redundant = nullptr;
    };
    std::map<RuleRef, Verdicts> verdicts;
    std::set<std::tuple<net::Direction, std::uint32_t, Kind, std::vector<std::uint32_t>>> kept;
    for (const NsgRuleAnalysis& analysis : per_vnet) {
        out.gave_up.insert(out.gave_up.end(), analysis.gave_up.begin(), analysis.gave_up.end());
        out.undecidable.insert(out.undecidable.end(), analysis.undecidable.begin(),
                               analysis.undecidable.end());
        for (const RuleFinding& f : analysis.findings) {
            Verdicts& v = verdicts[RuleRef{f.direction, f.rule}];
            if (f.kind == Kind::Shadowed) {
                ++v.shadowed;
                v.first_shadowed = v.first_shadowed ? v.first_shadowed : &f;
            } else if (f.kind == Kind::Redundant) {
                ++v.redundant;
                v.first_redundant = v.first_redundant ? v.first_redundant : &f;
            } else if (kept.insert({f.direction, f.rule, f.kind, f.related}).second) {
                out.findings.push_back(f); // conflicts and source ports hold wherever they are found
            }
        }
    }
    std::sort(out.gave_up.begin(), out.gave_up.end());
    for (const auto& [rule, v] : verdicts) {
        if (std::binary_search(out.gave_up.begin(), out.gave_up.end(), rule))
            continue; // unknown in some VNet: claim nothing
        if (v.shadowed == per_vnet.size())
            out.findings.push_back(*v.first_shadowed);
        else if (v.shadowed + v.redundant == per_vnet.size())
            out.findings.push_back(*v.first_redundant);
    }
    sort_findings(out);
    return out;
}

} // namespace

NsgRuleAnalysis analyse_rules(const policy::CompiledNsg& nsg, const RuleAnalysisOptions& options) {
    NsgRuleAnalysis out;
    out.nsg = nsg.nsg();
    for (net::Direction direction : {net::Direction::Inbound, net::Direction::Outbound})
        DirectionAnalysis(nsg.rules(direction), direction, options, out).run();
    sort_findings(out);
    return out;
}

namespace {

// A rule the platform requires is dead code only until the rule that decides its flows today
// changes: its shadowed and redundant findings (deletion advice) become a note that it is kept.
void keep_platform_rules(const model::Estate& estate, const policy::CompiledNsg& compiled,
                         NsgRuleAnalysis& a) {
    const std::vector<policy::PlatformRole> roles = policy::platform_roles(estate, a.nsg);
    if (roles.empty())
        return;
    const model::NetworkSecurityGroup& group = estate.network_security_groups[a.nsg];
    std::erase_if(a.findings, [&](const RuleFinding& f) {
        if (f.kind != RuleFinding::Kind::Shadowed && f.kind != RuleFinding::Kind::Redundant)
            return false;
        const policy::ResolvedRule& rule = compiled.rules(f.direction)[f.rule];
        if (rule.custom_index < 0)
            return false;
        for (policy::PlatformRole role : roles) {
            auto page = policy::required_by(group.rules[static_cast<std::size_t>(rule.custom_index)], role);
            if (!page)
                continue;
            a.platform_required.push_back({{f.direction, f.rule},
                                           fmt::format("{} requires it (Microsoft Learn, {})",
                                                       policy::platform_role_name(role), *page)});
            return true;
        }
        return false;
    });
}

} // namespace

std::vector<NsgRuleAnalysis> analyse_all_rules(const policy::PolicyEngine& engine,
                                               const RuleAnalysisOptions& options) {
    const model::Estate& estate = engine.estate();
    // Compiled first, here: the engine compiles on demand and is not shared between threads.
    model::IndexedBy<model::NetworkSecurityGroup, std::vector<const policy::CompiledNsg*>> compiled(
        estate.network_security_groups.size());
    for (model::NsgIndex nsg : estate.network_security_groups.indices()) {
        for (model::VnetIndex vnet : vnets_of(estate, nsg))
            compiled[nsg].push_back(&engine.nsg(nsg, vnet));
    }
    // NSGs are analysed independently, on as many threads as the machine has.
    std::vector<NsgRuleAnalysis> out(compiled.size());
    parallel_for(compiled.size(), pool_threads(), 4, [&](std::size_t nsg, unsigned) {
        std::vector<NsgRuleAnalysis> per_vnet;
        for (const policy::CompiledNsg* one : compiled[nsg])
            per_vnet.push_back(analyse_rules(*one, options));
        const auto index = model::NsgIndex(nsg);
        out[nsg] = per_vnet.size() == 1 ? std::move(per_vnet.front()) : merge(index, per_vnet);
        out[nsg].nsg = index;
        keep_platform_rules(estate, *compiled[nsg].front(), out[nsg]);
    });
    return out;
}

std::string_view rule_finding_kind_name(RuleFinding::Kind kind) {
    switch (kind) {
    case RuleFinding::Kind::Shadowed:
        return "Shadowed";
    case RuleFinding::Kind::Redundant:
        return "Redundant";
    case RuleFinding::Kind::Conflicting:
        return "Conflicting";
    case RuleFinding::Kind::SourcePortRestricted:
        return "SourcePortRestricted";
    }
    return "";
}

} // namespace ztnet::reach
