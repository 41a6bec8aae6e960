#include "ztnet/report/fix_report.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "ztnet/fix/unified_diff.h"
#include "ztnet/json/reader.h"

namespace ztnet::report {
namespace {

using json::Array;
using json::Object;
using json::Value;

// "ZT-STG-001 on stordersdiag01" for a fingerprint of the audit.
std::map<std::string, const checks::Finding*> by_fingerprint(const checks::CheckRun& run) {
    std::map<std::string, const checks::Finding*> out;
    for (const checks::Finding& f : run.findings)
        out.emplace(f.fingerprint, &f);
    return out;
}

std::string finding_name(const std::map<std::string, const checks::Finding*>& findings,
                         const std::string& print) {
    auto found = findings.find(print);
    if (found == findings.end())
        return print;
    return fmt::format("{} on {}", found->second->check_id, found->second->resource_name);
}

std::string_view kind_name(fix::Change::Kind kind) {
    switch (kind) {
    case fix::Change::Kind::Set:
        return "set";
    case fix::Change::Kind::Remove:
        return "remove";
    case fix::Change::Kind::Add:
        return "add";
    }
    return "?";
}

std::size_t count(const fix::FixRun& run, fix::Status status) {
    return static_cast<std::size_t>(std::count_if(run.outcomes.begin(), run.outcomes.end(),
                                                  [&](const fix::Outcome& o) { return o.status == status; }));
}

// One line per check and resource ("removes: ZT-SEG-004 on snet-web (3 findings)"), in order.
void counted_lines(std::string& out, std::string_view label, const std::vector<std::string>& prints,
                   const std::map<std::string, const checks::Finding*>& findings) {
    std::vector<std::pair<std::string, std::size_t>> lines;
    for (const std::string& print : prints) {
        std::string name = finding_name(findings, print);
        auto found = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.first == name; });
        if (found == lines.end())
            lines.emplace_back(std::move(name), 1);
        else
            ++found->second;
    }
    for (const auto& [name, n] : lines)
        out += n == 1 ? fmt::format("    {}: {}\n", label, name)
                      : fmt::format("    {}: {} ({} findings)\n", label, name, n);
}

void outcome_text(std::string& out, const fix::Outcome& o,
                  const std::map<std::string, const checks::Finding*>& findings) {
    out += fmt::format("  {}: {}\n", o.fix.check_id, o.fix.title);
    for (const fix::Change& c : o.fix.changes)
        out += fmt::format("    change: {}\n", c.summary);
    counted_lines(out, "removes", o.removed, findings);
    counted_lines(out, "leaves", o.remaining, findings);
    if (o.after_others)
        out += "    proved with the fixes above, not alone: deploy it with them\n";
    if (!o.why.empty())
        out += fmt::format("    why not: {}\n", o.why);
    for (const std::string& line : o.introduced)
        out += fmt::format("    new: {}\n", line);
    if (o.status == fix::Status::Proved)
        for (const std::string& note : o.fix.notes)
            out += fmt::format("    note: {}\n", note);
}

} // namespace

std::string fix_diff(const fix::FixRun& run) {
    std::string out;
    for (const fix::PatchedFile& file : run.files)
        out += fix::unified_diff(file.before, file.after, file.name);
    return out;
}

