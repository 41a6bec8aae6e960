#include "synthetic_flow_logs.h"

#include <algorithm>
#include <array>
#include <random>

#include <fmt/format.h>

namespace ztnet::bench {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;

// A peer of a NIC: who it talks to, on which port, which way, and what the NSG decided.
struct Peer {
    std::string address;
    std::uint16_t port = 0;
    bool inbound = true; // the peer opens the flow to the NIC
    bool denied = false;
    std::uint8_t protocol = 6;
    std::string rule;
};

struct Nic {
    std::string mac;
    std::string address;
    std::string acl;
    std::vector<Peer> peers;
};

std::string hex(std::uint64_t value, int digits) {
    return fmt::format("{:0{}X}", value, digits);
}

struct CivilDate {
    std::int64_t year, month, day;
};

// The proleptic Gregorian date `days` days after 1970-01-01.
CivilDate civil_date(std::int64_t days) {
    const std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - (153 * mp + 2) / 5 + 1};
}

} // namespace

class SyntheticFlowLogs::Impl {
  public:
    Impl(const FlowLogShape& shape, std::uint64_t seed) : shape_(shape), rng_(seed) {
        for (std::uint32_t i = 0; i < shape.nics; ++i)
            nics_.push_back(make_nic(i));
    }

    // One minute's record of a NIC: its tuples grouped by rule, as Azure groups them.
    std::string record(std::uint32_t nic_index, std::int64_t minute_ms, FlowLogTotals& totals) {
        const Nic& nic = nics_[nic_index];
        std::vector<std::pair<const Peer*, std::string>> tuples;
        for (std::uint32_t t = 0; t < shape_.tuples_per_record; ++t) {
            const Peer& peer = nic.peers[skewed(nic.peers.size())];
            tuples.emplace_back(
                &peer, tuple(nic, peer, minute_ms + static_cast<std::int64_t>(pick(kMinuteMs)), totals));
        }
        std::stable_sort(tuples.begin(), tuples.end(),
                         [](const auto& a, const auto& b) { return a.first->rule < b.first->rule; });
        std::string groups;
        for (std::size_t first = 0; first < tuples.size();) {
            const std::string& rule = tuples[first].first->rule;
            groups += groups.empty() ? "" : ",";
            groups += R"({"rule":")" + rule + R"(","flowTuples":[)";
            std::size_t end = first;
            for (; end < tuples.size() && tuples[end].first->rule == rule; ++end)
                groups += (end == first ? "\"" : ",\"") + tuples[end].second + "\"";
            groups += "]}";
            first = end;
        }
        ++totals.records;
        return fmt::format(
            R"({{"time":"{}","flowLogVersion":4,"flowLogGUID":"66aa66aa-bb77-cc88-dd99-00ee00ee00ee",)"
            R"("macAddress":"{}","category":"FlowLogFlowEvent",)"
            R"("flowLogResourceID":"/SUBSCRIPTIONS/3F2A9C1E-5B7D-4E8A-9C0F-1D2E3F4A5B6C/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/VNETFLOWLOG",)"
            R"("targetResourceID":"/subscriptions/3f2a9c1e-5b7d-4e8a-9c0f-1d2e3f4a5b6c/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke",)"
            R"("operationName":"FlowLogFlowEvent","flowRecords":{{"flows":[{{"aclID":"{}","flowGroups":[{}]}}]}}}})",
            iso_time(minute_ms), nic.mac, nic.acl, groups);
    }

    // Whether the NIC logs a record in this minute: busy NICs most minutes, quiet ones now and then.
    bool active(std::uint32_t nic, std::uint32_t minute) { return (nic + minute) % 4 != 0 || pick(2) == 0; }

    const Nic& nic(std::uint32_t index) const { return nics_[index]; }

  private:
    std::uint64_t pick(std::uint64_t n) {
        return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
    }

