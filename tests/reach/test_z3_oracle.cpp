// The Z3 oracle: on hundreds of seeded random estates, reachability, intent verification and semantic
// diff agree with a bit-vector encoding of the same NSGs (z3_encoding.h), and on every third estate
// of Virtual Network Manager's security admin rules before them, on every ordered pair of
// endpoints whose route the oracle can follow. For each pair, one query asks Z3 for a flow between
// the two endpoints' addresses on which any answer of the code differs from the encoding; every
// query must be unsatisfiable, and a satisfiable one is printed as a concrete flow with the seed.
//
// Pairs the encoding does not cover are counted, not checked: routes through an Azure Firewall (its
// rules are not re-encoded), routes that end beyond the estate (undecidable), and load balancer
// destinations (their rules re-address flows to the backends; not encoded). Most generated estates
// have no firewall, so that most pairs are checked. Pairs of endpoints without a common address
// family have no flows at all, so Reachability must report nothing for them. Every tenth estate is
// also compared with ReferenceReach (path tracing replayed cell by cell), firewalls included
// (every 50th under sanitizers).
//
// ZTNET_ORACLE_ESTATES sets how many estates (default 500), ZTNET_ORACLE_FIRST_SEED the first seed
// (default 1), so that a failing seed can be replayed alone.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ztnet/reach/diff.h"
#include "ztnet/reach/reachability.h"
#include "ztnet/reach/verify.h"
#include "ztnet/route/outbound.h"

#include "example_estate.h"
#include "paas_mutations.h"
#include "testkit/random_intent.h"
#include "testkit/synthetic_estate.h"
#include "z3_encoding.h"

namespace ztnet::reach {
namespace {

using testkit::Random;
using z3oracle::FlowSpace;
using z3oracle::PathEncoder;
using z3oracle::PathFormula;

std::uint64_t environment_number(const char* name, std::uint64_t fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0')
        return fallback;
    return std::strtoull(text, nullptr, 10);
}

// Sanitizer builds run the same estates with less work each: the slow reference on every 50th
// estate instead of every 10th, and the plain Reachability on every other one.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
constexpr std::uint64_t kReferenceEvery = kSanitized ? 50 : 10;
constexpr std::uint64_t kPlainEvery = kSanitized ? 2 : 1;

/// A generated estate, loaded, with its policy engine.
struct LoadedSynthetic {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult loaded;
    std::unique_ptr<policy::PolicyEngine> engine;

    LoadedSynthetic(const testkit::SyntheticEstate& synthetic, const policy::ServiceTags& tags) {
        loaded = testkit::load_export_text(synthetic.to_json(), "synthetic.json", sources, diagnostics);
        engine = std::make_unique<policy::PolicyEngine>(loaded.estate, tags, diagnostics);
    }