std::string fix_text(const fix::FixRun& run, const checks::CheckRun& before) {
    const auto findings = by_fingerprint(before);
    std::string out = fmt::format(
        "ztnet fix: {} fix(es) proved, {} not proved, {} not writable; {} finding(s) need a person\n",
        count(run, fix::Status::Proved), count(run, fix::Status::NotProved),
        count(run, fix::Status::Unwritable), run.manual.size());
    out += fmt::format("Findings: {} before, {} with every proved fix applied", run.findings_before,
                       run.findings_after);
    out += run.introduced.empty() ? " (none new)\n" : fmt::format(" ({} new)\n", run.introduced.size());
    for (const std::string& line : run.introduced)
        out += fmt::format("  new: {}\n", line);
    for (const std::string& title : run.left_out)
        out += fmt::format("  left out of the combined patch (it overlaps an earlier fix): {}\n", title);
    for (fix::Status status : {fix::Status::Proved, fix::Status::NotProved, fix::Status::Unwritable}) {
        if (count(run, status) == 0)
            continue;
        std::string heading(fix::status_name(status));
        std::transform(heading.begin(), heading.end(), heading.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        out += "\n" + heading + "\n";
        for (const fix::Outcome& o : run.outcomes)
            if (o.status == status)
                outcome_text(out, o, findings);
    }
    if (!run.manual.empty()) {
        out += "\nBY HAND\n";
        // One line per check and reason, with the resources it covers.
        std::vector<std::pair<std::string, std::vector<std::string>>> groups;
        for (const fix::Manual& m : run.manual) {
            std::string key = m.check_id + ": " + m.why;
            auto found =
                std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
            if (found == groups.end())
                found = groups.insert(groups.end(), {key, {}});
            if (std::find(found->second.begin(), found->second.end(), m.resource_name) == found->second.end())
                found->second.push_back(m.resource_name);
        }
        for (const auto& [key, names] : groups) {
            std::string list;
            for (std::size_t i = 0; i < names.size() && i < 3; ++i)
                list += (i == 0 ? "" : ", ") + names[i];
            if (names.size() > 3)
                list += fmt::format(" and {} more", names.size() - 3);
            out += fmt::format("  {} ({})\n", key, list);
        }
    }
    const std::string diff = fix_diff(run);
    if (!diff.empty())
        out += "\nPATCH (every proved fix)\n" + diff;
    return out;
}

Value fix_json(const fix::FixRun& run, const checks::CheckRun& before) {
    const auto findings = by_fingerprint(before);
    Array fixes;
    for (const fix::Outcome& o : run.outcomes) {
        Object f;
        f.set("check", o.fix.check_id);
        f.set("title", o.fix.title);
        f.set("status", std::string(fix::status_name(o.status)));
        f.set("resourceId", o.fix.resource_id);
        if (!o.why.empty())
            f.set("why", o.why);
        f.set("afterOthers", o.after_others);
        Array changes;
        for (const fix::Change& c : o.fix.changes) {
            Object change;
            change.set("kind", std::string(kind_name(c.kind)));
            change.set("resourceId", c.resource_id);
            if (!c.path.empty())
                change.set("path", c.path);
            if (c.kind != fix::Change::Kind::Remove)
                change.set("value", c.value);
            change.set("summary", c.summary);
            changes.emplace_back(std::move(change));
        }
        f.set("changes", std::move(changes));
        Array removed;
        for (const std::string& print : o.removed) {
            Object r;
            r.set("fingerprint", print);
            r.set("finding", finding_name(findings, print));
            removed.emplace_back(std::move(r));
        }
        f.set("removes", std::move(removed));
        f.set("leaves", json::string_array(o.remaining));
        f.set("introduces", json::string_array(o.introduced));
        f.set("notes", json::string_array(o.fix.notes));
        fixes.emplace_back(std::move(f));
    }
    Array manual;
    for (const fix::Manual& m : run.manual) {
        Object item;
        item.set("check", m.check_id);
        item.set("fingerprint", m.fingerprint);
        item.set("resource", m.resource_name);
        item.set("why", m.why);
        manual.emplace_back(std::move(item));
    }
    Array files;
    for (const fix::PatchedFile& file : run.files) {
        Object item;
        item.set("file", file.name);
        item.set("kind", std::string(file.is_template ? "template" : "export"));
        item.set("diff", fix::unified_diff(file.before, file.after, file.name));
        files.emplace_back(std::move(item));
    }
    Object out;
    out.set("findingsBefore", static_cast<std::int64_t>(run.findings_before));
    out.set("findingsAfter", static_cast<std::int64_t>(run.findings_after));
    out.set("introduced", json::string_array(run.introduced));
    out.set("leftOut", json::string_array(run.left_out));
    out.set("fixes", std::move(fixes));
    out.set("byHand", std::move(manual));
    out.set("files", std::move(files));
    return out;
}

} // namespace ztnet::report
