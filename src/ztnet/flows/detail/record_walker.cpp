#include "ztnet/flows/detail/record_walker.h"

#include <algorithm>
#include <bit>
#include <utility>

#include <fmt/format.h>

#include "ztnet/flows/detail/byte_mask.h"
#include "ztnet/flows/tuple_parser.h"
#include "ztnet/support/ascii.h"

namespace ztnet::flows::detail {
namespace {

namespace od = simdjson::ondemand;

constexpr std::int64_t kFirstVnetVersion = 4;

constexpr bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Whether a member name, as written (escapes undecoded), is `name` up to ASCII case: the articles
// spell NSG logs' resource id both resourceId and resourceid. `name` holds letters only, so the
// comparison stops at the closing quote at the latest.
bool key_is(od::raw_json_string key, std::string_view name) {
    const char* raw = key.raw();
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (ascii::to_lower(raw[i]) != ascii::to_lower(name[i]))
            return false;
    }
    return raw[name.size()] == '"';
}

// The content of a string token as raw_json_token gives it (opening quote to the next structural
// character, so the closing quote and any whitespace after it included); false when the token is
// not a string. The content is still escaped.
bool string_content(std::string_view token, std::string_view& out) {
    std::size_t end = token.size();
    while (end > 0 && is_space(token[end - 1]))
        --end;
    if (end < 2 || token[0] != '"' || token[end - 1] != '"')
        return false;
    out = token.substr(1, end - 2);
    return true;
}

// simdjson's errors in words, for those a flow log can meet; its own message for the rest.
std::string json_problem(simdjson::error_code error) {
    static constexpr std::pair<simdjson::error_code, std::string_view> kPhrases[] = {
        {simdjson::INCORRECT_TYPE, "a value has the wrong JSON type"},
        {simdjson::TAPE_ERROR, "not valid JSON"},
        {simdjson::T_ATOM_ERROR, "not valid JSON"},
        {simdjson::F_ATOM_ERROR, "not valid JSON"},
        {simdjson::N_ATOM_ERROR, "not valid JSON"},
        {simdjson::NUMBER_ERROR, "a number is malformed or out of range"},
        {simdjson::NUMBER_OUT_OF_RANGE, "a number is malformed or out of range"},
        {simdjson::UTF8_ERROR, "not valid UTF-8"},
        {simdjson::UNESCAPED_CHARS, "a string holds a raw control character"},
        {simdjson::STRING_ERROR, "a string has a malformed escape"},
        {simdjson::MEMALLOC, "out of memory"},
    };
    for (const auto& [code, phrase] : kPhrases) {
        if (code == error)
            return std::string(phrase);
    }
    return simdjson::error_message(error);
}

const char* skip_space(const char* p, const char* end) {
    while (p < end && is_space(*p))
        ++p;
    return p;
}

// The closing quote of the string whose content starts at `p`, or null when a backslash comes first
// (the string has escapes) or the record ends before it. Reads 64 bytes at a time, past `end` too:
// the text is padded.
const char* string_close(const char* p, const char* end) {
    for (; p < end; p += 64) {
        const std::uint64_t quotes = byte_mask(p, '"');
        const std::uint64_t stops = quotes | byte_mask(p, '\\');
        if (stops == 0)
            continue;
        const int at = std::countr_zero(stops);
        return (quotes >> at & 1) != 0 && p + at < end ? p + at : nullptr;
    }
    return nullptr;
}

// The tuple quoted for a message when it is short printable ASCII; otherwise the place says which.
std::string shown(std::string_view text) {
    if (text.size() > 120)
        return {};
    for (char c : text) {
        if (c < 0x20 || c > 0x7e)
            return {};
    }
    return fmt::format(" '{}'", text);
}

std::string tuple_message(std::string_view text, Format format, TupleProblem problem) {
    switch (problem.error) {
    case TupleError::TooLong:
        return fmt::format("a flow tuple of {} bytes is longer than {}", text.size(), kMaxTupleBytes);
    case TupleError::FieldCount:
        return fmt::format("flow tuple{} does not have the {} fields of an {} tuple", shown(text),
                           format == Format::NsgV1 ? 8 : 13, format_name(format));
    default:
        return fmt::format("flow tuple{}: field {} ({}) is {}", shown(text), problem.field + 1,
                           field_name(format, problem.field), describe(problem.error));
    }
}

} // namespace

