#include "ztnet/load/attack_policy_reader.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include <fmt/format.h>

#include "ztnet/load/detail/yaml_tree.h"

namespace ztnet::load {
namespace {

using detail::YamlNode;

constexpr detail::YamlFileKind kAttackPolicyFile{"attack-policy", "attack policy file", "attack policy files",
                                                 "expected at least 'version: 1'"};

class Walker {
  public:
    Walker(FileId file, Diagnostics& diagnostics, const AttackPolicyLimits& limits)
        : file_(file), diagnostics_(diagnostics), limits_(limits) {}

    model::AttackPolicy read(const YamlNode& root) {
        model::AttackPolicy policy = model::AttackPolicy::defaults();
        if (root.kind != YamlNode::Kind::Map) {
            error(root, "expected a mapping with 'version: 1'");
            return policy;
        }
        bool version = false;
        for (std::size_t i = 0; i + 1 < root.children.size(); i += 2) {
            const YamlNode& key = root.children[i];
            const YamlNode& value = root.children[i + 1];
            if (key.text == "version") {
                version = true;
                if (value.kind != YamlNode::Kind::Scalar || value.text != "1")
                    error(value, "unsupported version; expected 1");
            } else if (key.text == "management") {
                policy.management = services(value, key.text);
            } else if (key.text == "exploitable") {
                policy.exploitable = services(value, key.text);
            } else if (key.text == "crown-jewels") {
                policy.crown_jewels = names(value);
            } else if (key.text == "internet-hops") {
                policy.internet_hops = hops(value);
            } else {
                error(key, fmt::format("unknown key '{}'; expected version, management, exploitable, "
                                       "crown-jewels or internet-hops",
                                       key.text));
            }
        }
        if (!version)
            error(root, "missing 'version: 1'");
        return policy;
    }

    bool failed() const { return failed_; }

  private:
    // A list, or nothing (an empty list written as `key:`); nullptr after an error.
    const std::vector<YamlNode>* list(const YamlNode& value, std::string_view what) {
        static const std::vector<YamlNode> kEmpty;
        if (value.kind == YamlNode::Kind::Null)
            return &kEmpty;
        if (value.kind != YamlNode::Kind::Sequence) {
            error(value, fmt::format("'{}' must be a list", what));
            return nullptr;
        }
        if (value.children.size() > limits_.max_items) {
            error(value, fmt::format("more than {} entries in '{}'", limits_.max_items, what));
            return nullptr;
        }
        return &value.children;
    }

    std::vector<model::AttackService> services(const YamlNode& value, std::string_view what) {
        std::vector<model::AttackService> out;
        if (const auto* items = list(value, what)) {
            for (const YamlNode& item : *items) {
                if (auto s = service(item))
                    out.push_back(std::move(*s));
            }
        }
        return out;
    }

    std::optional<model::AttackService> service(const YamlNode& item) {
        if (item.kind != YamlNode::Kind::Map) {
            error(item, "each service is a mapping with name, protocol and ports");
            return std::nullopt;
        }
        model::AttackService s;
        s.where = {file_, item.offset, ""};
        bool named = false, has_protocol = false, has_ports = false;
        for (std::size_t i = 0; i + 1 < item.children.size(); i += 2) {
            const YamlNode& key = item.children[i];
            const YamlNode& value = item.children[i + 1];
            if (key.text == "name") {
                named = scalar(value, "name", s.name);
            } else if (key.text == "protocol") {
                has_protocol = protocol(value, s.protocols);
            } else if (key.text == "ports") {
                has_ports = ports(value, s.ports);
            } else {
                error(key, fmt::format("unknown key '{}'; expected name, protocol or ports", key.text));
            }
        }
        if (!named)
            error(item, "missing 'name'");
        if (!has_ports)
            error(item, "missing 'ports'");
        if (!has_protocol)
            s.protocols = net::ProtocolSet::single(6); // TCP, as almost every service an attacker uses
        if (!named || !has_ports)
            return std::nullopt;
        return s;
    }

