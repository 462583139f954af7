# The shipped translations keep up with the sources: lupdate, run on a copy of each .ts, must
# find nothing new, nothing vanished and nothing unfinished. ./scripts/test calls
# boo_check_translations; `cmake --build build/ci --target update_translations` refreshes the
# files, docs/translation.md says how to translate what it adds.
# shellcheck shell=bash

# The .ts files compiled into the program: every language with all strings translated, and
# English (boocontrol_en.ts) with the plural forms only (lupdate -pluralonly).
boo_translation_files() {
    local root="${1:-$BOO_ROOT}"
    find "$root/translations" -maxdepth 1 -name 'boocontrol_*.ts' | LC_ALL=C sort
}

# Qt 6's lupdate (Debian's /usr/bin/lupdate is qtchooser's, which may pick Qt 5).
boo_lupdate() {
    if [ -n "${BOO_LUPDATE:-}" ]; then
        printf '%s\n' "$BOO_LUPDATE"
        return
    fi
    local bins=""
    command -v qtpaths6 >/dev/null && bins="$(qtpaths6 --query QT_HOST_BINS 2>/dev/null || true)"
    local candidate
    for candidate in "$bins/lupdate" /usr/lib/qt6/bin/lupdate /usr/lib/qt6/libexec/lupdate; do
        [ -x "$candidate" ] && { printf '%s\n' "$candidate"; return; }
    done
    boo_die "Qt 6 lupdate not found (Debian package qt6-l10n-tools); or set BOO_LUPDATE"
}

# boo_check_translations [ROOT]: fails naming every .ts file that lupdate would change (new
# strings in the sources, strings gone from them) or that has unfinished entries.
boo_check_translations() {
    local root="${1:-$BOO_ROOT}"
    local lupdate work ts name bad=0
    lupdate="$(boo_lupdate)"
    work="$(mktemp -d)"
    # The sources translations/CMakeLists.txt hands to lupdate, with the same options.
    local sources=()
    mapfile -t sources < <(find "$root/app" "$root/core" "$root/models" "$root/views" -name '*.cpp' 2>/dev/null | LC_ALL=C sort)
    [ "${#sources[@]}" -gt 0 ] || { rm -rf "$work"; boo_die "no sources under $root/{app,core,models,views}"; }
    while IFS= read -r ts; do
        name="$(basename "$ts")"
        local options=(-no-obsolete -locations none -silent)
        [ "$name" = boocontrol_en.ts ] && options+=(-pluralonly)
        cp "$ts" "$work/$name"
        if ! "$lupdate" "${options[@]}" -I "$root" "${sources[@]}" -ts "$work/$name" >"$work/$name.log" 2>&1; then
            cat "$work/$name.log" >&2
            rm -rf "$work"
            boo_die "lupdate failed on $name"
        fi
        if ! cmp -s "$ts" "$work/$name"; then
            printf '%s: lupdate finds new or vanished strings (+ new, - vanished):\n' "$name" >&2
            diff -u "$ts" "$work/$name" | grep -E '^[-+] *<source>' | sed 's/^/  /' >&2 || true
            bad=1
        fi
        local unfinished
        unfinished="$(grep -c -E 'type="(unfinished|vanished|obsolete)"' "$work/$name" || true)"
        if [ "$unfinished" -gt 0 ]; then
            printf '%s: %s entr(y/ies) not finished:\n' "$name" "$unfinished" >&2
            grep -B2 -E 'type="(unfinished|vanished|obsolete)"' "$work/$name" | grep '<source>' | sed 's/^ */  /' >&2 || true
            bad=1
        fi
    done < <(boo_translation_files "$root")
    rm -rf "$work"
    if [ "$bad" != 0 ]; then
        boo_die "translations are behind the sources: run 'cmake --build build/ci --target update_translations', translate what is unfinished (docs/translation.md), mark it finished"
    fi
    boo_log "translations: $(boo_translation_files "$root" | wc -l) file(s) complete and current"
}
