#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "ztnet/net/address.h"
#include "ztnet/policy/service_tags.h"

namespace ztnet::policy {
namespace {

net::Address ip(std::string_view text) {
    auto a = net::Address::parse(text);
    EXPECT_TRUE(a.ok()) << text;
    return a.ok() ? *a : net::Address();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(ServiceTags, ParsesTheBundledSample) {
    const std::string text = read_file(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json");
    ASSERT_FALSE(text.empty());
    auto tags = ServiceTags::parse(text);
    ASSERT_TRUE(tags.ok()) << tags.error().message << " at " << tags.error().offset;
    EXPECT_NE(tags->cloud().find("sample"), std::string::npos); // the file says what it is
    EXPECT_EQ(tags->change_number(), 1);
    EXPECT_EQ(tags->size(), 10u);
    for (std::string_view name :
         {"Storage", "Storage.WestEurope", "Sql", "Sql.WestEurope", "AzureCloud", "AzureMonitor",
          "GatewayManager", "AzureFrontDoor.Backend", "AppService", "AzureKeyVault"}) {
        const net::AddressSet* set = tags->find(name);
        ASSERT_NE(set, nullptr) << name;
        EXPECT_FALSE(set->empty()) << name;
        // The sample keeps every service inside AzureCloud.
        EXPECT_TRUE(tags->find("AzureCloud")->contains(*set)) << name;
    }
    // Regional tags are subsets of their global tag.
    EXPECT_TRUE(tags->find("Storage")->contains(*tags->find("Storage.WestEurope")));
    EXPECT_TRUE(tags->find("Sql")->contains(*tags->find("Sql.WestEurope")));
    EXPECT_NE(*tags->find("Storage"), *tags->find("Storage.WestEurope"));
}

TEST(ServiceTags, FindIgnoresCase) {
    auto tags = ServiceTags::parse(R"({"changeNumber": 7, "cloud": "Public", "values": [
        {"name": "Storage.WestEurope", "id": "Storage.WestEurope",
         "properties": {"addressPrefixes": ["20.50.0.0/24", "2603:1020:201::/48"]}}]})");
    ASSERT_TRUE(tags.ok()) << tags.error().message;
    EXPECT_EQ(tags->change_number(), 7);
    for (std::string_view name : {"Storage.WestEurope", "storage.westeurope", "STORAGE.WESTEUROPE"}) {
        const net::AddressSet* set = tags->find(name);
        ASSERT_NE(set, nullptr) << name;
        EXPECT_TRUE(set->contains(ip("20.50.0.200")));
        EXPECT_TRUE(set->contains(ip("2603:1020:201::1")));
        EXPECT_FALSE(set->contains(ip("20.50.1.0")));
    }
    EXPECT_EQ(tags->find("Storage"), nullptr);
    EXPECT_EQ(tags->find("Storage.WestEurope2"), nullptr);
}

TEST(ServiceTags, ReadsPowerShellKeyCase) {
    auto tags = ServiceTags::parse(
        R"({"Cloud": "Public", "Values": [{"Name": "Sql", "Properties": {"AddressPrefixes": ["13.66.140.128/26"]}}]})");
    ASSERT_TRUE(tags.ok()) << tags.error().message;
    ASSERT_NE(tags->find("sql"), nullptr);
    EXPECT_TRUE(tags->find("sql")->contains(ip("13.66.140.130")));
}

// `az network list-service-tags --location westeurope` writes change numbers as strings, and more
// properties per tag than the Download Center file.
TEST(ServiceTags, ReadsTheAzureCliShape) {
    auto tags = ServiceTags::parse(R"({"changeNumber": "142", "cloud": "Public",
        "id": "/subscriptions/0/providers/Microsoft.Network/serviceTags/Public", "name": "Public",
        "type": "Microsoft.Network/serviceTags", "values": [
          {"id": "Sql", "name": "Sql", "serviceTagChangeNumber": "7", "properties": {
             "addressPrefixes": ["13.66.140.128/26"], "changeNumber": "7", "region": "", "regionId": 0,
             "state": "GA", "systemService": "AzureSQL", "networkFeatures": ["API", "NSG"]}}]})");
    ASSERT_TRUE(tags.ok()) << tags.error().message;
    EXPECT_EQ(tags->change_number(), 142);
    ASSERT_NE(tags->find("Sql"), nullptr);
    EXPECT_TRUE(tags->find("Sql")->contains(ip("13.66.140.130")));
}

TEST(ServiceTags, EmptyPrefixListIsAnEmptyTag) {
    auto tags = ServiceTags::parse(
        R"({"values": [{"name": "AzurePlatformDNS", "properties": {"addressPrefixes": []}}]})");
    ASSERT_TRUE(tags.ok()) << tags.error().message;
    ASSERT_NE(tags->find("AzurePlatformDNS"), nullptr);
    EXPECT_TRUE(tags->find("AzurePlatformDNS")->empty());
    EXPECT_EQ(tags->cloud(), "");
    EXPECT_EQ(tags->change_number(), 0);
}

TEST(ServiceTags, SetAddsOrReplaces) {
    ServiceTags tags;
    tags.set("Custom.Tag", net::AddressSet::from(ip("192.0.2.1")));
    ASSERT_NE(tags.find("custom.tag"), nullptr);
    tags.set("CUSTOM.TAG", net::AddressSet::from(ip("192.0.2.2")));
    EXPECT_EQ(tags.size(), 1u);
    EXPECT_TRUE(tags.find("Custom.Tag")->contains(ip("192.0.2.2")));
    EXPECT_FALSE(tags.find("Custom.Tag")->contains(ip("192.0.2.1")));
}

struct BadCase {
    const char* name;
    std::string text;
    std::string_view expect_in_message;
    std::string_view offset_at; // the error's offset must point at this text's first occurrence
};

TEST(ServiceTags, RejectsMalformedFilesWithTheOffendingOffset) {
    const BadCase cases[] = {
        {"not json", R"({"values": [)", "", ""},
        {"root array", R"([1, 2])", "expected a ServiceTags_Public object", "["},
        {"no values", R"({"cloud": "Public"})", "\"values\"", "{"},
        {"values object", R"({"values": {"a": 1}})", "\"values\" to be an array", "{\"a\""},
        {"entry not object", R"({"values": [42]})", "service tag object", "42"},
        {"no name", R"({"values": [{"properties": {"addressPrefixes": []}}]})", "\"name\"",
         "{\"properties\""},
        {"empty name", R"({"values": [{"name": "", "properties": {"addressPrefixes": []}}]})", "non-empty",
         "\"\""},
        {"no properties", R"({"values": [{"name": "Sql"}]})", "\"properties\"", "{\"name\""},
        {"no prefixes", R"({"values": [{"name": "Sql", "properties": {"region": ""}}]})", "addressPrefixes",
         "{\"region\""},
        {"prefixes not array",
         R"({"values": [{"name": "Sql", "properties": {"addressPrefixes": "1.2.3.0/24"}}]})",
         "to be an array", "\"1.2.3.0/24\""},
        {"prefix not string", R"({"values": [{"name": "Sql", "properties": {"addressPrefixes": [17]}}]})",
         "address prefix string", "17"},
        {"invalid prefix",
         R"({"values": [{"name": "Sql", "properties": {"addressPrefixes": ["1.2.3.0/24", "1.2.3.0/33"]}}]})",
         "invalid address prefix '1.2.3.0/33' in service tag 'Sql'", "\"1.2.3.0/33\""},
        {"duplicate tag",
         R"({"values": [{"name": "Sql", "properties": {"addressPrefixes": []}},
                        {"name": "SQL", "properties": {"addressPrefixes": []}}]})",
         "duplicate service tag 'SQL'", "\"SQL\""},
        {"cloud not string", R"({"cloud": 1, "values": []})", "\"cloud\"", "1,"},
        {"change number not a number", R"({"changeNumber": "seven", "values": []})", "changeNumber",
         "\"seven\""},
        {"change number a list", R"({"changeNumber": [7], "values": []})", "changeNumber", "[7]"},
    };
    for (const BadCase& c : cases) {
        auto tags = ServiceTags::parse(c.text);
        ASSERT_FALSE(tags.ok()) << c.name;
        EXPECT_NE(tags.error().offset, Error::kNoOffset) << c.name;
        EXPECT_LE(tags.error().offset, c.text.size()) << c.name;
        EXPECT_NE(tags.error().message.find(c.expect_in_message), std::string::npos)
            << c.name << ": " << tags.error().message;
        if (!c.offset_at.empty()) {
            EXPECT_EQ(tags.error().offset, c.text.find(c.offset_at))
                << c.name << ": " << tags.error().message;
        }
    }
}

