// Fuzz target for the JSON reader: any input must be read or rejected cleanly, with comments on and
// off; and whatever is read must survive write() then read() unchanged, indented and compact.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/json/reader.h"

namespace {

void check_round_trip(const ztnet::json::Value& value, int indent) {
    const std::string text = ztnet::json::write(value, ztnet::json::WriteOptions{indent});
    auto again = ztnet::json::read(text);
    if (!again.ok() || !(*again == value))
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool comments : {false, true}) {
        ztnet::json::ReadLimits limits;
        limits.allow_comments = comments;
        std::vector<ztnet::Error> warnings;
        auto result = ztnet::json::read(text, limits, &warnings);
        if (!result.ok()) {
            if (result.error().offset > size)
                std::abort(); // an error must point inside the input (or just past its end)
            continue;
        }
        for (const auto& warning : warnings) {
            if (warning.offset >= size)
                std::abort();
        }
        check_round_trip(*result, 2);
        check_round_trip(*result, 0);
    }
    return 0;
}
