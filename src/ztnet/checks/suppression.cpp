#include "ztnet/checks/suppression.h"

#include "ztnet/support/ascii.h"

namespace ztnet::checks {

// Iterative, so that no pattern backtracks exponentially.
bool glob_matches(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && ascii::to_lower(pattern[p]) == ascii::to_lower(text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool suppression_matches(const Suppression& s, std::string_view check_id, std::string_view resource_id,
                         std::string_view resource_name) {
    if (s.check_id != "*" && !glob_matches(s.check_id, check_id))
        return false;
    return glob_matches(s.resource, resource_id) || glob_matches(s.resource, resource_name);
}

bool suppression_expired(const Suppression& s, std::string_view today) {
    return !s.expires.empty() && s.expires < today;
}

} // namespace ztnet::checks
