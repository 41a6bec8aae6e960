// ServiceSet: an exact set of (protocol, source port, destination port) triples: what one source
// may send to one destination. Reachability between two endpoints is one of these, and so are the
// flows an intent allows between two groups; verification and diff are set algebra over them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ztnet/net/port.h"
#include "ztnet/net/protocol.h"

namespace ztnet::reach {

/// A function over an unsigned domain [0, max of K] that is constant on runs: stored as the start of
/// each run with its value, adjacent runs always holding different values. The representation is
/// canonical, so two equal functions compare equal.
template <class K, class V>
class Piecewise {
  public:
    struct Run {
        K start;
        V value;
        friend bool operator==(const Run&, const Run&) = default;
    };

    /// The function that is `value` everywhere.
    explicit Piecewise(V value = V()) { runs_.push_back({K{0}, std::move(value)}); }

    /// `fill` everywhere except on the given ranges, each [lo, hi] holding its value. Ranges must be
    /// sorted and disjoint.
    static Piecewise from_ranges(const std::vector<std::pair<std::pair<K, K>, V>>& ranges, const V& fill);

    /// Pointwise combination: result(k) = op(a(k), b(k)). One merge over both run lists.
    template <class Op>
    static Piecewise combine(const Piecewise& a, const Piecewise& b, Op op);

    /// The value at `key`.
    const V& at(K key) const;
    const std::vector<Run>& runs() const { return runs_; }
    /// The last key of run i.
    K run_end(std::size_t i) const {
        return i + 1 < runs_.size() ? static_cast<K>(runs_[i + 1].start - 1) : static_cast<K>(~K{0});
    }

    friend bool operator==(const Piecewise&, const Piecewise&) = default;

  private:
    struct NoRuns {};
    explicit Piecewise(NoRuns) {}
    void append(K start, V value) {
        if (!runs_.empty() && runs_.back().value == value)
            return;
        runs_.push_back({start, std::move(value)});
    }
    std::vector<Run> runs_;
};

/// For each source port, the destination ports: one protocol's part of a ServiceSet.
using PortPlane = Piecewise<std::uint16_t, net::PortSet>;

/// One concrete member of a ServiceSet.
struct Service {
    std::uint8_t protocol = 6;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    friend bool operator==(const Service&, const Service&) = default;
};

/// A box of a ServiceSet: every combination of its protocols, source ports and destination ports.
struct ServiceBox {
    net::ProtocolSet protocols;
    net::PortSet source_ports;
    net::PortSet destination_ports;
};

/// A set of services. Ports only exist for TCP (6) and UDP (17): for every other protocol the set
/// holds either all port combinations or none, as NSG rules ignore ports there.
class ServiceSet {
  public:
    /// The empty set.
    ServiceSet();
    static ServiceSet none() { return ServiceSet(); }
    /// Every protocol, every port.
    static ServiceSet all();
    /// The services of a rule: `protocols` with the given ports (ports ignored for protocols without).
    static ServiceSet of(const net::ProtocolSet& protocols, const net::PortSet& source_ports,
                         const net::PortSet& destination_ports);
    /// One service.
    static ServiceSet single(const Service& service);

    ServiceSet unite(const ServiceSet& other) const;
    ServiceSet intersect(const ServiceSet& other) const;
    ServiceSet subtract(const ServiceSet& other) const;

    bool empty() const;
    bool full() const;
    bool contains(const Service& service) const;
    bool contains(const ServiceSet& other) const { return other.subtract(*this).empty(); }
    bool overlaps(const ServiceSet& other) const { return !intersect(other).empty(); }

    /// The destination ports (of TCP/UDP protocols `protocol`) reachable from source port `port`.
    const net::PortSet& destination_ports(std::uint8_t protocol, std::uint16_t source_port) const;
    /// The part of the set for protocol `protocol` and destination port `port`, re-addressed to the
    /// destination ports `new_ports` (a load balancer maps frontend ports to a backend port):
    /// {(protocol, s, n) : (protocol, s, port) in the set, n in new_ports}.
    ServiceSet readdress(std::uint8_t protocol, std::uint16_t port, const net::PortSet& new_ports) const;

    /// A readable member: TCP before UDP before other protocols, source port 49152 when allowed
    /// (an ephemeral port, as a client would use), a well-known management or service port when
    /// the set holds one, else the lowest destination port. nullopt when empty.
    std::optional<Service> example() const;

    /// Up to `limit` members: example() first, then one per further TCP or UDP destination-port
    /// range, so that "Tcp 22,3389" is shown with a flow to each port.
    std::vector<Service> examples(std::size_t limit) const;

    /// Disjoint boxes covering the set exactly, protocols with the same port plane merged: what
    /// JSON output and the Z3 oracle read.
    std::vector<ServiceBox> boxes() const;

    /// For people: "Tcp 443, 8443; Udp 53; Icmp", "Tcp 443 from source ports 1024-65535",
    /// "any" for the full set and "none" for the empty set.
    std::string to_string() const;

    std::size_t hash() const;
    friend bool operator==(const ServiceSet&, const ServiceSet&) = default;

  private:
    explicit ServiceSet(Piecewise<std::uint8_t, PortPlane> planes) : planes_(std::move(planes)) {}
    Piecewise<std::uint8_t, PortPlane> planes_; // protocol -> port plane
};

// ---- Piecewise members ----

template <class K, class V>
Piecewise<K, V> Piecewise<K, V>::from_ranges(const std::vector<std::pair<std::pair<K, K>, V>>& ranges,
                                             const V& fill) {
    Piecewise out{NoRuns{}};
    K next = 0; // first key not yet covered
    for (const auto& [range, value] : ranges) {
        if (range.first > next)
            out.append(next, fill);
        out.append(range.first, value);
        if (range.second == static_cast<K>(~K{0}))
            return out;
        next = static_cast<K>(range.second + 1);
    }
    out.append(next, fill);
    return out;
}

template <class K, class V>
template <class Op>
Piecewise<K, V> Piecewise<K, V>::combine(const Piecewise& a, const Piecewise& b, Op op) {
    Piecewise out{NoRuns{}};
    std::size_t i = 0;
    std::size_t j = 0;
    // Walk the union of both run starts; at each start the pair of current values is combined.
    while (i < a.runs_.size() && j < b.runs_.size()) {
        K start = std::max(a.runs_[i].start, b.runs_[j].start);
        out.append(start, op(a.runs_[i].value, b.runs_[j].value));
        // Advance whichever run ends first (both when they end together).
        K a_end = a.run_end(i);
        K b_end = b.run_end(j);
        if (a_end == b_end) {
            ++i;
            ++j;
        } else if (a_end < b_end) {
            ++i;
        } else {
            ++j;
        }
    }
    return out;
}

template <class K, class V>
const V& Piecewise<K, V>::at(K key) const {
    std::size_t lo = 0;
    std::size_t hi = runs_.size();
    while (hi - lo > 1) { // invariant: runs_[lo].start <= key, and runs_[hi].start > key (or hi == size)
        std::size_t mid = (lo + hi) / 2;
        if (runs_[mid].start <= key)
            lo = mid;
        else
            hi = mid;
    }
    return runs_[lo].value;
}

/// Whether ports mean anything for `protocol` (TCP and UDP).
constexpr bool has_ports(std::uint8_t protocol) {
    return protocol == 6 || protocol == 17;
}

} // namespace ztnet::reach

template <>
struct std::hash<ztnet::reach::ServiceSet> {
    std::size_t operator()(const ztnet::reach::ServiceSet& set) const noexcept { return set.hash(); }
};
