// Proving fixes: each is written into the input, the patched input is loaded, analysed and audited
// again as the original was, and the findings compared by fingerprint.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "ztnet/fix/fix.h"

namespace ztnet::fix {
namespace {

Error reload_error(std::string message) {
    Error e = fail(std::move(message));
    e.code = "fix-reload";
    return e;
}

checks::Severity severity_of(const std::string& check_id) {
    const checks::Check* check = checks::find_check(check_id);
    return check != nullptr ? check->severity : checks::Severity::Low;
}

std::string finding_line(const checks::Finding& f) {
    return fmt::format("{} ({}) on {}: {}", f.check_id, checks::severity_name(severity_of(f.check_id)),
                       f.resource_name, f.message);
}

std::set<std::string> unsuppressed(const checks::CheckRun& run) {
    std::set<std::string> out;
    for (const checks::Finding& f : run.findings)
        if (!f.suppressed_by)
            out.insert(f.fingerprint);
    return out;
}

// The new findings of `after`, at or above `floor`, one line each.
std::vector<std::string> introduced(const std::set<std::string>& before, const checks::CheckRun& after,
                                    checks::Severity floor) {
    std::vector<std::string> out;
    for (const checks::Finding& f : after.findings)
        if (!f.suppressed_by && !before.contains(f.fingerprint) && severity_of(f.check_id) >= floor)
            out.push_back(finding_line(f));
    return out;
}

} // namespace

namespace {

// Proves `fix` written together with `base` (changes already proved), against `base_audit`, the
// audit of the inputs with `base` written; `after` gets the audit with the fix.
Outcome prove_on(const Rerun& rerun, const model::Estate& estate, const std::vector<const Change*>& base,
                 const checks::CheckRun& base_audit, Fix fix, checks::CheckRun& after) {
    const std::set<std::string> before = unsuppressed(base_audit);
    std::map<std::string, checks::Severity> severities;
    for (const checks::Finding& f : base_audit.findings)
        severities.emplace(f.fingerprint, severity_of(f.check_id));
    Outcome o;
    o.fix = std::move(fix);
    std::vector<const Change*> changes = base;
    for (const Change& c : o.fix.changes)
        changes.push_back(&c);
    Result<std::vector<PatchedFile>> files = patch_inputs(rerun.inputs, estate, changes);
    if (!files) {
        o.status = Status::Unwritable;
        o.why = files.error().message;
        return o;
    }
    o.files = std::move(*files);
    Result<checks::CheckRun> audited = reaudit(rerun, o.files);
    if (!audited) {
        o.status = Status::NotProved;
        o.why = fmt::format("the patched input does not audit: {}", audited.error().message);
        return o;
    }
    after = std::move(*audited);
    const std::set<std::string> now = unsuppressed(after);
    // The fix's severity: that of the most severe finding it removes. A new finding below it is
    // said, and does not count against the fix.
    checks::Severity floor = checks::Severity::Low;
    for (const std::string& target : o.fix.targets) {
        if (!before.contains(target))
            continue; // already gone with the base
        const bool stays = now.contains(target);
        (stays ? o.remaining : o.removed).push_back(target);
        if (auto found = severities.find(target); !stays && found != severities.end())
            floor = std::max(floor, found->second);
    }
    o.introduced = introduced(before, after, checks::Severity::Low);
    const std::size_t counted = introduced(before, after, floor).size();
    if (o.removed.empty())
        o.why = "the re-audit still has every finding it was for";
    else if (counted > 0)
        o.why = fmt::format("the re-audit has {} new finding(s) at or above {}, the most severe it removes",
                            counted, checks::severity_name(floor));
    o.status = o.why.empty() ? Status::Proved : Status::NotProved;
    return o;
}

std::vector<const Change*> with(std::vector<const Change*> base, const Fix& fix) {
    for (const Change& c : fix.changes)
        base.push_back(&c);
    return base;
}

} // namespace

Outcome prove_fix(const Rerun& rerun, const model::Estate& estate, const checks::CheckRun& before, Fix fix) {
    checks::CheckRun after;
    return prove_on(rerun, estate, {}, before, std::move(fix), after);
}

std::string_view status_name(Status status) {
    switch (status) {
    case Status::Proved:
        return "proved";
    case Status::NotProved:
        return "not proved";
    case Status::Unwritable:
        return "not writable";
    }
    return "?";
}

Inputs inputs_of(const SourceSet& sources, const load::LoadResult& loaded, const load::LoadOptions& options) {
    Inputs inputs;
    inputs.sources = &sources;
    inputs.files = loaded.inputs.files;
    inputs.discovered = loaded.inputs.discovered;
    inputs.templates = loaded.inputs.template_files;
    inputs.load = options;
    return inputs;
}

Result<checks::CheckRun> reaudit(const Rerun& rerun, const std::vector<PatchedFile>& patched) {
    const Inputs& in = rerun.inputs;
    SourceSet sources;
    std::map<FileId, FileId> renumbered;
    std::vector<FileId> files, discovered;
    for (FileId f : in.files) {
        auto changed =
            std::find_if(patched.begin(), patched.end(), [&](const PatchedFile& p) { return p.file == f; });
        FileId id = sources.add(in.sources->name(f),
                                changed != patched.end() ? changed->after : std::string(in.sources->text(f)));
        renumbered[f] = id;
        files.push_back(id);
    }
    for (FileId f : in.discovered)
        discovered.push_back(renumbered[f]);
    Diagnostics diagnostics;
    load::LoadResult loaded = load::load_sources(sources, files, in.load, diagnostics, discovered);
    load::apply_route_files(loaded, in.load, sources, diagnostics);
    for (const Diagnostic& d : diagnostics.all())
        if (d.severity == Severity::Error)
            return reload_error(format_diagnostic(d, sources));
    analysis::Options options;
    options.threads = rerun.threads;
    options.intent = rerun.intent;
    Result<std::unique_ptr<analysis::Analysis>> analysed =
        analysis::Analysis::run(loaded.estate, *rerun.tags, options, diagnostics);
    if (!analysed)
        return analysed.error();
    Result<checks::AuditResult> audited = checks::run_audit(**analysed, rerun.audit);
    if (!audited)
        return audited.error();
    return std::move(audited->run);
}

Result<FixRun> run_fixes(const Rerun& rerun, const analysis::Analysis& analysis,
                         const checks::CheckRun& before, const harden::HardenPlan* plan,
                         const std::vector<std::string>& only) {
    FixRun out;
    checks::CheckRun selected = before;
    if (!only.empty())
        std::erase_if(selected.findings, [&](const checks::Finding& f) {
            return std::find(only.begin(), only.end(), f.check_id) == only.end();
        });
    Proposals proposals = propose_fixes(analysis, selected, plan);
    out.manual = std::move(proposals.manual);
    const std::set<std::string> found = unsuppressed(before);
    out.findings_before = found.size();
    for (Fix& fix : proposals.fixes)
        out.outcomes.push_back(prove_fix(rerun, analysis.estate(), before, std::move(fix)));

    // Every proved fix together, in order; one that no longer writes on top of the others is left out.
    std::vector<const Change*> together;
    for (const Outcome& o : out.outcomes) {
        if (o.status != Status::Proved)
            continue;
        if (patch_inputs(rerun.inputs, analysis.estate(), with(together, o.fix)))
            together = with(together, o.fix);
        else
            out.left_out.push_back(o.fix.title);
    }
    checks::CheckRun combined = before;
    if (!together.empty()) {
        Result<std::vector<PatchedFile>> files = patch_inputs(rerun.inputs, analysis.estate(), together);
        if (!files)
            return files.error();
        Result<checks::CheckRun> audited = reaudit(rerun, *files);
        if (!audited)
            return audited.error();
        combined = std::move(*audited);
    }
    // A fix that did not prove alone may prove on top of the others (a public IP detached once the
    // NSG no longer opens management ports): tried once, in order, each on what is proved so far.
    for (Outcome& o : out.outcomes) {
        if (o.status != Status::NotProved)
            continue;
        checks::CheckRun after;
        Outcome again = prove_on(rerun, analysis.estate(), together, combined, o.fix, after);
        if (again.status != Status::Proved)
            continue;
        again.after_others = true;
        o = std::move(again);
        together = with(together, o.fix);
        combined = std::move(after);
    }
    if (!together.empty()) {
        Result<std::vector<PatchedFile>> files = patch_inputs(rerun.inputs, analysis.estate(), together);
        if (!files)
            return files.error();
        out.files = std::move(*files);
    }
    out.findings_after = unsuppressed(combined).size();
    out.introduced = introduced(found, combined, checks::Severity::Low);
    return out;
}

} // namespace ztnet::fix
