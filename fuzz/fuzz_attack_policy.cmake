ztnet_fuzz(attack_policy SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_attack_policy.cpp DEPENDS ztnet_load)
