ztnet_fuzz(json SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_json.cpp DEPENDS ztnet_json)
