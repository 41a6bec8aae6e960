#include "ztnet/analysis/analysis.h"

#include <chrono>
#include <exception>
#include <new>
#include <utility>

#include <fmt/format.h>

namespace ztnet::analysis {
namespace {

// Runs `phase`, turning what it throws into an error value: the facade is the library's boundary.
// Adds the seconds it took to `took`, when given.
template <class Phase>
Result<bool> guarded(Phase&& phase, double* took = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    struct Clock {
        std::chrono::steady_clock::time_point start;
        double* took;
        ~Clock() {
            if (took)
                *took += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
    } clock{start, took};
    try {
        return phase();
    } catch (const std::bad_alloc&) {
        return fail_with("out-of-memory", "the analysis needs more memory than the machine gives it");
    } catch (const std::exception& e) {
        return fail_with("internal-error", fmt::format("the analysis stopped: {}", e.what()));
    }
}

std::shared_ptr<ThreadPool> pool_of(unsigned threads) {
    return std::make_shared<ThreadPool>(threads);
}

} // namespace

Analysis::Analysis(const model::Estate& estate, const policy::ServiceTags& tags,
                   std::shared_ptr<ThreadPool> pool)
    : estate_(estate), tags_(tags), pool_(std::move(pool)) {}

Analysis::~Analysis() = default;

Result<std::unique_ptr<Analysis>> Analysis::run(const model::Estate& estate, const policy::ServiceTags& tags,
                                                Options options, Diagnostics& diagnostics) {
    std::unique_ptr<Analysis> out(new Analysis(estate, tags, pool_of(options.threads)));
    ThreadPool::Scope scope(out->pool());
    if (auto done = out->compile_policy(diagnostics); !done)
        return done.error();
    // Verifying an intent reads every pair: an intent implies reachability.
    if (options.reachability || options.intent) {
        std::vector<net::AddressSet> conditions = std::move(options.extra_conditions);
        if (options.intent) {
            for (net::AddressSet& c : reach::intent_address_conditions(*options.intent, tags))
                conditions.push_back(std::move(c));
        }
        if (auto done = out->compute_reachability(std::move(conditions), options.max_classes, diagnostics);
            !done)
            return done.error();
        if (options.intent) {
            if (auto done = out->verify(*options.intent, diagnostics); !done)
                return done.error();
        }
    } else {
        auto done = guarded(
            [&] {
                out->routes_ = std::make_unique<route::RouteViews>(estate, tags, diagnostics);
                return true;
            },
            &out->timings_.reachability);
        if (!done)
            return done.error();
    }
    if (options.rule_analysis) {
        auto done = guarded(
            [&] {
                out->analyse_rules();
                return true;
            },
            &out->timings_.rules);
        if (!done)
            return done.error();
    }
    return out;
}

Result<bool> Analysis::compile_policy(Diagnostics& diagnostics) {
    return guarded(
        [&] {
            policy_ = std::make_unique<policy::PolicyEngine>(estate_, tags_, diagnostics);
            return true;
        },
        &timings_.policy);
}

Result<bool> Analysis::compute_reachability(std::vector<net::AddressSet> conditions,
                                            std::uint32_t max_classes, Diagnostics& diagnostics) {
    return guarded(
        [&]() -> Result<bool> {
            reach_ = std::make_unique<reach::Reachability>(*policy_, diagnostics, std::move(conditions));
            const std::uint32_t classes = reach_->endpoints().class_count;
            if (max_classes != 0 && classes > max_classes)
                return fail_with(
                    "reach-too-large",
                    fmt::format("the estate has {} equivalence classes of endpoints; this analysis "
                                "holds at most {}",
                                classes, max_classes));
            if (auto table = reach_->class_table(); !table)
                return fail_with("reach-too-large", table.error().message);
            return true;
        },
        &timings_.reachability);
}

Result<bool> Analysis::verify(const model::Intent& intent, Diagnostics& diagnostics) {
    return guarded(
        [&]() -> Result<bool> {
            intent_ = &intent;
            const std::size_t errors = diagnostics.error_count();
            intent_check_ = std::make_unique<reach::IntentCheck>(*reach_, intent, tags_, diagnostics);
            // A selector that names nothing in the estate: verifying would pass on a typo.
            if (diagnostics.error_count() > errors)
                return fail_with(
                    "intent-unresolved",
                    "the intent names groups the estate does not hold (the errors above say which)");
            verified_ = std::make_unique<reach::VerifyResult>(reach::verify_intent(*reach_, *intent_check_));
            return true;
        },
        &timings_.intent);
}

void Analysis::analyse_rules() {
    rules_ = reach::analyse_all_rules(*policy_);
    rule_analysis_ = true;
}

const route::RouteViews& Analysis::routes() const {
    return reach_ ? reach_->route_views() : *routes_;
}

route::PathResult Analysis::trace(const route::Endpoint& from, const route::Endpoint& to,
                                  const route::PathQuery& query) const {
    return route::trace_path(*policy_, routes(), from, to, query);
}

Comparison::~Comparison() = default;

Result<std::unique_ptr<Comparison>> Comparison::run(const model::Estate& before, const model::Estate& after,
                                                    const policy::ServiceTags& tags, const Options& options,
                                                    Diagnostics& before_diagnostics,
                                                    Diagnostics& after_diagnostics) {
    std::shared_ptr<ThreadPool> pool = pool_of(options.threads);
    ThreadPool::Scope scope(*pool);
    std::unique_ptr<Comparison> out(new Comparison());
    out->before_.reset(new Analysis(before, tags, pool));
    out->after_.reset(new Analysis(after, tags, pool));
    Analysis& b = *out->before_;
    Analysis& a = *out->after_;
    if (auto done = b.compile_policy(before_diagnostics); !done)
        return done.error();
    if (auto done = a.compile_policy(after_diagnostics); !done)
        return done.error();
    // Each version is cut along the other's address conditions too, so their Internet pieces match.
    std::vector<net::AddressSet> before_conditions, after_conditions;
    auto done = guarded([&] {
        before_conditions = reach::estate_address_conditions(*b.policy_, before_diagnostics);
        after_conditions = reach::estate_address_conditions(*a.policy_, after_diagnostics);
        return true;
    });
    if (!done)
        return done.error();
    for (const net::AddressSet& c : options.extra_conditions) {
        before_conditions.push_back(c);
        after_conditions.push_back(c);
    }
    if (auto reached =
            b.compute_reachability(std::move(after_conditions), options.max_classes, before_diagnostics);
        !reached)
        return reached.error();
    if (auto reached =
            a.compute_reachability(std::move(before_conditions), options.max_classes, after_diagnostics);
        !reached)
        return reached.error();
    done = guarded([&] {
        out->diff_ = std::make_unique<reach::ReachDiff>(*b.reach_, *a.reach_);
        out->changes_ = out->diff_->changes();
        return true;
    });
    if (!done)
        return done.error();
    // The rule analysis lets the checks run on both versions: the findings a change adds or removes.
    if (options.rule_analysis) {
        for (Analysis* version : {&b, &a}) {
            done = guarded(
                [&] {
                    version->analyse_rules();
                    return true;
                },
                &version->timings_.rules);
            if (!done)
                return done.error();
        }
    }
    return out;
}

} // namespace ztnet::analysis
