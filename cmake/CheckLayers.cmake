# Checks the #include lines of one layered target's directory (see BooLayers.cmake).
#   cmake -DBOO_LAYER_RULES=<rules file> -P CheckLayers.cmake
# The rules file sets BOO_LAYER_TARGET, BOO_LAYER_ROOT, BOO_LAYER_AREA, BOO_LAYER_HEADER_ALLOWED,
# BOO_LAYER_SOURCE_ALLOWED and BOO_LAYER_KNOWN_AREAS. Exits with an error listing every include
# that points the wrong way, as `file:line: message` so that editors can jump to it.
cmake_minimum_required(VERSION 3.22)

if(NOT BOO_LAYER_RULES OR NOT EXISTS "${BOO_LAYER_RULES}")
    message(FATAL_ERROR "CheckLayers.cmake: pass -DBOO_LAYER_RULES=<rules file>")
endif()
include("${BOO_LAYER_RULES}")

# The known area an included path belongs to (the longest that prefixes it), or "" for paths
# outside the project's areas (Qt headers, moc output, sibling files).
function(area_of path out)
    set(best "")
    foreach(area IN LISTS BOO_LAYER_KNOWN_AREAS)
        string(FIND "${path}/" "${area}/" at)
        string(LENGTH "${area}" length)
        string(LENGTH "${best}" best_length)
        if(at EQUAL 0 AND length GREATER best_length)
            set(best "${area}")
        endif()
    endforeach()
    set(${out} "${best}" PARENT_SCOPE)
endfunction()

# An included path as seen from the project root: "../store/x.h" from core/fleet and
# "core/fleet/../store/x.h" are both core/store/x.h.
function(normalized_include file path out)
    if(path MATCHES "^\\.\\.?/")
        get_filename_component(dir "${file}" DIRECTORY)
        get_filename_component(absolute "${BOO_LAYER_ROOT}/${dir}/${path}" ABSOLUTE)
    elseif(path MATCHES "/\\.\\.?/")
        get_filename_component(absolute "${BOO_LAYER_ROOT}/${path}" ABSOLUTE)
    else()
        set(${out} "${path}" PARENT_SCOPE)
        return()
    endif()
    file(RELATIVE_PATH relative "${BOO_LAYER_ROOT}" "${absolute}")
    set(${out} "${relative}" PARENT_SCOPE)
endfunction()

set(patterns)
foreach(extension h hpp hh inl cpp cc cxx)
    list(APPEND patterns "${BOO_LAYER_ROOT}/${BOO_LAYER_AREA}/*.${extension}")
endforeach()
file(GLOB_RECURSE files RELATIVE "${BOO_LAYER_ROOT}" ${patterns})
list(SORT files)
set(problems "")
foreach(file IN LISTS files)
    if(file MATCHES "\\.(h|hpp|hh|inl)$")
        set(allowed ${BOO_LAYER_HEADER_ALLOWED})
        set(rule "a header of ${BOO_LAYER_TARGET} may include its own area and what its PUBLIC dependencies export")
    else()
        set(allowed ${BOO_LAYER_SOURCE_ALLOWED})
        set(rule "${BOO_LAYER_TARGET} may use only the libraries it links")
    endif()
    file(READ "${BOO_LAYER_ROOT}/${file}" text)
    string(REGEX MATCHALL "(^|\n)[ \t]*#[ \t]*include[ \t]*[\"<][^\">\n]+[\">]" includes "${text}")
    foreach(include IN LISTS includes)
        string(REGEX REPLACE "^\n?[ \t]*#[ \t]*include[ \t]*[\"<]([^\">\n]+)[\">]$" "\\1" written "${include}")
        normalized_include("${file}" "${written}" path)
        if(NOT path MATCHES "^(core|models|views|app|tests)/")
            continue()
        endif()
        area_of("${path}" area)
        # The line number: newlines before the include's first occurrence, plus one.
        string(STRIP "${include}" needle)
        string(FIND "${text}" "${needle}" at)
        string(SUBSTRING "${text}" 0 ${at} before)
        string(REGEX MATCHALL "\n" newlines "${before}")
        list(LENGTH newlines line)
        math(EXPR line "${line} + 1")
        set(shown "${path}")
        if(NOT written STREQUAL path)
            set(shown "${written} (${path})")
        endif()
        if(area STREQUAL "")
            string(APPEND problems "${file}:${line}: includes ${shown}, which belongs to no library of the build\n")
        elseif(NOT area IN_LIST allowed)
            string(APPEND problems "${file}:${line}: ${BOO_LAYER_AREA} may not include ${shown}, a header of ${area}: ${rule}\n")
        endif()
    endforeach()
endforeach()

if(problems)
    # Printed as they are (FATAL_ERROR would wrap the lines), so editors can jump to file:line.
    string(REPLACE ";" " " allowed_text "${BOO_LAYER_SOURCE_ALLOWED}")
    message(NOTICE "Includes that cross the layers (docs/architecture.md):\n${problems}"
                   "${BOO_LAYER_TARGET} may use: ${allowed_text}\n"
                   "Move the code to the layer that owns it, or declare the dependency in its CMakeLists.txt "
                   "if the architecture allows it.")
    message(FATAL_ERROR "${BOO_LAYER_AREA}: includes cross the layers")
endif()
