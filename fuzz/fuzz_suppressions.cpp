// Fuzz target for the suppressions reader: any input is read or rejected cleanly. A rejection
// carries an error inside the input; an accepted file holds complete suppressions with ISO dates.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ztnet/load/suppressions_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ztnet::SourceSet sources;
    ztnet::Diagnostics diagnostics;
    ztnet::FileId file = sources.add("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
    auto result = ztnet::load::read_suppressions(sources, file, diagnostics);
    for (const ztnet::Diagnostic& d : diagnostics.all()) {
        if (d.where.has_offset() && d.where.offset > size)
            std::abort();
    }
    if (!result) {
        if (!diagnostics.has_errors())
            std::abort();
        return 0;
    }
    for (const ztnet::model::Suppression& s : *result) {
        if (s.check_id.empty() || s.resource.empty() || s.reason.empty() || s.expires.size() != 10)
            std::abort();
    }
    return 0;
}
