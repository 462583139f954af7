#pragma once

#include "core/fleet/fleetdelta.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace boo {

class CockpitBackend;
class LogModel;
class LogStreamReader;

// Keeps a LogModel showing one log of one host: "proxy" and "upstream" from FleetState (its
// tail of the last 2,000 lines, then its deltas — the same in attached mode), any other source
// as the model's own live stream (/logs/stream/{model}, history first), reopened after a pause
// when it ends.
class LogFeed final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kReopenDelayMs = 3000;

    LogFeed(CockpitBackend *backend, LogModel *model, QObject *parent = nullptr);
    ~LogFeed() override;
    Q_DISABLE_COPY_MOVE(LogFeed)

    static bool isFleetSource(const QString &source);

    void setSource(const QString &hostId, const QString &source);
    QString hostId() const { return m_hostId; }
    QString source() const { return m_source; }
    // Empty while the log is live; otherwise what is wrong ("stream ended: ...").
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void problemChanged(const QString &problem);

private:
    void onChanged(const FleetDelta &delta);
    void reloadTail();
    void openStream();
    void setProblem(const QString &problem);

    QPointer<CockpitBackend> m_backend;
    QPointer<LogModel> m_model;
    QString m_hostId;
    QString m_source;
    QPointer<LogStreamReader> m_reader;
    QTimer m_reopenTimer;
    QString m_problem;
};

} // namespace boo
