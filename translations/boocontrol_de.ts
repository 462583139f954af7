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
        <source>--serve: the headless server (live ingest, control API, gateway) is not part of this build yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--demo: the simulated fleet is not part of this build yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--attach: attaching to a remote server is not part of this build yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the desktop cockpit is not part of this build yet; today boocontrol prepares the history database (--db) and checks the provider registry (--providers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no display found (DISPLAY and WAYLAND_DISPLAY are unset): use --serve for the headless server, or set QT_QPA_PLATFORM=offscreen</source>
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
</TS>
