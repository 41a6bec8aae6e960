// The JSON reader: a hand-written parser with an explicit stack (no recursion, so no input depth can
// overflow the machine stack), chosen over simdjson because every value and every syntax error needs
// its exact byte offset for file:line:col diagnostics.
#include "ztnet/json/reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <iterator>
#include <numeric>
#include <string>
#include <system_error>
#include <utility>

#include "ztnet/json/detail/utf8.h"
#include "ztnet/support/ascii.h"

namespace ztnet::json {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
// Offsets are 32-bit and kNoOffset is reserved, so no byte may sit at offset 0xFFFFFFFF.
constexpr std::size_t kMaxAddressableBytes = std::size_t{0xFFFFFFFF};
// Objects up to this size are checked for duplicate keys pairwise, larger ones by sorting.
constexpr std::size_t kPairwiseDuplicateCheck = 16;

std::string describe_size(std::size_t bytes) {
    if (bytes >= kMiB && bytes % kMiB == 0)
        return std::to_string(bytes / kMiB) + " MiB";
    if (bytes >= kMiB) {
        // One decimal, rounded down, so that a size just over a limit never reads as the limit.
        const std::size_t tenths = bytes * 10 / kMiB;
        return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB (" +
               std::to_string(bytes) + " bytes)";
    }
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

// A limit as an adjective: "512 MiB", "1000-byte".
std::string describe_limit(std::size_t bytes) {
    if (bytes >= kMiB && bytes % kMiB == 0)
        return std::to_string(bytes / kMiB) + " MiB";
    return std::to_string(bytes) + "-byte";
}

using ascii::hex_value;
using ascii::is_digit;

// Four hex digits at `s` (the caller checked they exist), or -1.
int read_hex4(const char* s) {
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hex_value(s[i]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        const char bytes[] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(bytes, 2);
    } else if (cp < 0x10000) {
        const char bytes[] = {static_cast<char>(0xE0 | (cp >> 12)),
                              static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                              static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(bytes, 3);
    } else {
        const char bytes[] = {
            static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(bytes, 4);
    }
}

// Bytes that end the plain run of a string: the closing quote, a backslash, a control character
// (which must be escaped) and any non-ASCII byte (which must be checked as UTF-8).
constexpr std::array<bool, 256> kStringSpecial = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < 256; ++c)
        table[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    return table;
}();

// The first special byte (see kStringSpecial) in [s, end), or end. Eight bytes at a time where the
// machine is little-endian: a byte-wise test per character is the reader's hottest loop.
const char* find_string_special(const char* s, const char* end) {
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ull;
        constexpr std::uint64_t kHighs = 0x8080808080808080ull;
        while (end - s >= 8) {
            std::uint64_t word;
            std::memcpy(&word, s, 8);
            const std::uint64_t quote = word ^ (kOnes * '"');
            const std::uint64_t backslash = word ^ (kOnes * '\\');
            // Each test sets a byte's high bit for a match; a borrow can only set spurious bits above
            // a true match, so the lowest set bit is exact.
            const std::uint64_t hits = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                       ((word - kOnes * 0x20) & ~word) | word;
            const std::uint64_t special = hits & kHighs;
            if (special != 0)
                return s + std::countr_zero(special) / 8;
            s += 8;
        }
    }
    while (s != end && !kStringSpecial[static_cast<unsigned char>(*s)])
        ++s;
    return s;
}

class Parser {
  public:
    Parser(std::string_view text, const ReadLimits& limits, std::vector<Error>* warnings)
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), limits_(limits),
          warnings_(warnings) {}

    Result<Value> run();

  private:
    // An open array or object. Its elements (or members) so far sit at the top of values_ (members_)
    // from `start`; the finished container goes into `slot`, an index into its parent's stack.
    struct Frame {
        std::size_t start;
        std::size_t slot;
        std::uint32_t offset;
        bool is_object;
    };

    std::uint32_t offset_of(const char* where) const { return static_cast<std::uint32_t>(where - begin_); }

    bool fail_at(const char* where, std::string message) {
        error_ = Error{std::move(message), offset_of(where)};
        return false;
    }

    bool skip_whitespace() {
        while (p_ != end_) {
            const char c = *p_;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                ++p_;
            } else if (c == '/') {
                if (!skip_comment())
                    return false;
            } else {
                break;
            }
        }
        return true;
    }

    bool skip_comment();
    bool parse_string(std::string& out);
    bool parse_number(Value& target);
    bool parse_scalar(Value& target);
    bool begin_container();
    bool begin_member(bool after_comma);
    void close_container();
    void resolve_duplicate_keys(std::size_t start, std::size_t count);
    void warn_at(std::uint32_t offset, std::string message);

    const char* begin_;
    const char* p_;
    const char* end_;
    const ReadLimits& limits_;
    std::vector<Error>* warnings_;
    Error error_;

    Value root_;
    std::vector<Frame> frames_;
    std::vector<Value> values_;
    std::vector<Object::Member> members_;
    std::vector<std::uint32_t> key_offsets_; // parallel to members_
    std::vector<bool> removed_;              // scratch for resolve_duplicate_keys
};

bool Parser::skip_comment() {
    const char* start = p_;
    if (!limits_.allow_comments)
        return fail_at(start, "comments are not allowed in plain JSON");
    if (end_ - p_ < 2 || (p_[1] != '/' && p_[1] != '*'))
        return fail_at(start, "expected '//' or '/*' to start a comment");
    const bool line = p_[1] == '/';
    p_ += 2;
    while (p_ != end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c >= 0x80) {
            const std::size_t length = detail::utf8_sequence_length(
                reinterpret_cast<const unsigned char*>(p_), reinterpret_cast<const unsigned char*>(end_));
            if (length == 0)
                return fail_at(p_, "invalid UTF-8 in a comment");
            p_ += length;
            continue;
        }
        if (line && c == '\n') {
            ++p_;
            return true;
        }
        if (!line && c == '*' && end_ - p_ >= 2 && p_[1] == '/') {
            p_ += 2;
            return true;
        }
        ++p_;
    }
    if (line)
        return true; // a line comment may end the input
    return fail_at(start, "unterminated block comment");
}

