#include "core/client/localbackend.h"

#include "core/actions/actionqueue.h"
#include "core/actions/hostaccess.h"
#include "core/actions/logstreamreader.h"
#include "core/client/localbenchsource.h"
#include "core/client/localhistorysource.h"
#include "core/client/localroutingsource.h"
#include "core/fleet/fleetstate.h"
#include "core/runtime/fleetruntime.h"
#include "core/store/historywriter.h"

#include <QDateTime>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace boo {

LocalBackend::LocalBackend(FleetRuntime *runtime, QObject *parent)
    : CockpitBackend(parent)
    , m_runtime(runtime)
    , m_history(new LocalHistorySource(runtime->databaseUrl(), this))
    , m_routing(new LocalRoutingSource(runtime->database(), runtime->fleet(), runtime->registry(), this))
    , m_bench(new LocalBenchSource(runtime, this))
{
    connect(runtime->writer(), &HistoryWriter::databaseStateChanged, this, [this](bool up, const QString &) {
        m_databaseUp = up;
        Q_EMIT statusChanged();
    });
}

LocalBackend::~LocalBackend() = default;

FleetState *LocalBackend::fleet() const
{
    return m_runtime ? m_runtime->fleet() : nullptr;
}

HistorySource *LocalBackend::history() const
{
    return m_history;
}

RoutingSource *LocalBackend::routing() const
{
    return m_routing;
}

BenchSource *LocalBackend::bench() const
{
    return m_bench;
}

void LocalBackend::submit(const HostAction &action, QObject *context, ActionCallback done)
{
    Q_UNUSED(context)
    if (!m_runtime)
        return done(makeError(u"action.host_unknown"_s, u"the fleet has stopped"_s));
    done(m_runtime->actions()->submit(action));
}

void LocalBackend::acknowledgeGap(const QString &hostId, QObject *context, DoneCallback done)
{
    Q_UNUSED(context)
    if (!m_runtime || !m_runtime->fleet()->acknowledgeGap(hostId, QDateTime::currentMSecsSinceEpoch(), tr("the desktop")))
        return done(makeError(u"host.unknown"_s, tr("no watched host '%1'").arg(hostId)));
    done({});
}

void LocalBackend::fetchCapture(const QString &hostId, qint64 captureId, QObject *context, CaptureCallback done)
{
    if (!m_runtime)
        return done(makeError(u"host.unknown"_s, u"the fleet has stopped"_s));
    m_runtime->access()->fetchCapture(hostId, captureId, context, std::move(done));
}

// The runtime's read connection lives on this thread; a preference is one small row, so the
// call does not earn a reader thread. The answer still comes from the event loop, as the remote
// one does, so callers cannot come to rely on it arriving inside the call.
void LocalBackend::loadModelPreferences(QObject *context, PreferencesCallback done)
{
    Result<QList<ModelPreference>> loaded = m_runtime
        ? ModelPreferenceStore::load(*m_runtime->database())
        : Result<QList<ModelPreference>>(makeError(u"host.unknown"_s, u"the fleet has stopped"_s));
    QTimer::singleShot(0, context, [loaded = std::move(loaded), done = std::move(done)] { done(loaded); });
}

void LocalBackend::saveModelPreference(const ModelPreference &preference, QObject *context, DoneCallback done)
{
    Result<void> saved = m_runtime ? ModelPreferenceStore::save(*m_runtime->database(), preference)
                                   : Result<void>(makeError(u"host.unknown"_s, u"the fleet has stopped"_s));
    QTimer::singleShot(0, context, [saved = std::move(saved), done = std::move(done)] { done(saved); });
}

Result<LogStreamReader *> LocalBackend::openModelLog(const QString &hostId, const QString &model, QObject *parent)
{
    if (!m_runtime)
        return makeError(u"host.unknown"_s, u"the fleet has stopped"_s);
    auto reply = m_runtime->access()->openLogStream(hostId, model);
    if (!reply)
        return reply.error();
    return new LogStreamReader(*reply, parent);
}

QString LocalBackend::databaseLabel() const
{
    return m_runtime ? m_runtime->databaseUrl().displayString() : QString();
}

Result<ChatTarget> LocalBackend::chatTarget(const QString &provider, const QString &model) const
{
    if (!m_runtime)
        return makeError(u"host.unknown"_s, u"the fleet has stopped"_s);
    return ChatTarget::direct(*m_runtime->access(), provider, model);
}

} // namespace boo
