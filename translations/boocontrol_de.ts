<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>BenchCli</name>
    <message>
        <source>target %1 is a virtual model: it needs a gateway (--server URL of a boocontrol --serve)</source>
        <translation>Ziel %1 ist ein virtuelles Modell: Es braucht ein Gateway (--server URL eines boocontrol --serve)</translation>
    </message>
    <message>
        <source>target %1: there is no provider &quot;%2&quot; in %3</source>
        <translation>Ziel %1: In %3 gibt es keinen Provider „%2“</translation>
    </message>
    <message>
        <source>the run could not be stored: %1</source>
        <translation>der Lauf konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>--baseline: %1</source>
        <translation>--baseline: %1</translation>
    </message>
    <message>
        <source>--baseline: run %1 is of suite &quot;%2&quot;, not &quot;%3&quot;</source>
        <translation>--baseline: Lauf %1 gehört zur Suite „%2“, nicht zu „%3“</translation>
    </message>
    <message>
        <source>--json: cannot write %1: %2</source>
        <translation>--json: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>run %1 is no longer a baseline
</source>
        <translation>Lauf %1 ist keine Baseline mehr
</translation>
    </message>
    <message>
        <source>run %1 is now the baseline of its suite
</source>
        <translation>Lauf %1 ist jetzt die Baseline seiner Suite
