#include "ztnet/flows/detail/json_extent.h"

#include <bit>
#include <cstring>

#include "ztnet/flows/detail/byte_mask.h"

namespace ztnet::flows::detail {
namespace {

constexpr bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

constexpr bool ends_scalar(char c) {
    return c == ',' || c == '}' || c == ']' || c == '{' || c == '[' || c == '"' || is_space(c);
}

} // namespace

JsonScanner::JsonScanner(std::string_view text, std::uint32_t max_depth)
    : text_(text), max_depth_(max_depth == 0 ? 1 : max_depth) {}

std::size_t JsonScanner::skip_space(std::size_t pos) const {
    while (pos < text_.size() && is_space(text_[pos]))
        ++pos;
    return pos;
}

std::size_t JsonScanner::string_end(std::size_t pos) const {
    // 64 bytes at a time while there is no backslash (tuples have none): the first quote ends it.
    std::size_t from = pos + 1;
    for (; from < text_.size(); from += 64) {
        if (byte_mask(text_.data() + from, '\\') != 0)
            break;
        const std::uint64_t quotes = byte_mask(text_.data() + from, '"');
        if (quotes != 0) {
            const std::size_t quote = from + static_cast<std::size_t>(std::countr_zero(quotes));
            return quote < text_.size() ? quote + 1 : std::string_view::npos;
        }
    }
    if (from >= text_.size())
        return std::string_view::npos;
    std::size_t control = 0;
    return string_end_checked<false>(pos, control);
}

// Quotes are found with memchr; a quote ends the string when an even number of backslashes
// precedes it. In strict mode the string is walked byte by byte to stop at a control character.
template <bool kStrict>
std::size_t JsonScanner::string_end_checked(std::size_t pos, std::size_t& control) const {
    const char* const data = text_.data();
    std::size_t from = pos + 1;
    while (from < text_.size()) {
        if constexpr (kStrict) {
            for (std::size_t i = from; i < text_.size() && text_[i] != '"'; ++i) {
                if (static_cast<unsigned char>(text_[i]) < 0x20) {
                    control = i;
                    return std::string_view::npos;
                }
            }
        }
        const void* hit = std::memchr(data + from, '"', text_.size() - from);
        if (hit == nullptr)
            return std::string_view::npos;
        const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
        std::size_t backslashes = 0;
        while (quote - backslashes > pos + 1 && data[quote - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return quote + 1;
        from = quote + 1;
    }
    return std::string_view::npos;
}

Extent JsonScanner::value(std::size_t pos) {
    return scan<false>(pos);
}

Extent JsonScanner::value_strict(std::size_t pos) {
    return scan<true>(pos);
}

// Brackets past the depth limit are counted but not matched, so that the value's end is still
// found and only the value is lost.
template <bool kStrict>
Extent JsonScanner::scan(std::size_t pos) {
    const std::size_t size = text_.size();
    open_.clear();
    std::size_t hidden = 0;
    std::size_t too_deep_at = std::string_view::npos;
    std::size_t i = pos;
    while (i < size) {
        const char c = text_[i];
        if (c == '"') {
            std::size_t control = 0;
            const std::size_t end = kStrict ? string_end_checked<true>(i, control) : string_end(i);
            if (end == std::string_view::npos) {
                if (kStrict && control != 0)
                    return {0, ExtentError::Control, control,
                            "a string holds a raw control character (a truncated line?)"};
                return {0, ExtentError::Truncated, size, "the text ends inside it"};
            }
            i = end;
        } else if (c == '{' || c == '[') {
            if (open_.size() < max_depth_) {
                open_.push_back(c == '{' ? '}' : ']');
            } else if (hidden++ == 0 && too_deep_at == std::string_view::npos) {
                too_deep_at = i;
            }
            ++i;
        } else if (c == '}' || c == ']') {
            if (hidden > 0) {
                --hidden;
            } else if (open_.empty() || open_.back() != c) {
                return {0, ExtentError::Mismatch, i, "a closing bracket does not match the one it closes"};
            } else {
                open_.pop_back();
            }
            ++i;
        } else if (kStrict && c == '\n' && i + 1 < size && text_[i + 1] == '{') {
            return {0, ExtentError::NewLine, i,
                    "a line starts a new object before this one ends (a truncated line?)"};
        } else if (open_.empty()) {
            while (i < size && !ends_scalar(text_[i])) // a number or literal at the top
                ++i;
            if (i == pos)
                return {0, ExtentError::NoValue, pos, "no value starts there"};
            return {i};
        } else {
            ++i;
        }
        if (open_.empty()) {
            if (too_deep_at != std::string_view::npos)
                return {i, ExtentError::TooDeep, too_deep_at,
                        "arrays and objects nest deeper than the limit"};
            return {i};
        }
    }
    return {0, ExtentError::Truncated, size, "the text ends inside it"};
}

MemberCursor::MemberCursor(const JsonScanner& scanner, std::size_t open_brace)
    : scanner_(scanner), pos_(open_brace + 1) {}

bool MemberCursor::fail(std::size_t at) {
    failed_ = true;
    error_offset_ = at;
    return false;
}

bool MemberCursor::next(std::string_view& key, std::size_t& value_pos) {
    const std::string_view text = scanner_.text();
    std::size_t p = scanner_.skip_space(pos_);
    if (p >= text.size())
        return fail(text.size());
    if (text[p] == '}') {
        pos_ = p + 1;
        return false;
    }
    if (!first_) {
        if (text[p] != ',')
            return fail(p);
        p = scanner_.skip_space(p + 1);
    }
    first_ = false;
    if (p >= text.size() || text[p] != '"')
        return fail(p);
    const std::size_t key_end = scanner_.string_end(p);
    if (key_end == std::string_view::npos)
        return fail(text.size());
    key = text.substr(p + 1, key_end - p - 2);
    p = scanner_.skip_space(key_end);
    if (p >= text.size() || text[p] != ':')
        return fail(p);
    value_pos = scanner_.skip_space(p + 1);
    if (value_pos >= text.size())
        return fail(value_pos);
    return true;
}

} // namespace ztnet::flows::detail
