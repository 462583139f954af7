#pragma once

#include "core/actions/hostaction.h"
#include "core/client/chattarget.h"
#include "core/common/result.h"
#include "core/protocol/capture.h"
#include "core/store/modelpreferencestore.h"

#include <QObject>

#include <functional>
#include <optional>

namespace boo {

class BenchSource;
class FleetState;
class HistorySource;
class LogStreamReader;
class RoutingSource;

// Everything the desktop cockpit reads and does, behind one interface with two implementations:
// LocalBackend runs the ingest in this process (`boocontrol`, `boocontrol --demo`),
// RemoteBackend follows a server (`boocontrol --attach ws://host:9503`). Models and views only
// see this, so both modes show the same truth and offer the same actions.
class CockpitBackend : public QObject
{
    Q_OBJECT

public:
    using ActionCallback = std::function<void(Result<HostAction>)>;
    using CaptureCallback = std::function<void(Result<Capture>)>;
    using DoneCallback = std::function<void(Result<void>)>;
    using MessageCallback = std::function<void(Result<QString>)>;
    using PreferencesCallback = std::function<void(Result<QList<ModelPreference>>)>;

    using QObject::QObject;
    Q_DISABLE_COPY_MOVE(CockpitBackend)

    virtual FleetState *fleet() const = 0;
    virtual HistorySource *history() const = 0;

    // Queues an action on the host's ActionQueue (here or on the server). The callback says
    // whether it was accepted; progress then arrives as control_job deltas through fleet().
    virtual void submit(const HostAction &action, QObject *context, ActionCallback done) = 0;
    // The operator has seen the host's suspected gap: clear it (here or on the server, where it
    // is stored). The change itself arrives through fleet().
    virtual void acknowledgeGap(const QString &hostId, QObject *context, DoneCallback done) = 0;
    // The host's capture of one request. Error "capture.gone" when it left the host's buffer.
    virtual void fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done) = 0;
    // The test button of alerts: the attached server sends a `test` alert to each of its webhook
    // sinks (docs/alerts.md); the answer says to how many. A cockpit running its own fleet sends
    // no webhooks and answers error "alerts.local".
    virtual void sendTestAlert(QObject *context, MessageCallback done)
    {
        Q_UNUSED(context)
        done(makeError(QStringLiteral("alerts.local"),
                       tr("This cockpit sends no webhooks: alerts reach people from 'boocontrol --serve "
                          "--alerts FILE'. Attach to that server to test its sinks.")));
    }
    // The gateway's route policies and dispatch log (the Routing tab); null where there are none.
    virtual RoutingSource *routing() const { return nullptr; }
    // Benchmark runs (the Bench tab); null where they cannot be started.
    virtual BenchSource *bench() const { return nullptr; }
    // The live log of one model (its history first). Proxy and upstream logs come from fleet().
    virtual Result<LogStreamReader *> openModelLog(const QString &hostId, const QString &model, QObject *parent) = 0;

    // Where the Playground sends a chat for a model of a host: straight to the host here, through
    // the server's gateway when attached (as "provider/model", so the server's keys stay there).
    // The default answers "chat.unavailable".
    virtual Result<ChatTarget> chatTarget(const QString &provider, const QString &model) const;

    // Favorites and hidden models of the pickers (table model_preferences). The default answers
    // "prefs.unavailable": a backend without a database of its own keeps none.
    virtual void loadModelPreferences(QObject *context, PreferencesCallback done);
    virtual void saveModelPreference(const ModelPreference &preference, QObject *context, DoneCallback done);

    // For the status bar: where history lives, and whether it is reachable (empty: not known yet).
    virtual QString databaseLabel() const = 0;
    virtual std::optional<bool> databaseUp() const = 0;
    // The server this cockpit is attached to (empty when the ingest runs here), and what is wrong
    // with the connection to it (empty while it is live).
    virtual QString attachedServer() const { return {}; }
    virtual QString connectionProblem() const { return {}; }

Q_SIGNALS:
    // Something the status bar shows changed (database state, server connection).
    void statusChanged();
};

} // namespace boo
