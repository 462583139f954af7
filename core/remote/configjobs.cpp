#include "core/remote/configjobs.h"

#include "core/actions/accessgate.h"
#include "core/actions/hostaccess.h"
#include "core/actions/leasebook.h"
#include "core/providers/providerregistry.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

struct ConfigJobs::Live
{
    ConfigJob job;
    ConfigApplyJob *apply = nullptr;
    Decided decided;
};

QJsonObject ConfigJob::toJson() const
{
    QJsonArray stepList;
    for (const ApplyStepRecord &s : steps) {
        stepList.append(QJsonObject{
            {u"step"_s, enumNameString(kApplyStepNames, s.step)}, {u"ok"_s, s.ok}, {u"message"_s, s.message}, {u"ms"_s, s.elapsedMs}});
    }
    QJsonObject o{{u"id"_s, id},
                  {u"host"_s, host},
                  {u"kind"_s, kind},
                  {u"author"_s, author},
                  {u"reason"_s, reason},
                  {u"force"_s, force},
                  {u"state"_s, enumNameString(kStateNames, state)},
                  {u"started_at"_s, startedAtMs},
                  {u"finished_at"_s, state == State::Finished ? QJsonValue(finishedAtMs) : QJsonValue()},
                  {u"steps"_s, stepList}};
    if (backupId)
        o.insert(u"backup_id"_s, *backupId);
    if (result) {
        o.insert(u"outcome"_s, enumNameString(kApplyOutcomeNames, result->outcome));
        o.insert(u"message"_s, result->message);
        o.insert(u"result"_s, result->toJson());
    }
    return o;
}

ConfigJobs::ConfigJobs(Database *database, AccessGate *gate, LeaseBook *leases, HostLookup lookup, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_gate(gate)
    , m_leases(leases)
    , m_lookup(std::move(lookup))
{
    qRegisterMetaType<boo::ConfigJob>();
}

ConfigJobs::~ConfigJobs()
{
    // The apply jobs are children: they end with this object, releasing their leases.
    for (Live *live : std::as_const(m_live))
        delete live;
}

ConfigJobs::HostLookup ConfigJobs::registryLookup(ProviderRegistry *registry, HostAccess *hosts, const QString &knownHostsFile)
{
    return [registry = QPointer(registry), hosts = QPointer(hosts), knownHostsFile](const QString &id) -> Result<ConfigHost> {
        const auto provider = registry ? registry->provider(id) : std::nullopt;
        if (!provider)
            return makeError(u"config.unknown_host"_s, u"no host \"%1\" in the provider registry"_s.arg(id));
        // The key the connector resolved: the health wait asks the host what it asks.
        const auto endpoint = hosts ? hosts->endpoint(id) : std::nullopt;
        return ConfigHost::fromProvider(*provider, knownHostsFile, endpoint ? endpoint->apiKey() : QString());
    };
}

Result<ConfigHost> ConfigJobs::host(const QString &providerId) const
{
    if (!m_lookup)
        return makeError(u"config.unknown_host"_s, u"no hosts to configure"_s);
    return m_lookup(providerId);
}

void ConfigJobs::read(const ConfigHost &host, QObject *context, ReadDone done)
{
    auto *file = new RemoteConfigFile(host.ssh, host.configPath, this);
    connect(file, &RemoteConfigFile::finished, this,
            [file, context = QPointer(context), hasContext = context != nullptr, done = std::move(done)](const RemoteConfigResult &r) {
                file->deleteLater();
                if (!hasContext || context)
                    done(r);
            });
    file->read();
}

Result<ConfigJob> ConfigJobs::start(const ConfigHost &host, const QByteArray &text, const ConfigApplyOptions &options, Decided decided,
                                    std::optional<qint64> backupId)
{
    for (const Live *live : std::as_const(m_live)) {
        if (live->job.host == host.providerId) {
            return makeError(u"config.running"_s,
                             u"a config %1 of %2 is running (%3): wait for it to end"_s.arg(live->job.kind, host.providerId, live->job.id));
        }
    }
    auto *live = new Live;
    live->job.id = u"config-%1"_s.arg(m_nextId++);
    live->job.host = host.providerId;
    live->job.kind = options.kind;
    live->job.author = options.author;
    live->job.reason = options.reason;
    live->job.force = options.force;
    live->job.backupId = backupId;
    live->job.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    live->decided = std::move(decided);
    live->apply = new ConfigApplyJob(host, m_database, this);
    live->apply->setAccessGate(m_gate, m_leases);
    connect(live->apply, &ConfigApplyJob::stepFinished, this, [this, live](const ApplyStepRecord &step) { onStep(live, step); });
    connect(live->apply, &ConfigApplyJob::finished, this, [this, live](const ConfigApplyResult &result) { onFinished(live, result); });
    m_live << live;
    const ConfigJob started = live->job;
    // An invalid text ends the job inside start(): `live` is gone then.
    live->apply->start(text, options);
    return started;
}

void ConfigJobs::onStep(Live *live, const ApplyStepRecord &step)
{
    live->job.steps << step;
    if (step.step == ApplyStep::Lease && step.ok)
        decide(live);
    Q_EMIT jobChanged(live->job);
}

void ConfigJobs::onFinished(Live *live, const ConfigApplyResult &result)
{
    live->job.state = ConfigJob::State::Finished;
    live->job.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
    live->job.result = result;
    live->job.steps = result.steps;
    decide(live);
    m_live.removeOne(live);
    m_ended.prepend(live->job);
    while (m_ended.size() > kKeepFinished)
        m_ended.removeLast();
    live->apply->deleteLater();
    const ConfigJob ended = live->job;
    delete live;
    Q_EMIT jobChanged(ended);
}

void ConfigJobs::decide(Live *live)
{
    if (!live->decided)
        return;
    const Decided decided = std::exchange(live->decided, {});
    decided(live->job);
}

std::optional<ConfigJob> ConfigJobs::job(const QString &id) const
{
    for (const Live *live : std::as_const(m_live)) {
        if (live->job.id == id)
            return live->job;
    }
    for (const ConfigJob &job : m_ended) {
        if (job.id == id)
            return job;
    }
    return std::nullopt;
}

bool ConfigJobs::isRunning(const QString &providerId) const
{
    return std::any_of(m_live.cbegin(), m_live.cend(), [&](const Live *live) { return live->job.host == providerId; });
}

} // namespace boo
