#include "ztnet/load/loader.h"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/coverage.h"
#include "ztnet/load/effective_routes_file.h"
#include "ztnet/load/estate_builder.h"
#include "ztnet/load/secrets.h"
#include "ztnet/load/terraform_resources.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::load {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path, std::size_t limit, Diagnostics& diagnostics,
                                     FileId& file_out, SourceSet& sources) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) {
        diagnostics.error("io", fmt::format("{}: cannot read: {}", path.string(), ec.message()));
        return std::nullopt;
    }
    if (size > limit) {
        file_out = sources.add(path.string(), "");
        diagnostics.error("file-too-large",
                          fmt::format("file is {} bytes, over the {} byte limit", size, limit),
                          {file_out, 0, ""});
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
        diagnostics.error("io", fmt::format("{}: cannot read", path.string()));
        return std::nullopt;
    }
    return text;
}

bool excluded(const fs::path& below, const std::vector<std::string>& patterns) {
    std::string relative = below.generic_string();
    std::string name = below.filename().string();
    for (const std::string& pattern : patterns)
        if (fnmatch(pattern.c_str(), relative.c_str(), 0) == 0 ||
            fnmatch(pattern.c_str(), name.c_str(), 0) == 0)
            return true;
    return false;
}

// Folders a repository holds that are never part of an estate: version control, editor settings,
// package managers' downloads.
bool skipped_folder(const fs::path& folder) {
    std::string name = folder.filename().string();
    return (name.size() > 1 && name[0] == '.' && name != "..") || name == "node_modules";
}

struct InputPaths {
    std::vector<fs::path> named;      // files the user named
    std::vector<fs::path> discovered; // files found by searching folders
};

// What to do with a Bicep file: ztnet reads the ARM JSON it compiles to.
std::string bicep_hint(const fs::path& path) {
    return fmt::format(
        "{}: a Bicep file; ztnet reads the ARM JSON it compiles to: run `az bicep build --file {}` "
        "(or `bicep build {}`) and pass the {} it writes",
        path.string(), path.string(), path.string(), path.stem().string() + ".json");
}

// A Bicep file found in a folder is not read; the note says how to get what ztnet reads.
void bicep_note(const fs::path& path, Diagnostics& diagnostics) {
    Diagnostic d{Severity::Note, "bicep-input", bicep_hint(path), {}, {}};
    diagnostics.add(std::move(d));
}

// Every input file, folders expanded to their *.json files in name order.
InputPaths expand_paths(const std::vector<std::string>& paths, const std::vector<std::string>& exclude,
                        Diagnostics& diagnostics) {
    InputPaths out;
    for (const std::string& p : paths) {
        std::error_code ec;
        fs::path path(p);
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(path, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                fs::path below = it->path().lexically_relative(path);
                if (it->is_directory(ec)) {
                    if (skipped_folder(it->path()) || excluded(below, exclude))
                        it.disable_recursion_pending();
                    continue;
                }
                if (!it->is_regular_file(ec) || excluded(below, exclude))
                    continue;
                if (it->path().extension() == ".json")
                    found.push_back(it->path());
                else if (it->path().extension() == ".bicep")
                    bicep_note(it->path(), diagnostics);
            }
            std::sort(found.begin(), found.end());
            if (found.empty())
                diagnostics.warning("no-input", fmt::format("{}: folder holds no .json files", p));
            out.discovered.insert(out.discovered.end(), found.begin(), found.end());
        } else if (fs::exists(path, ec) && path.extension() == ".bicep") {
            diagnostics.error("bicep-input", bicep_hint(path));
        } else if (fs::exists(path, ec)) {
            out.named.push_back(path);
        } else {
            diagnostics.error("io", fmt::format("{}: no such file or folder", p));
        }
    }
    return out;
}

// The parameters file beside a template file: "x.json" -> "x.parameters.json".
fs::path sibling_parameters_path(const fs::path& template_path) {
    return template_path.parent_path() / (template_path.stem().string() + ".parameters.json");
}

