ztnet_fuzz(document_patch SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_document_patch.cpp DEPENDS ztnet_fix ztnet_json)
