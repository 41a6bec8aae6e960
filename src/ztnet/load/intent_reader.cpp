#include "ztnet/load/intent_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <set>
#include <span>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ztnet/json/value.h"
#include "ztnet/load/detail/yaml_tree.h"
#include "ztnet/net/prefix.h"

namespace ztnet::load {
namespace {

using model::IntentFlow;
using model::IntentGroup;
using model::IntentSelector;

using detail::YamlNode;

constexpr detail::YamlFileKind kIntentFile{"intent", "intent file", "intent files",
                                           "expected at least 'version: 1'"};

// Past this many errors the rest are not reported: a broken or hostile file must not produce
// millions of diagnostics.
constexpr std::size_t kMaxErrors = 100;

// ---------------------------------------------------------------------------------------------
// Text for messages.

// `text` in single quotes, shortened, control and non-ASCII bytes as \xNN, for an error message
// (messages stay printable and valid UTF-8 whatever the file held).
std::string quote_text(std::string_view text) {
    constexpr std::size_t kMax = 64;
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte >= 0x7f)
            out += fmt::format("\\x{:02x}", byte);
        else
            out += text[i];
    }
    if (text.size() > kMax)
        out += "...";
    return out + "'";
}

std::string describe(const YamlNode& node) {
    switch (node.kind) {
    case YamlNode::Kind::Null:
        return "nothing";
    case YamlNode::Kind::Scalar:
        return "the value " + quote_text(node.text);
    case YamlNode::Kind::Sequence:
        return "a list";
    case YamlNode::Kind::Map:
        return "a mapping";
    }
    return "nothing";
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

// Whether `text` may name an Azure resource or service tag: not empty, no space or control byte.
bool is_plain_reference(std::string_view text) {
    return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
}

// Edit distance, for "did you mean"; names longer than this are not compared.
constexpr std::size_t kMaxSuggestLength = 64;

// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: "wbe" is one from "web".
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::string join(std::span<const std::string_view> words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : (i + 1 == words.size() ? " or " : ", ")) + std::string(words[i]);
    return out;
}

constexpr std::array<std::string_view, 5> kTopKeys{"version", "default", "groups", "flows", "platform"};
constexpr std::array<std::string_view, 5> kFlowKeys{"name", "from", "to", "protocol", "ports"};

// ---------------------------------------------------------------------------------------------
// The intent layer: walks the tree along the schema of docs/intent.md. The schema is at most four
// levels deep, so nothing here recurses.

struct MapEntry {
    const YamlNode* key;
    const YamlNode* value;
    std::string pointer; // of the value
};

// A group name as a flow uses it, kept with its place until every group is known.
struct GroupReference {
    std::string name;
    SourceLocation where;
};

class IntentWalker {
  public:
    IntentWalker(const SourceSet& sources, FileId file, Diagnostics& diagnostics, const IntentLimits& limits)
        : sources_(sources), file_(file), diagnostics_(diagnostics), limits_(limits) {}

    void read(const YamlNode& root, model::Intent& intent) {
        if (root.kind != YamlNode::Kind::Map) {
            error("intent-type",
                  "expected a mapping with 'version', 'groups' and 'flows' at the top of the intent file, "
                  "found " +
                      describe(root),
                  root, "");
            return;
        }
        const std::vector<MapEntry> entries =
            map_entries(root, "", kTopKeys, "at the top of the intent file");
        const MapEntry* version = find(entries, "version");
        if (version == nullptr)
            error("intent-missing-key", "the intent file has no 'version'; add 'version: 1' at the top", root,
                  "");
        else
            read_version(*version);
        if (const MapEntry* fallback = find(entries, "default"))
            read_default(*fallback);
        if (const MapEntry* groups = find(entries, "groups"))
            read_groups(*groups, intent);
        if (const MapEntry* flows = find(entries, "flows"))
            read_flows(*flows, false, intent.flows);
        if (const MapEntry* platform = find(entries, "platform"))
            read_flows(*platform, true, intent.platform_flows);
        check_references(intent);
    }