enum class DocumentKind { Template, Parameters, Export, Manifest, Terraform, Unrecognised };

struct Document {
    FileId file;
    json::Value root;
    DocumentKind kind = DocumentKind::Unrecognised;
};

DocumentKind classify(const json::Value& root) {
    if (root.is_array())
        return DocumentKind::Export;
    if (!root.is_object())
        return DocumentKind::Unrecognised;
    if (terraform::is_terraform_json(root))
        return DocumentKind::Terraform;
    if (arm::is_template(root))
        return DocumentKind::Template;
    if (const json::Value* properties = root.find("properties");
        properties != nullptr && properties->is_object() && properties->find("template") != nullptr &&
        arm::is_template(*properties->find("template")))
        return DocumentKind::Template; // a Blueprint template artifact, unwrapped before evaluation
    if (arm::is_parameters_file(root))
        return DocumentKind::Parameters;
    if (root.find("ztnetExportManifest"))
        return DocumentKind::Manifest;
    const json::Value* value = root.find("value");
    const json::Value* data = root.find("data");
    if ((value && value->is_array()) || (data && data->is_array()))
        return DocumentKind::Export;
    if (root.find("id") && root.find("type"))
        return DocumentKind::Export; // a single resource, as `az ... show` prints it
    return DocumentKind::Unrecognised;
}

// An export's manifest ({"ztnetExportManifest": 1, "collected": ["Microsoft.Security/pricings", ...]}):
// the resource types its collection asked for, so that "none of them" means none, not "not asked".
void read_manifest(const json::Value& root, FileId file, std::vector<std::string>& collected,
                   Diagnostics& diagnostics) {
    const json::Value* types = root.find("collected");
    if (!types || !types->is_array()) {
        diagnostics.error("manifest-shape",
                          "an export manifest needs \"collected\": an array of resource types",
                          SourceLocation{file, root.offset(), ""});
        return;
    }
    for (const json::Value& t : types->as_array()) {
        if (t.is_string())
            collected.push_back(t.as_string());
        else
            diagnostics.error("manifest-shape", "\"collected\" lists resource types as strings",
                              SourceLocation{file, t.offset(), "/collected"});
    }
}

std::optional<json::Value> parse(const SourceSet& sources, FileId file, const LoadOptions& options,
                                 Diagnostics& diagnostics) {
    json::ReadLimits limits;
    limits.max_bytes = options.max_file_bytes;
    limits.max_depth = options.max_json_depth;
    // Templates may hold comments, trailing commas and raw control characters in strings, as ARM's
    // own reader accepts; exports never do, so accepting them there is harmless.
    limits.allow_comments = true;
    limits.allow_trailing_commas = true;
    limits.allow_control_characters = true;
    std::vector<Error> warnings;
    auto root = json::read(sources.text(file), limits, &warnings);
    for (const Error& w : warnings)
        diagnostics.warning("json-duplicate-key", w.message,
                            {file, static_cast<std::uint32_t>(w.offset), ""});
    if (!root) {
        auto offset =
            root.error().offset == Error::kNoOffset ? 0u : static_cast<std::uint32_t>(root.error().offset);
        diagnostics.error("json-syntax", root.error().message, {file, offset, ""});
        return std::nullopt;
    }
    return std::move(*root);
}

