ztnet_fuzz(net_port SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_net_port.cpp DEPENDS ztnet_net)
