// ztnet fix on the bundled examples: the patched template and export load again, their audit no
// longer has the findings the proved fixes remove, and the proof rejects what does not hold.
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include <gtest/gtest.h>

#include "ztnet/fix/document_patch.h"

#include "fix_fixture.h"

namespace ztnet::fix {
namespace {

namespace fs = std::filesystem;

const Outcome* find_outcome(const FixRun& run, std::string_view check) {
    for (const Outcome& o : run.outcomes)
        if (o.fix.check_id == check)
            return &o;
    return nullptr;
}

std::set<std::string> fingerprints(const checks::CheckRun& run) {
    std::set<std::string> out;
    for (const checks::Finding& f : run.findings)
        out.insert(f.fingerprint);
    return out;
}

// The example's input folder copied to a temporary one with the patched files in place.
fs::path write_patched(const std::string& example, const std::string& input,
                       const std::vector<PatchedFile>& files) {
    const fs::path from = fs::path(ZTNET_SOURCE_DIR) / "examples" / example / input;
    const fs::path to =
        fs::temp_directory_path() / ("ztnet-fix-" + example + "-" + input + "-" +
                                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::remove_all(to);
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(from))
        fs::copy_file(entry.path(), to / entry.path().filename());
    for (const PatchedFile& file : files) {
        std::ofstream out(to / fs::path(file.name).filename(), std::ios::binary | std::ios::trunc);
        out << file.after;
    }
    return to;
}

struct Reloaded {
    SourceSet sources;
    Diagnostics diagnostics;
    load::LoadResult loaded;
    std::unique_ptr<analysis::Analysis> analysis;
    checks::CheckRun run;
};

// Loads a folder as the CLI does, analyses it (with the intent when given) and audits it.
std::unique_ptr<Reloaded> audit_folder(const fs::path& folder, const model::Intent* intent) {
    auto r = std::make_unique<Reloaded>();
    r->loaded = load::load_paths({folder.string()}, {}, r->sources, r->diagnostics);
    EXPECT_FALSE(r->diagnostics.has_errors());
    static const policy::ServiceTags tags = [] {
        auto parsed = policy::ServiceTags::parse(
            checks::testing::read_text(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json"));
        return parsed ? std::move(*parsed) : policy::ServiceTags();
    }();
    analysis::Options options;
    options.threads = 1;
    options.intent = intent;
    auto analysed = analysis::Analysis::run(r->loaded.estate, tags, options, r->diagnostics);
    EXPECT_TRUE(analysed);
    r->analysis = std::move(*analysed);
    checks::AuditOptions audit;
    audit.today = "2026-01-01";
    audit.highlights = false;
    auto audited = checks::run_audit(*r->analysis, audit);
    EXPECT_TRUE(audited);
    r->run = std::move(audited->run);
    return r;
}

void expect_round_trip(const std::string& input) {
    testing::Example example("legacy-spoke", input, true);
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), example.plan());
    ASSERT_TRUE(fixed) << fixed.error().message;
    std::set<std::string> removed;
    std::size_t proved = 0;
    for (const Outcome& o : fixed->outcomes) {
        if (o.status != Status::Proved)
            continue;
        ++proved;
        EXPECT_FALSE(o.removed.empty()) << o.fix.title;
        removed.insert(o.removed.begin(), o.removed.end());
    }
    EXPECT_GE(proved, 8u);
    ASSERT_FALSE(fixed->files.empty());
    EXPECT_TRUE(fixed->left_out.empty());

    // The patched input, written out and loaded as a user would load it.
    const fs::path folder = write_patched("legacy-spoke", input, fixed->files);
    // The intent as the plan proves it: the user's flows, and those Azure requires of the subnets.
    auto patched = audit_folder(folder, &example.plan()->proof_intent);
    const std::set<std::string> after = fingerprints(patched->run);
    for (const std::string& print : removed)
        EXPECT_FALSE(after.contains(print)) << print;
    EXPECT_EQ(after.size(), fixed->findings_after);
    EXPECT_LT(fixed->findings_after, fixed->findings_before);
    // Every NSG was hardened from the intent: the patched estate allows exactly those flows.
    const reach::VerifyResult* verified = patched->analysis->verified();
    ASSERT_NE(verified, nullptr);
    EXPECT_EQ(verified->missing, 0u);
    EXPECT_EQ(verified->excess, 0u);
    fs::remove_all(folder);
}

TEST(Fix, PatchedTemplateLoadsAndLosesTheFixedFindings) {
    expect_round_trip("template");
}

TEST(Fix, PatchedExportLoadsAndLosesTheFixedFindings) {
    expect_round_trip("export");
}

TEST(Fix, ACopyLoopIsWrittenOnlyWhenAllItDeclaresChangesAlike) {
    testing::Example example("legacy-spoke", "template", false);
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), nullptr);
    ASSERT_TRUE(fixed);
    bool public_ip = false, at_host = false;
    for (const Outcome& o : fixed->outcomes) {
        if (o.fix.check_id == "ZT-VM-001") { // one NIC of the six the loop declares
            public_ip = true;
            EXPECT_EQ(o.status, Status::Unwritable);
            EXPECT_NE(o.why.find("copy loop"), std::string::npos) << o.why;
        }
        if (o.fix.check_id == "ZT-VM-003") { // every VM of the loop
            at_host = true;
            EXPECT_EQ(o.status, Status::Proved) << o.why;
            EXPECT_EQ(o.removed.size(), 6u);
        }
    }
    EXPECT_TRUE(public_ip);
    EXPECT_TRUE(at_host);
}

