// The subcommands of the ztnet CLI and the options they share.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "ztnet/analysis/analysis.h"
#include "ztnet/checks/audit.h"
#include "ztnet/harden/observed_use.h"
#include "ztnet/load/loader.h"
#include "ztnet/model/suppression.h"
#include "ztnet/observed/flow_check.h"
#include "ztnet/policy/nsg_policy.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2; // bad usage or bad input
inline constexpr int kExitInternal = 3;

/// Options every command that reads an estate takes: paths, parameters, scope.
struct EstateOptions {
    std::vector<std::string> paths;
    std::string parameters;
    std::vector<std::string> params; // name=value
    std::vector<std::string> routes; // NIC=FILE
    unsigned threads = 0;            // 0: one per core
    load::LoadOptions load;

    void add_to(CLI::App& command);
    /// Everything but the positional paths (for commands that take their paths otherwise).
    void add_scope_to(CLI::App& command);
    /// Fills `load` from the parsed options; false (with a message on stderr) on a bad --param.
    bool finish();
    /// Runs the analysis `wanted` on the loaded estate with --threads; null, with what stopped it
    /// printed and the exit code it gives in `exit_code`, when it fails.
    std::unique_ptr<analysis::Analysis> analyse(struct LoadedEstate& loaded, const policy::ServiceTags& tags,
                                                analysis::Options wanted, int& exit_code) const;
    /// The analysis options these give (threads).
    analysis::Options analysis() const;
};

/// Reads an attack policy file (docs/paths.md) into `policy`; false, with the diagnostics kept in
/// `loaded`, when it has errors.
bool read_attack_policy(const std::string& path, LoadedEstate& loaded, model::AttackPolicy& policy);
/// --attack-policy FILE, shared by paths, audit and check.
void add_attack_policy_option(CLI::App& command, std::string& path);

/// Loads the estate and prints every diagnostic to stderr as file:line:col: severity: message.
struct LoadedEstate {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult result;
};
void load_estate(EstateOptions& options, LoadedEstate& out);
/// `text` without any secret value of the estates loaded so far (load::redact): what every command
/// prints goes through it (write_report and print_diagnostics do so themselves).
std::string redacted(std::string text);
void print_diagnostics(const LoadedEstate& loaded);
/// The diagnostics as print_diagnostics writes them.
std::string diagnostics_text(const LoadedEstate& loaded);

/// Writes the report to `output`, or to stdout when empty; false (with a message) when it cannot.
/// A `text` report on a terminal gets colour (terminal.h).
bool write_report(const std::string& report, const std::string& output, bool text = false);

/// An estate analysed with an intent: what verify and harden share. Filled in place (the analysis
/// refers to the estate and the intent beside it).
struct IntentAnalysis {
    LoadedEstate loaded;
    policy::ServiceTags tags;
    std::optional<model::Intent> intent;
    std::unique_ptr<analysis::Analysis> analysis;
};
/// Loads the estate, the service tags and the intent file, and analyses the estate with the
/// intent (without rule analysis); false, with every diagnostic printed and the exit code in
/// `exit_code`, when any of it fails.
bool analyse_with_intent(const EstateOptions& estate, const std::string& tags_path,
                         const std::string& intent_path, IntentAnalysis& out, int& exit_code);

/// What the commands that hold an estate against an intent take (verify, harden): the estate, its
/// --intent, --service-tags, --format text|json and -o.
struct IntentCommandOptions {
    EstateOptions estate;
    std::string intent;
    std::string service_tags;
    std::string format = "text";
    std::string output;

    /// `formats`: what --format takes ("text", "json", ...), the first the default.
    /// `intent_required`: false for a command that may take another source of what to allow.
    void add_to(CLI::App& command, const std::string& output_help,
                const std::vector<std::string>& formats = {"text", "json"}, bool intent_required = true);
    /// The options finished, then analyse_with_intent().
    bool analyse(IntentAnalysis& out, int& exit_code);
};

/// --source-root DIR and --max-results N, for the commands that write SARIF.
struct SarifOptions {
    std::string source_root;
    std::size_t max_results = 5000;

    void add_to(CLI::App& command);
    /// The folder URIs are relative to ("." by default), and its absolute file:// URI (empty unless
    /// --source-root was given).
    std::string root() const { return source_root.empty() ? std::string(".") : source_root; }
    std::string root_uri() const;
};

/// --service-tags FILE, shared by the commands that evaluate traffic.
void add_service_tags_option(CLI::App& command, std::string& path);
/// Reads the tags file, or the bundled sample (with a warning saying so) when `path` is empty.
/// Problems go to the loaded estate's diagnostics; false when the file is unusable.
bool load_service_tags(const std::string& path, LoadedEstate& loaded, policy::ServiceTags& tags);
/// Loads the estate and the service tags; false, with every diagnostic printed, when either has an
/// error (what commands that evaluate traffic do first).
bool load_estate_and_tags(EstateOptions& options, const std::string& tags_path, LoadedEstate& loaded,
                          policy::ServiceTags& tags);
/// What stopped an analysis, added to the estate's diagnostics and printed with them; the exit code
/// it gives (an internal error is not the input's fault).
int analysis_failed(const Error& error, LoadedEstate& loaded);

/// Today's date in UTC, as YYYY-MM-DD (what suppressions expire against).
std::string today_utc();
/// The one *.ztnet.yaml beside the estate's paths (in their folder, or the folder above), or empty;
/// every candidate found goes to `found`, so that a caller can say when there are several.
std::string intent_beside(const std::vector<std::string>& paths, std::vector<std::string>& found);

