#!/usr/bin/env bash
# boo_check_translations (scripts/lib/translations.sh) on a scratch tree: passes when every string
# is translated and current, fails on an unfinished entry, on a new string in the sources and on
# a string that vanished from them. The project's own .ts files are not touched.
set -euo pipefail
root="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$root/scripts/lib/common.sh"
source "$root/scripts/lib/translations.sh"
fail() { echo "FAIL: $*"; exit 1; }
own_files() { cat "$root"/translations/*.ts | md5sum; }
own_before="$(own_files)"

tree="$work/tree"
mkdir -p "$tree/app" "$tree/core" "$tree/models" "$tree/views" "$tree/translations"
write_view() {
    cat >"$tree/views/panel.cpp" <<CPP
#include <QCoreApplication>
struct Panel { Q_DECLARE_TR_FUNCTIONS(Panel) };
QString title() { return Panel::tr("Hosts"); }
QString count(int n) { return Panel::tr("%n request(s)", nullptr, n); }
$1
CPP
}
write_view ""
lupdate="$(boo_lupdate)"
"$lupdate" -silent -no-obsolete -locations none -I "$tree" "$tree/views/panel.cpp" -ts "$tree/translations/boocontrol_de.ts" >/dev/null
"$lupdate" -silent -no-obsolete -locations none -pluralonly -I "$tree" "$tree/views/panel.cpp" \
    -ts "$tree/translations/boocontrol_en.ts" >/dev/null
# Translate every entry the way a translator does in the XML: fill in, drop type="unfinished".
translate() {
    sed -i -e 's|<translation type="unfinished"></translation>|<translation>Hosts</translation>|' \
        -e 's|<numerusform></numerusform>|<numerusform>%n Anfrage(n)</numerusform>|g' \
        -e 's|<translation type="unfinished">|<translation>|' "$1"
}
translate "$tree/translations/boocontrol_de.ts"
translate "$tree/translations/boocontrol_en.ts"
# The files as lupdate writes them once translated (it may lay out numerus forms its own way).
"$lupdate" -silent -no-obsolete -locations none -I "$tree" "$tree/views/panel.cpp" -ts "$tree/translations/boocontrol_de.ts" >/dev/null
"$lupdate" -silent -no-obsolete -locations none -pluralonly -I "$tree" "$tree/views/panel.cpp" \
    -ts "$tree/translations/boocontrol_en.ts" >/dev/null
cp -r "$tree/translations" "$work/translated"

check() { (boo_check_translations "$tree") >"$work/out" 2>&1; }

check || { cat "$work/out"; fail "a complete, current translation must pass"; }
grep -q 'complete and current' "$work/out" || fail "no success line: $(cat "$work/out")"

# An unfinished entry in the German file.
sed -i 's|<translation>Hosts</translation>|<translation type="unfinished">Hosts</translation>|' "$tree/translations/boocontrol_de.ts"
! check || fail "an unfinished entry must fail"
grep -q 'boocontrol_de.ts: 1 entr' "$work/out" || fail "unfinished entry not named: $(cat "$work/out")"
grep -q '<source>Hosts</source>' "$work/out" || fail "unfinished source not shown: $(cat "$work/out")"
rm -rf "$tree/translations" && cp -r "$work/translated" "$tree/translations"

# A new string in the sources, not yet in the .ts.
write_view 'QString added() { return Panel::tr("Unload all models"); }'
! check || fail "a new string must fail"
grep -q '+ *<source>Unload all models</source>' "$work/out" || fail "new string not shown: $(cat "$work/out")"
grep -q 'update_translations' "$work/out" || fail "no hint how to fix: $(cat "$work/out")"

# A new plural string fails the English file too (its plural forms are needed).
write_view 'QString added(int n) { return Panel::tr("%n host(s)", nullptr, n); }'
! check || fail "a new plural string must fail"
grep -q 'boocontrol_en.ts' "$work/out" || fail "English plural file not checked: $(cat "$work/out")"

# A string gone from the sources.
sed -i '/"Hosts"/d' "$tree/views/panel.cpp"
write_view ''
sed -i '/"Hosts"/d' "$tree/views/panel.cpp"
! check || fail "a vanished string must fail"
grep -q -- '- *<source>Hosts</source>' "$work/out" || fail "vanished string not shown: $(cat "$work/out")"

# The project's own files are left as they were.
[ "$(own_files)" = "$own_before" ] || fail "the check changed the project's translations"
echo "PASS"
