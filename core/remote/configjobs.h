#pragma once

#include "core/common/result.h"
#include "core/remote/configapplyjob.h"
#include "core/remote/confighost.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace boo {

class AccessGate;
class Database;
class HostAccess;
class LeaseBook;
class ProviderRegistry;

// A config apply or restore started inside a running program (the `--serve` API): where it is
// and, once it ended, what became of it. Ids are the process's own ("config-3").
struct ConfigJob
{
    enum class State { Running, Finished };
    static constexpr EnumName<State> kStateNames[] = {{State::Running, u"running"}, {State::Finished, u"finished"}};

    QString id;
    QString host;
    QString kind; // "apply" | "restore"
    QString author;
    QString reason;
    bool force = false;
    std::optional<qint64> backupId; // a restore: the version put back
    State state = State::Running;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QList<ApplyStepRecord> steps;
    std::optional<ConfigApplyResult> result;

    // {"id","host","kind","author","reason","force","backup_id"?,"state","started_at",
    //  "finished_at","steps":[{"step","ok","message","ms"}],"outcome"?,"message"?,"result"?}
    QJsonObject toJson() const;
};

// The config changes of one process, one at a time per host (a second apply to a host whose
// change is still running is refused, "config.running"): each a ConfigApplyJob that takes the
// host through the AccessGate, announced step by step (jobChanged) for the WebSocket feed. Also
// the one read of a host's file the API answers GET …/config and …/diff with. Everything over
// SSH runs in ssh client processes: nothing here waits on a host.
class ConfigJobs final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kKeepFinished = 20;

    // The host's config settings by provider id. Errors: "config.unknown_host" (no such
    // provider), "remote.settings" (one without usable "ssh" settings).
    using HostLookup = std::function<Result<ConfigHost>(const QString &providerId)>;
    // Called once per job: when it holds the host and is about to change the file, or when it
    // ended before that (invalid, refused, failed, unchanged).
    using Decided = std::function<void(const ConfigJob &job)>;
    using ReadDone = std::function<void(const RemoteConfigResult &result)>;

    ConfigJobs(Database *database, AccessGate *gate, LeaseBook *leases, HostLookup lookup, QObject *parent = nullptr);
    ~ConfigJobs() override;
    Q_DISABLE_COPY_MOVE(ConfigJobs)

    // The providers of `registry` with their "ssh" settings, the API key the connector uses (from
    // `hosts`, may be null) and BooControl's known_hosts file.
    static HostLookup registryLookup(ProviderRegistry *registry, HostAccess *hosts, const QString &knownHostsFile);

    Result<ConfigHost> host(const QString &providerId) const;
    Database *database() const { return m_database; }
    // Reads the host's file; `done` runs on this object's thread unless `context` is gone.
    void read(const ConfigHost &host, QObject *context, ReadDone done);
    // Starts an apply (options.kind "apply" or "restore"). Fails with "config.running" while a
    // change to the same host runs.
    Result<ConfigJob> start(const ConfigHost &host, const QByteArray &text, const ConfigApplyOptions &options, Decided decided,
                            std::optional<qint64> backupId = std::nullopt);
    std::optional<ConfigJob> job(const QString &id) const;
    bool isRunning(const QString &providerId) const;

Q_SIGNALS:
    // After every step, and when the job ends.
    void jobChanged(const boo::ConfigJob &job);

private:
    struct Live;
    void onStep(Live *live, const ApplyStepRecord &step);
    void onFinished(Live *live, const ConfigApplyResult &result);
    void decide(Live *live);

    Database *m_database;
    QPointer<AccessGate> m_gate;
    QPointer<LeaseBook> m_leases;
    HostLookup m_lookup;
    QList<Live *> m_live;
    QList<ConfigJob> m_ended;
    int m_nextId = 1;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ConfigJob)