    std::string errors() const {
        std::string out;
        for (const Diagnostic& d : diagnostics.all()) {
            if (d.severity == Severity::Error)
                out += format_diagnostic(d, sources) + "\n";
        }
        return out;
    }
};

/// What the run covered, so that the test can insist that it checked something.
struct Totals {
    std::size_t estates = 0;
    std::size_t pairs = 0;
    std::size_t encoded = 0;
    std::size_t skipped_firewall = 0;
    std::size_t skipped_undecidable = 0;
    std::size_t skipped_load_balancer = 0;
    std::size_t allowed_pairs = 0; // encoded pairs with some flow allowed
    std::size_t excess_pairs = 0;  // verified pairs with excess flows
    std::size_t missing_pairs = 0; // verified pairs with missing flows
    std::size_t changed_pairs = 0; // diffed pairs with a change
    std::size_t reference_pairs = 0;
    std::size_t cross_family = 0;           // pairs without a common address family: no flow exists
    std::size_t cross_family_reachable = 0; // ... that Reachability says something reaches
    std::string cross_family_example;
    std::size_t failures = 0;
};

// Whether some IPv4 (or IPv6) address of `a` could send to one of `b`.
bool share_a_family(const ReachEndpoint& a, const ReachEndpoint& b) {
    return (!a.addresses.v4().empty() && !b.addresses.v4().empty()) ||
           (!a.addresses.v6().empty() && !b.addresses.v6().empty());
}

void count_skip(const PathFormula& path, Totals& totals) {
    switch (path.outcome) {
    case PathFormula::Outcome::Firewall:
        ++totals.skipped_firewall;
        break;
    case PathFormula::Outcome::Undecidable:
        ++totals.skipped_undecidable;
        break;
    case PathFormula::Outcome::LoadBalancer:
    case PathFormula::Outcome::OtherEndpoint:
        ++totals.skipped_load_balancer;
        break;
    case PathFormula::Outcome::Encoded:
        break;
    }
}

/// One claim of the code, against the oracle's formula for the same flows.
struct Claim {
    std::string what;     // "reach", "excess", ...
    z3::expr oracle;      // the flows the oracle says are in the set
    z3::expr code;        // the flows the code says are in the set
    std::string code_set; // the code's set, for people
};

/// Asks Z3 for a flow between the two endpoints on which some claim disagrees with the oracle;
/// reports it as a failure (with the flow) and returns false when there is one.
bool agree(FlowSpace& space, const ReachEndpoint& from, const ReachEndpoint& to,
           const std::vector<Claim>& claims, const std::string& context, Totals& totals) {
    z3::expr_vector differences(space.context());
    for (const Claim& c : claims)
        differences.push_back(c.oracle != c.code);
    std::optional<net::Flow> flow = space.find_flow(z3::mk_or(differences), from.addresses, to.addresses);
    if (!flow)
        return true;
    std::string detail;
    for (const Claim& c : claims) {
        bool oracle = space.holds_in_last_model(c.oracle);
        bool code = space.holds_in_last_model(c.code);
        if (oracle != code)
            detail +=
                fmt::format("\n  {}: the oracle says the flow is {}, the code says it is {} (code's set: {})",
                            c.what, oracle ? "in" : "out", code ? "in" : "out", c.code_set);
    }
    ++totals.failures;
    ADD_FAILURE() << context << ": Z3 finds the flow " << flow->to_string() << detail;
    return false;
}

// The endpoints a selector names, resolved here from the estate and the endpoints' addresses, to
// compare with IntentCheck::members.
std::set<std::uint32_t> expected_members(const Reachability& reach, const model::IntentSelector& s) {
    using Kind = model::IntentSelector::Kind;
    const model::Estate& estate = reach.estate();
    const auto& endpoints = reach.endpoints().endpoints;
    std::set<std::uint32_t> out;
    auto inside = [](const ReachEndpoint& e) {
        return e.kind != ReachEndpoint::Kind::Internet && e.kind != ReachEndpoint::Kind::Platform;
    };
    auto within = [&](const net::AddressSet& set, bool only_inside) {
        for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
            if ((!only_inside || inside(endpoints[i])) && set.contains(endpoints[i].addresses))
                out.insert(i);
        }
    };
    switch (s.kind) {
    case Kind::Subnet:
        for (const model::Subnet& subnet : estate.subnets) {
            if (estate.virtual_networks[subnet.virtual_network].name + "/" + subnet.name == s.value) {
                net::AddressSet prefixes;
                for (const net::Prefix& p : subnet.address_prefixes)
                    prefixes.insert(p);
                within(prefixes, true);
            }
        }
        break;
    case Kind::Prefix:
        if (auto prefix = net::Prefix::parse(s.value))
            within(net::AddressSet::from(*prefix), false);
        break;
    case Kind::Asg:
    case Kind::Vm:
        for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
            const route::Endpoint& e = endpoints[i].endpoint;
            if (endpoints[i].kind != ReachEndpoint::Kind::Nic)
                continue;
            if (s.kind == Kind::Vm) {
                model::VmIndex vm = estate.network_interfaces[e.nic].virtual_machine;
                if (vm != model::kNone && estate.virtual_machines[vm].name == s.value)
                    out.insert(i);
                continue;
            }
            for (model::AsgIndex asg : estate.network_interfaces[e.nic]
                                           .ip_configurations[e.ip_configuration]
                                           .application_security_groups) {
                if (estate.application_security_groups[asg].name == s.value)
                    out.insert(i);
            }
        }
        break;
    case Kind::Internet:
        for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
            if (endpoints[i].kind == ReachEndpoint::Kind::Internet)
                out.insert(i);
        }
        break;
    case Kind::ServiceTag:
        for (std::uint32_t i = 0; i < endpoints.size(); ++i) {
            if (endpoints[i].kind == ReachEndpoint::Kind::Platform)
                out.insert(i);
        }
        break;
    default:
        break;
    }
    return out;
}

