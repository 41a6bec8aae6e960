// The unified diff: applying its hunks to the old text gives the new one, and it changes no more
// lines than a shortest edit script must (checked against the LCS by dynamic programming).
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "ztnet/fix/unified_diff.h"

namespace ztnet::fix {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        end = end == std::string::npos ? text.size() : end + 1;
        out.push_back(text.substr(at, end - at));
        at = end;
    }
    return out;
}

// Applies a unified diff the way patch does, checking every context and removed line; counts the
// lines it removes and adds.
std::string apply(const std::string& before, const std::string& diff, std::size_t& changed) {
    const std::vector<std::string> old_lines = lines_of(before);
    const std::vector<std::string> patch = lines_of(diff);
    std::string out;
    std::size_t next = 0; // first old line not yet copied
    changed = 0;
    for (std::size_t i = 2; i < patch.size(); ++i) {
        const std::string& line = patch[i];
        if (line.starts_with("@@")) {
            std::size_t start = std::stoul(line.substr(4));
            std::size_t count_at = line.find(',');
            bool empty = count_at != std::string::npos && count_at < line.find('+') &&
                         std::stoul(line.substr(count_at + 1)) == 0;
            std::size_t first = empty ? start : start - 1;
            EXPECT_GE(first, next);
            for (; next < first; ++next)
                out += old_lines[next];
            continue;
        }
        std::string body = line.substr(1);
        if (i + 1 < patch.size() && patch[i + 1].starts_with("\\ No newline")) {
            body.pop_back();
            ++i;
        }
        if (line[0] == '+') {
            out += body;
            ++changed;
            continue;
        }
        EXPECT_LT(next, old_lines.size());
        EXPECT_EQ(old_lines[next], body);
        if (line[0] == '-')
            ++changed;
        else
            out += body;
        ++next;
    }
    for (; next < old_lines.size(); ++next)
        out += old_lines[next];
    return out;
}

std::size_t lcs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j)
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t[a.size()][b.size()];
}

TEST(UnifiedDiff, WritesHunksWithContext) {
    const std::string before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
    const std::string after = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\n";
    EXPECT_EQ(unified_diff(before, after, "/abs/t.json", 1), "--- a/abs/t.json\n+++ b/abs/t.json\n"
                                                             "@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n"
                                                             "@@ -10 +10,2 @@\n j\n+k\n");
    EXPECT_EQ(unified_diff(before, before, "t"), "");
}

TEST(UnifiedDiff, SaysWhenTheLastLineHasNoBreak) {
    const std::string diff = unified_diff("x\ny", "x\ny\n", "t");
    EXPECT_NE(diff.find("-y\n\\ No newline at end of file\n+y\n"), std::string::npos) << diff;
}

TEST(UnifiedDiff, AppliesBackAndIsShortest) {
    std::mt19937 rng(7);
    for (int round = 0; round < 500; ++round) {
        auto random_text = [&] {
            std::string text;
            for (std::uint32_t n = rng() % 30; n > 0; --n)
                text += std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
            if (rng() % 5 == 0 && !text.empty())
                text.pop_back();
            return text;
        };
        const std::string before = random_text();
        const std::string after = random_text();
        const int context = static_cast<int>(rng() % 4);
        const std::string diff = unified_diff(before, after, "t", context);
        if (before == after) {
            EXPECT_TRUE(diff.empty());
            continue;
        }
        std::size_t changed = 0;
        EXPECT_EQ(apply(before, diff, changed), after) << diff;
        const auto a = lines_of(before), b = lines_of(after);
        EXPECT_EQ(changed, a.size() + b.size() - 2 * lcs(a, b)) << diff;
    }
}

} // namespace
} // namespace ztnet::fix
