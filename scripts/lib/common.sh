# Shared by scripts/run and scripts/test: packages, configure, build.
# shellcheck shell=bash

BOO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BOO_PRESET="${BOO_PRESET:-ci}"
BOO_BUILD_DIR="$BOO_ROOT/build/$BOO_PRESET"

# What building needs (Debian 12 names).
BOO_BUILD_PACKAGES=(
    cmake ninja-build g++ pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev
    libqt6sql6-psql libqt6sql6-sqlite qtkeychain-qt6-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools libgl-dev
)
# What the test run adds: real servers on loopback and a virtual display.
BOO_TEST_PACKAGES=(
    postgresql openssh-server bubblewrap xvfb xauth imagemagick clang-format
)
# What ./scripts/package and its checks add (scripts/lib/package.sh): Qt's SVG plugins for the
# AppDir, RUNPATHs, and the tools that validate the .deb, its files and the AppDir.
BOO_PACKAGE_PACKAGES=(
    libqt6svg6 patchelf lintian desktop-file-utils appstream systemd bubblewrap xvfb x11-utils
    imagemagick curl zsh bash-completion man-db adduser
)
# The release line of the `openai` npm package the gateway's client test runs (from npm).
BOO_OPENAI_NPM_VERSION="4"

boo_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
boo_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

boo_missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || printf '%s\n' "$pkg"
    done
}

# Installs whatever of the given packages is missing; does nothing (and needs no root) otherwise.
boo_ensure_packages() {
    command -v dpkg-query >/dev/null || boo_die "this script installs with apt (Debian 12); install the equivalents of: $*"
    local missing
    mapfile -t missing < <(boo_missing_packages "$@")
    [ "${#missing[@]}" -eq 0 ] && return 0
    boo_log "installing: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || boo_die "need root (or sudo) to install: ${missing[*]}"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Configures once, then builds incrementally: every target, or only the named ones (and what
# they need), e.g. `boo_build ci boocontrol` for scripts/run, which must not wait for the tests.
boo_build() {
    local preset="${1:-$BOO_PRESET}"
    shift || true
    local dir="$BOO_ROOT/build/$preset"
    if [ ! -f "$dir/build.ninja" ]; then
        boo_log "configuring ($preset)"
        cmake --preset "$preset" -S "$BOO_ROOT" >/dev/null
    fi
    local targets=()
    [ $# -gt 0 ] && targets=(--target "$@")
    boo_log "building ($preset${1:+: $*})"
    cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}"
}

# The headless program (a build with -DBOO_GUI=OFF) must not link Qt Widgets, and must run.
boo_check_headless() {
    local program="$1"
    [ -x "$program" ] || boo_die "no headless boocontrol at $program"
    if ldd "$program" | grep -q 'libQt6Widgets'; then
        boo_die "the headless build links Qt Widgets ($program)"
    fi
    "$program" --version >/dev/null || boo_die "the headless boocontrol does not start ($program)"
    boo_log "headless boocontrol links no Widgets"
}
