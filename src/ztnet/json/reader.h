// Reads JSON text into a json::Value tree that keeps each value's byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::json {

/// Explicit limits: input beyond them is rejected with an error, never read partially.
struct ReadLimits {
    std::size_t max_bytes = std::size_t{512} << 20; // 512 MiB
    /// Nested arrays/objects. The reader itself uses no recursion, but destroying, comparing and
    /// writing a tree recurse once per level, so keep this modest.
    std::uint32_t max_depth = 256;
    /// ARM templates may contain // and /* */ comments; plain JSON may not.
    bool allow_comments = false;
    /// ARM's reader also accepts a comma before a closing bracket ("[1, 2,]"); plain JSON does not.
    bool allow_trailing_commas = false;
    /// ARM's reader (Newtonsoft) also takes raw control characters (a line break, a tab) inside a
    /// string as themselves; plain JSON requires them escaped.
    bool allow_control_characters = false;
};

/// Parses a whole document (RFC 8259; a UTF-8 BOM is skipped). On failure the Error's offset is the
/// byte where reading stopped and its message says what was expected there (for an unterminated
/// string or block comment: where it began). Non-fatal findings (a duplicate object key: the last
/// value is kept, in the first key's place) are appended to `warnings`, sorted by offset, when given.
/// Every Value gets the byte offset of its first character (offsets count the BOM, if any).
/// Inputs of 4 GiB or more are rejected whatever the limits, as offsets are 32-bit.
Result<Value> read(std::string_view text, const ReadLimits& limits = {},
                   std::vector<Error>* warnings = nullptr);

struct WriteOptions {
    int indent = 2; // 0: compact, one line
};

/// Serialises a tree to JSON, deterministically: members in stored order, no trailing newline.
/// Unknown values are written as the string "<unknown: reason>". Doubles use the shortest form that
/// round-trips, with ".0" added when it would otherwise read back as an integer; a NaN or infinity
/// (only computed values can hold one) is written as null. Bytes of a string that are not valid
/// UTF-8 are written as U+FFFD, so the output is always valid JSON.
std::string write(const Value& value, const WriteOptions& options = {});

/// The value at an RFC 6901 pointer ("" is the root), or nullptr (also for a malformed pointer, an
/// array index with leading zeros, or "-").
const Value* at_pointer(const Value& root, std::string_view pointer);

} // namespace ztnet::json