// Every ordered pair: the NSGs on the path allow exactly what Reachability says. Returns false at
// the first disagreement (one flow per estate is enough to start from).
bool z3oracle_check_reach(FlowSpace& space, PathEncoder& paths, Reachability& reach, std::uint64_t seed,
                          Totals& totals) {
    const auto& endpoints = reach.endpoints().endpoints;
    const auto pair_name = [&](std::uint32_t a, std::uint32_t b) {
        return fmt::format("seed {}, {} -> {}", seed, endpoints[a].name, endpoints[b].name);
    };
    for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
        for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
            if (a == b)
                continue;
            ++totals.pairs;
            if (!share_a_family(endpoints[a], endpoints[b])) {
                // No packet goes from an IPv4 address to an IPv6 one: nothing to ask Z3.
                ++totals.cross_family;
                const ServiceSet& allowed = reach.between(a, b).allowed;
                if (!allowed.empty() && totals.cross_family_reachable++ == 0)
                    totals.cross_family_example = pair_name(a, b) + ": " + allowed.to_string();
                continue;
            }
            PathFormula path = paths.path(endpoints[a], endpoints[b]);
            if (!path.allowed) {
                count_skip(path, totals);
                continue;
            }
            ++totals.encoded;
            const PairReach& r = reach.between(a, b);
            EXPECT_TRUE(r.undecidable.empty()) << pair_name(a, b) << ": " << r.undecidable.to_string();
            totals.allowed_pairs += r.allowed.empty() ? 0 : 1;
            std::vector<Claim> claims{
                {"reach", *path.allowed, space.services(r.allowed), r.allowed.to_string()}};
            if (!agree(space, endpoints[a], endpoints[b], claims, "reach: " + pair_name(a, b), totals))
                return false;
        }
    }
    return true;
}

// ---- one estate ----

class EstateCheck {
  public:
    EstateCheck(std::uint64_t seed, const policy::ServiceTags& tags, Totals& totals)
        : seed_(seed), tags_(tags), totals_(totals) {}

