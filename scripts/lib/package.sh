# The packages, made from the ci build and checked the way people install them (docs/building.md):
#   boo_package_build   build/packages/boocontrol_<version>_<arch>.deb (CPack) and BooControl.AppDir
#   boo_package_check   the .deb installed with dpkg into a throwaway copy of this system (an
#                       overlay over /, the source and build tree hidden) and the AppDir run in a
#                       sandbox that hides the system's Qt; see the functions below for each check
# Needs root (dpkg, mount), bubblewrap, Xvfb and BOO_PACKAGE_PACKAGES. BOO_SKIP_PACKAGE=1 skips.
# shellcheck shell=bash

source "$BOO_ROOT/scripts/lib/appdir.sh"
source "$BOO_ROOT/scripts/lib/testpg.sh" # boo_free_port
source "$BOO_ROOT/scripts/lib/xvfb.sh"

BOO_PACKAGE_DIR="$BOO_ROOT/build/packages"

boo_package_build() {
    local build="${1:-$BOO_BUILD_DIR}" out="$BOO_PACKAGE_DIR" started=$SECONDS
    [ -x "$build/bin/boocontrol" ] || boo_die "no boocontrol in $build: build it first"
    rm -rf "$out"
    mkdir -p "$out/log"

    boo_log "packaging: .deb (cpack)"
    # CPack installs into its own staging tree; nothing is rebuilt (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY).
    if ! (cd "$build" && cpack -G DEB -B "$out/cpack") >"$out/log/cpack.log" 2>&1; then
        cat "$out/log/cpack.log" >&2
        boo_die "cpack -G DEB failed"
    fi
    mv "$out"/cpack/*.deb "$out/"
    rm -rf "$out/cpack"

    boo_log "packaging: AppDir"
    local stage="$out/stage"
    DESTDIR="$stage" cmake --install "$build" --prefix /usr --strip >"$out/log/install.log"
    boo_appdir_build "$stage" "$out/BooControl.AppDir"
    rm -rf "$stage"
    boo_log "packages in $out: $(cd "$out" && echo *.deb) BooControl.AppDir ($((SECONDS - started)) s)"
}

boo_package_deb() {
    local debs=("$BOO_PACKAGE_DIR"/boocontrol_*.deb)
    if [ "${#debs[@]}" -ne 1 ] || [ ! -f "${debs[0]}" ]; then
        boo_die "expected one .deb in $BOO_PACKAGE_DIR (run ./scripts/package)"
    fi
    printf '%s\n' "${debs[0]}"
}

# boo_package_http URL [PATTERN...]: GETs URL (retrying for up to 30 s until every PATTERN, an
# extended regex, matches the body); fails with the last body otherwise.
boo_package_http() {
    local url="$1" body="" pattern ok
    shift
    for _ in $(seq 1 150); do
        if body="$(curl -sf --max-time 2 "$url" 2>/dev/null)"; then
            ok=1
            for pattern in "$@"; do
                grep -Eq "$pattern" <<<"$body" || ok=0
            done
            [ "$ok" = 1 ] && return 0
        fi
        sleep 0.2
    done
    printf 'GET %s did not answer as expected (%s); last answer: %s\n' "$url" "${*:-any answer}" "${body:0:400}" >&2
    return 1
}

# A failed check stops the sandboxed program it started (bwrap --die-with-parent takes the
# program along) before it fails, so nothing is left running; LOG is shown.
boo_package_fail() {
    local runner="$1" log="$2" message="$3"
    kill "$runner" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
    cat "$log" >&2
    boo_die "$message"
}

# boo_package_serve_check NAME COMMAND...: COMMAND runs `boocontrol --serve --demo` (in a
# sandbox) with the port appended; it must answer /api/health and /v1/models (with the demo
# fleet's real models, so ingest works end to end) and stop with status 0 on SIGTERM. COMMAND must
# write the program's pid to the file named by BOO_PACKAGE_PIDFILE (bwrap --info-fd does), and
# with BOO_PACKAGE_EXEC=exec replace the shell that runs it, so that its pid is that of bwrap.
boo_package_serve_check() {
    local name="$1" port pid status=0 runner
    shift
    local log="$BOO_PACKAGE_DIR/log/$name-serve.log"
    export BOO_PACKAGE_PIDFILE="$BOO_PACKAGE_DIR/log/$name-serve.info"
    for _ in 1 2 3; do
        port="$(boo_free_port)"
        rm -f "$BOO_PACKAGE_PIDFILE"
        BOO_PACKAGE_EXEC=exec "$@" --listen "127.0.0.1:$port" >"$log" 2>&1 &
        runner=$!
        for _ in $(seq 1 100); do
            grep -q 'serving the gateway' "$log" 2>/dev/null && break
            kill -0 "$runner" 2>/dev/null || break
            sleep 0.2
        done
        grep -q 'serving the gateway' "$log" && break
        wait "$runner" || true
        grep -q 'could not listen\|Address already in use' "$log" || break
    done
    grep -q 'serving the gateway' "$log" || boo_package_fail "$runner" "$log" "$name: boocontrol --serve --demo did not start"
    pid="$(grep -o '"child-pid": *[0-9]*' "$BOO_PACKAGE_PIDFILE" | grep -o '[0-9]*$' || true)"
    [ -n "$pid" ] || boo_package_fail "$runner" "$log" "$name: no pid of the sandboxed program"
    boo_package_http "http://127.0.0.1:$port/api/health" '"status":"ok"' '"hosts":3' "\"version\":\"$BOO_PACKAGE_VERSION\"" \
        || boo_package_fail "$runner" "$log" "$name: /api/health of --serve --demo"
    boo_package_http "http://127.0.0.1:$port/v1/models" '"id":"auto"' '"id":"gpu-box/[^"]+"' \
        || boo_package_fail "$runner" "$log" "$name: /v1/models of --serve --demo"
    kill -TERM "$pid"
    wait "$runner" || status=$?
    [ "$status" = 0 ] || { cat "$log" >&2; boo_die "$name: boocontrol --serve exited with $status on SIGTERM"; }
    unset BOO_PACKAGE_PIDFILE
    boo_log "$name: --serve --demo answered /api/health and /v1/models on 127.0.0.1:$port, stopped cleanly"
}

# boo_package_desktop_check NAME SCREENSHOT COMMAND...: COMMAND starts the desktop cockpit with
# --demo on $DISPLAY (pid as above); its window must appear and it must stop with 0 on SIGTERM.
boo_package_desktop_check() {
    local name="$1" shot="$2" pid runner status=0 window=""
    shift 2
    local log="$BOO_PACKAGE_DIR/log/$name-desktop.log"
    export BOO_PACKAGE_PIDFILE="$BOO_PACKAGE_DIR/log/$name-desktop.info"
    rm -f "$BOO_PACKAGE_PIDFILE"
    BOO_PACKAGE_EXEC=exec "$@" >"$log" 2>&1 &
    runner=$!
    for _ in $(seq 1 150); do
        window="$(xwininfo -root -tree 2>/dev/null | grep -m1 '"BooControl' || true)"
        [ -n "$window" ] && break
        kill -0 "$runner" 2>/dev/null || break
        sleep 0.2
    done
    [ -n "$window" ] || boo_package_fail "$runner" "$log" "$name: the desktop cockpit showed no window on $DISPLAY"
    sleep 3 # a few seconds of demo traffic on the cards
    kill -0 "$runner" 2>/dev/null || { cat "$log" >&2; boo_die "$name: the desktop cockpit exited"; }
    if [ -n "$shot" ]; then
        import -display "$DISPLAY" -window root "$shot" || boo_package_fail "$runner" "$log" "$name: no screenshot"
    fi
    pid="$(grep -o '"child-pid": *[0-9]*' "$BOO_PACKAGE_PIDFILE" | grep -o '[0-9]*$' || true)"
    [ -n "$pid" ] || boo_package_fail "$runner" "$log" "$name: no pid of the sandboxed program"
    kill -TERM "$pid"
    wait "$runner" || status=$?
    [ "$status" = 0 ] || { cat "$log" >&2; boo_die "$name: the desktop cockpit exited with $status on SIGTERM"; }
    unset BOO_PACKAGE_PIDFILE
    boo_log "$name: desktop cockpit started under Xvfb ($DISPLAY)${shot:+, screenshot $shot}"
}

# --- the .deb ---------------------------------------------------------------------------------

# Runs inside its own mount namespace (boo_package_check_deb): an overlay over / whose changes
# vanish with the namespace, so dpkg installs, configures and purges for real without touching
# this system. /work and the source tree are hidden: the package must carry all it needs.
boo_deb_root_run() {
    local bind_x11=()
    [ -d /tmp/.X11-unix ] && bind_x11=(--bind /tmp/.X11-unix /tmp/.X11-unix)
    ${BOO_PACKAGE_EXEC:-} bwrap --bind "$BOO_DEB_ROOT" / --dev /dev --proc /proc --tmpfs /tmp --tmpfs /run \
        --tmpfs "$BOO_ROOT" --tmpfs /work --tmpfs /root "${bind_x11[@]}" \
        --ro-bind "$BOO_PACKAGE_DIR/$(basename "$BOO_PACKAGE_DEB")" /tmp/boocontrol.deb \
        --setenv HOME /root --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin --setenv DEBIAN_FRONTEND noninteractive \
        --unsetenv LD_LIBRARY_PATH \
        --cap-add ALL --die-with-parent --info-fd 9 "$@" 9>"${BOO_PACKAGE_PIDFILE:-/dev/null}"
}

boo_deb_checks_in_namespace() {
    local ns="$BOO_PACKAGE_DIR/deb-root"
    mkdir -p "$ns"
    mount -t tmpfs -o size=2g boo-deb-root "$ns"
    mkdir -p "$ns/upper" "$ns/work" "$ns/root"
    mount -t overlay boo-deb-root -o "lowerdir=/,upperdir=$ns/upper,workdir=$ns/work" "$ns/root"
    export BOO_DEB_ROOT="$ns/root"
    local run=boo_deb_root_run

    $run sh -c "test ! -e '$BOO_ROOT/CMakeLists.txt' && ! dpkg -s boocontrol >/dev/null 2>&1" \
        || boo_die "the install root sees the source tree or already has boocontrol"
    # man-db's trigger rebuilds the whole manual index on every dpkg run (20 s here); this copy
    # of the system needs no index (`man -w` below finds the page by its path).
    $run rm -f /var/lib/man-db/auto-update
    $run dpkg -i /tmp/boocontrol.deb >"$BOO_PACKAGE_DIR/log/dpkg-install.log" 2>&1 \
        || { cat "$BOO_PACKAGE_DIR/log/dpkg-install.log" >&2; boo_die "dpkg -i failed"; }
    [[ "$($run dpkg -s boocontrol)" == *"Status: install ok installed"* ]] || boo_die "boocontrol is not installed after dpkg -i"

    # The program from the package, not from the build tree.
    local version
    version="$($run boocontrol --version)" || boo_die "boocontrol --version failed"
    [ "$version" = "boocontrol $BOO_PACKAGE_VERSION" ] || boo_die "boocontrol --version says '$version', not 'boocontrol $BOO_PACKAGE_VERSION'"
    boo_log "deb: installed, $version"

    # The service user: created by the postinst, and running it again changes nothing.
    $run sh -c 'getent passwd boocontrol && getent group boocontrol && test -d /var/lib/boocontrol' >/dev/null \
        || boo_die "the postinst did not create the boocontrol user, group and /var/lib/boocontrol"
    $run sh -c 'cp /etc/passwd /etc/group /tmp/ && /var/lib/dpkg/info/boocontrol.postinst configure "$(dpkg-query -W -f="\${Version}" boocontrol)" \
        && cmp /etc/passwd /tmp/passwd && cmp /etc/group /tmp/group && [ "$(grep -c "^boocontrol:" /etc/passwd)" = 1 ]' \
        || boo_die "the postinst is not idempotent (a second run failed or changed /etc/passwd or /etc/group)"
    boo_log "deb: postinst created the boocontrol user once and a second run changed nothing"

    # Files where desktops, systemd and shells look for them, and valid.
    $run desktop-file-validate /usr/share/applications/boocontrol.desktop || boo_die "desktop-file-validate failed"
    $run test -f /usr/share/icons/hicolor/scalable/apps/boocontrol.svg || boo_die "the icon is not installed"
    $run appstreamcli validate --no-net /usr/share/metainfo/dev.boocontrol.boocontrol.metainfo.xml >/dev/null \
        || boo_die "appstreamcli validate failed on the installed metainfo"
    $run systemd-analyze verify /lib/systemd/system/boocontrol-serve.service >"$BOO_PACKAGE_DIR/log/systemd-analyze.log" 2>&1 \
        || { cat "$BOO_PACKAGE_DIR/log/systemd-analyze.log" >&2; boo_die "systemd-analyze verify failed on the unit"; }
    if grep -q . "$BOO_PACKAGE_DIR/log/systemd-analyze.log"; then
        cat "$BOO_PACKAGE_DIR/log/systemd-analyze.log" >&2
        boo_die "systemd-analyze verify warned about the unit"
    fi
    $run sh -c 'man -w boocontrol && test -f /usr/share/zsh/vendor-completions/_boocontrol' >/dev/null \
        || boo_die "the manual page or the zsh completion is not installed"
    $run zsh -n /usr/share/zsh/vendor-completions/_boocontrol || boo_die "the zsh completion does not parse"
    # bash completion: completing `boocontrol --se` and `boocontrol keys r` with the installed file.
    local words
    words="$($run bash -c 'source /usr/share/bash-completion/bash_completion
        source /usr/share/bash-completion/completions/boocontrol
        complete_line() { COMP_LINE="$1"; COMP_POINT=${#1}; read -ra COMP_WORDS <<<"$1"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                          _boocontrol; echo "${COMPREPLY[*]}"; }
        complete_line "boocontrol --se"; complete_line "boocontrol keys r"')"
    [ "$words" = $'--serve\nrevoke rotate' ] || boo_die "the bash completion completed '$words'"
    # The manual and both completions know every option the program's --help lists.
    local option missing="" manual
    manual="$(zcat "$BOO_DEB_ROOT/usr/share/man/man1/boocontrol.1.gz" | sed 's/\\-/-/g')"
    for option in $($run boocontrol --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        grep -qF -- "$option" <<<"$manual" || missing+=" $option (manual)"
        grep -qF -- "$option" "$BOO_DEB_ROOT/usr/share/bash-completion/completions/boocontrol" || missing+=" $option (bash)"
        grep -qF -- "$option" "$BOO_DEB_ROOT/usr/share/zsh/vendor-completions/_boocontrol" || missing+=" $option (zsh)"
    done
    [ -z "$missing" ] || boo_die "options of boocontrol --help missing from packaging/man/boocontrol.1 or packaging/completions:$missing"
    boo_log "deb: desktop entry, icon, AppStream data, systemd unit, manual and completions installed, valid and complete"

    # --serve as the service runs it: user boocontrol, history in /var/lib/boocontrol.
    local history=/var/lib/boocontrol/boocontrol/history.sqlite
    boo_package_serve_check deb $run setpriv --reuid boocontrol --regid boocontrol --init-groups \
        env HOME=/var/lib/boocontrol XDG_DATA_HOME=/var/lib/boocontrol XDG_CONFIG_HOME=/etc \
        boocontrol --serve --demo --db "sqlite:$history"
    $run test -s "$history" || boo_die "--serve wrote no history to $history"

    if [ -n "${DISPLAY:-}" ]; then
        boo_package_desktop_check deb "$BOO_PACKAGE_DIR/deb-desktop.png" $run env DISPLAY="$DISPLAY" boocontrol --demo
    fi

    # Purge keeps the history (and the user owning it), and removes the rest.
    $run dpkg --purge boocontrol >"$BOO_PACKAGE_DIR/log/dpkg-purge.log" 2>&1 || { cat "$BOO_PACKAGE_DIR/log/dpkg-purge.log" >&2; boo_die "dpkg --purge failed"; }
    $run test -s "$history" || boo_die "dpkg --purge removed the history database"
    $run sh -c 'getent passwd boocontrol && [ "$(stat -c %U /var/lib/boocontrol)" = boocontrol ]' >/dev/null \
        || boo_die "dpkg --purge removed the user that owns the kept history"
    $run sh -c '! test -e /usr/bin/boocontrol && ! test -e /etc/default/boocontrol && ! dpkg -s boocontrol 2>/dev/null' \
        || boo_die "dpkg --purge left the program, /etc/default/boocontrol or the package's record behind"
    # Installing again over kept history and a kept user works; without history purge removes all.
    $run dpkg -i /tmp/boocontrol.deb >>"$BOO_PACKAGE_DIR/log/dpkg-install.log" 2>&1 || boo_die "dpkg -i over kept history failed"
    $run rm -rf /var/lib/boocontrol/boocontrol
    $run dpkg --purge boocontrol >>"$BOO_PACKAGE_DIR/log/dpkg-purge.log" 2>&1 || boo_die "the second dpkg --purge failed"
    $run sh -c '! test -e /var/lib/boocontrol && ! getent passwd boocontrol && ! getent group boocontrol' \
        || boo_die "dpkg --purge without history left /var/lib/boocontrol or the boocontrol user or group"
    boo_log "deb: purge kept the history database, and without history removed the user, group and /var/lib/boocontrol"
}

boo_package_check_deb() {
    local deb="$1" metainfo
    # Every AppStream file of the sources (the installed one is checked again below).
    for metainfo in "$BOO_ROOT"/resources/*.metainfo.xml; do
        appstreamcli validate --no-net "$metainfo" >"$BOO_PACKAGE_DIR/log/appstream.log" 2>&1 \
            || { cat "$BOO_PACKAGE_DIR/log/appstream.log" >&2; boo_die "appstreamcli validate failed on $metainfo"; }
    done
    # Lintian is the slow one: it runs while the install checks do.
    lintian --fail-on error "$deb" >"$BOO_PACKAGE_DIR/log/lintian.log" 2>&1 &
    local lintian_pid=$!
    BOO_PACKAGE_DEB="$deb" unshare --mount --propagation private -- \
        bash -c 'set -euo pipefail; source "$1/scripts/lib/common.sh"; source "$1/scripts/lib/package.sh"
                 boo_deb_checks_in_namespace' _ "$BOO_ROOT" \
        || { kill "$lintian_pid" 2>/dev/null; boo_die "the .deb checks failed"; }
    rmdir "$BOO_PACKAGE_DIR/deb-root"
    if ! wait "$lintian_pid"; then
        cat "$BOO_PACKAGE_DIR/log/lintian.log" >&2
        boo_die "lintian found errors in $(basename "$deb")"
    fi
    boo_log "deb: lintian found no errors ($(grep -c '^[WI]:' "$BOO_PACKAGE_DIR/log/lintian.log" || true) warnings and notes in log/lintian.log)"
}

# --- the AppDir -------------------------------------------------------------------------------

# Runs COMMAND in a sandbox that sees this system read-only, except that the system's Qt
# (libQt6*, libqt6*, qt6/ in the multiarch library directory) is gone: a library or plugin the
# AppDir lacks makes the program fail instead of being taken from the system.
boo_appdir_run() {
    local libdir="/usr/lib/$BOO_MULTIARCH" bind_x11=()
    [ -d /tmp/.X11-unix ] && bind_x11=(--bind /tmp/.X11-unix /tmp/.X11-unix)
    ${BOO_PACKAGE_EXEC:-} bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --tmpfs /run \
        --ro-bind "$libdir" /run/host-lib --ro-bind "$BOO_APPDIR_FILTERED" "$libdir" \
        --tmpfs "$BOO_ROOT" --ro-bind "$BOO_PACKAGE_DIR/BooControl.AppDir" /tmp/BooControl.AppDir \
        --dir /tmp/home --setenv HOME /tmp/home --unsetenv LD_LIBRARY_PATH --unsetenv QT_PLUGIN_PATH \
        "${bind_x11[@]}" --die-with-parent --info-fd 9 "$@" 9>"${BOO_PACKAGE_PIDFILE:-/dev/null}"
}

boo_package_check_appdir() {
    BOO_MULTIARCH="$(gcc -print-multiarch)"
    local libdir="/usr/lib/$BOO_MULTIARCH"
    # The system's library directory as symlinks into /run/host-lib, less Qt.
    BOO_APPDIR_FILTERED="$BOO_PACKAGE_DIR/appdir-check/libdir"
    rm -rf "$BOO_APPDIR_FILTERED"
    mkdir -p "$BOO_APPDIR_FILTERED"
    find "$libdir" -mindepth 1 -maxdepth 1 ! -name 'libQt6*' ! -name 'libqt6*' ! -name 'qt6' -printf '/run/host-lib/%f\0' \
        | xargs -0 ln -s -t "$BOO_APPDIR_FILTERED"
    local run=boo_appdir_run app=/tmp/BooControl.AppDir/AppRun

    $run sh -c "! ls $libdir/libQt6Core.so* $libdir/qt6 >/dev/null 2>&1 && ! test -e '$BOO_ROOT/build'" \
        || boo_die "the AppDir sandbox still sees the system's Qt or the build tree"
    local version
    version="$($run "$app" --version)" || boo_die "AppDir: AppRun --version failed without the system's Qt"
    [ "$version" = "boocontrol $BOO_PACKAGE_VERSION" ] || boo_die "AppDir: --version says '$version'"
    boo_log "AppDir: $version without the system's Qt"
    boo_package_serve_check appdir $run "$app" --serve --demo
    if [ -n "${DISPLAY:-}" ]; then
        boo_package_desktop_check appdir "$BOO_PACKAGE_DIR/appdir-demo.png" $run env DISPLAY="$DISPLAY" "$app" --demo
        # The platform plugin must be the bundled one: a Qt that found none would have aborted above.
    fi
    rm -rf "$BOO_PACKAGE_DIR/appdir-check"
}

# --- entry points -----------------------------------------------------------------------------

# What ./scripts/test runs after the tests: the packages from the ci build it already built
# (nothing is compiled), then every check.
boo_package_test() {
    if [ "${BOO_SKIP_PACKAGE:-0}" = 1 ]; then
        boo_log "packages and their checks skipped (BOO_SKIP_PACKAGE=1)"
        return 0
    fi
    local started=$SECONDS
    boo_ensure_packages "${BOO_PACKAGE_PACKAGES[@]}"
    boo_package_build "$BOO_BUILD_DIR"
    boo_package_check
    boo_log "packages built and checked in $((SECONDS - started)) s"
}

boo_package_check() {
    if [ "${BOO_SKIP_PACKAGE:-0}" = 1 ]; then
        boo_log "package checks skipped (BOO_SKIP_PACKAGE=1)"
        return 0
    fi
    [ "$(id -u)" = 0 ] || boo_die "the package checks install with dpkg into an overlay and need root"
    local started=$SECONDS own_xvfb=0 deb
    deb="$(boo_package_deb)"
    export BOO_PACKAGE_VERSION
    BOO_PACKAGE_VERSION="$(dpkg-deb -f "$deb" Version)"
    if [ -z "${BOO_XVFB_PID:-}" ]; then
        boo_xvfb_start "$BOO_PACKAGE_DIR/xvfb"
        own_xvfb=1
    fi
    boo_package_check_deb "$deb"
    boo_package_check_appdir
    [ "$own_xvfb" = 1 ] && boo_xvfb_stop
    boo_log "package checks passed in $((SECONDS - started)) s"
}
