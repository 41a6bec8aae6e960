#include "ztnet/checks/audit.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <new>

#include <fmt/format.h>

#include "ztnet/exposure/endpoints.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/paths/paths.h"
#include "ztnet/support/parallel.h"

namespace ztnet::checks {

std::vector<Undecided> undecided(const model::Estate& estate) {
    std::vector<Undecided> out;
    for (const model::ExternalReference& external : estate.external_references) {
        out.push_back({external.id, model::parse_resource_id(external.id).name, external.where,
                       fmt::format("{} referred to {} time(s) but not in the input: what depends on its "
                                   "content is undecidable",
                                   model::arm_type(external.kind), external.references)});
    }
    // NSG rules the input cannot fully tell: each is named with what is unknown about it.
    model::IndexedBy<model::NetworkSecurityGroup, bool> rules_listed(estate.network_security_groups.size(),
                                                                     false);
    for (model::NsgIndex n : estate.network_security_groups.indices()) {
        const model::NetworkSecurityGroup& nsg = estate.network_security_groups[n];
        if (!nsg.rules_unknown.empty())
            out.push_back({nsg.id, nsg.name, nsg.where,
                           fmt::format("{}: any flow through this NSG may meet a rule of either access, so "
                                       "every verdict through it is undecidable",
                                       nsg.rules_unknown)});
        for (const model::SecurityRule& rule : nsg.rules) {
            if (rule.unknowns.empty())
                continue;
            out.push_back({nsg.id, nsg.name, rule.where,
                           fmt::format("rule {} ({} {}): {}; a flow it may decide is undecidable (explain "
                                       "and reach name such flows), and no check reports it",
                                       rule.name, net::direction_name(rule.direction), rule.priority,
                                       rule.unknowns_text())});
        }
        rules_listed[n] = !nsg.rules_unknown.empty() ||
                          std::any_of(nsg.rules.begin(), nsg.rules.end(),
                                      [](const model::SecurityRule& r) { return !r.unknowns.empty(); });
    }
    // Settings a template computes from something unknown (a parameter without a value, a value only
    // known once deployed): what the checks read in their place is a stand-in, so they are listed.
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        auto kind = static_cast<model::ResourceKind>(k);
        for (model::Index i = 0; i < estate.count(kind); ++i) {
            const model::Resource& r = estate.resource({kind, i});
            if (r.unknown_fields.empty())
                continue;
            if (kind == model::ResourceKind::NetworkSecurityGroup && rules_listed[i])
                continue;
            constexpr std::size_t kShown = 4;
            std::string fields;
            for (std::size_t f = 0; f < r.unknown_fields.size() && f < kShown; ++f)
                fields += (f == 0 ? "" : ", ") + r.unknown_fields[f];
            if (r.unknown_fields.size() > kShown)
                fields += fmt::format(" and {} more", r.unknown_fields.size() - kShown);
            out.push_back({r.id, r.name, r.where,
                           fmt::format("{} not known offline: verdicts that depend on {} are undecidable, "
                                       "and the checks that read {} are not assessed here",
                                       fields, r.unknown_fields.size() == 1 ? "it" : "them",
                                       r.unknown_fields.size() == 1 ? "it" : "them")});
        }
    }
    for (const model::VirtualNetwork& vnet : estate.virtual_networks)
        if (!vnet.admin_rules_unknown.empty())
            out.push_back({vnet.id, vnet.name, vnet.where,
                           fmt::format("{}: every flow to or from its endpoints is undecidable, and no "
                                       "reachability check judges them",
                                       vnet.admin_rules_unknown)});
    for (const model::NetworkInterface& nic : estate.network_interfaces)
        for (const model::IpConfiguration& config : nic.ip_configurations)
            if (!config.address_undecidable.empty())
                out.push_back({nic.id, nic.name, nic.where,
                               fmt::format("ip configuration {}: the private address is not known offline "
                                           "({}), so reachability to and from it is undecidable and no "
                                           "reachability check judges it",
                                           config.name, config.address_undecidable)});
            else if (!config.candidate_ips.empty())
                out.push_back({nic.id, nic.name, nic.where,
                               fmt::format("ip configuration {}: Azure picks the private address at "
                                           "deployment, and {}: a flow to or from it is judged at each "
                                           "candidate address and is undecidable where they differ",
                                           config.name, config.candidates_reason)});
    return out;
}