// Keeps the JSON pointer of what is being read: a step per nested member.
class RecordWalker::StepGuard {
  public:
    StepGuard(RecordWalker& walker, std::string_view key) : walker_(walker) {
        walker_.path_.push_back({key});
    }
    ~StepGuard() { walker_.path_.pop_back(); }
    StepGuard(const StepGuard&) = delete;
    StepGuard& operator=(const StepGuard&) = delete;

  private:
    RecordWalker& walker_;
};

RecordOutcome RecordWalker::walk(std::string_view text, std::size_t begin, std::size_t size,
                                 std::uint64_t record_index, std::size_t issue_budget) {
    text_ = text;
    begin_ = begin;
    size_ = size;
    issue_budget_ = issue_budget;
    iterating_ = false;
    record_ = FlowContext{};
    record_.record_index = record_index;
    record_.record_offset = begin;
    has_vnet_version_ = has_resource_id_ = has_mac_ = has_time_ = has_target_ = has_flows_ = false;
    path_.clear();
    outcome_ = RecordOutcome{};
    contexts_.clear();
    first_tuple_.clear();
    tuples_.clear();
    issues_.clear();
    skipped_tuples_ = 0;

    // The caller guarantees SIMDJSON_PADDING readable bytes after the text, so after the record too.
    const std::size_t capacity = text.size() - begin + simdjson::SIMDJSON_PADDING;
    od::object record;
    if (check(parser_.iterate(text.data() + begin, size, capacity).get(document_))) {
        iterating_ = true;
        if (check(document_.get_object().get(record)) && walk_record(record)) {
            set_contexts();
            return std::move(outcome_);
        }
    }
    tuples_.clear();
    issues_.clear();
    skipped_tuples_ = 0;
    return std::move(outcome_);
}

// Two passes at most: the first reads the record's own fields and its flows when they come after
// them (as Azure writes records); a record that puts its flows first has them read in a second.
bool RecordWalker::walk_record(od::object& record) {
    bool deferred = false;
    for (auto member : record) {
        od::field field;
        if (!check(std::move(member).get(field)) || !record_member(field, deferred, false))
            return false;
    }
    if (deferred) {
        if (!check(record.reset().error()))
            return false;
        for (auto member : record) {
            od::field field;
            if (!check(std::move(member).get(field)) || !record_member(field, deferred, true))
                return false;
        }
    }
    if (!has_flows_)
        return reject(RecordStatus::Malformed,
                      "not a flow log record: it has neither flowRecords (VNet flow logs) nor properties "
                      "(NSG flow logs)");
    return true;
}

bool RecordWalker::record_member(od::field& field, bool& deferred, bool second_pass) {
    const od::raw_json_string key = field.key();
    od::value& value = field.value();
    const bool vnet_ready = has_vnet_version_ && has_mac_ && has_resource_id_ && has_target_ && has_time_;
    const bool nsg_ready = has_resource_id_ && has_time_;
    if (key_is(key, "flowRecords") || key_is(key, "properties")) {
        const bool vnet = key_is(key, "flowRecords");
        has_flows_ = true;
        if (!second_pass && !(vnet ? vnet_ready : nsg_ready)) {
            deferred = true;
            return true;
        }
        return vnet ? walk_flow_records(value, record_) : walk_properties(value, record_);
    }
    if (second_pass)
        return true;
    if (key_is(key, "time"))
        return read_named(value, "time", has_time_, record_.record_time);
    if (key_is(key, "flowLogVersion"))
        return read_vnet_version(value);
    if (key_is(key, "macAddress"))
        return read_named(value, "macAddress", has_mac_, record_.mac);
    if (key_is(key, "flowLogResourceID"))
        return read_named(value, "flowLogResourceID", has_resource_id_, record_.resource_id);
    if (key_is(key, "resourceId"))
        return read_named(value, "resourceId", has_resource_id_, record_.resource_id);
    if (key_is(key, "targetResourceID"))
        return read_named(value, "targetResourceID", has_target_, record_.target_resource_id);
    return true;
}

