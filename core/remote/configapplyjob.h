#pragma once

#include "core/common/enumnames.h"
#include "core/remote/configfinding.h"
#include "core/remote/confighost.h"
#include "core/remote/hosthealthwait.h"
#include "core/remote/remoteconfigfile.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>
#include <optional>

namespace boo {

class AccessGate;
class Database;
class LeaseBook;

struct ConfigApplyOptions
{
    enum class Mode {
        Preview, // validate, read, diff; nothing changes
        Apply,   // the whole pipeline
    };
    Mode mode = Mode::Apply;
    QString kind = QStringLiteral("apply"); // "apply" | "restore": recorded
    QString author;
    QString reason;
    // The SHA-256 of the host's file the operator saw in the preview: the apply refuses if the
    // file is different now (the confirmation token of the API, the command line's question).
    QString expectedCurrentSha256;
    // A restore puts back a file that ran before: validation errors are shown, not a stop.
    bool validationBlocks = true;
    int healthTimeoutMs = 60000;
    int settleMs = 2000;
    qint64 leaseTtlMs = 10 * 60 * 1000;
    // Through the AccessGate (setAccessGate): take the host even while it serves requests (the
    // operator said so: --force, "force": true). Another holder's lease is never overridden.
    bool force = false;
};

enum class ApplyStep { Validate, Read, Diff, Environment, Lease, Backup, Write, Reload, Health, Rollback, RollbackReload, RollbackHealth };
inline constexpr EnumName<ApplyStep> kApplyStepNames[] = {
    {ApplyStep::Validate, u"validate"},
    {ApplyStep::Read, u"read"},
    {ApplyStep::Diff, u"diff"},
    {ApplyStep::Environment, u"environment"},
    {ApplyStep::Lease, u"lease"},
    {ApplyStep::Backup, u"backup"},
    {ApplyStep::Write, u"write"},
    {ApplyStep::Reload, u"reload"},
    {ApplyStep::Health, u"health"},
    {ApplyStep::Rollback, u"rollback"},
    {ApplyStep::RollbackReload, u"rollback-reload"},
    {ApplyStep::RollbackHealth, u"rollback-health"},
};

enum class ApplyOutcome {
    Previewed,      // Preview mode: the diff is ready
    Unchanged,      // the host's file is already this text: nothing done
    Invalid,        // the validator (or the host's environment) refuses the text
    Refused,        // the host is held (a lease) or the file is not the one previewed
    Failed,         // a step before the write failed: the host's file is as it was
    Applied,        // written, reloaded, healthy
    RolledBack,     // written, not healthy: the old file is back and the host healthy with it
    RollbackFailed, // written, not healthy, and putting the old file back failed too
};
inline constexpr EnumName<ApplyOutcome> kApplyOutcomeNames[] = {
    {ApplyOutcome::Previewed, u"previewed"},    {ApplyOutcome::Unchanged, u"unchanged"},
    {ApplyOutcome::Invalid, u"invalid"},        {ApplyOutcome::Refused, u"refused"},
    {ApplyOutcome::Failed, u"failed"},          {ApplyOutcome::Applied, u"applied"},
    {ApplyOutcome::RolledBack, u"rolled-back"}, {ApplyOutcome::RollbackFailed, u"rollback-failed"},
};

struct ApplyStepRecord
{
    ApplyStep step = ApplyStep::Validate;
    bool ok = false;
    QString message;
    qint64 elapsedMs = 0;
};

struct ConfigApplyResult
{
    ApplyOutcome outcome = ApplyOutcome::Failed;
    QString message; // one sentence for the operator
    QList<ApplyStepRecord> steps;
    ConfigReport report;
    QString diff;
    QString currentSha256; // the host's file as read
    QString newSha256;
    qint64 backupId = 0; // config_versions row of the replaced file
    QString hostBackupPath;
    qint64 recordId = 0; // config_applies row
    // The AccessGate's answer when it was asked ("granted", "busy", "leased", "unavailable").
    QString access;
    bool forced = false; // granted over live traffic

