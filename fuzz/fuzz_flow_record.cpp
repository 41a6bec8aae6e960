// Fuzz target for the flow log reader: any bytes are read or reported cleanly, never crash or hang.
// Every diagnostic points inside the input; every tuple delivered has its context, whose views are
// read (so that AddressSanitizer sees a dangling one); the counts match what the visitor was given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ztnet/flows/flow_log_reader.h"

namespace {

using namespace ztnet::flows;

void check(bool condition) {
    if (!condition)
        std::abort();
}

std::size_t touch(std::string_view text) {
    std::size_t sum = 0;
    for (char c : text)
        sum += static_cast<unsigned char>(c);
    return sum;
}

class Checker final : public FlowVisitor {
  public:
    void on_tuples(std::span<const FlowTuple> tuples) override {
        check(!tuples.empty());
        for (const FlowTuple& t : tuples) {
            check(t.context != nullptr);
            const FlowContext& c = *t.context;
            checksum += touch(c.resource_id) + touch(c.target_resource_id) + touch(c.mac) + touch(c.acl_id) +
                        touch(c.rule) + touch(c.record_time) + touch(t.encryption_text);
        }
        delivered += tuples.size();
    }

    std::size_t delivered = 0;
    std::size_t checksum = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ReadLimits limits;
    limits.max_record_bytes = 1 << 16;
    limits.max_depth = 16;
    limits.max_problems_per_file = 8;
    ztnet::SourceSet sources;
    ztnet::Diagnostics diagnostics;
    Checker checker;
    FlowLogReader reader(sources, diagnostics, limits);
    const ReadCounts counts = reader.read(text, "fuzz.json", checker);
    check(counts.tuples == checker.delivered);
    check(counts.files == 1 && counts.bytes == size);
    check(diagnostics.all().size() <= limits.max_problems_per_file + 1);
    for (const ztnet::Diagnostic& d : diagnostics.all()) {
        check(!d.message.empty() && !d.code.empty());
        check(!d.where.has_offset() || d.where.offset <= size);
    }
    // The same bytes again, through the same reader: its reused buffers must not change the result.
    Checker second;
    check(reader.read(text, "fuzz.json", second) == counts && second.delivered == checker.delivered);
    return 0;
}
