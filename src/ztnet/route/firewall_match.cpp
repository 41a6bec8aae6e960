// Rule matching for Azure Firewall. Each condition of a rule is Yes, No or Unknown; a rule matches
// when every condition is Yes, fails as soon as one is No, and is Unknown otherwise. A side with
// several entries (addresses, IP groups, FQDNs) matches when any entry does.
#include "ztnet/route/firewall_match.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ztnet/model/resource_id.h"
#include "ztnet/net/address_range.h"
#include "ztnet/net/port.h"
#include "ztnet/net/prefix.h"
#include "ztnet/net/protocol.h"
#include "ztnet/support/ascii.h"

namespace ztnet::route::detail {

namespace {

MatchResult yes() {
    return {Match::Yes, {}};
}
MatchResult no() {
    return {Match::No, {}};
}
MatchResult yes_if(bool condition) {
    return condition ? yes() : no();
}
MatchResult unknown(std::string why) {
    return {Match::Unknown, std::move(why)};
}

// Any-of over a side's entries: Yes wins, then Unknown (the first reason is kept), then No.
class AnyOf {
  public:
    void add(MatchResult result) {
        if (result.match == Match::Yes)
            yes_ = true;
        else if (result.match == Match::Unknown && !unknown_) {
            unknown_ = true;
            why_ = std::move(result.why);
        }
    }
    bool matched() const { return yes_; }
    MatchResult result() const {
        if (yes_)
            return yes();
        return unknown_ ? unknown(why_) : no();
    }

  private:
    bool yes_ = false;
    bool unknown_ = false;
    std::string why_;
};

// All-of over a rule's conditions. Conditions are callables so that evaluation stops at the first
// No (later conditions may be costly, e.g. a large service tag).
class AllOf {
  public:
    template <class Condition>
    void check(Condition&& condition) {
        if (failed_)
            return;
        MatchResult result = condition();
        if (result.match == Match::No)
            failed_ = true;
        else if (result.match == Match::Unknown && !unknown_) {
            unknown_ = true;
            why_ = std::move(result.why);
        }
    }
    MatchResult result() const {
        if (failed_)
            return no();
        return unknown_ ? unknown(why_) : yes();
    }