// Two storage accounts, two NICs with public IPs (their configurations named per copy), two VMs, each
// pair from one copy loop: each fix takes both copies and is written once, into the loop.
TEST(Fix, ALoopWhoseCopiesAllChangeAlikeIsWrittenOnce) {
    testing::Example example(std::string(ZTNET_SOURCE_DIR) + "/tests/data/fix/looped", "");
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), nullptr);
    ASSERT_TRUE(fixed);
    for (const char* check : {"ZT-STG-001", "ZT-VM-001", "ZT-VM-003"}) {
        const Outcome* o = find_outcome(*fixed, check);
        ASSERT_NE(o, nullptr) << check;
        EXPECT_EQ(o->status, Status::Proved) << check << ": " << o->why;
        EXPECT_EQ(o->removed.size(), 2u) << check;
    }
    ASSERT_EQ(fixed->files.size(), 1u);
    const std::string& after = fixed->files.front().after;
    auto count = [&](std::string_view text) {
        std::size_t n = 0;
        for (std::size_t at = after.find(text); at != std::string::npos; at = after.find(text, at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count("\"supportsHttpsTrafficOnly\": true"), 1u);
    EXPECT_EQ(count("\"encryptionAtHost\": true"), 1u);
    EXPECT_EQ(count("\"publicIPAddress\":"), 0u);
    // 14 findings, and guest patching on both VMs and the network's encryption.
    EXPECT_EQ(fixed->findings_after + 17, fixed->findings_before);
}

TEST(Fix, WithoutAnIntentOnlyManagementRulesChangeAndTheRestIsByHand) {
    testing::Example example("legacy-spoke", "export", false);
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), nullptr);
    ASSERT_TRUE(fixed);
    const Outcome* management = find_outcome(*fixed, "ZT-SEG-001");
    ASSERT_NE(management, nullptr);
    EXPECT_EQ(management->status, Status::Proved) << management->why;
    EXPECT_FALSE(management->removed.empty());
    bool deny_all_by_hand = false;
    for (const Manual& m : fixed->manual)
        deny_all_by_hand =
            deny_all_by_hand || (m.check_id == "ZT-NET-004" && m.why.find("--intent") != std::string::npos);
    EXPECT_TRUE(deny_all_by_hand);
}

