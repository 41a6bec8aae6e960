// ztnet-gen-export SIZE_MB SEED > FILE: writes a synthetic export, for whole-command measurements
// such as peak memory (`/usr/bin/time -v ztnet inventory FILE`).
#include <cstdio>
#include <cstdlib>

#include "synthetic_export.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: ztnet-gen-export SIZE_MB SEED\n");
        return 2;
    }
    std::size_t mb = std::strtoull(argv[1], nullptr, 10);
    std::uint64_t seed = std::strtoull(argv[2], nullptr, 10);
    std::string text = ztnet::bench::synthetic_export(mb << 20, seed);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}
