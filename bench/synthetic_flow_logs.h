// Synthetic VNet flow logs shaped like a real spoke's: a fixed set of NICs (each with its MAC and
// address, behind its subnet's NSG), each serving a few ports to a few clients (other NICs, or a
// pool of Internet addresses in which a few are busy and most are rare), logged a record per NIC
// and minute, hour after hour. Conversations repeat within an hour as they do in Azure's logs, so
// the store sums many tuples into one row; the earlier all-random generator made every tuple its
// own conversation, which no estate produces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ztnet::bench {

struct FlowLogShape {
    std::uint32_t nics = 2000;
    std::uint32_t subnets = 40; ///< an NSG each, which is the aclID of its NICs' flows
    std::uint32_t internet_clients = 50'000;
    std::uint32_t peers_per_nic = 40; ///< distinct peers a NIC talks to, Internet and internal
    std::uint32_t tuples_per_record = 40;
    std::int64_t start_ms = 1705312800000; ///< 2024-01-15T10:00:00Z
};

/// One hour blob of one NIC: its MAC, the hour, and the PT1H.json text.
struct FlowLogBlob {
    std::string mac;
    std::int64_t hour_ms = 0;
    std::string text;
};

struct FlowLogTotals {
    std::uint64_t records = 0;
    std::uint64_t tuples = 0;
    std::uint64_t bytes_sent = 0;
};

class SyntheticFlowLogs {
  public:
    SyntheticFlowLogs(FlowLogShape shape, std::uint64_t seed);
    ~SyntheticFlowLogs();
    SyntheticFlowLogs(const SyntheticFlowLogs&) = delete;
    SyntheticFlowLogs& operator=(const SyntheticFlowLogs&) = delete;

    /// One {"records": [...]} document of about `target_bytes`, NICs and minutes interleaved, the
    /// way a single file of a stream reads (the reader and store benchmarks use it).
    std::string document(std::size_t target_bytes);
    /// The blobs of `hours` hours for every NIC, as Azure lays them out (one per NIC and hour, a
    /// record per minute in which the NIC had traffic), handed to `each` one at a time.
    template <class Each>
    void blobs(std::uint32_t hours, Each&& each) {
        for (std::uint32_t h = 0; h < hours; ++h)
            for (std::uint32_t nic = 0; nic < shape_.nics; ++nic)
                each(blob(nic, h));
    }
    FlowLogBlob blob(std::uint32_t nic, std::uint32_t hour);

    /// The path of a blob below the container folder, as Azure names it.
    std::string blob_path(const FlowLogBlob& blob) const;
    const FlowLogTotals& totals() const { return totals_; }

  private:
    class Impl;
    FlowLogShape shape_;
    FlowLogTotals totals_;
    std::unique_ptr<Impl> impl_;
};

} // namespace ztnet::bench
