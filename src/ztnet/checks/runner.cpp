#include "ztnet/checks/runner.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_set>

#include <fmt/format.h>

#include "ztnet/checks/check_support.h"
#include "ztnet/model/resource_id.h"
#include "ztnet/support/ascii.h"
#include "ztnet/support/parallel.h"

namespace ztnet::checks {
namespace {

// FNV-1a, 64 bits, twice with different offsets: stable across platforms and releases, which is
// all a fingerprint needs (it is not a security boundary).
struct Fnv1a {
    std::uint64_t hash;
    void add(unsigned char c) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
};

void append_hex(std::uint64_t value, std::string& out) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (int shift = 60; shift >= 0; shift -= 4)
        out += kDigits[(value >> shift) & 0xf];
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
    // Both hashes run over "check id \n resource id in lower case \n discriminator", fed byte by
    // byte rather than built as a string: a hundred thousand findings take a fingerprint each.
    Fnv1a first{0xcbf29ce484222325ULL};
    Fnv1a second{0x84222325cbf29ce4ULL};
    auto feed = [&](unsigned char c) {
        first.add(c);
        second.add(c);
    };
    for (char c : check_id)
        feed(static_cast<unsigned char>(c));
    feed('\n');
    for (char c : resource_id)
        feed(static_cast<unsigned char>(ascii::to_lower(c)));
    feed('\n');
    for (char c : discriminator)
        feed(static_cast<unsigned char>(c));
    std::string out;
    out.reserve(32);
    append_hex(first.hash, out);
    append_hex(second.hash, out);
    return out;
}

namespace {

// Fingerprints and suppressions (the `active` ones: not expired), on every core: each finding's
// own work. Returns, per finding, the index of the suppression that covers it (or -1).
std::vector<int> fingerprint_and_suppress(std::vector<Finding>& findings,
                                          const std::vector<Suppression>& suppressions,
                                          const std::vector<bool>& active) {
    std::vector<int> suppressed_by(findings.size(), -1);
    parallel_for(findings.size(), pool_threads(), 512, [&](std::size_t k, unsigned) {
        Finding& f = findings[k];
        f.fingerprint = fingerprint(f.check_id, f.resource_id, f.discriminator);
        for (std::size_t i = 0; i < suppressions.size(); ++i) {
            const Suppression& s = suppressions[i];
            if (!active[i] || !suppression_matches(s, f.check_id, f.resource_id, f.resource_name))
                continue;
            f.suppressed_by = s.reason;
            suppressed_by[k] = static_cast<int>(i);
            break;
        }
    });
    return suppressed_by;
}

// The order of one check's findings: by resource id, then discriminator, ties as found.
std::vector<std::uint32_t> order_of(const std::vector<Finding>& findings) {
    std::vector<std::uint32_t> order(findings.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        const Finding& a = findings[x];
        const Finding& b = findings[y];
        return std::tie(a.resource_id, a.discriminator) < std::tie(b.resource_id, b.discriminator);
    });
    return order;
}

// One check's findings, fingerprinted and checked against the suppressions.
struct CheckFindings {
    const Check* check = nullptr;
    std::vector<Finding> findings;
};

// The report's order: most severe first, then by check id, each check's findings by resource id
// and discriminator. Severity belongs to the check, so checks are ordered first and each check's
// positions sorted on their own, on every core; each finding then moves once, into its place.
std::vector<Finding> in_report_order(std::vector<CheckFindings> found) {
    std::stable_sort(found.begin(), found.end(), [](const CheckFindings& a, const CheckFindings& b) {
        return std::pair(b.check->severity, a.check->id) < std::pair(a.check->severity, b.check->id);
    });
    std::vector<std::vector<std::uint32_t>> order(found.size());
    parallel_for(found.size(), pool_threads(), 1,
                 [&](std::size_t k, unsigned) { order[k] = order_of(found[k].findings); });
    std::size_t count = 0;
    for (const CheckFindings& f : found)
        count += f.findings.size();
    std::vector<Finding> out;
    out.reserve(count);
    for (std::size_t k = 0; k < found.size(); ++k) {
        for (std::uint32_t i : order[k])
            out.push_back(std::move(found[k].findings[i]));
    }
    return out;
}

} // namespace

namespace {

std::vector<std::string_view> pointer_segments(std::string_view pointer) {
    std::vector<std::string_view> out;
    while (!pointer.empty()) {
        pointer.remove_prefix(pointer.front() == '/' ? 1 : 0);
        const std::size_t slash = pointer.find('/');
        out.push_back(pointer.substr(0, slash));
        pointer.remove_prefix(slash == std::string_view::npos ? pointer.size() : slash);
    }
    return out;
}

// Whether an unknown field and a setting's pattern overlap: one lies inside the other (an unknown
// object holds the setting, or the setting is an object with an unknown member).
bool overlaps(std::string_view unknown, std::string_view pattern) {
    const std::vector<std::string_view> a = pointer_segments(unknown);
    const std::vector<std::string_view> b = pointer_segments(pattern);
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (b[i] != "*" && !model::same_id(a[i], b[i])) // ARM property names ignore case
            return false;
    }
    return true;
}

} // namespace

