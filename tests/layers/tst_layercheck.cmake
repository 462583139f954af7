# tst_layercheck: runs cmake/CheckLayers.cmake on a tree made here and checks its verdicts.
#   cmake -DBOO_LAYER_CHECK_SCRIPT=... -DWORK_DIR=... -P tst_layercheck.cmake
cmake_minimum_required(VERSION 3.22)

set(failures 0)
macro(fail message)
    message(NOTICE "FAIL: ${message}")
    math(EXPR failures "${failures} + 1")
endmacro()
macro(expect_pass what)
    if(NOT result EQUAL 0)
        fail("${what} was refused:\n${output}")
    endif()
endmacro()
macro(expect_failure what)
    if(result EQUAL 0)
        fail("${what} was accepted")
    endif()
endmacro()
macro(expect_in_report text)
    string(FIND "${output}" "${text}" at)
    if(at EQUAL -1)
        fail("the report lacks `${text}`:\n${output}")
    endif()
endmacro()

# protocol (uses common) and store (uses common, protocol), as in the real build.
function(write_rules target area header_allowed source_allowed)
    set(known "core/common;core/protocol;core/store;models;views;app;tests")
    file(WRITE "${WORK_DIR}/${target}.cmake"
         "set(BOO_LAYER_TARGET ${target})\n"
         "set(BOO_LAYER_ROOT \"${WORK_DIR}/src\")\n"
         "set(BOO_LAYER_AREA ${area})\n"
         "set(BOO_LAYER_HEADER_ALLOWED \"${header_allowed}\")\n"
         "set(BOO_LAYER_SOURCE_ALLOWED \"${source_allowed}\")\n"
         "set(BOO_LAYER_KNOWN_AREAS \"${known}\")\n")
endfunction()

function(check target out_result out_output)
    execute_process(COMMAND ${CMAKE_COMMAND} -DBOO_LAYER_RULES=${WORK_DIR}/${target}.cmake -P ${BOO_LAYER_CHECK_SCRIPT}
                    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
    set(${out_result} ${result} PARENT_SCOPE)
    set(${out_output} "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
write_rules(boo_protocol core/protocol "core/protocol;core/common" "core/protocol;core/common")
write_rules(boo_store core/store "core/store;core/common" "core/store;core/common;core/protocol")

# 1. Includes that follow the layers pass: own area, a lower layer, Qt, moc output, a local file.
file(WRITE "${WORK_DIR}/src/core/protocol/good.h" "#pragma once\n#include \"core/common/result.h\"\n#include <QString>\n")
file(WRITE "${WORK_DIR}/src/core/protocol/good.cpp"
     "#include \"core/protocol/good.h\"\n  #  include \"core/common/logging.h\"\n#include \"good.moc\"\n// #include \"core/store/database.h\" (a comment)\n")
check(boo_protocol result output)
expect_pass("including the own area, a lower layer, Qt, moc output and a comment")

# 2. core/protocol including a core/store header fails, naming file, line and rule.
file(WRITE "${WORK_DIR}/src/core/protocol/bad.h" "#pragma once\n\n#include \"core/store/database.h\"\n")
check(boo_protocol result output)
expect_failure("core/protocol including core/store/database.h")
expect_in_report("core/protocol/bad.h:3: core/protocol may not include core/store/database.h, a header of core/store")
file(REMOVE "${WORK_DIR}/src/core/protocol/bad.h")

# 3. A private dependency is usable in a .cpp but not in a header (consumers would not get it).
file(WRITE "${WORK_DIR}/src/core/store/query.cpp" "#include \"core/protocol/good.h\"\n")
check(boo_store result output)
expect_pass("a .cpp of core/store using its PRIVATE dependency core/protocol")
file(WRITE "${WORK_DIR}/src/core/store/query.h" "#pragma once\n#include <core/protocol/good.h>\n")
check(boo_store result output)
expect_failure("a header of core/store exporting its PRIVATE dependency core/protocol")
expect_in_report("core/store/query.h:2: core/store may not include core/protocol/good.h, a header of core/protocol")
file(REMOVE "${WORK_DIR}/src/core/store/query.h")

# 4. Upwards (core -> models / tests) and unknown modules fail.
file(WRITE "${WORK_DIR}/src/core/store/up.cpp" "#include \"models/fleetmodel.h\"\n#include \"tests/common/x.h\"\n#include \"core/nowhere/x.h\"\n")
check(boo_store result output)
expect_failure("core/store including models/, tests/ and an unknown module")
expect_in_report("up.cpp:1: core/store may not include models/fleetmodel.h")
expect_in_report("up.cpp:2: core/store may not include tests/common/x.h")
expect_in_report("up.cpp:3: includes core/nowhere/x.h, which belongs to no library")

# 5. Relative paths are read as the compiler reads them: from the file's folder, or from the root.
file(WRITE "${WORK_DIR}/src/core/protocol/sneaky.cpp" "#include \"../store/database.h\"\n#include \"core/common/../store/x.h\"\n")
check(boo_protocol result output)
expect_failure("core/protocol including ../store/database.h")
expect_in_report("sneaky.cpp:1: core/protocol may not include ../store/database.h (core/store/database.h)")
expect_in_report("sneaky.cpp:2: core/protocol may not include core/common/../store/x.h (core/store/x.h)")
file(REMOVE "${WORK_DIR}/src/core/protocol/sneaky.cpp")

# 6. ALLOW: an area a target may include although it does not link it here (headless app).
file(WRITE "${WORK_DIR}/src/app/main.cpp" "#include \"core/store/db.h\"\n#include \"models/x.h\"\n")
write_rules(app app "app;core/store;core/common" "app;core/store;core/common;core/protocol")
check(app result output)
expect_failure("app including models/ without ALLOW")
file(APPEND "${WORK_DIR}/app.cmake" "list(APPEND BOO_LAYER_SOURCE_ALLOWED models)\n")
check(app result output)
expect_pass("app including models/ with ALLOW models")

if(failures GREATER 0)
    message(FATAL_ERROR "${failures} check(s) failed")
endif()
message(STATUS "layer check: all verdicts as expected")
