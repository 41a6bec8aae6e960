// FlowTuple: one line of an Azure flow log (NSG flow logs version 1 and 2, VNet flow logs version 4
// and later) as typed values, and FlowContext, what the record around it says (the flow log or NSG,
// the NIC's MAC, the rule and ACL). docs/flows.md gives every field, its meaning and its source.
#pragma once

#include <cstdint>
#include <string_view>

#include "ztnet/net/address.h"
#include "ztnet/net/flow.h"

namespace ztnet::flows {

/// The layout a record and its tuples follow.
enum class Format : std::uint8_t {
    NsgV1, ///< NSG flow log, properties.Version 1: 8 fields, time in seconds
    NsgV2, ///< NSG flow log, properties.Version 2: 13 fields (state and counters added)
    Vnet,  ///< VNet flow log, flowLogVersion 4 or later: 13 fields, time in milliseconds
};

/// "NSG flow log v1", "NSG flow log v2" or "VNet flow log", for messages.
std::string_view format_name(Format format);

/// Whether the flow was let through or dropped.
enum class Decision : std::uint8_t { Allow, Deny };

/// The flow state field. NSG version 1 has none; Deny appears only in VNet flow logs.
enum class FlowState : std::uint8_t {
    None,       ///< not logged (NSG version 1)
    Begin,      ///< B: the flow was created; no counters yet
    Continuing, ///< C: the flow goes on; counters since the previous tuple
    End,        ///< E: the flow ended; counters since the previous tuple
    Deny,       ///< D: the flow was denied (VNet flow logs)
};

/// The encryption field of VNet flow logs, folded to what a policy needs to know. The exact text
/// (NX_HW_NOT_SUPPORTED, NX_LOCAL_DST...) stays in FlowTuple::encryption_text.
enum class Encryption : std::uint8_t {
    Unknown,      ///< not logged (NSG flow logs), or a value Azure does not document
    Encrypted,    ///< X
    NotEncrypted, ///< NX, or NX_ followed by the reason
};

/// Packets and bytes since the previous tuple of the same flow, each way. "Sent" is from the tuple's
/// source to its destination, "received" the other way; bytes count headers and payload.
struct Counters {
    std::uint64_t packets_sent = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t packets_received = 0;
    std::uint64_t bytes_received = 0;

    friend bool operator==(const Counters&, const Counters&) = default;
};

/// What a record says about the tuples under one rule. The views point into the bytes being read
/// (or the JSON parser's buffer, for strings with escapes): valid only while the visitor runs.
struct FlowContext {
    Format format = Format::Vnet;
    /// The version number as written (flowLogVersion, or properties.Version).
    std::int64_t version = 0;
    /// NSG flow logs: the NSG's resource id (resourceId). VNet flow logs: the flow log resource's id
    /// (flowLogResourceID). Azure writes both in upper case.
    std::string_view resource_id;
    /// VNet flow logs: the VNet, subnet or NIC the flow log is set on (targetResourceID). Empty for NSG.
    std::string_view target_resource_id;
    /// The NIC's MAC address as written (12 hex digits, no separators).
    std::string_view mac;
    /// VNet flow logs: the NSG or security admin configuration that decided (aclID). Empty for NSG.
    std::string_view acl_id;
    /// The name of the rule that decided.
    std::string_view rule;
    /// The record's time field (ISO 8601, UTC) as written.
    std::string_view record_time;
    /// The record's place in its file: 0-based index and byte offset of its opening brace.
    std::uint64_t record_index = 0;
    std::uint64_t record_offset = 0;
};

/// One flow tuple. Trivially copyable, no heap; read by parse_tuple.
struct FlowTuple {
    /// When the flow was seen, in milliseconds since 1970-01-01T00:00:00Z (NSG logs give seconds).
    std::int64_t time_ms = 0;
    net::Address source;
    net::Address destination;
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    /// IANA protocol number (NSG logs' T and U become 6 and 17).
    std::uint8_t protocol = 0;
    /// Relative to the NIC (or NSG) that logged it.
    net::Direction direction = net::Direction::Inbound;
    /// NSG logs: the decision field (A or D). VNet logs: Deny when the state is D, else Allow.
    Decision decision = Decision::Allow;
    FlowState state = FlowState::None;
    Encryption encryption = Encryption::Unknown;
    /// False when the tuple carries no counters: NSG version 1, or the four fields empty.
    bool has_counters = false;
    Counters counters;
    /// The encryption field as written (empty for NSG logs); same lifetime as FlowContext's views.
    std::string_view encryption_text;
    /// The record's context for this tuple's rule; set by the reader, null from parse_tuple.
    const FlowContext* context = nullptr;
};

} // namespace ztnet::flows
