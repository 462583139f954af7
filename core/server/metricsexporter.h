#pragma once

#include "core/ingest/hostconnector.h"
#include "core/store/historywriter.h"

#include <QByteArray>
#include <QList>

namespace boo {

class FleetState;

// `GET /metrics` in Prometheus text format 0.0.4: per host liveness, loaded models, in-flight,
// request and token counters and GPU gauges; ingest counters and lag; history writer health.
class MetricsExporter final
{
public:
    struct Inputs
    {
        const FleetState *fleet = nullptr;
        QList<const HostConnector *> connectors;
        std::optional<HistoryWriterStats> writer;
        int feedClients = 0;
        qint64 feedDroppedClients = 0;
        qint64 nowMs = 0;
    };

    static QByteArray render(const Inputs &inputs);
    // Prometheus label value escaping: backslash, double quote, newline.
    static QByteArray escapeLabel(const QString &value);
};

} // namespace boo
