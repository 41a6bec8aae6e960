# Warnings live on an interface target that every ztnet target links, so that
# third-party code and CMake's own checks are not built with -Werror.
add_library(ztnet_warnings INTERFACE)
target_compile_options(ztnet_warnings INTERFACE -Wall -Wextra -Wpedantic -Werror -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)

# ztnet_module(NAME SOURCES... DEPENDS targets...): one static library per module.
function(ztnet_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    add_library(ztnet_${name} STATIC ${ARG_SOURCES})
    target_include_directories(ztnet_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(ztnet_${name} PUBLIC ${ARG_DEPENDS} PRIVATE ztnet_warnings)
endfunction()

# ztnet_test(NAME SOURCES... DEPENDS targets...): a GoogleTest executable registered with CTest.
function(ztnet_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} GTest::gtest_main ztnet_warnings)
    target_compile_definitions(${name} PRIVATE ZTNET_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "TZ=UTC;LC_ALL=C")
endfunction()

# GCC 12 reports -Wrestrict false positives inside std::string's operator+ once inlined at -O2 and
# above (GCC bug 105329); the warning stays on for clang and for later GCC releases.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(ztnet_warnings INTERFACE -Wno-restrict)
endif()

# With -fsanitize, GCC 12's -Wmaybe-uninitialized fires on std::variant moves inside json::Value
# (its instrumentation defeats the flow analysis the warning relies on). The release and debug builds
# keep the warning; the sanitizer build checks the same thing at run time.
if(ZTNET_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(ztnet_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
