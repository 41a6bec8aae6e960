// Fuzz target for whole ARM templates: any input is loaded as the loader loads a file (template,
// parameters file, export or neither) and built into an estate, cleanly: no crash, no run away
// (the evaluator's work budget and the reader's limits bound it), every diagnostic placed inside
// the input, and every message valid UTF-8 whatever bytes the input held.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ztnet/load/loader.h"

namespace {

bool valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = lead < 0x80           ? 1
                             : (lead >> 5) == 0x6  ? 2
                             : (lead >> 4) == 0xE  ? 3
                             : (lead >> 3) == 0x1E ? 4
                                                   : 0;
        if (length == 0 || i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return false;
        i += length;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ztnet::SourceSet sources;
    const ztnet::FileId file =
        sources.add("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
    ztnet::Diagnostics diagnostics;
    ztnet::load::LoadOptions options;
    // As a named file, and as one found in a folder (then anything not an Azure input is skipped).
    for (bool discovered : {false, true}) {
        std::vector<ztnet::FileId> found;
        if (discovered)
            found.push_back(file);
        (void)ztnet::load::load_sources(sources, {file}, options, diagnostics, found);
    }
    for (const ztnet::Diagnostic& d : diagnostics.all()) {
        if (d.where.file == file && d.where.offset != ztnet::kNoOffset && d.where.offset > size)
            std::abort();
        if (!valid_utf8(d.message))
            std::abort();
        for (const std::string& note : d.notes)
            if (!valid_utf8(note))
                std::abort();
    }
    return 0;
}
