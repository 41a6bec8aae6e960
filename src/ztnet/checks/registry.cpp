#include <algorithm>
#include <initializer_list>

#include "ztnet/checks/check.h"
#include "ztnet/checks/families/families.h"
#include "ztnet/checks/suppression.h"

namespace ztnet::checks {

std::string_view principle_id(Principle principle) {
    switch (principle) {
    case Principle::VerifyExplicitly:
        return "verify-explicitly";
    case Principle::LeastPrivilege:
        return "least-privilege";
    case Principle::AssumeBreach:
        return "assume-breach";
    }
    return "assume-breach";
}

std::string_view principle_title(Principle principle) {
    switch (principle) {
    case Principle::VerifyExplicitly:
        return "Verify explicitly";
    case Principle::LeastPrivilege:
        return "Use least privileged access";
    case Principle::AssumeBreach:
        return "Assume breach";
    }
    return "Assume breach";
}

std::string_view severity_name(Severity severity) {
    switch (severity) {
    case Severity::Low:
        return "low";
    case Severity::Medium:
        return "medium";
    case Severity::High:
        return "high";
    case Severity::Critical:
        return "critical";
    }
    return "medium";
}

std::optional<Severity> parse_severity(std::string_view text) {
    for (Severity s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
        if (text == severity_name(s))
            return s;
    }
    return std::nullopt;
}

namespace {

constexpr bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

std::string fold_prose(std::string_view text) {
    while (!text.empty() && is_blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back()))
        text.remove_suffix(1);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t end = i;
        while (end < text.size() && is_blank(text[end]))
            ++end;
        if (end == i) {
            out += text[i++];
            continue;
        }
        const std::string_view run = text.substr(i, end - i);
        if (run.find('\n') != std::string_view::npos)
            out += ' ';
        else
            out += run;
        i = end;
    }
    return out;
}

const std::vector<Check>& registry() {
    static const std::vector<Check> kChecks = [] {
        std::vector<Check> all;
        families::add_iam(all);
        families::add_gov(all);
        families::add_mon(all);
        families::add_net(all);
        families::add_log(all);
        families::add_sec(all);
        families::add_hub(all);
        families::add_stg(all);
        families::add_vm(all);
        families::add_app(all);
        families::add_seg(all);
        families::add_paas(all);
        families::add_avd(all);
        for (Check& c : all) {
            for (std::string* text : {&c.title, &c.guidance, &c.rationale, &c.remediation})
                *text = fold_prose(*text);
        }
        std::sort(all.begin(), all.end(), [](const Check& a, const Check& b) { return a.id < b.id; });
        return all;
    }();
    return kChecks;
}

std::vector<std::string> checks_matching(std::string_view pattern) {
    std::vector<std::string> out;
    for (const Check& c : registry())
        if (glob_matches(pattern, c.id))
            out.emplace_back(c.id);
    return out;
}

const Check* find_check(std::string_view id) {
    for (const Check& c : registry()) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

} // namespace ztnet::checks
