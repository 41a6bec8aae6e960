// A bundled example (its template or its export) loaded as the CLI loads it, analysed with its
// intent and audited, for the fix tests.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/fix/fix.h"
#include "ztnet/harden/harden.h"
#include "ztnet/load/intent_reader.h"
#include "ztnet/load/loader.h"

#include "check_fixture.h"

namespace ztnet::fix::testing {

class Example {
  public:
    /// `input`: "template" or "export" below examples/NAME; `with_intent`: analyse with the
    /// example's three-tier intent and plan from it.
    Example(const std::string& name, const std::string& input, bool with_intent)
        : Example(std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/" + input,
                  with_intent ? std::string(ZTNET_SOURCE_DIR) + "/examples/" + name + "/three-tier.ztnet.yaml"
                              : std::string()) {}

    /// Any input folder, with an intent file when `intent` is not empty (planned with `options`).
    Example(const std::string& folder, const std::string& intent, const harden::PlanOptions& planning = {}) {
        auto tags = policy::ServiceTags::parse(
            checks::testing::read_text(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json"));
        tags_ = tags ? std::move(*tags) : policy::ServiceTags();
        loaded_ = load::load_paths({folder}, options_, sources_, diagnostics_);
        if (diagnostics_.has_errors())
            throw std::runtime_error("the example does not load");
        if (!intent.empty()) {
            intent_ = load::read_intent_file(intent, sources_, diagnostics_);
            if (!intent_)
                throw std::runtime_error("the intent does not read");
        }
        analysis::Options options;
        options.threads = 1;
        options.intent = intent_ ? &*intent_ : nullptr;
        auto analysed = analysis::Analysis::run(loaded_.estate, tags_, options, diagnostics_);
        if (!analysed)
            throw std::runtime_error(analysed.error().message);
        analysis_ = std::move(*analysed);
        audit_.today = "2026-01-01";
        audit_.highlights = false;
        auto audited = checks::run_audit(*analysis_, audit_);
        if (!audited)
            throw std::runtime_error(audited.error().message);
        before_ = std::move(audited->run);
        if (intent_) {
            auto planned = harden::plan_hardening(*analysis_, planning);
            if (!planned)
                throw std::runtime_error(planned.error().message);
            plan_ = std::move(*planned);
        }
    }

    Rerun rerun() const {
        return Rerun{inputs_of(sources_, loaded_, options_), &tags_, intent_ ? &*intent_ : nullptr, audit_,
                     1};
    }
    const analysis::Analysis& analysis() const { return *analysis_; }
    const model::Estate& estate() const { return loaded_.estate; }
    const checks::CheckRun& before() const { return before_; }
    const harden::HardenPlan* plan() const { return plan_ ? &*plan_ : nullptr; }
    const SourceSet& sources() const { return sources_; }

  private:
    SourceSet sources_;
    Diagnostics diagnostics_;
    load::LoadOptions options_;
    policy::ServiceTags tags_;
    load::LoadResult loaded_;
    std::optional<model::Intent> intent_;
    std::unique_ptr<analysis::Analysis> analysis_;
    checks::AuditOptions audit_;
    checks::CheckRun before_;
    std::optional<harden::HardenPlan> plan_;
};

} // namespace ztnet::fix::testing