    bool failed() const { return errors_ > 0; }

  private:
    // -- diagnostics

    SourceLocation at(const YamlNode& node, std::string pointer) const {
        return {file_, node.offset, std::move(pointer)};
    }
    void error(std::string code, std::string message, const YamlNode& node, std::string pointer) {
        error_at(std::move(code), std::move(message), at(node, std::move(pointer)));
    }
    void error_at(std::string code, std::string message, SourceLocation where) {
        ++errors_;
        if (errors_ < kMaxErrors) {
            diagnostics_.error(std::move(code), std::move(message), std::move(where));
        } else if (errors_ == kMaxErrors) {
            diagnostics_.error("intent-too-many-errors",
                               fmt::format("more than {} errors; the rest are not reported", kMaxErrors - 1),
                               std::move(where));
        }
    }
    std::uint32_t line_of(std::uint32_t offset) const { return sources_.line_column(file_, offset).line; }

    // -- generic shapes

    bool expect(const YamlNode& node, YamlNode::Kind kind, std::string_view what,
                const std::string& pointer) {
        if (node.kind == kind)
            return true;
        error("intent-type", fmt::format("expected {}, found {}", what, describe(node)), node, pointer);
        return false;
    }

    // The entries of a mapping whose keys are text and unique; unknown keys (when `known` is not
    // empty) and duplicates are reported and left out.
    std::vector<MapEntry> map_entries(const YamlNode& map, const std::string& pointer,
                                      std::span<const std::string_view> known, std::string_view where_text,
                                      std::string_view noun = "key", bool ignore_case = false) {
        std::vector<MapEntry> out;
        std::map<std::string, const YamlNode*, std::less<>> seen;
        for (std::size_t i = 0; i + 1 < map.children.size(); i += 2) {
            const YamlNode& key = map.children[i];
            if (key.kind != YamlNode::Kind::Scalar) {
                error("intent-type", fmt::format("expected a name as a key, found {}", describe(key)), key,
                      pointer);
                continue;
            }
            std::string child_pointer = pointer + "/" + json::pointer_token(key.text);
            if (!known.empty() && std::find(known.begin(), known.end(), key.text) == known.end()) {
                error("intent-unknown-key",
                      fmt::format("unknown key {} {}; expected {}", quote_text(key.text), where_text,
                                  join(known)),
                      key, std::move(child_pointer));
                continue;
            }
            auto [first, inserted] = seen.emplace(ignore_case ? lower(key.text) : key.text, &key);
            if (!inserted) {
                const bool spelt_otherwise = first->second->text != key.text;
                error(noun == "key" ? "intent-duplicate-key" : "intent-duplicate-group",
                      fmt::format("{} {} appears twice {} (first at line {}{})", noun, quote_text(key.text),
                                  where_text, line_of(first->second->offset),
                                  spelt_otherwise ? " as " + quote_text(first->second->text) +
                                                        "; names ignore letter case"
                                                  : ""),
                      key, std::move(child_pointer));
                continue;
            }
            out.push_back({&key, &map.children[i + 1], std::move(child_pointer)});
        }
        return out;
    }

    static const MapEntry* find(const std::vector<MapEntry>& entries, std::string_view key) {
        for (const MapEntry& entry : entries) {
            if (entry.key->text == key)
                return &entry;
        }
        return nullptr;
    }