bool RecordWalker::read_named(od::value& value, std::string_view name, bool& seen, std::string_view& out) {
    StepGuard step(*this, name);
    seen = true;
    return read_string(value, out);
}

bool RecordWalker::read_vnet_version(od::value& value) {
    StepGuard step(*this, "flowLogVersion");
    std::int64_t version = 0;
    if (value.get_int64().get(version) != simdjson::SUCCESS)
        return reject(RecordStatus::VersionUnknown, "flowLogVersion is not an integer");
    if (version < kFirstVnetVersion)
        return reject(
            RecordStatus::VersionUnknown,
            fmt::format("flowLogVersion {}: VNet flow logs begin at version {}", version, kFirstVnetVersion));
    record_.format = Format::Vnet;
    record_.version = version;
    has_vnet_version_ = true;
    return true;
}

bool RecordWalker::walk_flow_records(od::value& value, const FlowContext& context) {
    StepGuard step(*this, "flowRecords");
    if (!has_vnet_version_)
        return reject(RecordStatus::Malformed, "flowRecords without a flowLogVersion");
    od::object object;
    if (!check(value.get_object().get(object)))
        return false;
    for (auto member : object) {
        od::field field;
        if (!check(std::move(member).get(field)))
            return false;
        if (key_is(field.key(), "flows") && !for_each_element(field.value(), "flows", [&](od::value& flow) {
                return walk_vnet_flow(flow, context);
            }))
            return false;
    }
    return true;
}

bool RecordWalker::walk_vnet_flow(od::value& value, FlowContext context) {
    return named_list(value, context, "aclID", &FlowContext::acl_id, "flowGroups",
                      &RecordWalker::walk_vnet_group);
}

bool RecordWalker::walk_vnet_group(od::value& value, FlowContext context) {
    return named_list(value, context, "rule", &FlowContext::rule, "flowTuples", nullptr);
}

// The levels of a record below its flows: an object that names one thing of the context (`name`,
// kept in `field`) and lists what lies below it (`list`): each element walked by `below`, or, when
// `below` is null, the tuples.
bool RecordWalker::named_list(od::value& value, FlowContext context, std::string_view name,
                              std::string_view FlowContext::*field, std::string_view list, Level below) {
    return member_then_list(
        value, name, [&](od::value& named) { return read_string(named, context.*field); }, list,
        [&](od::value& items) {
            if (below == nullptr)
                return read_tuples(items, context);
            return for_each_element(items, list,
                                    [&](od::value& item) { return (this->*below)(item, context); });
        });
}

bool RecordWalker::walk_properties(od::value& value, FlowContext context) {
    StepGuard step(*this, "properties");
    bool versioned = false;
    const bool ok = member_then_list(
        value, "Version", [&](od::value& version) { return versioned = read_nsg_version(version, context); },
        "flows",
        [&](od::value& rules) {
            return for_each_element(rules, "flows",
                                    [&](od::value& rule) { return walk_nsg_rule(rule, context); });
        });
    if (ok && !versioned)
        return reject(RecordStatus::VersionUnknown, "properties has no Version");
    return ok;
}

bool RecordWalker::read_nsg_version(od::value& value, FlowContext& context) {
    std::int64_t version = 0;
    if (value.get_int64().get(version) != simdjson::SUCCESS)
        return reject(RecordStatus::VersionUnknown, "properties.Version is not an integer");
    if (version != 1 && version != 2)
        return reject(RecordStatus::VersionUnknown,
                      fmt::format("properties.Version {}: NSG flow logs have versions 1 and 2", version));
    context.format = version == 1 ? Format::NsgV1 : Format::NsgV2;
    context.version = version;
    return true;
}

