// A bundled example's export and intent, loaded and analysed (the intent verified), for the
// hardening tests.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "ztnet/analysis/analysis.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/load/loader.h"

#include "check_fixture.h"

namespace ztnet::harden::testing {

using checks::testing::read_text;

// An example's export and intent, analysed.
class Example {
  public:
    explicit Example(const std::string& name)
        : Example(name, std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/three-tier.ztnet.yaml") {}

    /// The example's export with another intent file.
    Example(const std::string& name, const std::string& intent_path) {
        const std::string root = std::string(ZTNET_SOURCE_DIR) + "/examples/" + name;
        auto tags = policy::ServiceTags::parse(
            read_text(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json"));
        tags_ = tags ? std::move(*tags) : policy::ServiceTags();
        const FileId file = sources_.add("resources.json", read_text(root + "/export/resources.json"));
        loaded_ = load::load_sources(sources_, {file}, {}, diagnostics_);
        intent_ = load::read_intent_file(intent_path, sources_, diagnostics_);
        if (!intent_)
            throw std::runtime_error("the intent does not read");
        analysis::Options options;
        options.intent = &*intent_;
        auto analysed = analysis::Analysis::run(loaded_.estate, tags_, options, diagnostics_);
        if (!analysed)
            throw std::runtime_error(analysed.error().message);
        analysis_ = std::move(*analysed);
    }

    const analysis::Analysis& analysis() const { return *analysis_; }
    const policy::ServiceTags& tags() const { return tags_; }
    Diagnostics& diagnostics() { return diagnostics_; }
    const model::Intent& intent() const { return *intent_; }

  private:
    SourceSet sources_;
    Diagnostics diagnostics_;
    policy::ServiceTags tags_;
    load::LoadResult loaded_;
    std::optional<model::Intent> intent_;
    std::unique_ptr<analysis::Analysis> analysis_;
};

} // namespace ztnet::harden::testing
