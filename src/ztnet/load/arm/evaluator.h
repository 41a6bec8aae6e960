// Evaluation of ARM expressions in a context. The context-free functions come from functions.h; the
// ones that need the deployment (parameters, variables, copyIndex, resourceId, resourceGroup,
// reference, …) are answered here with the help of a Context that the template evaluator provides.
// Values that cannot be known offline come back as json::Unknown with the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ztnet/json/value.h"
#include "ztnet/load/arm/expression.h"
#include "ztnet/load/arm/functions.h"

namespace ztnet::load::arm {

/// Why an evaluation failed. Unlike ztnet::Error it carries a diagnostic code, because the template
/// evaluator reports each kind of failure under its own stable code.
struct EvalError {
    std::string code; // e.g. "arm-unknown-function"
    std::string message;
    /// Byte offset in the expression string (0 is its opening '[').
    std::uint32_t offset = 0;
    /// Already turned into a diagnostic where it arose (in a variable the expression uses, say):
    /// the caller fails too but must not report it again.
    bool reported = false;
};

/// A value or an EvalError (Result<T> with a coded error).
class [[nodiscard]] EvalResult {
  public:
    EvalResult(json::Value value) : state_(std::in_place_index<0>, std::move(value)) {}
    EvalResult(EvalError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    json::Value& value() & { return std::get<0>(state_); }
    const json::Value& value() const& { return std::get<0>(state_); }
    json::Value&& value() && { return std::get<0>(std::move(state_)); }
    json::Value& operator*() & { return value(); }
    const EvalError& error() const { return std::get<1>(state_); }
    EvalError& error() { return std::get<1>(state_); }

  private:
    std::variant<json::Value, EvalError> state_;
};

/// Shorthand: `return eval_fail("arm-expression-error", "…", node.offset);`
EvalError eval_fail(std::string code, std::string message, std::uint32_t offset = 0);

/// The level a template (or a nested deployment) is deployed at.
enum class ScopeLevel : std::uint8_t { ResourceGroup, Subscription };

/// What resourceGroup(), subscription(), tenant(), deployment() and the resource id functions see.
struct ScopeInfo {
    ScopeLevel level = ScopeLevel::ResourceGroup;
    std::string tenant_id = "00000000-0000-0000-0000-000000000000";
    std::string subscription_id = "00000000-0000-0000-0000-000000000000";
    std::string resource_group = "ztnet-rg"; // empty at subscription level
    /// The resource group's location (resource-group level) or the deployment's location
    /// (subscription level). Unknown when a nested deployment targets a group we know nothing of.
    json::Value location = "westeurope";
    std::string deployment_name = "ztnet";
    /// Set when the target subscription or resource group itself is unknown (an unknown parameter
    /// names it): then every id and scope object built from it is Unknown with this reason.
    std::string unknown_reason;
    /// The template being evaluated, for deployment().properties.template; may be null.
    const json::Value* template_root = nullptr;
};

/// Where in a template an expression stands: ARM allows some functions only in some places.
enum class Site : std::uint8_t {
    Anywhere,           // no template around it (tests, fuzzing): every function is allowed
    ParameterDefault,   // utcNow() and newGuid() allowed; variables(), reference() and list*() not
    Variable,           // no reference() or list*()
    ResourceHeader,     // a resource's name, location, condition, copy count, scope…: no reference()
    ResourceProperties, // a resource's properties: everything but utcNow() and newGuid()
};

/// A work budget shared by one whole evaluation, so that no template (however crafted) can make
/// the evaluator run or allocate without bound. Each node costs one unit, each value produced its
/// size. It also bounds how deeply evaluations nest (expressions within variables within
/// expressions…), which keeps the recursion off the end of the stack.
class Budget {
  public:
    static constexpr std::uint64_t kDefault = 50'000'000;
    static constexpr std::uint32_t kMaxDepth = 500;
    /// Stack the nested evaluations may use below the point where the budget was made. Counting
    /// levels alone is not enough: a level's frames are several times larger under sanitizers.
    static constexpr std::uintptr_t kMaxStackBytes = std::uintptr_t{6} << 20;
    explicit Budget(std::uint64_t units = kDefault)
        : remaining_(units), stack_base_(reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0))) {}
    /// False (and the budget exhausted for good) when `units` exceed what is left.
    bool spend(std::uint64_t units) {
        if (units > remaining_) {
            remaining_ = 0;
            return false;
        }
        remaining_ -= units;
        return true;
    }
    bool exhausted() const { return remaining_ == 0; }
    /// Enters one level of nested evaluation; false (and nothing entered) when that is too deep.
    bool enter() {
        const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        if (depth_ >= kMaxDepth || (stack_base_ > here && stack_base_ - here > kMaxStackBytes))
            return false;
        ++depth_;
        return true;
    }
    void leave() { --depth_; }

