// The one version of ztnet: the project's, from CMake (project(ztnet VERSION ...)), for
// `ztnet --version` and the reports that name their tool.
#pragma once

#include <string_view>

namespace ztnet {

inline constexpr std::string_view kVersion = ZTNET_VERSION;

} // namespace ztnet
