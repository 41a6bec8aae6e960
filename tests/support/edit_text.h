// Text edits the tests make to a resource file: one replacement after an anchor, failing loudly
// when either is missing (a silent no-op would let a test pass on the unedited input).
#pragma once

#include <stdexcept>
#include <string>

namespace ztnet::testing {

/// Replaces the first `from` after the first `anchor` (a resource's name, or any unique text
/// before the place to edit); throws when either is not found.
inline std::string edited_after(std::string text, const std::string& anchor, const std::string& from,
                                const std::string& to) {
    const std::size_t start = text.find(anchor);
    if (start == std::string::npos)
        throw std::runtime_error("no " + anchor);
    const std::size_t at = text.find(from, start);
    if (at == std::string::npos)
        throw std::runtime_error("not found after " + anchor + ": " + from);
    return text.replace(at, from.size(), to);
}

} // namespace ztnet::testing
