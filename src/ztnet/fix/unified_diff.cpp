#include "ztnet/fix/unified_diff.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace ztnet::fix {
namespace {

// Lines with their line break, so that a last line without one differs from the same line with one.
std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t newline = text.find('\n', at);
        std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
        lines.push_back(text.substr(at, end - at));
        at = end;
    }
    return lines;
}

enum class Op : char { Equal = ' ', Delete = '-', Insert = '+' };

using Index = std::ptrdiff_t; // signed: diagonals run from -d to d

// A shortest edit script from `a` to `b` (Myers, "An O(ND) difference algorithm", 1986). The
// furthest x reached on each diagonal is kept per step d, for diagonals -d..d only, so memory is
// O(D^2) rather than O(D * (N + M)).
std::vector<Op> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    const Index n = static_cast<Index>(a.size());
    const Index m = static_cast<Index>(b.size());
    const Index max = n + m;
    std::vector<Index> v(2 * static_cast<std::size_t>(max) + 3, 0);
    auto at = [&](Index k) -> Index& { return v[static_cast<std::size_t>(k + max + 1)]; };
    std::vector<std::vector<Index>> trace; // trace[d][k + d]: furthest x on diagonal k before step d
    Index steps = 0;
    for (Index d = 0; d <= max; ++d) {
        std::vector<Index>& saved = trace.emplace_back(2 * static_cast<std::size_t>(d) + 1);
        for (Index k = -d; k <= d; ++k)
            saved[static_cast<std::size_t>(k + d)] = at(k);
        bool done = false;
        for (Index k = -d; k <= d && !done; k += 2) {
            Index x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
            Index y = x - k;
            while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
                ++x;
                ++y;
            }
            at(k) = x;
            done = x >= n && y >= m;
        }
        if (done) {
            steps = d;
            break;
        }
    }
    std::vector<Op> ops;
    Index x = n, y = m;
    for (Index d = steps; d >= 0; --d) {
        const std::vector<Index>& before = trace[static_cast<std::size_t>(d)];
        auto prior = [&](Index k) { return before[static_cast<std::size_t>(k + d)]; };
        Index k = x - y;
        Index previous_k = (k == -d || (k != d && prior(k - 1) < prior(k + 1))) ? k + 1 : k - 1;
        Index previous_x = d == 0 ? 0 : prior(previous_k);
        Index previous_y = d == 0 ? 0 : previous_x - previous_k;
        while (x > previous_x && y > previous_y) {
            ops.push_back(Op::Equal);
            --x;
            --y;
        }
        if (d > 0)
            ops.push_back(x == previous_x ? Op::Insert : Op::Delete);
        x = previous_x;
        y = previous_y;
    }
    std::reverse(ops.begin(), ops.end());
    return ops;
}

// "start,count" of a hunk side; an empty side names the line before it, as diff does.
std::string range(std::size_t start, std::size_t count) {
    if (count == 1)
        return fmt::format("{}", start + 1);
    return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

} // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view name,
                         int context) {
    if (before == after)
        return {};
    const std::vector<std::string_view> a = split(before);
    const std::vector<std::string_view> b = split(after);
    const std::vector<Op> ops = edit_script(a, b);
    const std::size_t keep = static_cast<std::size_t>(std::max(context, 0));

    // Positions in a and b before each op.
    std::vector<std::size_t> ai(ops.size() + 1), bi(ops.size() + 1);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        ai[i + 1] = ai[i] + (ops[i] != Op::Insert ? 1 : 0);
        bi[i + 1] = bi[i] + (ops[i] != Op::Delete ? 1 : 0);
    }
    // The a/ and b/ prefixes `git apply` strips; an absolute path keeps its form below the root.
    while (name.starts_with('/'))
        name.remove_prefix(1);
    std::string out = fmt::format("--- a/{}\n+++ b/{}\n", name, name);
    std::size_t i = 0;
    while (i < ops.size()) {
        while (i < ops.size() && ops[i] == Op::Equal)
            ++i;
        if (i == ops.size())
            break;
        // A hunk: from `keep` lines before this change to `keep` lines after the last change that
        // is less than 2 * keep + 1 unchanged lines from the next.
        std::size_t first = i >= keep ? i - keep : 0;
        std::size_t last = i;
        for (std::size_t j = i; j < ops.size(); ++j) {
            if (ops[j] != Op::Equal) {
                last = j;
                continue;
            }
            if (j - last > 2 * keep)
                break;
        }
        std::size_t end = std::min(ops.size(), last + 1 + keep);
        out += fmt::format("@@ -{} +{} @@\n", range(ai[first], ai[end] - ai[first]),
                           range(bi[first], bi[end] - bi[first]));
        for (std::size_t j = first; j < end; ++j) {
            std::string_view line = ops[j] != Op::Insert ? a[ai[j]] : b[bi[j]];
            out += static_cast<char>(ops[j]);
            out += line;
            if (!line.ends_with('\n'))
                out += "\n\\ No newline at end of file\n";
        }
        i = end;
    }
    return out;
}

} // namespace ztnet::fix
