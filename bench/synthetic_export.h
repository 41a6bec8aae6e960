// A seeded generator of Azure-export-like JSON: VNets with subnets, NSGs with realistic rule mixes
// (prefixes, service tags, ASGs, port lists), ASGs, NICs and VMs. Used by the load benchmark and
// by the ztnet-gen-export tool; the same seed always gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ztnet::bench {

/// Generates an export of roughly `target_bytes` bytes (a JSON array of resources).
std::string synthetic_export(std::size_t target_bytes, std::uint64_t seed);

} // namespace ztnet::bench
