# What makes a clean build — the one CI does on every run, on 2 cores — shorter.
#
# 1. The gold linker where g++ has it: linking the 130 test programs against the static
#    libraries is 2.2 s each with ld.bfd and 1.0 s with gold (tst_migrations, same machine).
#
# 2. Precompiled headers. Half of a typical translation unit's compile time here is parsing
#    Qt's headers (g++ -ftime-report: 50-70 % "phase parsing"). Each kind of target shares one
#    header compiled once per build (boo_pch_<kind>: cmake/boo_pch.h plus what the kind adds):
#
#      core   libraries, programs and tests without a GUI   Qt Core and the standard library
#      gui    views, the desktop program and their tests     + QtWidgets
#             (boo_models, which may not use Widgets, is of kind core)
#
#    g++ uses a precompiled header only where it fits the translation unit (the macros it saw
#    are defined the same way) and otherwise reads the headers as text: a mismatch costs time,
#    never correctness. That is why QtTest is not in them: its headers read
#    QT_TESTCASE_BUILDDIR, which Qt defines per test directory, so no one header could fit
#    every test. `cmake -DCMAKE_CXX_FLAGS=-Winvalid-pch` (with BOO_WERROR) turns a mismatch
#    into an error — the way to check a change to this file.
#
#    Off by default when the compiler is ccache: ccache would have to hash the 150 MB .gch of
#    every build tree, which differs per tree, and a developer's warm cache beats the
#    precompiled header. -DBOO_PCH=ON|OFF overrides. A header missing an #include can compile
#    with the precompiled header and fail without it; developer builds (ccache, no PCH) and
#    the fuzz build catch that.

include(CheckLinkerFlag)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT WIN32)
    check_linker_flag(CXX "-fuse-ld=gold" BOO_HAVE_GOLD)
    if(BOO_HAVE_GOLD)
        target_link_options(boo_options INTERFACE "-fuse-ld=gold")
    endif()
endif()

get_filename_component(_boo_cxx_real "${CMAKE_CXX_COMPILER}" REALPATH)
get_filename_component(_boo_cxx_name "${_boo_cxx_real}" NAME)
if(_boo_cxx_name STREQUAL "ccache" OR CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
    set(_boo_pch_default OFF)
else()
    set(_boo_pch_default ON)
endif()
option(BOO_PCH "Precompile the common Qt and standard headers (cmake/BooBuildSpeed.cmake)"
       ${_boo_pch_default})

set(_boo_pch_header "${CMAKE_CURRENT_LIST_DIR}/boo_pch.h")

# boo_pch_<kind>: a small library whose only job is to own the compiled header.
function(_boo_add_pch_target kind)
    cmake_parse_arguments(P "" "" "LIBS;HEADERS" ${ARGN})
    set(target boo_pch_${kind})
    set(source "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
    file(CONFIGURE OUTPUT "${source}" CONTENT "// Owns the precompiled header of kind ${kind}.\n")
    add_library(${target} STATIC "${source}")
    set_target_properties(${target} PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
    target_link_libraries(${target} PRIVATE boo_options ${P_LIBS})
    target_precompile_headers(${target} PRIVATE "${_boo_pch_header}" ${P_HEADERS})
endfunction()

# The targets `target` links, directly or through others.
function(_boo_link_closure target out)
    set(seen)
    set(queue ${target})
    while(queue)
        list(POP_FRONT queue current)
        if(current IN_LIST seen OR NOT TARGET ${current})
            continue()
        endif()
        list(APPEND seen ${current})
        set(links)
        get_target_property(type ${current} TYPE)
        if(NOT type STREQUAL "INTERFACE_LIBRARY")
            get_target_property(direct ${current} LINK_LIBRARIES)
            if(direct)
                list(APPEND links ${direct})
            endif()
        endif()
        get_target_property(iface ${current} INTERFACE_LINK_LIBRARIES)
        if(iface)
            list(APPEND links ${iface})
        endif()
        foreach(link IN LISTS links)
            if(TARGET ${link})
                list(APPEND queue ${link})
            endif()
        endforeach()
    endwhile()
    set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(_boo_targets_in dir out)
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    foreach(sub IN LISTS subdirs)
        _boo_targets_in("${sub}" more)
        list(APPEND targets ${more})
    endforeach()
    set(${out} ${targets} PARENT_SCOPE)
endfunction()

# boo_precompile_headers(): called once, after every target is declared. Gives each target
# that compiles with boo_options the precompiled header of its kind. The fuzz build (clang,
# other flags) keeps parsing.
function(boo_precompile_headers)
    if(NOT BOO_PCH OR BOO_FUZZ)
        message(STATUS "BooControl precompiled headers: off")
        return()
    endif()
    _boo_add_pch_target(core LIBS Qt6::Core)
    if(BOO_GUI)
        _boo_add_pch_target(gui LIBS Qt6::Widgets HEADERS <QWidget>)
    endif()
    _boo_targets_in("${PROJECT_SOURCE_DIR}" targets)
    set(count 0)
    foreach(target IN LISTS targets)
        get_target_property(type ${target} TYPE)
        if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$"
           OR target MATCHES "^boo_pch_")
            continue()
        endif()
        _boo_link_closure(${target} closure)
        if(NOT "boo_options" IN_LIST closure)
            continue()
        endif()
        set(kind core)
        if("Qt6::Widgets" IN_LIST closure)
            set(kind gui)
        endif()
        target_precompile_headers(${target} REUSE_FROM boo_pch_${kind})
        math(EXPR count "${count} + 1")
    endforeach()
    message(STATUS "BooControl precompiled headers: on (${count} targets)")
endfunction()
