#include <gtest/gtest.h>

#include "ztnet/model/estate.h"
#include "ztnet/model/resource_id.h"

namespace ztnet::model {
namespace {

TEST(ResourceId, ComparesCaseInsensitivelyIgnoringTrailingSlash) {
    EXPECT_TRUE(same_id("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V",
                        "/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/"));
    EXPECT_FALSE(same_id("/subscriptions/s/resourceGroups/rg1", "/subscriptions/s/resourceGroups/rg2"));
}

TEST(ResourceId, SplitsChildResources) {
    ResourceIdParts p = parse_resource_id(
        "/subscriptions/s1/resourceGroups/rg-x/providers/Microsoft.Network/virtualNetworks/v/subnets/web");
    EXPECT_EQ(p.subscription, "s1");
    EXPECT_EQ(p.resource_group, "rg-x");
    EXPECT_EQ(p.type, "Microsoft.Network/virtualNetworks/subnets");
    EXPECT_EQ(p.name, "v/web");
    EXPECT_EQ(p.parent_id,
              "/subscriptions/s1/resourceGroups/rg-x/providers/Microsoft.Network/virtualNetworks/v");
}

TEST(ResourceId, SplitsExtensionResourcesAndScopes) {
    std::string id =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw/providers/"
        "Microsoft.Insights/diagnosticSettings/to-law";
    ResourceIdParts p = parse_resource_id(id);
    EXPECT_EQ(p.type, "Microsoft.Insights/diagnosticSettings");
    EXPECT_EQ(p.name, "to-law");
    EXPECT_EQ(extension_scope(id),
              "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw");
    EXPECT_EQ(extension_scope("/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/g"),
              "/subscriptions/s");
}

TEST(ResourceId, RecognisesGroupsAndSubscriptions) {
    EXPECT_EQ(parse_resource_id("/subscriptions/s/resourceGroups/rg").type,
              "Microsoft.Resources/resourceGroups");
    EXPECT_EQ(parse_resource_id("/subscriptions/s/resourceGroups/rg").name, "rg");
    EXPECT_EQ(parse_resource_id("/subscriptions/s").type, "Microsoft.Resources/subscriptions");
}

TEST(Estate, IndexesIdsCaseInsensitively) {
    Estate e;
    e.virtual_networks.emplace_back();
    e.virtual_networks[0].id =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/V";
    EXPECT_TRUE(e.index(e.virtual_networks[0].id, {ResourceKind::VirtualNetwork, 0}));
    EXPECT_FALSE(e.index("/SUBSCRIPTIONS/S/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v",
                         {ResourceKind::VirtualNetwork, 0}));
    auto ref = e.find("/subscriptions/S/RESOURCEGROUPS/rg/providers/Microsoft.Network/virtualNetworks/v");
    ASSERT_TRUE(ref.has_value());
    EXPECT_EQ(ref->kind, ResourceKind::VirtualNetwork);
    EXPECT_EQ(&e.resource(*ref), &e.virtual_networks[0]);
    EXPECT_EQ(e.count(ResourceKind::VirtualNetwork), 1u);
    EXPECT_FALSE(e.find("/subscriptions/s/resourceGroups/rg").has_value());
}

TEST(Estate, EveryKindHasATypeAndAName) {
    for (int k = 0; k < kResourceKindCount; ++k) {
        auto kind = static_cast<ResourceKind>(k);
        EXPECT_FALSE(arm_type(kind).empty());
        EXPECT_FALSE(kind_name(kind).empty());
    }
}

} // namespace
} // namespace ztnet::model
