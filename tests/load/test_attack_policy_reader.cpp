// The attack policy file: the defaults, every key read, and each kind of mistake reported at its
// place in the file.
#include <gtest/gtest.h>

#include "ztnet/load/attack_policy_reader.h"

namespace ztnet::load {
namespace {

struct Read {
    SourceSet sources;
    Diagnostics diagnostics;
    std::optional<model::AttackPolicy> policy;
    explicit Read(std::string text) {
        const FileId file = sources.add("attack.yaml", std::move(text));
        policy = read_attack_policy(sources, file, diagnostics);
    }
    std::string first_error() const {
        for (const Diagnostic& d : diagnostics.all())
            if (d.severity == Severity::Error)
                return d.code + ": " + d.message;
        return "";
    }
};

TEST(AttackPolicyReader, DefaultsAreManagementOnly) {
    const model::AttackPolicy p = model::AttackPolicy::defaults();
    ASSERT_EQ(p.management.size(), 4u);
    EXPECT_EQ(p.management[0].name, "SSH");
    EXPECT_TRUE(p.management[2].ports.contains(5986));
    EXPECT_TRUE(p.exploitable.empty());
    EXPECT_EQ(p.internet_hops, 3);
}

TEST(AttackPolicyReader, ReadsEveryKey) {
    Read r("version: 1\n"
           "management:\n  - { name: SSH, protocol: tcp, ports: 22 }\n"
           "exploitable:\n  - { name: web, ports: [80, \"8000-8080\"] }\n  - { name: dns, protocol: udp, "
           "ports: 53 }\n"
           "crown-jewels: [data, kv-orders]\n"
           "internet-hops: 2\n");
    ASSERT_TRUE(r.policy) << r.first_error();
    ASSERT_EQ(r.policy->management.size(), 1u);
    ASSERT_EQ(r.policy->exploitable.size(), 2u);
    EXPECT_TRUE(r.policy->exploitable[0].ports.contains(8080));
    EXPECT_FALSE(r.policy->exploitable[0].ports.contains(443));
    EXPECT_TRUE(r.policy->exploitable[0].protocols.contains(6));
    EXPECT_TRUE(r.policy->exploitable[1].protocols.contains(17));
    EXPECT_EQ(r.policy->crown_jewels, (std::vector<std::string>{"data", "kv-orders"}));
    EXPECT_EQ(r.policy->internet_hops, 2);
    EXPECT_EQ(r.policy->path, "attack.yaml");
}

TEST(AttackPolicyReader, ManagementLeftOutKeepsTheDefaults) {
    Read r("version: 1\ncrown-jewels: [data]\n");
    ASSERT_TRUE(r.policy) << r.first_error();
    EXPECT_EQ(r.policy->management.size(), 4u);
}

TEST(AttackPolicyReader, MistakesAreErrorsAtTheirPlace) {
    const char* bad[] = {
        "management: []\n",                                                     // no version
        "version: 2\n",                                                         // unknown version
        "version: 1\nmovement: []\n",                                           // unknown key
        "version: 1\nmanagement:\n  - { name: SSH }\n",                         // no ports
        "version: 1\nmanagement:\n  - { name: all, ports: \"*\" }\n",           // every port
        "version: 1\nmanagement:\n  - { name: x, protocol: icmp, ports: 1 }\n", // protocol
        "version: 1\nmanagement:\n  - { name: x, ports: 70000 }\n",             // port out of range
        "version: 1\ninternet-hops: 0\n",                                       // hops
        "version: 1\ninternet-hops: many\n",
        "version: 1\ncrown-jewels: data\n",                  // not a list
        "version: 1\nmanagement: &a [ ]\nexploitable: *a\n", // alias
    };
    for (const char* text : bad) {
        Read r(text);
        EXPECT_FALSE(r.policy) << text;
        EXPECT_TRUE(r.diagnostics.has_errors()) << text;
        for (const Diagnostic& d : r.diagnostics.all()) {
            EXPECT_TRUE(d.code.starts_with("attack-policy-") || d.code == "yaml-syntax") << d.code;
            EXPECT_LE(d.where.offset, std::string_view(text).size()) << text;
        }
    }
}

} // namespace
} // namespace ztnet::load