    // An index below n where small ones are much likelier: a few peers carry most of the traffic.
    std::size_t skewed(std::size_t n) {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u * u * u));
    }

    Nic make_nic(std::uint32_t i) {
        Nic nic;
        const std::uint32_t subnet = i % shape_.subnets;
        nic.mac = hex(0x002248000000ULL + i, 12);
        nic.address =
            fmt::format("10.{}.{}.{}", 1 + subnet / 250, subnet % 250, 4 + (i / shape_.subnets) % 250);
        nic.acl = fmt::format("6a1f0c3e-{:04x}-4b2d-9e7a-{:012x}", subnet, 0x5c0ffee00000ULL + subnet);
        const bool web = subnet % 4 == 0; // a quarter of the subnets face the Internet
        for (std::uint32_t p = 0; p < shape_.peers_per_nic; ++p)
            nic.peers.push_back(make_peer(web, p));
        return nic;
    }

    Peer make_peer(bool web, std::uint32_t index) {
        Peer peer;
        if (web && index % 8 == 7) { // a scanner knocking on management ports
            peer.address = internet_client();
            peer.port = index % 16 == 7 ? 22 : 3389;
            peer.denied = true;
            peer.rule = "DefaultRule_DenyAllInBound";
        } else if (web) {
            peer.address = internet_client();
            peer.port = index % 3 == 0 ? 80 : 443;
            peer.rule = fmt::format("UserRule_allow-web-{}", peer.port);
        } else if (index % 2 == 0) {
            peer.address = internal_address();
            peer.port = index % 6 == 0 ? 1433 : 8443;
            peer.rule = fmt::format("UserRule_allow-app-{}", peer.port);
        } else {
            peer.address = internal_address();
            peer.port = index % 5 == 1 ? 53 : 443;
            peer.protocol = peer.port == 53 ? 17 : 6;
            peer.inbound = false;
            peer.rule = "DefaultRule_AllowVnetOutBound";
        }
        if (pick(20) == 0) // some clients speak IPv6
            peer.address = fmt::format("2001:db8:{:x}::{:x}", pick(0x10000), 1 + pick(0xfffe));
        return peer;
    }

    std::string internet_client() {
        const std::uint64_t n = skewed(shape_.internet_clients);
        return fmt::format("{}.{}.{}.{}", 20 + n % 180, (n / 180) % 256, (n / 46080) % 256, 1 + n % 253);
    }

    std::string internal_address() {
        const std::uint64_t n = pick(shape_.nics);
        const std::uint64_t subnet = n % shape_.subnets;
        return fmt::format("10.{}.{}.{}", 1 + subnet / 250, subnet % 250, 4 + (n / shape_.subnets) % 250);
    }

    std::string tuple(const Nic& nic, const Peer& peer, std::int64_t time_ms, FlowLogTotals& totals) {
        const std::uint64_t ephemeral = 1024 + pick(64000);
        const std::string& source = peer.inbound ? peer.address : nic.address;
        const std::string& destination = peer.inbound ? nic.address : peer.address;
        const char direction = peer.inbound ? 'I' : 'O';
        ++totals.tuples;
        if (peer.denied)
            return fmt::format("{},{},{},{},{},{},{},D,NX,0,0,0,0", time_ms, source, destination, ephemeral,
                               peer.port, peer.protocol, direction);
        const char state = "BCCE"[pick(4)];
        if (state == 'B')
            return fmt::format("{},{},{},{},{},{},{},B,NX,0,0,0,0", time_ms, source, destination, ephemeral,
                               peer.port, peer.protocol, direction);
        const std::uint64_t sent = 60 + pick(100000);
        totals.bytes_sent += sent;
        return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", time_ms, source, destination, ephemeral,
                           peer.port, peer.protocol, direction, state,
                           pick(10) == 0 ? "X" : "NX_HW_NOT_SUPPORTED", 1 + sent / 1400, sent, 1 + pick(400),
                           pick(600000));
    }

    static std::string iso_time(std::int64_t ms) {
        const std::int64_t seconds = ms / 1000;
        const CivilDate date = civil_date(seconds / 86400);
        const std::int64_t in_day = seconds % 86400;
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.0000000Z", date.year, date.month, date.day,
                           in_day / 3600, (in_day / 60) % 60, in_day % 60);
    }

    FlowLogShape shape_;
    std::mt19937_64 rng_;
    std::vector<Nic> nics_;
};

SyntheticFlowLogs::SyntheticFlowLogs(FlowLogShape shape, std::uint64_t seed)
    : shape_(shape), impl_(std::make_unique<Impl>(shape, seed)) {}

SyntheticFlowLogs::~SyntheticFlowLogs() = default;

std::string SyntheticFlowLogs::document(std::size_t target_bytes) {
    std::string out;
    out.reserve(target_bytes + (1 << 20));
    out += "{\"records\":[";
    bool first = true;
    for (std::int64_t minute = 0; out.size() < target_bytes; ++minute) {
        for (std::uint32_t nic = 0; nic < shape_.nics && out.size() < target_bytes; ++nic) {
            if (!impl_->active(nic, static_cast<std::uint32_t>(minute % 60)))
                continue;
            out += first ? "\n" : ",\n";
            first = false;
            out += impl_->record(nic, shape_.start_ms + minute * kMinuteMs, totals_);
        }
    }
    out += "\n]}";
    return out;
}

FlowLogBlob SyntheticFlowLogs::blob(std::uint32_t nic, std::uint32_t hour) {
    FlowLogBlob out;
    out.mac = impl_->nic(nic).mac;
    out.hour_ms = shape_.start_ms + static_cast<std::int64_t>(hour) * kHourMs;
    out.text = "{\"records\":[";
    bool first = true;
    for (std::uint32_t minute = 0; minute < 60; ++minute) {
        if (!impl_->active(nic, minute))
            continue;
        out.text += first ? "\n" : ",\n";
        first = false;
        out.text += impl_->record(nic, out.hour_ms + minute * kMinuteMs, totals_);
    }
    out.text += "\n]}";
    return out;
}

std::string SyntheticFlowLogs::blob_path(const FlowLogBlob& blob) const {
    const std::int64_t hours = blob.hour_ms / kHourMs;
    const CivilDate date = civil_date(hours / 24);
    return fmt::format(
        "insights-logs-flowlogflowevent/flowLogResourceID=/3F2A9C1E-5B7D-4E8A-9C0F-1D2E3F4A5B6C_"
        "NETWORKWATCHERRG/NETWORKWATCHER_WESTEUROPE_VNETFLOWLOG/y={:04}/m={:02}/d={:02}/h={:02}/"
        "m=00/macAddress={}/PT1H.json",
        date.year, date.month, date.day, hours % 24, blob.mac);
}

} // namespace ztnet::bench