    void run() {
        testkit::SyntheticEstate synthetic = testkit::generate_estate(testkit::small(seed_));
        if (seed_ % 3 == 0) { // Virtual Network Manager's admin rules before the NSGs, on a third of them
            Random admin(seed_ * 104729 + 3);
            changes_ +=
                "admin rules: " + testkit::add_admin_rules(synthetic, admin.between(1, 6), false, admin) +
                "; ";
        }
        testkit::SyntheticEstate changed = synthetic;
        Random random(seed_ * 7919 + 17);
        int mutations = random.between(1, 3);
        for (int i = 0; i < mutations; ++i)
            changes_ +=
                testkit::mutate(changed, static_cast<testkit::Mutation>(random.below(3)), random) + "; ";
        LoadedSynthetic before(synthetic, tags_);
        LoadedSynthetic after(changed, tags_);
        ASSERT_FALSE(before.diagnostics.has_errors()) << "seed " << seed_ << ":\n" << before.errors();
        ASSERT_FALSE(after.diagnostics.has_errors()) << "seed " << seed_ << " (" << changes_ << "):\n"
                                                     << after.errors();
        FlowSpace space;
        PathEncoder before_paths(space, *before.engine, before.diagnostics);
        PathEncoder after_paths(space, *after.engine, after.diagnostics);

        // Reachability as the commands build it, without extra conditions. (The verify and diff
        // check below covers reach on every estate, on versions built with extra conditions.)
        if (seed_ % kPlainEvery == 0 || seed_ % kReferenceEvery == 0) {
            Reachability plain(*before.engine, before.diagnostics);
            check_reach(space, before_paths, plain);
            if (seed_ % kReferenceEvery == 0)
                check_reference(*before.engine, plain);
        }

        model::Intent intent = random_intent(synthetic, random);
        std::vector<net::AddressSet> intent_conditions = intent_address_conditions(intent, tags_);
        std::vector<net::AddressSet> before_extra =
            estate_address_conditions(*after.engine, after.diagnostics);
        std::vector<net::AddressSet> after_extra =
            estate_address_conditions(*before.engine, before.diagnostics);
        before_extra.insert(before_extra.end(), intent_conditions.begin(), intent_conditions.end());
        after_extra.insert(after_extra.end(), intent_conditions.begin(), intent_conditions.end());
        Reachability before_reach(*before.engine, before.diagnostics, before_extra);
        Reachability after_reach(*after.engine, after.diagnostics, after_extra);
        ASSERT_TRUE(before_reach.class_table()); // verify and diff read the pairs from the tables
        ASSERT_TRUE(after_reach.class_table());
        Diagnostics intent_diagnostics;
        IntentCheck check(before_reach, intent, tags_, intent_diagnostics);
        ASSERT_FALSE(intent_diagnostics.has_errors())
            << "seed " << seed_ << ": " << intent_diagnostics.all().front().message;
        check_members(before_reach, check, intent);
        ReachDiff diff(before_reach, after_reach);
        check_verify_and_diff(space, before_paths, after_paths, before_reach, after_reach, check, intent,
                              diff);
        ++totals_.estates;
    }

  private:
    std::string pair_name(const Reachability& reach, std::uint32_t a, std::uint32_t b) const {
        const auto& e = reach.endpoints().endpoints;
        return fmt::format("seed {}, {} -> {}", seed_, e[a].name, e[b].name);
    }

    void check_reach(FlowSpace& space, PathEncoder& paths, Reachability& reach) {
        z3oracle_check_reach(space, paths, reach, seed_, totals_);
    }