// p_ is at the opening quote; on success it is just past the closing one.
bool Parser::parse_string(std::string& out) {
    const char* open = p_;
    const char* run = p_ + 1;
    const char* s = run;
    // Fast path: no escapes, so the string is one slice of the input.
    for (;;) {
        s = find_string_special(s, end_);
        if (s == end_)
            return fail_at(open, "unterminated string");
        if (*s == '"') {
            out.assign(run, s);
            p_ = s + 1;
            return true;
        }
        if (static_cast<unsigned char>(*s) < 0x80)
            break;
        const std::size_t length = detail::utf8_sequence_length(reinterpret_cast<const unsigned char*>(s),
                                                                reinterpret_cast<const unsigned char*>(end_));
        if (length == 0)
            return fail_at(s, "invalid UTF-8 in a string");
        s += length;
    }
    out.assign(run, s);
    for (;;) {
        const auto c = static_cast<unsigned char>(*s);
        if (c == '"') {
            p_ = s + 1;
            return true;
        }
        if (c == '\\') {
            if (end_ - s < 2)
                return fail_at(open, "unterminated string");
            switch (s[1]) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                const int unit = end_ - s >= 6 ? read_hex4(s + 2) : -1;
                if (unit < 0)
                    return fail_at(s, "invalid escape in string: '\\u' must be followed by four hex digits");
                auto code_point = static_cast<std::uint32_t>(unit);
                if (code_point >= 0xDC00 && code_point <= 0xDFFF)
                    return fail_at(s, "unpaired surrogate '" + std::string(s, 6) + "' in string");
                if (code_point >= 0xD800 && code_point <= 0xDBFF) {
                    const int low = end_ - s >= 12 && s[6] == '\\' && s[7] == 'u' ? read_hex4(s + 8) : -1;
                    if (low < 0xDC00 || low > 0xDFFF)
                        return fail_at(s, "unpaired surrogate '" + std::string(s, 6) + "' in string");
                    code_point =
                        0x10000 + ((code_point - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
                    s += 6;
                }
                append_utf8(out, code_point);
                s += 4;
                break;
            }
            default: {
                const char escaped = s[1];
                if (escaped > ' ' && escaped < 0x7F)
                    return fail_at(s, std::string("invalid escape '\\") + escaped + "' in string");
                return fail_at(s, "invalid escape in string: '\\' must be followed by one of \"\\/bfnrtu");
            }
            }
            s += 2;
        } else if (c < 0x20 && limits_.allow_control_characters) {
            out.push_back(static_cast<char>(c));
            ++s;
        } else if (c < 0x20) {
            static constexpr char kHex[] = "0123456789ABCDEF";
            return fail_at(s, std::string("unescaped control character U+00") + kHex[c >> 4] + kHex[c & 0xF] +
                                  " in string");
        } else if (c >= 0x80) {
            const std::size_t length = detail::utf8_sequence_length(
                reinterpret_cast<const unsigned char*>(s), reinterpret_cast<const unsigned char*>(end_));
            if (length == 0)
                return fail_at(s, "invalid UTF-8 in a string");
            out.append(s, length);
            s += length;
        }
        const char* plain = find_string_special(s, end_);
        out.append(s, plain);
        s = plain;
        if (s == end_)
            return fail_at(open, "unterminated string");
    }
}

