#pragma once

#include "core/client/cockpitbackend.h"

namespace boo::test {

// A cockpit backend with a FleetState and a history and nothing else: enough for the whole
// window (MainWindow) without connectors or a server.
class FleetAndHistoryBackend final : public CockpitBackend
{
public:
    FleetAndHistoryBackend(FleetState *fleet, HistorySource *history)
        : m_fleet(fleet)
        , m_history(history)
    {
    }
    FleetState *fleet() const override { return m_fleet; }
    HistorySource *history() const override { return m_history; }
    void submit(const HostAction &, QObject *, ActionCallback) override {}
    void acknowledgeGap(const QString &, QObject *, DoneCallback) override {}
    void fetchCapture(const QString &, qint64, QObject *, CaptureCallback) override {}
    Result<LogStreamReader *> openModelLog(const QString &, const QString &, QObject *) override
    {
        return makeError(QStringLiteral("test"), QStringLiteral("no model logs"));
    }
    QString databaseLabel() const override { return QStringLiteral("test"); }
    std::optional<bool> databaseUp() const override { return true; }

private:
    FleetState *m_fleet;
    HistorySource *m_history;
};

} // namespace boo::test
