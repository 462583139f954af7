# The core test suite once under AddressSanitizer + UndefinedBehaviorSanitizer (docs/security.md).
# shellcheck shell=bash

# What the sanitizer build needs besides the build packages (Debian 12 names).
BOO_SANITIZE_PACKAGES=(g++)

# boo_sanitize_tests [ctest args]: configures the `asan` preset without the GUI (the desktop's
# tests need a display and test no network input) at -O1 with line tables only — a fast
# compile that keeps the sanitizers' reports exact, file and line included (-g1 costs 0.73x
# the compile CPU of -g: docs/performance.md) — in build/asan-core, builds the core tests and
# runs them once.
# BOO_SKIP_SANITIZE=1 skips it while iterating. Postgres and the npm package must be set up
# already (scripts/test does it first), since the store and gateway tests use them.
boo_sanitize_tests() {
    if [ "${BOO_SKIP_SANITIZE:-0}" = 1 ]; then
        boo_log "sanitizer run skipped (BOO_SKIP_SANITIZE=1)"
        return 0
    fi
    local dir="$BOO_ROOT/build/asan-core"
    local launcher=()
    # A developer's ccache makes the second run cheap; CI has none and builds from scratch.
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    if [ ! -f "$dir/build.ninja" ]; then
        boo_log "configuring the sanitizer build (asan, no GUI, -O1)"
        cmake --preset asan -S "$BOO_ROOT" -B "$dir" -DBOO_GUI=OFF -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" "${launcher[@]}" >/dev/null
    fi
    # The gateway's client test uses the openai npm package scripts/test installed for the main build.
    cmake "$dir" -DBOO_NPM_DIR="$BOO_BUILD_DIR/npm" >/dev/null
    local start=$SECONDS
    boo_log "building the core tests with ASan + UBSan"
    cmake --build "$dir" --parallel "$(nproc)" || boo_die "the sanitizer build failed"
    boo_log "sanitizer build took $((SECONDS - start)) s; running the core tests under ASan + UBSan"
    start=$SECONDS
    # Leak checking stays off: Qt keeps process-lifetime allocations (plugins, the network
    # manager's caches) that LeakSanitizer reports at exit. Any other report fails the test.
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        ctest --test-dir "$dir" --output-on-failure --no-tests=error --parallel "$(nproc)" --timeout 600 "$@" \
        || boo_die "tests failed under the sanitizers (build/asan-core)"
    boo_log "sanitizer tests took $((SECONDS - start)) s"
}
