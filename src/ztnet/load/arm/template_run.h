// Internal to the template evaluator: the state one evaluate_template() call shares across the
// template and its nested deployments — diagnostics with de-duplication, the registry of declared
// resources that reference() resolves against, the work budget and the parse cache.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/load/arm/evaluator.h"
#include "ztnet/load/arm/expression.h"
#include "ztnet/load/arm/template.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load::arm {

class TemplateInstance;

/// ARM's limit on the count of one copy loop, and on the resources of one template.
inline constexpr std::int64_t kMaxCopyCount = 800;
inline constexpr std::size_t kMaxResourcesPerTemplate = 800;
/// How deeply nested deployments may nest (a template is depth 0).
inline constexpr int kMaxDeploymentDepth = 10;

/// The Unknown reason given to a value whose expression failed: its error is reported instead, so
/// it never produces an "unknown value" warning.
inline constexpr std::string_view kFailedReason = "the expression failed to evaluate (see the error)";

/// One level of copy loop around an expression: its name and the current index. Resource loops
/// answer copyIndex() without a name; property and variable loops only answer their own name.
struct CopyFrame {
    std::string name;
    std::int64_t index = 0;
    bool resource_loop = false;
};
using CopyFrames = std::vector<CopyFrame>;

/// One resource instance a template declares (a copy loop declares several).
struct Instance {
    TemplateInstance* owner = nullptr;
    const json::Value* declaration = nullptr; // the resource object in the template
    std::string pointer;                      // its JSON pointer
    CopyFrames frames;                        // the copy loops around it
    std::string symbolic_name;                // languageVersion 2.0 templates
    std::string type;                         // full type
    json::Value name;                         // full name: a string, or Unknown
    json::Value id;                           // a string, or Unknown
    bool existing = false;                    // "existing": true: referenced, not deployed
    bool condition_false = false;
    bool condition_unknown = false;
    std::string condition_reason; // why the condition is unknown
    bool deployment = false;      // Microsoft.Resources/deployments
    enum class State : std::uint8_t { Pending, Evaluating, Done } state = State::Pending;
    json::Value body; // the evaluated resource, once Done

    bool deployed() const { return !existing && !condition_false; }
};

/// Diagnostics of a run, each reported once (copy loops evaluate the same text many times).
class Reporter {
  public:
    Reporter(Diagnostics& diagnostics, FileId file, bool strict = false)
        : diagnostics_(diagnostics), file_(file), strict_(strict) {}

    FileId file() const { return file_; }
    /// A place in the template file.
    SourceLocation at(std::uint32_t offset, std::string pointer) const {
        return {file_, offset, std::move(pointer)};
    }

    void error(std::string code, std::string message, SourceLocation where);
    void warning(std::string code, std::string message, SourceLocation where);
    /// "value of <pointer> is unknown: <reason>", once per place and reason (never for kFailedReason).
    void unknown_value(const json::Unknown& unknown, std::uint32_t offset, const std::string& pointer);
    /// A failed evaluation of the JSON string `text` at `pointer`, unless already reported. The
    /// error's offset is within the string's content; the file offset assumes no escapes before it.
    void evaluation_error(const EvalError& error, const json::Value& text, const std::string& pointer);
    /// Something ARM itself refuses at deployment time (a parameter outside its constraints, a value
    /// for an undeclared parameter, a parameter left without a value): ztnet reads on, so this is a
    /// warning that says ARM would reject the deployment, or an error under --strict.
    void rejected_by_arm(std::string code, std::string message, SourceLocation where);
    /// Registers `reason` as the Unknown of a parameter without a value. The places whose value is
    /// unknown for that reason are gathered under one warning for the parameter (see finish()),
    /// instead of one warning each.
    void missing_parameter(const std::string& reason, const std::string& name, SourceLocation where);
    /// Reports what was gathered: one diagnostic per parameter without a value, naming the places
    /// that depend on it.
    void finish();

  private:
    void add(Severity severity, std::string code, std::string message, SourceLocation where);

    struct MissingParameter {
        std::string name;
        SourceLocation where;
        std::vector<std::string> dependents; // JSON pointers, in the order found
    };

    Diagnostics& diagnostics_;
    FileId file_;
    bool strict_ = false;
    std::unordered_set<std::string> seen_;
    std::vector<MissingParameter> missing_;
    std::unordered_map<std::string, std::size_t> missing_by_reason_;
};

/// The resources declared so far in the whole run, by id (case-insensitive).
class Registry {
  public:
    /// Adds an instance; the reference stays valid for the whole run.
    Instance& add(Instance instance);
    /// The instance with this id, preferring one that is deployed; nullptr when none.
    Instance* find_by_id(std::string_view id);

  private:
    std::deque<Instance> instances_;
    std::unordered_multimap<std::string, Instance*> by_id_;
};

/// Everything one evaluate_template() call shares.
class Run {
  public:
    Run(Diagnostics& diagnostics, FileId file, const TemplateOptions& options)
        : reporter_(diagnostics, file, options.strict), options_(options) {}

    Reporter& reporter() { return reporter_; }
    Registry& registry() { return registry_; }
    Budget& budget() { return budget_; }
    const TemplateOptions& options() const { return options_; }

    /// Evaluates a JSON string of the template (parsed once, however often it is evaluated).
    EvalResult evaluate_text(const json::Value& text, Context& context);

    /// Keeps a template instance alive for the whole run (reference() may evaluate its resources late).
    TemplateInstance& keep(std::unique_ptr<TemplateInstance> instance);

  private:
    Reporter reporter_;
    const TemplateOptions& options_;
    Registry registry_;
    Budget budget_;
    std::unordered_map<const json::Value*, std::variant<Node, EvalError>> parsed_;
    std::vector<std::unique_ptr<TemplateInstance>> instances_;
};

/// The Unknown a parameter given as a Key Vault reference ({"keyVault": {"id"}, "secretName"}) takes.
json::Value key_vault_value(const std::string& parameter, const json::Value& reference);

/// The JSON pointer of a member or element below `pointer`.
std::string child_pointer(const std::string& pointer, std::string_view key);
std::string child_pointer(const std::string& pointer, std::size_t index);

/// A member found ignoring case (template keywords such as "properties" are case-insensitive), with
/// the key as written so that pointers name it exactly.
struct Member {
    const json::Value* value = nullptr;
    std::string key;
    explicit operator bool() const { return value != nullptr; }
};
Member find_member_ci(const json::Value& object, std::string_view key);

} // namespace ztnet::load::arm
