// Secrets in templates: which values must never be printed, and where a template or its parameters
// file exposes one (a secure parameter with a literal default or a plain-text value, a password
// written as a literal, a secure value copied into a property that is not secret).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/load/raw_resource.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/source.h"

namespace ztnet::load {

struct TemplateSecrets {
    std::vector<std::string> values;
    std::vector<model::SecretExposure> exposures;
};

/// What one template says about secrets. `parameters` is its parameters file's root (or null),
/// `overrides` the --param values, `resources` what the template deploys (evaluated).
TemplateSecrets find_template_secrets(const SourceSet& sources, FileId template_file, const json::Value& root,
                                      FileId parameters_file, const json::Value* parameters,
                                      const std::vector<std::pair<std::string, std::string>>& overrides,
                                      const std::vector<RawResource>& resources);

/// The values in secret places of resources read from an export (Azure rarely returns them, but a
/// hand-made export may hold them): kept out of every output like a template's.
std::vector<std::string> secret_values_in(const SourceSet& sources,
                                          const std::vector<RawResource>& resources);

/// Whether a property (its name, or a name on the way to it) is one Azure treats as a secret:
/// passwords, keys, tokens, connection strings, custom data, protected settings.
bool is_secret_property(std::string_view name);

} // namespace ztnet::load
