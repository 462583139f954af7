#include "core/server/metricsexporter.h"

#include "core/fleet/fleetstate.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

class Writer
{
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_out += "# HELP "_ba + name + ' ' + help + "\n# TYPE "_ba + name + ' ' + type + '\n';
    }
    void sample(const char *name, const QByteArray &labels, double value)
    {
        m_out += name;
        if (!labels.isEmpty())
            m_out += '{' + labels + '}';
        m_out += ' ' + QByteArray::number(value, 'g', 15) + '\n';
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};

QByteArray hostLabel(const QString &host)
{
    return "host=\"" + MetricsExporter::escapeLabel(host) + '"';
}

} // namespace

QByteArray MetricsExporter::escapeLabel(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray MetricsExporter::render(const Inputs &in)
{
    Writer w;
    QList<HostState> hosts;
    if (in.fleet) {
        for (const QString &id : in.fleet->hostIds())
            hosts << *in.fleet->host(id);
    }

    w.family("boo_host_liveness", "gauge", "1 for the host's current liveness state (connected, reconnecting, down)");
    for (const HostState &h : hosts) {
        for (Liveness l : {Liveness::Connected, Liveness::Reconnecting, Liveness::Down})
            w.sample("boo_host_liveness", hostLabel(h.id) + ",state=\"" + livenessName(l).toUtf8() + '"', h.liveness == l ? 1 : 0);
    }
    w.family("boo_host_last_seen_seconds", "gauge", "Seconds since the host last answered");
    for (const HostState &h : hosts) {
        if (h.lastSeenMs)
            w.sample("boo_host_last_seen_seconds", hostLabel(h.id), double(in.nowMs - *h.lastSeenMs) / 1000.0);
    }
    w.family("boo_host_gap_suspected", "gauge", "1 when rows of the host's request history may have been lost");
    for (const HostState &h : hosts)
        w.sample("boo_host_gap_suspected", hostLabel(h.id), h.gapSuspected ? 1 : 0);
    w.family("boo_host_models_loaded", "gauge", "Models starting or ready on the host");
    for (const HostState &h : hosts)
        w.sample("boo_host_models_loaded", hostLabel(h.id),
                 double(std::count_if(h.models.cbegin(), h.models.cend(), [](const HostedModel &m) { return m.isLoaded(); })));
    w.family("boo_host_inflight_requests", "gauge", "Requests in flight on the host");
    for (const HostState &h : hosts)
        w.sample("boo_host_inflight_requests", hostLabel(h.id), double(h.inflightCount));
    w.family("boo_host_requests_total", "counter", "Finished requests seen on the host since this process started");
    for (const HostState &h : hosts)
        w.sample("boo_host_requests_total", hostLabel(h.id), double(h.requestsSeen));
    w.family("boo_host_input_tokens_total", "counter", "Prompt tokens of finished requests since this process started");
    for (const HostState &h : hosts)
        w.sample("boo_host_input_tokens_total", hostLabel(h.id), double(h.inputTokensSeen));
    w.family("boo_host_output_tokens_total", "counter", "Generated tokens of finished requests since this process started");
    for (const HostState &h : hosts)
        w.sample("boo_host_output_tokens_total", hostLabel(h.id), double(h.outputTokensSeen));

    // The cockpit's "now": the same reading its cards, status bar and fleet summary show.
    w.family("boo_host_requests_last_minute", "gauge", "Requests that finished on the host in the last 60 s");
    for (const HostState &h : hosts)
        w.sample("boo_host_requests_last_minute", hostLabel(h.id), double(h.rateAt(in.nowMs).requests));
    w.family("boo_host_output_tokens_per_second", "gauge", "Generated tokens of the requests that finished in the last 60 s, per second");
    for (const HostState &h : hosts)
        w.sample("boo_host_output_tokens_per_second", hostLabel(h.id), h.rateAt(in.nowMs).outputTokensPerSecond());

    struct Gauge
    {
        const char *name;
        const char *help;
        double (*value)(const GpuSample &);
    };
    const Gauge gauges[] = {
        {"boo_gpu_memory_used_bytes", "VRAM in use", [](const GpuSample &g) { return double(g.memUsedMb) * 1024 * 1024; }},
        {"boo_gpu_memory_total_bytes", "VRAM size", [](const GpuSample &g) { return double(g.memTotalMb) * 1024 * 1024; }},
        {"boo_gpu_temperature_celsius", "GPU temperature", [](const GpuSample &g) { return double(g.tempC); }},
        {"boo_gpu_power_watts", "GPU power draw", [](const GpuSample &g) { return g.powerDrawW; }},
        {"boo_gpu_utilization_percent", "GPU utilisation", [](const GpuSample &g) { return g.gpuUtilPct; }},
    };
    for (const Gauge &gauge : gauges) {
        w.family(gauge.name, "gauge", gauge.help);
        for (const HostState &h : hosts) {
            for (const GpuSample &g : h.gpus) {
                const QByteArray labels = hostLabel(h.id) + ",gpu=\"" + QByteArray::number(g.id) + "\",name=\"" + escapeLabel(g.name) + '"';
                w.sample(gauge.name, labels, gauge.value(g));
            }
        }
    }

    w.family("boo_ingest_events_total", "counter", "Events received on the host's event stream");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_events_total", hostLabel(c->provider().id), double(c->counters().events));
    w.family("boo_ingest_malformed_events_total", "counter", "Events that could not be decoded");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_malformed_events_total", hostLabel(c->provider().id), double(c->counters().malformedEvents));
    w.family("boo_ingest_activity_rows_total", "counter", "Activity rows fetched from the host");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_activity_rows_total", hostLabel(c->provider().id), double(c->counters().activityRows));
    w.family("boo_ingest_connection_failures_total", "counter", "Failed connection attempts and lost streams");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_connection_failures_total", hostLabel(c->provider().id), double(c->counters().failures));
    w.family("boo_ingest_event_losses_total", "counter", "Times the host was found to have dropped events from its stream");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_event_losses_total", hostLabel(c->provider().id), double(c->counters().eventLosses));
    w.family("boo_ingest_resyncs_total", "counter", "Event-stream reconnects for a fresh snapshot after lost events");
    for (const HostConnector *c : in.connectors)
        w.sample("boo_ingest_resyncs_total", hostLabel(c->provider().id), double(c->counters().resyncs));
    w.family("boo_ingest_event_age_seconds", "gauge", "Seconds since the host's last event (ingest lag when the host is busy)");
    for (const HostConnector *c : in.connectors) {
        if (c->counters().lastEventMs > 0)
            w.sample("boo_ingest_event_age_seconds", hostLabel(c->provider().id), double(in.nowMs - c->counters().lastEventMs) / 1000.0);
    }

    if (in.writer) {
        const HistoryWriterStats &s = *in.writer;
        w.family("boo_history_database_up", "gauge", "1 when the history database accepts writes");
        w.sample("boo_history_database_up", {}, s.databaseUp ? 1 : 0);
        w.family("boo_history_rows_stored_total", "counter", "Rows written to the history database");
        w.sample("boo_history_rows_stored_total", {}, double(s.stored));
        w.family("boo_history_rows_rejected_total", "counter", "Rows the database refused");
        w.sample("boo_history_rows_rejected_total", {}, double(s.rejected));
        w.family("boo_history_rows_queued", "gauge", "Rows waiting in memory for the database (writer lag)");
        w.sample("boo_history_rows_queued", {}, double(s.queued));
        w.family("boo_history_rows_spilled", "gauge", "Rows waiting in the spill file");
        w.sample("boo_history_rows_spilled", {}, double(s.spilled));
    }
    w.family("boo_control_feed_clients", "gauge", "WebSocket clients of /api/ws/control");
    w.sample("boo_control_feed_clients", {}, in.feedClients);
    w.family("boo_control_feed_dropped_clients_total", "counter", "Clients dropped for falling behind");
    w.sample("boo_control_feed_dropped_clients_total", {}, double(in.feedDroppedClients));
    return w.take();
}

} // namespace boo