  private:
    bool failed_ = false;
    bool unknown_ = false;
    std::string why_;
};

const net::AddressSet& internet() {
    static const net::AddressSet kInternet = policy::internet_addresses();
    return kInternet;
}

MatchResult tag_contains(const MatchContext& ctx, std::string_view text, net::Address address) {
    std::string_view tag = policy::canonical_tag_name(text);
    if (model::same_id(tag, "Internet"))
        return yes_if(internet().contains(address));
    if (const net::AddressSet* set = ctx.tags.find(tag))
        return yes_if(set->contains(address));
    return unknown(fmt::format(
        "'{}' is neither an address, a prefix, a range nor a service tag of the tags file", text));
}

// One address entry as Azure Firewall accepts it: "*", an address, a prefix, a range "a-b", or a
// service tag.
MatchResult entry_contains(const MatchContext& ctx, std::string_view text, net::Address address) {
    if (text == "*")
        return yes();
    if (auto range = net::AddressRange::parse(text))
        return yes_if(range->contains(address));
    if (auto prefix = net::Prefix::parse(text))
        return yes_if(prefix->contains(address));
    return tag_contains(ctx, text, address);
}

MatchResult ip_group_contains(const MatchContext& ctx, std::string_view id, net::Address address) {
    std::optional<model::ResourceRef> ref = ctx.estate.find(id);
    if (!ref || ref->kind != model::ResourceKind::IpGroup)
        return unknown(fmt::format("IP group {} is not in the estate", id));
    AnyOf any;
    for (const std::string& entry : ctx.estate.ip_groups[ref->index].ip_addresses) {
        any.add(entry_contains(ctx, entry, address));
        if (any.matched())
            break;
    }
    return any.result();
}

MatchResult side_contains(const MatchContext& ctx, const std::vector<std::string>& addresses,
                          const std::vector<std::string>& ip_groups, net::Address address) {
    AnyOf any;
    for (const std::string& entry : addresses) {
        any.add(entry_contains(ctx, entry, address));
        if (any.matched())
            return yes();
    }
    for (const std::string& id : ip_groups) {
        any.add(ip_group_contains(ctx, id, address));
        if (any.matched())
            return yes();
    }
    return any.result();
}

MatchResult match_source(const MatchContext& ctx, const model::FirewallRule& rule) {
    return side_contains(ctx, rule.source_addresses, rule.source_ip_groups, ctx.query.flow.source);
}

// Items of a port list may themselves be comma-separated, as the portal writes them.
std::vector<std::string_view> split_commas(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = text.find(',', start);
        parts.push_back(
            text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos)
            return parts;
        start = comma + 1;
    }
}

MatchResult match_destination_ports(const std::vector<std::string>& ports, const net::Flow& flow) {
    // Ports only exist for TCP and UDP; rules match any other protocol whatever their ports say.
    if (!net::protocol_has_ports(flow.protocol))
        return yes();
    AnyOf any;
    for (const std::string& item : ports) {
        for (std::string_view piece : split_commas(item)) {
            auto set = net::parse_port_spec(piece);
            any.add(set ? yes_if(set->contains(flow.destination_port))
                        : unknown(fmt::format("destination port '{}' is not a port or a range", piece)));
        }
    }
    return any.result();
}

// Network and DNAT rules name IP protocols: TCP, UDP, ICMP or Any (every protocol).
MatchResult match_ip_protocols(const std::vector<std::string>& protocols, std::uint8_t number) {
    AnyOf any;
    for (const std::string& name : protocols) {
        if (model::same_id(name, "Any"))
            any.add(yes());
        else if (model::same_id(name, "TCP"))
            any.add(yes_if(number == net::protocol_number(net::Protocol::Tcp)));
        else if (model::same_id(name, "UDP"))
            any.add(yes_if(number == net::protocol_number(net::Protocol::Udp)));
        else if (model::same_id(name, "ICMP"))
            any.add(yes_if(number == net::protocol_number(net::Protocol::Icmp)));
        else
            any.add(unknown(fmt::format("protocol '{}' is not TCP, UDP, ICMP or Any", name)));
    }
    return any.result();
}

struct ApplicationProtocol {
    std::string_view type;
    std::uint16_t default_port;
};
constexpr ApplicationProtocol kApplicationProtocols[] = {{"Http", 80}, {"Https", 443}, {"Mssql", 1433}};

// Application rules name "Type:port" (the loader's spelling of {"protocolType", "port"}). Offline
// we see a TCP flow to a port, not the protocol spoken on it, so the port decides; whether the
// client really speaks HTTP, TLS or TDS there is the question's assumption.
MatchResult match_application_protocol(std::string_view text, const net::Flow& flow) {
    std::size_t colon = text.find(':');
    std::string_view type = text.substr(0, colon);
    const ApplicationProtocol* known = nullptr;
    for (const ApplicationProtocol& p : kApplicationProtocols) {
        if (model::same_id(type, p.type))
            known = &p;
    }
    if (known == nullptr)
        return unknown(fmt::format("application protocol '{}' is not Http, Https or Mssql", text));
    std::uint16_t port = known->default_port;
    if (colon != std::string_view::npos) {
        auto range = net::PortRange::parse(text.substr(colon + 1));
        if (!range || range->lo() != range->hi() || range->lo() == 0)
            return unknown(fmt::format("application protocol '{}' has no valid port", text));
        port = range->lo();
    }
    return yes_if(flow.protocol == net::protocol_number(net::Protocol::Tcp) && flow.destination_port == port);
}

MatchResult match_application_protocols(const std::vector<std::string>& protocols, const net::Flow& flow) {
    AnyOf any;
    for (const std::string& text : protocols)
        any.add(match_application_protocol(text, flow));
    return any.result();
}

MatchResult match_destination_fqdns(const std::vector<std::string>& fqdns,
                                    const std::optional<std::string>& fqdn) {
    if (!fqdn)
        return unknown("a network rule matches destination FQDNs (as the firewall's DNS resolves them); the "
                       "question names no destination FQDN");
    return yes_if(std::any_of(fqdns.begin(), fqdns.end(),
                              [&](const std::string& pattern) { return fqdn_matches(pattern, *fqdn); }));
}

MatchResult match_network_destination(const MatchContext& ctx, const model::FirewallRule& rule) {
    AnyOf any;
    any.add(side_contains(ctx, rule.destination_addresses, rule.destination_ip_groups,
                          ctx.query.flow.destination));
    if (!any.matched() && !rule.destination_fqdns.empty())
        any.add(match_destination_fqdns(rule.destination_fqdns, ctx.query.fqdn));
    return any.result();
}

std::string joined(const std::vector<std::string>& items) {
    return fmt::format("{}", fmt::join(items, ", "));
}

// The application side of a rule: target FQDNs, then FQDN tags and web categories, whose members
// Microsoft maintains online and which therefore never decide offline.
MatchResult match_targets(const model::FirewallRule& rule, const std::optional<std::string>& fqdn) {
    if (!rule.target_fqdns.empty()) {
        if (!fqdn)
            return unknown("an application rule matches FQDNs; the question names no destination FQDN");
        for (const std::string& pattern : rule.target_fqdns) {
            if (fqdn_matches(pattern, *fqdn))
                return yes();
        }
    }
    if (!rule.fqdn_tags.empty())
        return unknown(
            fmt::format("FQDN tags ({}) list names Microsoft maintains; their members are not known "
                        "offline",
                        joined(rule.fqdn_tags)));
    if (!rule.web_categories.empty())
        return unknown(
            fmt::format("web categories ({}) are assigned online; a name's category is not known offline",
                        joined(rule.web_categories)));
    if (rule.target_fqdns.empty())
        return unknown("the rule has no target FQDN, FQDN tag or web category in the model (target URLs are "
                       "not loaded)");
    return no();
}

std::string lower_without_trailing_dot(std::string_view text) {
    if (!text.empty() && text.back() == '.')
        text.remove_suffix(1);
    return ascii::lower(text);
}

} // namespace

