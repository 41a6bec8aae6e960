// Internal to the template evaluator: one template being evaluated (the deployed template, or the
// inline template of a nested deployment) with its parameters, variables, user-defined functions
// and resources; the Context its expressions see; and the walker that evaluates JSON subtrees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/load/arm/evaluator.h"
#include "ztnet/load/arm/template_run.h"
#include "ztnet/load/raw_resource.h"

namespace ztnet::load::arm {

/// A value given for a parameter from outside the template: the parameters file, or a nested
/// deployment's "parameters".
struct ParameterInput {
    std::string name;
    json::Value value;    // Unknown for a Key Vault reference
    SourceLocation where; // where the value is written
};

/// The arguments of a user-defined function call, by parameter name.
using FunctionArguments = std::vector<std::pair<std::string, json::Value>>;

/// How a template is set up: where it sits, which deployment it sees, where its values come from.
struct TemplateSetup {
    const json::Value* root = nullptr;
    std::string pointer; // "" for the deployed template, ".../properties/template" for nested ones
    /// What resourceGroup(), resourceId()… return in its expressions.
    ScopeInfo expression_scope;
    /// Where its resources are deployed (differs from expression_scope for outer-scope nested templates).
    ScopeInfo target_scope;
    /// Set for nested templates with outer scope: their parameters, variables and functions are this one's.
    TemplateInstance* outer = nullptr;
    /// The copy loops around an outer-scope nested deployment, visible to copyIndex() inside it.
    CopyFrames outer_frames;
    int depth = 0;
    std::vector<ParameterInput> inputs;
    std::vector<std::pair<std::string, std::string>> overrides;
};

class TemplateInstance;

/// The Context of one expression: its template, the copy loops around it, where it stands, and
/// (for a user-defined function's body) the function's arguments.
class ExpressionContext final : public Context {
  public:
    ExpressionContext(TemplateInstance& instance, Site site, CopyFrames frames,
                      const Instance* resource = nullptr);

    EvalResult parameter(std::string_view name) override;
    EvalResult variable(std::string_view name) override;
    EvalResult copy_index(std::string_view loop) override;
    EvalResult user_function(std::string_view name_space, std::string_view name,
                             Arguments arguments) override;
    ReferenceLookup reference(std::string_view target) override;
    const ScopeInfo& scope() const override;
    Site site() const override { return site_; }
    Budget& budget() override;

    TemplateInstance& instance() { return instance_; }
    CopyFrames& frames() { return frames_; }
    /// Makes this the context of a user-defined function's body: parameters() reads `arguments`,
    /// and variables, copy loops and other user-defined functions are out of reach.
    void set_function_arguments(const FunctionArguments* arguments) { function_arguments_ = arguments; }

  private:
    TemplateInstance& instance_;
    Site site_;
    CopyFrames frames_;
    const Instance* resource_;
    const FunctionArguments* function_arguments_ = nullptr;
};

/// Evaluates a JSON subtree of a template: expression strings are evaluated, "[[" escapes undone
/// and (where ARM does it) property "copy" arrays expanded. Errors are reported and leave the value
/// Unknown(kFailedReason); with `warn_unknown`, every value left Unknown gets one warning.
class TreeEvaluator {
  public:
    struct Options {
        bool warn_unknown = false;
        bool property_copy = false;
    };

    TreeEvaluator(ExpressionContext& context, Options options) : context_(context), options_(options) {}

    json::Value evaluate(const json::Value& node, const std::string& pointer);
    /// Evaluates one JSON string (an expression or a literal).
    json::Value evaluate_string(const json::Value& text, const std::string& pointer);
    /// True when any error was reported (here or in a variable an expression used).
    bool failed() const { return failed_; }

  private:
    json::Value evaluate_object(const json::Value& node, const std::string& pointer);
    void expand_property_copy(const json::Value& copies, const std::string& pointer, json::Object& out);

    ExpressionContext& context_;
    Options options_;
    bool failed_ = false;
};

/// One template under evaluation.
class TemplateInstance {
  public:
    TemplateInstance(Run& run, TemplateSetup setup);

    /// Binds parameters, evaluates variables, declares and evaluates resources, expands nested
    /// deployments; appends the resources deployed to `out`.
    void run(std::vector<RawResource>& out);

