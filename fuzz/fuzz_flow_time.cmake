ztnet_fuzz(flow_time SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_flow_time.cpp DEPENDS ztnet_flow_store)
