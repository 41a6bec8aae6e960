#include "ztnet/report/rule_report.h"

#include <fmt/format.h>

#include "ztnet/report/path_report.h"

namespace ztnet::report {
namespace {

// The rule a finding names, and where it is written.
struct RuleInfo {
    std::string label;
    SourceLocation where;
};

RuleInfo rule_info(const model::Estate& estate, const policy::CompiledNsg& nsg, net::Direction direction,
                   std::uint32_t index) {
    const policy::ResolvedRule& rule = nsg.rules(direction)[index];
    const model::NetworkSecurityGroup& group = estate.network_security_groups[nsg.nsg()];
    RuleInfo info;
    info.label = fmt::format("{} ({}{})", rule.name, rule.priority, rule.is_default ? ", default rule" : "");
    info.where =
        rule.custom_index >= 0 ? group.rules[static_cast<std::size_t>(rule.custom_index)].where : group.where;
    return info;
}

std::string kind_label(reach::RuleFinding::Kind kind) {
    switch (kind) {
    case reach::RuleFinding::Kind::Shadowed:
        return "shadowed";
    case reach::RuleFinding::Kind::Redundant:
        return "redundant";
    case reach::RuleFinding::Kind::Conflicting:
        return "conflicting";
    case reach::RuleFinding::Kind::SourcePortRestricted:
        return "source-port-restricted";
    }
    return "shadowed";
}

} // namespace

std::string rules_text(const std::vector<reach::NsgRuleAnalysis>& analyses,
                       const policy::PolicyEngine& engine, const SourceSet& sources) {
    const model::Estate& estate = engine.estate();
    std::string out;
    std::size_t total = 0;
    for (const reach::NsgRuleAnalysis& a : analyses) {
        if (a.findings.empty() && a.gave_up.empty() && a.undecidable.empty() && a.platform_required.empty())
            continue;
        const policy::CompiledNsg& nsg = engine.nsg(a.nsg);
        const model::NetworkSecurityGroup& group = estate.network_security_groups[a.nsg];
        std::string at = location_text(group.where, sources);
        out += fmt::format("\n{}{}\n", group.name, at.empty() ? "" : " (" + at + ")");
        for (const reach::RuleFinding& f : a.findings) {
            ++total;
            RuleInfo rule = rule_info(estate, nsg, f.direction, f.rule);
            std::string where = location_text(rule.where, sources);
            out += fmt::format("  {} {} {}{}\n", kind_label(f.kind), net::direction_name(f.direction),
                               rule.label, where.empty() ? "" : " at " + where);
            out += fmt::format("    {}\n", f.explanation);
            if (f.example)
                out += fmt::format("    example: {}\n", f.example->to_string());
        }
        for (const reach::RuleRef& r : a.gave_up)
            out += fmt::format("  not analysed {} {}: its flow sets grew past the limit\n",
                               net::direction_name(r.direction),
                               rule_info(estate, nsg, r.direction, r.rule).label);
        for (const reach::RuleRef& r : a.undecidable)
            out += fmt::format("  undecidable {} {}: {}; the other {} rules are not judged against it\n",
                               net::direction_name(r.direction),
                               rule_info(estate, nsg, r.direction, r.rule).label,
                               nsg.rules(r.direction)[r.rule].unknown, net::direction_name(r.direction));
        for (const reach::NsgRuleAnalysis::Kept& k : a.platform_required)
            out += fmt::format("  kept {} {}: {}; other rules decide its flows today, but never delete it\n",
                               net::direction_name(k.rule.direction),
                               rule_info(estate, nsg, k.rule.direction, k.rule.rule).label, k.why);
    }
    std::size_t nsgs = analyses.size();
    return fmt::format("{} finding{} in {} NSG{}\n", total, total == 1 ? "" : "s", nsgs,
                       nsgs == 1 ? "" : "s") +
           out;
}

json::Value rules_json(const std::vector<reach::NsgRuleAnalysis>& analyses,
                       const policy::PolicyEngine& engine, const SourceSet& sources) {
    const model::Estate& estate = engine.estate();
    json::Array list;
    for (const reach::NsgRuleAnalysis& a : analyses) {
        const policy::CompiledNsg& nsg = engine.nsg(a.nsg);
        json::Object o;
        o.set("nsg", estate.network_security_groups[a.nsg].id);
        o.set("name", estate.network_security_groups[a.nsg].name);
        json::Array findings;
        for (const reach::RuleFinding& f : a.findings) {
            json::Object x;
            x.set("kind", kind_label(f.kind));
            x.set("direction", std::string(net::direction_name(f.direction)));
            RuleInfo rule = rule_info(estate, nsg, f.direction, f.rule);
            x.set("rule", rule.label);
            x.set("location", location_json(rule.where, sources));
            json::Array related;
            for (std::uint32_t r : f.related)
                related.emplace_back(rule_info(estate, nsg, f.direction, r).label);
            x.set("related", std::move(related));
            x.set("example", f.example ? json::Value(f.example->to_string()) : json::Value());
            x.set("explanation", f.explanation);
            findings.emplace_back(std::move(x));
        }
        o.set("findings", std::move(findings));
        json::Array gave_up;
        for (const reach::RuleRef& r : a.gave_up)
            gave_up.emplace_back(rule_info(estate, nsg, r.direction, r.rule).label);
        o.set("notAnalysed", std::move(gave_up));
        json::Array undecidable;
        for (const reach::RuleRef& r : a.undecidable) {
            json::Object u;
            u.set("rule", rule_info(estate, nsg, r.direction, r.rule).label);
            u.set("direction", std::string(net::direction_name(r.direction)));
            u.set("reason", nsg.rules(r.direction)[r.rule].unknown);
            undecidable.emplace_back(std::move(u));
        }
        o.set("undecidable", std::move(undecidable));
        json::Array kept;
        for (const reach::NsgRuleAnalysis::Kept& k : a.platform_required) {
            json::Object x;
            x.set("rule", rule_info(estate, nsg, k.rule.direction, k.rule.rule).label);
            x.set("direction", std::string(net::direction_name(k.rule.direction)));
            x.set("reason", k.why);
            kept.emplace_back(std::move(x));
        }
        o.set("platformRequired", std::move(kept));
        list.emplace_back(std::move(o));
    }
    json::Object root;
    root.set("nsgs", std::move(list));
    return root;
}

} // namespace ztnet::report
