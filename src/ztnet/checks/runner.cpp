#include "ztnet/checks/runner.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "ztnet/support/parallel.h"

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

namespace {

// Fingerprints and suppressions, on every core: each finding's own work. Returns, per finding, the
// index of the suppression that covers it (or -1).
std::vector<int> fingerprint_and_suppress(std::vector<Finding>& findings,
                                          const std::vector<Suppression>& suppressions,
                                          std::string_view today) {
    std::vector<int> suppressed_by(findings.size(), -1);
    parallel_for(findings.size(), hardware_threads(), 512, [&](std::size_t k, unsigned) {
        Finding& f = findings[k];
        f.fingerprint = fingerprint(f.check_id, f.resource_id, f.discriminator);
        for (std::size_t i = 0; i < suppressions.size(); ++i) {
            const Suppression& s = suppressions[i];
            if (suppression_expired(s, today) ||
                !suppression_matches(s, f.check_id, f.resource_id, f.resource_name))
                continue;
            f.suppressed_by = s.reason;
            suppressed_by[k] = static_cast<int>(i);
            break;
        }
    });
    return suppressed_by;
}

// Most severe first, then by check id, resource id and discriminator. The ids are ranked once, so
// that most comparisons are of numbers: a hundred thousand findings share a few thousand resources.
void sort_findings(std::vector<Finding>& findings) {
    std::vector<std::string_view> ids;
    ids.reserve(findings.size());
    for (const Finding& f : findings)
        ids.push_back(f.resource_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    struct Key {
        Severity severity;
        std::size_t resource; // rank of the resource id
        std::size_t index;
    };
    std::vector<Key> keys;
    keys.reserve(findings.size());
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        keys.push_back(
            {find_check(f.check_id)->severity,
             static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), f.resource_id) - ids.begin()),
             i});
    }
    std::stable_sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
        if (x.severity != y.severity)
            return x.severity > y.severity;
        const Finding& a = findings[x.index];
        const Finding& b = findings[y.index];
        if (a.check_id != b.check_id)
            return a.check_id < b.check_id;
        if (x.resource != y.resource)
            return x.resource < y.resource;
        return a.discriminator < b.discriminator;
    });
    std::vector<Finding> sorted;
    sorted.reserve(findings.size());
    for (const Key& key : keys)
        sorted.push_back(std::move(findings[key.index]));
    findings = std::move(sorted);
}

} // namespace

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
    for (const Suppression& s : suppressions) {
        if (suppression_expired(s, today))
            run.expired.push_back(s);
    }
    std::vector<std::vector<Finding>> per_check;
    std::size_t count = 0;
    for (const Check& check : registry()) {
        if (!selection.empty() && std::find(selection.begin(), selection.end(), check.id) == selection.end())
            continue;
        run.checks.emplace_back(check.id);
        per_check.push_back(check.run(context));
        for (Finding& f : per_check.back())
            f.check_id = check.id;
        count += per_check.back().size();
    }
    run.findings.reserve(count);
    for (std::vector<Finding>& found : per_check)
        std::move(found.begin(), found.end(), std::back_inserter(run.findings));
    per_check.clear();

    std::vector<bool> used(suppressions.size(), false);
    for (int i : fingerprint_and_suppress(run.findings, suppressions, today)) {
        if (i >= 0)
            used[static_cast<std::size_t>(i)] = true;
    }
    for (std::size_t i = 0; i < suppressions.size(); ++i) {
        if (!used[i] && !suppression_expired(suppressions[i], today))
            run.unused.push_back(suppressions[i]);
    }
    sort_findings(run.findings);
    return run;
}

std::vector<PrincipleScore> principle_scores(const CheckRun& run) {
    std::set<std::string_view> failing; // checks with an unsuppressed finding
    for (const Finding& f : run.findings) {
        if (!f.suppressed_by)
            failing.insert(f.check_id);
    }
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
            if (failing.contains(id)) {
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