</translation>
    </message>
    <message>
        <source>run, list, show or baseline</source>
        <translation>run, list, show oder baseline</translation>
    </message>
    <message>
        <source>Database URL (sqlite:/path or postgres://...); default the user&apos;s history.</source>
        <translation>Datenbank-URL (sqlite:/pfad oder postgres://...); Standard: der Verlauf des Benutzers.</translation>
    </message>
    <message>
        <source>Provider registry file.</source>
        <translation>Datei mit den Providern.</translation>
    </message>
    <message>
        <source>Benchmark the simulated demo fleet (its own demo.sqlite unless --db).</source>
        <translation>Die simulierte Demo-Flotte benchmarken (in ihrer eigenen demo.sqlite, außer mit --db).</translation>
    </message>
    <message>
        <source>Send every request through the gateway of this boocontrol --serve.</source>
        <translation>Jede Anfrage über das Gateway dieses boocontrol --serve senden.</translation>
    </message>
    <message>
        <source>Bearer token of --server (or BOO_TOKEN).</source>
        <translation>Bearer-Token für --server (oder BOO_TOKEN).</translation>
    </message>
    <message>
        <source>Write the run as JSON to FILE (&apos;-&apos;: standard output, the table to standard error).</source>
        <translation>Den Lauf als JSON nach FILE schreiben („-“: Standardausgabe, die Tabelle dann auf die Standardfehlerausgabe).</translation>
    </message>
    <message>
        <source>Compare with this run and exit with 4 on a regression.</source>
        <translation>Mit diesem Lauf vergleichen und bei einer Regression mit 4 beenden.</translation>
    </message>
    <message>
        <source>Do not store the run (no database needed).</source>
        <translation>Den Lauf nicht speichern (keine Datenbank nötig).</translation>
    </message>
    <message>
        <source>list: only runs of this suite.</source>
        <translation>list: nur Läufe dieser Suite.</translation>
    </message>
    <message>
        <source>show: the run as JSON.</source>
        <translation>show: den Lauf als JSON.</translation>
    </message>
    <message>
        <source>baseline: remove the mark.</source>
        <translation>baseline: die Markierung entfernen.</translation>
    </message>
    <message>
        <source>say what to do: run SUITE.yaml, list, show RUN or baseline RUN (see --help)</source>
        <translation>Befehl fehlt: run SUITE.yaml, list, show RUN oder baseline RUN (siehe --help)</translation>
    </message>
    <message>
        <source>run takes one suite file</source>
        <translation>run erwartet genau eine Suite-Datei</translation>
    </message>
    <message>
        <source>--demo benchmarks the simulated fleet; it cannot be combined with --providers</source>
        <translation>--demo benchmarkt die simulierte Flotte und lässt sich nicht mit --providers kombinieren</translation>
    </message>
    <message>
        <source>--server &apos;%1&apos;: expected http://host:port of a boocontrol --serve</source>
        <translation>--server „%1“: erwartet wird http://host:port eines boocontrol --serve</translation>
    </message>
    <message>
        <source>--token-file: cannot read &apos;%1&apos;: %2</source>
        <translation>--token-file: „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>--baseline &apos;%1&apos;: expected a run id (see bench list)</source>
        <translation>--baseline „%1“: erwartet wird eine Lauf-ID (siehe bench list)</translation>
    </message>
    <message>
        <source>--baseline compares with stored runs; it cannot be combined with --no-store</source>
        <translation>--baseline vergleicht mit gespeicherten Läufen und lässt sich nicht mit --no-store kombinieren</translation>
    </message>
    <message>
        <source>list takes no arguments (use --suite NAME)</source>
        <translation>list erwartet keine Argumente (--suite NAME verwenden)</translation>
    </message>
    <message>
        <source>%1 takes one run id (see bench list)</source>
        <translation>%1 erwartet genau eine Lauf-ID (siehe bench list)</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;: run, list, show or baseline</source>
        <translation>unbekannter Befehl „%1“: run, list, show oder baseline</translation>
    </message>
    <message>
        <source>cannot open a scratch database for the host leases</source>
        <translation>die Hilfsdatenbank für die Host-Reservierungen lässt sich nicht öffnen</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source> (--force runs anyway, and is recorded as forced)</source>
        <translation> (--force misst trotzdem und wird als erzwungen festgehalten)</translation>
    </message>
    <message>
        <source>run: measure a host even while it serves other traffic (recorded as forced; never over another holder&apos;s lease).</source>
        <translation>run: einen Host auch messen, während er anderen Verkehr bedient (als erzwungen festgehalten; nie über die Reservierung eines anderen hinweg).</translation>
    </message>
    <message>
        <source>Serving benchmarks of llama-swap hosts (docs/bench.md).

  boocontrol bench run SUITE.yaml   run a suite (also: boocontrol bench SUITE.yaml)
  boocontrol bench list             stored runs, newest first
  boocontrol bench show RUN         a stored run&apos;s cells
  boocontrol bench baseline RUN     mark a run as its suite&apos;s baseline (--unset to undo)
  boocontrol bench device HOST/MODEL  llama-bench on the host over SSH (see bench device --help)</source>
        <translation>Serving-Benchmarks von llama-swap-Hosts (docs/bench.md).

  boocontrol bench run SUITE.yaml   eine Suite ausführen (auch: boocontrol bench SUITE.yaml)
  boocontrol bench list             gespeicherte Läufe, neueste zuerst
  boocontrol bench show RUN         die Zellen eines gespeicherten Laufs
  boocontrol bench baseline RUN     einen Lauf als Baseline seiner Suite markieren (--unset macht es rückgängig)
  boocontrol bench device HOST/MODEL  llama-bench über SSH auf dem Host (siehe bench device --help)</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Run headless: ingest, history, gateway and control API on --listen. Needs no display.</source>
        <translation>Ohne Oberfläche laufen: Erfassung, Verlauf, Gateway und Steuer-API auf --listen. Braucht keinen Bildschirm.</translation>
    </message>
    <message>
        <source>Use a simulated fleet of llama-swap hosts on loopback instead of the configured providers.</source>
        <translation>Eine simulierte Flotte von llama-swap-Hosts auf Loopback statt der eingerichteten Provider verwenden.</translation>
    </message>
    <message>
        <source>Show the fleet of a remote &apos;boocontrol --serve&apos; (e.g. ws://server:9503).</source>
        <translation>Die Flotte eines entfernten „boocontrol --serve“ anzeigen (z. B. ws://server:9503).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>History database: sqlite:/path/file.sqlite or postgres://user:pass@host:port/db. Default: %1.</source>
        <translation>Verlaufsdatenbank: sqlite:/pfad/datei.sqlite oder postgres://benutzer:passwort@host:port/db. Standard: %1.</translation>
    </message>
    <message>
        <source>Provider registry file. Default: %1.</source>
        <translation>Datei mit den Providern. Standard: %1.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Address and port of the server in --serve mode.</source>
        <translation>Adresse und Port des Servers im Modus --serve.</translation>
    </message>
    <message>
        <source>ADDR:PORT</source>
        <translation>ADRESSE:PORT</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (see --help)</source>
        <translation>unerwartetes Argument „%1“ (siehe --help)</translation>
    </message>
    <message>
        <source>--attach shows a remote server&apos;s fleet and cannot be combined with --serve</source>
        <translation>--attach zeigt die Flotte eines entfernten Servers und lässt sich nicht mit --serve kombinieren</translation>
    </message>
    <message>
        <source>--providers: file &apos;%1&apos; does not exist</source>
        <translation>--providers: Datei „%1“ existiert nicht</translation>
    </message>
    <message>
        <source>no display found (DISPLAY and WAYLAND_DISPLAY are unset): use --serve for the headless server, or set QT_QPA_PLATFORM=offscreen</source>
        <translation>kein Bildschirm gefunden (DISPLAY und WAYLAND_DISPLAY sind nicht gesetzt): --serve für den Server ohne Oberfläche verwenden oder QT_QPA_PLATFORM=offscreen setzen</translation>
    </message>
    <message>
        <source>File holding the bearer token clients of --serve must send (or set BOO_TOKEN). Required when --listen is not a loopback address. With --attach: the token to send to the server.</source>
        <translation>Datei mit dem Bearer-Token, das Clients von --serve senden müssen (oder BOO_TOKEN setzen). Pflicht, wenn --listen keine Loopback-Adresse ist. Mit --attach: das Token, das an den Server gesendet wird.</translation>
    </message>
    <message>
        <source>--token-file: cannot read &apos;%1&apos;: %2</source>
        <translation>--token-file: „%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>--token-file: &apos;%1&apos; is empty</source>
        <translation>--token-file: „%1“ ist leer</translation>
    </message>
    <message>
        <source>this build has no desktop cockpit (it was built with -DBOO_GUI=OFF); use --serve</source>
        <translation>dieser Build hat kein Desktop-Cockpit (gebaut mit -DBOO_GUI=OFF); --serve verwenden</translation>
    </message>
    <message>
        <source>Largest request body the gateway (/v1/*) accepts, in MiB; larger ones get 413 before they are read. Default: 32.</source>
        <translation>Größter Anfrage-Body, den das Gateway (/v1/*) annimmt, in MiB; größere erhalten 413, bevor sie gelesen werden. Standard: 32.</translation>
    </message>
    <message>
        <source>MIB</source>
        <translation>MIB</translation>
    </message>
    <message>
        <source>How long --serve keeps history, in days per kind, e.g. requests=30,raw-perf=2 (keys: requests, model-events, raw-perf, perf-rollup). Default: %1.</source>
        <translation>Wie lange --serve den Verlauf aufbewahrt, in Tagen je Art, z. B. requests=30,raw-perf=2 (Schlüssel: requests, model-events, raw-perf, perf-rollup). Standard: %1.</translation>
    </message>
    <message>
        <source>SPEC</source>
        <translation>ANGABE</translation>
    </message>
    <message>
        <source>Set a limit of the --serve listener, repeatable (docs/security.md): %1.</source>
        <translation>Ein Limit des Listeners von --serve setzen, wiederholbar (docs/security.md): %1.</translation>
    </message>
    <message>
        <source>NAME=VALUE</source>
        <translation>NAME=WERT</translation>
    </message>
    <message>
        <source>--max-body-mb &apos;%1&apos;: expected a whole number of MiB from 1 to 4096</source>
        <translation>--max-body-mb „%1“: erwartet wird eine ganze Zahl MiB von 1 bis 4096</translation>
    </message>
    <message>
        <source>--retention applies to --serve; the desktop sets it in Settings</source>
        <translation>--retention gilt für --serve; der Desktop stellt das in den Einstellungen ein</translation>
    </message>
    <message>
        <source>%1 (simulated, %2)</source>
        <translation>%1 (simuliert, %2)</translation>
    </message>
    <message>
        <source>Alerts file of --serve: webhook sinks (json, ntfy, gotify, slack), retries and rule thresholds (docs/alerts.md).</source>
        <translation>Warnungsdatei von --serve: Webhook-Ziele (json, ntfy, gotify, slack), Wiederholungen und Schwellwerte der Regeln (docs/alerts.md).</translation>
    </message>
    <message>
        <source>--alerts applies to --serve; the desktop sends no webhooks</source>
        <translation>--alerts gilt für --serve; der Desktop sendet keine Webhooks</translation>
    </message>
    <message>
        <source>BooControl: watch, record and steer a fleet of llama-swap inference hosts.
Serving benchmarks: boocontrol bench --help. Quality evals: boocontrol eval --help.</source>
        <translation>BooControl: eine Flotte von llama-swap-Inferenz-Hosts überwachen, aufzeichnen und steuern.
Serving-Benchmarks: boocontrol bench --help. Qualitäts-Evals: boocontrol eval --help.</translation>
    </message>
</context>
<context>
    <name>ConfigCli</name>
    <message numerus="yes">
        <source>%1: valid for llama-swap (%n warning(s))</source>
        <translation>
            <numerusform>%1: gültig für llama-swap (%n Warnung)</numerusform>
            <numerusform>%1: gültig für llama-swap (%n Warnungen)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: llama-swap would refuse this file: %2 error(s), %3 warning(s)</source>
        <translation>%1: llama-swap würde diese Datei ablehnen: %2 Fehler, %3 Warnung(en)</translation>
    </message>
    <message>
        <source>a command is needed</source>
        <translation>ein Befehl wird benötigt</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>unbekannter Befehl „%1“</translation>
    </message>
    <message>
        <source>validate takes exactly one file</source>
        <translation>validate erwartet genau eine Datei</translation>
    </message>
    <message>
        <source>usage: boocontrol config validate FILE.yaml [--json]
       boocontrol config diff|apply HOST FILE.yaml [--yes] [--json]
       boocontrol config backups HOST [--json]
       boocontrol config rollback HOST [BACKUP_ID] [--yes] [--json]
       boocontrol config trust HOST [--yes]</source>
        <translation>Aufruf: boocontrol config validate FILE.yaml [--json]
       boocontrol config diff|apply HOST FILE.yaml [--yes] [--json]
       boocontrol config backups HOST [--json]
       boocontrol config rollback HOST [BACKUP_ID] [--yes] [--json]
       boocontrol config trust HOST [--yes]</translation>
    </message>
    <message>
        <source>Check a llama-swap config file the way llama-swap&apos;s loader would, without a host; or change a host&apos;s config over SSH as a deploy: validate, diff, back up, write, reload, wait for health, roll back on failure.</source>
        <translation>Eine llama-swap-Konfigurationsdatei so prüfen, wie der Loader von llama-swap sie liest, ohne Host; oder die Konfiguration eines Hosts über SSH wie ein Deployment ändern: prüfen, vergleichen, sichern, schreiben, neu laden, auf Gesundheit warten, bei Fehlern zurückrollen.</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>Das Ergebnis als JSON ausgeben.</translation>
    </message>
    <message>
        <source>apply, rollback, trust: do not ask (needed when not on a terminal).</source>
        <translation>apply, rollback, trust: nicht nachfragen (nötig, wenn kein Terminal angeschlossen ist).</translation>
    </message>
    <message>
        <source>Database URL (sqlite:/path or postgres://...) for leases and backups; default the user&apos;s history.</source>
        <translation>Datenbank-URL (sqlite:/pfad oder postgres://...) für Reservierungen und Sicherungen; Standard: der Verlauf des Benutzers.</translation>
    </message>
    <message>
        <source>Provider registry file (the hosts and their &quot;ssh&quot; settings).</source>
        <translation>Datei mit den Providern (die Hosts und ihre „ssh“-Einstellungen).</translation>
    </message>
    <message>
        <source>BooControl&apos;s known_hosts file (default: in the data directory).</source>
        <translation>known_hosts-Datei von BooControl (Standard: im Datenverzeichnis).</translation>
    </message>
    <message>
        <source>apply, rollback: why, kept with the backup.</source>
        <translation>apply, rollback: der Grund, wird mit der Sicherung aufbewahrt.</translation>
    </message>
    <message>
        <source>validate, diff, apply, backups, rollback or trust.</source>
        <translation>validate, diff, apply, backups, rollback oder trust.</translation>
    </message>
    <message>
        <source>validate FILE.yaml | diff HOST FILE.yaml | apply HOST FILE.yaml | backups HOST | rollback HOST [BACKUP_ID] | trust HOST</source>
        <translation>validate FILE.yaml | diff HOST FILE.yaml | apply HOST FILE.yaml | backups HOST | rollback HOST [BACKUP_ID] | trust HOST</translation>
    </message>
    <message>
        <source>%1: wrong number of arguments</source>
        <translation>%1: falsche Anzahl Argumente</translation>
    </message>
</context>
<context>
    <name>ConfigHostCli</name>
    <message>
        <source>no host &quot;%1&quot; in %2%3</source>
        <translation>kein Host „%1“ in %2%3</translation>
    </message>
    <message>
        <source>Apply this change to %1:%2?</source>
        <translation>Diese Änderung auf %1:%2 anwenden?</translation>
    </message>
    <message>
        <source>not applied (confirm on a terminal, or give --yes)</source>
        <translation>nicht angewendet (im Terminal bestätigen oder --yes angeben)</translation>
    </message>
    <message>
        <source>no backups of %1 yet</source>
        <translation>noch keine Sicherungen von %1</translation>
    </message>
    <message>
        <source>%1 offers these host keys; compare them with `ssh-keygen -lf` on the host:</source>
        <translation>%1 bietet diese Host-Schlüssel an; vergleichen Sie sie mit `ssh-keygen -lf` auf dem Host:</translation>
    </message>
    <message>
        <source>Trust these keys for %1?</source>
        <translation>Diesen Schlüsseln für %1 vertrauen?</translation>
    </message>
    <message>
        <source>not trusted (confirm on a terminal, or give --yes)</source>
        <translation>nicht vertraut (im Terminal bestätigen oder --yes angeben)</translation>
    </message>
    <message>
        <source>trusted, in %1</source>
        <translation>vertraut, in %1</translation>
    </message>
    <message>
        <source>%1: wrong number of arguments (see boocontrol config --help)</source>
        <translation>%1: falsche Anzahl Argumente (siehe boocontrol config --help)</translation>
    </message>
    <message>
        <source>no such backup of %1 (boocontrol config backups %1)</source>
        <translation>keine solche Sicherung von %1 (boocontrol config backups %1)</translation>
    </message>
    <message>
        <source>rollback to backup %1</source>
        <translation>Zurückrollen auf Sicherung %1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>DeviceBenchCli</name>
    <message>
        <source>no host &quot;%1&quot; in %2</source>
        <translation>kein Host „%1“ in %2</translation>
    </message>
    <message>
        <source>build %1 (%2), %3, %4, ngl %5</source>
        <translation>Build %1 (%2), %3, %4, ngl %5</translation>
    </message>
    <message>
        <source>no GPU reported</source>
        <translation>keine GPU gemeldet</translation>
    </message>
    <message>
        <source>say HOST/MODEL (a model of the host&apos;s llama-swap config) or HOST with --model-path</source>
        <translation>HOST/MODELL angeben (ein Modell aus der llama-swap-Konfiguration des Hosts) oder HOST mit --model-path</translation>
    </message>
    <message>
        <source>on %1: %2</source>
        <translation>auf %1: %2</translation>
    </message>
    <message>
        <source>not for llama-bench, left out: %1</source>
        <translation>nicht für llama-bench, weggelassen: %1</translation>
    </message>
    <message>
        <source>%1/%2, run %3%4
</source>
        <translation>%1/%2, Lauf %3%4
</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>nicht gespeichert</translation>
    </message>
    <message>
        <source> (forced over live traffic)</source>
        <translation> (trotz laufendem Verkehr erzwungen)</translation>
    </message>
    <message>
        <source>refused: %1%2</source>
        <translation>abgelehnt: %1%2</translation>
    </message>
    <message>
        <source> (--force runs anyway, and is recorded as forced)</source>
        <translation> (--force misst trotzdem und wird als erzwungen festgehalten)</translation>
    </message>
    <message>
        <source>Device numbers: llama-bench on a llama-swap host over SSH, with the host leased (docs/bench.md).

  boocontrol bench device HOST/MODEL   the model&apos;s file and flags from the host&apos;s config
  boocontrol bench device HOST --model-path /models/x.gguf</source>
        <translation>Gerätewerte: llama-bench über SSH auf einem llama-swap-Host, während der Host reserviert ist (docs/bench.md).

  boocontrol bench device HOST/MODEL   Datei und Flags des Modells aus der Konfiguration des Hosts
  boocontrol bench device HOST --model-path /models/x.gguf</translation>
    </message>
    <message>
        <source>HOST/MODEL, or HOST with --model-path</source>
        <translation>HOST/MODELL, oder HOST mit --model-path</translation>
    </message>
    <message>
        <source>The model file on the host (the config is not read).</source>
        <translation>Die Modelldatei auf dem Host (die Konfiguration wird nicht gelesen).</translation>
    </message>
    <message>
        <source>llama-bench flags, as one string: they replace those taken from the model&apos;s cmd.</source>
        <translation>llama-bench-Flags als eine Zeichenkette: Sie ersetzen die aus dem cmd des Modells übernommenen.</translation>
    </message>
    <message>
        <source>llama-bench on the host (default: next to llama-server, else on PATH).</source>
        <translation>llama-bench auf dem Host (Standard: neben llama-server, sonst im PATH).</translation>
    </message>
    <message>
        <source>Database URL (sqlite:/path or postgres://...); default the user&apos;s history.</source>
        <translation>Datenbank-URL (sqlite:/pfad oder postgres://...); Standard: der Verlauf des Benutzers.</translation>
    </message>
    <message>
        <source>Provider registry file.</source>
        <translation>Datei mit den Providern.</translation>
    </message>
    <message>
        <source>BooControl&apos;s known_hosts file (default: its own).</source>
        <translation>known_hosts-Datei von BooControl (Standard: die eigene).</translation>
    </message>
    <message>
        <source>Stop llama-bench after this many seconds (default 1800).</source>
        <translation>llama-bench nach so vielen Sekunden beenden (Standard 1800).</translation>
    </message>
    <message>
        <source>Run even while the host serves traffic (recorded as forced; never over another holder&apos;s lease).</source>
        <translation>Auch messen, während der Host Verkehr bedient (als erzwungen festgehalten; nie über die Reservierung eines anderen hinweg).</translation>
    </message>
    <message>
        <source>The run as JSON on standard output.</source>
        <translation>Den Lauf als JSON auf der Standardausgabe.</translation>
    </message>
    <message>
        <source>device takes one HOST/MODEL (see --help)</source>
        <translation>device erwartet genau ein HOST/MODELL (siehe --help)</translation>
    </message>
    <message>
        <source>--timeout &apos;%1&apos;: expected seconds</source>
        <translation>--timeout „%1“: erwartet werden Sekunden</translation>
    </message>
</context>
<context>
    <name>EvalCli</name>
    <message>
        <source>usage: boocontrol eval --check-suite SUITE.yaml [--json FILE] [--concurrency N]</source>
        <translation>Aufruf: boocontrol eval --check-suite SUITE.yaml [--json DATEI] [--concurrency N]</translation>
    </message>
    <message>
        <source>boocontrol eval: cannot write %1: %2</source>
        <translation>boocontrol eval: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1 (version %2): a chat suite, nothing to run; its judge scores the answers</source>
        <translation>%1 (Version %2): eine Chat-Suite, nichts auszuführen; ihr Richtermodell bewertet die Antworten</translation>
    </message>
    <message>
        <source>%1: %2 of %3 references passed their tests</source>
        <translation>%1: %2 von %3 Referenzlösungen haben ihre Tests bestanden</translation>
    </message>
    <message>
        <source>Quality evals. --check-suite runs every code task&apos;s reference with its tests in the bubblewrap sandbox, proving the suite before a model is scored with it.</source>
        <translation>Qualitäts-Evals. --check-suite führt die Referenzlösung jeder Code-Aufgabe mit ihren Tests in der bubblewrap-Sandbox aus und prüft so die Suite, bevor ein Modell damit bewertet wird.</translation>
    </message>
    <message>
        <source>Check the suite file&apos;s references in the sandbox.</source>
        <translation>Die Referenzlösungen der Suite-Datei in der Sandbox prüfen.</translation>
    </message>
    <message>
        <source>SUITE.yaml</source>
        <translation>SUITE.yaml</translation>
    </message>
    <message>
        <source>Write {&quot;tasks&quot;: [{&quot;id&quot;, &quot;verdict&quot;, &quot;detail&quot;}]} to FILE (- for stdout).</source>
        <translation>{&quot;tasks&quot;: [{&quot;id&quot;, &quot;verdict&quot;, &quot;detail&quot;}]} in DATEI schreiben (- für die Standardausgabe).</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Sandboxes running at once (1 to 64, default 4).</source>
        <translation>Gleichzeitig laufende Sandboxen (1 bis 64, Standard 4).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>The command.</source>
        <translation>Der Befehl.</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>unerwartetes Argument „%1“</translation>
    </message>
    <message>
        <source>--concurrency must be a whole number from 1 to 64</source>
        <translation>--concurrency muss eine ganze Zahl von 1 bis 64 sein</translation>
    </message>
    <message>
        <source>Run the suite file against these targets (provider/model, comma-separated).</source>
        <translation>Die Suite-Datei gegen diese Ziele ausführen (Provider/Modell, durch Kommas getrennt).</translation>
    </message>
    <message>
        <source>LIST</source>
        <translation>LISTE</translation>
    </message>
    <message>
        <source>History database URL for the run and its results (default: the local SQLite file).</source>
        <translation>URL der Verlaufsdatenbank für den Lauf und seine Ergebnisse (Standard: die lokale SQLite-Datei).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Provider registry file (default: the user&apos;s providers.yaml).</source>
        <translation>Provider-Verzeichnisdatei (Standard: die providers.yaml des Benutzers).</translation>
    </message>
    <message>
        <source>Run against the simulated demo fleet (its own demo.sqlite unless --db).</source>
        <translation>Gegen die simulierte Demo-Flotte ausführen (eigene demo.sqlite, außer mit --db).</translation>
    </message>
    <message>
        <source>a suite file (or --check-suite SUITE.yaml) is needed</source>
        <translation>eine Suite-Datei (oder --check-suite SUITE.yaml) wird benötigt</translation>
    </message>
    <message>
        <source>--targets is needed: the models to run the suite against</source>
        <translation>--targets wird benötigt: die Modelle, gegen die die Suite läuft</translation>
    </message>
    <message>
        <source>       boocontrol eval SUITE.yaml --targets PROVIDER/MODEL,... [--json FILE] [--db URL] [--providers FILE] [--demo] [--force] [--concurrency N]</source>
        <translation>       boocontrol eval SUITE.yaml --targets PROVIDER/MODELL,... [--json DATEI] [--db URL] [--providers DATEI] [--demo] [--force] [--concurrency N]</translation>
    </message>
    <message>
        <source>Run on hosts that are serving live traffic (never on a host leased by another).</source>
        <translation>Auch auf Hosts ausführen, die gerade Live-Traffic bedienen (nie auf einem Host, den jemand anderes reserviert hat).</translation>
    </message>
</context>
<context>
    <name>EvalRunCli</name>
    <message>
        <source>target %1 is not provider/model (virtual models are not supported by eval yet)</source>
        <translation>Ziel %1 ist nicht Provider/Modell (virtuelle Modelle unterstützt eval noch nicht)</translation>
    </message>
    <message>
        <source>target %1: there is no provider &quot;%2&quot;</source>
        <translation>Ziel %1: es gibt keinen Provider „%2“</translation>
    </message>
    <message>
        <source>not every target&apos;s host answered within %1 s</source>
        <translation>nicht jeder Host der Ziele hat innerhalb von %1 s geantwortet</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 min</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 h</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 req/min</source>
        <translation>%1 Anfr./min</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 tok/s</translation>
    </message>
</context>
<context>
    <name>KeysCli</name>
    <message>
        <source>--%1 &apos;%2&apos;: expected a whole number of at least 1</source>
        <translation>--%1 „%2“: erwartet wird eine ganze Zahl von mindestens 1</translation>
    </message>
    <message>
        <source>%1 consumer key &quot;%2&quot; for source &quot;%3&quot;. This is the only time the key is shown: store it now.</source>
        <translation>Consumer-Schlüssel „%2“ für Quelle „%3“ %1. Der Schlüssel wird nur dieses eine Mal angezeigt: Speichern Sie ihn jetzt.</translation>
    </message>
    <message>
        <source>no consumer keys yet: boocontrol keys create NAME --source SOURCE</source>
        <translation>noch keine Consumer-Schlüssel: boocontrol keys create NAME --source QUELLE</translation>
    </message>
    <message>
        <source>Database of the server: sqlite:/path/file.sqlite or postgres://... Default: %1.</source>
        <translation>Datenbank des Servers: sqlite:/pfad/datei.sqlite oder postgres://... Standard: %1.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>create: what the key&apos;s requests are attributed to.</source>
        <translation>create: die Quelle, der die Anfragen des Schlüssels zugeordnet werden.</translation>
    </message>
    <message>
        <source>SOURCE</source>
        <translation>QUELLE</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>PATTERN,...</source>
        <translation>MUSTER,...</translation>
    </message>
    <message>
        <source>DATE</source>
        <translation>DATUM</translation>
    </message>
    <message>
        <source>create: honour X-Boo-Source as a sub-source (&lt;source&gt;/&lt;sub&gt;).</source>
        <translation>create: X-Boo-Source als Unterquelle berücksichtigen (&lt;Quelle&gt;/&lt;Unterquelle&gt;).</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON ausgeben.</translation>
    </message>
    <message>
        <source>%1 needs exactly one key name</source>
        <translation>%1 braucht genau einen Schlüsselnamen</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>unerwartetes Argument „%1“</translation>
    </message>
    <message>
        <source>--%1 applies to create</source>
        <translation>--%1 gilt nur für create</translation>
    </message>
    <message>
        <source>create needs --source SOURCE: what the key&apos;s requests are attributed to</source>
        <translation>create braucht --source QUELLE: die Quelle, der die Anfragen des Schlüssels zugeordnet werden</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>angelegt</translation>
    </message>
    <message>
        <source>Rotated</source>
        <translation>rotiert</translation>
    </message>
    <message>
        <source>revoked consumer key &quot;%1&quot; (%2...)</source>
        <translation>Consumer-Schlüssel „%1“ (%2...) widerrufen</translation>
    </message>
    <message>
        <source> (or &apos;none&apos; for no limit)</source>
        <translation> (oder „none“ für kein Limit)</translation>
    </message>
    <message>
        <source>Consumer keys of the gateway, in the database a &apos;boocontrol --serve&apos; uses.
  keys create NAME --source SOURCE [limits]   a new key, printed once
  keys list                                   every key (never the key itself)
  keys set NAME [limits] [--disable|--enable] change a key&apos;s limits (&apos;none&apos; clears one)
  keys revoke NAME                            the key stops working
  keys rotate NAME                            a new key for NAME; the old one stops working</source>
        <translation>Consumer-Schlüssel des Gateways, in der Datenbank, die ein „boocontrol --serve“ verwendet.
  keys create NAME --source QUELLE [Limits]   ein neuer Schlüssel, einmal ausgegeben
  keys list                                   alle Schlüssel (nie der Schlüssel selbst)
  keys set NAME [Limits] [--disable|--enable] die Limits eines Schlüssels ändern („none“ hebt eines auf)
  keys revoke NAME                            der Schlüssel hört auf zu funktionieren
  keys rotate NAME                            ein neuer Schlüssel für NAME; der alte funktioniert nicht mehr</translation>
    </message>
    <message>
        <source>create, list, set, revoke or rotate</source>
        <translation>create, list, set, revoke oder rotate</translation>
    </message>
    <message>
        <source>create, set: requests per minute.</source>
        <translation>create, set: Anfragen pro Minute.</translation>
    </message>
    <message>
        <source>create, set: tokens per minute (as the hosts report them).</source>
        <translation>create, set: Token pro Minute (wie die Hosts sie melden).</translation>
    </message>
    <message>
        <source>create, set: tokens per day (UTC).</source>
        <translation>create, set: Token pro Tag (UTC).</translation>
    </message>
    <message>
        <source>create, set: the models or policies the key may use, patterns with * and ?.</source>
        <translation>create, set: die Modelle oder Richtlinien, die der Schlüssel nutzen darf, Muster mit * und ?.</translation>
    </message>
    <message>
        <source>create, set: expiry, YYYY-MM-DD (start of that day, UTC) or RFC 3339.</source>
        <translation>create, set: Ablauf, JJJJ-MM-TT (Beginn dieses Tages, UTC) oder RFC 3339.</translation>
    </message>
    <message>
        <source>set: refuse the key until --enable (it keeps its secret).</source>
        <translation>set: den Schlüssel bis --enable ablehnen (er behält sein Geheimnis).</translation>
    </message>
    <message>
        <source>set: accept a disabled key again.</source>
        <translation>set: einen deaktivierten Schlüssel wieder annehmen.</translation>
    </message>
    <message>
        <source>expected create, list, set, revoke or rotate (see boocontrol keys --help)</source>
        <translation>erwartet wird create, list, set, revoke oder rotate (siehe boocontrol keys --help)</translation>
    </message>
    <message>
        <source>--%1 applies to create and set</source>
        <translation>--%1 gilt nur für create und set</translation>
    </message>
    <message>
        <source>--%1 applies to set</source>
        <translation>--%1 gilt nur für set</translation>
    </message>
    <message>
        <source>--disable and --enable exclude each other</source>
        <translation>--disable und --enable schließen einander aus</translation>
    </message>
    <message>
        <source> (or &apos;never&apos;)</source>
        <translation> (oder „never“)</translation>
    </message>
    <message>
        <source>set needs something to change: --rpm, --tpm, --budget, --models, --expires, --disable or --enable</source>
        <translation>set braucht etwas zu ändern: --rpm, --tpm, --budget, --models, --expires, --disable oder --enable</translation>
    </message>
</context>
<context>
    <name>boo::ActionHistoryModel</name>
    <message>
        <source>queued</source>
        <translation>eingereiht</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>Warm %1</source>
        <translation>%1 vorwärmen</translation>
    </message>
    <message>
        <source>Unload %1</source>
        <translation>%1 entladen</translation>
    </message>
    <message>
        <source>Unload all models</source>
        <translation>Alle Modelle entladen</translation>
    </message>
    <message>
        <source>Cancel request %1</source>
        <translation>Anfrage %1 abbrechen</translation>
    </message>
    <message>
        <source>%1 (after %2)</source>
        <translation>%1 (nach %2)</translation>
    </message>
    <message>
        <source>Host down</source>
        <translation>Host ausgefallen</translation>
    </message>
    <message>
        <source>Host back</source>
        <translation>Host wieder erreichbar</translation>
    </message>
    <message>
        <source>VRAM high</source>
        <translation>VRAM hoch</translation>
    </message>
    <message>
        <source>GPU hot</source>
        <translation>GPU heiß</translation>
    </message>
    <message>
        <source>alert</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Gap suspected</source>
        <translation>Lücke vermutet</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <source>Failover storm</source>
        <translation>Failover-Sturm</translation>
    </message>
    <message>
        <source>Key limited</source>
        <translation>Schlüssel am Limit</translation>
    </message>
    <message>
        <source>Bench regression</source>
        <translation>Benchmark-Regression</translation>
    </message>
    <message>
        <source>Config rollback</source>
        <translation>Konfiguration zurückgerollt</translation>
    </message>
    <message>
        <source>Test alert</source>
        <translation>Testwarnung</translation>
    </message>
</context>
<context>
    <name>boo::ActionQueue</name>
    <message>
        <source>no watched host &apos;%1&apos;</source>
        <translation>kein überwachter Host „%1“</translation>
    </message>
    <message>
        <source>%1 is down; try again when it is back</source>
        <translation>%1 ist ausgefallen; erneut versuchen, wenn er wieder erreichbar ist</translation>
    </message>
    <message>
        <source>%1 actions are already waiting for %2; wait for them to finish</source>
        <translation>Für %2 warten bereits %1 Aktionen; warten Sie, bis sie erledigt sind</translation>
    </message>
    <message>
        <source>the host is no longer watched</source>
        <translation>der Host wird nicht mehr überwacht</translation>
    </message>
    <message>
        <source>the host went down while the action waited</source>
        <translation>der Host ist ausgefallen, während die Aktion wartete</translation>
    </message>
    <message>
        <source>waited %1 s, longer than %2 s: no longer current</source>
        <translation>%1 s gewartet, länger als %2 s: nicht mehr aktuell</translation>
    </message>
    <message>
        <source>the request had already finished</source>
        <translation>die Anfrage war bereits beendet</translation>
    </message>
    <message>
        <source>%1 is not loaded</source>
        <translation>%1 ist nicht geladen</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>geladen</translation>
    </message>
    <message>
        <source>unloaded</source>
        <translation>entladen</translation>
    </message>
    <message>
        <source>all models unloaded</source>
        <translation>alle Modelle entladen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>%1 is held by %2; release the lease or wait</source>
        <translation>%1 ist von %2 reserviert; geben Sie die Reservierung frei oder warten Sie</translation>
    </message>
</context>
<context>
    <name>boo::ActivityModel</name>
    <message>
        <source>Double-click to open the capture in the inspector</source>
        <translation>Doppelklick öffnet den Mitschnitt im Inspektor</translation>
    </message>
    <message>
        <source>capture</source>
        <translation>Mitschnitt</translation>
    </message>
    <message>
        <source>In flight for %1 on %2; right-click or double-click to cancel</source>
        <translation>Seit %1 in Bearbeitung auf %2; Rechtsklick oder Doppelklick zum Abbrechen</translation>
    </message>
    <message>
        <source>running, %1</source>
        <translation>läuft, %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>cancel</source>
        <translation>abbrechen</translation>
    </message>
    <message>
        <source>Prompt tokens served from the KV cache</source>
        <translation>Prompt-Token aus dem KV-Cache</translation>
    </message>
    <message>
        <source>Prompt processing speed, tokens per second</source>
        <translation>Prompt-Verarbeitung, Token pro Sekunde</translation>
    </message>
    <message>
        <source>Generation speed, tokens per second</source>
        <translation>Generierung, Token pro Sekunde</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>Im Cache</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Prompt tok/s</source>
        <translation>Prompt tok/s</translation>
    </message>
    <message>
        <source>Gen tok/s</source>
        <translation>Gen. tok/s</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>Mitschnitt</translation>
    </message>
    <message>
        <source>Caller as the host tagged it: %1</source>
        <translation>Aufrufer, wie der Host ihn markiert hat: %1</translation>
    </message>
    <message>
        <source>The client went away before the response: an abort, not an error</source>
        <translation>Der Client war vor der Antwort weg: ein Abbruch, kein Fehler</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>X-Boo-Source of gateway traffic, or the host&apos;s caller tag (src)</source>
        <translation>X-Boo-Source des Gateway-Verkehrs oder die Aufrufer-Markierung des Hosts (src)</translation>
    </message>
</context>
<context>
    <name>boo::ActivityView</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>All history</source>
        <translation>Gesamter Verlauf</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Benutzerdefiniert…</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>%1xx</source>
        <translation>%1xx</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>X-Boo-Source of gateway traffic; “-” for requests without one</source>
        <translation>X-Boo-Source des Gateway-Verkehrs; „-“ für Anfragen ohne Quelle</translation>
    </message>
    <message>
        <source>Search model, path, error (Ctrl+F)</source>
        <translation>Modell, Pfad, Fehler suchen (Strg+F)</translation>
    </message>
    <message>
        <source>Token totals for the filtered range</source>
        <translation>Token-Summen für den gefilterten Zeitraum</translation>
    </message>
    <message>
        <source>All hosts</source>
        <translation>Alle Hosts</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message numerus="yes">
        <source>%n requests shown</source>
        <translation>
            <numerusform>%n Anfrage angezeigt</numerusform>
            <numerusform>%n Anfragen angezeigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation>
            <numerusform>%n in Bearbeitung</numerusform>
            <numerusform>%n in Bearbeitung</numerusform>
        </translation>
    </message>
    <message>
        <source>searching, back to %1…</source>
        <translation>suche, zurück bis %1…</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>lädt…</translation>
    </message>
    <message>
        <source>scroll for older requests</source>
        <translation>für ältere Anfragen weiterscrollen</translation>
    </message>
    <message>
        <source>history unavailable: %1 (F5 to retry)</source>
        <translation>Verlauf nicht verfügbar: %1 (F5 für neuen Versuch)</translation>
    </message>
    <message>
        <source>Cancel this request</source>
        <translation>Diese Anfrage abbrechen</translation>
    </message>
    <message>
        <source>Open capture</source>
        <translation>Mitschnitt öffnen</translation>
    </message>
    <message>
        <source>Copy row</source>
        <translation>Zeile kopieren</translation>
    </message>
</context>
<context>
    <name>boo::Alert</name>
    <message>
        <source>%1 is down</source>
        <translation>%1 ist ausgefallen</translation>
    </message>
    <message>
        <source>%1 is back</source>
        <translation>%1 ist wieder erreichbar</translation>
    </message>
    <message>
        <source>%1: GPU %2 VRAM at %3% (threshold %4%)</source>
        <translation>%1: GPU %2, VRAM bei %3 % (Schwellwert %4 %)</translation>
    </message>
    <message>
        <source>%1: GPU %2 at %3 °C (threshold %4 °C)</source>
        <translation>%1: GPU %2 bei %3 °C (Schwellwert %4 °C)</translation>
    </message>
    <message>
        <source>%1 may have missed activity rows (gap suspected)</source>
        <translation>Von %1 fehlen womöglich Aktivitätszeilen (Lücke vermutet)</translation>
    </message>
    <message>
        <source>%1: %2% of requests failed (threshold %3%)</source>
        <translation>%1: %2 % der Anfragen fehlgeschlagen (Schwellwert %3 %)</translation>
    </message>
    <message>
        <source>the gateway failed over %1 times (threshold %2)</source>
        <translation>das Gateway hat %1-mal auf einen anderen Kandidaten ausweichen müssen (Schwellwert %2)</translation>
    </message>
</context>
<context>
    <name>boo::BenchCellModel</name>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Last</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>TTFT p50 (ms)</source>
        <translation>TTFT p50 (ms)</translation>
    </message>
    <message>
        <source>TTFT p99 (ms)</source>
        <translation>TTFT p99 (ms)</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Token/s</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Markierungen</translation>
    </message>
</context>
<context>
    <name>boo::BenchView</name>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Make baseline</source>
        <translation>Als Baseline festlegen</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>Modelle suchen</translation>
    </message>
    <message>
        <source>The models to measure: click to pick several</source>
        <translation>Die zu messenden Modelle: Klicken wählt mehrere aus</translation>
    </message>
    <message>
        <source>Later runs of this suite are compared with the selected run</source>
        <translation>Spätere Läufe dieser Suite werden mit dem gewählten Lauf verglichen</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formular</translation>
    </message>
    <message>
        <source>Paste a suite file (docs/bench.md); it is run instead of the form while this tab is shown</source>
        <translation>Eine Suite-Datei einfügen (docs/bench.md); solange dieser Reiter offen ist, wird sie statt des Formulars ausgeführt</translation>
    </message>
    <message>
        <source>Suite YAML</source>
        <translation>Suite-YAML</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Benchmarks run from a cockpit with its own fleet, or with &apos;boocontrol bench --server&apos; against an attached server.</source>
        <translation>Benchmarks laufen in einem Cockpit mit eigener Flotte oder mit „boocontrol bench --server“ gegen einen verbundenen Server.</translation>
    </message>
    <message>
        <source>Closed-loop clients per cell, separated by commas</source>
        <translation>Clients im geschlossenen Regelkreis pro Zelle, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Prompt sizes in tokens, separated by commas</source>
        <translation>Prompt-Größen in Token, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Suite name</source>
        <translation>Suite-Name</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Parallelität</translation>
    </message>
    <message>
        <source>Prompt sizes</source>
        <translation>Prompt-Größen</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Max. Token</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>Paste a suite file, or fill in the form.</source>
        <translation>Eine Suite-Datei einfügen oder das Formular ausfüllen.</translation>
    </message>
    <message>
        <source>Pick at least one target.</source>
        <translation>Mindestens ein Ziel auswählen.</translation>
    </message>
    <message>
        <source>Concurrency: whole numbers above 0, separated by commas.</source>
        <translation>Parallelität: ganze Zahlen über 0, durch Kommas getrennt.</translation>
    </message>
    <message>
        <source>Prompt sizes: whole numbers above 0, separated by commas.</source>
        <translation>Prompt-Größen: ganze Zahlen über 0, durch Kommas getrennt.</translation>
    </message>
    <message>
        <source>Asking for the hosts…</source>
        <translation>Hosts werden angefragt …</translation>
    </message>
    <message>
        <source>Host in use</source>
        <translation>Host in Benutzung</translation>
    </message>
    <message>
        <source>%1

A benchmark now would slow down its users and its figures would include their load. Run anyway?</source>
        <translation>%1

Ein Benchmark würde jetzt seine Benutzer ausbremsen, und die Messwerte enthielten deren Last. Trotzdem ausführen?</translation>
    </message>
    <message>
        <source>Not started: %1</source>
        <translation>Nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Running %1: cell %2 of %3, %4 of %5 requests</source>
        <translation>Läuft %1: Zelle %2 von %3, %4 von %5 Anfragen</translation>
    </message>
    <message>
        <source>, about %1 s left</source>
        <translation>, noch etwa %1 s</translation>
    </message>
    <message>
        <source> (forced over live traffic)</source>
        <translation> (trotz laufendem Verkehr erzwungen)</translation>
    </message>
    <message numerus="yes">
        <source>Finished: run %1, %n regression(s) against the baseline</source>
        <translation>
            <numerusform>Fertig: Lauf %1, %n Regression gegenüber der Baseline</numerusform>
            <numerusform>Fertig: Lauf %1, %n Regressionen gegenüber der Baseline</numerusform>
        </translation>
    </message>
    <message>
        <source>Finished: run %1, no regression against the baseline</source>
        <translation>Fertig: Lauf %1, keine Regression gegenüber der Baseline</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>#%1 %2 · %3 · %n cell(s)</source>
        <translation>
            <numerusform>#%1 %2 · %3 · %n Zelle</numerusform>
            <numerusform>#%1 %2 · %3 · %n Zellen</numerusform>
        </translation>
    </message>
    <message>
        <source> · baseline</source>
        <translation> · Baseline</translation>
    </message>
    <message numerus="yes">
        <source> · %n regression(s) vs #%1</source>
        <translation>
            <numerusform> · %n Regression gegenüber #%1</numerusform>
            <numerusform> · %n Regressionen gegenüber #%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1 is now the baseline of its suite</source>
        <translation>Lauf %1 ist jetzt die Baseline seiner Suite</translation>
    </message>
</context>
<context>
    <name>boo::CaptureInspector</name>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Als curl kopieren</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Streamed message</source>
        <translation>Gestreamte Nachricht</translation>
    </message>
    <message>
        <source>Copy response</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <source>The request as a curl command; the API key stays a shell variable ($LLAMA_SWAP_API_KEY)</source>
        <translation>Die Anfrage als curl-Befehl; der API-Schlüssel bleibt eine Shell-Variable ($LLAMA_SWAP_API_KEY)</translation>
    </message>
    <message>
        <source>No capture selected</source>
        <translation>Kein Mitschnitt ausgewählt</translation>
    </message>
    <message>
        <source>Double-click a request with a capture on the Activity tab to inspect it here.</source>
        <translation>Im Reiter Aktivität eine Anfrage mit Mitschnitt doppelklicken, um sie hier anzusehen.</translation>
    </message>
    <message>
        <source>Request %1 on %2</source>
        <translation>Anfrage %1 auf %2</translation>
    </message>
    <message>
        <source>Fetching the capture from %1…</source>
        <translation>Mitschnitt wird von %1 geholt…</translation>
    </message>
    <message>
        <source>(not stored: llama-swap keeps no body for failed requests and for some routes)</source>
        <translation>(nicht gespeichert: llama-swap behält bei fehlgeschlagenen Anfragen und manchen Routen keinen Body)</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>(%1 bytes of binary data)</source>
        <translation>(%1 Byte Binärdaten)</translation>
    </message>
    <message>
        <source>This capture is no longer on %1.

llama-swap keeps captures in a small in-memory buffer (5 MB by default, captureBuffer in its config), drops the oldest first and loses them all when it restarts. The request itself stays in the history.</source>
        <translation>Dieser Mitschnitt ist nicht mehr auf %1.

llama-swap hält Mitschnitte in einem kleinen Puffer im Arbeitsspeicher (standardmäßig 5 MB, captureBuffer in seiner Konfiguration), verwirft die ältesten zuerst und verliert alle bei einem Neustart. Die Anfrage selbst bleibt im Verlauf.</translation>
    </message>
    <message>
        <source>The capture could not be fetched: %1</source>
        <translation>Der Mitschnitt konnte nicht geholt werden: %1</translation>
    </message>
    <message>
        <source>Request %1 on %2: %3</source>
        <translation>Anfrage %1 auf %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n chunks</source>
        <translation>
            <numerusform>%n Chunk</numerusform>
            <numerusform>%n Chunks</numerusform>
        </translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>Ende: %1</translation>
    </message>
    <message>
        <source>prompt %1 tokens in %2 ms (%3 tok/s)</source>
        <translation>Prompt %1 Token in %2 ms (%3 tok/s)</translation>
    </message>
    <message>
        <source>generated %1 tokens in %2 ms (%3 tok/s)</source>
        <translation>%1 Token generiert in %2 ms (%3 tok/s)</translation>
    </message>
    <message>
        <source>draft %1 accepted of %2</source>
        <translation>Draft: %1 von %2 angenommen</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>the stream ended without [DONE]</source>
        <translation>der Stream endete ohne [DONE]</translation>
    </message>
</context>
<context>
    <name>boo::ChatStream</name>
    <message numerus="yes">
        <source>%1: nothing arrived for %n second(s); the host may have gone</source>
        <translation>
            <numerusform>%1: seit %n Sekunde nichts angekommen; der Host ist vielleicht weg</numerusform>
            <numerusform>%1: seit %n Sekunden nichts angekommen; der Host ist vielleicht weg</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1: a chunk of the stream is not a JSON object</source>
        <translation>%1: ein Chunk des Streams ist kein JSON-Objekt</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>keine Meldung</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2: %3</source>
        <translation>%1 antwortete mit HTTP %2: %3</translation>
    </message>
    <message>
        <source>%1: the stream ended without [DONE]; the answer may be cut short</source>
        <translation>%1: der Stream endete ohne [DONE]; die Antwort ist womöglich abgeschnitten</translation>
    </message>
</context>
<context>
    <name>boo::ConfigApplyJob</name>
    <message>
        <source>%1 error(s), %2 warning(s)</source>
        <translation>%1 Fehler, %2 Warnung(en)</translation>
    </message>
    <message>
        <source>llama-swap would refuse this file: %1 error(s); nothing was sent to the host</source>
        <translation>llama-swap würde diese Datei ablehnen: %1 Fehler; nichts wurde an den Host gesendet</translation>
    </message>
    <message>
        <source>could not read %1 on the host: %2</source>
        <translation>%1 konnte auf dem Host nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>sha256 %1, the preview was of %2</source>
        <translation>sha256 %1, die Vorschau zeigte %2</translation>
    </message>
    <message>
        <source>%1 changed on the host since the preview: review the new difference</source>
        <translation>%1 hat sich auf dem Host seit der Vorschau geändert: prüfen Sie den neuen Unterschied</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s), sha256 %1</source>
        <translation>
            <numerusform>%n Byte, sha256 %1</numerusform>
            <numerusform>%n Bytes, sha256 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>no difference</source>
        <translation>kein Unterschied</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) of diff</source>
        <translation>
            <numerusform>%n Zeile Diff</numerusform>
            <numerusform>%n Zeilen Diff</numerusform>
        </translation>
    </message>
    <message>
        <source>the host&apos;s file is already this text: nothing to do</source>
        <translation>die Datei des Hosts hat bereits diesen Text: nichts zu tun</translation>
    </message>
    <message>
        <source>the file reads no ${env.…}</source>
        <translation>die Datei liest kein ${env.…}</translation>
    </message>
    <message>
        <source>could not read the environment of %1 on the host: %2</source>
        <translation>die Umgebung von %1 auf dem Host konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>the host&apos;s llama-swap would refuse this file: %1</source>
        <translation>llama-swap auf dem Host würde diese Datei ablehnen: %1</translation>
    </message>
    <message>
        <source>every ${env.…} is set on the host</source>
        <translation>jedes ${env.…} ist auf dem Host gesetzt</translation>
    </message>
    <message>
        <source>no database</source>
        <translation>keine Datenbank</translation>
    </message>
    <message>
        <source>applying a config needs the database (leases and backups)</source>
        <translation>das Anwenden einer Konfiguration braucht die Datenbank (Reservierungen und Sicherungen)</translation>
    </message>
    <message>
        <source>%1 is held by %2: try again when it is free</source>
        <translation>%1 ist reserviert von %2: versuchen Sie es erneut, wenn er frei ist</translation>
    </message>
    <message>
        <source>lease %1 held as %2</source>
        <translation>Reservierung %1 gehalten als %2</translation>
    </message>
    <message>
        <source>could not back up %1 on the host (nothing was written): %2</source>
        <translation>%1 konnte auf dem Host nicht gesichert werden (nichts wurde geschrieben): %2</translation>
    </message>
    <message>
        <source>could not keep the backup in the database (nothing was written): %1</source>
        <translation>die Sicherung konnte nicht in der Datenbank abgelegt werden (nichts wurde geschrieben): %1</translation>
    </message>
    <message>
        <source>%1 on the host, version %2 in the database</source>
        <translation>%1 auf dem Host, Version %2 in der Datenbank</translation>
    </message>
    <message>
        <source>could not write %1 on the host; it is unchanged: %2</source>
        <translation>%1 konnte auf dem Host nicht geschrieben werden; die Datei ist unverändert: %2</translation>
    </message>
    <message>
        <source>sha256 %1</source>
        <translation>sha256 %1</translation>
    </message>
    <message>
        <source>the host&apos;s file is unchanged</source>
        <translation>die Datei des Hosts ist unverändert</translation>
    </message>
    <message>
        <source>the connection failed while writing; %1 is unchanged</source>
        <translation>die Verbindung brach beim Schreiben ab; %1 ist unverändert</translation>
    </message>
    <message>
        <source>the new file is in place although the connection failed</source>
        <translation>die neue Datei ist an ihrem Platz, obwohl die Verbindung abbrach</translation>
    </message>
    <message>
        <source>the host&apos;s file is neither the old nor the new text (sha256 %1)</source>
        <translation>die Datei des Hosts ist weder der alte noch der neue Text (sha256 %1)</translation>
    </message>
    <message>
        <source>the connection failed while writing and the host&apos;s file could not be checked: look at %1 (backup %2)</source>
        <translation>die Verbindung brach beim Schreiben ab und die Datei des Hosts konnte nicht geprüft werden: sehen Sie sich %1 an (Sicherung %2)</translation>
    </message>
    <message>
        <source>the reload failed: %1</source>
        <translation>das Neuladen schlug fehl: %1</translation>
    </message>
    <message numerus="yes">
        <source>healthy, %n model(s) listed</source>
        <translation>
            <numerusform>gesund, %n Modell gelistet</numerusform>
            <numerusform>gesund, %n Modelle gelistet</numerusform>
        </translation>
    </message>
    <message>
        <source>applied: %1 is healthy with the new config</source>
        <translation>angewendet: %1 ist mit der neuen Konfiguration gesund</translation>
    </message>
    <message>
        <source>not applied (%1), and putting the old file back failed: %2; the backup is %3 (version %4)</source>
        <translation>nicht angewendet (%1), und das Zurücklegen der alten Datei schlug fehl: %2; die Sicherung ist %3 (Version %4)</translation>
    </message>
    <message>
        <source>the old file is back (sha256 %1)</source>
        <translation>die alte Datei ist zurück (sha256 %1)</translation>
    </message>
    <message>
        <source>not applied (%1); the old file is back but reloading it failed: %2</source>
        <translation>nicht angewendet (%1); die alte Datei ist zurück, aber ihr Neuladen schlug fehl: %2</translation>
    </message>
    <message>
        <source>not applied: %1; the old config is back and the host is healthy</source>
        <translation>nicht angewendet: %1; die alte Konfiguration ist zurück und der Host ist gesund</translation>
    </message>
    <message>
        <source>not applied: %1; the old file is back but the host is not healthy with it either: %2</source>
        <translation>nicht angewendet: %1; die alte Datei ist zurück, aber der Host ist auch damit nicht gesund: %2</translation>
    </message>
    <message>
        <source>no access gate</source>
        <translation>kein Zugangstor (Access Gate)</translation>
    </message>
    <message>
        <source>applying a config needs the access gate, the leases and the database (backups)</source>
        <translation>eine Konfiguration anzuwenden braucht das Zugangstor, die Leases und die Datenbank (Sicherungen)</translation>
    </message>
    <message>
        <source>%1 was not taken: %2</source>
        <translation>%1 wurde nicht übernommen: %2</translation>
    </message>
    <message>
        <source> (force applies anyway, and is recorded as forced)</source>
        <translation> (force wendet sie trotzdem an und wird als erzwungen vermerkt)</translation>
    </message>
</context>
<context>
    <name>boo::ConsumerKeyModel</name>
    <message>
        <source>%1 req/min</source>
        <translation>%1 Anfr./min</translation>
    </message>
    <message>
        <source>%1 tok/min</source>
        <translation>%1 Token/min</translation>
    </message>
    <message>
        <source>%1 tok/day</source>
        <translation>%1 Token/Tag</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>no limits</source>
        <translation>keine Limits</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>Key %1... created %2</source>
        <translation>Schlüssel %1... angelegt %2</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s), %1 tokens</source>
        <translation>
            <numerusform>%n Anfrage, %1 Token</numerusform>
            <numerusform>%n Anfragen, %1 Token</numerusform>
        </translation>
    </message>
    <message>
        <source> (%1% of the budget)</source>
        <translation> (%1 % des Budgets)</translation>
    </message>
    <message numerus="yes">
        <source>, %n limited</source>
        <translation>
            <numerusform>, %n begrenzt</numerusform>
            <numerusform>, %n begrenzt</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>Limits</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt benutzt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
</context>
<context>
    <name>boo::DesktopApp</name>
    <message>
        <source>This cockpit is attached to %1: its hosts are the providers configured on that server.</source>
        <translation>Dieses Cockpit ist mit %1 verbunden: Seine Hosts sind die Provider, die auf diesem Server eingerichtet sind.</translation>
    </message>
    <message>
        <source>The demo runs a simulated fleet; its providers are not read from a file. Start boocontrol without --demo to manage your own hosts.</source>
        <translation>Die Demo betreibt eine simulierte Flotte; ihre Provider stammen aus keiner Datei. Starten Sie boocontrol ohne --demo, um Ihre eigenen Hosts zu verwalten.</translation>
    </message>
</context>
<context>
    <name>boo::DispatchLogModel</name>
    <message>
        <source>(direct)</source>
        <translation>(direkt)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Asked for</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Served by</source>
        <translation>Bedient von</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>TTFT ms</source>
        <translation>TTFT ms</translation>
    </message>
    <message>
        <source>Overhead ms</source>
        <translation>Overhead ms</translation>
    </message>
    <message>
        <source>Total ms</source>
        <translation>Gesamt ms</translation>
    </message>
</context>
<context>
    <name>boo::DispatchLogView</name>
    <message>
        <source>Filter by source, model, policy or host</source>
        <translation>Nach Quelle, Modell, Regel oder Host filtern</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>%1xx</source>
        <translation>%1xx</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Ältere</translation>
    </message>
    <message>
        <source>Cannot read the dispatch log: %1</source>
        <translation>Das Weiterleitungsprotokoll kann nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <source>Request %1: %2 asked for %3 (%4)</source>
        <translation>Anfrage %1: %2 hat %3 angefragt (%4)</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Attempts:</source>
        <translation>Versuche:</translation>
    </message>
    <message>
        <source>Candidates:</source>
        <translation>Kandidaten:</translation>
    </message>
</context>
<context>
    <name>boo::FleetSummaryStrip</name>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>Every host (click: show all cards)</source>
        <translation>Alle Hosts (Klick: alle Karten anzeigen)</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>Brauchen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Hosts not connected or with a suspected gap in their history; alerts standing now (hosts down, GPUs over the VRAM or temperature threshold). Click: only these hosts</source>
        <translation>Hosts, die nicht verbunden sind oder in deren Verlauf eine Lücke vermutet wird; jetzt anstehende Warnungen (ausgefallene Hosts, GPUs über dem VRAM- oder Temperatur-Schwellwert). Klick: nur diese Hosts</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Requests finished in the last 60 s, across the fleet. Click: only hosts serving requests</source>
        <translation>In den letzten 60 s abgeschlossene Anfragen der ganzen Flotte. Klick: nur Hosts, die Anfragen bedienen</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Ausgabe-Token</translation>
    </message>
    <message>
        <source>Generated tokens of the requests finished in the last 60 s, per second. Click: only hosts serving requests</source>
        <translation>Generierte Token der in den letzten 60 s abgeschlossenen Anfragen, pro Sekunde. Klick: nur Hosts, die Anfragen bedienen</translation>
    </message>
    <message>
        <source>Models loaded</source>
        <translation>Modelle geladen</translation>
    </message>
    <message>
        <source>Models starting or ready on hosts that are up. Click: only hosts with loaded models</source>
        <translation>Modelle, die auf erreichbaren Hosts starten oder bereit sind. Klick: nur Hosts mit geladenen Modellen</translation>
    </message>
    <message>
        <source>VRAM</source>
        <translation>VRAM</translation>
    </message>
    <message>
        <source>VRAM used of total on the GPUs of hosts that are up. Click: only hosts with loaded models</source>
        <translation>VRAM belegt / gesamt auf den GPUs der erreichbaren Hosts. Klick: nur Hosts mit geladenen Modellen</translation>
    </message>
    <message>
        <source>Requests per minute of the fleet, last 30 minutes</source>
        <translation>Anfragen pro Minute der Flotte, letzte 30 Minuten</translation>
    </message>
    <message>
        <source>Output tokens per second, sampled every 10 s</source>
        <translation>Ausgabe-Token pro Sekunde, alle 10 s gemessen</translation>
    </message>
    <message>
        <source>VRAM used in %, sampled every 10 s</source>
        <translation>VRAM belegt in %, alle 10 s gemessen</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 erreichbar</translation>
    </message>
    <message>
        <source>%1 down · %2 reconnecting</source>
        <translation>%1 ausgefallen · %2 verbinden neu</translation>
    </message>
    <message numerus="yes">
        <source>%n gap(s)</source>
        <translation>
            <numerusform>%n Lücke</numerusform>
            <numerusform>%n Lücken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n Warnung</numerusform>
            <numerusform>%n Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/s · %2 in flight</source>
        <translation>%1/s · %2 in Bearbeitung</translation>
    </message>
    <message>
        <source>%1 in · %2 out in 60 s</source>
        <translation>%1 Eingabe · %2 Ausgabe in 60 s</translation>
    </message>
    <message numerus="yes">
        <source>on %n host(s) up</source>
        <translation>
            <numerusform>auf %n erreichbaren Host</numerusform>
            <numerusform>auf %n erreichbaren Hosts</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 / %2 GB</source>
        <translation>%1 / %2 GB</translation>
    </message>
    <message numerus="yes">
        <source>%1 % · %n GPU(s)</source>
        <translation>
            <numerusform>%1 % · %n GPU</numerusform>
            <numerusform>%1 % · %n GPUs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::FleetView</name>
    <message>
        <source>Only hosts that need attention</source>
        <translation>Nur Hosts, die Aufmerksamkeit brauchen</translation>
    </message>
    <message>
        <source>Filter hosts and models (Ctrl+F)</source>
        <translation>Hosts und Modelle filtern (Strg+F)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n hosts connected</source>
        <translation>
            <numerusform>%1 von %n Host verbunden</numerusform>
            <numerusform>%1 von %n Hosts verbunden</numerusform>
        </translation>
    </message>
    <message>
        <source>No host matches the filter.</source>
        <translation>Kein Host passt zum Filter.</translation>
    </message>
    <message>
        <source>No hosts yet.

Add a llama-swap host under Settings → Providers (or in llama-providers.json), or start “boocontrol --demo” to look around a simulated fleet.</source>
        <translation>Noch keine Hosts.

Fügen Sie unter Einstellungen → Provider (oder in llama-providers.json) einen llama-swap-Host hinzu, oder starten Sie „boocontrol --demo“, um sich in einer simulierten Flotte umzusehen.</translation>
    </message>
</context>
<context>
    <name>boo::HostCard</name>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbindet neu</translation>
    </message>
    <message>
        <source>down</source>
        <translation>ausgefallen</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>stoppt</translation>
    </message>
    <message>
        <source>shut down</source>
        <translation>heruntergefahren</translation>
    </message>
    <message>
        <source>peer</source>
        <translation>Peer</translation>
    </message>
    <message>
        <source>No models reported yet.</source>
        <translation>Noch keine Modelle gemeldet.</translation>
    </message>
    <message>
        <source>gap suspected</source>
        <translation>Lücke vermutet</translation>
    </message>
    <message>
        <source>Requests may be missing from this host&apos;s history: it restarted, or its activity buffer moved past what was stored while BooControl could not reach it.</source>
        <translation>Im Verlauf dieses Hosts fehlen womöglich Anfragen: Er wurde neu gestartet, oder sein Aktivitätspuffer ist über das Gespeicherte hinausgelaufen, während BooControl ihn nicht erreichen konnte.</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <translation>Aktionen für %1</translation>
    </message>
    <message>
        <source>Warm (1-token completion)</source>
        <translation>Vorwärmen (Completion mit 1 Token)</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>Entladen</translation>
    </message>
    <message>
        <source>on peer %1</source>
        <translation>auf Peer %1</translation>
    </message>
    <message>
        <source>TTL %1</source>
        <translation>TTL %1</translation>
    </message>
    <message>
        <source>no TTL</source>
        <translation>keine TTL</translation>
    </message>
    <message>
        <source>loading %1</source>
        <translation>lädt seit %1</translation>
    </message>
    <message>
        <source>used %1</source>
        <translation>genutzt %1</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n läuft</numerusform>
            <numerusform>%n laufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message>
        <source>llama-swap %1</source>
        <translation>llama-swap %1</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>zuletzt gesehen %1</translation>
    </message>
    <message>
        <source>never reached</source>
        <translation>nie erreicht</translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1: VRAM used / total</source>
        <translation>%1: VRAM belegt / gesamt</translation>
    </message>
    <message>
        <source>%1 °C</source>
        <translation>%1 °C</translation>
    </message>
    <message>
        <source>%1 W</source>
        <translation>%1 W</translation>
    </message>
    <message>
        <source>%1 % busy</source>
        <translation>%1 % ausgelastet</translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation>
            <numerusform>%n in Bearbeitung</numerusform>
            <numerusform>%n in Bearbeitung</numerusform>
        </translation>
    </message>
    <message>
        <source>warm %1</source>
        <translation>%1 vorwärmen</translation>
    </message>
    <message>
        <source>unload %1</source>
        <translation>%1 entladen</translation>
    </message>
    <message>
        <source>unload all</source>
        <translation>alle entladen</translation>
    </message>
    <message>
        <source>cancel request %1</source>
        <translation>Anfrage %1 abbrechen</translation>
    </message>
    <message>
        <source>Running: %1 (%2)</source>
        <translation>Läuft: %1 (%2)</translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation>Eingereiht: %1</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Last action: %1 %2</source>
        <translation>Letzte Aktion: %1 %2</translation>
    </message>
    <message>
        <source>Unload all models</source>
        <translation>Alle Modelle entladen</translation>
    </message>
    <message>
        <source>Cancel in-flight request</source>
        <translation>Laufende Anfrage abbrechen</translation>
    </message>
    <message>
        <source>%1 %2 (%3)</source>
        <translation>%1 %2 (%3)</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Clear the gap badge: you have seen that requests may be missing from this host&apos;s history. A later loss sets it again.</source>
        <translation>Die Lücken-Markierung entfernen: Sie haben gesehen, dass im Verlauf dieses Hosts Anfragen fehlen können. Ein späterer Verlust setzt sie erneut.</translation>
    </message>
    <message>
        <source>up %1</source>
        <translation>läuft seit %1</translation>
    </message>
    <message>
        <source>Ready since %1 (by the host&apos;s clock)</source>
        <translation>Bereit seit %1 (laut Uhr des Hosts)</translation>
    </message>
    <message>
        <source>Requests finished in the last 60 s</source>
        <translation>In den letzten 60 s abgeschlossene Anfragen</translation>
    </message>
</context>
<context>
    <name>boo::HostHealthWait</name>
    <message>
        <source>the host did not come back healthy within %1 s: %2</source>
        <translation>der Host war nicht innerhalb von %1 s wieder gesund: %2</translation>
    </message>
    <message>
        <source>the host refused the new config and kept the old one: %1</source>
        <translation>der Host lehnte die neue Konfiguration ab und behielt die alte: %1</translation>
    </message>
    <message>
        <source>/v1/models does not list %1</source>
        <translation>/v1/models listet %1 nicht</translation>
    </message>
</context>
<context>
    <name>boo::HostKeyTrust</name>
    <message>
        <source>cannot run ssh-keyscan: %1</source>
        <translation>ssh-keyscan kann nicht ausgeführt werden: %1</translation>
    </message>
    <message>
        <source>%1 offered no host key (unreachable, or not an SSH server)</source>
        <translation>%1 hat keinen Host-Schlüssel angeboten (nicht erreichbar oder kein SSH-Server)</translation>
    </message>
    <message>
        <source>cannot create the folder of &apos;%1&apos;</source>
        <translation>der Ordner von „%1“ kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot read &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>„%1“ kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>boo::KeyDialog</name>
    <message>
        <source>New consumer key</source>
        <translation>Neuer Consumer-Schlüssel</translation>
    </message>
    <message>
        <source>Limits of %1</source>
        <translation>Limits von %1</translation>
    </message>
    <message>
        <source>X-Boo-Source adds a sub-source (source/sub)</source>
        <translation>X-Boo-Source fügt eine Unterquelle hinzu (Quelle/Unterquelle)</translation>
    </message>
    <message>
        <source>notes-app</source>
        <translation>notes-app</translation>
    </message>
    <message>
        <source>what its requests are counted as</source>
        <translation>wem seine Anfragen zugerechnet werden</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>kein Limit</translation>
    </message>
    <message>
        <source>any model; or patterns such as auto*, h1/*</source>
        <translation>jedes Modell; oder Muster wie auto*, h1/*</translation>
    </message>
    <message>
        <source>never; or YYYY-MM-DD (UTC) or an RFC 3339 time</source>
        <translation>nie; oder JJJJ-MM-TT (UTC) oder eine RFC-3339-Zeit</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Requests per minute</source>
        <translation>Anfragen pro Minute</translation>
    </message>
    <message>
        <source>Tokens per minute</source>
        <translation>Token pro Minute</translation>
    </message>
    <message>
        <source>Tokens per day</source>
        <translation>Token pro Tag</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
</context>
<context>
    <name>boo::KeySecretDialog</name>
    <message>
        <source>Consumer key %1</source>
        <translation>Consumer-Schlüssel %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Copy this key now.&lt;/b&gt; It is shown only this once: BooControl keeps only a hash of it and cannot show it again. If it is lost, rotate the key.</source>
        <translation>&lt;b&gt;Kopieren Sie diesen Schlüssel jetzt.&lt;/b&gt; Er wird nur dieses eine Mal angezeigt: BooControl bewahrt nur einen Hash davon auf und kann ihn nicht erneut anzeigen. Geht er verloren, rotieren Sie den Schlüssel.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>I have stored it</source>
        <translation>Ich habe ihn gespeichert</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>boo::KeysView</name>
    <message>
        <source>Edit limits</source>
        <translation>Limits bearbeiten</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Rotieren</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Neuer Schlüssel</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Each consumer of the gateway gets its own key: its requests are counted as its source, and it can be limited. Keys are shown once, when created or rotated.</source>
        <translation>Jeder Nutzer des Gateways bekommt einen eigenen Schlüssel: Seine Anfragen werden seiner Quelle zugerechnet, und er lässt sich begrenzen. Schlüssel werden einmal angezeigt, beim Anlegen oder Rotieren.</translation>
    </message>
    <message>
        <source>Rotate key</source>
        <translation>Schlüssel rotieren</translation>
    </message>
    <message>
        <source>Give %1 a new key? The current key stops working at once.</source>
        <translation>%1 einen neuen Schlüssel geben? Der bisherige funktioniert sofort nicht mehr.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Revoke %1? It stops working at once and cannot be used again; its name stays taken.</source>
        <translation>%1 widerrufen? Er funktioniert sofort nicht mehr und kann nicht wieder benutzt werden; sein Name bleibt vergeben.</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Cannot read the consumer keys: %1</source>
        <translation>Die Consumer-Schlüssel können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No consumer keys yet: without keys, the gateway works as before (one token for everyone).</source>
        <translation>Noch keine Consumer-Schlüssel: Ohne Schlüssel arbeitet das Gateway wie bisher (ein Token für alle).</translation>
    </message>
    <message numerus="yes">
        <source>%n consumer key(s)</source>
        <translation>
            <numerusform>%n Consumer-Schlüssel</numerusform>
            <numerusform>%n Consumer-Schlüssel</numerusform>
        </translation>
    </message>
    <message>
        <source>Not created: %1</source>
        <translation>Nicht angelegt: %1</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>%1 angelegt</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>Nicht geändert: %1</translation>
    </message>
    <message>
        <source>Changed %1</source>
        <translation>%1 geändert</translation>
    </message>
    <message>
        <source>Not rotated: %1</source>
        <translation>Nicht rotiert: %1</translation>
    </message>
    <message>
        <source>Rotated %1: the old key no longer works</source>
        <translation>%1 rotiert: Der alte Schlüssel funktioniert nicht mehr</translation>
    </message>
    <message>
        <source>Not revoked: %1</source>
        <translation>Nicht widerrufen: %1</translation>
    </message>
    <message>
        <source>Revoked %1</source>
        <translation>%1 widerrufen</translation>
    </message>
    <message>
        <source>Nothing changed</source>
        <translation>Nichts geändert</translation>
    </message>
</context>
<context>
    <name>boo::LlamaBenchJob</name>
    <message>
        <source>name a model of the host&apos;s config or a model file on the host</source>
        <translation>ein Modell aus der Konfiguration des Hosts oder eine Modelldatei auf dem Host angeben</translation>
    </message>
    <message>
        <source>%1 has no config path to read the model&apos;s cmd from: give the model file</source>
        <translation>%1 hat keinen Konfigurationspfad, aus dem das cmd des Modells gelesen werden könnte: die Modelldatei angeben</translation>
    </message>
    <message>
        <source>could not read %1 on the host: %2</source>
        <translation>%1 konnte auf dem Host nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>no access gate: a host is never measured without its lease</source>
        <translation>kein Zugangstor: ein Host wird nie ohne seine Reservierung gemessen</translation>
    </message>
    <message>
        <source>the lease on %1 ended under the run: %2</source>
        <translation>die Reservierung von %1 endete während des Laufs: %2</translation>
    </message>
    <message>
        <source>%1 was not found on the host: install llama-bench there or give its path</source>
        <translation>%1 wurde auf dem Host nicht gefunden: llama-bench dort installieren oder seinen Pfad angeben</translation>
    </message>
    <message numerus="yes">
        <source>llama-bench printed no result (%n line(s) not understood)</source>
        <translation>
            <numerusform>llama-bench gab kein Ergebnis aus (%n Zeile nicht verstanden)</numerusform>
            <numerusform>llama-bench gab kein Ergebnis aus (%n Zeilen nicht verstanden)</numerusform>
        </translation>
    </message>
    <message>
        <source>the results could not be stored: %1</source>
        <translation>die Ergebnisse konnten nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>boo::LocalBackend</name>
    <message>
        <source>the desktop</source>
        <translation>der Desktop</translation>
    </message>
    <message>
        <source>no watched host &apos;%1&apos;</source>
        <translation>kein überwachter Host „%1“</translation>
    </message>
</context>
<context>
    <name>boo::LogFeed</name>
    <message>
        <source>the log stream ended; reopening</source>
        <translation>der Protokoll-Stream endete; wird neu geöffnet</translation>
    </message>
    <message>
        <source>log stream: %1</source>
        <translation>Protokoll-Stream: %1</translation>
    </message>
</context>
<context>
    <name>boo::LogsView</name>
    <message>
        <source>Search (Ctrl+F, Enter for the next match)</source>
        <translation>Suchen (Strg+F, Eingabe für den nächsten Treffer)</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Vorheriger</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nächster</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Copy the selected lines, or the whole log when none is selected</source>
        <translation>Die ausgewählten Zeilen kopieren, oder das ganze Protokoll, wenn keine ausgewählt sind</translation>
    </message>
    <message>
        <source>proxy (llama-swap)</source>
        <translation>Proxy (llama-swap)</translation>
    </message>
    <message>
        <source>upstream (all models)</source>
        <translation>Upstream (alle Modelle)</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>Following the log live.</source>
        <translation>Protokoll wird live verfolgt.</translation>
    </message>
    <message numerus="yes">
        <source>Paused while you read: %n new lines waiting. Scroll to the bottom to resume.</source>
        <translation>
            <numerusform>Angehalten, während Sie lesen: %n neue Zeile wartet. Zum Fortsetzen ganz nach unten scrollen.</numerusform>
            <numerusform>Angehalten, während Sie lesen: %n neue Zeilen warten. Zum Fortsetzen ganz nach unten scrollen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save log</source>
        <translation>Protokoll speichern</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Protokolldateien (*.log *.txt)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Hide BooControl&apos;s own requests</source>
        <translation>Eigene Anfragen von BooControl ausblenden</translation>
    </message>
    <message>
        <source>Leave out the host&apos;s access-log lines of requests sent by BooControl (User-Agent BooControl/...): its event stream, activity and GPU polls, actions</source>
        <translation>Zeilen im Zugriffsprotokoll des Hosts weglassen, die zu Anfragen von BooControl gehören (User-Agent BooControl/...): sein Ereignis-Stream, die Abfragen von Aktivität und GPUs, Aktionen</translation>
    </message>
</context>
<context>
    <name>boo::MainWindow</name>
    <message>
        <source>Capture inspector</source>
        <translation>Mitschnitt-Inspektor</translation>
    </message>
    <message>
        <source>Action history</source>
        <translation>Aktionsverlauf</translation>
    </message>
    <message>
        <source>BooControl</source>
        <translation>BooControl</translation>
    </message>
    <message>
        <source>BooControl — %1</source>
        <translation>BooControl — %1</translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation>&amp;Flotte</translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation>&amp;Aktivität</translation>
    </message>
    <message>
        <source>&amp;Performance</source>
        <translation>&amp;Leistung</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>&amp;Protokolle</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation>&amp;Filtern</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>Refreshed</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About BooControl</source>
        <translation>&amp;Über BooControl</translation>
    </message>
    <message>
        <source>About BooControl</source>
        <translation>Über BooControl</translation>
    </message>
    <message>
        <source>&lt;b&gt;BooControl %1&lt;/b&gt;&lt;p&gt;A cockpit for a fleet of llama-swap inference hosts.&lt;/p&gt;</source>
        <translation>&lt;b&gt;BooControl %1&lt;/b&gt;&lt;p&gt;Ein Cockpit für eine Flotte von llama-swap-Inferenz-Hosts.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Models on %1 served requests in the last minute.</source>
        <translation>Modelle auf %1 haben in der letzten Minute Anfragen bedient.</translation>
    </message>
    <message>
        <source>%1 on %2 served requests in the last minute.</source>
        <translation>%1 auf %2 hat in der letzten Minute Anfragen bedient.</translation>
    </message>
    <message>
        <source>Take the model away?</source>
        <translation>Modell wegnehmen?</translation>
    </message>
    <message>
        <source>Unloading it now takes it from whoever is using it. Unload anyway?</source>
        <translation>Wird es jetzt entladen, fehlt es allen, die es gerade nutzen. Trotzdem entladen?</translation>
    </message>
    <message>
        <source>Cancel request?</source>
        <translation>Anfrage abbrechen?</translation>
    </message>
    <message>
        <source>Cancel request %1 on %2? The client gets an error.</source>
        <translation>Anfrage %1 auf %2 abbrechen? Der Client erhält einen Fehler.</translation>
    </message>
    <message>
        <source>Not queued: %1</source>
        <translation>Nicht eingereiht: %1</translation>
    </message>
    <message>
        <source>Hosts %1/%2 up</source>
        <translation>Hosts %1/%2 erreichbar</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>DOWN, rows are queued</source>
        <translation>AUSGEFALLEN, Zeilen werden zwischengespeichert</translation>
    </message>
    <message>
        <source>Database: %1 (%2)</source>
        <translation>Datenbank: %1 (%2)</translation>
    </message>
    <message>
        <source>Local ingest</source>
        <translation>Lokale Erfassung</translation>
    </message>
    <message>
        <source>Attached to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>Server %1: %2</source>
        <translation>Server %1: %2</translation>
    </message>
    <message>
        <source>&amp;Routing</source>
        <translation>&amp;Routing</translation>
    </message>
    <message>
        <source>The gap of %1 was not acknowledged: %2</source>
        <translation>Die Lücke von %1 wurde nicht bestätigt: %2</translation>
    </message>
    <message>
        <source>Send &amp;Test Alert</source>
        <translation>&amp;Testwarnung senden</translation>
    </message>
    <message>
        <source>No test alert: %1</source>
        <translation>Keine Testwarnung: %1</translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation>&amp;Nächster Reiter</translation>
    </message>
    <message>
        <source>P&amp;revious tab</source>
        <translation>&amp;Vorheriger Reiter</translation>
    </message>
    <message>
        <source>Pla&amp;yground</source>
        <translation>Pla&amp;yground</translation>
    </message>
    <message>
        <source>&amp;Bench</source>
        <translation>&amp;Bench</translation>
    </message>
</context>
<context>
    <name>boo::MetricChart</name>
    <message>
        <source>%1 (no data in this range)</source>
        <translation>%1 (keine Daten in diesem Zeitraum)</translation>
    </message>
</context>
<context>
    <name>boo::ModelPickerModel</name>
    <message>
        <source>★ Favorites</source>
        <translation>★ Favoriten</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>geladen</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>kalt</translation>
    </message>
</context>
<context>
    <name>boo::PerfSeriesModel</name>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>VRAM used (MB)</source>
        <translation>VRAM belegt (MB)</translation>
    </message>
    <message>
        <source>VRAM total (MB)</source>
        <translation>VRAM gesamt (MB)</translation>
    </message>
    <message>
        <source>Temperature (°C)</source>
        <translation>Temperatur (°C)</translation>
    </message>
    <message>
        <source>Power (W)</source>
        <translation>Leistungsaufnahme (W)</translation>
    </message>
    <message>
        <source>Utilization (%)</source>
        <translation>Auslastung (%)</translation>
    </message>
</context>
<context>
    <name>boo::PerformanceView</name>
    <message>
        <source>15 minutes</source>
        <translation>15 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Benutzerdefiniert…</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>Hosts:</source>
        <translation>Hosts:</translation>
    </message>
    <message>
        <source>VRAM used</source>
        <translation>VRAM belegt</translation>
    </message>
    <message>
        <source>GB</source>
        <translation>GB</translation>
    </message>
    <message>
        <source>GPU temperature</source>
        <translation>GPU-Temperatur</translation>
    </message>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>GPU power</source>
        <translation>GPU-Leistungsaufnahme</translation>
    </message>
    <message>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <source>GPU utilisation</source>
        <translation>GPU-Auslastung</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Requests per minute</source>
        <translation>Anfragen pro Minute</translation>
    </message>
    <message>
        <source>req/min</source>
        <translation>Anfr./min</translation>
    </message>
    <message>
        <source>Tokens per minute</source>
        <translation>Token pro Minute</translation>
    </message>
    <message>
        <source>tok/min</source>
        <translation>Token/min</translation>
    </message>
    <message>
        <source>Show %1 (several hosts on: overlaid for comparison)</source>
        <translation>%1 anzeigen (mehrere Hosts: zum Vergleich übereinandergelegt)</translation>
    </message>
    <message>
        <source>%1 GPU %2</source>
        <translation>%1 GPU %2</translation>
    </message>
    <message>
        <source>%1 input</source>
        <translation>%1 Eingabe</translation>
    </message>
    <message>
        <source>%1 output</source>
        <translation>%1 Ausgabe</translation>
    </message>
    <message>
        <source>raw samples</source>
        <translation>Rohwerte</translation>
    </message>
    <message>
        <source>5-minute averages</source>
        <translation>5-Minuten-Mittelwerte</translation>
    </message>
    <message>
        <source>requests per %1 min</source>
        <translation>Anfragen pro %1 min</translation>
    </message>
    <message>
        <source>history unavailable: %1</source>
        <translation>Verlauf nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Requests finished in the last 60 s on the hosts shown, and their output tokens per second</source>
        <translation>In den letzten 60 s abgeschlossene Anfragen auf den angezeigten Hosts und ihre Ausgabe-Token pro Sekunde</translation>
    </message>
    <message>
        <source>Now: %1 · %2</source>
        <translation>Jetzt: %1 · %2</translation>
    </message>
</context>
<context>
    <name>boo::PlaygroundSide</name>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Pick a model first</source>
        <translation>Zuerst ein Modell wählen</translation>
    </message>
    <message>
        <source>&gt; %1</source>
        <translation>&gt; %1</translation>
    </message>
    <message>
        <source>Waiting for the first token from %1…</source>
        <translation>Warte auf das erste Token von %1…</translation>
    </message>
    <message numerus="yes">
        <source>TTFT %1 ms · %2 tok/s · %n token(s)</source>
        <translation>
            <numerusform>TTFT %1 ms · %2 tok/s · %n Token</numerusform>
            <numerusform>TTFT %1 ms · %2 tok/s · %n Token</numerusform>
        </translation>
    </message>
    <message>
        <source>Host: prompt %1 tok/s · generation %2 tok/s</source>
        <translation>Host: Prompt %1 tok/s · Generierung %2 tok/s</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
</context>
<context>
    <name>boo::PlaygroundView</name>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Show hidden</source>
        <translation>Ausgeblendete zeigen</translation>
    </message>
    <message>
        <source>Compare A/B</source>
        <translation>A/B vergleichen</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Swap sides</source>
        <translation>Seiten tauschen</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>Modelle suchen</translation>
    </message>
    <message>
        <source>Ask something…</source>
        <translation>Etwas fragen…</translation>
    </message>
    <message>
        <source>★ Favorite A</source>
        <translation>★ Favorit A</translation>
    </message>
    <message>
        <source>Pin side A&apos;s model on top of every picker, or unpin it</source>
        <translation>Das Modell von Seite A in jeder Modellauswahl oben anheften oder wieder lösen</translation>
    </message>
    <message>
        <source>Hide A</source>
        <translation>A ausblenden</translation>
    </message>
    <message>
        <source>Hide side A&apos;s model from the pickers (it stays on the host), or show it again</source>
        <translation>Das Modell von Seite A in der Modellauswahl ausblenden (es bleibt auf dem Host) oder wieder zeigen</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>Als curl kopieren</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>The mark was not stored: %1</source>
        <translation>Die Markierung wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>System-Prompt</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Extra JSON, e.g. {&quot;min_p&quot;: 0.05}</source>
        <translation>Zusätzliches JSON, z. B. {&quot;min_p&quot;: 0.05}</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Max. Token</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>The seed must be a whole number</source>
        <translation>Der Seed muss eine ganze Zahl sein</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n curl command(s) to the clipboard</source>
        <translation>
            <numerusform>%n curl-Befehl in die Zwischenablage kopiert</numerusform>
            <numerusform>%n curl-Befehle in die Zwischenablage kopiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::PolicyEditor</name>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>ranked: loaded and idle first, then free capacity, then cold starts
ordered: the candidate order first
fastest: the fastest recent decode speed first
cheapest: local hosts before cloud providers</source>
        <translation>Rangfolge: geladen und frei zuerst, dann freie Kapazität, dann Kaltstarts
Reihenfolge: die Reihenfolge der Kandidaten zuerst
Schnellste: die zuletzt schnellste Generierung zuerst
Günstigste: lokale Hosts vor Cloud-Providern</translation>
    </message>
    <message>
        <source>with or without tools</source>
        <translation>mit oder ohne Tools</translation>
    </message>
    <message>
        <source>only with tools</source>
        <translation>nur mit Tools</translation>
    </message>
    <message>
        <source>only without tools</source>
        <translation>nur ohne Tools</translation>
    </message>
    <message>
        <source>its own name; or ids and patterns, comma-separated</source>
        <translation>sein eigener Name; oder IDs und Muster, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>any X-Boo-Source; or patterns, comma-separated</source>
        <translation>jede X-Boo-Source; oder Muster, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>provider/model, */model, tag:code/*</source>
        <translation>provider/modell, */modell, tag:code/*</translation>
    </message>
    <message>
        <source>Virtual model</source>
        <translation>Virtuelles Modell</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <source>Takes models</source>
        <translation>Gilt für Modelle</translation>
    </message>
    <message>
        <source>From sources</source>
        <translation>Von Quellen</translation>
    </message>
    <message>
        <source>Prompt tokens (min, max)</source>
        <translation>Prompt-Token (min., max.)</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Tools</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>the smallest prompt is larger than the largest</source>
        <translation>der kleinste Prompt ist größer als der größte</translation>
    </message>
    <message>
        <source>a policy needs at least one candidate</source>
        <translation>eine Regel braucht mindestens einen Kandidaten</translation>
    </message>
</context>
<context>
    <name>boo::ProviderDialog</name>
    <message>
        <source>Watch this host</source>
        <translation>Diesen Host überwachen</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>gpu-box-1</source>
        <translation>gpu-box-1</translation>
    </message>
    <message>
        <source>http://10.0.0.11:8080</source>
        <translation>http://10.0.0.11:8080</translation>
    </message>
    <message>
        <source>No API key</source>
        <translation>Kein API-Schlüssel</translation>
    </message>
    <message>
        <source>Environment variable</source>
        <translation>Umgebungsvariable</translation>
    </message>
    <message>
        <source>System keychain</source>
        <translation>Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>the key (stored in the keychain, never in the file)</source>
        <translation>der Schlüssel (im Schlüsselbund gespeichert, nie in der Datei)</translation>
    </message>
    <message>
        <source>code, fast</source>
        <translation>code, fast</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Variable / entry</source>
        <translation>Variable / Eintrag</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>GPU_BOX_1_KEY</source>
        <translation>GPU_BOX_1_KEY</translation>
    </message>
    <message>
        <source>provider/gpu-box-1</source>
        <translation>provider/gpu-box-1</translation>
    </message>
    <message>
        <source>leave empty to keep the stored key</source>
        <translation>leer lassen, um den gespeicherten Schlüssel zu behalten</translation>
    </message>
    <message>
        <source>The id must be 1 to 64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>Die ID muss aus 1 bis 64 Buchstaben, Ziffern, „.“, „_“ oder „-“ bestehen.</translation>
    </message>
    <message>
        <source>Another provider already has the id &apos;%1&apos;.</source>
        <translation>Ein anderer Provider hat bereits die ID „%1“.</translation>
    </message>
    <message>
        <source>The base URL must be http:// or https:// with a host, e.g. http://10.0.0.11:8080.</source>
        <translation>Die Basis-URL muss mit http:// oder https:// beginnen und einen Host enthalten, z. B. http://10.0.0.11:8080.</translation>
    </message>
    <message>
        <source>Name the environment variable or keychain entry that holds the key.</source>
        <translation>Geben Sie die Umgebungsvariable oder den Schlüsselbund-Eintrag an, der den Schlüssel enthält.</translation>
    </message>
    <message>
        <source>Enter the key to store in the keychain.</source>
        <translation>Geben Sie den Schlüssel ein, der im Schlüsselbund gespeichert werden soll.</translation>
    </message>
    <message>
        <source>Asking %1 …</source>
        <translation>Frage %1 an …</translation>
    </message>
    <message>
        <source>Connected: llama-swap %1</source>
        <translation>Verbunden: llama-swap %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>boo::ProviderListModel</name>
    <message>
        <source>enabled</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>boo::RankingModel</name>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Host / model</source>
        <translation>Host / Modell</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>From candidate</source>
        <translation>Aus Kandidat</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>frei</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>beschäftigt</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>lädt</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>kalt</translation>
    </message>
    <message>
        <source>saturated</source>
        <translation>ausgelastet</translation>
    </message>
    <message>
        <source>cloud</source>
        <translation>Cloud</translation>
    </message>
</context>
<context>
    <name>boo::RemoteBackend</name>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>reconnecting: %1</source>
        <translation>verbindet neu: %1</translation>
    </message>
    <message numerus="yes">
        <source>Test alert %1 sent to %n sink(s) of the server; GET /api/alerts shows whether it arrived.</source>
        <translation>
            <numerusform>Testwarnung %1 an %n Ziel des Servers gesendet; GET /api/alerts zeigt, ob sie angekommen ist.</numerusform>
            <numerusform>Testwarnung %1 an %n Ziele des Servers gesendet; GET /api/alerts zeigt, ob sie angekommen ist.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::RemoteConfigFile</name>
    <message>
        <source>%1 changed on the host since it was read: read it again and review the difference</source>
        <translation>%1 wurde seit dem Lesen auf dem Host geändert: Lesen Sie die Datei erneut und prüfen Sie den Unterschied</translation>
    </message>
</context>
<context>
    <name>boo::RequestRateModel</name>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Requests/min</source>
        <translation>Anfragen/min</translation>
    </message>
    <message>
        <source>Input tokens/min</source>
        <translation>Eingabe-Token/min</translation>
    </message>
    <message>
        <source>Output tokens/min</source>
        <translation>Ausgabe-Token/min</translation>
    </message>
</context>
<context>
    <name>boo::RoutePolicyListModel</name>
    <message>
        <source>from %1</source>
        <translation>von %1</translation>
    </message>
    <message>
        <source>tools required</source>
        <translation>Tools nötig</translation>
    </message>
    <message>
        <source>no tools</source>
        <translation>ohne Tools</translation>
    </message>
    <message>
        <source>≥ %1 tokens</source>
        <translation>≥ %1 Token</translation>
    </message>
    <message>
        <source>≤ %1 tokens</source>
        <translation>≤ %1 Token</translation>
    </message>
    <message>
        <source>Virtual model</source>
        <translation>Virtuelles Modell</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation>Kandidaten</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>Gilt für</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>ranked</source>
        <translation>Rangfolge</translation>
    </message>
    <message>
        <source>ordered</source>
        <translation>Reihenfolge</translation>
    </message>
    <message>
        <source>fastest</source>
        <translation>Schnellste</translation>
    </message>
    <message>
        <source>cheapest</source>
        <translation>Günstigste</translation>
    </message>
</context>
<context>
    <name>boo::RoutingView</name>
    <message>
        <source>with tools</source>
        <translation>mit Tools</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>X-Boo-Source</source>
        <translation>X-Boo-Source</translation>
    </message>
    <message>
        <source> prompt tokens</source>
        <translation> Prompt-Token</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>completions</source>
        <translation>Completions</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>Embeddings</translation>
    </message>
    <message>
        <source>Test against the fleet</source>
        <translation>Gegen die Flotte testen</translation>
    </message>
    <message>
        <source>How this policy ranks the fleet now</source>
        <translation>Wie diese Regel die Flotte gerade einstuft</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <source>Dispatch log</source>
        <translation>Weiterleitungsprotokoll</translation>
    </message>
    <message>
        <source>Cannot read the route policies: %1</source>
        <translation>Die Routing-Regeln können nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n route policy(ies)</source>
        <translation>
            <numerusform>%n Routing-Regel</numerusform>
            <numerusform>%n Routing-Regeln</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n route policy(ies)</source>
        <translation>
            <numerusform>%n Routing-Regel gespeichert</numerusform>
            <numerusform>%n Routing-Regeln gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot test: %1</source>
        <translation>Test nicht möglich: %1</translation>
    </message>
    <message>
        <source>Test failed: %1</source>
        <translation>Test fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) would be tried</source>
        <translation>
            <numerusform>%n Kandidat würde versucht</numerusform>
            <numerusform>%n Kandidaten würden versucht</numerusform>
        </translation>
    </message>
    <message>
        <source>The rule does not take this request (%1); %2</source>
        <translation>Die Regel gilt nicht für diese Anfrage (%1); %2</translation>
    </message>
    <message>
        <source>Another policy is already called %1</source>
        <translation>Eine andere Regel heißt bereits %1</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
</context>
<context>
    <name>boo::SettingsDialog</name>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Aufbewahrung</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Enable / disable</source>
        <translation>Aktivieren / deaktivieren</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>%1 has entries that cannot be read (%2). Fix them in the file; until then it is not edited here, so that nothing in it is lost.</source>
        <translation>%1 enthält Einträge, die nicht gelesen werden können (%2). Korrigieren Sie sie in der Datei; bis dahin wird sie hier nicht bearbeitet, damit nichts darin verloren geht.</translation>
    </message>
    <message>
        <source>Changes are written to %1 at once and picked up by the running cockpit.</source>
        <translation>Änderungen werden sofort in %1 geschrieben und vom laufenden Cockpit übernommen.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>History database</source>
        <translation>Verlaufsdatenbank</translation>
    </message>
    <message>
        <source>sqlite:/path/file.sqlite or postgres://user:password@host:5432/db. Empty: the default file. Used from the next start (--db overrides it); a password is kept in the system keychain.</source>
        <translation>sqlite:/pfad/datei.sqlite oder postgres://benutzer:passwort@host:5432/db. Leer: die Standarddatei. Gilt ab dem nächsten Start (--db hat Vorrang); ein Passwort wird im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>Raw GPU samples</source>
        <translation>GPU-Rohwerte</translation>
    </message>
    <message>
        <source>5-minute GPU rollups</source>
        <translation>GPU-Verdichtungen (5 Minuten)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Model state changes</source>
        <translation>Zustandswechsel der Modelle</translation>
    </message>
    <message>
        <source>VRAM used above</source>
        <translation>VRAM belegt über</translation>
    </message>
    <message>
        <source>GPU temperature above</source>
        <translation>GPU-Temperatur über</translation>
    </message>
    <message>
        <source>A host going down, coming back, or a GPU over a threshold shows a desktop notification and an entry in the action history.</source>
        <translation>Fällt ein Host aus, ist er wieder erreichbar oder liegt eine GPU über einem Schwellwert, erscheinen eine Desktop-Benachrichtigung und ein Eintrag im Aktionsverlauf.</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>In %1 gespeichert.</translation>
    </message>
    <message>
        <source>The key is in the system keychain as &apos;%1&apos;.</source>
        <translation>Der Schlüssel liegt im Schlüsselbund des Systems als „%1“.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>Mit %1 verbunden.</translation>
    </message>
    <message>
        <source>Opened %1, but a query failed.</source>
        <translation>%1 geöffnet, aber eine Abfrage schlug fehl.</translation>
    </message>
    <message>
        <source>Older raw samples are rolled into 5-minute buckets, then removed. Retention runs hourly in the process that writes the history; these windows apply from the next start of this cockpit (a server you attach to keeps its own).</source>
        <translation>Ältere Rohwerte werden zu 5-Minuten-Intervallen verdichtet und dann entfernt. Die Aufbewahrung läuft stündlich in dem Prozess, der den Verlauf schreibt; diese Zeiträume gelten ab dem nächsten Start dieses Cockpits (ein Server, mit dem Sie verbunden sind, hat seine eigenen).</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Sprache des Systems</translation>
    </message>
    <message>
        <source>System language (%1)</source>
        <translation>Sprache des Systems (%1)</translation>
    </message>
    <message>
        <source>Words, numbers and dates follow the language chosen here. It applies from the next start of BooControl.</source>
        <translation>Texte, Zahlen und Datumsangaben folgen der hier gewählten Sprache. Sie gilt ab dem nächsten Start von BooControl.</translation>
    </message>
</context>
<context>
    <name>boo::Sparkline</name>
    <message numerus="yes">
        <source>Requests per minute over the last %n minutes (peak %1)</source>
        <translation>
            <numerusform>Anfragen pro Minute in der letzten Minute (Spitze %1)</numerusform>
            <numerusform>Anfragen pro Minute in den letzten %n Minuten (Spitze %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (peak %2)</source>
        <translation>%1 (Spitze %2)</translation>
    </message>
</context>
<context>
    <name>boo::SshRunner</name>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation>%1 hat nicht innerhalb von %2 s geantwortet</translation>
    </message>
    <message>
        <source>cannot run the OpenSSH client &apos;%1&apos;: %2</source>
        <translation>der OpenSSH-Client „%1“ kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <source>the ssh client stopped unexpectedly</source>
        <translation>der SSH-Client wurde unerwartet beendet</translation>
    </message>
    <message>
        <source>the host key is not the one trusted before: someone may be in between, or the host was reinstalled</source>
        <translation>der Host-Schlüssel ist nicht der bisher vertrauenswürdige: Womöglich sitzt jemand dazwischen, oder der Host wurde neu installiert</translation>
    </message>
    <message>
        <source>the host key is not trusted yet: check its fingerprint and trust it first</source>
        <translation>dem Host-Schlüssel wird noch nicht vertraut: Prüfen Sie seinen Fingerabdruck und vertrauen Sie ihm zuerst</translation>
    </message>
    <message>
        <source>the host refused the key</source>
        <translation>der Host hat den Schlüssel abgelehnt</translation>
    </message>
    <message>
        <source>unreachable: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>the command failed (exit %1)</source>
        <translation>der Befehl ist fehlgeschlagen (Exit-Code %1)</translation>
    </message>
    <message>
        <source>the command failed (exit %1): %2</source>
        <translation>der Befehl ist fehlgeschlagen (Exit-Code %1): %2</translation>
    </message>
</context>
<context>
    <name>boo::TokenTotalsModel</name>
    <message>
        <source>All requests</source>
        <translation>Alle Anfragen</translation>
    </message>
    <message>
        <source>(not attributed)</source>
        <translation>(nicht zugeordnet)</translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation>(kein Modell)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>Eingabe-Token</translation>
    </message>
    <message>
        <source>Cached tokens</source>
        <translation>Cache-Token</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>Ausgabe-Token</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
</context>
<context>
    <name>boo::TrayNotifier</name>
    <message>
        <source>BooControl</source>
        <translation>BooControl</translation>
    </message>
    <message>
        <source>Show BooControl</source>
        <translation>BooControl anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Host down</source>
        <translation>Host ausgefallen</translation>
    </message>
    <message>
        <source>Host back</source>
        <translation>Host wieder erreichbar</translation>
    </message>
    <message>
        <source>VRAM almost full</source>
        <translation>VRAM fast voll</translation>
    </message>
    <message>
        <source>GPU running hot</source>
        <translation>GPU läuft heiß</translation>
    </message>
    <message>
        <source>Activity gap suspected</source>
        <translation>Lücke in der Aktivität vermutet</translation>
    </message>
    <message>
        <source>High error rate</source>
        <translation>Hohe Fehlerquote</translation>
    </message>
    <message>
        <source>Gateway failover storm</source>
        <translation>Failover-Sturm im Gateway</translation>
    </message>
    <message>
        <source>Consumer key limited</source>
        <translation>Consumer-Schlüssel am Limit</translation>
    </message>
    <message>
        <source>Benchmark regression</source>
        <translation>Benchmark-Regression</translation>
    </message>
    <message>
        <source>Config rolled back</source>
        <translation>Konfiguration zurückgerollt</translation>
    </message>
    <message>
        <source>Test alert</source>
        <translation>Testwarnung</translation>
    </message>
</context>
</TS>
