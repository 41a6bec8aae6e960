// PaaS services in an intent, by name: a `paas` group is the private endpoints that front the
// service, so "only the API reaches the vault's private endpoint on 443" is verified like any flow.
// The paas-spoke example's intent names its services that way; written with the endpoints'
// addresses instead, it gives the same verdicts.
#include <fstream>

#include <gtest/gtest.h>

#include "ztnet/load/intent_reader.h"
#include "ztnet/reach/verify.h"

#include "example_estate.h"

namespace ztnet::reach {
namespace {

using testing::example;
using testing::LoadedEstate;
using testing::read_text;

const std::string kIntent = std::string(ZTNET_SOURCE_DIR) + "/examples/paas-spoke/invoicing.ztnet.yaml";

struct Verified {
    LoadedEstate estate{{example("paas-spoke")}};
    std::optional<model::Intent> intent;
    std::unique_ptr<Reachability> reach;
    std::unique_ptr<IntentCheck> check;
    VerifyResult result;

    explicit Verified(const std::string& intent_text) {
        const FileId file = estate.sources.add("intent.ztnet.yaml", intent_text);
        intent = load::read_intent(estate.sources, file, estate.diagnostics);
        EXPECT_TRUE(intent.has_value());
        reach = std::make_unique<Reachability>(*estate.engine, estate.diagnostics,
                                               intent_address_conditions(*intent, estate.tags));
        EXPECT_TRUE(reach->class_table()); // verification reads the pairs from it
        check = std::make_unique<IntentCheck>(*reach, *intent, estate.tags, estate.diagnostics);
        result = verify_intent(*reach, *check);
    }

    std::vector<std::string> members(const std::string& group) const {
        std::vector<std::string> names;
        for (std::size_t g = 0; g < intent->groups.size(); ++g)
            if (intent->groups[g].name == group)
                for (std::uint32_t e : check->members(g))
                    names.push_back(reach->endpoints().endpoints[e].name);
        return names;
    }

    bool said(std::string_view code) const {
        for (const Diagnostic& d : estate.diagnostics.all())
            if (d.code == code)
                return true;
        return false;
    }
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(VerifyPaas, AServiceGroupIsThePrivateEndpointsThatFrontIt) {
    Verified v(read_text(kIntent));
    EXPECT_FALSE(v.estate.diagnostics.has_errors());
    EXPECT_EQ(v.members("invoice-secrets"), std::vector<std::string>{"pe-kv-inv-secrets-weu-vault"});
    EXPECT_EQ(v.members("pdf-renderer"), std::vector<std::string>{"pe-app-inv-pdf-weu-sites"});
}

TEST(VerifyPaas, NamingTheServiceGivesTheVerdictsOfNamingItsAddresses) {
    Verified by_name(read_text(kIntent));
    Verified by_address(
        replaced(replaced(read_text(kIntent), "{ paas: kv-inv-secrets-weu }", "{ prefix: 10.61.2.4 }"),
                 "{ paas: app-inv-pdf-weu }", "{ prefix: 10.61.2.5 }"));
    EXPECT_EQ(by_name.result.missing, by_address.result.missing);
    EXPECT_EQ(by_name.result.excess, by_address.result.excess);
    EXPECT_EQ(by_name.result.undecidable, by_address.result.undecidable);
    EXPECT_EQ(by_name.result.endpoint_pairs, by_address.result.endpoint_pairs);
    EXPECT_EQ(by_name.result.violations.size(), by_address.result.violations.size());
}

TEST(VerifyPaas, AServiceWithoutAPrivateEndpointIsSaidAndAnUnknownOneRefused) {
    Verified public_only(
        replaced(read_text(kIntent), "{ paas: kv-inv-secrets-weu }", "{ paas: kv-inv-legacy-weu }"));
    EXPECT_TRUE(public_only.said("intent-paas-no-private-endpoint"));
    EXPECT_TRUE(public_only.members("invoice-secrets").empty());
    Verified unknown(replaced(read_text(kIntent), "{ paas: kv-inv-secrets-weu }", "{ paas: kv-nowhere }"));
    EXPECT_TRUE(unknown.said("intent-unknown-name"));
    EXPECT_TRUE(unknown.estate.diagnostics.has_errors());
}

TEST(VerifyPaas, APrivateEndpointByName) {
    Verified v(replaced(read_text(kIntent), "{ paas: kv-inv-secrets-weu }",
                        "{ private-endpoint: pe-kv-inv-secrets-weu-vault }"));
    EXPECT_FALSE(v.estate.diagnostics.has_errors());
    EXPECT_EQ(v.members("invoice-secrets"), std::vector<std::string>{"pe-kv-inv-secrets-weu-vault"});
}

} // namespace
} // namespace ztnet::reach
