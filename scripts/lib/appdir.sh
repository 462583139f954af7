# Builds a self-contained AppDir of boocontrol (the input of appimagetool): the program, the Qt
# libraries and plugins it loads, everything those link, qt.conf, the .desktop file, icon,
# AppStream data and AppRun. Libraries are found with ldd and made to find each other with
# RUNPATHs ($ORIGIN), so nothing depends on LD_LIBRARY_PATH or on the Qt of the host.
# shellcheck shell=bash

# The Qt plugins the program loads (directory/file stem); those not installed here are skipped,
# except the ones marked required.
BOO_APPDIR_PLUGINS=(
    platforms/libqxcb:required platforms/libqoffscreen:required platforms/libqminimal
    platforms/libqwayland-generic platforms/libqwayland-egl
    xcbglintegrations/libqxcb-glx-integration xcbglintegrations/libqxcb-egl-integration
    sqldrivers/libqsqlite:required sqldrivers/libqsqlpsql
    imageformats/libqsvg imageformats/libqgif imageformats/libqico imageformats/libqjpeg
    iconengines/libqsvgicon
    tls/libqopensslbackend:required tls/libqcertonlybackend
    platforminputcontexts/libcomposeplatforminputcontextplugin platforminputcontexts/libibusplatforminputcontextplugin
    networkinformation/libqnetworkmanager
)

# Libraries left to the host (by soname, without the version): the C runtime and loader, and the
# graphics and font stack, which must match the host's drivers and configuration. Everything else
# ldd finds is bundled. Consequence: the AppImage runs on systems at least as new as the one that
# built it (Debian 12: glibc 2.36, libstdc++ of GCC 12). OpenSSL is loaded by Qt at run time
# (dlopen), not linked: the host's is used, so it gets the host's security updates.
BOO_APPDIR_HOST_LIBS=(
    linux-vdso ld-linux-x86-64 ld-linux-aarch64 libc libm libdl libpthread librt libresolv libutil libanl
    libstdc++ libgcc_s
    libGL libGLX libGLdispatch libEGL libOpenGL libgbm libdrm libvulkan
    libX11 libX11-xcb libxcb libXau libXdmcp libxshmfence
    libfontconfig libfreetype libharfbuzz libexpat libz
    libdbus-1 libsystemd libudev
)

boo_appdir_is_host_lib() {
    local stem="${1%%.so*}" lib
    for lib in "${BOO_APPDIR_HOST_LIBS[@]}"; do
        [ "$stem" = "$lib" ] && return 0
    done
    return 1
}

# The libraries ldd resolves for the given ELF files, one path a line; dies on one it cannot find.
boo_appdir_ldd() {
    local file line
    for file in "$@"; do
        while IFS= read -r line; do
            case "$line" in
                *"not found"*) boo_die "$file needs ${line%% *}, which is not installed" ;;
                *" => /"*)
                    line="${line#* => }"
                    printf '%s\n' "${line%% (*}" ;;
            esac
        done < <(ldd "$file")
    done | sort -u
}

# boo_appdir_build STAGE APPDIR: STAGE is a DESTDIR of `cmake --install --prefix /usr`.
boo_appdir_build() {
    local stage="$1" appdir="$2"
    local qt_plugins qt_translations
    qt_plugins="$(qtpaths6 --query QT_INSTALL_PLUGINS 2>/dev/null || true)"
    [ -d "$qt_plugins" ] || qt_plugins="/usr/lib/$(gcc -print-multiarch)/qt6/plugins"
    qt_translations="$(qtpaths6 --query QT_INSTALL_TRANSLATIONS 2>/dev/null || true)"
    [ -d "$qt_plugins" ] || boo_die "no Qt plugin directory found ($qt_plugins)"
    command -v patchelf >/dev/null || boo_die "patchelf not found (Debian package patchelf)"

    rm -rf "$appdir"
    mkdir -p "$appdir/usr/bin" "$appdir/usr/lib" "$appdir/usr/plugins" "$appdir/usr/share"
    cp -a "$stage/usr/bin/boocontrol" "$appdir/usr/bin/"
    local dir
    for dir in applications icons metainfo; do
        cp -a "$stage/usr/share/$dir" "$appdir/usr/share/"
    done

    local entry type stem required plugin elfs=("$appdir/usr/bin/boocontrol")
    for entry in "${BOO_APPDIR_PLUGINS[@]}"; do
        type="${entry%%/*}"
        stem="${entry#*/}"
        required="${stem#*:}"
        stem="${stem%%:*}"
        plugin="$qt_plugins/$type/$stem.so"
        if [ ! -f "$plugin" ]; then
            [ "$required" = required ] && boo_die "Qt plugin $type/$stem.so not found in $qt_plugins"
            continue
        fi
        mkdir -p "$appdir/usr/plugins/$type"
        cp -L "$plugin" "$appdir/usr/plugins/$type/"
        elfs+=("$appdir/usr/plugins/$type/$stem.so")
    done

    local lib name libs
    mapfile -t libs < <(boo_appdir_ldd "${elfs[@]}")
    for lib in "${libs[@]}"; do
        name="$(basename "$lib")"
        boo_appdir_is_host_lib "$name" && continue
        cp -L "$lib" "$appdir/usr/lib/$name"
        chmod 0644 "$appdir/usr/lib/$name"
    done

    # Each ELF finds the bundled libraries relative to itself (a library that needs none of them,
    # like ICU's 30 MB of data, is left as it is: patchelf rewrites the whole file).
    patchelf --set-rpath '$ORIGIN/../lib' "$appdir/usr/bin/boocontrol"
    local needed
    for lib in "$appdir"/usr/lib/*.so*; do
        for needed in $(patchelf --print-needed "$lib"); do
            if [ -e "$appdir/usr/lib/$needed" ]; then
                patchelf --set-rpath '$ORIGIN' "$lib"
                break
            fi
        done
    done
    for plugin in "$appdir"/usr/plugins/*/*.so; do
        patchelf --set-rpath '$ORIGIN/../../lib' "$plugin"
    done

    # Qt's own translations of its dialogs, when installed.
    if [ -d "$qt_translations" ] && compgen -G "$qt_translations/qtbase_*.qm" >/dev/null; then
        mkdir -p "$appdir/usr/translations"
        cp "$qt_translations"/qtbase_*.qm "$appdir/usr/translations/"
    fi
    # The bundled QtCore would look for plugins where the build machine keeps them: point it here.
    cat >"$appdir/usr/bin/qt.conf" <<'EOF'
[Paths]
Prefix = ..
Plugins = plugins
Translations = translations
EOF
    cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
# Entry point of the BooControl AppImage: the bundled program, with the bundled Qt only (a host's
# QT_PLUGIN_PATH could load plugins built against another Qt).
here="$(dirname "$(readlink -f "$0")")"
unset QT_PLUGIN_PATH QT_QPA_PLATFORM_PLUGIN_PATH
exec "$here/usr/bin/boocontrol" "$@"
EOF
    chmod 0755 "$appdir/AppRun"
    # appimagetool wants the desktop entry and its icon at the top, and .DirIcon for file managers.
    cp "$appdir/usr/share/applications/boocontrol.desktop" "$appdir/"
    cp "$appdir/usr/share/icons/hicolor/scalable/apps/boocontrol.svg" "$appdir/"
    ln -sf boocontrol.svg "$appdir/.DirIcon"
    boo_log "AppDir: $appdir ($(find "$appdir/usr/lib" -name '*.so*' | wc -l) libraries, $(find "$appdir/usr/plugins" -name '*.so' | wc -l) plugins, $(du -sh "$appdir" | cut -f1))"
}
