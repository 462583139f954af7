<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Cli</name>
    <message>
        <source>BooControl: watch, record and steer a fleet of llama-swap inference hosts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run headless: ingest, history, gateway and control API on --listen. Needs no display.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a simulated fleet of llama-swap hosts on loopback instead of the configured providers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the fleet of a remote &apos;boocontrol --serve&apos; (e.g. ws://server:9503).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History database: sqlite:/path/file.sqlite or postgres://user:pass@host:port/db. Default: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider registry file. Default: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address and port of the server in --serve mode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADDR:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (see --help)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--attach shows a remote server&apos;s fleet and cannot be combined with --serve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--providers: file &apos;%1&apos; does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no display found (DISPLAY and WAYLAND_DISPLAY are unset): use --serve for the headless server, or set QT_QPA_PLATFORM=offscreen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File holding the bearer token clients of --serve must send (or set BOO_TOKEN). Required when --listen is not a loopback address. With --attach: the token to send to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--token-file: cannot read &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--token-file: &apos;%1&apos; is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this build has no desktop cockpit (it was built with -DBOO_GUI=OFF); use --serve</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::ActionHistoryModel</name>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload all models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (after %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU hot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::ActivityModel</name>
    <message>
        <source>Double-click to open the capture in the inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In flight for %1 on %2; right-click or double-click to cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt tokens served from the KV cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt processing speed, tokens per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation speed, tokens per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-Boo-Source of gateway traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gen tok/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::ActivityView</name>
    <message>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1xx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-Boo-Source of gateway traffic; “-” for requests without one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search model, path, error (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token totals for the filtered range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All models</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n requests shown</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>searching, back to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scroll for older requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history unavailable: %1 (F5 to retry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel this request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy row</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::CaptureInspector</name>
    <message>
        <source>Header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Streamed message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request as a curl command; the API key stays a shell variable ($LLAMA_SWAP_API_KEY)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No capture selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a request with a capture on the Activity tab to inspect it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching the capture from %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not stored: llama-swap keeps no body for failed requests and for some routes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1 bytes of binary data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This capture is no longer on %1.

llama-swap keeps captures in a small in-memory buffer (5 MB by default, captureBuffer in its config), drops the oldest first and loses them all when it restarts. The request itself stays in the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The capture could not be fetched: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request %1 on %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n chunks</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prompt %1 tokens in %2 ms (%3 tok/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>generated %1 tokens in %2 ms (%3 tok/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft %1 accepted of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the stream ended without [DONE]</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::DesktopApp</name>
    <message>
        <source>This cockpit is attached to %1: its hosts are the providers configured on that server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo runs a simulated fleet; its providers are not read from a file. Start boocontrol without --demo to manage your own hosts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::DispatchLogModel</name>
    <message>
        <source>(direct)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TTFT ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overhead ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::DispatchLogView</name>
    <message>
        <source>Filter by source, model, policy or host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1xx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the dispatch log: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Request %1: %2 asked for %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidates:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::FleetView</name>
    <message>
        <source>Only hosts that need attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter hosts and models (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n hosts connected</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No hosts yet.

Add a llama-swap host under Settings → Providers (or in llama-providers.json), or start ǋoocontrol --demo” to look around a simulated fleet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No host matches the filter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::HostCard</name>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No models reported yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gap suspected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests may be missing from this host&apos;s history: it restarted, or its activity buffer moved past what was stored while BooControl could not reach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warm (1-token completion)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on peer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TTL %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no TTL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>llama-swap %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: VRAM used / total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 °C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 req/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warm %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unload %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unload all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancel request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last action: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload all models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel in-flight request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::LogFeed</name>
    <message>
        <source>the log stream ended; reopening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log stream: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::LogsView</name>
    <message>
        <source>Search (Ctrl+F, Enter for the next match)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected lines, or the whole log when none is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxy (llama-swap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream (all models)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following the log live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Paused while you read: %n new lines waiting. Scroll to the bottom to resume.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Save log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::MainWindow</name>
    <message>
        <source>Capture inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BooControl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BooControl — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Performance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Performance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refreshed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About BooControl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About BooControl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;BooControl %1&lt;/b&gt;&lt;p&gt;A cockpit for a fleet of llama-swap inference hosts.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models on %1 served requests in the last minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 served requests in the last minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the model away?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unloading it now takes it from whoever is using it. Unload anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel request?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel request %1 on %2? The client gets an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not queued: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts %1/%2 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 req/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DOWN, rows are queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local ingest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attached to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::MetricChart</name>
    <message>
        <source>%1 (no data in this range)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::PerfSeriesModel</name>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM used (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM total (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature (°C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Power (W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Utilization (%)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::PerformanceView</name>
    <message>
        <source>15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>°C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU power</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU utilisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>req/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tok/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 (several hosts on: overlaid for comparison)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GPU %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5-minute averages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requests per %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history unavailable: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::PolicyEditor</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ranked: loaded and idle first, then free capacity, then cold starts
ordered: the candidate order first
fastest: the fastest recent decode speed first
cheapest: local hosts before cloud providers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with or without tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only with tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only without tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its own name; or ids and patterns, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any X-Boo-Source; or patterns, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider/model, */model, tag:code/*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtual model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt tokens (min, max)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the smallest prompt is larger than the largest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a policy needs at least one candidate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::ProviderDialog</name>
    <message>
        <source>Watch this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gpu-box-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://10.0.0.11:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key (stored in the keychain, never in the file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code, fast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variable / entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU_BOX_1_KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider/gpu-box-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave empty to keep the stored key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The id must be 1 to 64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another provider already has the id &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The base URL must be http:// or https:// with a host, e.g. http://10.0.0.11:8080.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the environment variable or keychain entry that holds the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the key to store in the keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: llama-swap %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::ProviderListModel</name>
    <message>
        <source>enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::RankingModel</name>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host / model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From candidate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::RemoteBackend</name>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::RequestRateModel</name>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input tokens/min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tokens/min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::RoutePolicyListModel</name>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tools required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≥ %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≤ %1 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtual model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::RoutingView</name>
    <message>
        <source>with tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X-Boo-Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> prompt tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test against the fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How this policy ranks the fleet now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispatch log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the route policies: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n route policy(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n route policy(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot test: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) would be tried</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The rule does not take this request (%1); %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another policy is already called %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::SettingsDialog</name>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Providers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable / disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has entries that cannot be read (%2). Fix them in the file; until then it is not edited here, so that nothing in it is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes are written to %1 at once and picked up by the running cockpit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sqlite:/path/file.sqlite or postgres://user:password@host:5432/db. Empty: the default file. Used from the next start (--db overrides it); a password is kept in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw GPU samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5-minute GPU rollups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model state changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM used above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU temperature above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A host going down, coming back, or a GPU over a threshold shows a desktop notification and an entry in the action history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key is in the system keychain as &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1, but a query failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older raw samples are rolled into 5-minute buckets, then removed. Retention runs hourly in the process that writes the history; these windows apply from the next start of this cockpit (a server you attach to keeps its own).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::Sparkline</name>
    <message numerus="yes">
        <source>Requests per minute over the last %n minutes (peak %1)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::TokenTotalsModel</name>
    <message>
        <source>All requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not attributed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cached tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>boo::TrayNotifier</name>
    <message>
        <source>BooControl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show BooControl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VRAM almost full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU running hot</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
