ztnet_fuzz(arm_template SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_arm_template.cpp DEPENDS ztnet_load)
