// Reads JSON text into a json::Value tree that keeps each value's byte offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::json {

/// Explicit limits: input beyond them is rejected with an error, never read partially.
struct ReadLimits {
    std::size_t max_bytes = std::size_t{512} << 20; // 512 MiB
    std::uint32_t max_depth = 256;                   // nested arrays/objects
    /// ARM templates may contain // and /* */ comments; plain JSON may not.
    bool allow_comments = false;
};

/// Parses a whole document (RFC 8259; a UTF-8 BOM is skipped). On failure the Error's offset is the
/// byte where reading stopped and its message says what was expected there.
Result<Value> read(std::string_view text, const ReadLimits& limits = {});

struct WriteOptions {
    int indent = 2; // 0: compact, one line
};

/// Serialises a tree to JSON. Unknown values are written as the string "<unknown: reason>".
/// Doubles use the shortest form that round-trips; integers are exact.
std::string write(const Value& value, const WriteOptions& options = {});

/// The value at an RFC 6901 pointer ("" is the root), or nullptr.
const Value* at_pointer(const Value& root, std::string_view pointer);

} // namespace ztnet::json
