// The JSON that `terraform show -json` prints for a plan or a state, read into resource instances:
// every module walked, values that are known only after apply marked unknown, the references each
// attribute's expression makes resolved to absolute addresses. Provider-neutral: what an azurerm
// type means for Azure is the translator's business, not this reader's.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/result.h"
#include "ztnet/support/source.h"

namespace ztnet::load::terraform {

/// One instance of a managed resource.
struct ResourceInstance {
    std::string address; ///< "module.spoke.azurerm_subnet.web[0]"
    std::string module;  ///< "module.spoke", or empty for the root module
    std::string type;    ///< "azurerm_subnet"
    std::string name;    ///< "web"
    json::Value index;   ///< null, a number (count) or a string (for_each)
    std::string provider;
    /// Its attributes. Those a plan knows only after apply (`after_unknown`) are json::Unknown,
    /// with the reason "known only after apply".
    json::Value values;
    /// What the plan does to it ("create", "update", "delete", "no-op", ...); empty in a state.
    std::vector<std::string> actions;
    SourceLocation where;
    /// For each top-level attribute, the resources its expression refers to, as absolute addresses
    /// without an instance key ("module.spoke.azurerm_subnet.web"); from the plan's configuration.
    /// A block attribute's blocks with a constant name also have their own ("security_rule[rdp]"),
    /// and so do their attributes ("security_rule[rdp].source_application_security_group_ids").
    std::map<std::string, std::vector<std::string>> references;
};

struct PlanDocument {
    enum class Kind : std::uint8_t { Plan, State };
    Kind kind = Kind::Plan;
    std::string format_version;
    std::string terraform_version;
    /// A plan: its planned values (what exists after apply, destroyed resources gone); a state: its
    /// resources.
    std::vector<ResourceInstance> resources;
    /// A plan: the state before it (`prior_state`); empty for a state.
    std::vector<ResourceInstance> prior;
    /// The subscription the azurerm provider is configured with (a constant subscription_id in the
    /// configuration's provider block); empty when the plan does not say.
    std::string subscription_id;
    /// Data sources are read, not deployed: their addresses, for the reader to say they were left out.
    std::vector<std::string> data_sources;
    /// The string values the plan or state marks sensitive (`after_sensitive`, `sensitive_values`):
    /// what no report may print.
    std::vector<std::string> sensitive;
};

/// Whether a JSON document is Terraform's plan or state representation (a `format_version` and a
/// `terraform_version`, and planned values or values).
bool is_terraform_json(const json::Value& root);

/// Reads the document. Errors (code `terraform-format-version`): a format version whose major is
/// not 0 or 1, which Terraform says a reader must refuse. What is malformed inside (a resource that
/// is not an object, a module without resources) is a warning (`terraform-malformed`) naming the
/// JSON pointer, and the rest is read.
Result<PlanDocument> read_plan_document(const json::Value& root, FileId file, Diagnostics& diagnostics);

} // namespace ztnet::load::terraform
