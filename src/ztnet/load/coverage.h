// Coverage: which parts of Azure the inputs show, and on what grounds. An export with a manifest
// shows the scopes it collected whole; an export without one shows the scopes its resources are
// in, without saying whether it holds all of them; a template shows only what it deploys.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/support/diagnostic.h"

namespace ztnet::load {

/// What the loader learnt of each input that bears on coverage.
struct CoverageInputs {
    struct Manifest {
        std::string file;
        /// The subscriptions and management group the manifest names (`scopes`); both empty for
        /// a manifest that names none, which covers the subscriptions of the exports beside it.
        std::vector<std::string> subscriptions;
        std::string management_group;
    };
    struct Export {
        std::string file;
        std::set<std::string> subscriptions; // lower case
    };
    struct Template {
        std::string file;
        std::string subscription;
        std::string resource_group;
    };
    std::vector<Manifest> manifests;
    std::vector<Export> exports;
    std::vector<Template> templates;
};

/// Reads a manifest's optional `scopes` ({"subscriptions": [...], "managementGroup": "..."}); a
/// wrong shape is an error naming the place.
CoverageInputs::Manifest read_manifest_scopes(const json::Value& root, FileId file, const std::string& name,
                                              Diagnostics& diagnostics);

/// The scopes the inputs cover, each once per basis, in input order.
std::vector<model::CoveredScope> covered_scopes(const CoverageInputs& inputs);

/// The scope collected whole that holds `id` ("" when none does).
std::string collected_scope_of(const std::vector<model::CoveredScope>& scopes, const std::string& id);

} // namespace ztnet::load
