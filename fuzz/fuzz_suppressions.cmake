ztnet_fuzz(suppressions SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_suppressions.cpp DEPENDS ztnet_load)