    // The slow reference (path tracing replayed cell by cell) agrees with Reachability everywhere,
    // firewalls included.
    void check_reference(const policy::PolicyEngine& engine, Reachability& reach) {
        ReferenceReach reference(engine);
        Diagnostics diagnostics;
        const auto& endpoints = reach.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b)
                    continue;
                ++totals_.reference_pairs;
                PairReach slow = reference.between(endpoints[a], endpoints[b]);
                const PairReach& fast = reach.between(a, b);
                if (slow.allowed != fast.allowed || slow.undecidable != fast.undecidable) {
                    ++totals_.failures;
                    ADD_FAILURE() << "reference: " << pair_name(reach, a, b) << ": Reachability allows "
                                  << fast.allowed.to_string() << " (undecidable "
                                  << fast.undecidable.to_string() << "), the reference "
                                  << slow.allowed.to_string() << " (undecidable "
                                  << slow.undecidable.to_string() << ")";
                    return;
                }
            }
        }
    }

    // IntentCheck's groups are what the selectors name, resolved here independently.
    void check_members(const Reachability& reach, const IntentCheck& check, const model::Intent& intent) {
        for (std::size_t g = 0; g < intent.groups.size(); ++g) {
            std::set<std::uint32_t> expected;
            for (const model::IntentSelector& s : intent.groups[g].selectors) {
                std::set<std::uint32_t> named = expected_members(reach, s);
                expected.insert(named.begin(), named.end());
            }
            std::set<std::uint32_t> actual(check.members(g).begin(), check.members(g).end());
            if (actual != expected) {
                std::string text;
                for (std::uint32_t i : actual)
                    text += (expected.count(i) ? " " : " +") + reach.endpoints().endpoints[i].name;
                for (std::uint32_t i : expected)
                    text += actual.count(i) ? "" : " -" + reach.endpoints().endpoints[i].name;
                ++totals_.failures;
                ADD_FAILURE() << "seed " << seed_ << ": group " << intent.groups[g].name
                              << " resolves to (+ unexpected, - missing):" << text;
            }
        }
    }

    // The intent's flows from a to b, encoded from the intent itself (members are checked above).
    z3::expr intended(FlowSpace& space, const IntentCheck& check, const model::Intent& intent,
                      std::uint32_t a, std::uint32_t b) {
        auto in_groups = [&](const std::vector<std::string>& names, std::uint32_t endpoint) {
            for (std::size_t g = 0; g < intent.groups.size(); ++g) {
                const auto& m = check.members(g);
                if (std::find(names.begin(), names.end(), intent.groups[g].name) != names.end() &&
                    std::find(m.begin(), m.end(), endpoint) != m.end())
                    return true;
            }
            return false;
        };
        z3::expr_vector any(space.context());
        for (const auto* list : {&intent.flows, &intent.platform_flows}) {
            for (const model::IntentFlow& f : *list) {
                if (!in_groups(f.from, a) || !in_groups(f.to, b))
                    continue;
                z3::expr tcp_or_udp =
                    space.protocols(net::ProtocolSet::single(6).unite(net::ProtocolSet::single(17)));
                any.push_back(space.protocols(f.protocols) &&
                              (!tcp_or_udp || space.destination_ports(f.ports)));
            }
        }
        return any.empty() ? space.truth(false) : z3::mk_or(any);
    }

    // Per pair of the diff's endpoints: both versions' reachability, the intent's excess and missing
    // flows (on the before version), and what the change newly allows and denies.
    void check_verify_and_diff(FlowSpace& space, PathEncoder& before_paths, PathEncoder& after_paths,
                               Reachability& before, Reachability& after, IntentCheck& check,
                               const model::Intent& intent, ReachDiff& diff) {
        const auto& pairings = diff.endpoints();
        const auto& before_endpoints = before.endpoints().endpoints;
        const auto& after_endpoints = after.endpoints().endpoints;
        bool all_encoded = true;
        bool any_violation = false;
        for (std::uint32_t i = 0; i < pairings.size(); ++i) {
            const EndpointPairing& p = pairings[i];
            if (p.before == EndpointPairing::kNoEndpoint || p.after == EndpointPairing::kNoEndpoint) {
                ++totals_.failures;
                ADD_FAILURE() << "seed " << seed_ << " (" << changes_ << "): endpoint " << p.name
                              << " is in one version only, though the change only touches rules";
                return;
            }
            EXPECT_EQ(before_endpoints[p.before].addresses, after_endpoints[p.after].addresses) << p.name;
        }
        for (std::uint32_t i = 0; i < pairings.size(); ++i) {
            for (std::uint32_t j = 0; j < pairings.size(); ++j) {
                if (i == j)
                    continue;
                std::uint32_t bi = pairings[i].before;
                std::uint32_t bj = pairings[j].before;
                std::uint32_t ai = pairings[i].after;
                std::uint32_t aj = pairings[j].after;
                if (!share_a_family(before_endpoints[bi], before_endpoints[bj]))
                    continue; // no flows; counted by check_reach
                ServiceSet excess = check.excess(bi, bj);
                ServiceSet missing = check.missing(bi, bj);
                any_violation |= !excess.empty() || !missing.empty();
                PathFormula path_before = before_paths.path(before_endpoints[bi], before_endpoints[bj]);
                PathFormula path_after = after_paths.path(after_endpoints[ai], after_endpoints[aj]);
                if (!path_before.allowed || !path_after.allowed) {
                    all_encoded = false;
                    continue;
                }
                const ServiceSet& allowed_before = before.between(bi, bj).allowed;
                const ServiceSet& allowed_after = after.between(ai, aj).allowed;
                ServiceSet newly_allowed = diff.newly_allowed(i, j);
                ServiceSet newly_denied = diff.newly_denied(i, j);
                ServiceSet intended_by_code = check.intended(bi, bj);
                totals_.excess_pairs += excess.empty() ? 0 : 1;
                totals_.missing_pairs += missing.empty() ? 0 : 1;
                totals_.changed_pairs += newly_allowed.empty() && newly_denied.empty() ? 0 : 1;
                const z3::expr& was = *path_before.allowed;
                const z3::expr& is = *path_after.allowed;
                z3::expr wanted = intended(space, check, intent, bi, bj);
                // Nothing from the platform is excess; nothing is missing from a frontend (it sends
                // nothing) or to the platform address (nothing is delivered there).
                bool from_platform = before_endpoints[bi].kind == ReachEndpoint::Kind::Platform;
                bool asks_nothing = before_endpoints[bi].kind == ReachEndpoint::Kind::LoadBalancer ||
                                    before_endpoints[bj].kind == ReachEndpoint::Kind::Platform;
                std::vector<Claim> claims{
                    {"reach before", was, space.services(allowed_before), allowed_before.to_string()},
                    {"reach after", is, space.services(allowed_after), allowed_after.to_string()},
                    {"intended", wanted, space.services(intended_by_code), intended_by_code.to_string()},
                    {"excess", from_platform ? space.truth(false) : was && !wanted, space.services(excess),
                     excess.to_string()},
                    {"missing", asks_nothing ? space.truth(false) : wanted && !was, space.services(missing),
                     missing.to_string()},
                    {"newly allowed", is && !was, space.services(newly_allowed), newly_allowed.to_string()},
                    {"newly denied", was && !is, space.services(newly_denied), newly_denied.to_string()},
                };
                std::string context =
                    fmt::format("verify/diff: {} (change: {})", pair_name(before, bi, bj), changes_);
                if (!agree(space, before_endpoints[bi], before_endpoints[bj], claims, context, totals_))
                    return;
            }
        }
        // verify_intent's verdict is the union of the pairs' answers (when every pair could be encoded,
        // those answers are the oracle's too).
        Diagnostics diagnostics;
        VerifyResult result = verify_intent(before, check);
        EXPECT_EQ(result.holds(), !any_violation)
            << "seed " << seed_ << (all_encoded ? "" : " (some pairs not encoded)");
    }

    std::uint64_t seed_;
    const policy::ServiceTags& tags_;
    Totals& totals_;
    std::string changes_;
};