// Moves the export's resources out of `doc` (no copy: exports can be hundreds of megabytes).
void read_export(Document& doc, std::vector<RawResource>& out, Diagnostics& diagnostics) {
    json::Value* list = &doc.root;
    std::string base;
    if (doc.root.is_object()) {
        if (json::Value* v = doc.root.as_object().find("value"); v && v->is_array()) {
            list = v;
            base = "/value";
        } else if (json::Value* d = doc.root.as_object().find("data"); d && d->is_array()) {
            list = d;
            base = "/data";
        } else {
            SourceLocation where{doc.file, doc.root.offset(), ""};
            out.push_back({std::move(doc.root), std::move(where)});
            return;
        }
    }
    json::Array& items = list->as_array();
    // `az resource list` prints every resource with "properties": null: nothing ztnet needs is there,
    // and an analysis of it would pass what it cannot see.
    const bool no_properties =
        !items.empty() && std::all_of(items.begin(), items.end(), [](const json::Value& r) {
            const json::Value* properties = r.is_object() ? r.find("properties") : nullptr;
            return properties != nullptr && properties->is_null();
        });
    if (no_properties) {
        diagnostics.error(
            "az-resource-list",
            fmt::format("no resource of this export has properties (\"properties\": null, as `az "
                        "resource list` prints them); ztnet needs them: export with `az graph query` "
                        "(docs/export.md)"),
            SourceLocation{doc.file, list->offset(), base});
        return;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        SourceLocation where{doc.file, items[i].offset(), base + "/" + std::to_string(i)};
        if (!items[i].is_object()) {
            diagnostics.error(
                "resource-shape",
                fmt::format("expected a resource object, got {}", json::to_string(items[i].kind())), where);
            continue;
        }
        out.push_back({std::move(items[i]), std::move(where)});
    }
}

// The sibling parameters file of a template ("x.json" -> "x.parameters.json"), if among the inputs.
const Document* sibling_parameters(const SourceSet& sources, const Document& tmpl,
                                   const std::vector<Document>& docs) {
    fs::path wanted = sibling_parameters_path(sources.name(tmpl.file));
    for (const Document& d : docs) {
        if (d.kind == DocumentKind::Parameters && fs::path(sources.name(d.file)) == wanted)
            return &d;
    }
    return nullptr;
}

// A JSON file that is none of the inputs ztnet reads. Named by the user, it is an error; found in a
// folder (package.json, editor settings, Bicep configuration beside the templates), it is skipped.
void report_unrecognised(FileId file, const json::Value& root, bool discovered, Diagnostics& diagnostics) {
    if (discovered) {
        diagnostics.note("skipped-input",
                         "skipped: not an ARM template, a parameters file or a resource export",
                         {file, root.offset(), ""});
        return;
    }
    diagnostics.error("unrecognised-input",
                      "not an ARM template, a parameters file or a resource export: expected a JSON array "
                      "of resources, {\"value\": [...]}, {\"data\": [...]}, or a template with "
                      "\"$schema\" and \"resources\"",
                      {file, root.offset(), ""});
}

// A Blueprint template artifact ({"kind": "template", "properties": {"template": {...}}}) holds the
// template it deploys; the template is what ztnet evaluates. The artifact's parameters map blueprint
// parameters, which no file here gives, so the template's own parameters stay as they are.
void unwrap_artifact(json::Value& root) {
    if (arm::is_template(root) || !root.is_object())
        return;
    json::Value* properties = root.as_object().find("properties");
    json::Value* inner =
        properties != nullptr && properties->is_object() ? properties->as_object().find("template") : nullptr;
    if (inner != nullptr && arm::is_template(*inner)) {
        json::Value unwrapped = std::move(*inner);
        root = std::move(unwrapped);
    }
}

std::optional<Document> explicit_parameters_file(const SourceSet& sources, const LoadOptions& options,
                                                 Diagnostics& diagnostics) {
    if (options.parameters_path.empty())
        return std::nullopt;
    // The caller registered the parameters file in `sources` under its path.
    for (FileId f = 0; f < sources.size(); ++f) {
        if (sources.name(f) != options.parameters_path)
            continue;
        auto root = parse(sources, f, options, diagnostics);
        if (!root)
            return std::nullopt;
        if (arm::is_parameters_file(*root))
            return Document{f, std::move(*root), DocumentKind::Parameters};
        diagnostics.error("unrecognised-input",
                          "expected an ARM parameters file ({\"parameters\": {\"name\": {\"value\": …}}})",
                          {f, root->offset(), ""});
        return std::nullopt;
    }
    return std::nullopt;
}

