ztnet_fuzz(arm_expression SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_arm_expression.cpp DEPENDS ztnet_arm)
