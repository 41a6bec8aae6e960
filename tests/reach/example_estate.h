// Loads one of the bundled examples (or any estate files) with the bundled sample service tags,
// for the reach tests.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ztnet/load/loader.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::reach::testing {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline policy::ServiceTags sample_tags() {
    auto tags = policy::ServiceTags::parse(
        read_text(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json"));
    return tags ? std::move(*tags) : policy::ServiceTags();
}

/// An estate with its tags and policy engine, kept together (the engine refers to both).
struct LoadedEstate {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult loaded;
    policy::ServiceTags tags;
    std::unique_ptr<policy::PolicyEngine> engine;

    explicit LoadedEstate(const std::vector<std::string>& paths) : tags(sample_tags()) {
        loaded = load::load_paths(paths, {}, sources, diagnostics);
        engine = std::make_unique<policy::PolicyEngine>(loaded.estate, tags, diagnostics);
    }
};

inline std::string example(const std::string& name) {
    return std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/export";
}

} // namespace ztnet::reach::testing