// p_ is at '-' or a digit.
bool Parser::parse_number(Value& target) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative)
        ++p_;
    if (p_ == end_ || !is_digit(*p_))
        return fail_at(p_, "expected a digit after '-'");
    const char* integer_digits = p_;
    std::uint64_t magnitude = 0;
    if (*p_ == '0') {
        ++p_;
        if (p_ != end_ && is_digit(*p_))
            return fail_at(integer_digits, "leading zeros are not allowed in numbers");
    } else {
        while (p_ != end_ && is_digit(*p_)) {
            magnitude =
                magnitude * 10 + static_cast<std::uint64_t>(*p_ - '0'); // wraps harmlessly past 19 digits
            ++p_;
        }
    }
    const auto digit_count = static_cast<std::size_t>(p_ - integer_digits);
    bool integral = true;
    if (p_ != end_ && *p_ == '.') {
        ++p_;
        if (p_ == end_ || !is_digit(*p_))
            return fail_at(p_, "expected a digit after the decimal point");
        while (p_ != end_ && is_digit(*p_))
            ++p_;
        integral = false;
    }
    const char* exponent_start = nullptr;
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
        ++p_;
        if (p_ != end_ && (*p_ == '+' || *p_ == '-'))
            ++p_;
        if (p_ == end_ || !is_digit(*p_))
            return fail_at(p_, "expected a digit in the exponent");
        exponent_start = p_;
        while (p_ != end_ && is_digit(*p_))
            ++p_;
        integral = false;
    }

    if (integral) {
        if (digit_count <= 18) {
            const auto value = static_cast<std::int64_t>(magnitude);
            target = Value(negative ? -value : value);
            return true;
        }
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(start, p_, value);
        if (ec == std::errc() && end == p_) {
            target = Value(value);
            return true;
        }
        // Too big for int64: read as a double below.
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(start, p_, value);
    if (ec == std::errc::result_out_of_range) {
        // Out of range is overflow or underflow: decide from the decimal exponent of the first
        // significant digit. Underflow reads as zero; overflow has no JSON-writable double.
        long long exponent = 0;
        if (exponent_start != nullptr) {
            for (const char* e = exponent_start; e != p_ && exponent < 100000000; ++e)
                exponent = exponent * 10 + (*e - '0');
            if (exponent_start[-1] == '-')
                exponent = -exponent;
        }
        long long position = -1; // decimal exponent of the first nonzero digit
        long long digit_index = 0;
        for (const char* d = integer_digits; d != p_ && *d != 'e' && *d != 'E'; ++d) {
            if (*d == '.')
                continue;
            if (*d != '0') {
                position = static_cast<long long>(digit_count) - 1 - digit_index;
                break;
            }
            ++digit_index;
        }
        if (position + exponent < 0) {
            target = Value(negative ? -0.0 : 0.0);
            return true;
        }
        return fail_at(start, "number is out of the range of a double");
    }
    if (ec != std::errc() || end != p_)
        return fail_at(start, "invalid number"); // not expected: the grammar was checked above
    target = Value(value);
    return true;
}