TEST(Z3Oracle, ReachVerifyAndDiffAgreeOnRandomEstates) {
    const std::uint64_t count = environment_number("ZTNET_ORACLE_ESTATES", 500);
    const std::uint64_t first = environment_number("ZTNET_ORACLE_FIRST_SEED", 1);
    policy::ServiceTags tags = testing::sample_tags();
    Totals totals;
    for (std::uint64_t seed = first; seed < first + count && totals.failures < 10; ++seed) {
        try {
            EstateCheck(seed, tags, totals).run();
        } catch (const z3::exception& e) {
            ++totals.failures;
            ADD_FAILURE() << "seed " << seed << ": Z3: " << e.msg();
        }
    }
    std::printf(
        "[ oracle ] %zu estates, %zu ordered pairs: %zu encoded (%zu allowing something), %zu through a "
        "firewall, %zu undecidable, %zu to load balancers; %zu with excess, %zu with missing flows, %zu "
        "changed by a diff; %zu pairs against the reference; %zu pairs without a common address family\n",
        totals.estates, totals.pairs, totals.encoded, totals.allowed_pairs, totals.skipped_firewall,
        totals.skipped_undecidable, totals.skipped_load_balancer, totals.excess_pairs, totals.missing_pairs,
        totals.changed_pairs, totals.reference_pairs, totals.cross_family);
    EXPECT_EQ(totals.estates, count);
    EXPECT_EQ(totals.cross_family_reachable, 0U)
        << "of " << totals.cross_family << " pairs between an IPv4-only and an IPv6-only endpoint, "
        << totals.cross_family_reachable << " are reported reachable, e.g. " << totals.cross_family_example;
    // The run must have checked something worth checking: most pairs encoded (or without a common
    // address family), and every kind of answer non-empty somewhere.
    EXPECT_GT((totals.encoded + totals.cross_family) * 10, totals.pairs * 8);
    EXPECT_GT(totals.allowed_pairs, 0U);
    EXPECT_GT(totals.excess_pairs, 0U);
    EXPECT_GT(totals.missing_pairs, 0U);
    EXPECT_GT(totals.changed_pairs, 0U);
    if (count >= kReferenceEvery) {
        EXPECT_GT(totals.reference_pairs, 0U);
    }
}

