// Internal to the flows module: one flow log record through simdjson's On Demand API into
// FlowTuples and their contexts. A record is read whole or rejected whole; a bad tuple inside a
// record that is read is skipped on its own and kept as a TupleIssue for a diagnostic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "ztnet/flows/flow_tuple.h"

namespace ztnet::flows::detail {

/// A tuple skipped inside a record that was read.
struct TupleIssue {
    std::size_t offset = 0; ///< the tuple's opening quote, in the file
    std::string pointer;    ///< JSON pointer inside the record ("/flowRecords/flows/0/...")
    std::string message;
};

enum class RecordStatus : std::uint8_t { Read, Malformed, VersionUnknown };

/// The longest name or id a record may hold (Azure's resource ids run to a few hundred bytes).
inline constexpr std::size_t kMaxNameBytes = 1024;

/// How reading a record went; for a rejected one, what was wrong and where.
struct RecordOutcome {
    RecordStatus status = RecordStatus::Read;
    std::string message;
    std::size_t offset = 0; ///< in the file
    std::string pointer;    ///< inside the record
};

class RecordWalker {
  public:
    /// Reads the record text.substr(begin, size); `text` must be followed by
    /// SIMDJSON_PADDING readable bytes. At most `issue_budget` TupleIssues are kept (all are counted).
    RecordOutcome walk(std::string_view text, std::size_t begin, std::size_t size, std::uint64_t record_index,
                       std::size_t issue_budget);

    /// The good tuples of the record last read, contexts set; valid until the next walk.
    std::span<const FlowTuple> tuples() const { return tuples_; }
    const std::vector<TupleIssue>& issues() const { return issues_; }
    std::uint64_t skipped_tuples() const { return skipped_tuples_; }

  private:
    // One step of the JSON pointer to the value being read: a member, and an index when it is an array.
    struct Step {
        std::string_view key;
        std::int64_t index = -1;
    };
    class StepGuard;
    using Level = bool (RecordWalker::*)(simdjson::ondemand::value&, FlowContext);

    bool walk_record(simdjson::ondemand::object& record);
    bool record_member(simdjson::ondemand::field& field, bool& deferred, bool second_pass);
    bool read_vnet_version(simdjson::ondemand::value& value);
    bool walk_flow_records(simdjson::ondemand::value& value, const FlowContext& context);
    bool walk_vnet_flow(simdjson::ondemand::value& value, FlowContext context);
    bool walk_vnet_group(simdjson::ondemand::value& value, FlowContext context);
    bool walk_properties(simdjson::ondemand::value& value, FlowContext context);
    bool read_nsg_version(simdjson::ondemand::value& value, FlowContext& context);
    bool walk_nsg_rule(simdjson::ondemand::value& value, FlowContext context);
    bool walk_nsg_mac(simdjson::ondemand::value& value, FlowContext context);
    bool named_list(simdjson::ondemand::value& value, FlowContext context, std::string_view name,
                    std::string_view FlowContext::*field, std::string_view list, Level below);
    template <class Read, class Each>
    bool member_then_list(simdjson::ondemand::value& value, std::string_view name, Read&& read,
                          std::string_view list, Each&& each);
    template <class Each>
    bool for_each_element(simdjson::ondemand::value& value, std::string_view key, Each&& each);
    bool read_tuples(simdjson::ondemand::value& value, const FlowContext& context);
    bool scan_tuples(std::string_view array, Format format);
    void read_tuple(simdjson::ondemand::value& item, Format format);
    bool keep_issue();
    std::size_t offset_of(std::string_view token) const;
    bool read_named(simdjson::ondemand::value& value, std::string_view name, bool& seen,
                    std::string_view& out);
    bool read_string(simdjson::ondemand::value& value, std::string_view& out);
    bool check_name(std::string_view text);

    bool check(simdjson::error_code error);
    bool reject(RecordStatus status, std::string message);
    std::string pointer() const;
    void set_contexts();

    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
    std::string_view text_;
    std::size_t begin_ = 0;
    std::size_t size_ = 0;
    std::size_t issue_budget_ = 0;
    bool iterating_ = false; // document_ belongs to the record being read
    FlowContext record_;     // what the record level says
    bool has_vnet_version_ = false;
    bool has_resource_id_ = false;
    bool has_mac_ = false;
    bool has_time_ = false;
    bool has_target_ = false;
    bool has_flows_ = false;
    std::vector<Step> path_;
    RecordOutcome outcome_;
    std::vector<FlowContext> contexts_;
    std::vector<std::size_t> first_tuple_; // per context: the index of its first tuple
    std::vector<FlowTuple> tuples_;
    std::vector<TupleIssue> issues_;
    std::uint64_t skipped_tuples_ = 0;
};

} // namespace ztnet::flows::detail
