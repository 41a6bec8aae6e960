#include "ztnet/checks/runner.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

namespace ztnet::checks {
namespace {

// FNV-1a, 64 bits, twice with different offsets: stable across platforms and releases, which is
// all a fingerprint needs (it is not a security boundary).
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

int weight(Severity severity) {
    switch (severity) {
    case Severity::Low:
        return 1;
    case Severity::Medium:
        return 3;
    case Severity::High:
        return 7;
    case Severity::Critical:
        return 10;
    }
    return 1;
}

} // namespace

std::string fingerprint(std::string_view check_id, std::string_view resource_id,
                        std::string_view discriminator) {
    std::string key = fmt::format("{}\n{}\n{}", check_id, resource_id, discriminator);
    for (std::size_t i = check_id.size() + 1; i < check_id.size() + 1 + resource_id.size(); ++i)
        key[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(key[i])));
    return fmt::format("{:016x}{:016x}", fnv1a(key, 0xcbf29ce484222325ULL),
                       fnv1a(key, 0x84222325cbf29ce4ULL));
}

CheckRun run_checks(CheckContext& context, const std::vector<Suppression>& suppressions,
                    std::string_view today, const std::vector<std::string>& selection) {
    CheckRun run;
    // Evidence traces share one set of effective routes; what they would report, the engine
    // reported already.
    Diagnostics traced;
    std::optional<route::RouteViews> views;
    if (!context.route_views)
        context.route_views = &views.emplace(context.estate, context.engine.tags(), traced);
    struct Restore {
        CheckContext& context;
        bool ours;
        ~Restore() {
            if (ours)
                context.route_views = nullptr;
        }
    } restore{context, views.has_value()};
    std::vector<bool> used(suppressions.size(), false);
    for (const Suppression& s : suppressions) {
        if (suppression_expired(s, today))
            run.expired.push_back(s);
    }
    for (const Check& check : registry()) {
        if (!selection.empty() && std::find(selection.begin(), selection.end(), check.id) == selection.end())
            continue;
        run.checks.emplace_back(check.id);
        for (Finding& f : check.run(context)) {
            f.check_id = check.id;
            f.fingerprint = fingerprint(check.id, f.resource_id, f.discriminator);
            for (std::size_t i = 0; i < suppressions.size(); ++i) {
                const Suppression& s = suppressions[i];
                if (suppression_expired(s, today) ||
                    !suppression_matches(s, check.id, f.resource_id, f.resource_name))
                    continue;
                used[i] = true;
                f.suppressed_by = s.reason;
                break;
            }
            run.findings.push_back(std::move(f));
        }
    }
    for (std::size_t i = 0; i < suppressions.size(); ++i) {
        if (!used[i] && !suppression_expired(suppressions[i], today))
            run.unused.push_back(suppressions[i]);
    }
    // Each finding's severity looked up once, not at every comparison.
    std::vector<std::pair<Severity, std::size_t>> order;
    order.reserve(run.findings.size());
    for (std::size_t i = 0; i < run.findings.size(); ++i)
        order.emplace_back(find_check(run.findings[i].check_id)->severity, i);
    std::stable_sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
        if (x.first != y.first)
            return x.first > y.first;
        const Finding& a = run.findings[x.second];
        const Finding& b = run.findings[y.second];
        return std::tie(a.check_id, a.resource_id, a.discriminator) <
               std::tie(b.check_id, b.resource_id, b.discriminator);
    });
    std::vector<Finding> sorted;
    sorted.reserve(run.findings.size());
    for (const auto& [severity, i] : order)
        sorted.push_back(std::move(run.findings[i]));
    run.findings = std::move(sorted);
    return run;
}

std::vector<PrincipleScore> principle_scores(const CheckRun& run) {
    std::vector<PrincipleScore> out;
    for (int p = 0; p < kPrincipleCount; ++p) {
        PrincipleScore score;
        score.principle = static_cast<Principle>(p);
        int total = 0;
        int lost = 0;
        for (const std::string& id : run.checks) {
            const Check* check = find_check(id);
            if (std::find(check->principles.begin(), check->principles.end(), score.principle) ==
                check->principles.end())
                continue;
            ++score.checks;
            total += weight(check->severity);
            bool failing = std::any_of(run.findings.begin(), run.findings.end(), [&](const Finding& f) {
                return f.check_id == id && !f.suppressed_by;
            });
            if (failing) {
                ++score.failing;
                lost += weight(check->severity);
            }
        }
        score.score = total == 0 ? 100 : (100 * (total - lost) + total / 2) / total;
        out.push_back(score);
    }
    return out;
}

} // namespace ztnet::checks