// Private subnets (some with a NAT gateway) and private endpoints under random network policies,
// made in the model of generated estates: reachability against the encoding (a source needs a way
// out to the Internet; a private endpoint's subnet NSG filters only where its policies say so).
TEST(Z3Oracle, PrivateSubnetsAndPrivateEndpointsAgree) {
    const std::uint64_t count = kSanitized ? 20 : 80;
    Totals totals;
    std::size_t to_endpoints = 0; // encoded pairs towards a private endpoint
    std::size_t closed = 0;       // encoded pairs to the Internet that find no way out
    for (std::uint64_t seed = 1; seed <= count && totals.failures < 10; ++seed) {
        auto generated = testkit::load_generated(testkit::small(seed));
        testkit::LoadedEstate& loaded = *generated;
        ASSERT_FALSE(loaded.diagnostics.has_errors()) << "seed " << seed;
        std::mt19937_64 random(seed * 977);
        testing::make_private_subnets(loaded.estate, random);
        testing::add_private_endpoints(loaded.estate, random);
        policy::PolicyEngine engine(loaded.estate, loaded.tags, loaded.diagnostics);
        Reachability reach(engine, loaded.diagnostics);
        FlowSpace space;
        PathEncoder paths(space, engine, loaded.diagnostics);
        try {
            z3oracle_check_reach(space, paths, reach, seed, totals);
        } catch (const z3::exception& e) {
            ++totals.failures;
            ADD_FAILURE() << "seed " << seed << ": Z3: " << e.msg();
        }
        const auto& endpoints = reach.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a)
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b || !paths.path(endpoints[a], endpoints[b]).allowed)
                    continue;
                to_endpoints += endpoints[b].kind == ReachEndpoint::Kind::PrivateEndpoint ? 1 : 0;
                closed += endpoints[b].kind == ReachEndpoint::Kind::Internet &&
                                  route::outbound_access(loaded.estate, endpoints[a].endpoint).kind ==
                                      route::OutboundAccess::Kind::None
                              ? 1
                              : 0;
            }
    }
    EXPECT_EQ(totals.failures, 0U);
    EXPECT_GT(to_endpoints, 100U);
    EXPECT_GT(closed, 10U);
}