// What the exports hold: their subscriptions, and each resource by type and name.
struct ExportedScope {
    std::set<std::string> subscriptions;                 // as written in the first id that names each
    std::map<std::string, std::string> by_type_and_name; // key -> "type name" for messages
};

std::string type_and_name_key(const model::ResourceIdParts& parts) {
    return model::id_key(parts.type) + "|" + model::id_key(parts.name);
}

// A VNet of an export holds its subnets and peerings inline, each with its id; a template may declare
// them as resources of their own.
void add_inline_children(const json::Value& body, ExportedScope& out) {
    const json::Value* properties = body.find("properties");
    if (properties == nullptr)
        return;
    for (std::string_view list : {"subnets", "virtualNetworkPeerings"}) {
        const json::Value* children = properties->find(list);
        if (children == nullptr || !children->is_array())
            continue;
        for (const json::Value& child : children->as_array()) {
            const json::Value* id = child.find("id");
            if (id == nullptr || !id->is_string())
                continue;
            model::ResourceIdParts parts = model::parse_resource_id(id->as_string());
            if (!parts.type.empty() && !parts.name.empty())
                out.by_type_and_name.emplace(type_and_name_key(parts), parts.type + " " + parts.name);
        }
    }
}

ExportedScope exported_scope(const std::vector<Document>& docs,
                             const std::vector<std::vector<RawResource>>& per_doc) {
    ExportedScope out;
    std::set<std::string> subscription_keys;
    for (std::size_t d = 0; d < docs.size(); ++d) {
        for (const RawResource& resource : per_doc[d]) {
            const json::Value* id = resource.body.find("id");
            if (id == nullptr || !id->is_string())
                continue;
            model::ResourceIdParts parts = model::parse_resource_id(id->as_string());
            if (!parts.subscription.empty() &&
                subscription_keys.insert(model::id_key(parts.subscription)).second)
                out.subscriptions.insert(parts.subscription);
            if (!parts.type.empty() && !parts.name.empty())
                out.by_type_and_name.emplace(type_and_name_key(parts), parts.type + " " + parts.name);
            add_inline_children(resource.body, out);
        }
    }
    return out;
}

// Templates loaded beside an export deploy into the exported subscription when the user named none
// and the exports hold exactly one: then a template's reference to an existing VNet or subnet in
// another resource group meets the exported one. The resource group is not taken over: which group
// a template deploys into changes findings (ZT-GOV-001), so it stays what --resource-group says.
arm::DeploymentScope default_template_scope(const arm::DeploymentScope& given, const ExportedScope& exported,
                                            Diagnostics& diagnostics) {
    arm::DeploymentScope scope = given;
    const arm::DeploymentScope defaults;
    if (scope.subscription_id == defaults.subscription_id && exported.subscriptions.size() == 1) {
        scope.subscription_id = *exported.subscriptions.begin();
        diagnostics.note("template-scope", "templates deploy into subscription " + scope.subscription_id +
                                               ", the one the exports hold (--subscription names another)");
    }
    return scope;
}

// A resource that a template declares and an export holds (same type and name) is taken from the
// export: the export is what is deployed, and loading both would count it twice.
void set_aside_exported(std::vector<RawResource>& resources, const ExportedScope& exported,
                        const std::string& template_name, Diagnostics& diagnostics) {
    if (exported.by_type_and_name.empty())
        return;
    std::size_t total = resources.size();
    std::string first;
    SourceLocation first_where;
    auto also_exported = [&](const RawResource& resource) {
        const json::Value* id = resource.body.find("id");
        if (id == nullptr || !id->is_string())
            return false;
        auto it =
            exported.by_type_and_name.find(type_and_name_key(model::parse_resource_id(id->as_string())));
        if (it == exported.by_type_and_name.end())
            return false;
        if (first.empty()) {
            first = it->second;
            first_where = resource.where;
        }
        return true;
    };
    resources.erase(std::remove_if(resources.begin(), resources.end(), also_exported), resources.end());
    std::size_t dropped = total - resources.size();
    if (dropped == 0)
        return;
    diagnostics.warning(
        "template-and-export",
        fmt::format("{} of the {} resources template {} deploys are also in the export (the first: {}); "
                    "they are taken from the export, which is what is deployed{}",
                    dropped, total, template_name, first,
                    resources.empty() ? ", so the template adds nothing" : ""),
        first_where);
}

