# Every libFuzzer target of tests/fuzz, briefly, on its seed corpus (docs/security.md).
# shellcheck shell=bash

# libFuzzer comes with clang (Debian 12: clang-14 and its runtime libraries).
BOO_FUZZ_PACKAGES=(clang libclang-rt-14-dev)
BOO_FUZZ_TARGETS=(
    fuzz_sseparser fuzz_eventdecoder fuzz_payloads
    fuzz_httprequestparser fuzz_upstreamresponseparser fuzz_httprouter fuzz_websocketframes
)

# boo_fuzz_targets: builds the targets with the `fuzz` preset (clang, ASan + UBSan + fuzzer
# coverage) and runs each for BOO_FUZZ_SECONDS (default 20) from its seed corpus under
# tests/fuzz/corpus/<name>. New inputs go to build/fuzz/corpus/<name>, never into the seeds.
# A crash, a sanitizer report or a failed oracle fails the run and leaves the input in
# build/fuzz/artifacts/. BOO_SKIP_FUZZ=1 skips it.
boo_fuzz_targets() {
    if [ "${BOO_SKIP_FUZZ:-0}" = 1 ]; then
        boo_log "fuzzing skipped (BOO_SKIP_FUZZ=1)"
        return 0
    fi
    local dir="$BOO_ROOT/build/fuzz"
    local seconds="${BOO_FUZZ_SECONDS:-20}"
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    if [ ! -f "$dir/build.ninja" ]; then
        boo_log "configuring the fuzz build"
        cmake --preset fuzz -S "$BOO_ROOT" "${launcher[@]}" >/dev/null
    fi
    local start=$SECONDS
    boo_log "building the fuzz targets"
    cmake --build "$dir" --parallel "$(nproc)" --target "${BOO_FUZZ_TARGETS[@]}" || boo_die "the fuzz targets do not build"
    boo_log "fuzz build took $((SECONDS - start)) s"
    mkdir -p "$dir/artifacts"
    local target name dict
    for target in "${BOO_FUZZ_TARGETS[@]}"; do
        name="${target#fuzz_}"
        mkdir -p "$dir/corpus/$name"
        dict=()
        [ "$name" = sseparser ] || [ "$name" = eventdecoder ] || [ "$name" = payloads ] \
            && dict=(-dict="$BOO_ROOT/tests/fuzz/protocol.dict")
        boo_log "fuzzing $target for ${seconds} s"
        "$dir/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$dir/artifacts/$target-" "${dict[@]}" \
            "$dir/corpus/$name" "$BOO_ROOT/tests/fuzz/corpus/$name" >"$dir/$target.log" 2>&1 \
            || { tail -n 40 "$dir/$target.log" >&2; boo_die "$target failed (log: $dir/$target.log)"; }
        grep -E '^stat::number_of_executed_units' "$dir/$target.log" | sed "s/^/  $target: /" >&2 || true
    done
}
