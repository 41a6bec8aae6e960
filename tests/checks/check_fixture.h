// A loaded estate with everything checks read, for the checks tests: from an example, from export
// JSON text, or from an example's export with edits applied to its text.
#pragma once

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/checks/runner.h"
#include "ztnet/load/loader.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::checks::testing {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The export of a bundled example, as text.
inline std::string example_export(const std::string& name) {
    return read_text(std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/export/resources.json");
}

class CheckFixture {
  public:
    /// Loads export (or template) JSON text, with the service tags of `tags_file` (a path below the
    /// source tree; the bundled sample by default).
    explicit CheckFixture(const std::string& json_text,
                          const std::string& tags_file = "data/service-tags-sample.json") {
        auto tags = policy::ServiceTags::parse(read_text(std::string(ZTNET_SOURCE_DIR) + "/" + tags_file));
        tags_ = tags ? std::move(*tags) : policy::ServiceTags();
        FileId file = sources_.add("estate.json", json_text);
        loaded_ = load::load_sources(sources_, {file}, {}, diagnostics_);
        auto analysed = analysis::Analysis::run(loaded_.estate, tags_, {}, diagnostics_);
        if (!analysed)
            throw std::runtime_error("the analysis failed: " + analysed.error().message);
        analysis_ = std::move(*analysed);
        context_ = std::make_unique<CheckContext>(context_of(*analysis_));
    }

    static CheckFixture example(const std::string& name) { return CheckFixture(example_export(name)); }

    /// The findings of one check.
    std::vector<Finding> run(std::string_view check_id) {
        const Check* check = find_check(check_id);
        if (!check)
            return {};
        std::vector<Finding> out = check->run(*context_);
        for (Finding& f : out)
            f.check_id = check->id;
        return out;
    }

    const model::Estate& estate() const { return loaded_.estate; }
    const analysis::Analysis& analysis() const { return *analysis_; }
    const Diagnostics& diagnostics() const { return diagnostics_; }
    const CheckContext& context() { return *context_; }

    CheckFixture(CheckFixture&&) = default;

  private:
    SourceSet sources_;
    Diagnostics diagnostics_;
    load::LoadResult loaded_;
    policy::ServiceTags tags_;
    std::unique_ptr<analysis::Analysis> analysis_;
    std::unique_ptr<CheckContext> context_;
};

/// The names of the resources one check flags, sorted.
inline std::vector<std::string> flagged_names(CheckFixture& fixture, std::string_view check_id) {
    std::vector<std::string> names;
    for (const Finding& f : fixture.run(check_id))
        names.push_back(f.resource_name);
    std::sort(names.begin(), names.end());
    return names;
}

/// Replaces the first occurrence of `from` in `text` with `to` (a test edit of an example export);
/// throws when `from` is absent, so an edit can never silently miss.
inline std::string edited(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    if (at == std::string::npos)
        throw std::runtime_error("edit target not found: " + from);
    return text.replace(at, from.size(), to);
}

} // namespace ztnet::checks::testing
