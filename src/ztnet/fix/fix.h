// Fixes as code: for each finding whose remedy is a change of configuration, the exact change to
// the resources, written into the input that declares them (a template or an export) and proved
// by loading the patched input again and re-running the audit: the finding must be gone and no new
// finding at or above its severity may appear. A fix that does not prove is not offered; why is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/harden/harden.h"
#include "ztnet/json/value.h"
#include "ztnet/load/loader.h"
#include "ztnet/support/diagnostic.h"
#include "ztnet/support/result.h"
#include "ztnet/support/source.h"

namespace ztnet::fix {

/// One change to one resource.
struct Change {
    enum class Kind : std::uint8_t {
        Set,    ///< `path` in the resource's body becomes `value` (missing objects on the way added)
        Remove, ///< `path` in the resource's body goes
        Add,    ///< a new resource: `value` is its body (type, apiVersion, name, location, properties)
    };
    Kind kind = Kind::Set;
    /// The resource changed, or (Add) the id the new one will have.
    std::string resource_id;
    /// Set and Remove: reference tokens into the body, like a JSON pointer's; an array element may
    /// be named `[name]` (the element whose "name" is that), so that the path does not depend on
    /// the order of the input.
    std::string path;
    json::Value value;
    /// Paths inside `value` of strings that are resource ids: a template writes them as
    /// resourceId(...) expressions, so that the patched template deploys anywhere.
    std::vector<std::string> id_paths;
    /// Add: the resource the new one is declared beside; in a template it goes just before that
    /// resource's declaration, which then depends on it.
    std::string beside_id;
    /// Where the resource is declared, when the estate does not index it by id (an NSG's rule);
    /// otherwise found from resource_id.
    SourceLocation where;
    /// For people: what changes ("supportsHttpsTrafficOnly: true").
    std::string summary;
};

/// The change that answers one finding (or several of one resource), before it is proved.
struct Fix {
    std::string check_id;
    std::string resource_id;
    std::string resource_name;
    std::string title;                ///< "require HTTPS on storage account stordersdiag01"
    std::vector<std::string> targets; ///< fingerprints of the findings it is for
    std::vector<Change> changes;
    std::vector<std::string> notes; ///< what to know before deploying it
};

/// A finding ztnet does not fix by itself, and why (it needs a decision or a value the input
/// cannot give: a key vault key, the hub firewall's address, who should keep a role).
struct Manual {
    std::string check_id;
    std::string fingerprint;
    std::string resource_name;
    std::string why;
};

struct Proposals {
    std::vector<Fix> fixes;
    std::vector<Manual> manual;
};

/// The fixes for the audit's unsuppressed findings. With a hardening plan (the user gave an
/// intent), the NSG findings are answered by the plan's rules, one fix per NSG (the whole plan as
/// one fix when it adds application security groups, whose members several NSGs' rules name);
/// without one, only the rules that open management ports to the Internet are changed (what else
/// an NSG must allow is the intent's to say). Resources one copy loop declares share a fix.
Proposals propose_fixes(const analysis::Analysis& analysis, const checks::CheckRun& run,
                        const harden::HardenPlan* plan);

/// An input document with changes written into it.
struct PatchedFile {
    FileId file = kNoFile;
    std::string name;
    bool is_template = false;
    std::string before;
    std::string after;
};

/// The inputs as loaded: where each resource is declared, and how to load them again.
struct Inputs {
    const SourceSet* sources = nullptr;
    std::vector<FileId> files;      ///< what was loaded, in load order
    std::vector<FileId> discovered; ///< of those, the ones found by searching a folder
    std::vector<FileId> templates;  ///< of those, the ARM templates (the rest are exports or parameters)
    load::LoadOptions load;
};

/// The inputs of a load (load_paths() or load_sources()) into `sources`, with its options.
Inputs inputs_of(const SourceSet& sources, const load::LoadResult& loaded, const load::LoadOptions& options);

/// Writes `changes` into the documents that declare the resources (every change of a resource
/// into the one document that declares it). Errors (code `fix-unwritable`): a change that cannot
/// be written there as it is: the place is computed by an expression or a copy loop, the resource
/// is not declared in the input, and so on; the message says which.
Result<std::vector<PatchedFile>> patch_inputs(const Inputs& inputs, const model::Estate& estate,
                                              const std::vector<const Change*>& changes);

/// How to audit a patched input the way the first audit ran.
struct Rerun {
    Inputs inputs;
    const policy::ServiceTags* tags = nullptr;
    const model::Intent* intent = nullptr;
    checks::AuditOptions audit;
    unsigned threads = 0;
};

/// The inputs with `patched` in place of their originals, loaded, analysed and audited again.
/// Errors: the patched input does not load (code `fix-reload`), or the analysis fails.
Result<checks::CheckRun> reaudit(const Rerun& rerun, const std::vector<PatchedFile>& patched);

enum class Status : std::uint8_t {
    Proved,     ///< written, reloaded, and the audit agrees
    NotProved,  ///< the audit does not agree: a target finding stays, or a new one appears
    Unwritable, ///< the change cannot be written into the input as it is
};
std::string_view status_name(Status status);

struct Outcome {
    Fix fix;
    Status status = Status::NotProved;
    std::string why;                    ///< when not proved or not writable
    std::vector<std::string> removed;   ///< target fingerprints the re-audit no longer finds
    std::vector<std::string> remaining; ///< target fingerprints it still finds
    /// New findings, one line each. Those at or above the most severe finding the fix removes make
    /// it not proved; those below are said beside it.
    std::vector<std::string> introduced;
    std::vector<PatchedFile> files; ///< this fix alone, written
    /// Proved only on top of the fixes proved alone (it did not prove by itself): deploy it with them.
    bool after_others = false;
};

/// Proves one fix: written alone into the inputs, loaded, analysed and audited again, and the
/// findings compared with `before` (the audit of the inputs as they are). Proved when a target
/// finding is gone and no new finding is at or above the most severe one it removes.
Outcome prove_fix(const Rerun& rerun, const model::Estate& estate, const checks::CheckRun& before, Fix fix);

struct FixRun {
    std::vector<Outcome> outcomes;
    std::vector<Manual> manual;
    /// Every proved fix written together (one entry per changed file), and the audit of that.
    std::vector<PatchedFile> files;
    std::size_t findings_before = 0;
    std::size_t findings_after = 0;
    /// Findings of the combined patch that the original audit did not have, one line each.
    std::vector<std::string> introduced;
    /// Proved fixes left out of the combined patch because they overlap an earlier one.
    std::vector<std::string> left_out;
};

/// Proposes, writes and proves the fixes for `before` (the audit of the analysis of
/// `rerun.inputs`, every check run), each alone; writes every proved one together and audits that;
/// then tries each fix that did not prove alone once more on top of those. `only`: fix the findings of these
/// check ids alone (all when empty); a new finding of any check still counts against a fix.
Result<FixRun> run_fixes(const Rerun& rerun, const analysis::Analysis& analysis,
                         const checks::CheckRun& before, const harden::HardenPlan* plan,
                         const std::vector<std::string>& only = {});

} // namespace ztnet::fix