bool RecordWalker::walk_nsg_rule(od::value& value, FlowContext context) {
    return named_list(value, context, "rule", &FlowContext::rule, "flows", &RecordWalker::walk_nsg_mac);
}

bool RecordWalker::walk_nsg_mac(od::value& value, FlowContext context) {
    return named_list(value, context, "mac", &FlowContext::mac, "flowTuples", nullptr);
}

// Reads the object's member `name` with `read`, and `list` with `each` after it: in one pass when
// `name` comes first, as Azure writes it, else in a second pass.
template <class Read, class Each>
bool RecordWalker::member_then_list(od::value& value, std::string_view name, Read&& read,
                                    std::string_view list, Each&& each) {
    od::object object;
    if (!check(value.get_object().get(object)))
        return false;
    bool named = false;
    bool deferred = false;
    for (auto member : object) {
        od::field field;
        if (!check(std::move(member).get(field)))
            return false;
        if (key_is(field.key(), name)) {
            StepGuard step(*this, name);
            if (!read(field.value()))
                return false;
            named = true;
        } else if (key_is(field.key(), list)) {
            deferred = !named;
            if (named && !each(field.value()))
                return false;
        }
    }
    if (!deferred)
        return true;
    if (!check(object.reset().error()))
        return false;
    for (auto member : object) {
        od::field field;
        if (!check(std::move(member).get(field)))
            return false;
        if (key_is(field.key(), list) && !each(field.value()))
            return false;
    }
    return true;
}

template <class Each>
bool RecordWalker::for_each_element(od::value& value, std::string_view key, Each&& each) {
    StepGuard step(*this, key);
    od::array array;
    if (!check(value.get_array().get(array)))
        return false;
    std::int64_t index = 0;
    for (auto element : array) {
        path_.back().index = index++;
        od::value item;
        if (!check(element.get(item)) || !each(item))
            return false;
    }
    return true;
}

bool RecordWalker::read_tuples(od::value& value, const FlowContext& context) {
    first_tuple_.push_back(tuples_.size());
    contexts_.push_back(context);
    if (scan_tuples(value.raw_json_token(), context.format))
        return true; // the parser skips the array it was not asked to read
    return for_each_element(value, "flowTuples", [&](od::value& item) {
        read_tuple(item, context.format);
        return true;
    });
}

// The fast path for a flowTuples array that is what Azure writes, a plain run of strings without
// escapes: it is read straight from the text, without the parser's visit to each element. Anything
// else (an escape, an element that is not a string) undoes what was read and returns false.
bool RecordWalker::scan_tuples(std::string_view array, Format format) {
    const std::size_t tuples_before = tuples_.size();
    const std::size_t issues_before = issues_.size();
    const std::uint64_t skipped_before = skipped_tuples_;
    const auto undo = [&] {
        tuples_.resize(tuples_before);
        issues_.resize(issues_before);
        skipped_tuples_ = skipped_before;
        return false;
    };
    const char* const end = text_.data() + begin_ + size_; // the record's end: nothing is read past it
    const char* p = skip_space(array.data() + 1, end);
    if (p < end && *p == ']')
        return true;
    StepGuard step(*this, "flowTuples");
    for (std::int64_t index = 0;; ++index) {
        const char* close = p < end && *p == '"' ? string_close(p + 1, end) : nullptr;
        if (close == nullptr)
            return undo();
        path_.back().index = index;
        const std::string_view content(p + 1, static_cast<std::size_t>(close - p - 1));
        FlowTuple& tuple = tuples_.emplace_back();
        // The text goes on after the closing quote: the record's closing brackets, then its padding.
        const TupleProblem problem = parse_padded_tuple(content, format, tuple);
        if (problem) {
            tuples_.pop_back();
            if (keep_issue())
                issues_.push_back({offset_of({p, 1}), pointer(), tuple_message(content, format, problem)});
        }
        p = skip_space(close + 1, end);
        if (p < end && *p == ']')
            return true;
        if (p >= end || *p != ',')
            return undo();
        p = skip_space(p + 1, end);
    }
}

