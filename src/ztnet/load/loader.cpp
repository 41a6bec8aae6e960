#include "ztnet/load/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/load/estate_builder.h"

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

// Every input file, folders expanded to their *.json files in name order.
std::vector<fs::path> expand_paths(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
    std::vector<fs::path> out;
    for (const std::string& p : paths) {
        std::error_code ec;
        fs::path path(p);
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(path, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (it->is_regular_file() && it->path().extension() == ".json")
                    found.push_back(it->path());
            }
            std::sort(found.begin(), found.end());
            if (found.empty())
                diagnostics.warning("no-input", fmt::format("{}: folder holds no .json files", p));
            out.insert(out.end(), found.begin(), found.end());
        } else if (fs::exists(path, ec)) {
            out.push_back(path);
        } else {
            diagnostics.error("io", fmt::format("{}: no such file or folder", p));
        }
    }
    return out;
}

enum class DocumentKind { Template, Parameters, Export, Unrecognised };

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
    if (arm::is_template(root))
        return DocumentKind::Template;
    if (arm::is_parameters_file(root))
        return DocumentKind::Parameters;
    const json::Value* value = root.find("value");
    const json::Value* data = root.find("data");
    if ((value && value->is_array()) || (data && data->is_array()))
        return DocumentKind::Export;
    if (root.find("id") && root.find("type"))
        return DocumentKind::Export; // a single resource, as `az ... show` prints it
    return DocumentKind::Unrecognised;
}

std::optional<json::Value> parse(const SourceSet& sources, FileId file, const LoadOptions& options,
                                 Diagnostics& diagnostics) {
    json::ReadLimits limits;
    limits.max_bytes = options.max_file_bytes;
    limits.max_depth = options.max_json_depth;
    // Templates may hold comments and trailing commas, as ARM's own reader accepts; exports never do,
    // so accepting them there is harmless.
    limits.allow_comments = true;
    limits.allow_trailing_commas = true;
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
    fs::path path(sources.name(tmpl.file));
    fs::path wanted = path.parent_path() / (path.stem().string() + ".parameters.json");
    for (const Document& d : docs) {
        if (d.kind == DocumentKind::Parameters && fs::path(sources.name(d.file)) == wanted)
            return &d;
    }
    return nullptr;
}

} // namespace

LoadResult load_sources(const SourceSet& sources, const std::vector<FileId>& files,
                        const LoadOptions& options, Diagnostics& diagnostics) {
    LoadResult result;
    std::vector<Document> docs;
    for (FileId file : files) {
        auto root = parse(sources, file, options, diagnostics);
        if (!root)
            continue;
        DocumentKind kind = classify(*root);
        if (kind == DocumentKind::Unrecognised) {
            diagnostics.error(
                "unrecognised-input",
                "not an ARM template, a parameters file or a resource export: expected a JSON array "
                "of resources, {\"value\": [...]}, {\"data\": [...]}, or a template with "
                "\"$schema\" and \"resources\"",
                {file, root->offset(), ""});
            continue;
        }
        docs.push_back({file, std::move(*root), kind});
    }

    std::optional<Document> explicit_parameters;
    if (!options.parameters_path.empty()) {
        // The caller registered the parameters file in `sources` under its path.
        for (FileId f = 0; f < sources.size(); ++f) {
            if (sources.name(f) != options.parameters_path)
                continue;
            if (auto root = parse(sources, f, options, diagnostics)) {
                if (!arm::is_parameters_file(*root))
                    diagnostics.error(
                        "unrecognised-input",
                        "expected an ARM parameters file ({\"parameters\": {\"name\": {\"value\": …}}})",
                        {f, root->offset(), ""});
                else
                    explicit_parameters = Document{f, std::move(*root), DocumentKind::Parameters};
            }
        }
    }

    std::vector<RawResource> resources;
    for (Document& doc : docs) {
        const std::string& name = sources.name(doc.file);
        switch (doc.kind) {
        case DocumentKind::Export:
            result.inputs.exports.push_back(name);
            read_export(doc, resources, diagnostics);
            break;
        case DocumentKind::Template: {
            result.inputs.templates.push_back(name);
            arm::TemplateOptions topts;
            topts.scope = options.scope;
            topts.overrides = options.overrides;
            const Document* params =
                explicit_parameters ? &*explicit_parameters : sibling_parameters(sources, doc, docs);
            if (params) {
                topts.parameters = &params->root;
                topts.parameters_file = params->file;
                result.inputs.parameter_files.push_back(sources.name(params->file));
            }
            auto evaluated = arm::evaluate_template(doc.root, doc.file, topts, diagnostics);
            std::move(evaluated.begin(), evaluated.end(), std::back_inserter(resources));
            break;
        }
        case DocumentKind::Parameters:
        case DocumentKind::Unrecognised:
            break;
        }
    }
    result.inputs.resources = resources.size();
    result.estate = build_estate(resources, diagnostics);
    return result;
}

LoadResult load_paths(const std::vector<std::string>& paths, const LoadOptions& options, SourceSet& sources,
                      Diagnostics& diagnostics) {
    std::vector<FileId> files;
    for (const fs::path& path : expand_paths(paths, diagnostics)) {
        FileId file = kNoFile;
        if (auto text = read_file(path, options.max_file_bytes, diagnostics, file, sources))
            files.push_back(sources.add(path.string(), std::move(*text)));
    }
    if (!options.parameters_path.empty()) {
        FileId file = kNoFile;
        if (auto text =
                read_file(options.parameters_path, options.max_file_bytes, diagnostics, file, sources))
            sources.add(options.parameters_path, std::move(*text));
    }
    return load_sources(sources, files, options, diagnostics);
}

} // namespace ztnet::load