    bool scalar(const YamlNode& value, std::string_view what, std::string& out) {
        if (value.kind != YamlNode::Kind::Scalar || value.text.empty()) {
            error(value, fmt::format("'{}' must be a non-empty text", what));
            return false;
        }
        out = value.text;
        return true;
    }

    bool protocol(const YamlNode& value, net::ProtocolSet& out) {
        std::string text;
        if (!scalar(value, "protocol", text))
            return false;
        std::string lower = text;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
        if (lower == "tcp" || lower == "udp") {
            out = net::ProtocolSet::single(lower == "tcp" ? 6 : 17);
            return true;
        }
        error(value, fmt::format("protocol '{}': expected tcp or udp", text));
        return false;
    }

    // A port, a range, "80,443", or a list of those.
    bool ports(const YamlNode& value, net::PortSet& out) {
        std::vector<std::string_view> entries;
        if (value.kind == YamlNode::Kind::Scalar) {
            entries.push_back(value.text);
        } else if (value.kind == YamlNode::Kind::Sequence && !value.children.empty()) {
            for (const YamlNode& entry : value.children) {
                if (entry.kind != YamlNode::Kind::Scalar) {
                    error(entry, "each port is a number or a range such as 5985-5986");
                    return false;
                }
                entries.push_back(entry.text);
            }
        } else {
            error(value, "'ports' must be a port, a range or a list of them");
            return false;
        }
        auto parsed = net::parse_port_list(entries);
        if (!parsed) {
            error(value, "ports: " + parsed.error().message);
            return false;
        }
        if (parsed->full()) {
            error(value, "ports: every port is no service; name the ports an attacker uses");
            return false;
        }
        out = std::move(*parsed);
        return true;
    }

    std::vector<std::string> names(const YamlNode& value) {
        std::vector<std::string> out;
        if (const auto* items = list(value, "crown-jewels")) {
            for (const YamlNode& item : *items) {
                std::string name;
                if (scalar(item, "crown-jewels entry", name))
                    out.push_back(std::move(name));
            }
        }
        return out;
    }

    int hops(const YamlNode& value) {
        constexpr int kMost = 16;
        int n = 0;
        const std::string& text = value.text;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (value.kind != YamlNode::Kind::Scalar || ec != std::errc() || end != text.data() + text.size() ||
            n < 1 || n > kMost) {
            error(value, fmt::format("'internet-hops' must be a whole number from 1 to {}", kMost));
            return model::AttackPolicy::defaults().internet_hops;
        }
        return n;
    }

    void error(const YamlNode& node, std::string message) {
        failed_ = true;
        diagnostics_.error("attack-policy-invalid", std::move(message), {file_, node.offset, ""});
    }

    FileId file_;
    Diagnostics& diagnostics_;
    const AttackPolicyLimits& limits_;
    bool failed_ = false;
};

} // namespace

std::optional<model::AttackPolicy> read_attack_policy(const SourceSet& sources, FileId file,
                                                      Diagnostics& diagnostics,
                                                      const AttackPolicyLimits& limits) {
    auto root = detail::read_yaml_document(sources.text(file), file, diagnostics, limits.max_bytes,
                                           limits.max_depth, kAttackPolicyFile);
    if (!root)
        return std::nullopt;
    Walker walker(file, diagnostics, limits);
    model::AttackPolicy policy = walker.read(*root);
    if (walker.failed())
        return std::nullopt;
    policy.path = sources.name(file);
    return policy;
}

std::optional<model::AttackPolicy> read_attack_policy_file(const std::string& path, SourceSet& sources,
                                                           Diagnostics& diagnostics,
                                                           const AttackPolicyLimits& limits) {
    std::optional<FileId> file = detail::read_limited_file(path, sources, diagnostics, limits.max_bytes);
    if (!file)
        return std::nullopt;
    return read_attack_policy(sources, *file, diagnostics, limits);
}

} // namespace ztnet::load
