# Packages: `./scripts/package` makes the .deb (CPack DEB) and the AppDir (scripts/lib/appdir.sh)
# on Linux; `cpack -G WIX` makes the MSI on Windows (.github/workflows/release.yml). What the
# packages hold and how they are checked: docs/building.md, scripts/lib/package.sh.
include(GNUInstallDirs)

# cpack and `cmake --install` package what was built: scripts/package builds only the program it
# packages, and without this CPack's "preinstall" step would build every test first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(BOO_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
if(UNIX AND NOT APPLE)
    # Debian keeps units, defaults and completions at fixed places, whatever the prefix.
    install(FILES ${BOO_PACKAGING_DIR}/systemd/boocontrol-serve.service DESTINATION /lib/systemd/system)
    install(FILES ${BOO_PACKAGING_DIR}/debian/default DESTINATION /etc/default RENAME boocontrol)
    install(FILES ${BOO_PACKAGING_DIR}/completions/boocontrol.bash
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME boocontrol)
    install(FILES ${BOO_PACKAGING_DIR}/completions/_boocontrol DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

    # Debian wants the manual and the changelog compressed without a timestamp (gzip -n), so the
    # package is reproducible; gzip is on every system that builds a .deb.
    configure_file(${BOO_PACKAGING_DIR}/debian/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
    foreach(pair "man/boocontrol.1|boocontrol.1.gz" "${PROJECT_BINARY_DIR}/packaging/changelog|changelog.gz")
        string(REPLACE "|" ";" pair "${pair}")
        list(GET pair 0 source)
        list(GET pair 1 target)
        if(NOT IS_ABSOLUTE "${source}")
            set(source ${BOO_PACKAGING_DIR}/${source})
        endif()
        execute_process(COMMAND gzip -9nc ${source} OUTPUT_FILE ${PROJECT_BINARY_DIR}/packaging/${target}
                        RESULT_VARIABLE gzipResult)
        if(NOT gzipResult EQUAL 0)
            message(FATAL_ERROR "gzip -9nc ${source} failed: ${gzipResult}")
        endif()
    endforeach()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
                 ${BOO_PACKAGING_DIR}/man/boocontrol.1 ${BOO_PACKAGING_DIR}/debian/changelog.in)
    install(FILES ${PROJECT_BINARY_DIR}/packaging/boocontrol.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz ${BOO_PACKAGING_DIR}/debian/copyright
            DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/boocontrol)
endif()

set(CPACK_PACKAGE_NAME "boocontrol")
set(CPACK_PACKAGE_VENDOR "BooControl")
set(CPACK_PACKAGE_CONTACT "BooControl maintainers <maintainers@boocontrol.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# Wrapped at 80 columns by hand: Debian shows the lines as they are.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "BooControl watches every llama-swap host of a small fleet live (models, swaps,\n"
    "GPUs, requests and logs), keeps the history in SQLite or Postgres, warms,\n"
    "unloads and cancels, and serves an OpenAI-compatible gateway that routes to the\n"
    "best healthy host.\n"
    "\n"
    "The package holds the desktop cockpit (boocontrol) and the headless server\n"
    "(boocontrol --serve) with its systemd unit, boocontrol-serve.service, which\n"
    "runs as the boocontrol system user.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "BooControl")
set(CPACK_RESOURCE_FILE_LICENSE "${BOO_PACKAGING_DIR}/COPYRIGHT.txt")
set(CPACK_GENERATOR "TGZ")
set(CPACK_STRIP_FILES TRUE)

# Debian: dependencies from dpkg-shlibdeps; only what it cannot see (plugins Qt loads at run
# time, the tools the maintainer scripts call) is named here.
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${BOO_PACKAGING_DIR}/debian/postinst;${BOO_PACKAGING_DIR}/debian/postrm;${BOO_PACKAGING_DIR}/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

# Windows (WiX 3): a per-machine MSI with a Start-menu shortcut; the upgrade code never changes,
# so a newer MSI replaces an older one. windeployqt puts the Qt runtime beside boocontrol.exe at
# install time (app/CMakeLists.txt).
set(CPACK_WIX_UPGRADE_GUID "6C1B2E7A-5C0D-4B8E-9A51-0F3B6D2E9A11")
set(CPACK_WIX_PRODUCT_ICON "${PROJECT_SOURCE_DIR}/resources/icons/boocontrol.ico")
set(CPACK_WIX_PROGRAM_MENU_FOLDER "BooControl")
set(CPACK_WIX_INSTALL_SCOPE "perMachine") # CMake 3.29 or newer (the release workflow's)
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_WIX_PROPERTY_ARPHELPLINK "${PROJECT_HOMEPAGE_URL}/issues")
set(CPACK_PACKAGE_EXECUTABLES "boocontrol" "BooControl")
set(CPACK_CREATE_DESKTOP_LINKS "boocontrol")

include(CPack)
