// The analysis facade: the phases it runs, the error values it gives instead of exceptions, and
// that what it hands out is read-only: the checks, run at once from several threads, change
// nothing in it and agree with one another and with a run on one thread.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/load/loader.h"

namespace ztnet::analysis {
namespace {

std::string example(const std::string& name) {
    return std::string(ZTNET_SOURCE_DIR) + "/examples/" + name;
}

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult result;
    policy::ServiceTags tags;
    std::optional<model::Intent> intent;

    explicit Loaded(const std::string& name) {
        result = load::load_paths({example(name) + "/export"}, {}, sources, diagnostics);
        std::ifstream in(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        tags = *policy::ServiceTags::parse(text);
        for (const auto& entry : std::filesystem::directory_iterator(example(name))) {
            if (entry.path().string().ends_with(".ztnet.yaml"))
                intent = load::read_intent_file(entry.path().string(), sources, diagnostics);
        }
    }
};

// Everything a concurrent run could change, if anything in the analysis were computed on first use.
struct StateFingerprint {
    std::size_t class_pairs = 0;
    std::size_t service_sets = 0;
    std::size_t evaluators = 0;
    std::uint64_t table_words = 0; // a hash of the pair table
    std::size_t diagnostics = 0;

    static StateFingerprint of(const Analysis& a, const Diagnostics& diagnostics) {
        StateFingerprint f;
        const reach::Reachability::Stats stats = a.reachability()->stats();
        f.class_pairs = stats.class_pairs_computed;
        f.service_sets = stats.distinct_service_sets;
        f.evaluators = stats.threads;
        const reach::ClassTable& table = a.reachability()->table();
        for (std::uint32_t r = 0; r < table.classes(); ++r) {
            for (std::uint32_t c = 0; c < table.classes(); ++c)
                f.table_words = f.table_words * 1099511628211ULL ^ table.row(r)[c];
        }
        f.diagnostics = diagnostics.all().size();
        return f;
    }
    friend bool operator==(const StateFingerprint&, const StateFingerprint&) = default;
};

std::vector<std::string> fingerprints(const checks::CheckRun& run) {
    std::vector<std::string> out;
    for (const checks::Finding& f : run.findings)
        out.push_back(f.fingerprint + " " + f.message);
    return out;
}

TEST(Analysis, RunsEveryPhaseAndFreezes) {
    Loaded in("zero-trust-spoke");
    ASSERT_FALSE(in.diagnostics.has_errors());
    Options options;
    options.intent = &*in.intent;
    auto analysed = Analysis::run(in.result.estate, in.tags, std::move(options), in.diagnostics);
    ASSERT_TRUE(analysed) << analysed.error().message;
    const Analysis& a = **analysed;
    ASSERT_NE(a.reachability(), nullptr);
    EXPECT_TRUE(a.reachability()->has_class_table());
    EXPECT_TRUE(a.has_rule_analysis());
    EXPECT_FALSE(a.rule_analyses().empty());
    ASSERT_NE(a.verified(), nullptr);
    EXPECT_TRUE(a.verified()->holds()); // the example meets its intent
    EXPECT_EQ(&a.routes(), &a.reachability()->route_views());
    EXPECT_GT(a.timings().reachability, 0.0);
}

TEST(Analysis, WithoutReachabilityItStillTracesOneFlow) {
    Loaded in("zero-trust-spoke");
    auto analysed = Analysis::run(in.result.estate, in.tags, {.reachability = false, .rule_analysis = false},
                                  in.diagnostics);
    ASSERT_TRUE(analysed) << analysed.error().message;
    const Analysis& a = **analysed;
    EXPECT_EQ(a.reachability(), nullptr);
    EXPECT_FALSE(a.has_rule_analysis());
    auto from = route::resolve_endpoint(in.result.estate, in.tags, "Internet");
    auto to = route::resolve_endpoint(in.result.estate, in.tags, "vm-web-1");
    ASSERT_TRUE(from && to);
    route::PathQuery query;
    query.flow.protocol = 6;
    query.flow.source_port = 50000;
    query.flow.destination_port = 3389;
    EXPECT_EQ(a.trace(*from, *to, query).verdict, route::Verdict::Denied); // no RDP from the Internet
}

TEST(Analysis, AnIntentBringsReachabilityWithIt) {
    Loaded in("zero-trust-spoke");
    auto analysed = Analysis::run(in.result.estate, in.tags, {.reachability = false, .intent = &*in.intent},
                                  in.diagnostics);
    ASSERT_TRUE(analysed) << analysed.error().message;
    ASSERT_NE((*analysed)->reachability(), nullptr);
    ASSERT_NE((*analysed)->verified(), nullptr);
    EXPECT_TRUE((*analysed)->verified()->holds());
}

// An estate past the limit is an error value with its code, not an exception: the same path a
// 60,000-class estate takes past the pair table's own limit.
TEST(Analysis, AnEstatePastTheLimitIsAnErrorValue) {
    Loaded in("zero-trust-spoke");
    auto analysed = Analysis::run(in.result.estate, in.tags, {.max_classes = 3}, in.diagnostics);
    ASSERT_FALSE(analysed);
    EXPECT_EQ(analysed.error().code, "reach-too-large");
    EXPECT_NE(analysed.error().message.find("equivalence classes"), std::string::npos);
}

TEST(Analysis, AnIntentNamingWhatTheEstateLacksIsAnErrorValue) {
    Loaded in("zero-trust-spoke");
    model::Intent intent = *in.intent;
    intent.groups.front().selectors.front().value = "no-such-subnet";
    auto analysed = Analysis::run(in.result.estate, in.tags, {.intent = &intent}, in.diagnostics);
    ASSERT_FALSE(analysed);
    EXPECT_EQ(analysed.error().code, "intent-unresolved");
    EXPECT_TRUE(in.diagnostics.has_errors()); // the diagnostics name what is missing
}

TEST(Analysis, TheAuditNeedsReachabilityAndTheRuleAnalysis) {
    Loaded in("zero-trust-spoke");
    auto analysed = Analysis::run(in.result.estate, in.tags, {.rule_analysis = false}, in.diagnostics);
    ASSERT_TRUE(analysed);
    auto audited = checks::run_audit(**analysed, {});
    ASSERT_FALSE(audited);
    EXPECT_EQ(audited.error().code, "audit-incomplete-analysis");
}

// Four audits of one analysis at once, from threads of their own (each running its checks on the
// analysis's pool): every one finds the same, as one thread alone does, and the analysis is
// exactly as it was. Under ThreadSanitizer this is also the data-race test of the checks.
TEST(Analysis, ConcurrentAuditsChangeNothingAndAgree) {
    for (const std::string name : {"legacy-spoke", "hybrid-paas-spoke"}) {
        Loaded in(name);
        ASSERT_FALSE(in.diagnostics.has_errors()) << name;
        auto analysed =
            Analysis::run(in.result.estate, in.tags, {.threads = 3, .intent = &*in.intent}, in.diagnostics);
        ASSERT_TRUE(analysed) << analysed.error().message;
        const Analysis& a = **analysed;
        const StateFingerprint before = StateFingerprint::of(a, in.diagnostics);

        checks::AuditOptions options;
        options.today = "2026-12-01";
        std::vector<std::optional<Result<checks::AuditResult>>> results(4);
        std::vector<std::thread> threads;
        for (auto& slot : results)
            threads.emplace_back([&] { slot.emplace(checks::run_audit(a, options)); });
        for (std::thread& t : threads)
            t.join();
        EXPECT_EQ(StateFingerprint::of(a, in.diagnostics), before)
            << name << ": the audit changed the analysis";

        auto alone =
            Analysis::run(in.result.estate, in.tags, {.threads = 1, .intent = &*in.intent}, in.diagnostics);
        ASSERT_TRUE(alone);
        auto one = checks::run_audit(**alone, options);
        ASSERT_TRUE(one);
        ASSERT_FALSE(one->run.findings.empty()) << name << ": the example has findings to compare";
        for (const auto& r : results) {
            ASSERT_TRUE(*r) << r->error().message;
            EXPECT_EQ(fingerprints((*r)->run), fingerprints(one->run)) << name;
            ASSERT_TRUE((*r)->matrix && one->matrix);
            EXPECT_EQ((*r)->matrix->cells.size(), one->matrix->cells.size()) << name;
        }
    }
}

// Two versions analysed together: none of the flows changes between a version and itself, and
// some do between the legacy spoke and the zero-trust one.
TEST(Comparison, FindsTheFlowsThatChangeAndNoneAgainstItself) {
    for (const std::string after_name : {"legacy-spoke", "zero-trust-spoke"}) {
        Loaded before("legacy-spoke");
        Loaded after(after_name);
        auto compared = Comparison::run(before.result.estate, after.result.estate, before.tags, {},
                                        before.diagnostics, after.diagnostics);
        ASSERT_TRUE(compared) << compared.error().message;
        EXPECT_EQ((*compared)->changes().empty(), after_name == "legacy-spoke") << after_name;
        EXPECT_TRUE((*compared)->before().reachability()->has_class_table());
        EXPECT_TRUE((*compared)->after().reachability()->has_class_table());
    }
}

} // namespace
} // namespace ztnet::analysis
