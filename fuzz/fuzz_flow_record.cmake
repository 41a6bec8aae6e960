ztnet_fuzz(flow_record SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_flow_record.cpp DEPENDS ztnet_flows)
