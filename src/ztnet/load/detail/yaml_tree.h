// Internal to the load module: YAML files (intents, suppressions) read through yaml-cpp's events
// into a small tree of our own, so that nesting depth is checked while the parser descends (not
// after it has recursed), aliases never expand, and every node keeps its byte offset for
// diagnostics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load::detail {

struct YamlNode {
    enum class Kind : std::uint8_t { Null, Scalar, Sequence, Map };
    Kind kind = Kind::Null;
    std::uint32_t offset = 0;
    std::string text;               // scalars only
    std::vector<YamlNode> children; // sequence items; for a map: key, value, key, value, ...
};

/// What kind of file is read, for diagnostic codes and messages.
struct YamlFileKind {
    std::string_view code_prefix; // "intent": codes "intent-alias", "intent-too-deep", ...
    std::string_view noun;        // "intent file"
    std::string_view plural;      // "intent files"
    std::string_view empty_hint;  // "expected at least 'version: 1'"
};

/// UTF-8 only: a UTF-16/32 byte-order mark or a NUL byte is an error.
bool check_encoding(std::string_view text, FileId file, Diagnostics& diagnostics, const YamlFileKind& kind);

/// Parses one YAML document into a tree; nullopt (with a diagnostic) on a syntax error, a second
/// document, an alias, or nesting deeper than `max_depth`.
std::optional<YamlNode> parse_yaml(std::string_view text, FileId file, Diagnostics& diagnostics,
                                   int max_depth, const YamlFileKind& kind);

/// The prologue every YAML reader shares: the size limit, the encoding, one document parsed within
/// `max_depth`; nullopt (with the diagnostics) when any fails.
std::optional<YamlNode> read_yaml_document(std::string_view text, FileId file, Diagnostics& diagnostics,
                                           std::size_t max_bytes, int max_depth, const YamlFileKind& kind);

/// Reads a file into `sources`, refusing it (with a diagnostic) when larger than `max_bytes`.
std::optional<FileId> read_limited_file(const std::string& path, SourceSet& sources, Diagnostics& diagnostics,
                                        std::size_t max_bytes);

} // namespace ztnet::load::detail