namespace {

// Whether the input holds a resource of ARM type `type`.
bool holds_type(const model::Estate& estate, std::string_view type) {
    for (int k = 0; k < model::kResourceKindCount; ++k) {
        const auto kind = static_cast<model::ResourceKind>(k);
        if (kind != model::ResourceKind::Other && model::same_id(model::arm_type(kind), type))
            return estate.count(kind) > 0;
    }
    return std::any_of(estate.others.begin(), estate.others.end(),
                       [&](const model::OtherResource& r) { return model::same_id(r.type, type); });
}

// Whether the input holds a resource of `type`, or says it collected that type and found none.
bool covers_type(const model::Estate& estate, std::string_view type) {
    return holds_type(estate, type) ||
           std::any_of(estate.collected_types.begin(), estate.collected_types.end(),
                       [&](const std::string& t) { return model::same_id(t, type); });
}

} // namespace

std::vector<NotAssessed> drop_unassessed(const model::Estate& estate, const policy::ServiceTags& tags,
                                         const Check& check, std::vector<Finding>& findings) {
    std::vector<NotAssessed> out;
    if (check.judges != nullptr && check.judges(estate)) {
        std::string missing;
        for (std::string_view tag : check.needs_tags)
            if (tags.find(tag) == nullptr)
                missing += (missing.empty() ? "" : ", ") + std::string(tag);
        if (!missing.empty()) {
            NotAssessed n;
            n.check_id = std::string(check.id);
            n.anywhere = true;
            n.why = fmt::format("the service tags file lacks {} (pass --service-tags with Azure's current "
                                "ServiceTags_Public file)",
                                missing);
            findings.clear();
            out.push_back(std::move(n));
            return out;
        }
    }
    if (!check.needs.empty() && std::none_of(check.needs.begin(), check.needs.end(),
                                             [&](std::string_view t) { return covers_type(estate, t); })) {
        std::string types;
        for (std::string_view t : check.needs)
            types += (types.empty() ? "" : " or ") + std::string(t);
        NotAssessed n;
        n.check_id = std::string(check.id);
        n.anywhere = true;
        n.why =
            fmt::format("the input holds no {} ({})", types,
                        check.needs_why.empty() ? "a Resources-only export or a network template leaves them "
                                                  "out; docs/export.md says how to collect them"
                                                : check.needs_why);
        findings.clear();
        out.push_back(std::move(n));
        return out;
    }
    for (const SettingRead& read : check.reads) {
        for (model::Index i = 0; i < estate.count(read.kind); ++i) {
            const model::Resource& r = estate.resource({read.kind, i});
            auto unknown = std::find_if(r.unknown_fields.begin(), r.unknown_fields.end(),
                                        [&](const std::string& f) { return overlaps(f, read.pointer); });
            if (unknown == r.unknown_fields.end())
                continue;
            const bool anywhere = read.findings == SettingRead::Findings::Anywhere;
            out.push_back({std::string(check.id), r.id, r.name, r.where, *unknown, anywhere, {}});
            std::erase_if(findings,
                          [&](const Finding& f) { return anywhere || model::same_id(f.resource_id, r.id); });
        }
    }
    std::sort(out.begin(), out.end(), [](const NotAssessed& a, const NotAssessed& b) {
        return std::tie(a.resource_id, a.setting) < std::tie(b.resource_id, b.setting);
    });
    out.erase(std::unique(
                  out.begin(), out.end(),
                  [](const NotAssessed& a, const NotAssessed& b) { return a.resource_id == b.resource_id; }),
              out.end());
    return out;
}

CheckRun run_checks(const CheckContext& context, const std::vector<Suppression>& suppressions,
                    std::string_view today, const std::vector<std::string>& selection) {
    if (!context.reach.has_class_table())
        throw std::invalid_argument("run_checks: the context's reachability has no class table (make the "
                                    "context with analysis::Analysis)");
    CheckRun run;
    std::vector<bool> active; // per suppression: not expired today
    for (const Suppression& s : suppressions) {
        active.push_back(!suppression_expired(s, today));
        if (!active.back())
            run.expired.push_back(s);
    }
    std::vector<CheckFindings> found;
    for (const Check& check : registry()) {
        if (!selection.empty() && std::find(selection.begin(), selection.end(), check.id) == selection.end())
            continue;
        run.checks.emplace_back(check.id);
        found.push_back({&check, {}});
    }
    // Every check on a thread of its own: they only read what they share.
    parallel_for(found.size(), pool_threads(), 1,
                 [&](std::size_t k, unsigned) { found[k].findings = found[k].check->run(context); });
    std::vector<bool> used(suppressions.size(), false);
    for (CheckFindings& f : found) {
        for (NotAssessed& n : drop_unassessed(context.estate, context.engine.tags(), *f.check, f.findings))
            run.not_assessed.push_back(std::move(n));
        for (Finding& finding : f.findings)
            finding.check_id = f.check->id;
        for (int i : fingerprint_and_suppress(f.findings, suppressions, active)) {
            if (i >= 0)
                used[static_cast<std::size_t>(i)] = true;
        }
    }
    for (std::size_t i = 0; i < suppressions.size(); ++i) {
        if (!used[i] && active[i])
            run.unused.push_back(suppressions[i]);
    }
    run.findings = in_report_order(std::move(found));
    return run;
}

std::vector<PrincipleScore> principle_scores(const CheckRun& run) {
    std::unordered_set<std::string_view> failing; // checks with an unsuppressed finding
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
        score.check_score = score.score;
        out.push_back(score);
    }
    return out;
}

} // namespace ztnet::checks
