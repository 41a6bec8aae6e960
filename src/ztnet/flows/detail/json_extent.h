// Internal to the flows module: finds where JSON values end without parsing them, so that a file is
// handed to simdjson one record at a time (its index then grows with the largest record, not with
// the file) and a broken record costs only itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ztnet::flows::detail {

/// Why a value's end was not found.
enum class ExtentError : std::uint8_t {
    None,
    Truncated, ///< the text ends inside the value
    Mismatch,  ///< a closing bracket that does not close the innermost open one
    TooDeep,   ///< more nested arrays and objects than the limit (the end is still found)
    Control,   ///< a raw control character inside a string (strict scans only)
    NoValue,   ///< a comma, colon or closing bracket where a value should start
    NewLine,   ///< a line starts with '{' inside the value (strict scans only)
};

/// A value's extent [begin, end), or where and why finding it failed. `end` is set when there is
/// no error, and for TooDeep.
struct Extent {
    std::size_t end = 0;
    ExtentError error = ExtentError::None;
    std::size_t error_offset = 0;
    std::string_view why = {}; ///< the error in words, for messages

    explicit operator bool() const { return error == ExtentError::None; }
};

/// Scans JSON text at the byte level: strings are skipped 64 bytes at a time (what they hold is
/// simdjson's business), brackets are matched, nothing else is checked.
class JsonScanner {
  public:
    /// `text` must be followed by 64 readable bytes (PaddedText's padding).
    JsonScanner(std::string_view text, std::uint32_t max_depth);

    std::string_view text() const { return text_; }
    /// The first byte at or after `pos` that is not JSON whitespace (or the text's size).
    std::size_t skip_space(std::size_t pos) const;
    /// For a string whose opening quote is at `pos`: one past its closing quote, or npos.
    std::size_t string_end(std::size_t pos) const;
    /// The extent of the value that starts at `pos` (which is not whitespace). Scalars end at the
    /// next comma, bracket or whitespace.
    Extent value(std::size_t pos);
    /// Like value(), but also stops at a raw control character inside a string, which JSON forbids,
    /// and at a line that starts with '{' inside the value: a truncated line of JSON lines then fails
    /// at its own end, not somewhere in the next lines. For finding where a broken value broke.
    Extent value_strict(std::size_t pos);

  private:
    template <bool kStrict>
    Extent scan(std::size_t pos);
    template <bool kStrict>
    std::size_t string_end_checked(std::size_t pos, std::size_t& control) const;

    std::string_view text_;
    std::uint32_t max_depth_;
    std::string open_; // the brackets open at each depth, reused between scans
};

/// Walks the members of an object: each key, and where its value starts. The caller finds the
/// value's end (JsonScanner::value, or by reading it) and says so with `resume`.
class MemberCursor {
  public:
    MemberCursor(const JsonScanner& scanner, std::size_t open_brace);

    /// The next member; false at the closing brace (then end() is one past it) or on a syntax
    /// error (then failed() is true and error_offset() says where).
    bool next(std::string_view& key, std::size_t& value_pos);
    /// Continues after a member's value, which ends before `value_end`.
    void resume(std::size_t value_end) { pos_ = value_end; }

    bool failed() const { return failed_; }
    std::size_t error_offset() const { return error_offset_; }
    std::size_t end() const { return pos_; }

  private:
    bool fail(std::size_t at);

    const JsonScanner& scanner_;
    std::size_t pos_;
    bool first_ = true;
    bool failed_ = false;
    std::size_t error_offset_ = 0;
};

} // namespace ztnet::flows::detail
