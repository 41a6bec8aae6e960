#include "ztnet/flows/flow_tuple.h"

#include <array>

namespace ztnet::flows {

std::string_view format_name(Format format) {
    static constexpr std::array<std::string_view, 3> kNames = {"NSG flow log v1", "NSG flow log v2",
                                                               "VNet flow log"};
    return kNames[static_cast<std::size_t>(format)];
}

} // namespace ztnet::flows
