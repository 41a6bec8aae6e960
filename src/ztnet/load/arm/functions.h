// The context-free ARM template functions (string, array, object, logical, comparison, numeric,
// CIDR, hashing). Functions that need the deployment (parameters, variables, copyIndex, resourceId,
// reference, if, …) live in the evaluator, which calls these for everything else.
#pragma once

#include <span>
#include <string_view>

#include "ztnet/json/value.h"
#include "ztnet/support/result.h"

namespace ztnet::load::arm {

using Arguments = std::span<const json::Value>;

/// A pure template function. The Error's message says what was expected ("length() expects an
/// array, object or string, got integer"); the caller adds the place. A result may be Unknown when
/// an argument holds Unknown values that decide it.
using PureFunction = Result<json::Value> (*)(Arguments arguments);

/// The function with this name (case-insensitive, as ARM names are), or nullptr.
PureFunction find_pure_function(std::string_view name);

/// Equality as ARM's equals() defines it (strings case-sensitive, deep for arrays and objects,
/// an integer equals a double of the same value). Exposed for the evaluator and for tests.
bool template_equals(const json::Value& a, const json::Value& b);

} // namespace ztnet::load::arm