// The subscriptions an export's resources are in, lower case.
std::set<std::string> subscriptions_of(const std::vector<RawResource>& resources) {
    std::set<std::string> out;
    for (const RawResource& resource : resources) {
        const json::Value* id = resource.body.find("id");
        if (id == nullptr || !id->is_string())
            continue;
        const std::string subscription = model::parse_resource_id(id->as_string()).subscription;
        if (!subscription.empty())
            out.insert(model::id_key(subscription));
    }
    return out;
}

} // namespace

LoadResult load_sources(const SourceSet& sources, const std::vector<FileId>& files,
                        const LoadOptions& options, Diagnostics& diagnostics,
                        const std::vector<FileId>& discovered) {
    LoadResult result;
    result.inputs.files = files;
    result.inputs.discovered = discovered;
    std::vector<Document> docs;
    CoverageInputs coverage;
    for (FileId file : files) {
        auto root = parse(sources, file, options, diagnostics);
        if (!root)
            continue;
        DocumentKind kind = classify(*root);
        if (kind == DocumentKind::Unrecognised) {
            bool found = std::find(discovered.begin(), discovered.end(), file) != discovered.end();
            report_unrecognised(file, *root, found, diagnostics);
            continue;
        }
        if (kind == DocumentKind::Template)
            unwrap_artifact(*root);
        if (kind == DocumentKind::Manifest) {
            read_manifest(*root, file, result.estate.collected_types, diagnostics);
            coverage.manifests.push_back(read_manifest_scopes(*root, file, sources.name(file), diagnostics));
            continue;
        }
        docs.push_back({file, std::move(*root), kind});
    }

    std::optional<Document> explicit_parameters = explicit_parameters_file(sources, options, diagnostics);

    // Exports first: what they hold decides the templates' default scope and which of the templates'
    // resources are already deployed. The resources are then put together in input order.
    std::vector<std::vector<RawResource>> per_doc(docs.size());
    for (std::size_t d = 0; d < docs.size(); ++d) {
        if (docs[d].kind != DocumentKind::Export)
            continue;
        result.inputs.exports.push_back(sources.name(docs[d].file));
        read_export(docs[d], per_doc[d], diagnostics);
        coverage.exports.push_back({sources.name(docs[d].file), subscriptions_of(per_doc[d])});
        for (std::string& value : secret_values_in(sources, per_doc[d]))
            result.secrets.push_back(std::move(value));
    }
    // Terraform plans and states: their azurerm resources, as Azure will hold them.
    for (std::size_t d = 0; d < docs.size(); ++d) {
        if (docs[d].kind != DocumentKind::Terraform)
            continue;
        result.inputs.plans.push_back(sources.name(docs[d].file));
        Result<terraform::PlanDocument> plan =
            terraform::read_plan_document(docs[d].root, docs[d].file, diagnostics);
        if (!plan) {
            diagnostics.error(plan.error().code, plan.error().message, {docs[d].file, 0, ""});
            continue;
        }
        if (options.plan_side == LoadOptions::PlanSide::Prior) {
            if (plan->kind != terraform::PlanDocument::Kind::Plan) {
                diagnostics.error("terraform-no-prior-state",
                                  "this is a Terraform state, not a plan: it has no state before a change "
                                  "to compare with (give a plan: terraform show -json PLANFILE)",
                                  {docs[d].file, 0, ""});
                continue;
            }
            plan->resources = std::move(plan->prior);
        }
        per_doc[d] = terraform_resources(*plan, options.scope.subscription_id, diagnostics);
        result.secrets.insert(result.secrets.end(), plan->sensitive.begin(), plan->sensitive.end());
        std::set<std::pair<std::string, std::string>> groups;
        for (const RawResource& r : per_doc[d]) {
            const json::Value* id = r.body.find("id");
            if (id == nullptr || !id->is_string())
                continue;
            const model::ResourceIdParts parts = model::parse_resource_id(id->as_string());
            if (!parts.resource_group.empty())
                groups.emplace(parts.subscription, parts.resource_group);
        }
        for (const auto& [subscription, group] : groups)
            coverage.templates.push_back({sources.name(docs[d].file), subscription, group});
    }
    ExportedScope exported = exported_scope(docs, per_doc);
    bool any_template = std::any_of(docs.begin(), docs.end(),
                                    [](const Document& d) { return d.kind == DocumentKind::Template; });
    arm::DeploymentScope template_scope =
        any_template ? default_template_scope(options.scope, exported, diagnostics) : options.scope;
    std::vector<model::SecretExposure> exposures;
    for (std::size_t d = 0; d < docs.size(); ++d) {
        Document& doc = docs[d];
        if (doc.kind != DocumentKind::Template)
            continue;
        result.inputs.templates.push_back(sources.name(doc.file));
        result.inputs.template_files.push_back(doc.file);
        coverage.templates.push_back(
            {sources.name(doc.file), template_scope.subscription_id, template_scope.resource_group});
        arm::TemplateOptions topts;
        topts.scope = template_scope;
        topts.overrides = options.overrides;
        topts.strict = options.strict;
        const Document* params =
            explicit_parameters ? &*explicit_parameters : sibling_parameters(sources, doc, docs);
        if (params) {
            topts.parameters = &params->root;
            topts.parameters_file = params->file;
            result.inputs.parameter_files.push_back(sources.name(params->file));
        }
        per_doc[d] = arm::evaluate_template(doc.root, doc.file, topts, diagnostics);
        TemplateSecrets found = find_template_secrets(sources, doc.file, doc.root, topts.parameters_file,
                                                      topts.parameters, options.overrides, per_doc[d]);
        result.secrets.insert(result.secrets.end(), found.values.begin(), found.values.end());
        exposures.insert(exposures.end(), found.exposures.begin(), found.exposures.end());
        set_aside_exported(per_doc[d], exported, sources.name(doc.file), diagnostics);
    }
    std::vector<RawResource> resources;
    for (auto& list : per_doc)
        std::move(list.begin(), list.end(), std::back_inserter(resources));
    result.inputs.resources = resources.size();
    std::vector<std::string> collected = std::move(result.estate.collected_types);
    result.estate = build_estate(resources, diagnostics, covered_scopes(coverage));
    result.estate.secret_exposures = std::move(exposures);
    result.estate.collected_types = std::move(collected);
    return result;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
    std::vector<const std::string*> longest_first;
    // JSON's words reveal nothing, and replacing them would break a JSON report.
    auto json_word = [](const std::string& s) { return s == "true" || s == "false" || s == "null"; };
    for (const std::string& s : secrets)
        if (s.size() >= 4 && !json_word(s))
            longest_first.push_back(&s);
    std::sort(longest_first.begin(), longest_first.end(),
              [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
    constexpr std::string_view kRedacted = "[redacted]";
    for (const std::string* secret : longest_first)
        for (std::size_t at = text.find(*secret); at != std::string::npos;
             at = text.find(*secret, at + kRedacted.size()))
            text.replace(at, secret->size(), kRedacted);
    return text;
}

void apply_route_files(LoadResult& result, const LoadOptions& options, SourceSet& sources,
                       Diagnostics& diagnostics) {
    for (const auto& [nic, path] : options.effective_routes) {
        FileId file = kNoFile;
        if (auto text = read_file(path, options.max_file_bytes, diagnostics, file, sources)) {
            const FileId id = sources.add(path, std::move(*text));
            if (auto root = parse(sources, id, options, diagnostics))
                apply_effective_routes(result.estate, nic, *root, id, diagnostics);
        }
    }
}

LoadResult load_paths(const std::vector<std::string>& paths, const LoadOptions& options, SourceSet& sources,
                      Diagnostics& diagnostics) {
    InputPaths inputs = expand_paths(paths, options.exclude, diagnostics);
    // A template named on its own brings its sibling parameters file, as a folder search would.
    if (options.parameters_path.empty()) {
        std::vector<fs::path> siblings;
        for (const fs::path& named : inputs.named) {
            fs::path sibling = sibling_parameters_path(named);
            std::error_code ec;
            bool listed =
                std::find(inputs.named.begin(), inputs.named.end(), sibling) != inputs.named.end() ||
                std::find(inputs.discovered.begin(), inputs.discovered.end(), sibling) !=
                    inputs.discovered.end();
            if (!named.string().ends_with(".parameters.json") && !listed && fs::is_regular_file(sibling, ec))
                siblings.push_back(sibling);
        }
        inputs.discovered.insert(inputs.discovered.end(), siblings.begin(), siblings.end());
    }
    std::vector<FileId> files;
    std::vector<FileId> discovered;
    auto read_all = [&](const std::vector<fs::path>& list, bool found) {
        for (const fs::path& path : list) {
            FileId file = kNoFile;
            if (auto text = read_file(path, options.max_file_bytes, diagnostics, file, sources)) {
                files.push_back(sources.add(path.string(), std::move(*text)));
                if (found)
                    discovered.push_back(files.back());
            }
        }
    };
    read_all(inputs.named, false);
    read_all(inputs.discovered, true);
    if (!options.parameters_path.empty()) {
        FileId file = kNoFile;
        if (auto text =
                read_file(options.parameters_path, options.max_file_bytes, diagnostics, file, sources))
            sources.add(options.parameters_path, std::move(*text));
    }
    LoadResult result = load_sources(sources, files, options, diagnostics, discovered);
    apply_route_files(result, options, sources, diagnostics);
    // No input, no pass: an audit of nothing would score full marks.
    std::string named;
    for (const std::string& path : paths)
        named += (named.empty() ? "" : ", ") + path;
    if (named.empty())
        named = "the input";
    if (result.inputs.templates.empty() && result.inputs.exports.empty() && result.inputs.plans.empty() &&
        !diagnostics.has_errors()) {
        diagnostics.error(
            "empty-input",
            fmt::format("no Azure input in {}: nothing to analyse (expected ARM templates, with "
                        "their parameters files, or an export from az graph query)",
                        named),
            {});
    } else if (result.inputs.templates.empty() && result.inputs.exports.empty() &&
               result.inputs.resources == 0 && options.plan_side == LoadOptions::PlanSide::Planned &&
               !diagnostics.has_errors()) {
        diagnostics.error("terraform-no-azurerm",
                          fmt::format("{} holds no azurerm resource (a plan of other providers only, or of "
                                      "nothing): there is no Azure estate to analyse",
                                      named),
                          {});
    } else if (result.inputs.resources == 0 && options.plan_side == LoadOptions::PlanSide::Planned &&
               !diagnostics.has_errors()) {
        // A template whose resources all come from linked templates, or whose conditions are all false.
        diagnostics.warning(
            "nothing-deployed",
            fmt::format("{} deploys no resource ztnet can read (linked templates are not fetched; "
                        "conditions may all be false): the checks have nothing to judge",
                        named),
            {});
    }
    return result;
}

} // namespace ztnet::load
