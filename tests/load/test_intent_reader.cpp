#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "ztnet/load/intent_reader.h"

namespace ztnet::load {
namespace {

using model::IntentSelector;
using Kind = IntentSelector::Kind;

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;

struct Read {
    SourceSet sources;
    Diagnostics diagnostics;
    std::optional<model::Intent> intent;

    // "line:col code" of the first error, or "" when there is none.
    std::string first_error() const {
        for (const Diagnostic& d : diagnostics.all()) {
            if (d.severity != Severity::Error)
                continue;
            if (!d.where.has_offset())
                return "?:? " + d.code;
            LineColumn lc = sources.line_column(d.where.file, d.where.offset);
            return std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " + d.code;
        }
        return "";
    }
    std::string first_message() const {
        for (const Diagnostic& d : diagnostics.all()) {
            if (d.severity == Severity::Error)
                return d.message;
        }
        return "";
    }
    std::string everything() const {
        std::string out;
        for (const Diagnostic& d : diagnostics.all())
            out += format_diagnostic(d, sources) + "\n";
        return out;
    }
};

Read read(std::string_view text, const IntentLimits& limits = {}) {
    Read r;
    FileId file = r.sources.add("test.ztnet.yaml", std::string(text));
    r.intent = read_intent(r.sources, file, r.diagnostics, limits);
    return r;
}

// A valid file up to the flows, to which a test appends its own flows.
const std::string kHead = "version: 1\n"
                          "groups:\n"
                          "  web: { subnet: snet-web }\n"
                          "  app: { asg: asg-app }\n";

const model::IntentFlow& only_flow(const Read& r) {
    static const model::IntentFlow kNoFlow;
    EXPECT_TRUE(r.intent.has_value()) << r.everything();
    if (!r.intent || r.intent->flows.size() != 1) {
        ADD_FAILURE() << "expected one flow\n" << r.everything();
        return kNoFlow;
    }
    return r.intent->flows[0];
}

std::vector<std::string> names(const std::vector<std::string>& v) {
    return v;
}

// ---- the examples

// The flow of that name among the application or platform flows, or nullptr.
const model::IntentFlow* find_flow(const model::Intent& intent, std::string_view name) {
    for (const auto* flows : {&intent.flows, &intent.platform_flows}) {
        for (const model::IntentFlow& flow : *flows) {
            if (flow.name == name)
                return &flow;
        }
    }
    return nullptr;
}

std::optional<model::Intent> read_example(std::string_view folder, SourceSet& sources,
                                          Diagnostics& diagnostics) {
    return read_intent_file(std::string(ZTNET_SOURCE_DIR "/examples/") + std::string(folder) +
                                "/three-tier.ztnet.yaml",
                            sources, diagnostics);
}

// The guidance's three-tier flows, as both examples state them (a flow to an internal load
// balancer's frontend stands for the flow on to its backends).
struct GuidanceFlow {
    const char* name;
    std::vector<std::string> from, to;
    std::uint16_t port;
};
const GuidanceFlow kGuidance[] = {
    {"internet to app gateway", {"internet"}, {"appgw"}, 443},
    {"app gateway to web", {"appgw"}, {"web"}, 443},
    {"web to app load balancer", {"web"}, {"app-lb"}, 443},
    {"app to data load balancer", {"app"}, {"data-lb"}, 1433},
    {"data to data (replication)", {"data"}, {"data"}, 1433},
};

TEST(IntentReader, ReadsTheZeroTrustExample) {
    SourceSet sources;
    Diagnostics diagnostics;
    auto intent = read_example("zero-trust-spoke", sources, diagnostics);
    ASSERT_TRUE(intent.has_value()) << format_diagnostic(diagnostics.all().front(), sources);
    EXPECT_TRUE(diagnostics.all().empty()) << format_diagnostic(diagnostics.all().front(), sources);
    EXPECT_TRUE(intent->default_deny);
    EXPECT_NE(intent->path.find("three-tier.ztnet.yaml"), std::string::npos);

    const model::IntentGroup* appgw = intent->find_group("appgw");
    ASSERT_NE(appgw, nullptr);
    ASSERT_EQ(appgw->selectors.size(), 1u);
    EXPECT_EQ(appgw->selectors[0].kind, Kind::ApplicationGateway);
    EXPECT_EQ(appgw->selectors[0].value, "agw-spoke");
    const model::IntentGroup* data = intent->find_group("data");
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->selectors.at(0).kind, Kind::Asg);
    EXPECT_EQ(data->selectors.at(0).value, "asg-data");
    const model::IntentGroup* bastion = intent->find_group("bastion");
    ASSERT_NE(bastion, nullptr);
    EXPECT_EQ(bastion->selectors.at(0).kind, Kind::Subnet);
    EXPECT_EQ(bastion->selectors.at(0).value, "vnet-hub/AzureBastionSubnet");
    ASSERT_NE(intent->find_group("app-lb"), nullptr);
    EXPECT_EQ(intent->find_group("app-lb")->selectors.at(0).kind, Kind::LoadBalancer);
    ASSERT_NE(intent->find_group("load-balancer-probes"), nullptr);
    EXPECT_EQ(intent->find_group("load-balancer-probes")->selectors.at(0).value, "AzureLoadBalancer");
    // The flows use `internet`, so the built-in group is there for the resolver.
    const model::IntentGroup* internet = intent->find_group("internet");
    ASSERT_NE(internet, nullptr);
    EXPECT_EQ(internet->selectors.at(0).kind, Kind::Internet);

