# The layers of BooControl (docs/architecture.md), enforced by the build.
#
# Every library is declared with the libraries it may use:
#
#   boo_add_module(<name> [PUBLIC <module|target>...] [PRIVATE <module|target>...] SOURCES ...)
#       a library boo_<name> of the sources in core/<name>, e.g. boo_add_module(store PUBLIC common ...)
#   boo_add_layer(<target> AREA <dir> [PUBLIC ...] [PRIVATE ...] [ALLOW <area>...])
#       the same rules for a target made otherwise (boo_models, boo_views, the programs); ALLOW
#       names areas its sources may include although it does not link them in this configuration
#       (app/main.cpp includes views/ only when the build has a GUI)
#
# Plain names are other modules (`common` is boo_common), names with `::` are imported targets
# (Qt6::Sql). The link graph is the layer graph: a library links only what it declares. And
# because a header can be included without linking anything, boo_enforce_layers() (called once,
# at the end of the top-level CMakeLists.txt) adds a step before each library that reads every
# #include of its directory and fails the build on one that points the wrong way:
#   * a .cpp may include its own area and the public closure of every dependency;
#   * a .h may include only its own area and the public closure of its PUBLIC dependencies
#     (what consumers of the header inherit);
#   * an include of another project area (core/<module>, models, views, app, tests) outside
#     those sets is an error naming file, line, the header and the rule.
# No library under core/ may link Qt's Gui, Widgets or Charts: --serve runs without a display
# (checked when CMake configures the build).

set(BOO_LAYER_CHECK_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/CheckLayers.cmake" CACHE INTERNAL "")

function(boo_add_layer target)
    cmake_parse_arguments(L "" "AREA" "PUBLIC;PRIVATE;ALLOW" ${ARGN})
    if(NOT L_AREA)
        message(FATAL_ERROR "boo_add_layer(${target}): AREA is required")
    endif()
    foreach(scope PUBLIC PRIVATE)
        set(libs)
        set(modules)
        foreach(dep IN LISTS L_${scope})
            if(dep MATCHES "::")
                list(APPEND libs ${dep})
            else()
                list(APPEND libs boo_${dep})
                list(APPEND modules boo_${dep})
            endif()
        endforeach()
        target_link_libraries(${target} ${scope} ${libs})
        set_property(TARGET ${target} PROPERTY BOO_LAYER_${scope}_DEPS ${L_${scope}})
        set_property(TARGET ${target} PROPERTY BOO_LAYER_${scope}_MODULES ${modules})
    endforeach()
    set_property(TARGET ${target} PROPERTY BOO_LAYER_AREA ${L_AREA})
    set_property(TARGET ${target} PROPERTY BOO_LAYER_ALLOW ${L_ALLOW})
    set_property(GLOBAL APPEND PROPERTY BOO_LAYERED_TARGETS ${target})
endfunction()

function(boo_add_module name)
    cmake_parse_arguments(M "" "" "PUBLIC;PRIVATE;SOURCES" ${ARGN})
    add_library(boo_${name} STATIC ${M_SOURCES})
    target_link_libraries(boo_${name} PUBLIC boo_options)
    file(RELATIVE_PATH area "${PROJECT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}")
    boo_add_layer(boo_${name} AREA ${area} PUBLIC ${M_PUBLIC} PRIVATE ${M_PRIVATE})
endfunction()

# The areas whose headers a consumer of `target` may include: its own and, recursively, those
# of its PUBLIC dependencies.
function(_boo_public_closure target out)
    get_property(areas GLOBAL PROPERTY _BOO_CLOSURE_${target})
    if(NOT areas)
        get_property(areas TARGET ${target} PROPERTY BOO_LAYER_AREA)
        get_property(deps TARGET ${target} PROPERTY BOO_LAYER_PUBLIC_MODULES)
        foreach(dep IN LISTS deps)
            if(NOT TARGET ${dep})
                message(FATAL_ERROR "${target} uses ${dep}, which is not declared")
            endif()
            _boo_public_closure(${dep} dep_areas)
            list(APPEND areas ${dep_areas})
        endforeach()
        list(REMOVE_DUPLICATES areas)
        set_property(GLOBAL PROPERTY _BOO_CLOSURE_${target} ${areas})
    endif()
    set(${out} ${areas} PARENT_SCOPE)
endfunction()

# Every imported target a layered target links, through its own dependencies: those declared to
# boo_add_layer and any linked otherwise (a plain target_link_libraries).
function(_boo_linked_imports target out)
    get_property(imports TARGET ${target} PROPERTY BOO_LAYER_PUBLIC_DEPS)
    get_property(private TARGET ${target} PROPERTY BOO_LAYER_PRIVATE_DEPS)
    get_property(direct TARGET ${target} PROPERTY LINK_LIBRARIES)
    list(APPEND imports ${private} ${direct})
    list(FILTER imports INCLUDE REGEX "::")
    foreach(scope PUBLIC PRIVATE)
        get_property(deps TARGET ${target} PROPERTY BOO_LAYER_${scope}_MODULES)
        foreach(dep IN LISTS deps)
            _boo_linked_imports(${dep} dep_imports)
            list(APPEND imports ${dep_imports})
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES imports)
    set(${out} ${imports} PARENT_SCOPE)
