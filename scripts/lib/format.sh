# The code's format is .clang-format's (Debian 12's clang-format 14): ./scripts/format applies
# it, ./scripts/test checks it before building.
# shellcheck shell=bash

# The C++ sources under version control (new files count once they are added to git).
boo_format_files() {
    git -C "$BOO_ROOT" ls-files -- '*.cpp' '*.h' | sed "s|^|$BOO_ROOT/|"
}

# boo_check_format: fails naming every file clang-format would change.
boo_check_format() {
    command -v clang-format >/dev/null || boo_die "clang-format not found (Debian package clang-format)"
    local file bad=()
    while IFS= read -r file; do
        clang-format --style=file --dry-run --Werror "$file" >/dev/null 2>&1 || bad+=("${file#"$BOO_ROOT"/}")
    done < <(boo_format_files)
    if [ "${#bad[@]}" -gt 0 ]; then
        printf '  %s\n' "${bad[@]}" >&2
        boo_die "${#bad[@]} file(s) differ from .clang-format: run ./scripts/format (or clang-format -i FILE)"
    fi
    boo_log "format: $(boo_format_files | wc -l) files as .clang-format wants them"
}