    for (const GuidanceFlow& expected : kGuidance) {
        const model::IntentFlow* flow = find_flow(*intent, expected.name);
        ASSERT_NE(flow, nullptr) << expected.name;
        EXPECT_FALSE(flow->platform) << expected.name;
        EXPECT_EQ(flow->from, expected.from) << expected.name;
        EXPECT_EQ(flow->to, expected.to) << expected.name;
        EXPECT_EQ(flow->protocols, net::ProtocolSet::single(kTcp)) << expected.name;
        EXPECT_EQ(flow->ports, net::PortSet::single(expected.port)) << expected.name;
    }

    // Management: SSH only, from Bastion, as the hardened NSGs allow (they deny RDP).
    const model::IntentFlow* management = find_flow(*intent, "bastion to the VMs");
    ASSERT_NE(management, nullptr);
    EXPECT_EQ(management->from, names({"bastion"}));
    EXPECT_EQ(management->to, names({"web", "app", "data"}));
    EXPECT_EQ(management->ports, net::PortSet::single(22));
    const model::IntentFlow* ntp = find_flow(*intent, "time sync");
    ASSERT_NE(ntp, nullptr);
    EXPECT_EQ(ntp->protocols, net::ProtocolSet::single(kUdp));
    EXPECT_EQ(ntp->ports, net::PortSet::single(123));