AuditResult run_audit(const CheckContext& context, const AuditOptions& options) {
    AuditResult out;
    out.undecided = undecided(context.estate);
    // The highlights only read the pairs: they are found while the checks run.
    std::optional<Result<reach::ReachMatrix>> matrix;
    parallel_for(options.highlights ? 2 : 1, 2, 1, [&](std::size_t task, unsigned) {
        if (task == 0)
            out.run = run_checks(context, options.suppressions, options.today, options.checks);
        else
            matrix = reach::reach_matrix(context.reach, reach::Grouping::Subnet);
    });
    out.scores = principle_scores(out.run);
    if (!options.highlights)
        return out;
    if (!matrix)
        matrix = reach::reach_matrix(context.reach, reach::Grouping::Subnet);
    if (!*matrix)
        return out;
    out.matrix = std::move(**matrix);
    for (std::size_t i = 0; i < out.matrix->cells.size(); ++i) {
        const reach::MatrixCell& cell = out.matrix->cells[i];
        const reach::MatrixGroup& from = out.matrix->groups[cell.from];
        const reach::MatrixGroup& to = out.matrix->groups[cell.to];
        if (cell.allowed.empty() && cell.undecidable.empty())
            continue;
        if (to.kind == "internet") {
            if (from.kind != "internet")
                out.egress_cells.push_back(i);
        } else if (from.kind == "internet") {
            out.internet_cells.push_back(i);
        } else if (cell.from != cell.to) {
            out.lateral_cells.push_back(i);
        }
    }
    return out;
}

namespace {

// The blast radius of every workload, summed per tier, and the share of the estate's inside
// endpoints a workload reaches on average, which weighs the Assume-breach score (docs/paths.md).
void add_blast_radius(const analysis::Analysis& analysis, const model::AttackPolicy& policy,
                      AuditResult& out) {
    paths::PathOptions options;
    options.policy = policy;
    options.cut = false;
    options.evidence = false;
    options.max_paths = 0;
    auto breach = paths::attack_paths(analysis, options);
    if (!breach)
        return;
    std::size_t inside = 0;
    for (const reach::ReachEndpoint& e : analysis.reachability()->endpoints().endpoints)
        inside += exposure::is_inside(e);
    double share = 0;
    for (const paths::BlastRadius& r : breach->radii) {
        const std::size_t others = inside > r.endpoints.size() ? inside - r.endpoints.size() : 0;
        share += others == 0 ? 0.0 : static_cast<double>(r.reached) / static_cast<double>(others);
    }
    share = breach->radii.empty() ? 0.0 : share / static_cast<double>(breach->radii.size());
    for (PrincipleScore& score : out.scores) {
        if (score.principle != Principle::AssumeBreach)
            continue;
        score.blast_share = share;
        score.score = static_cast<int>(std::lround(score.check_score * (1.0 - share / 2)));
    }
    out.breach = std::move(*breach);
}

} // namespace

CheckContext context_of(const analysis::Analysis& analysis) {
    return CheckContext{analysis.estate(),
                        analysis.policy(),
                        *analysis.reachability(),
                        analysis.rule_analyses(),
                        analysis.intent(),
                        analysis.verified(),
                        &analysis};
}

Result<AuditResult> run_audit(const analysis::Analysis& analysis, const AuditOptions& options) {
    if (!analysis.reachability() || !analysis.has_rule_analysis())
        return fail_with(
            "audit-incomplete-analysis",
            "the checks read reachability and the rule analysis: the analysis holds neither or one");
    ThreadPool::Scope scope(analysis.pool());
    try {
        CheckContext context = context_of(analysis);
        context.attack_policy = &options.attack_policy;
        AuditResult out = run_audit(context, options);
        if (options.highlights)
            add_blast_radius(analysis, options.attack_policy, out);
        return out;
    } catch (const std::bad_alloc&) {
        return fail_with("out-of-memory", "the checks need more memory than the machine gives them");
    } catch (const std::exception& e) {
        return fail_with("internal-error", std::string("the checks stopped: ") + e.what());
    }
}

bool fails_at(const CheckRun& run, Severity threshold) {
    return std::any_of(run.findings.begin(), run.findings.end(), [&](const Finding& f) {
        return !f.suppressed_by && find_check(f.check_id)->severity >= threshold;
    });
}

} // namespace ztnet::checks
