ztnet_fuzz(intent SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_intent.cpp DEPENDS ztnet_load)