// The proof is what decides: a change that leaves the finding, or that brings a worse one, is not proved.
TEST(Fix, TheProofRejectsAFixThatDoesNotHold) {
    testing::Example example("legacy-spoke", "export", false);
    const checks::Finding* tls = nullptr;
    for (const checks::Finding& f : example.before().findings)
        if (f.check_id == "ZT-STG-002")
            tls = &f;
    ASSERT_NE(tls, nullptr);
    Fix fix;
    fix.check_id = tls->check_id;
    fix.resource_id = tls->resource_id;
    fix.title = "a fix that changes the wrong thing";
    fix.targets = {tls->fingerprint};
    Change c;
    c.resource_id = tls->resource_id;
    c.path = "/properties/minimumTlsVersion";
    c.value = json::Value("TLS1_0");
    c.summary = "minimumTlsVersion: TLS1_0";
    fix.changes = {c};
    Outcome stays = prove_fix(example.rerun(), example.estate(), example.before(), fix);
    EXPECT_EQ(stays.status, Status::NotProved);
    EXPECT_EQ(stays.remaining.size(), 1u);

    // TLS 1.2 removes the medium finding, but plain HTTP allowed brings a high one.
    fix.changes[0].value = json::Value("TLS1_2");
    Change http;
    http.resource_id = tls->resource_id;
    http.path = "/properties/supportsHttpsTrafficOnly";
    http.value = json::Value(false);
    http.summary = "supportsHttpsTrafficOnly: false";
    fix.changes.push_back(http);
    bool https_required_before = true;
    for (const checks::Finding& f : example.before().findings)
        https_required_before = https_required_before && f.check_id != "ZT-STG-001";
    if (https_required_before) {
        Outcome worse = prove_fix(example.rerun(), example.estate(), example.before(), fix);
        EXPECT_EQ(worse.status, Status::NotProved);
        EXPECT_FALSE(worse.introduced.empty());
    }
    fix.changes.pop_back();
    Outcome good = prove_fix(example.rerun(), example.estate(), example.before(), fix);
    EXPECT_EQ(good.status, Status::Proved) << good.why;
    EXPECT_EQ(good.removed, std::vector<std::string>{tls->fingerprint});
}

// The zero-trust example's export with one edit, written to a temporary folder.
fs::path zero_trust_with(const std::string& name, const std::function<void(DocumentPatch&)>& edit) {
    const fs::path from = fs::path(ZTNET_SOURCE_DIR) / "examples/zero-trust-spoke/export";
    const fs::path to = fs::temp_directory_path() / ("ztnet-fix-" + name);
    fs::remove_all(to);
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(from))
        fs::copy_file(entry.path(), to / entry.path().filename());
    auto patch = DocumentPatch::open(checks::testing::read_text((from / "resources.json").string()));
    EXPECT_TRUE(patch);
    edit(*patch);
    std::ofstream(to / "resources.json", std::ios::trunc) << patch->text();
    return to;
}

// The fixes of the zero-trust export with one edit, run without an intent.
FixRun fix_zero_trust_with(const std::string& name, const std::function<void(DocumentPatch&)>& edit) {
    const fs::path folder = zero_trust_with(name, edit);
    testing::Example example(folder.string(), "");
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), nullptr);
    fs::remove_all(folder);
    EXPECT_TRUE(fixed);
    return fixed ? std::move(*fixed) : FixRun{};
}

TEST(Fix, ASubnetWithoutARouteTableGetsOneToTheHubFirewall) {
    const FixRun fixed = fix_zero_trust_with("no-route-table", [](DocumentPatch& p) {
        ASSERT_TRUE(p.remove("/31/properties/subnets/[snet-data]/properties/routeTable"));
    });
    const Outcome* egress = find_outcome(fixed, "ZT-HUB-006");
    ASSERT_NE(egress, nullptr);
    EXPECT_EQ(egress->status, Status::Proved) << egress->why;
    ASSERT_EQ(egress->fix.changes.size(), 2u);
    EXPECT_EQ(egress->fix.changes[0].kind, Change::Kind::Add);
    EXPECT_NE(egress->fix.changes[0].summary.find("VirtualAppliance 10."), std::string::npos)
        << egress->fix.changes[0].summary;
}

