#include "ztnet/load/coverage.h"

#include <algorithm>

#include <fmt/format.h>

#include "ztnet/model/resource_id.h"

namespace ztnet::load {
namespace {

std::string subscription_scope(const std::string& subscription) {
    return "/subscriptions/" + subscription;
}

void add(std::vector<model::CoveredScope>& out, std::string scope, model::CoveredScope::Basis basis,
         const std::string& source) {
    const bool known = std::any_of(out.begin(), out.end(), [&](const model::CoveredScope& c) {
        return c.basis == basis && model::same_id(c.scope, scope);
    });
    if (!known)
        out.push_back({std::move(scope), basis, source});
}

} // namespace

CoverageInputs::Manifest read_manifest_scopes(const json::Value& root, FileId file, const std::string& name,
                                              Diagnostics& diagnostics) {
    CoverageInputs::Manifest out;
    out.file = name;
    const json::Value* scopes = root.find("scopes");
    if (!scopes || scopes->is_null())
        return out;
    auto wrong = [&](const json::Value& at, const std::string& pointer, const std::string& expected) {
        diagnostics.error("manifest-shape",
                          fmt::format("an export manifest's {} must be {}", pointer, expected),
                          SourceLocation{file, at.offset(), pointer});
    };
    if (!scopes->is_object()) {
        wrong(*scopes, "/scopes", "an object with \"subscriptions\" and \"managementGroup\"");
        return out;
    }
    if (const json::Value* subscriptions = scopes->find("subscriptions");
        subscriptions && !subscriptions->is_null()) {
        if (!subscriptions->is_array()) {
            wrong(*subscriptions, "/scopes/subscriptions", "an array of subscription ids");
            return out;
        }
        for (const json::Value& s : subscriptions->as_array()) {
            if (!s.is_string()) {
                wrong(s, "/scopes/subscriptions", "an array of subscription ids");
                return out;
            }
            const std::string parsed = model::parse_resource_id(s.as_string()).subscription;
            out.subscriptions.push_back(parsed.empty() ? s.as_string() : parsed);
        }
    }
    if (const json::Value* group = scopes->find("managementGroup"); group && !group->is_null()) {
        if (!group->is_string()) {
            wrong(*group, "/scopes/managementGroup", "a management group name");
            return out;
        }
        out.management_group = group->as_string();
    }
    return out;
}

std::vector<model::CoveredScope> covered_scopes(const CoverageInputs& inputs) {
    using Basis = model::CoveredScope::Basis;
    std::vector<model::CoveredScope> out;
    // A manifest that names no scope was written beside the exports it describes: their
    // subscriptions were collected whole. One under a management group covers every subscription
    // the exports hold, which the management group's collection reached.
    for (const CoverageInputs::Manifest& manifest : inputs.manifests) {
        for (const std::string& subscription : manifest.subscriptions)
            add(out, subscription_scope(subscription), Basis::Collected, manifest.file);
        if (!manifest.management_group.empty())
            add(out, "/providers/Microsoft.Management/managementGroups/" + manifest.management_group,
                Basis::Collected, manifest.file);
        if (manifest.subscriptions.empty())
            for (const CoverageInputs::Export& e : inputs.exports)
                for (const std::string& subscription : e.subscriptions)
                    add(out, subscription_scope(subscription), Basis::Collected, manifest.file);
    }
    for (const CoverageInputs::Export& e : inputs.exports)
        for (const std::string& subscription : e.subscriptions) {
            const std::string scope = subscription_scope(subscription);
            const bool collected = std::any_of(out.begin(), out.end(), [&](const model::CoveredScope& c) {
                return c.basis == Basis::Collected && model::same_id(c.scope, scope);
            });
            if (!collected)
                add(out, scope, Basis::Seen, e.file);
        }
    for (const CoverageInputs::Template& t : inputs.templates)
        add(out, subscription_scope(t.subscription) + "/resourceGroups/" + t.resource_group,
            Basis::Deployment, t.file);
    return out;
}

std::string collected_scope_of(const std::vector<model::CoveredScope>& scopes, const std::string& id) {
    const std::string subscription = model::parse_resource_id(id).subscription;
    if (subscription.empty())
        return {};
    const std::string scope = subscription_scope(subscription);
    for (const model::CoveredScope& c : scopes)
        if (c.basis == model::CoveredScope::Basis::Collected && model::same_id(c.scope, scope))
            return c.scope;
    return {};
}

} // namespace ztnet::load