// The oracle is not blind: a set with one service too few or too many is caught, and the flow Z3
// returns is that service, between the endpoints. Checked from a NIC (one address, substituted) and
// from a piece of the Internet (a set of addresses Z3 searches).
TEST(Z3Oracle, CatchesAWrongAnswer) {
    policy::ServiceTags tags = testing::sample_tags();
    bool from_nic = false;
    bool from_internet = false;
    for (std::uint64_t seed = 1; seed < 60 && !(from_nic && from_internet); ++seed) {
        LoadedSynthetic estate(testkit::generate_estate(testkit::small(seed)), tags);
        Reachability reach(*estate.engine, estate.diagnostics);
        FlowSpace space;
        PathEncoder paths(space, *estate.engine, estate.diagnostics);
        const auto& endpoints = reach.endpoints().endpoints;
        for (std::uint32_t a = 0; a < endpoints.size(); ++a) {
            bool nic = endpoints[a].kind == ReachEndpoint::Kind::Nic;
            bool internet = endpoints[a].kind == ReachEndpoint::Kind::Internet;
            if ((nic && from_nic) || (internet && from_internet) || (!nic && !internet))
                continue;
            for (std::uint32_t b = 0; b < endpoints.size(); ++b) {
                if (a == b || !share_a_family(endpoints[a], endpoints[b]))
                    continue;
                PathFormula path = paths.path(endpoints[a], endpoints[b]);
                const ServiceSet& allowed = reach.between(a, b).allowed;
                if (!path.allowed || allowed.empty() || allowed.full())
                    continue;
                Service dropped = *allowed.example();
                ServiceSet fewer = allowed.subtract(ServiceSet::single(dropped));
                std::optional<net::Flow> flow = space.find_flow(
                    *path.allowed != space.services(fewer), endpoints[a].addresses, endpoints[b].addresses);
                ASSERT_TRUE(flow.has_value()) << endpoints[a].name << " -> " << endpoints[b].name;
                EXPECT_EQ(flow->protocol, dropped.protocol);
                if (has_ports(dropped.protocol)) {
                    EXPECT_EQ(flow->source_port, dropped.source_port);
                    EXPECT_EQ(flow->destination_port, dropped.destination_port);
                }
                EXPECT_TRUE(endpoints[a].addresses.contains(flow->source)) << flow->to_string();
                EXPECT_TRUE(endpoints[b].addresses.contains(flow->destination)) << flow->to_string();
                ServiceSet more =
                    allowed.unite(ServiceSet::single(*ServiceSet::all().subtract(allowed).example()));
                EXPECT_TRUE(space.find_flow(*path.allowed != space.services(more), endpoints[a].addresses,
                                            endpoints[b].addresses));
                EXPECT_FALSE(space.find_flow(*path.allowed != space.services(allowed), endpoints[a].addresses,
                                             endpoints[b].addresses));
                (nic ? from_nic : from_internet) = true;
                break;
            }
        }
    }
    EXPECT_TRUE(from_nic) << "no NIC with a partial allowed set in 60 estates";
    EXPECT_TRUE(from_internet) << "no piece of the Internet with a partial allowed set in 60 estates";
}

TEST(SyntheticEstate, SameSeedSameBytesOtherSeedOtherBytes) {
    std::string a = testkit::generate_estate(testkit::small(7)).to_json();
    EXPECT_EQ(a, testkit::generate_estate(testkit::small(7)).to_json());
    EXPECT_NE(a, testkit::generate_estate(testkit::small(8)).to_json());
}

TEST(SyntheticEstate, SmallEstatesLoadWithoutErrorsAndStayInTheirRanges) {
    policy::ServiceTags tags = testing::sample_tags();
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        testkit::EstateParameters p = testkit::small(seed);
        LoadedSynthetic estate(testkit::generate_estate(p), tags);
        EXPECT_FALSE(estate.diagnostics.has_errors()) << "seed " << seed << ":\n" << estate.errors();
        const model::Estate& e = estate.loaded.estate;
        EXPECT_GE(e.network_interfaces.size(), 4U);
        EXPECT_LE(e.network_interfaces.size(), 10U);
        EXPECT_GE(e.network_security_groups.size(), 2U);
        EXPECT_LE(e.network_security_groups.size(), 5U);
        EXPECT_EQ(e.azure_firewalls.size(), p.with_firewall ? 1U : 0U);
        std::size_t rules = 0;
        for (const model::NetworkSecurityGroup& n : e.network_security_groups)
            rules += n.rules.size();
        EXPECT_EQ(rules, static_cast<std::size_t>(p.rules_total)) << "seed " << seed;
    }
}

TEST(SyntheticEstate, EnterprisePresetHasTheAdvertisedSize) {
    testkit::SyntheticEstate e = testkit::generate_estate(testkit::enterprise());
    std::size_t rules = 0;
    for (const testkit::SyntheticNsg& n : e.nsgs)
        rules += n.rules.size();
    std::size_t asgs = 0;
    for (const testkit::SyntheticVnet& v : e.vnets)
        asgs += v.asg_ids.size();
    EXPECT_EQ(e.vm_names.size(), 10000U);
    EXPECT_EQ(e.nsgs.size(), 500U);
    EXPECT_EQ(rules, 50000U);
    EXPECT_EQ(asgs, 300U);
}

} // namespace
} // namespace ztnet::reach