    Run& run_state() { return run_; }
    Reporter& reporter() { return run_.reporter(); }
    const ScopeInfo& expression_scope() const { return setup_.expression_scope; }
    const ScopeInfo& target_scope() const { return setup_.target_scope; }
    const CopyFrames& outer_frames() const { return setup_.outer_frames; }

    // What ExpressionContext asks (template_parameters.cpp, template_variables.cpp, template_functions.cpp).
    EvalResult parameter(std::string_view name);
    EvalResult variable(std::string_view name);
    EvalResult user_function(std::string_view name_space, std::string_view name, Arguments arguments);
    ReferenceLookup reference(std::string_view target, const Instance* from);

    /// The evaluated count of a copy loop (0…800). Without a count the loop can't be expanded: the
    /// problem is reported, as an error or (for an unknown count) a warning.
    struct CopyCount {
        std::optional<std::int64_t> count;
        bool error = false;
        std::string unknown; // why the count is unknown, when it is
    };
    CopyCount copy_count(const json::Value& copy, const std::string& pointer, ExpressionContext& context);

    /// The evaluated body of a declared resource, evaluating it now if need be; nullptr while it is
    /// itself being evaluated (a reference cycle).
    const json::Value* body(Instance& instance);
    bool give_placeholder_id(const Instance& instance, json::Value& body);

  private:
    // template_parameters.cpp
    void check_inputs();
    void resolve_all_parameters();
    EvalResult resolve_parameter(const std::string& key, const json::Value& declaration);
    std::optional<json::Value> parameter_value(const std::string& key, const json::Value& declaration,
                                               SourceLocation& where);
    /// The value to use for a parameter: coerced to the declared type where ARM's meaning is clear
    /// (Unknown when not), after ARM's checks on it (allowed values, ranges), which warn.
    json::Value checked_parameter(const std::string& key, const json::Value& declaration, json::Value value,
                                  const SourceLocation& where);

    // template_variables.cpp
    void resolve_all_variables();
    EvalResult resolve_variable(const std::string& key, const json::Value& value, const std::string& pointer,
                                bool copy_entry);
    EvalResult evaluate_variable(const std::string& key, const json::Value& value,
                                 const std::string& pointer);
    EvalResult resolve_variable_copy(const json::Value& copy, const std::string& pointer);

    // template_resources.cpp
    struct Parent {
        std::string type;
        json::Value name;
        CopyFrames frames;
    };
    void declare_resources();
    void declare(const json::Value& declaration, const std::string& pointer, const Parent* parent,
                 const std::string& symbolic_name);
    void declare_instance(const json::Value& declaration, const std::string& pointer, CopyFrames frames,
                          const Parent* parent, const std::string& symbolic_name);
    struct Identity {
        std::string type; // full type
        json::Value name; // full name
        json::Value id;
    };
    Identity identify(const std::string& type, const json::Value& name, const json::Value* scope,
                      const json::Value& declaration, const std::string& pointer);
    std::optional<std::string> explicit_scope(const json::Value& scope, const SourceLocation& where);
    void emit_resources(std::vector<RawResource>& out);
    Instance* find_by_name(std::string_view name, bool& ambiguous);
    const json::Value* find_inline_child(std::string_view id, std::string& label);

    // template_deployments.cpp
    void expand_deployment(Instance& deployment, std::vector<RawResource>& out);
    std::optional<ScopeInfo> nested_target(Instance& deployment, const json::Value& nested_template);
    std::vector<ParameterInput> nested_inputs(Instance& deployment, const Member& parameters,
                                              const std::string& pointer);

    struct Lazy {
        enum class State : std::uint8_t { Resolving, Done, Failed } state = State::Resolving;
        json::Value value;
    };
    /// What an earlier visit to the lazy value `key` of `table` already decided: its value, its
    /// failure, or a cycle (`what` is "parameter" or "variable"); nullopt when it is not yet visited.
    std::optional<EvalResult> settled(const std::unordered_map<std::string, Lazy>& table,
                                      const std::string& lower, const std::string& key,
                                      std::string_view what) const;

    Run& run_;
    TemplateSetup setup_;
    std::unordered_map<std::string, Lazy> parameters_; // by lower-case name
    std::unordered_map<std::string, Lazy> variables_;
    std::vector<std::string> resolving_; // variables and parameters being resolved, for cycle messages
    std::vector<Instance*> instances_;   // this template's resources, in declaration order
    std::size_t declared_count_ = 0;
    bool resource_limit_reported_ = false;
};

} // namespace ztnet::load::arm