    // A value that may be one scalar or a list of scalars: the scalars with their pointers. Other
    // shapes are reported; an empty list is reported as `empty_message`.
    std::vector<std::pair<const YamlNode*, std::string>> scalars(const YamlNode& node,
                                                                 const std::string& pointer,
                                                                 std::string_view what,
                                                                 std::string_view empty_message) {
        std::vector<std::pair<const YamlNode*, std::string>> out;
        if (node.kind == YamlNode::Kind::Scalar) {
            out.emplace_back(&node, pointer);
            return out;
        }
        if (node.kind != YamlNode::Kind::Sequence) {
            error("intent-type", fmt::format("expected {} or a list of them, found {}", what, describe(node)),
                  node, pointer);
            return out;
        }
        if (node.children.empty()) {
            error("intent-type", std::string(empty_message), node, pointer);
            return out;
        }
        if (!within_limit(node.children.size(), node, pointer, "entries in one list"))
            return out;
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            std::string item_pointer = pointer + "/" + std::to_string(i);
            if (expect(node.children[i], YamlNode::Kind::Scalar, what, item_pointer))
                out.emplace_back(&node.children[i], std::move(item_pointer));
        }
        return out;
    }

    bool within_limit(std::size_t count, const YamlNode& node, const std::string& pointer,
                      std::string_view what) {
        if (count <= limits_.max_items)
            return true;
        error("intent-too-many", fmt::format("{} {}, over the limit of {}", count, what, limits_.max_items),
              node, pointer);
        return false;
    }

    // -- top-level keys

    void read_version(const MapEntry& entry) {
        const YamlNode& value = *entry.value;
        if (value.kind == YamlNode::Kind::Scalar && value.text == "1")
            return;
        error("intent-version",
              fmt::format("expected 'version: 1' (the only version of the intent format), found {}",
                          describe(value)),
              value, entry.pointer);
    }

    void read_default(const MapEntry& entry) {
        const YamlNode& value = *entry.value;
        if (value.kind == YamlNode::Kind::Scalar && lower(value.text) == "deny")
            return;
        error("intent-default",
              fmt::format(
                  "expected 'default: deny', found {}: an intent lists the flows to allow and everything "
                  "else must be denied (Zero Trust), so no other default exists",
                  describe(value)),
              value, entry.pointer);
    }

    // -- groups

    void read_groups(const MapEntry& entry, model::Intent& intent) {
        const YamlNode& map = *entry.value;
        if (!expect(map, YamlNode::Kind::Map, "a mapping of group names to selectors", entry.pointer))
            return;
        if (!within_limit(map.children.size() / 2, map, entry.pointer, "groups"))
            return;
        for (const MapEntry& group : map_entries(map, entry.pointer, {}, "in 'groups'", "group", true))
            read_group(group, intent);
    }

    void read_group(const MapEntry& entry, model::Intent& intent) {
        const std::string& name = entry.key->text;
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char)) {
            rejected_groups_.insert(lower(name));
            error("intent-group-name",
                  fmt::format("group name {} is not valid; use letters, digits, '-', '_' and '.'",
                              quote_text(name)),
                  *entry.key, entry.pointer);
            return;
        }
        if (lower(name) == model::kInternetGroup) {
            error("intent-group-name",
                  "group name 'internet' is built in (the Internet service tag); choose another name",
                  *entry.key, entry.pointer);
            return;
        }
        IntentGroup group{name, {}, at(*entry.key, entry.pointer)};
        const YamlNode& value = *entry.value;
        if (!expect(value, YamlNode::Kind::Map, "a mapping of selectors (subnet, asg, vm, ...)",
                    entry.pointer)) {
            rejected_groups_.insert(lower(name));
            return;
        }
        for (const MapEntry& selector : map_entries(value, entry.pointer, model::kSelectorKeys, "in a group"))
            read_selector(selector, group);
        if (group.selectors.empty()) {
            rejected_groups_.insert(lower(name));
            if (value.children.empty())
                error("intent-empty-group",
                      fmt::format("group {} selects nothing; give it at least one selector: {}",
                                  quote_text(name), join(model::kSelectorKeys)),
                      *entry.key, entry.pointer);
            return;
        }
        intent.groups.push_back(std::move(group));
    }

    void read_selector(const MapEntry& entry, IntentGroup& group) {
        const IntentSelector::Kind kind = *model::selector_kind(entry.key->text);
        if (kind == IntentSelector::Kind::Internet) {
            const YamlNode& value = *entry.value;
            if (value.kind == YamlNode::Kind::Scalar && lower(value.text) == "true")
                group.selectors.push_back({kind, "", at(value, entry.pointer)});
            else
                error("intent-selector", fmt::format("expected 'internet: true', found {}", describe(value)),
                      value, entry.pointer);
            return;
        }
        const std::string what = "a " + entry.key->text + " name";
        for (const auto& [node, pointer] :
             scalars(*entry.value, entry.pointer,
                     kind == IntentSelector::Kind::Prefix ? "an address prefix" : what,
                     fmt::format("the {} list is empty; give at least one value", entry.key->text))) {
            if (check_selector_value(kind, entry.key->text, *node, pointer))
                group.selectors.push_back({kind, node->text, at(*node, pointer)});
        }
    }

    bool check_selector_value(IntentSelector::Kind kind, const std::string& key, const YamlNode& node,
                              const std::string& pointer) {
        const std::string& text = node.text;
        if (kind == IntentSelector::Kind::Prefix) {
            auto prefix = net::Prefix::parse_strict(text);
            if (!prefix)
                error("intent-selector", prefix.error().message, node, pointer);
            return prefix.ok();
        }
        if (!is_plain_reference(text)) {
            error("intent-selector",
                  fmt::format("expected a {} name or resource id, found {}: names hold no spaces", key,
                              quote_text(text)),
                  node, pointer);
            return false;
        }
        if (kind == IntentSelector::Kind::Subnet && text.front() != '/' &&
            std::count(text.begin(), text.end(), '/') > 1) {
            error("intent-selector",
                  fmt::format("expected a subnet as 'name', 'vnet/subnet' or a resource id, found {}",
                              quote_text(text)),
                  node, pointer);
            return false;
        }
        return true;
    }

    // -- flows

    void read_flows(const MapEntry& entry, bool platform, std::vector<IntentFlow>& out) {
        const YamlNode& list = *entry.value;
        if (!expect(list, YamlNode::Kind::Sequence, "a list of flows", entry.pointer))
            return;
        flow_count_ += list.children.size();
        if (!within_limit(flow_count_, list, entry.pointer, "flows"))
            return;
        for (std::size_t i = 0; i < list.children.size(); ++i) {
            if (auto flow = read_flow(list.children[i], entry.pointer + "/" + std::to_string(i), platform))
                out.push_back(std::move(*flow));
        }
    }

    std::optional<IntentFlow> read_flow(const YamlNode& node, const std::string& pointer, bool platform) {
        if (!expect(node, YamlNode::Kind::Map, "a flow (a mapping with 'from', 'to', 'protocol' and 'ports')",
                    pointer))
            return std::nullopt;
        const std::size_t errors_before = errors_;
        IntentFlow flow;
        flow.platform = platform;
        flow.where = at(node, pointer);
        const std::vector<MapEntry> entries = map_entries(node, pointer, kFlowKeys, "in a flow");
        if (const MapEntry* name = find(entries, "name")) {
            if (expect(*name->value, YamlNode::Kind::Scalar, "a flow name", name->pointer))
                flow.name = name->value->text;
        }
        read_endpoints(entries, "from", node, pointer, flow.from);
        read_endpoints(entries, "to", node, pointer, flow.to);
        const MapEntry* protocol = find(entries, "protocol");
        flow.protocols = protocol != nullptr
                             ? read_protocol(*protocol)
                             : net::ProtocolSet::single(net::protocol_number(net::Protocol::Tcp));
        if (const MapEntry* ports = find(entries, "ports"))
            flow.ports = read_ports(*ports, protocol, flow.protocols);
        if (errors_ != errors_before)
            return std::nullopt;
        return flow;
    }

    void read_endpoints(const std::vector<MapEntry>& entries, std::string_view key, const YamlNode& flow,
                        const std::string& pointer, std::vector<std::string>& out) {
        const MapEntry* entry = find(entries, key);
        if (entry == nullptr) {
            error("intent-missing-key",
                  fmt::format("the flow has no '{}'; give a group name or a list of group names", key), flow,
                  pointer);
            return;
        }
        for (const auto& [node, item_pointer] :
             scalars(*entry->value, entry->pointer, "a group name",
                     fmt::format("'{}' lists no group; give at least one group name", key))) {
            out.push_back(node->text);
            references_.push_back({node->text, at(*node, item_pointer)});
        }
    }

    net::ProtocolSet read_protocol(const MapEntry& entry) {
        const YamlNode& value = *entry.value;
        if (value.kind == YamlNode::Kind::Scalar) {
            const std::string text = lower(value.text);
            if (text == "any" || text == "*")
                return net::ProtocolSet::all();
            if (!text.empty() && text.size() <= 3 &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                const int number = std::stoi(text);
                if (number <= 255)
                    return net::ProtocolSet::single(static_cast<std::uint8_t>(number));
            }
            for (int number = 0; number <= 255; ++number) {
                const std::string_view name = net::protocol_name(static_cast<std::uint8_t>(number));
                if (!name.empty() && lower(name) == text)
                    return net::ProtocolSet::single(static_cast<std::uint8_t>(number));
            }
        }
        error("intent-protocol",
              fmt::format(
                  "expected a protocol: tcp, udp, icmp, icmpv6, esp, ah, any, * or a number 0-255; found {}",
                  describe(value)),
              value, entry.pointer);
        return net::ProtocolSet::single(net::protocol_number(net::Protocol::Tcp));
    }

    net::PortSet read_ports(const MapEntry& entry, const MapEntry* protocol_entry,
                            const net::ProtocolSet& protocols) {
        net::PortSet ports;
        for (const auto& [node, pointer] :
             scalars(*entry.value, entry.pointer, "a port (443), a range (\"8000-8080\") or \"*\"",
                     "the ports list is empty; give at least one port, or leave 'ports' out for all ports")) {
            auto parsed = net::parse_port_spec(node->text);
            if (parsed)
                ports = ports.unite(*parsed);
            else
                error("intent-port", parsed.error().message, *node, pointer);
        }
        if (ports.empty() || ports.full())
            return net::PortSet::all();
        // As in an NSG rule, ports narrow TCP and UDP and leave other protocols whole; a flow whose
        // protocols all lack ports cannot be narrowed, so ports there are a mistake.
        const net::ProtocolSet with_ports =
            net::ProtocolSet::single(net::protocol_number(net::Protocol::Tcp))
                .unite(net::ProtocolSet::single(net::protocol_number(net::Protocol::Udp)));
        if (!with_ports.overlaps(protocols)) {
            const std::string name =
                protocol_entry != nullptr && protocol_entry->value->kind == YamlNode::Kind::Scalar
                    ? quote_text(protocol_entry->value->text)
                    : std::string("'tcp'");
            error(
                "intent-port",
                fmt::format(
                    "ports apply only to tcp and udp, and protocol {} has no ports; leave 'ports' out", name),
                *entry.value, entry.pointer);
        }
        return ports;
    }

    // -- group references

    void check_references(model::Intent& intent) {
        std::map<std::string, std::size_t> index; // lower-case name -> position in intent.groups
        for (std::size_t i = 0; i < intent.groups.size(); ++i)
            index.emplace(lower(intent.groups[i].name), i);
        std::vector<bool> used(intent.groups.size(), false);
        std::size_t suggestions = 0;
        std::optional<SourceLocation> internet_where;
        for (const GroupReference& reference : references_) {
            const std::string key = lower(reference.name);
            if (key == model::kInternetGroup) {
                if (!internet_where)
                    internet_where = reference.where;
                continue;
            }
            if (auto found = index.find(key); found != index.end()) {
                used[found->second] = true;
                continue;
            }
            if (rejected_groups_.count(key) != 0)
                continue; // the group was written but had errors, already reported
            std::string message =
                fmt::format("the flow uses group {}, which is not defined", quote_text(reference.name));
            if (suggestions < kMaxErrors) {
                ++suggestions;
                if (const std::string hint = closest_group(intent, reference.name); !hint.empty())
                    message += fmt::format("; did you mean {}?", quote_text(hint));
                else
                    message += "; define it under 'groups' (the only built-in group is 'internet')";
            }
            error_at("intent-undefined-group", std::move(message), reference.where);
        }
        // Flows name each group as it was defined, so later stages can compare names exactly.
        for (auto* flows : {&intent.flows, &intent.platform_flows}) {
            for (IntentFlow& flow : *flows) {
                for (auto* names : {&flow.from, &flow.to}) {
                    for (std::string& name : *names) {
                        const std::string key = lower(name);
                        if (auto found = index.find(key); found != index.end())
                            name = intent.groups[found->second].name;
                        else if (key == model::kInternetGroup)
                            name = model::kInternetGroup;
                    }
                }
            }
        }
        warn_unused(intent, used);
        if (internet_where) {
            IntentGroup internet{std::string(model::kInternetGroup),
                                 {{IntentSelector::Kind::Internet, "", *internet_where}},
                                 *internet_where};
            intent.groups.push_back(std::move(internet));
        }
    }

    void warn_unused(const model::Intent& intent, const std::vector<bool>& used) {
        std::size_t unused = 0;
        for (std::size_t i = 0; i < intent.groups.size(); ++i) {
            if (used[i])
                continue;
            if (++unused <= kMaxErrors)
                diagnostics_.warning(
                    "intent-unused-group",
                    fmt::format("group {} is not used by any flow", quote_text(intent.groups[i].name)),
                    intent.groups[i].where);
        }
        if (unused > kMaxErrors)
            diagnostics_.warning("intent-unused-group",
                                 fmt::format("{} more groups are not used by any flow", unused - kMaxErrors),
                                 {file_, kNoOffset, ""});
    }

    static std::string closest_group(const model::Intent& intent, std::string_view name) {
        if (name.size() > kMaxSuggestLength)
            return {};
        std::string best;
        std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1; // a hint only when close
        std::size_t compared = 0;
        for (const IntentGroup& group : intent.groups) {
            if (group.name.size() > kMaxSuggestLength || ++compared > 1000)
                continue;
            const std::size_t distance = edit_distance(lower(name), lower(group.name));
            if (distance < best_distance) {
                best_distance = distance;
                best = group.name;
            }
        }
        return best;
    }

    const SourceSet& sources_;
    FileId file_;
    Diagnostics& diagnostics_;
    const IntentLimits& limits_;
    std::size_t errors_ = 0;
    std::size_t flow_count_ = 0;
    std::vector<GroupReference> references_;
    std::set<std::string> rejected_groups_; // lower-case names of groups with errors
};

// ---------------------------------------------------------------------------------------------

} // namespace

std::optional<model::Intent> read_intent(const SourceSet& sources, FileId file, Diagnostics& diagnostics,
                                         const IntentLimits& limits) {
    std::optional<YamlNode> root = detail::read_yaml_document(
        sources.text(file), file, diagnostics, limits.max_bytes, limits.max_depth, kIntentFile);
    if (!root)
        return std::nullopt;
    model::Intent intent;
    intent.path = sources.name(file);
    IntentWalker walker(sources, file, diagnostics, limits);
    walker.read(*root, intent);
    if (walker.failed())
        return std::nullopt;
    return intent;
}

std::optional<model::Intent> read_intent_file(const std::string& path, SourceSet& sources,
                                              Diagnostics& diagnostics, const IntentLimits& limits) {
    std::optional<FileId> file = detail::read_limited_file(path, sources, diagnostics, limits.max_bytes);
    if (!file)
        return std::nullopt;
    return read_intent(sources, *file, diagnostics, limits);
}

} // namespace ztnet::load
