// CIDR functions. The "documented" tests are the worked examples of Microsoft's "CIDR functions for
// ARM templates" reference (the copy loops there call the function with indexes 0 to 4).
#include "test_functions_helpers.h"

namespace ztnet::load::arm {
namespace {

using testing::Case;
using testing::ErrorCase;
using testing::run_cases;
using testing::run_error_cases;

TEST(ArmCidrFunctions, DocumentedParseCidr) {
    run_cases({
        {"parseCidr", R"(["10.144.0.0/20"])",
         R"({"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255",)"
         R"("firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20})"},
        {"parseCidr", R"(["fdad:3236:5555::/48"])",
         R"({"network":"fdad:3236:5555::","netmask":"ffff:ffff:ffff::","firstUsable":"fdad:3236:5555::",)"
         R"("lastUsable":"fdad:3236:5555:ffff:ffff:ffff:ffff:ffff","cidr":48})"},
    });
}

TEST(ArmCidrFunctions, DocumentedCidrSubnet) {
    run_cases({
        {"cidrSubnet", R"(["10.144.0.0/20", 24, 0])", R"("10.144.0.0/24")"},
        {"cidrSubnet", R"(["10.144.0.0/20", 24, 1])", R"("10.144.1.0/24")"},
        {"cidrSubnet", R"(["10.144.0.0/20", 24, 2])", R"("10.144.2.0/24")"},
        {"cidrSubnet", R"(["10.144.0.0/20", 24, 3])", R"("10.144.3.0/24")"},
        {"cidrSubnet", R"(["10.144.0.0/20", 24, 4])", R"("10.144.4.0/24")"},
        {"cidrSubnet", R"(["fdad:3236:5555::/48", 52, 0])", R"("fdad:3236:5555::/52")"},
        {"cidrSubnet", R"(["fdad:3236:5555::/48", 52, 1])", R"("fdad:3236:5555:1000::/52")"},
        {"cidrSubnet", R"(["fdad:3236:5555::/48", 52, 2])", R"("fdad:3236:5555:2000::/52")"},
        {"cidrSubnet", R"(["fdad:3236:5555::/48", 52, 3])", R"("fdad:3236:5555:3000::/52")"},
        {"cidrSubnet", R"(["fdad:3236:5555::/48", 52, 4])", R"("fdad:3236:5555:4000::/52")"},
    });
}

TEST(ArmCidrFunctions, DocumentedCidrHost) {
    run_cases({
        {"cidrHost", R"(["10.144.3.0/24", 0])", R"("10.144.3.1")"},
        {"cidrHost", R"(["10.144.3.0/24", 1])", R"("10.144.3.2")"},
        {"cidrHost", R"(["10.144.3.0/24", 2])", R"("10.144.3.3")"},
        {"cidrHost", R"(["10.144.3.0/24", 3])", R"("10.144.3.4")"},
        {"cidrHost", R"(["10.144.3.0/24", 4])", R"("10.144.3.5")"},
        {"cidrHost", R"(["192.168.1.0/24", 0])", R"("192.168.1.1")"}, // from the description
        {"cidrHost", R"(["fdad:3236:5555:3000::/52", 0])", R"("fdad:3236:5555:3000::1")"},
        {"cidrHost", R"(["fdad:3236:5555:3000::/52", 1])", R"("fdad:3236:5555:3000::2")"},
        {"cidrHost", R"(["fdad:3236:5555:3000::/52", 2])", R"("fdad:3236:5555:3000::3")"},
        {"cidrHost", R"(["fdad:3236:5555:3000::/52", 3])", R"("fdad:3236:5555:3000::4")"},
        {"cidrHost", R"(["fdad:3236:5555:3000::/52", 4])", R"("fdad:3236:5555:3000::5")"},
    });
}

TEST(ArmCidrFunctions, NormalUse) {
    run_cases({
        // Host bits in the input are cleared.
        {"parseCidr", R"(["10.144.3.7/20"])",
         R"({"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255",)"
         R"("firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20})"},
        {"parseCidr", R"(["0.0.0.0/0"])",
         R"({"network":"0.0.0.0","netmask":"0.0.0.0","broadcast":"255.255.255.255",)"
         R"("firstUsable":"0.0.0.1","lastUsable":"255.255.255.254","cidr":0})"},
        {"parseCidr", R"(["10.0.0.4/31"])",
         R"({"network":"10.0.0.4","netmask":"255.255.255.254","broadcast":"10.0.0.5",)"
         R"("firstUsable":"10.0.0.4","lastUsable":"10.0.0.5","cidr":31})"},
        {"parseCidr", R"(["10.0.0.9/32"])",
         R"({"network":"10.0.0.9","netmask":"255.255.255.255","broadcast":"10.0.0.9",)"
         R"("firstUsable":"10.0.0.9","lastUsable":"10.0.0.9","cidr":32})"},
        {"parseCidr", R"(["::/0"])",
         R"({"network":"::","netmask":"::","firstUsable":"::",)"
         R"("lastUsable":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff","cidr":0})"},
        {"parseCidr", R"(["2001:DB8:0:0:1:0:0:1/128"])",
         R"({"network":"2001:db8::1:0:0:1","netmask":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",)"
         R"("firstUsable":"2001:db8::1:0:0:1","lastUsable":"2001:db8::1:0:0:1","cidr":128})"},
        {"parseCidr", R"(["::ffff:10.1.2.3/120"])",
         R"({"network":"::ffff:10.1.2.0","netmask":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00",)"
         R"("firstUsable":"::ffff:10.1.2.0","lastUsable":"::ffff:10.1.2.255","cidr":120})"},
        {"cidrSubnet", R"(["10.0.0.0/8", 8, 0])", R"("10.0.0.0/8")"},
        {"cidrSubnet", R"(["10.0.0.0/8", 16, 255])", R"("10.255.0.0/16")"},
        {"cidrSubnet", R"(["10.0.0.0/8", 32, 16777215])", R"("10.255.255.255/32")"},
        {"cidrSubnet", R"(["::/0", 128, 9223372036854775807])", R"("::7fff:ffff:ffff:ffff/128")"},
        {"cidrHost", R"(["10.0.0.0/30", 1])", R"("10.0.0.2")"},
        {"cidrHost", R"(["10.0.0.4/31", 1])", R"("10.0.0.5")"},
        {"cidrHost", R"(["10.0.0.9/32", 0])", R"("10.0.0.9")"},
        {"cidrHost", R"(["10.0.0.0/24", 253])", R"("10.0.0.254")"},
        {"cidrHost", R"(["2001:db8::/127", 0])", R"("2001:db8::1")"},
        {"cidrHost", R"(["2001:db8::1/128", 0])", R"("2001:db8::1")"},
    });
}

