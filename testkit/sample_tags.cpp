#include "testkit/sample_tags.h"

#include <fstream>
#include <sstream>
#include <string>

namespace ztnet::testkit {

policy::ServiceTags sample_service_tags() {
    std::ifstream in(std::string(ZTNET_SOURCE_DIR) + "/data/service-tags-sample.json", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto tags = policy::ServiceTags::parse(text.str());
    return tags ? std::move(*tags) : policy::ServiceTags();
}

} // namespace ztnet::testkit
