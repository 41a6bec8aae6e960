// Virtual Network Manager's security admin rules on generated estates: a rule collection of random
// Allow, AlwaysAllow and Deny rules applied to some of the VNets (and, in every third estate, to a
// group Azure Policy may add any VNet to). The fast path evaluates the rules as two NSG-like lists;
// the reference replays path tracing flow by flow, where the admin rules are read one by one. They
// must agree exactly on every pair, and the admin rules must change answers in both directions.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/reachability.h"

#include "testkit/synthetic_estate.h"
#include "tests/reach/agrees_with_reference.h"

namespace ztnet::reach {
namespace {

struct Loaded {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult result;
};

std::unique_ptr<Loaded> load(const testkit::SyntheticEstate& estate) {
    auto out = std::make_unique<Loaded>();
    out->result =
        testkit::load_export_text(estate.to_json(), "synthetic.json", out->sources, out->diagnostics);
    return out;
}

TEST(AdminReach, AdminRulesAgreeWithPathTracing) {
    policy::ServiceTags tags;
    std::size_t pairs = 0;
    std::size_t closed = 0; // pairs an admin rule took services from
    std::size_t opened = 0; // pairs an admin rule gave services to
    std::size_t doubtful = 0;
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        const testkit::SyntheticEstate plain = testkit::generate_estate(testkit::small(seed));
        testkit::SyntheticEstate governed = plain;
        testkit::Random random(seed * 31 + 7);
        const std::string rules =
            testkit::add_admin_rules(governed, random.between(2, 8), seed % 3 == 0, random);
        auto with = load(governed);
        auto without = load(plain);
        ASSERT_EQ(with->diagnostics.error_count(), 0u) << "seed " << seed;
        policy::PolicyEngine engine(with->result.estate, tags, with->diagnostics);
        Reachability fast(engine, with->diagnostics);
        ReferenceReach reference(engine);
        policy::PolicyEngine plain_engine(without->result.estate, tags, without->diagnostics);
        Reachability before(plain_engine, without->diagnostics);
        const auto& endpoints = fast.endpoints().endpoints;
        // The admin rules' prefixes may cut the Internet into more pieces: match endpoints by name.
        std::map<std::string, std::uint32_t> was_index;
        for (std::uint32_t i = 0; i < before.endpoints().endpoints.size(); ++i)
            was_index.emplace(before.endpoints().endpoints[i].name, i);
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                ++pairs;
                const PairReach& got = fast.between(a, b);
                ASSERT_TRUE(testing::agrees_with_reference(got, reference.between(endpoints[a], endpoints[b]),
                                                           "seed " + std::to_string(seed) + " (" + rules +
                                                               ") " + endpoints[a].name + " -> " +
                                                               endpoints[b].name));
                auto was_a = was_index.find(endpoints[a].name);
                auto was_b = was_index.find(endpoints[b].name);
                if (was_a == was_index.end() || was_b == was_index.end())
                    continue;
                const PairReach& was = before.between(was_a->second, was_b->second);
                closed += !was.allowed.subtract(got.allowed).empty() ? 1 : 0;
                opened += !got.allowed.subtract(was.allowed).empty() ? 1 : 0;
                doubtful += got.undecidable.subtract(was.undecidable).empty() ? 0 : 1;
            }
        }
    }
    EXPECT_GT(pairs, 1000u);
    EXPECT_GT(closed, 0u) << "no admin rule denied anything";
    EXPECT_GT(opened, 0u) << "no AlwaysAllow rule allowed anything";
    EXPECT_GT(doubtful, 0u) << "no group with unknown members made anything undecidable";
}

} // namespace
} // namespace ztnet::reach
