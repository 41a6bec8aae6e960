ztnet_fuzz(service_tags SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_service_tags.cpp DEPENDS ztnet_policy)