// A string, number or literal at p_, into target.
bool Parser::parse_scalar(Value& target) {
    const char* start = p_;
    switch (*p_) {
    case '"': {
        std::string text;
        if (!parse_string(text))
            return false;
        target = Value(std::move(text));
        break;
    }
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        if (!parse_number(target))
            return false;
        break;
    case 't':
        if (end_ - p_ < 4 || std::memcmp(p_, "true", 4) != 0)
            return fail_at(p_, "expected a value");
        target = Value(true);
        p_ += 4;
        break;
    case 'f':
        if (end_ - p_ < 5 || std::memcmp(p_, "false", 5) != 0)
            return fail_at(p_, "expected a value");
        target = Value(false);
        p_ += 5;
        break;
    case 'n':
        if (end_ - p_ < 4 || std::memcmp(p_, "null", 4) != 0)
            return fail_at(p_, "expected a value");
        target = Value();
        p_ += 4;
        break;
    case '\'':
        return fail_at(p_, "expected a value (JSON strings use double quotes)");
    default:
        return fail_at(p_, "expected a value");
    }
    target.set_offset(offset_of(start));
    return true;
}

// p_ is at '[' or '{'. Opens a frame whose finished container goes where the current value goes.
bool Parser::begin_container() {
    if (frames_.size() >= limits_.max_depth)
        return fail_at(p_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    std::size_t slot = 0;
    if (!frames_.empty())
        slot = frames_.back().is_object ? members_.size() - 1 : values_.size() - 1;
    const bool is_object = *p_ == '{';
    frames_.push_back(Frame{is_object ? members_.size() : values_.size(), slot, offset_of(p_), is_object});
    ++p_;
    return true;
}

// p_ is where a member's key should start. Reads `"key" :` and opens the member.
bool Parser::begin_member(bool after_comma) {
    if (p_ == end_ || *p_ != '"') {
        if (after_comma && p_ != end_ && *p_ == '}')
            return fail_at(p_, "expected a string key after ',' (trailing commas are not allowed)");
        if (p_ != end_ && *p_ == '\'')
            return fail_at(p_, "expected a string key (JSON strings use double quotes)");
        return fail_at(p_, "expected a string key");
    }
    key_offsets_.push_back(offset_of(p_));
    Object::Member& member = members_.emplace_back();
    if (!parse_string(member.first))
        return false;
    if (!skip_whitespace())
        return false;
    if (p_ == end_ || *p_ != ':')
        return fail_at(p_, "expected ':' after an object key");
    ++p_;
    return skip_whitespace();
}

void Parser::close_container() {
    const Frame frame = frames_.back();
    frames_.pop_back();
    Value finished;
    if (frame.is_object) {
        const std::size_t count = members_.size() - frame.start;
        resolve_duplicate_keys(frame.start, count);
        Object object;
        auto& members = object.members();
        const auto first = members_.begin() + static_cast<std::ptrdiff_t>(frame.start);
        if (removed_.empty()) {
            members.assign(std::make_move_iterator(first), std::make_move_iterator(members_.end()));
        } else {
            members.reserve(count);
            for (std::size_t i = 0; i < count; ++i) {
                if (!removed_[i])
                    members.push_back(std::move(first[static_cast<std::ptrdiff_t>(i)]));
            }
            removed_.clear();
        }
        members_.erase(first, members_.end());
        key_offsets_.resize(frame.start);
        finished = Value(std::move(object));
    } else {
        const auto first = values_.begin() + static_cast<std::ptrdiff_t>(frame.start);
        Array array(std::make_move_iterator(first), std::make_move_iterator(values_.end()));
        values_.erase(first, values_.end());
        finished = Value(std::move(array));
    }
    finished.set_offset(frame.offset);
    if (frames_.empty())
        root_ = std::move(finished);
    else if (frames_.back().is_object)
        members_[frame.slot].second = std::move(finished);
    else
        values_[frame.slot] = std::move(finished);
}

// Finds keys repeated among members_[start, start + count). The last value wins, in the place of the
// first occurrence (as Object::set would do); later occurrences are marked in removed_.
void Parser::resolve_duplicate_keys(std::size_t start, std::size_t count) {
    if (count < 2)
        return;
    const Object::Member* members = members_.data() + start;
    if (count <= kPairwiseDuplicateCheck) {
        bool found = false;
        for (std::size_t i = 1; i < count && !found; ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (members[i].first == members[j].first) {
                    found = true;
                    break;
                }
            }
        }
        if (!found)
            return;
    }
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return members[x].first < members[y].first; });
    for (std::size_t i = 0; i < count;) {
        std::size_t j = i + 1;
        while (j < count && members[order[j]].first == members[order[i]].first)
            ++j;
        if (j - i > 1) {
            if (removed_.empty())
                removed_.assign(count, false);
            members_[start + order[i]].second = std::move(members_[start + order[j - 1]].second);
            for (std::size_t k = i + 1; k < j; ++k) {
                removed_[order[k]] = true;
                if (warnings_ != nullptr) {
                    warn_at(key_offsets_[start + order[k]],
                            "duplicate key " + write(Value(members[order[k]].first), WriteOptions{0}) +
                                " in an object; the last value is kept");
                }
            }
        }
        i = j;
    }
}

