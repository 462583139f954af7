# A virtual X display for the tests that run the real window (tst_cockpitwindow). Xvfb picks a
# free display itself (-displayfd) and says which once it accepts clients, so parallel runs of
# this script never collide.
# shellcheck shell=bash

# boo_xvfb_start DIR: starts Xvfb and exports DISPLAY and BOO_TEST_XVFB_REQUIRED=1.
boo_xvfb_start() {
    local dir="$1"
    command -v Xvfb >/dev/null || boo_die "Xvfb not found (Debian package xvfb)"
    mkdir -p "$dir"
    rm -f "$dir/display"
    Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset 3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
    BOO_XVFB_PID=$!
    local n=""
    for _ in $(seq 1 100); do
        n="$(tr -d '[:space:]' <"$dir/display" 2>/dev/null || true)"
        [ -n "$n" ] && break
        kill -0 "$BOO_XVFB_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$n" ]; then
        cat "$dir/xvfb.log" >&2
        boo_xvfb_stop
        boo_die "Xvfb did not start"
    fi
    export DISPLAY=":$n"
    export BOO_TEST_XVFB_REQUIRED=1
    boo_log "virtual display $DISPLAY (Xvfb pid $BOO_XVFB_PID)"
}

boo_xvfb_stop() {
    if [ -n "${BOO_XVFB_PID:-}" ]; then
        kill "$BOO_XVFB_PID" 2>/dev/null || true
        wait "$BOO_XVFB_PID" 2>/dev/null || true
        BOO_XVFB_PID=""
    fi
    return 0
}
