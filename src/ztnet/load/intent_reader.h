// The intent reader: a *.ztnet.yaml file (docs/intent.md) to a model::Intent. It checks the syntax
// and everything that can be checked without an estate (known keys, types, unique and defined
// group names, protocols, ports, prefixes); resolving the selectors is the verifier's work.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "ztnet/model/intent.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

/// Explicit limits, so no input can make the reader use unbounded time, memory or stack.
struct IntentLimits {
    /// A larger file is rejected before it is parsed.
    std::size_t max_bytes = std::size_t{4} << 20;
    /// Deepest nesting of YAML collections; checked while parsing, before the parser recurses further.
    int max_depth = 64;
    /// Most groups, flows (application and platform together), or entries of any one list.
    std::size_t max_items = 100000;
};

/// Reads the intent held in `sources` under `file`. Every problem becomes a diagnostic carrying
/// `file`, the byte offset and the JSON pointer of the offending value; nullopt when any is an
/// error. Warnings (a group no flow uses) leave the intent usable. Never throws.
[[nodiscard]] std::optional<model::Intent>
read_intent(const SourceSet& sources, FileId file, Diagnostics& diagnostics, const IntentLimits& limits = {});

/// Reads the file at `path` into `sources` (registered under that name) and then as read_intent()
/// does. A missing, unreadable or too large file is a diagnostic.
[[nodiscard]] std::optional<model::Intent> read_intent_file(const std::string& path, SourceSet& sources,
                                                            Diagnostics& diagnostics,
                                                            const IntentLimits& limits = {});

} // namespace ztnet::load