void Parser::warn_at(std::uint32_t offset, std::string message) {
    warnings_->push_back(Error{std::move(message), offset});
}

Result<Value> Parser::run() {
    const auto size = static_cast<std::size_t>(end_ - begin_);
    if (size > limits_.max_bytes) {
        return fail("input is " + describe_size(size) + ", over the " + describe_limit(limits_.max_bytes) +
                        " limit",
                    0);
    }
    if (size >= kMaxAddressableBytes)
        return fail("input is " + describe_size(size) + ", over the 4 GiB that byte offsets can address", 0);
    if (size >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
        p_ += 3;

    frames_.reserve(std::min<std::size_t>(limits_.max_depth, 64));
    values_.reserve(256);
    members_.reserve(256);
    key_offsets_.reserve(256);
    const std::size_t first_warning = warnings_ != nullptr ? warnings_->size() : 0;

    Value* target = &root_;
    if (!skip_whitespace())
        return error_;
    for (;;) {
        // A value must start at p_; it goes into *target.
        if (p_ == end_)
            return fail("expected a value", offset_of(p_));
        const char c = *p_;
        if (c == '[' || c == '{') {
            if (!begin_container() || !skip_whitespace())
                return error_;
            if (p_ != end_ && *p_ == (c == '{' ? '}' : ']')) {
                ++p_;
                close_container();
            } else if (c == '{') {
                if (!begin_member(false))
                    return error_;
                target = &members_.back().second;
                continue;
            } else {
                target = &values_.emplace_back();
                continue;
            }
        } else if (!parse_scalar(*target)) {
            return error_;
        }

        // A value is complete: close every container it completes, until the next value is due.
        for (;;) {
            if (!skip_whitespace())
                return error_;
            if (frames_.empty()) {
                if (p_ != end_)
                    return fail("unexpected content after the document", offset_of(p_));
                if (warnings_ != nullptr) {
                    std::stable_sort(warnings_->begin() + static_cast<std::ptrdiff_t>(first_warning),
                                     warnings_->end(),
                                     [](const Error& a, const Error& b) { return a.offset < b.offset; });
                }
                return std::move(root_);
            }
            const bool in_object = frames_.back().is_object;
            if (p_ != end_ && *p_ == ',') {
                ++p_;
                if (!skip_whitespace())
                    return error_;
                if (limits_.allow_trailing_commas && p_ != end_ && *p_ == (in_object ? '}' : ']')) {
                    ++p_;
                    close_container();
                    continue;
                }
                if (in_object) {
                    if (!begin_member(true))
                        return error_;
                    target = &members_.back().second;
                } else {
                    if (p_ != end_ && *p_ == ']')
                        return fail("expected a value after ',' (trailing commas are not allowed)",
                                    offset_of(p_));
                    target = &values_.emplace_back();
                }
                break;
            }
            if (p_ != end_ && *p_ == (in_object ? '}' : ']')) {
                ++p_;
                close_container();
                continue;
            }
            return fail(in_object ? "expected ',' or '}' after an object member"
                                  : "expected ',' or ']' after an array element",
                        offset_of(p_));
        }
    }
}

} // namespace

Result<Value> read(std::string_view text, const ReadLimits& limits, std::vector<Error>* warnings) {
    Parser parser(text, limits, warnings);
    return parser.run();
}

} // namespace ztnet::json
