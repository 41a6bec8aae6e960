// TLS versions in every spelling Azure's services use, and what names no version.
#include <gtest/gtest.h>

#include "ztnet/model/tls_version.h"

namespace ztnet::model {
namespace {

TEST(TlsVersion, EverySpellingOfAVersionReadsAsItsMinorNumber) {
    for (const char* spelling : {"1.2", "Tls12", "TLSv1.2", "TLS1_2", "TLSv1_2", "tlsv1_2", "12"})
        EXPECT_EQ(tls_minor_version(spelling), 2) << spelling;
    for (const char* spelling : {"1.0", "Tls", "TLS", "TLSv1", "TLS1_0", "1"})
        EXPECT_EQ(tls_minor_version(spelling), 0) << spelling;
    EXPECT_EQ(tls_minor_version("TLSv1_3"), 3);
    EXPECT_EQ(tls_minor_version("Tls11"), 1);
}

TEST(TlsVersion, WhatNamesNoVersionIsNotRead) {
    for (const char* spelling : {"None", "2.0", "TLSv2", "1.x", "Ssl30", "1.2.3", "TLSv1_"})
        EXPECT_EQ(tls_minor_version(spelling), std::nullopt) << spelling;
}

} // namespace
} // namespace ztnet::model