    // Platform flows: the health probes of both internal load balancers, and App Gateway's own.
    for (const model::IntentFlow& flow : intent->platform_flows)
        EXPECT_TRUE(flow.platform);
    const model::IntentFlow* app_probes = find_flow(*intent, "app load balancer probes");
    ASSERT_NE(app_probes, nullptr);
    EXPECT_TRUE(app_probes->platform);
    EXPECT_EQ(app_probes->from, names({"load-balancer-probes"}));
    EXPECT_EQ(app_probes->to, names({"app"}));
    EXPECT_EQ(app_probes->ports, net::PortSet::single(443));
    const model::IntentFlow* data_probes = find_flow(*intent, "data load balancer probes");
    ASSERT_NE(data_probes, nullptr);
    EXPECT_EQ(data_probes->to, names({"data"}));
    EXPECT_EQ(data_probes->ports, net::PortSet::single(1433));
    const model::IntentFlow* appgw_probes = find_flow(*intent, "app gateway probes");
    ASSERT_NE(appgw_probes, nullptr);
    EXPECT_TRUE(appgw_probes->protocols.full());
    EXPECT_TRUE(appgw_probes->ports.full());
}

TEST(IntentReader, LegacyExampleStatesTheSameGuidanceFlows) {
    SourceSet sources;
    Diagnostics diagnostics;
    auto legacy = read_example("legacy-spoke", sources, diagnostics);
    auto hardened = read_example("zero-trust-spoke", sources, diagnostics);
    ASSERT_TRUE(legacy.has_value()) << format_diagnostic(diagnostics.all().front(), sources);
    ASSERT_TRUE(hardened.has_value());
    EXPECT_TRUE(diagnostics.all().empty()) << format_diagnostic(diagnostics.all().front(), sources);

    ASSERT_NE(legacy->find_group("appgw"), nullptr);
    EXPECT_EQ(legacy->find_group("appgw")->selectors.at(0).value, "agw-orders");
    ASSERT_NE(legacy->find_group("web"), nullptr);
    EXPECT_EQ(legacy->find_group("web")->selectors.at(0).kind, Kind::Subnet);
    EXPECT_EQ(legacy->find_group("web")->selectors.at(0).value, "vnet-orders/snet-web");
    ASSERT_NE(legacy->find_group("data-lb"), nullptr);
    EXPECT_EQ(legacy->find_group("data-lb")->selectors.at(0).value, "lbi-data");

    for (const GuidanceFlow& expected : kGuidance) {
        const model::IntentFlow* mine = find_flow(*legacy, expected.name);
        const model::IntentFlow* theirs = find_flow(*hardened, expected.name);
        ASSERT_NE(mine, nullptr) << expected.name;
        ASSERT_NE(theirs, nullptr) << expected.name;
        EXPECT_EQ(mine->from, theirs->from) << expected.name;
        EXPECT_EQ(mine->to, theirs->to) << expected.name;
        EXPECT_EQ(mine->protocols, theirs->protocols) << expected.name;
        EXPECT_EQ(mine->ports, theirs->ports) << expected.name;
    }
    const model::IntentFlow* infrastructure = find_flow(*legacy, "app gateway infrastructure");
    ASSERT_NE(infrastructure, nullptr);
    EXPECT_TRUE(infrastructure->platform);
    EXPECT_EQ(infrastructure->ports, net::PortSet::range(65200, 65535));
}

TEST(IntentModel, SelectorKeysRoundTrip) {
    EXPECT_EQ(model::selector_key(Kind::ApplicationGateway), "application-gateway");
    EXPECT_EQ(model::selector_key(Kind::ServiceTag), "service-tag");
    for (std::string_view key : model::kSelectorKeys)
        EXPECT_EQ(model::selector_key(*model::selector_kind(key)), key);
    EXPECT_FALSE(model::selector_kind("subnets").has_value());
}

TEST(IntentReader, ReadsTheExampleInTheDocumentation) {
    std::ifstream in(ZTNET_SOURCE_DIR "/docs/intent.md");
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t start = doc.find("```yaml\nversion: 1");
    ASSERT_NE(start, std::string::npos);
    const std::size_t body = doc.find('\n', start) + 1;
    Read r = read(doc.substr(body, doc.find("```", body) - body));
    ASSERT_TRUE(r.intent.has_value()) << r.everything();
    EXPECT_TRUE(r.diagnostics.all().empty()) << r.everything();
    EXPECT_EQ(r.intent->flows.size(), 6u);
    EXPECT_EQ(r.intent->platform_flows.size(), 2u);
}

// ---- values

TEST(IntentReader, ReadsPortRangesListsAndDefaults) {
    Read range = read(kHead + "flows:\n  - {from: web, to: app, ports: \"8000-8080\"}\n");
    EXPECT_EQ(only_flow(range).ports, net::PortSet::range(8000, 8080));
    EXPECT_EQ(only_flow(range).protocols, net::ProtocolSet::single(kTcp)); // tcp by default

    Read list = read(kHead + "flows:\n  - {from: web, to: app, ports: [80, 443, 8000-8080]}\n");
    net::PortSet expected = net::PortSet::single(80).unite(net::PortSet::single(443));
    EXPECT_EQ(only_flow(list).ports, expected.unite(net::PortSet::range(8000, 8080)));

    // As in an NSG rule: the ports narrow TCP and UDP, every other protocol stays whole.
    Read any = read(kHead + "flows:\n  - {from: web, to: app, protocol: any, ports: 80}\n");
    EXPECT_TRUE(only_flow(any).protocols.full());
    EXPECT_EQ(only_flow(any).ports, net::PortSet::single(80));

    Read star = read(kHead + "flows:\n  - {from: web, to: app, ports: \"*\"}\n");
    EXPECT_TRUE(only_flow(star).ports.full());
    Read absent = read(kHead + "flows:\n  - {from: web, to: app}\n");
    EXPECT_TRUE(only_flow(absent).ports.full());
}

TEST(IntentReader, ReadsProtocols) {
    struct Case {
        const char* text;
        net::ProtocolSet expected;
    } cases[] = {
        {"udp", net::ProtocolSet::single(kUdp)}, {"TCP", net::ProtocolSet::single(kTcp)},
        {"icmp", net::ProtocolSet::single(1)},   {"icmpv6", net::ProtocolSet::single(58)},
        {"47", net::ProtocolSet::single(47)},    {"0", net::ProtocolSet::single(0)},
        {"any", net::ProtocolSet::all()},        {"\"*\"", net::ProtocolSet::all()},
    };
    for (const Case& c : cases) {
        Read r = read(kHead + "flows:\n  - {from: web, to: app, protocol: " + c.text + "}\n");
        EXPECT_EQ(only_flow(r).protocols, c.expected) << c.text;
    }
}

TEST(IntentReader, GroupsAreTheUnionOfTheirSelectors) {
    Read r = read("version: 1\n"
                  "groups:\n"
                  "  mixed:\n"
                  "    vm: [vm-data-1, vm-data-2]\n"
                  "    prefix: [10.1.3.0/24, 'fd00::/64', 10.9.9.9]\n"
                  "    subnet: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
                  "virtualNetworks/v/subnets/s\n"
                  "    nic: nic-1\n"
                  "    internet: true\n"
                  "flows:\n  - {from: mixed, to: mixed}\n");
    ASSERT_TRUE(r.intent.has_value()) << r.everything();
    const model::IntentGroup* group = r.intent->find_group("mixed");
    ASSERT_NE(group, nullptr);
    ASSERT_EQ(group->selectors.size(), 8u);
    EXPECT_EQ(group->selectors[0].kind, Kind::Vm);
    EXPECT_EQ(group->selectors[1].value, "vm-data-2");
    EXPECT_EQ(group->selectors[3].value, "fd00::/64");
    EXPECT_EQ(group->selectors[4].value, "10.9.9.9");
    EXPECT_EQ(group->selectors[5].kind, Kind::Subnet);
    EXPECT_EQ(group->selectors[6].kind, Kind::Nic);
    EXPECT_EQ(group->selectors[7].kind, Kind::Internet);
    EXPECT_EQ(group->selectors[7].value, "");
    // Places: the second vm is on line 4, column 21.
    LineColumn lc = r.sources.line_column(0, group->selectors[1].where.offset);
    EXPECT_EQ(lc.line, 4u);
    EXPECT_EQ(lc.column, 21u);
    EXPECT_EQ(group->selectors[1].where.pointer, "/groups/mixed/vm/1");
    EXPECT_EQ(r.intent->find_group("internet"), nullptr); // not used, so not added
}

TEST(IntentReader, FlowsTakeListsOfGroupsAndKeepTheirPlace) {
    Read r = read(kHead + "flows:\n  - name: both ways\n    from: [web, app]\n    to: [app, web]\n"
                          "platform:\n  - {from: internet, to: web, ports: 443}\n");
    const model::IntentFlow& flow = only_flow(r);
    EXPECT_EQ(flow.name, "both ways");
    EXPECT_EQ(flow.from, names({"web", "app"}));
    EXPECT_EQ(flow.to, names({"app", "web"}));
    EXPECT_EQ(flow.where.pointer, "/flows/0");
    EXPECT_EQ(r.sources.line_column(0, flow.where.offset).line, 6u);
    ASSERT_EQ(r.intent->platform_flows.size(), 1u);
    EXPECT_TRUE(r.intent->platform_flows[0].platform);
    ASSERT_NE(r.intent->find_group("internet"), nullptr);
}

TEST(IntentReader, GroupNamesIgnoreLetterCase) {
    Read r = read(kHead + "flows:\n  - {from: WEB, to: [App, Internet]}\n");
    const model::IntentFlow& flow = only_flow(r);
    // Flows carry the names as the groups define them.
    EXPECT_EQ(flow.from, names({"web"}));
    EXPECT_EQ(flow.to, names({"app", "internet"}));
    ASSERT_NE(r.intent->find_group("Web"), nullptr);
    EXPECT_EQ(r.intent->find_group("Web")->name, "web");
    ASSERT_NE(r.intent->find_group("internet"), nullptr);

    Read twice = read("version: 1\ngroups:\n  web: {subnet: a}\n  Web: {subnet: b}\n");
    EXPECT_EQ(twice.first_error(), "4:3 intent-duplicate-group");
    EXPECT_NE(twice.first_message().find("names ignore letter case"), std::string::npos);
    Read reserved = read("version: 1\ngroups:\n  Internet: {prefix: 0.0.0.0/0}\n");
    EXPECT_EQ(reserved.first_error(), "3:3 intent-group-name");
}

TEST(IntentReader, UnusedGroupIsAWarningOnly) {
    Read r = read(kHead + "flows:\n  - {from: web, to: web}\n");
    ASSERT_TRUE(r.intent.has_value()) << r.everything();
    ASSERT_EQ(r.diagnostics.warning_count(), 1u);
    EXPECT_EQ(r.diagnostics.all()[0].code, "intent-unused-group");
    EXPECT_NE(r.diagnostics.all()[0].message.find("'app'"), std::string::npos);
}

TEST(IntentReader, PositionsCountBytesAfterABomAndCrlf) {
    Read bom = read("\xEF\xBB\xBFversion: 2\n");
    EXPECT_EQ(bom.first_error(), "1:13 intent-version");
    Read crlf = read("version: 1\r\ngroups:\r\n  web: {subnet: a b}\r\n");
    EXPECT_EQ(crlf.first_error(), "3:17 intent-selector");
    Read utf8 = read("version: 1\ngroups:\n  \xC3\xA9t\xC3\xA9: {subnet: a}\n");
    EXPECT_EQ(utf8.first_error(), "3:3 intent-group-name");
    EXPECT_NE(utf8.first_message().find("\\xc3\\xa9t"), std::string::npos) << utf8.first_message();
}

// ---- errors: each with its place and a message that says what was expected

struct ErrorCase {
    std::string text;
    std::string where; // "line:col code"
    std::string message_part;
};

class IntentErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(IntentErrors, ReportsPlaceAndExpectation) {
    const ErrorCase& c = GetParam();
    Read r = read(c.text);
    EXPECT_FALSE(r.intent.has_value());
    EXPECT_EQ(r.first_error(), c.where) << r.everything();
    EXPECT_NE(r.first_message().find(c.message_part), std::string::npos) << r.everything();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IntentErrors,
    testing::Values(
        ErrorCase{"version: 1\nflows: [a, b\n", "3:1 yaml-syntax", "end of sequence flow not found"},
        ErrorCase{"version: 1\ngroups: {a: {subnet: x}\n", "3:1 yaml-syntax", "invalid YAML"},
        ErrorCase{"", "1:1 intent-empty", "empty"},
        ErrorCase{"# only a comment\n", "1:1 intent-empty", "version: 1"},
        ErrorCase{"- version: 1\n", "1:1 intent-type", "expected a mapping with 'version'"},
        ErrorCase{"groups: {}\n", "1:1 intent-missing-key", "add 'version: 1'"},
        ErrorCase{"version: 2\n", "1:10 intent-version", "expected 'version: 1'"},
        ErrorCase{"version: 1.0\n", "1:10 intent-version", "found the value '1.0'"},
        ErrorCase{"version: 1\ndefault: allow\n", "2:10 intent-default", "everything else must be denied"},
        ErrorCase{
            "version: 1\ngroup: {}\n", "2:1 intent-unknown-key",
            "unknown key 'group' at the top of the intent file; expected version, default, groups, flows "
            "or platform"},
        ErrorCase{"version: 1\nversion: 1\n", "2:1 intent-duplicate-key", "appears twice"},
        ErrorCase{"version: 1\nflows: {a: b}\n", "2:8 intent-type",
                  "expected a list of flows, found a mapping"},
        ErrorCase{"version: 1\ngroups: [web]\n", "2:9 intent-type", "expected a mapping of group names"},
        ErrorCase{"version: 1\ngroups:\n  web: snet-web\n", "3:8 intent-type",
                  "expected a mapping of selectors (subnet, asg, vm, ...), found the value 'snet-web'"},
        ErrorCase{"version: 1\ngroups:\n  web: {subnet: a}\n  web: {subnet: b}\n",
                  "4:3 intent-duplicate-group", "group 'web' appears twice in 'groups' (first at line 3)"},
        ErrorCase{"version: 1\ngroups:\n  internet: {prefix: 0.0.0.0/0}\n", "3:3 intent-group-name",
                  "built in"},
        ErrorCase{"version: 1\ngroups:\n  web tier: {subnet: a}\n", "3:3 intent-group-name",
                  "use letters, digits"},
        ErrorCase{"version: 1\ngroups:\n  web: {}\n", "3:3 intent-empty-group", "selects nothing"},
        ErrorCase{"version: 1\ngroups:\n  web: {subnets: a}\n", "3:9 intent-unknown-key",
                  "unknown key 'subnets' in a group; expected subnet, asg"},
        ErrorCase{"version: 1\ngroups:\n  web: {vm: []}\n", "3:13 intent-type", "the vm list is empty"},
        ErrorCase{"version: 1\ngroups:\n  web: {vm: [a, [b]]}\n", "3:17 intent-type",
                  "expected a vm name, found a list"},
        ErrorCase{"version: 1\ngroups:\n  web: {prefix: 10.1.3.5/24}\n", "3:17 intent-selector",
                  "no host bits"},
        ErrorCase{"version: 1\ngroups:\n  web: {prefix: [10.0.0.0/8, 10.1.3.0/33]}\n", "3:30 intent-selector",
                  "expected an IPv4 or IPv6 prefix"},
        ErrorCase{"version: 1\ngroups:\n  web: {subnet: a/b/c}\n", "3:17 intent-selector", "'vnet/subnet'"},
        ErrorCase{"version: 1\ngroups:\n  web: {internet: yes please}\n", "3:19 intent-selector",
                  "expected 'internet: true'"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, port: 443}\n", "6:26 intent-unknown-key",
                  "unknown key 'port' in a flow; expected name, from, to, protocol or ports"},
        ErrorCase{kHead + "flows:\n  - {to: app}\n", "6:5 intent-missing-key", "the flow has no 'from'"},
        ErrorCase{kHead + "flows:\n  - {from: [], to: app}\n", "6:12 intent-type", "'from' lists no group"},
        ErrorCase{kHead + "flows:\n  - web\n", "6:5 intent-type", "expected a flow"},
        ErrorCase{kHead + "flows:\n  - {from: wbe, to: app}\n", "6:12 intent-undefined-group",
                  "group 'wbe', which is not defined; did you mean 'web'?"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: [app, database]}\n", "6:27 intent-undefined-group",
                  "define it under 'groups'"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, ports: 70000}\n", "6:33 intent-port",
                  "expected a port 0-65535"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, ports: 8080-8000}\n", "6:33 intent-port",
                  "expected a port 0-65535"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, ports: [80, 443x]}\n", "6:38 intent-port",
                  "'443x'"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, ports: []}\n", "6:33 intent-type",
                  "the ports list is empty"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, protocol: icmp, ports: 443}\n",
                  "6:49 intent-port", "ports apply only to tcp and udp, and protocol 'icmp' has no ports"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, protocol: esp, ports: [443]}\n",
                  "6:48 intent-port", "leave 'ports' out"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, protocol: htp}\n", "6:36 intent-protocol",
                  "expected a protocol: tcp, udp"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, protocol: 256}\n", "6:36 intent-protocol",
                  "a number 0-255"},
        ErrorCase{kHead + "flows:\n  - {from: web, to: app, name: [x]}\n", "6:32 intent-type",
                  "expected a flow name"},
        ErrorCase{"version: 1\ngroups:\n  web: &w {subnet: a}\n  app: *w\n", "4:8 intent-alias",
                  "aliases (*name) are not supported"},
        ErrorCase{"version: 1\n---\nversion: 1\n", "2:1 intent-documents", "one YAML document"},
        ErrorCase{std::string("version: 1\n\0", 12), "2:1 intent-encoding", "NUL byte"},
        ErrorCase{"\xFF\xFEv\0", "1:1 intent-encoding", "UTF-16"}));

