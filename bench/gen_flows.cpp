// ztnet-gen-flows DIR HOURS [NICS [SEED]]: writes synthetic VNet flow logs below DIR, one PT1H.json
// per NIC and hour in Azure's folder layout, and prints what it wrote (records, tuples, bytes).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "synthetic_flow_logs.h"

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: ztnet-gen-flows DIR HOURS [NICS [SEED]]\n");
        return 2;
    }
    const std::filesystem::path root = argv[1];
    const auto hours = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    ztnet::bench::FlowLogShape shape;
    if (argc > 3)
        shape.nics = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
    const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 42;
    if (hours == 0 || shape.nics == 0) {
        std::fprintf(stderr, "ztnet-gen-flows: HOURS and NICS must be positive\n");
        return 2;
    }
    ztnet::bench::SyntheticFlowLogs logs(shape, seed);
    std::uint64_t bytes = 0;
    bool failed = false;
    logs.blobs(hours, [&](const ztnet::bench::FlowLogBlob& blob) {
        const std::filesystem::path file = root / logs.blob_path(blob);
        std::error_code error;
        std::filesystem::create_directories(file.parent_path(), error);
        std::ofstream out(file, std::ios::binary);
        out.write(blob.text.data(), static_cast<std::streamsize>(blob.text.size()));
        failed = failed || !out;
        bytes += blob.text.size();
    });
    if (failed) {
        std::fprintf(stderr, "ztnet-gen-flows: cannot write below %s\n", root.c_str());
        return 1;
    }
    const ztnet::bench::FlowLogTotals& t = logs.totals();
    std::printf("{\"records\": %llu, \"tuples\": %llu, \"bytes\": %llu, \"bytes_sent\": %llu}\n",
                static_cast<unsigned long long>(t.records), static_cast<unsigned long long>(t.tuples),
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(t.bytes_sent));
    return 0;
}
