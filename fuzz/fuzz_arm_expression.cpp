// Fuzz target for ARM template expressions: the input (wrapped in brackets when it is not already an
// expression) must parse or be rejected with an offset inside it; what parses must print back to a
// form that parses to the same tree, and must evaluate, with no template around it, to a value or
// an error without crashing or running away (the work budget bounds it).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/load/arm/evaluator.h"
#include "ztnet/load/arm/expression.h"

using namespace ztnet::load::arm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (!is_expression(text))
        text = "[" + text + "]";
    auto parsed = parse_expression(text);
    if (!parsed.ok()) {
        if (parsed.error().offset > text.size() || parsed.error().message.empty())
            std::abort();
        return 0;
    }
    // Printing and parsing again gives the same tree (compared through its printed form), unless
    // the canonical spacing pushes the text over the length limit.
    const std::string printed = to_string(*parsed);
    if (printed.size() + 2 <= kMaxExpressionLength) {
        auto again = parse_expression("[" + printed + "]");
        if (!again.ok() || to_string(*again) != printed)
            std::abort();
    }

    EmptyContext context(ScopeInfo{}, Budget(2'000'000));
    auto value = evaluate(*parsed, context);
    if (!value.ok() && (value.error().code.empty() || value.error().offset > text.size()))
        std::abort();
    return 0;
}
