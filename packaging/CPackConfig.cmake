# Packages: `cpack -G DEB` / `-G TGZ` on Linux, `-G WIX` (MSI) on Windows (docs/building.md).
# No AppImage recipe yet: appimagetool is not in Debian's archive, the only one we can reach.
include(GNUInstallDirs)

if(UNIX AND NOT APPLE)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/systemd/boocontrol-serve.service
            DESTINATION lib/systemd/system)
endif()

set(CPACK_PACKAGE_NAME "boocontrol")
set(CPACK_PACKAGE_VENDOR "BooControl")
set(CPACK_PACKAGE_CONTACT "BooControl maintainers <maintainers@boocontrol.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "BooControl")
set(CPACK_GENERATOR "TGZ")
set(CPACK_STRIP_FILES TRUE)

set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql, libqt6sql6-sqlite, openssh-client")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_LIST_DIR}/debian/postinst")

set(CPACK_WIX_UPGRADE_GUID "6C1B2E7A-5C0D-4B8E-9A51-0F3B6D2E9A11")
set(CPACK_PACKAGE_EXECUTABLES "boocontrol" "BooControl")

include(CPack)
