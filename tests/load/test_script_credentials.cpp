// Credentials in custom data: found by shape in scripts and cloud-init documents, described without
// their values; variables, placeholders and references to where a secret lives are not credentials.
#include <gtest/gtest.h>

#include "ztnet/load/script_credentials.h"

namespace ztnet::load {
namespace {

using Found = std::vector<std::string>;

TEST(ScriptCredentials, AssignmentsOfLiteralsAreFound) {
    EXPECT_EQ(credentials_in_script("#!/bin/bash\nexport DB_PASSWORD=Sup3rS3cret!\n./start.sh\n"),
              (Found{"a credential assignment (DB_PASSWORD)"}));
    EXPECT_EQ(credentials_in_script(
                  "#cloud-config\nchpasswd:\n  list: |\n    root:x\nclient_secret: 'abcd1234efgh'\n"),
              (Found{"a credential assignment (client_secret)"}));
    EXPECT_EQ(credentials_in_script("$env:ApiKey = \"0123456789abcdef\"\n"),
              (Found{"a credential assignment (ApiKey)"}));
}

TEST(ScriptCredentials, KeysAndTokensAreFoundByShape) {
    EXPECT_EQ(
        credentials_in_script("-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n"),
        (Found{"a private key"}));
    EXPECT_EQ(credentials_in_script("conn=DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc==;"),
              (Found{"a storage account key"}));
    EXPECT_EQ(credentials_in_script("curl 'https://st.blob.core.windows.net/c/f?sv=2022-11-02&sig=abc%3D'"),
              (Found{"a SAS token"}));
}

TEST(ScriptCredentials, VariablesPlaceholdersAndPlacesAreNot) {
    EXPECT_EQ(credentials_in_script("PASSWORD=$1\nTOKEN=${TOKEN}\nSECRET={{ secret }}\npwd=%PWD%\n"),
              Found{});
    EXPECT_EQ(credentials_in_script("password: <your-password>\npassword=changeme\n"), Found{});
    EXPECT_EQ(credentials_in_script("token_endpoint: https://login.example/token\npassword_file=/etc/pw\n"),
              Found{});
    EXPECT_EQ(credentials_in_script("if [ \"$a\" == \"password\" ]; then cd $(pwd); fi\n"), Found{});
    EXPECT_EQ(credentials_in_script("apt-get install -y nginx\n"), Found{});
}

TEST(ScriptCredentials, CustomDataIsDecodedWhenItIsBase64OfText) {
    // base64 of "PASSWORD=hunter22\n", as a template's base64() writes it.
    EXPECT_EQ(custom_data_text("UEFTU1dPUkQ9aHVudGVyMjIK"), "PASSWORD=hunter22\n");
    EXPECT_EQ(credentials_in_script(custom_data_text("UEFTU1dPUkQ9aHVudGVyMjIK")),
              (Found{"a credential assignment (PASSWORD)"}));
    // Not base64: the text itself.
    EXPECT_EQ(custom_data_text("#!/bin/sh\necho hi"), "#!/bin/sh\necho hi");
}

} // namespace
} // namespace ztnet::load
