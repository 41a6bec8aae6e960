ztnet_fuzz(script_credentials SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_script_credentials.cpp DEPENDS ztnet_load)