endfunction()

function(boo_enforce_layers)
    get_property(targets GLOBAL PROPERTY BOO_LAYERED_TARGETS)
    # Every area of the source tree is known, built in this configuration or not (models and
    # views are not in a headless build): an include of one is judged by the rules, not unknown.
    set(known_areas tests models views app)
    file(GLOB module_lists RELATIVE "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/core/*/CMakeLists.txt")
    foreach(list_file IN LISTS module_lists)
        get_filename_component(module_dir "${list_file}" DIRECTORY)
        list(APPEND known_areas ${module_dir})
    endforeach()
    foreach(target IN LISTS targets)
        get_property(area TARGET ${target} PROPERTY BOO_LAYER_AREA)
        if(area MATCHES "^core/")
            _boo_linked_imports(${target} imports)
            foreach(forbidden Qt6::Gui Qt6::Widgets Qt6::Charts)
                if(forbidden IN_LIST imports)
                    message(FATAL_ERROR "${target} (${area}) links ${forbidden}: core libraries run without a display")
                endif()
            endforeach()
        endif()
        _boo_public_closure(${target} header_allowed)
        set(source_allowed ${header_allowed})
        get_property(private_deps TARGET ${target} PROPERTY BOO_LAYER_PRIVATE_MODULES)
        foreach(dep IN LISTS private_deps)
            _boo_public_closure(${dep} dep_areas)
            list(APPEND source_allowed ${dep_areas})
        endforeach()
        get_property(allowed_extra TARGET ${target} PROPERTY BOO_LAYER_ALLOW)
        list(APPEND source_allowed ${allowed_extra})
        list(REMOVE_DUPLICATES source_allowed)

        set(rules "${PROJECT_BINARY_DIR}/layers/${target}.cmake")
        file(CONFIGURE OUTPUT "${rules}" CONTENT [[
set(BOO_LAYER_TARGET "@target@")
set(BOO_LAYER_ROOT "@PROJECT_SOURCE_DIR@")
set(BOO_LAYER_AREA "@area@")
set(BOO_LAYER_HEADER_ALLOWED "@header_allowed@")
set(BOO_LAYER_SOURCE_ALLOWED "@source_allowed@")
set(BOO_LAYER_KNOWN_AREAS "@known_areas@")
]] @ONLY)
        file(GLOB_RECURSE files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/${area}/*.h" "${PROJECT_SOURCE_DIR}/${area}/*.cpp")
        set(stamp "${PROJECT_BINARY_DIR}/layers/${target}.checked")
        add_custom_command(OUTPUT "${stamp}"
            COMMAND ${CMAKE_COMMAND} -DBOO_LAYER_RULES=${rules} -P ${BOO_LAYER_CHECK_SCRIPT}
            COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
            DEPENDS ${files} "${rules}" ${BOO_LAYER_CHECK_SCRIPT}
            COMMENT "Checking the includes of ${area} against its layer"
            VERBATIM)
        add_custom_target(${target}_layers DEPENDS "${stamp}")
        add_dependencies(${target} ${target}_layers)
    endforeach()
endfunction()
