// ztnet explain: one flow, hop by hop, with the rule that decided at every step.
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "ztnet/json/reader.h"
#include "ztnet/net/protocol.h"
#include "ztnet/report/path_report.h"
#include "ztnet/route/path.h"
#include "ztnet/support/ascii.h"

#include "commands.h"

namespace ztnet::cli {
namespace {

std::optional<std::uint8_t> parse_protocol(const std::string& text) {
    const std::string lower = ascii::lower(text);
    static const std::pair<const char*, std::uint8_t> kNames[] = {{"tcp", 6},  {"udp", 17}, {"icmp", 1},
                                                                  {"esp", 50}, {"ah", 51},  {"icmpv6", 58}};
    for (const auto& [name, number] : kNames) {
        if (lower == name)
            return number;
    }
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && number >= 0 && number <= 255)
        return static_cast<std::uint8_t>(number);
    return std::nullopt;
}

} // namespace

ExplainCommand::ExplainCommand(CLI::App& app) {
    command_ = app.add_subcommand("explain", "explain how Azure decides one flow, hop by hop");
    estate_.add_to(*command_);
    command_->add_option("--from", from_, "source: VM, NIC, App Gateway, load balancer, IP, Internet or tag")
        ->required();
    command_->add_option("--to", to_, "destination: same kinds as --from")->required();
    command_->add_option("--protocol", protocol_, "tcp, udp, icmp, esp, ah, or a protocol number")
        ->capture_default_str();
    command_->add_option("--port", port_, "destination port (tcp and udp)")->check(CLI::Range(0, 65535));
    command_->add_option("--src-port", source_port_, "source port (tcp and udp)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    command_->add_option("--fqdn", fqdn_, "the destination's name, for firewall application rules");
    add_service_tags_option(*command_, service_tags_);
    command_->add_option("--format", format_, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
}

int ExplainCommand::run() {
    if (!estate_.finish())
        return kExitUsage;
    auto protocol = parse_protocol(protocol_);
    if (!protocol) {
        std::fprintf(
            stderr, "ztnet explain: --protocol expects tcp, udp, icmp, esp, ah or a number 0-255, got '%s'\n",
            protocol_.c_str());
        return kExitUsage;
    }
    bool ports = net::protocol_has_ports(*protocol);
    if (ports && port_ < 0) {
        std::fprintf(stderr, "ztnet explain: --port is required for %s\n", protocol_.c_str());
        return kExitUsage;
    }
    LoadedEstate loaded;
    load_estate(estate_, loaded);
    policy::ServiceTags tags;
    if (!load_service_tags(service_tags_, loaded, tags)) {
        print_diagnostics(loaded);
        return kExitUsage;
    }
    int failed = kExitUsage;
    auto analysed = estate_.analyse(loaded, tags, {.reachability = false, .rule_analysis = false}, failed);
    if (!analysed)
        return failed;
    auto from = route::resolve_endpoint(loaded.result.estate, tags, from_);
    auto to = route::resolve_endpoint(loaded.result.estate, tags, to_);
    // An endpoint whose address the input cannot tell: the flow's verdict is undecidable, and why.
    for (const auto* side : {&from, &to}) {
        if (!*side && side->error().message.starts_with(route::kUndecidableEndpoint)) {
            print_diagnostics(loaded);
            std::printf("verdict: UNDECIDABLE: %s\n",
                        redacted(side->error().message.substr(route::kUndecidableEndpoint.size())).c_str());
            return kExitClean;
        }
    }
    if (!from || !to) {
        print_diagnostics(loaded);
        if (!from)
            std::fprintf(stderr, "ztnet explain: --from: %s\n", redacted(from.error().message).c_str());
        if (!to)
            std::fprintf(stderr, "ztnet explain: --to: %s\n", redacted(to.error().message).c_str());
        return kExitUsage;
    }
    route::PathQuery query;
    query.flow.protocol = *protocol;
    query.flow.source_port = ports ? static_cast<std::uint16_t>(source_port_) : 0;
    query.flow.destination_port = ports ? static_cast<std::uint16_t>(port_) : 0;
    if (!fqdn_.empty())
        query.fqdn = fqdn_;
    route::PathResult result = analysed->trace(*from, *to, query);
    if (loaded.diagnostics.has_errors()) { // the path is shown, but an input with errors gives no verdict
        result.verdict = route::Verdict::Undecidable;
        result.summary = fmt::format("the input has {} error(s) (above): no verdict until they are fixed",
                                     loaded.diagnostics.error_count());
    }
    print_diagnostics(loaded);
    std::string report = format_ == "json" ? json::write(report::path_json(result, loaded.sources)) + "\n"
                                           : report::path_text(result, loaded.sources);
    if (!write_report(report, "", format_ == "text"))
        return kExitUsage;
    return loaded.diagnostics.has_errors() ? kExitUsage : kExitClean;
}

} // namespace ztnet::cli