    // False only when the file on the host may be neither the old nor the new text, or is the
    // new one after a failed rollback: then a person must look.
    bool hostFileKnown = true;

    bool succeeded() const
    {
        return outcome == ApplyOutcome::Applied || outcome == ApplyOutcome::Previewed || outcome == ApplyOutcome::Unchanged;
    }
    QJsonArray stepsJson() const;
    QJsonObject toJson() const;
};

// A config change on one llama-swap host as a deploy (docs/remote.md, issue 14):
//   validate (errors stop it) → read the host's file → diff → check ${env.NAME} against the
//   running llama-swap's environment → take the host (a lease, so nothing else swaps models
//   meanwhile; a second apply to the same host is refused) → back up the file on the host
//   (timestamped, newest N kept) and in the database → write atomically (temp file, checked,
//   renamed) → reload → wait for /health, every model of the new file on /v1/models and no
//   `failed to reload config` in /logs → if not healthy in time: put the old file back, reload,
//   wait again, and say why.
// Every step's outcome is in the result and recorded in config_applies. One run per object.
class ConfigApplyJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigApplyJob)

public:
    ConfigApplyJob(ConfigHost host, Database *database, QObject *parent = nullptr);
    ~ConfigApplyJob() override;

    // The host is taken through the gate (its traffic and everyone's leases, the decision
    // recorded) rather than by a lease of the job's own: what --serve and the command line do.
    // Without a gate the job leases the host directly in `database`.
    void setAccessGate(AccessGate *gate, LeaseBook *leases);
    void start(const QByteArray &newContent, const ConfigApplyOptions &options);
    const ConfigApplyResult &result() const { return m_result; }

    // The ids of the models /v1/models lists for this config text: `models` keys not unlisted.
    static QStringList listedModels(const QByteArray &content);
    static QString leaseHolder(const QString &author) { return QStringLiteral("config:") + author; }

Q_SIGNALS:
    void stepFinished(const boo::ApplyStepRecord &step);
    void finished(const boo::ConfigApplyResult &result);

private:
    void onFileStep(const RemoteConfigResult &r);
    void validate();
    void afterRead(const RemoteConfigResult &r);
    void afterEnvironment(const RemoteConfigResult &r);
    void takeLease();
    void takeLeaseThroughGate();
    void leaseTaken(const QString &holder);
    void afterBackup(const RemoteConfigResult &r);
    void afterWrite(const RemoteConfigResult &r);
    void afterWriteCheck(const RemoteConfigResult &r);
    void reload();
    void afterReload(const RemoteConfigResult &r);
    void afterHealth(bool healthy, const QString &message);
    void rollback(const QString &why);
    void afterRollbackWrite(const RemoteConfigResult &r);
    void afterRollbackReload(const RemoteConfigResult &r);
    void afterRollbackHealth(bool healthy, const QString &message);
    void waitHealthy(const QStringList &models);

    void step(ApplyStep which, bool ok, const QString &message = {});
    void finish(ApplyOutcome outcome, const QString &message);
    void releaseLease();

    ConfigHost m_host;
    Database *m_database;
    ConfigApplyOptions m_options;
    RemoteConfigFile m_file;
    HostHealthWait m_health;
    QByteArray m_new;
    QByteArray m_old;
    QString m_rollbackReason;
    enum class Waiting { Nothing, Read, Environment, Backup, Write, WriteCheck, Reload, Rollback, RollbackReload };
    Waiting m_waiting = Waiting::Nothing;
    QPointer<AccessGate> m_gate;
    QPointer<LeaseBook> m_leases;
    bool m_gated = false;
    std::optional<qint64> m_leaseId;
    qint64 m_logOffset = -1;
    qint64 m_startedAt = 0;
    QElapsedTimer m_stepClock;
    ConfigApplyResult m_result;
    bool m_done = false;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ConfigApplyResult)
Q_DECLARE_METATYPE(boo::ApplyStepRecord)
