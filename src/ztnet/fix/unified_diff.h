// A unified diff (`diff -u`) between two texts, line by line: what `ztnet fix` shows beside a
// patched template, readable by people and by `patch` / `git apply`.
#pragma once

#include <string>
#include <string_view>

namespace ztnet::fix {

/// The hunks that turn `before` into `after`, with `context` unchanged lines around each change,
/// under `--- a/NAME` and `+++ b/NAME` headers; empty when the texts are equal. The edit script is a
/// shortest one (Myers' algorithm), so each hunk shows only lines that really changed.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view name,
                         int context = 3);

} // namespace ztnet::fix
