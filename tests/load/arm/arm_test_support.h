// Helpers shared by the ARM template tests: load a template (and parameters file) from text, find
// resources by id, and look at the diagnostics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/arm/template.h"

namespace ztnet::load::arm::testing {

inline constexpr const char* kRg =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ztnet-rg";
inline constexpr const char* kSub = "/subscriptions/00000000-0000-0000-0000-000000000000";

struct Loaded {
    json::Value root;
    json::Value parameters;
    std::vector<RawResource> resources;
    Diagnostics diagnostics;

    const json::Value* resource(std::string_view id) const {
        for (const auto& resource : resources) {
            const json::Value* resource_id = resource.body.find("id");
            if (resource_id != nullptr && resource_id->is_string() && resource_id->as_string() == id)
                return &resource.body;
        }
        return nullptr;
    }
    std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (const auto& resource : resources) {
            const json::Value* id = resource.body.find("id");
            out.push_back(id != nullptr && id->is_string() ? id->as_string() : json::write(*id, {0}));
        }
        return out;
    }
    std::size_t count(std::string_view code) const {
        std::size_t n = 0;
        for (const auto& diagnostic : diagnostics.all())
            n += diagnostic.code == code ? 1 : 0;
        return n;
    }
    const Diagnostic* first(std::string_view code) const {
        for (const auto& diagnostic : diagnostics.all())
            if (diagnostic.code == code)
                return &diagnostic;
        return nullptr;
    }
    /// Every diagnostic, one per line, for failure messages.
    std::string report() const {
        std::string out;
        for (const auto& d : diagnostics.all())
            out += std::string(to_string(d.severity)) + " [" + d.code + "] " + d.where.pointer + ": " +
                   d.message + "\n";
        return out;
    }
};

/// Evaluates `template_text` (comments allowed) with an optional parameters file and options.
inline Loaded load(std::string_view template_text, TemplateOptions options = {},
                   std::string_view parameters_text = {}) {
    Loaded loaded;
    json::ReadLimits limits;
    limits.allow_comments = true;
    limits.allow_trailing_commas = true;
    auto root = json::read(template_text, limits);
    EXPECT_TRUE(root.ok()) << (root.ok() ? "" : root.error().message);
    if (!root.ok())
        return loaded;
    loaded.root = std::move(*root);
    if (!parameters_text.empty()) {
        auto parameters = json::read(parameters_text, limits);
        EXPECT_TRUE(parameters.ok()) << (parameters.ok() ? "" : parameters.error().message);
        if (parameters.ok()) {
            loaded.parameters = std::move(*parameters);
            options.parameters = &loaded.parameters;
            options.parameters_file = 1;
        }
    }
    loaded.resources = evaluate_template(loaded.root, 0, options, loaded.diagnostics);
    return loaded;
}

/// A resource-group template around the given "parameters", "variables" and "resources" JSON.
inline std::string rg_template(std::string_view parameters, std::string_view variables,
                               std::string_view resources) {
    return std::string(
               R"({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                           "contentVersion": "1.0.0.0", "parameters": )") +
           std::string(parameters) + ", \"variables\": " + std::string(variables) +
           ", \"resources\": " + std::string(resources) + "}";
}

/// A template whose one resource (a resource group level "Test/things") has properties.value set to
/// `expression`, preceded by the given parameters and variables: for testing functions in context.
inline std::string value_template(std::string_view expression, std::string_view parameters = "{}",
                                  std::string_view variables = "{}") {
    std::string resource = R"([{"type": "Test.Provider/things", "apiVersion": "2020-01-01", "name": "t",
                                "properties": {"value": )" +
                           std::string(expression) + "}}]";
    return rg_template(parameters, variables, resource);
}

/// The evaluated properties.value of value_template()'s resource.
inline json::Value value_of(const Loaded& loaded) {
    if (loaded.resources.size() != 1)
        return json::Value::unknown("no resource");
    const json::Value* properties = loaded.resources[0].body.find("properties");
    const json::Value* value = properties != nullptr ? properties->find("value") : nullptr;
    return value != nullptr ? *value : json::Value::unknown("no value");
}

/// Parses JSON text for expected values.
inline json::Value parse(std::string_view text) {
    auto value = json::read(text);
    EXPECT_TRUE(value.ok()) << text;
    return value.ok() ? std::move(*value) : json::Value();
}

} // namespace ztnet::load::arm::testing