/// --checks patterns as check ids, appended to `ids`; false (printed, naming `command`) when a
/// pattern matches no check.
bool expand_check_patterns(const std::vector<std::string>& patterns, std::string_view command,
                           std::vector<std::string>& ids);
/// What the commands that audit read besides the estate: the suppressions file (when given) and the
/// intent (the one given, or with `look_beside` the one beside the estate's `paths`). What goes
/// wrong goes to `loaded`'s diagnostics; false when either does not read. `intent_read`: the
/// intent file's path, when one was read.
bool read_audit_files(const std::string& suppressions_path, const std::string& intent_path, bool look_beside,
                      const std::vector<std::string>& paths, LoadedEstate& loaded,
                      std::vector<model::Suppression>& suppressions, std::optional<model::Intent>& intent,
                      std::string& intent_read);

/// An estate loaded and analysed for the checks: what audit, check and fix share. Filled in place
/// (the analysis refers to the estate and the intent beside it).
struct AuditedEstate {
    LoadedEstate loaded;
    policy::ServiceTags tags;
    std::optional<model::Intent> intent;
    std::string intent_path; ///< the intent file read, when one was
    /// Names that, when they are service tags, the endpoints must not straddle (crown jewels).
    std::vector<std::string> condition_tags;
    std::unique_ptr<analysis::Analysis> analysis;
};
/// Loads the estate (`estate` finished), the service tags, the suppressions into `options` and the
/// intent (read_audit_files), and analyses the estate with the intent; false, with what stopped it
/// printed and the exit code in `exit_code`, when any of it fails.
bool analyse_for_audit(EstateOptions& estate, const std::string& tags_path,
                       const std::string& suppressions_path, const std::string& intent_path, bool look_beside,
                       checks::AuditOptions& options, AuditedEstate& out, int& exit_code);

/// The bundled sample ServiceTags_Public file (data/service-tags-sample.json).
std::string_view bundled_service_tags();

class InventoryCommand {
  public:
    explicit InventoryCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string format_ = "text";
    std::string output_;
};

class ExplainCommand {
  public:
    explicit ExplainCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string from_;
    std::string to_;
    std::string protocol_ = "tcp";
    int port_ = -1;
    int source_port_ = 49152;
    std::string fqdn_;
    std::string service_tags_;
    std::string format_ = "text";
};

class ReachCommand {
  public:
    explicit ReachCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string by_ = "subnet";
    std::string from_;
    std::string to_;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
};

class VerifyCommand {
  public:
    explicit VerifyCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    IntentCommandOptions options_;
};

class HardenCommand {
  public:
    explicit HardenCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    bool read_store();
    bool analyse_traffic(IntentAnalysis& run, int& exit_code);

    CLI::App* command_;
    IntentCommandOptions options_;
    std::string flows_;
    std::size_t max_rules_ = 1000;
    bool propose_asgs_ = false;
    std::string since_;
    std::string until_;
    observed::FlowCheckOptions window_;
    std::vector<flows::store::ConversationRow> rows_;
};

class FixCommand {
  public:
    explicit FixCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string intent_;
    std::string suppressions_;
    std::vector<std::string> checks_;
    std::string today_;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
    std::string write_to_;
    bool propose_asgs_ = false;
};

class DiffCommand {
  public:
    explicit DiffCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_; // scope options, shared by both versions
    std::string before_;
    std::string after_;
    std::string git_base_;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
    std::string today_;
    SarifOptions sarif_;
};

class RulesCommand {
  public:
    explicit RulesCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
};

/// `check` (the checks alone) and `audit` (the whole job), which share everything but the extras.
class AuditCommand {
  public:
    AuditCommand(CLI::App& app, bool full);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    std::optional<std::vector<flows::store::ConversationRow>> observed_rows() const;

    CLI::App* command_;
    bool full_;
    EstateOptions estate_;
    std::string intent_;
    std::string flows_; // audit --flows: a flow store to hold against the estate
    std::string suppressions_;
    std::vector<std::string> checks_;
    std::string fail_on_ = "medium";
    std::string today_;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
    SarifOptions sarif_;
    std::string details_ = "5";
    std::string attack_policy_;
};

/// `paths`: blast radius, attack paths to the crown jewels and the minimum cut.
class PathsCommand {
  public:
    explicit PathsCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    EstateOptions estate_;
    std::string intent_;
    std::string attack_policy_;
    std::vector<std::string> from_;
    std::vector<std::string> to_;
    int max_hops_ = 0;
    std::string service_tags_;
    std::string format_ = "text";
    std::string output_;
    SarifOptions sarif_;
};

/// `flows ingest`, `flows summary` and `flows check`: flow logs into a store, what it holds, and
/// what it holds against the estate and the intent.
class FlowsCommand {
  public:
    explicit FlowsCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    int run_ingest();
    int run_summary();
    int run_check();

    CLI::App* command_;
    CLI::App* ingest_;
    CLI::App* summary_;
    CLI::App* check_;
    EstateOptions estate_;
    std::string intent_;
    std::string service_tags_;
    std::string since_;
    std::string until_;
    std::string output_;
    SarifOptions sarif_;
    std::vector<std::string> paths_;
    std::string store_;
    std::string bucket_;
    bool keep_tuples_ = false;
    unsigned threads_ = 0; // 0: one per core
    std::string format_ = "text";
};

class ChecksCommand {
  public:
    explicit ChecksCommand(CLI::App& app);
    bool selected() const { return command_->parsed(); }
    int run();

  private:
    CLI::App* command_;
    std::string format_ = "text";
};

} // namespace ztnet::cli