TEST(ArmCidrFunctions, Errors) {
    run_error_cases({
        {"parseCidr", R"(["10.0.0.0"])",
         "parseCidr(): '10.0.0.0' is not an IP address range in CIDR notation"},
        {"parseCidr", R"(["10.0.0.0/33"])", "is not an IP address range"},
        {"parseCidr", R"(["10.0.0.256/8"])", "is not an IP address range"},
        {"parseCidr", R"(["10.0.0/8"])", "is not an IP address range"},
        {"parseCidr", R"(["10.0.0.0/-1"])", "is not an IP address range"},
        {"parseCidr", R"(["10.0.0.0/8x"])", "is not an IP address range"},
        {"parseCidr", R"(["1:2:3:4:5:6:7:8:9/64"])", "is not an IP address range"},
        {"parseCidr", R"(["1::2::3/64"])", "is not an IP address range"},
        {"parseCidr", R"(["fdad::/129"])", "is not an IP address range"},
        {"parseCidr", R"(["12345::/16"])", "is not an IP address range"},
        {"parseCidr", "[10]", "parseCidr() expects (string), got (int)"},
        {"cidrSubnet", R"(["10.0.0.0/16", 8, 0])", "newCIDR must be between 16 and 32, got 8"},
        {"cidrSubnet", R"(["10.0.0.0/16", 33, 0])", "newCIDR must be between 16 and 32"},
        {"cidrSubnet", R"(["10.0.0.0/16", 24, 256])", "subnetIndex 256 is outside the 256 subnets of /24"},
        {"cidrSubnet", R"(["10.0.0.0/16", 24, -1])", "subnetIndex -1 is outside"},
        {"cidrSubnet", R"(["10.0.0.0/16", "24", 0])",
         "cidrSubnet() expects (string, int, int), got (string, string, int)"},
        {"cidrHost", R"(["10.0.0.0/24", 254])", "hostIndex 254 is outside the usable hosts of 10.0.0.0/24"},
        {"cidrHost", R"(["10.0.0.0/24", -1])", "hostIndex -1 is outside"},
        {"cidrHost", R"(["10.0.0.9/32", 1])", "hostIndex 1 is outside"},
        {"cidrHost", R"(["2001:db8::1/128", 1])", "hostIndex 1 is outside"},
        {"cidrHost", R"(["10.0.0.0/24"])", "cidrHost() expects (string, int), got (string)"},
    });
}

TEST(ArmCidrFunctions, UnknownArguments) {
    run_cases({
        {"parseCidr", R"(["$unknown"])", "unknown"},
        {"cidrSubnet", R"(["10.0.0.0/16", 24, "$unknown"])", "unknown"},
        {"cidrHost", R"(["$unknown", 0])", "unknown"},
    });
}

} // namespace
} // namespace ztnet::load::arm
