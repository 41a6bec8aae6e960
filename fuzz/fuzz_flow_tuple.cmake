ztnet_fuzz(flow_tuple SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_flow_tuple.cpp DEPENDS ztnet_flows)
