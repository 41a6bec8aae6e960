ztnet_fuzz(effective_routes SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_effective_routes.cpp DEPENDS ztnet_load)
