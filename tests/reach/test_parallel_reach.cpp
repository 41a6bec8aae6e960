// compute_all() with several threads: every pair's result equals the one computed lazily, one pair
// at a time, by a single evaluator; on generated estates with a firewall, load balancers, IPv6 and
// enough classes for every thread to take rows.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/support/parallel.h"

#include "testkit/synthetic_estate.h"

namespace ztnet::reach {
namespace {

using testkit::load_generated;

TEST(ParallelReach, EveryThreadCountGivesTheLazyAnswer) {
    for (std::uint64_t seed : {11u, 12u, 13u}) {
        auto loaded = load_generated(testkit::medium(seed));
        ASSERT_EQ(loaded->diagnostics.error_count(), 0u);
        policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
        Reachability lazy(engine, loaded->diagnostics);
        const std::size_t n = lazy.endpoints().endpoints.size();
        ASSERT_GT(lazy.endpoints().class_count, 64u) << "too few classes to share rows out";
        for (unsigned threads : {1u, 2u, 5u}) {
            ThreadPool pool(threads); // as many threads as asked for, whatever the machine has
            ThreadPool::Scope scope(pool);
            Reachability eager(engine, loaded->diagnostics);
            eager.compute_all(threads);
            EXPECT_EQ(eager.stats().threads, threads);
            EXPECT_EQ(eager.stats().class_pairs_computed,
                      std::size_t{eager.stats().classes} * eager.stats().classes);
            for (std::uint32_t a = 0; a < n; ++a) {
                for (std::uint32_t b = 0; b < n; ++b)
                    ASSERT_EQ(eager.between(a, b), lazy.between(a, b))
                        << "seed " << seed << ", " << threads << " threads, "
                        << lazy.endpoints().endpoints[a].name << " -> " << lazy.endpoints().endpoints[b].name;
            }
        }
    }
}

// Pairs asked before compute_all() keep their results; the rest are filled in around them.
TEST(ParallelReach, ComputeAllAfterSomePairsFillsTheRest) {
    auto loaded = load_generated(testkit::medium(21));
    policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
    Reachability lazy(engine, loaded->diagnostics);
    Reachability mixed(engine, loaded->diagnostics);
    const auto n = static_cast<std::uint32_t>(lazy.endpoints().endpoints.size());
    for (std::uint32_t a = 0; a < n; a += 3) {
        for (std::uint32_t b = 1; b < n; b += 7)
            ASSERT_EQ(mixed.between(a, b), lazy.between(a, b));
    }
    const std::size_t before = mixed.stats().class_pairs_computed;
    ASSERT_GT(before, 0u);
    mixed.compute_all(2);
    EXPECT_EQ(mixed.stats().class_pairs_computed, std::size_t{mixed.stats().classes} * mixed.stats().classes);
    for (std::uint32_t a = 0; a < n; ++a) {
        for (std::uint32_t b = 0; b < n; ++b)
            ASSERT_EQ(mixed.between(a, b), lazy.between(a, b)) << a << " -> " << b;
    }
}

// The class table lists exactly the set indices its pairs hold (the checks derive what they need
// from those alone, on several threads), whether a pair was computed on its own or by a thread.
TEST(ParallelReach, ClassTableListsExactlyTheSetsPairsHold) {
    auto loaded = load_generated(testkit::medium(31));
    policy::PolicyEngine engine(loaded->estate, loaded->tags, loaded->diagnostics);
    Reachability reach(engine, loaded->diagnostics);
    const auto n = static_cast<std::uint32_t>(reach.endpoints().endpoints.size());
    for (std::uint32_t a = 0; a < n; a += 5)
        reach.between(a, (a * 7) % n);
    auto table = reach.class_table(2);
    ASSERT_TRUE(table);
    std::set<std::uint32_t> held;
    for (std::uint32_t a = 0; a < (*table)->classes(); ++a) {
        for (std::uint32_t b = 0; b < (*table)->classes(); ++b) {
            held.insert((*table)->at(a, b).allowed);
            held.insert((*table)->at(a, b).undecidable);
        }
    }
    const std::vector<std::uint32_t>& listed = (*table)->result_sets();
    EXPECT_TRUE(std::is_sorted(listed.begin(), listed.end()));
    EXPECT_EQ(std::set<std::uint32_t>(listed.begin(), listed.end()), held);
    EXPECT_LT(listed.size(), (*table)->set_count()); // the steps of the computation are left out
}

} // namespace
} // namespace ztnet::reach
