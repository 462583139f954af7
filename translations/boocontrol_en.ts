<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConfigCli</name>
    <message numerus="yes">
        <source>%1: valid for llama-swap (%n warning(s))</source>
        <translation>
            <numerusform>%1: valid for llama-swap (%n warning)</numerusform>
            <numerusform>%1: valid for llama-swap (%n warnings)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::ActivityView</name>
    <message numerus="yes">
        <source>%n requests shown</source>
        <translation>
            <numerusform>%n request shown</numerusform>
            <numerusform>%n requests shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation>
            <numerusform>%n in flight</numerusform>
            <numerusform>%n in flight</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::BenchView</name>
    <message numerus="yes">
        <source>Finished: run %1, %n regression(s) against the baseline</source>
        <translation>
            <numerusform>Finished: run %1, %n regression against the baseline</numerusform>
            <numerusform>Finished: run %1, %n regressions against the baseline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>#%1 %2 · %3 · %n cell(s)</source>
        <translation>
            <numerusform>#%1 %2 · %3 · %n cell</numerusform>
            <numerusform>#%1 %2 · %3 · %n cells</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n regression(s) vs #%1</source>
        <translation>
            <numerusform> · %n regression vs #%1</numerusform>
            <numerusform> · %n regressions vs #%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::CaptureInspector</name>
    <message numerus="yes">
        <source>%n chunks</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::ChatStream</name>
    <message numerus="yes">
        <source>%1: nothing arrived for %n second(s); the host may have gone</source>
        <translation>
            <numerusform>%1: nothing arrived for %n second; the host may have gone</numerusform>
            <numerusform>%1: nothing arrived for %n seconds; the host may have gone</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::ConfigApplyJob</name>
    <message numerus="yes">
        <source>%n byte(s), sha256 %1</source>
        <translation>
            <numerusform>%n byte, sha256 %1</numerusform>
            <numerusform>%n bytes, sha256 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) of diff</source>
        <translation>
            <numerusform>%n line of diff</numerusform>
            <numerusform>%n lines of diff</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>healthy, %n model(s) listed</source>
        <translation>
            <numerusform>healthy, %n model listed</numerusform>
            <numerusform>healthy, %n models listed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::ConsumerKeyModel</name>
    <message numerus="yes">
        <source>%n request(s), %1 tokens</source>
        <translation>
            <numerusform>%n request, %1 tokens</numerusform>
            <numerusform>%n requests, %1 tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n limited</source>
        <translation>
            <numerusform>, %n limited</numerusform>
            <numerusform>, %n limited</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::DispatchLogView</name>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::FleetSummaryStrip</name>
    <message numerus="yes">
        <source>%n gap(s)</source>
        <translation>
            <numerusform>%n gap</numerusform>
            <numerusform>%n gaps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n alert</numerusform>
            <numerusform>%n alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>on %n host(s) up</source>
        <translation>
            <numerusform>on %n host up</numerusform>
            <numerusform>on %n hosts up</numerusform>
        </translation>
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
    <message numerus="yes">
        <source>%1 of %n hosts connected</source>
        <translation>
            <numerusform>%1 of %n host connected</numerusform>
            <numerusform>%1 of %n hosts connected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::HostCard</name>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation>
            <numerusform>%n in flight</numerusform>
            <numerusform>%n in flight</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::KeysView</name>
    <message numerus="yes">
        <source>%n consumer key(s)</source>
        <translation>
            <numerusform>%n consumer key</numerusform>
            <numerusform>%n consumer keys</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::LlamaBenchJob</name>
    <message numerus="yes">
        <source>llama-bench printed no result (%n line(s) not understood)</source>
        <translation>
            <numerusform>llama-bench printed no result (%n line not understood)</numerusform>
            <numerusform>llama-bench printed no result (%n lines not understood)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::LogsView</name>
    <message numerus="yes">
        <source>Paused while you read: %n new lines waiting. Scroll to the bottom to resume.</source>
        <translation>
            <numerusform>Paused while you read: %n new line waiting. Scroll to the bottom to resume.</numerusform>
            <numerusform>Paused while you read: %n new lines waiting. Scroll to the bottom to resume.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::PlaygroundSide</name>
    <message numerus="yes">
        <source>TTFT %1 ms · %2 tok/s · %n token(s)</source>
        <translation>
            <numerusform>TTFT %1 ms · %2 tok/s · %n token</numerusform>
            <numerusform>TTFT %1 ms · %2 tok/s · %n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::PlaygroundView</name>
    <message numerus="yes">
        <source>Copied %n curl command(s) to the clipboard</source>
        <translation>
            <numerusform>Copied %n curl command to the clipboard</numerusform>
            <numerusform>Copied %n curl commands to the clipboard</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::RemoteBackend</name>
    <message numerus="yes">
        <source>Test alert %1 sent to %n sink(s) of the server; GET /api/alerts shows whether it arrived.</source>
        <translation>
            <numerusform>Test alert %1 sent to %n sink of the server; GET /api/alerts shows whether it arrived.</numerusform>
            <numerusform>Test alert %1 sent to %n sinks of the server; GET /api/alerts shows whether it arrived.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::RoutingView</name>
    <message numerus="yes">
        <source>%n route policy(ies)</source>
        <translation>
            <numerusform>%n route policy</numerusform>
            <numerusform>%n route policies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n route policy(ies)</source>
        <translation>
            <numerusform>Saved %n route policy</numerusform>
            <numerusform>Saved %n route policies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) would be tried</source>
        <translation>
            <numerusform>%n candidate would be tried</numerusform>
            <numerusform>%n candidates would be tried</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>boo::Sparkline</name>
    <message numerus="yes">
        <source>Requests per minute over the last %n minutes (peak %1)</source>
        <translation>
            <numerusform>Requests per minute over the last minute (peak %1)</numerusform>
            <numerusform>Requests per minute over the last %n minutes (peak %1)</numerusform>
        </translation>
    </message>
</context>
</TS>
