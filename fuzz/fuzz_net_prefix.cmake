ztnet_fuzz(net_prefix SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_net_prefix.cpp DEPENDS ztnet_net)
