ztnet_fuzz(terraform_plan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_terraform_plan.cpp DEPENDS ztnet_load ztnet_terraform ztnet_json)
