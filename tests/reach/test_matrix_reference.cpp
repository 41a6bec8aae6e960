// The reachability matrix against a reference that follows its definition pair by pair: a cell is
// the union, over every pair of distinct endpoints of its row and column groups, of what the pair
// may send; its example is the first pair of classes (row classes, then column classes, each
// ascending) that allows something. Generated estates, grouped by subnet and by ASG (where one
// class sits in several groups).
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/policy/nsg_policy.h"
#include "ztnet/reach/matrix.h"
#include "ztnet/reach/reachability.h"

#include "testkit/sample_tags.h"
#include "testkit/synthetic_estate.h"

namespace ztnet::reach {
namespace {

struct Expected {
    PairReach reach;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> example;
};

// A group's endpoints by class, ascending, at most two per class (as the matrix keeps them).
std::map<std::uint32_t, std::vector<std::uint32_t>> by_class(const Reachability& reach,
                                                             const MatrixGroup& g) {
    std::map<std::uint32_t, std::vector<std::uint32_t>> out;
    for (std::uint32_t e : g.endpoints) {
        auto& members = out[reach.endpoints().endpoints[e].equivalence_class];
        if (members.size() < 2)
            members.push_back(e);
    }
    return out;
}

Expected reference_cell(Reachability& reach, const MatrixGroup& row, const MatrixGroup& column) {
    Expected out;
    for (std::uint32_t a : row.endpoints) {
        for (std::uint32_t b : column.endpoints) {
            if (a == b)
                continue;
            const PairReach& r = reach.between(a, b);
            out.reach.allowed = out.reach.allowed.unite(r.allowed);
            out.reach.undecidable = out.reach.undecidable.unite(r.undecidable);
        }
    }
    // The first distinct pair of two classes' members stands for the pair of classes.
    auto distinct =
        [](const std::vector<std::uint32_t>& from,
           const std::vector<std::uint32_t>& to) -> std::optional<std::pair<std::uint32_t, std::uint32_t>> {
        for (std::uint32_t x : from) {
            for (std::uint32_t y : to) {
                if (x != y)
                    return std::pair{x, y};
            }
        }
        return std::nullopt;
    };
    const auto columns = by_class(reach, column);
    for (const auto& [from_class, from] : by_class(reach, row)) {
        for (const auto& [to_class, to] : columns) {
            const auto pair = distinct(from, to);
            if (pair && !reach.between(pair->first, pair->second).allowed.empty()) {
                out.example = pair;
                return out;
            }
        }
    }
    return out;
}

TEST(MatrixReference, CellsAndExamplesFollowTheDefinition) {
    for (std::uint64_t seed : {41u, 42u}) {
        const policy::ServiceTags tags = testkit::sample_service_tags();
        SourceSet sources;
        Diagnostics diagnostics;
        const model::Estate estate =
            testkit::load_export_text(testkit::generate_estate(testkit::medium(seed)).to_json(),
                                      "synthetic.json", sources, diagnostics)
                .estate;
        policy::PolicyEngine engine(estate, tags, diagnostics);
        Reachability reach(engine, diagnostics);
        ASSERT_TRUE(reach.class_table()); // the matrix reads the pairs from it
        for (Grouping by : {Grouping::Subnet, Grouping::Asg}) {
            auto matrix = reach_matrix(reach, by);
            ASSERT_TRUE(matrix) << matrix.error().message;
            std::map<std::pair<std::uint32_t, std::uint32_t>, const MatrixCell*> cells;
            for (const MatrixCell& cell : matrix->cells)
                cells[{cell.from, cell.to}] = &cell;
            std::size_t non_empty = 0;
            for (std::uint32_t r = 0; r < matrix->groups.size(); ++r) {
                for (std::uint32_t c = 0; c < matrix->groups.size(); ++c) {
                    const Expected expected = reference_cell(reach, matrix->groups[r], matrix->groups[c]);
                    auto it = cells.find({r, c});
                    const bool listed = it != cells.end();
                    ASSERT_EQ(listed, !expected.reach.allowed.empty() || !expected.reach.undecidable.empty())
                        << "seed " << seed << " cell " << r << "," << c;
                    if (!listed)
                        continue;
                    ++non_empty;
                    EXPECT_EQ(it->second->allowed, expected.reach.allowed) << "seed " << seed;
                    EXPECT_EQ(it->second->undecidable, expected.reach.undecidable) << "seed " << seed;
                    if (expected.example) {
                        EXPECT_EQ(it->second->example_from, expected.example->first) << "seed " << seed;
                        EXPECT_EQ(it->second->example_to, expected.example->second) << "seed " << seed;
                    }
                }
            }
            EXPECT_GT(non_empty, matrix->groups.size()) << "the estate must open enough cells to test";
        }
    }
}

} // namespace
} // namespace ztnet::reach