bool fqdn_matches(std::string_view pattern, std::string_view fqdn) {
    std::string name = lower_without_trailing_dot(fqdn);
    std::string rule = lower_without_trailing_dot(pattern);
    if (name.empty())
        return false;
    if (!rule.empty() && rule.front() == '*')
        return name.ends_with(std::string_view(rule).substr(1));
    return name == rule;
}

MatchResult match_network_rule(const MatchContext& ctx, const model::FirewallRule& rule) {
    const net::Flow& flow = ctx.query.flow;
    AllOf all;
    all.check([&] { return match_ip_protocols(rule.protocols, flow.protocol); });
    all.check([&] { return match_destination_ports(rule.destination_ports, flow); });
    all.check([&] { return match_source(ctx, rule); });
    all.check([&] { return match_network_destination(ctx, rule); });
    return all.result();
}

MatchResult match_nat_rule(const MatchContext& ctx, const model::FirewallRule& rule) {
    const net::Flow& flow = ctx.query.flow;
    AllOf all;
    all.check([&] { return match_ip_protocols(rule.protocols, flow.protocol); });
    all.check([&] { return match_destination_ports(rule.destination_ports, flow); });
    all.check([&] { return match_source(ctx, rule); });
    all.check([&] { return side_contains(ctx, rule.destination_addresses, {}, flow.destination); });
    return all.result();
}

MatchResult match_application_rule(const MatchContext& ctx, const model::FirewallRule& rule) {
    const net::Flow& flow = ctx.query.flow;
    AllOf all;
    all.check([&] { return match_application_protocols(rule.protocols, flow); });
    all.check([&] { return match_source(ctx, rule); });
    if (!rule.destination_addresses.empty())
        all.check([&] { return side_contains(ctx, rule.destination_addresses, {}, flow.destination); });
    all.check([&] { return match_targets(rule, ctx.query.fqdn); });
    return all.result();
}

std::optional<net::Flow> translate(const model::FirewallRule& rule, const net::Flow& flow, std::string& why) {
    auto address = net::Address::parse(rule.translated_address);
    if (!address) {
        why = rule.translated_address.empty()
                  ? "the DNAT rule translates to an FQDN or to a value not known offline"
                  : fmt::format("the DNAT rule's translated address '{}' is not an IP address",
                                rule.translated_address);
        return std::nullopt;
    }
    net::Flow out = flow;
    out.destination = *address;
    if (!rule.translated_port.empty()) {
        auto port = net::PortRange::parse(rule.translated_port);
        if (!port || port->lo() != port->hi()) {
            why = fmt::format("the DNAT rule's translated port '{}' is not a single port",
                              rule.translated_port);
            return std::nullopt;
        }
        out.destination_port = port->lo();
    }
    return out;
}

} // namespace ztnet::route::detail