  private:
    std::uint64_t remaining_;
    std::uint32_t depth_ = 0;
    std::uintptr_t stack_base_ = 0;
};

/// What reference() finds for a resource id or name.
struct ReferenceLookup {
    /// The resource's evaluated declaration (its whole body) when this deployment declares it.
    const json::Value* declared = nullptr;
    /// How to name the resource in reasons ("resource '/subscriptions/…/vnet1'").
    std::string label;
    /// When nothing is declared: why its state is unknown offline.
    std::string unknown_reason;
    std::optional<EvalError> error;
};

/// The deployment around an expression. The template evaluator implements it; EmptyContext is
/// the context of an expression with no template (every lookup fails).
class Context {
  public:
    virtual ~Context() = default;
    /// parameters(name): the parameter's value (names compare case-insensitively).
    virtual EvalResult parameter(std::string_view name) = 0;
    /// variables(name): the variable's value.
    virtual EvalResult variable(std::string_view name) = 0;
    /// copyIndex(): the index of the named copy loop, or (empty name) of the resource's own loop.
    virtual EvalResult copy_index(std::string_view loop) = 0;
    /// namespace.name(arguments): a user-defined function of the template.
    virtual EvalResult user_function(std::string_view name_space, std::string_view name,
                                     Arguments arguments) = 0;
    /// The resource that reference() names by id or by name.
    virtual ReferenceLookup reference(std::string_view target) = 0;
    virtual const ScopeInfo& scope() const = 0;
    virtual Site site() const = 0;
    virtual Budget& budget() = 0;
};

/// A context with no template: no parameters, variables or loops, the default deployment scope.
class EmptyContext final : public Context {
  public:
    explicit EmptyContext(ScopeInfo scope = {}, Budget budget = Budget())
        : scope_(std::move(scope)), budget_(budget) {}
    EvalResult parameter(std::string_view name) override;
    EvalResult variable(std::string_view name) override;
    EvalResult copy_index(std::string_view loop) override;
    EvalResult user_function(std::string_view name_space, std::string_view name,
                             Arguments arguments) override;
    ReferenceLookup reference(std::string_view target) override;
    const ScopeInfo& scope() const override { return scope_; }
    Site site() const override { return Site::Anywhere; }
    Budget& budget() override { return budget_; }

  private:
    ScopeInfo scope_;
    Budget budget_;
};

/// Evaluates a parsed expression. Failures carry the offset of the node that failed.
EvalResult evaluate(const Node& expression, Context& context);

/// Evaluates one template string value: an expression is parsed and evaluated, any other string
/// is its literal value ("[[" undone). Parse errors come back with code "arm-expression-syntax"
/// (or "arm-expression-limit" for ARM's size limits) and the offset in `text`.
EvalResult evaluate_string(std::string_view text, Context& context);

/// A rough size of a value (nodes plus string bytes), what copying it costs: charged to the budget.
std::uint64_t value_weight(const json::Value& value);

/// The first Unknown inside a value (depth first), or nullptr.
const json::Unknown* first_unknown(const json::Value& value);

} // namespace ztnet::load::arm