TEST(IntentReader, ReportsEveryErrorNotJustTheFirst) {
    Read r =
        read("version: 3\ngroups:\n  web: {subnet: a}\nflows:\n  - {from: web, to: nowhere, ports: 0x50}\n");
    EXPECT_FALSE(r.intent.has_value());
    EXPECT_EQ(r.diagnostics.error_count(), 3u) << r.everything();
}

TEST(IntentReader, CapsTheNumberOfErrors) {
    std::string text = kHead + "flows:\n";
    for (int i = 0; i < 500; ++i)
        text += "  - {from: web, to: app, ports: bad}\n";
    Read r = read(text);
    EXPECT_FALSE(r.intent.has_value());
    EXPECT_EQ(r.diagnostics.error_count(), 100u);
    EXPECT_EQ(r.diagnostics.all().back().code, "intent-too-many-errors");
}

TEST(IntentReader, MissingFileIsADiagnostic) {
    SourceSet sources;
    Diagnostics diagnostics;
    auto intent = read_intent_file("no/such/intent.ztnet.yaml", sources, diagnostics);
    EXPECT_FALSE(intent.has_value());
    ASSERT_EQ(diagnostics.error_count(), 1u);
    EXPECT_EQ(diagnostics.all()[0].code, "io");
}

// ---- limits