TEST(Fix, ARouteTableWithoutADefaultRouteGetsOne) {
    const FixRun fixed = fix_zero_trust_with(
        "no-default-route", [](DocumentPatch& p) { ASSERT_TRUE(p.remove("/30/properties/routes/0")); });
    const Outcome* egress = find_outcome(fixed, "ZT-HUB-006");
    ASSERT_NE(egress, nullptr);
    EXPECT_EQ(egress->status, Status::Proved) << egress->why;
    EXPECT_EQ(egress->removed.size(), 3u); // snet-web, snet-app and snet-data share the table
    EXPECT_EQ(std::count_if(fixed.outcomes.begin(), fixed.outcomes.end(),
                            [](const Outcome& o) { return o.fix.check_id == "ZT-HUB-006"; }),
              1);
}

// A spoke of a Virtual WAN hub whose connection does not take the hub's default route: the fix sets
// enableInternetSecurity on the hub's side of the connection, and the re-audit proves it; the NSG
// plan it proves with it names the other spoke's group by address (an NSG names only its own
// VNet's groups).
TEST(Fix, AVirtualWanSpokeTakesTheHubsDefaultRoute) {
    const std::string root = std::string(ZTNET_SOURCE_DIR) + "/examples/virtual-wan-hub";
    testing::Example example(root + "/export", root + "/contoso-vwan.ztnet.yaml");
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), example.plan());
    ASSERT_TRUE(fixed);
    const Outcome* egress = find_outcome(*fixed, "ZT-HUB-006");
    ASSERT_NE(egress, nullptr);
    EXPECT_EQ(egress->status, Status::Proved) << egress->why;
    ASSERT_EQ(egress->fix.changes.size(), 1u);
    EXPECT_EQ(egress->fix.changes[0].path, "/properties/enableInternetSecurity");
    EXPECT_NE(egress->fix.changes[0].resource_id.find("/hubVirtualNetworkConnections/conn-crm"),
              std::string::npos);
    const Outcome* lateral = find_outcome(*fixed, "ZT-SEG-003");
    ASSERT_NE(lateral, nullptr);
    EXPECT_EQ(lateral->status, Status::Proved) << lateral->why;
}

// With new application security groups, the whole plan is one fix: the groups, each member joining,
// and every NSG's rules; the export takes it, and the NICs' findings of ZT-NET-002 go with it.
TEST(Fix, NewGroupsAndTheirMembersComeWithThePlan) {
    const std::string root = std::string(ZTNET_SOURCE_DIR);
    testing::Example example(root + "/examples/legacy-spoke/export",
                             root + "/tests/data/intents/legacy-vm-roles.ztnet.yaml", {.propose_asgs = true});
    ASSERT_EQ(example.plan()->asgs.size(), 3u);
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), example.plan());
    ASSERT_TRUE(fixed);
    std::size_t plans = 0;
    for (const Outcome& o : fixed->outcomes) {
        if (o.fix.title.find("application security group") == std::string::npos)
            continue;
        ++plans;
        EXPECT_EQ(o.status, Status::Proved) << o.why;
        const auto joins = std::count_if(o.fix.changes.begin(), o.fix.changes.end(), [](const Change& c) {
            return c.path.ends_with("/applicationSecurityGroups");
        });
        EXPECT_EQ(joins, 6);
        std::size_t role_findings = 0;
        for (const checks::Finding& f : example.before().findings)
            role_findings += f.check_id == "ZT-NET-002" &&
                             std::find(o.removed.begin(), o.removed.end(), f.fingerprint) != o.removed.end();
        EXPECT_EQ(role_findings, 6u);
    }
    EXPECT_EQ(plans, 1u);
    EXPECT_TRUE(fixed->left_out.empty());
    // Every rule names groups or subnets, the load balancers' backends included: nothing new.
    EXPECT_TRUE(fixed->introduced.empty()) << fixed->introduced.front();
}

TEST(Fix, AChangeToAResourceOutsideTheInputIsNotWritable) {
    testing::Example example("legacy-spoke", "export", false);
    Change c;
    c.resource_id = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/elsewhere";
    c.path = "/properties/x";
    c.value = json::Value(1);
    auto written = patch_inputs(example.rerun().inputs, example.estate(), {&c});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, "fix-unwritable");
}

} // namespace
} // namespace ztnet::fix
