// Internal to the route module: whether one Azure Firewall rule matches one query. A rule can match,
// not match, or depend on something the estate and the question do not tell (a tag missing from
// the tags file, an FQDN the question does not name, an FQDN tag): then the answer is Unknown with
// the reason, and the caller decides what that means for the verdict.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ztnet/model/estate.h"
#include "ztnet/net/flow.h"
#include "ztnet/policy/service_tags.h"
#include "ztnet/route/firewall.h"

namespace ztnet::route::detail {

enum class Match : std::uint8_t { No, Yes, Unknown };

/// A match outcome; `why` says what is missing when the outcome is Unknown.
struct MatchResult {
    Match match = Match::No;
    std::string why;
};

/// What rule matching reads besides the rule.
struct MatchContext {
    const model::Estate& estate;
    const policy::ServiceTags& tags;
    const FirewallQuery& query;
};

/// Network rule: protocol, destination port, source (addresses, IP groups), destination
/// (addresses, IP groups, service tags, FQDNs).
MatchResult match_network_rule(const MatchContext& ctx, const model::FirewallRule& rule);

/// DNAT rule: protocol, destination port, source, and the destination (the firewall's public IP).
MatchResult match_nat_rule(const MatchContext& ctx, const model::FirewallRule& rule);

/// Application rule: protocol:port (HTTP, HTTPS, MSSQL over TCP), source, optional destination
/// addresses, then target FQDNs (with leading wildcards), FQDN tags and web categories.
MatchResult match_application_rule(const MatchContext& ctx, const model::FirewallRule& rule);

/// Whether a target FQDN pattern matches a name, as the Azure Firewall FAQ documents: a leading
/// `*` matches anything to its left ("*.contoso.com" matches a.b.contoso.com but not contoso.com;
/// "*contoso.com" matches contoso.com), "*" alone matches every name; otherwise the names must be
/// equal. Case-insensitive; a trailing dot on the name is ignored.
bool fqdn_matches(std::string_view pattern, std::string_view fqdn);

/// The flow after a DNAT rule: destination address and port replaced by the rule's translated
/// ones (the port kept when the rule names none). nullopt, with `why`, when the translated address
/// is not an IP address (a translated FQDN, or a value a template left unknown).
std::optional<net::Flow> translate(const model::FirewallRule& rule, const net::Flow& flow, std::string& why);

} // namespace ztnet::route::detail