TEST(IntentLimits, RejectsAFileOverTheSizeLimitBeforeParsing) {
    IntentLimits limits;
    limits.max_bytes = 64;
    std::string text = kHead + "flows: []\n"; // valid, but 73 bytes
    Read r = read(text, limits);
    EXPECT_FALSE(r.intent.has_value());
    EXPECT_EQ(r.first_error(), "1:1 file-too-large");
    limits.max_bytes = text.size();
    Read fits = read(text, limits);
    EXPECT_TRUE(fits.intent.has_value()) << fits.everything();

    // The default limit is 4 MiB.
    Read big = read(std::string((std::size_t{4} << 20) + 1, '#'));
    EXPECT_EQ(big.first_error(), "1:1 file-too-large");
}

TEST(IntentLimits, RejectsDeepFlowNesting) {
    const std::string deep = "version: 1\nx: " + std::string(100, '[') + std::string(100, ']') + "\n";
    Read r = read(deep);
    EXPECT_EQ(r.first_error(), "2:67 intent-too-deep") << r.everything();
    EXPECT_NE(r.first_message().find("limit of 64"), std::string::npos);

    // Far deeper than yaml-cpp's own recursion guard (2000): stopped at our limit, without recursing.
    // Unclosed, each '[' may still turn out to be a key, so yaml-cpp opens a mapping inside each
    // sequence: 64 levels are reached at the 32nd bracket.
    Read deeper = read(std::string(100000, '['));
    EXPECT_EQ(deeper.first_error(), "1:33 intent-too-deep");
}

