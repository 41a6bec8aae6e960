// Rendering the audit and the check results: text grouped by severity with a summary and a score
// per principle, JSON (docs/audit.md), SARIF 2.1.0 for code scanning, and the check catalogue
// (docs/checks.md) generated from the registry.
#pragma once

#include <string>

#include "ztnet/checks/audit.h"
#include "ztnet/json/value.h"
#include "ztnet/model/estate.h"
#include "ztnet/reach/verify.h"
#include "ztnet/support/source.h"
#include "ztnet/support/version.h"

namespace ztnet::report {

/// What the audit report shows besides the check results.
struct AuditInputs {
    const model::Estate& estate;
    const SourceSet& sources;
    std::string intent_path;                       // empty when no intent was verified
    const reach::VerifyResult* verified = nullptr; // with intent_path
    std::string version{kVersion};
    std::string command = "audit"; // the command that reports: "check" or "audit"
    /// SARIF: artifact URIs are relative to this folder (uriBaseId %SRCROOT%); its absolute URI is
    /// written as originalUriBaseIds only when `source_root_uri` is set (--source-root).
    std::string source_root = ".";
    std::string source_root_uri = {};
    /// SARIF: at most this many results, the most severe first (code scanning keeps 5,000 of at most
    /// 25,000 per run); a run notification says what was left out.
    std::size_t max_results = 5000;
    /// Text: findings shown per check (the rest are counted); SIZE_MAX for all (--details all).
    std::size_t details = 5;
};

std::string audit_text(const checks::AuditResult& result, const AuditInputs& inputs);
json::Value audit_json(const checks::AuditResult& result, const AuditInputs& inputs);
json::Value audit_sarif(const checks::AuditResult& result, const AuditInputs& inputs);

/// docs/checks.md: every check of the registry, by area, with everything the registry says.
std::string checks_markdown();

} // namespace ztnet::report
