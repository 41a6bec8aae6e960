// What the flow reader tests share: a visitor that copies what it is shown (views die with the
// call), one reading of a text or path with its diagnostics, and records built from tuples.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ztnet/flows/flow_log_reader.h"

namespace ztnet::flows::testing {

/// A tuple as the visitor saw it. Its context and encryption text are copies whose views point
/// into strings the Collector keeps.
struct Seen {
    FlowTuple tuple;
    FlowContext context;
};

class Collector final : public FlowVisitor {
  public:
    void on_tuples(std::span<const FlowTuple> tuples) override {
        ++calls;
        for (const FlowTuple& t : tuples) {
            FlowContext c = *t.context;
            for (std::string_view* view :
                 {&c.resource_id, &c.target_resource_id, &c.mac, &c.acl_id, &c.rule, &c.record_time})
                *view = keep(*view);
            Seen& s = seen.emplace_back(Seen{t, c});
            s.tuple.encryption_text = keep(t.encryption_text);
            s.tuple.context = nullptr; // the reader's context is gone after the call
        }
    }

    std::deque<Seen> seen; // a deque: growing it moves nothing
    std::size_t calls = 0;

  private:
    std::string_view keep(std::string_view text) { return strings_.emplace_back(text); }
    std::deque<std::string> strings_;
};

/// One reading: what was seen, counted and reported.
struct Reading {
    SourceSet sources;
    Diagnostics diagnostics;
    Collector collector;
    ReadCounts counts;

    std::vector<std::string> codes() const {
        std::vector<std::string> out;
        for (const Diagnostic& d : diagnostics.all())
            out.push_back(d.code);
        return out;
    }
    std::string printed(std::size_t i) const { return format_diagnostic(diagnostics.all().at(i), sources); }
};

inline std::unique_ptr<Reading> read_text(std::string_view text, ReadLimits limits = {},
                                          std::string_view name = "test.json") {
    auto reading = std::make_unique<Reading>();
    FlowLogReader reader(reading->sources, reading->diagnostics, limits);
    reading->counts = reader.read(text, name, reading->collector);
    return reading;
}

inline std::unique_ptr<Reading> read_path(const std::filesystem::path& path, ReadLimits limits = {}) {
    auto reading = std::make_unique<Reading>();
    FlowLogReader reader(reading->sources, reading->diagnostics, limits);
    reading->counts = reader.read_path(path, reading->collector);
    return reading;
}

inline std::string quoted_list(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "\"" : ",\"") + item + "\"";
    return out;
}

/// A compact VNet flow log record (flowLogVersion 4) with one flow and one group holding `tuples`.
inline std::string vnet_record(const std::vector<std::string>& tuples, std::string_view rule = "AllowWeb") {
    return R"({"time":"2022-09-14T09:00:52.5625085Z","flowLogVersion":4,"flowLogGUID":"g","macAddress":"00224871C205",)"
           R"("category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/S/FLOWLOGS/FL",)"
           R"("targetResourceID":"/subscriptions/s/virtualNetworks/v","operationName":"FlowLogFlowEvent",)"
           R"("flowRecords":{"flows":[{"aclID":"acl-1","flowGroups":[{"rule":")" +
           std::string(rule) + R"(","flowTuples":[)" + quoted_list(tuples) + "]}]}]}}";
}

/// A compact NSG flow log record of `version` with one rule and one MAC holding `tuples`.
inline std::string nsg_record(int version, const std::vector<std::string>& tuples) {
    return R"({"time":"2018-11-13T12:00:35.3899262Z","systemId":"s","category":"NetworkSecurityGroupFlowEvent",)"
           R"("resourceId":"/SUBSCRIPTIONS/S/NETWORKSECURITYGROUPS/NSG","operationName":"NetworkSecurityGroupFlowEvents",)"
           R"("properties":{"Version":)" +
           std::to_string(version) +
           R"(,"flows":[{"rule":"UserRule_web","flows":[{"mac":"000D3AF87856","flowTuples":[)" +
           quoted_list(tuples) + "]}]}]}}";
}

inline const std::string kVnetTuple = "1663146003606,10.0.0.6,10.0.1.4,23956,443,6,O,E,NX,3,767,2,1580";
inline const std::string kNsgV2Tuple = "1542110379,10.5.16.4,13.67.143.117,59932,443,T,O,A,E,1,66,1,66";
inline const std::string kNsgV1Tuple = "1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I,D";

} // namespace ztnet::flows::testing