TEST(IntentLimits, RejectsDeepBlockNesting) {
    std::string text = "version: 1\n";
    for (int level = 0; level < 80; ++level)
        text += std::string(static_cast<std::size_t>(level), ' ') + "k:\n";
    Read r = read(text);
    EXPECT_FALSE(r.intent.has_value());
    EXPECT_EQ(r.first_error(), "66:65 intent-too-deep") << r.everything();
}

TEST(IntentLimits, DepthLimitCountsCollectionLevels) {
    // groups (2) > web (3) > vm list (4): exactly four levels.
    const std::string text = "version: 1\ngroups:\n  web: {vm: [a]}\nflows:\n  - {from: web, to: web}\n";
    IntentLimits limits;
    limits.max_depth = 4;
    EXPECT_TRUE(read(text, limits).intent.has_value());
    limits.max_depth = 3;
    EXPECT_EQ(read(text, limits).first_error(), "3:13 intent-too-deep");
}

TEST(IntentLimits, RejectsTooManyFlowsAndListEntries) {
    IntentLimits limits;
    limits.max_items = 2;
    Read flows = read(kHead + "flows:\n  - {from: web, to: app}\n  - {from: app, to: web}\n"
                              "platform:\n  - {from: web, to: web}\n",
                      limits);
    EXPECT_EQ(flows.first_error(), "9:3 intent-too-many") << flows.everything();
    EXPECT_NE(flows.first_message().find("3 flows, over the limit of 2"), std::string::npos);

    Read list = read("version: 1\ngroups:\n  web: {vm: [a, b, c]}\n", limits);
    EXPECT_EQ(list.first_error(), "3:13 intent-too-many");

    Read groups = read("version: 1\ngroups: {a: {vm: x}, b: {vm: x}, c: {vm: x}}\n", limits);
    EXPECT_EQ(groups.first_error(), "2:9 intent-too-many");
}

} // namespace
} // namespace ztnet::load