// The tuple is read where it lies in the file (the parser is not asked to copy it) unless it holds
// an escape, which no tuple Azure writes does.
void RecordWalker::read_tuple(od::value& item, Format format) {
    const std::string_view token = item.raw_json_token();
    std::string_view content;
    if (!string_content(token, content)) {
        if (keep_issue())
            issues_.push_back({offset_of(token), pointer(), "a flow tuple is a string; this one is not"});
        return;
    }
    FlowTuple& tuple = tuples_.emplace_back();
    // A string token is followed by its closing quote, then at least the record's closing brace and
    // the text's padding.
    TupleProblem problem = parse_padded_tuple(content, format, tuple);
    if (problem && content.find('\\') != std::string_view::npos &&
        item.get_string().get(content) == simdjson::SUCCESS)
        problem = parse_tuple(content, format, tuple);
    if (!problem)
        return;
    tuples_.pop_back();
    if (keep_issue())
        issues_.push_back({offset_of(token), pointer(), tuple_message(content, format, problem)});
}

bool RecordWalker::keep_issue() {
    ++skipped_tuples_;
    return issues_.size() < issue_budget_;
}

std::size_t RecordWalker::offset_of(std::string_view token) const {
    return static_cast<std::size_t>(token.data() - text_.data());
}

bool RecordWalker::read_string(od::value& value, std::string_view& out) {
    std::string_view content;
    if (!string_content(value.raw_json_token(), content))
        return reject(RecordStatus::Malformed, "expected a string");
    if (content.find('\\') == std::string_view::npos)
        out = content;
    else if (!check(value.get_string().get(out)))
        return false;
    return check_name(out);
}

// The record's names and ids (resource ids, rule names, MACs, times) are short printable texts in
// every log Azure writes. One that is not is refused with its record: a store keeps each as a key
// (PostgreSQL's unique index takes at most about 2,700 bytes, and no NUL), and one bad record must
// not stop the ingest of the rest.
bool RecordWalker::check_name(std::string_view text) {
    if (text.size() > kMaxNameBytes)
        return reject(RecordStatus::Malformed,
                      fmt::format("a name of {} bytes; names and ids in flow logs take at most {}",
                                  text.size(), kMaxNameBytes));
    const auto control = std::find_if(
        text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (control != text.end())
        return reject(RecordStatus::Malformed,
                      fmt::format("a name with the control character U+{:04X} at byte {}",
                                  static_cast<unsigned char>(*control), control - text.begin()));
    return true;
}

bool RecordWalker::check(simdjson::error_code error) {
    if (error == simdjson::SUCCESS)
        return true;
    return reject(RecordStatus::Malformed, json_problem(error));
}

bool RecordWalker::reject(RecordStatus status, std::string message) {
    outcome_.status = status;
    outcome_.message = std::move(message);
    outcome_.pointer = pointer();
    outcome_.offset = begin_;
    const char* at = nullptr;
    if (iterating_ && document_.current_location().get(at) == simdjson::SUCCESS &&
        at >= text_.data() + begin_ && at < text_.data() + text_.size())
        outcome_.offset = static_cast<std::size_t>(at - text_.data());
    return false;
}

std::string RecordWalker::pointer() const {
    std::string out;
    for (const Step& step : path_) {
        out += '/';
        out += step.key;
        if (step.index >= 0)
            out += fmt::format("/{}", step.index);
    }
    return out;
}

void RecordWalker::set_contexts() {
    for (std::size_t c = 0; c < contexts_.size(); ++c) {
        const std::size_t end = c + 1 < contexts_.size() ? first_tuple_[c + 1] : tuples_.size();
        for (std::size_t t = first_tuple_[c]; t < end; ++t)
            tuples_[t].context = &contexts_[c];
    }
}

} // namespace ztnet::flows::detail
