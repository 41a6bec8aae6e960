// Fixes that set a property of the resource a finding is on: each is written into the input and
// proved by a re-audit, on the PaaS example's template and on data services with planted gaps;
// what a property alone cannot answer stays by hand, with its reason.
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "fix_fixture.h"

namespace ztnet::fix {
namespace {

namespace fs = std::filesystem;

// check id -> the resources of its proved fixes, and of its by-hand findings.
struct Summary {
    std::map<std::string, std::set<std::string>> proved;
    std::map<std::string, std::set<std::string>> by_hand;
};

Summary summarise(const testing::Example& example) {
    auto fixed = run_fixes(example.rerun(), example.analysis(), example.before(), example.plan());
    EXPECT_TRUE(fixed) << (fixed ? "" : fixed.error().message);
    Summary s;
    if (!fixed)
        return s;
    for (const Outcome& o : fixed->outcomes) {
        EXPECT_NE(o.status, Status::NotProved) << o.fix.title;
        if (o.status == Status::Proved)
            for (const Change& c : o.fix.changes)
                s.proved[o.fix.check_id].insert(c.resource_id.substr(c.resource_id.rfind('/') + 1));
    }
    for (const Manual& m : fixed->manual)
        s.by_hand[m.check_id].insert(m.resource_name);
    return s;
}

using Names = std::set<std::string>;

TEST(SettingFixes, ThePaasExamplesSettingsAreFixedAndProved) {
    testing::Example example(std::string(ZTNET_SOURCE_DIR) + "/examples/paas-spoke/template", "");
    const Summary s = summarise(example);
    EXPECT_EQ(s.proved.at("ZT-PAAS-001"),
              (Names{"app-inv-portal-weu", "kv-inv-legacy-weu", "sql-inv-invoices-weu"}));
    EXPECT_EQ(s.proved.at("ZT-PAAS-004"), (Names{"app-inv-portal-weu", "sql-inv-invoices-weu"}));
    EXPECT_EQ(s.proved.at("ZT-PAAS-005"), Names{"app-inv-portal-weu"});
    EXPECT_EQ(s.proved.at("ZT-PAAS-007"), Names{"kv-inv-legacy-weu"});
    EXPECT_EQ(s.proved.at("ZT-PAAS-008"), Names{"kv-inv-legacy-weu"});
    EXPECT_EQ(s.proved.at("ZT-PAAS-010"), Names{"aks-inv-batch-weu"});
    // An AKS API server is private only from creation; Entra-only SQL needs its clients moved first.
    EXPECT_TRUE(s.by_hand.at("ZT-PAAS-001").contains("aks-inv-batch-weu"));
    EXPECT_TRUE(s.by_hand.at("ZT-PAAS-006").contains("sql-inv-invoices-weu"));
}

// The data services with one gap each, as an export in a folder of its own.
fs::path planted_data_services() {
    std::string text =
        checks::testing::read_text(std::string(ZTNET_SOURCE_DIR) + "/tests/data/paas/data-services.json");
    const auto edit = [&](const std::string& after, const std::string& from, const std::string& to) {
        const std::size_t at = text.find(from, text.find("\"name\": \"" + after + "\""));
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    };
    edit("cosmos-data", R"("disableLocalAuth": true)", R"("disableLocalAuth": false)");
    edit("acrdata", R"("adminUserEnabled": false)", R"("adminUserEnabled": true)");
    edit("evh-data", R"("minimumTlsVersion": "1.2")", R"("minimumTlsVersion": "1.0")");
    edit("sb-data", R"("publicNetworkAccess": "Disabled")", R"("publicNetworkAccess": "Enabled")");
    const fs::path folder =
        fs::temp_directory_path() /
        ("ztnet-setting-fixes-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::create_directories(folder);
    std::ofstream(folder / "resources.json") << text;
    return folder;
}

TEST(SettingFixes, DataServicesGetTheirSettingsFixed) {
    const fs::path folder = planted_data_services();
    {
        testing::Example example(folder.string(), "");
        const Summary s = summarise(example);
        EXPECT_EQ(s.proved.at("ZT-PAAS-006"), (Names{"acrdata", "cosmos-data"}));
        EXPECT_EQ(s.proved.at("ZT-PAAS-004"), Names{"evh-data"});
        EXPECT_EQ(s.proved.at("ZT-PAAS-001"), Names{"sb-data"});
    }
    fs::remove_all(folder);
}

TEST(SettingFixes, TheLegacyVmsArePatchedAndTheirNetworkEncrypted) {
    testing::Example example("legacy-spoke", "template", false);
    const Summary s = summarise(example);
    EXPECT_EQ(s.proved.at("ZT-VM-006").size(), 6u);
    EXPECT_EQ(s.proved.at("ZT-NET-007"), Names{"vnet-orders"});
}

} // namespace
} // namespace ztnet::fix
