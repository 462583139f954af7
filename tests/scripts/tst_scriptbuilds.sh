#!/usr/bin/env bash
# What each script asks the build for: ./scripts/run builds the program alone (a new user must
# not wait for every test to compile), ./scripts/bench the benchmark and the programs it starts.
# A fake `cmake` on PATH records its arguments; the scripts run against a scratch preset.
set -euo pipefail
root="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work" "$root/build/scripttest"' EXIT
mkdir -p "$work/bin"
cat >"$work/bin/cmake" <<'FAKE'
#!/usr/bin/env bash
echo "cmake $*" >>"$BOO_FAKE_LOG"
if [ "$1" = "--build" ]; then
    mkdir -p "$2/bin"
    printf '#!/bin/sh\necho "ran $0 $*"\n' >"$2/bin/boocontrol"
    chmod +x "$2/bin/boocontrol"
fi
FAKE
chmod +x "$work/bin/cmake"
export PATH="$work/bin:$PATH" BOO_PRESET=scripttest BOO_FAKE_LOG="$work/log"
mkdir -p "$root/build/scripttest" && touch "$root/build/scripttest/build.ninja"

fail() { echo "FAIL: $*"; cat "$work/log"; exit 1; }

out="$("$root/scripts/run" --demo 2>/dev/null)"
[ "$out" = "ran $root/build/scripttest/bin/boocontrol --demo" ] || fail "scripts/run did not start the program: $out"
grep -qx "cmake --build $root/build/scripttest --parallel [0-9]* --target boocontrol" "$work/log" \
    || fail "scripts/run must build the boocontrol target alone"
echo "PASS"