TEST(ServiceTags, PlatformAddress) {
    EXPECT_EQ(azure_platform_address(), ip("168.63.129.16"));
}

TEST(ServiceTags, InternetExcludesReservedSpace) {
    const net::AddressSet internet = internet_addresses();
    struct Case {
        const char* address;
        bool internet;
    };
    const Case cases[] = {
        {"8.8.8.8", true},
        {"1.0.0.1", true},
        {"20.50.0.1", true},   // Azure public space is Internet too
        {"203.0.113.5", true}, // documentation ranges are kept (examples use them as clients)
        {"198.51.100.7", true},
        {"192.0.2.1", true},
        {"223.255.255.255", true},
        {"100.63.255.255", true},
        {"100.128.0.0", true},
        {"172.15.255.255", true},
        {"172.32.0.0", true},
        {"192.0.1.255", true},
        {"198.17.255.255", true},
        {"198.20.0.0", true},
        {"0.0.0.0", false},
        {"0.255.255.255", false},
        {"10.1.2.3", false},
        {"100.64.0.0", false},
        {"100.127.255.255", false},
        {"127.0.0.1", false},
        {"169.254.169.254", false},
        {"172.16.0.0", false},
        {"172.31.255.255", false},
        {"192.0.0.8", false},
        {"192.168.1.1", false},
        {"198.18.0.1", false},
        {"198.19.255.255", false},
        {"224.0.0.1", false},
        {"239.255.255.255", false},
        {"240.0.0.1", false},
        {"255.255.255.255", false},
        {"2001:4860:4860::8888", true},
        {"2603:1020:201::1", true},
        {"2001:db8::1", true},
        {"::", false},
        {"::1", false},
        {"::ffff:8.8.8.8", false},
        {"100::1", false},
        {"fc00::1", false},
        {"fd12:3456::1", false},
        {"fe80::1", false},
        {"febf:ffff::1", false},
        {"fec0::1", false},
        {"ff02::1", false},
    };
    for (const Case& c : cases)
        EXPECT_EQ(internet.contains(ip(c.address)), c.internet) << c.address;
}

TEST(ServiceTags, CanonicalTagNames) {
    struct Case {
        std::string_view written;
        std::string_view canonical;
    };
    const Case cases[] = {
        {"VIRTUAL_NETWORK", "VirtualNetwork"},
        {"virtual_network", "VirtualNetwork"},
        {"VirtualNetwork", "VirtualNetwork"},
        {"virtualnetwork", "VirtualNetwork"},
        {"INTERNET", "Internet"},
        {"internet", "Internet"},
        {"AZURE_LOADBALANCER", "AzureLoadBalancer"},
        {"AzureLoadBalancer", "AzureLoadBalancer"},
        {"azureloadbalancer", "AzureLoadBalancer"},
        {"Storage.WestEurope", "Storage.WestEurope"},
        {"sql", "sql"},
        {"VIRTUALNETWORK2", "VIRTUALNETWORK2"},
        {"", ""},
    };
    for (const Case& c : cases)
        EXPECT_EQ(canonical_tag_name(c.written), c.canonical) << c.written;
}

} // namespace
} // namespace ztnet::policy
