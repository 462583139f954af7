#include "core/remote/configapplyjob.h"

#include "core/actions/accessgate.h"
#include "core/actions/hostlease.h"
#include "core/actions/leasebook.h"
#include "core/remote/configdiff.h"
#include "core/remote/configvalidator.h"
#include "core/remote/configversionstore.h"
#include "core/remote/yamlconfigreader.h"
#include "core/store/database.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

QJsonArray ConfigApplyResult::stepsJson() const
{
    QJsonArray array;
    for (const ApplyStepRecord &s : steps) {
        array.append(QJsonObject{
            {u"step"_s, enumNameString(kApplyStepNames, s.step)}, {u"ok"_s, s.ok}, {u"message"_s, s.message}, {u"ms"_s, s.elapsedMs}});
    }
    return array;
}

QJsonObject ConfigApplyResult::toJson() const
{
    QJsonObject o{{u"outcome"_s, enumNameString(kApplyOutcomeNames, outcome)},
                  {u"message"_s, message},
                  {u"steps"_s, stepsJson()},
                  {u"valid"_s, report.valid()},
                  {u"findings"_s, report.toJson()},
                  {u"diff"_s, diff},
                  {u"current_sha256"_s, currentSha256},
                  {u"new_sha256"_s, newSha256},
                  {u"host_file_known"_s, hostFileKnown}};
    if (backupId)
        o.insert(u"backup_id"_s, backupId);
    if (!hostBackupPath.isEmpty())
        o.insert(u"host_backup"_s, hostBackupPath);
    if (recordId)
        o.insert(u"record_id"_s, recordId);
    if (!access.isEmpty()) {
        o.insert(u"access"_s, access);
        o.insert(u"forced"_s, forced);
    }
    return o;
}

ConfigApplyJob::ConfigApplyJob(ConfigHost host, Database *database, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_database(database)
    , m_file(m_host.ssh, m_host.configPath)
{
    m_file.setProcessName(m_host.processName);
    connect(&m_file, &RemoteConfigFile::finished, this, &ConfigApplyJob::onFileStep);
    connect(&m_health, &HostHealthWait::finished, this, [this](bool healthy, const QString &message) {
        if (m_waiting == Waiting::Reload)
            afterHealth(healthy, message);
        else
            afterRollbackHealth(healthy, message);
    });
    connect(&m_health, &HostHealthWait::logsMeasured, this, [this](qint64 size) {
        m_logOffset = size;
        m_waiting = Waiting::Backup;
        m_file.backup(QDateTime::currentDateTimeUtc(), m_host.keepBackups);
    });
}

ConfigApplyJob::~ConfigApplyJob()
{
    // A job dropped mid-way (the program quits) still frees the host.
    releaseLease();
}

QStringList ConfigApplyJob::listedModels(const QByteArray &content)
{
    QStringList ids;
    const auto document = YamlConfigReader::read(content);
    if (!document)
        return ids;
    const ConfigNode *models = document->root.child(u"models");
    if (!models || !models->isMap())
        return ids;
    for (const QString &id : models->keys()) {
        const ConfigNode *unlisted = models->child(id)->child(u"unlisted");
        if (!unlisted || unlisted->kind != ConfigNode::Kind::Bool || unlisted->scalar.compare(u"true"_s, Qt::CaseInsensitive) != 0)
            ids << id;
    }
    return ids;
}

void ConfigApplyJob::setAccessGate(AccessGate *gate, LeaseBook *leases)
{
    m_gate = gate;
    m_leases = leases;
    m_gated = gate != nullptr;
}

void ConfigApplyJob::start(const QByteArray &newContent, const ConfigApplyOptions &options)
{
    Q_ASSERT(m_startedAt == 0);
    m_new = newContent;
    m_options = options;
    m_startedAt = nowMs();
    m_result.newSha256 = RemoteConfigFile::sha256(m_new);
    m_stepClock.start();
    validate();
}

void ConfigApplyJob::step(ApplyStep which, bool ok, const QString &message)
{
    ApplyStepRecord record{which, ok, message, m_stepClock.restart()};
    m_result.steps << record;
    Q_EMIT stepFinished(record);
}

void ConfigApplyJob::validate()
{
    const QString fileName = QFileInfo(m_host.configPath).fileName();
    m_result.report = ConfigValidator::validate(m_new, fileName);
    const auto errors = m_result.report.errors().size();
    const auto warnings = m_result.report.warnings().size();
    if (errors && m_options.validationBlocks) {
        step(ApplyStep::Validate, false, tr("%1 error(s), %2 warning(s)").arg(errors).arg(warnings));
        finish(ApplyOutcome::Invalid, tr("llama-swap would refuse this file: %1 error(s); nothing was sent to the host").arg(errors));
        return;
    }
    step(ApplyStep::Validate, true, tr("%1 error(s), %2 warning(s)").arg(errors).arg(warnings));
    m_waiting = Waiting::Read;
    m_file.read();
}

void ConfigApplyJob::onFileStep(const RemoteConfigResult &r)
{
    const Waiting was = m_waiting;
    m_waiting = was == Waiting::Reload || was == Waiting::RollbackReload ? was : Waiting::Nothing;
    switch (was) {
    case Waiting::Read: afterRead(r); return;
    case Waiting::Environment: afterEnvironment(r); return;
    case Waiting::Backup: afterBackup(r); return;
    case Waiting::Write: afterWrite(r); return;
    case Waiting::WriteCheck: afterWriteCheck(r); return;
    case Waiting::Reload: afterReload(r); return;
    case Waiting::Rollback: afterRollbackWrite(r); return;
    case Waiting::RollbackReload: afterRollbackReload(r); return;
    case Waiting::Nothing: return;
    }
}

void ConfigApplyJob::afterRead(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        step(ApplyStep::Read, false, r.message);
        finish(ApplyOutcome::Failed, tr("could not read %1 on the host: %2").arg(m_host.configPath, r.message));
        return;
    }
    m_old = r.content;
    m_result.currentSha256 = r.sha256;
    m_result.diff = ConfigDiff::unified(m_old, m_new, QFileInfo(m_host.configPath).fileName());
    if (!m_options.expectedCurrentSha256.isEmpty() && m_options.expectedCurrentSha256 != r.sha256) {
        step(ApplyStep::Read, false, tr("sha256 %1, the preview was of %2").arg(r.sha256, m_options.expectedCurrentSha256));
        finish(ApplyOutcome::Refused, tr("%1 changed on the host since the preview: review the new difference").arg(m_host.configPath));
        return;
    }
    step(ApplyStep::Read, true, tr("%n byte(s), sha256 %1", nullptr, int(m_old.size())).arg(r.sha256));
    step(ApplyStep::Diff, true,
         m_result.diff.isEmpty() ? tr("no difference") : tr("%n line(s) of diff", nullptr, int(m_result.diff.count(u'\n'))));
    if (m_result.diff.isEmpty() && m_old == m_new) {
        finish(ApplyOutcome::Unchanged, tr("the host's file is already this text: nothing to do"));
        return;
    }
    if (m_options.mode == ConfigApplyOptions::Mode::Preview) {
        finish(ApplyOutcome::Previewed, {});
        return;
    }
    if (ConfigValidator::environmentReferences(m_new).isEmpty()) {
        step(ApplyStep::Environment, true, tr("the file reads no ${env.…}"));
        takeLease();
        return;
    }
    m_waiting = Waiting::Environment;
    m_file.readEnvironment();
}

void ConfigApplyJob::afterEnvironment(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        step(ApplyStep::Environment, false, r.message);
        finish(ApplyOutcome::Failed, tr("could not read the environment of %1 on the host: %2").arg(m_host.processName, r.message));
        return;
    }
    ConfigValidationOptions withHost;
    withHost.hostEnvironment = r.environment;
    const ConfigReport report = ConfigValidator::validate(m_new, QFileInfo(m_host.configPath).fileName(), withHost);
    QStringList unset;
    for (const ConfigFinding &finding : report.errors()) {
        if (finding.rule == u"env-unset"_s)
            unset << finding.message;
    }
    if (!unset.isEmpty() && m_options.validationBlocks) {
        m_result.report = report;
        step(ApplyStep::Environment, false, unset.join(u"; "_s));
        finish(ApplyOutcome::Invalid, tr("the host's llama-swap would refuse this file: %1").arg(unset.constFirst()));
        return;
    }
    step(ApplyStep::Environment, true, tr("every ${env.…} is set on the host"));
    takeLease();
}

void ConfigApplyJob::takeLease()
{
    if (m_gated)
        return takeLeaseThroughGate();
    if (!m_database) {
        step(ApplyStep::Lease, false, tr("no database"));
        finish(ApplyOutcome::Failed, tr("applying a config needs the database (leases and backups)"));
        return;
    }
    const qint64 now = nowMs();
    auto active = HostLease::active(*m_database, now);
    if (!active) {
        step(ApplyStep::Lease, false, active.error().message);
        finish(ApplyOutcome::Failed, active.error().message);
        return;
    }
    for (const HostLease &lease : std::as_const(*active)) {
        if (lease.providerId == m_host.providerId) {
            step(ApplyStep::Lease, false, lease.describe());
            finish(ApplyOutcome::Refused, tr("%1 is held by %2: try again when it is free").arg(m_host.providerId, lease.describe()));
            return;
        }
    }
    HostLease lease;
    lease.providerId = m_host.providerId;
    lease.holder = leaseHolder(m_options.author);
    lease.reason = u"config "_s + m_options.kind;
    lease.grantedAt = now;
    // Long enough for the health wait and a rollback's, so the lease cannot run out mid-way.
    lease.expiresAt = now + qMax<qint64>(m_options.leaseTtlMs, 2 * qint64(m_options.healthTimeoutMs) + 5 * 60 * 1000);
    auto granted = HostLease::grant(*m_database, lease);
    if (!granted) {
        step(ApplyStep::Lease, false, granted.error().message);
        finish(ApplyOutcome::Failed, granted.error().message);
        return;
    }
    m_leaseId = *granted;
    // Two applies that checked at the same moment both hold a lease now: the older one wins,
    // the younger backs off (never check-then-act alone).
    if (auto again = HostLease::active(*m_database, now)) {
        for (const HostLease &other : std::as_const(*again)) {
            if (other.providerId == m_host.providerId && other.id < *m_leaseId) {
                releaseLease();
                step(ApplyStep::Lease, false, other.describe());
                finish(ApplyOutcome::Refused, tr("%1 is held by %2: try again when it is free").arg(m_host.providerId, other.describe()));
                return;
            }
        }
    }
    leaseTaken(lease.holder);
}

void ConfigApplyJob::takeLeaseThroughGate()
{
    if (!m_gate || !m_leases || !m_database) {
        step(ApplyStep::Lease, false, tr("no access gate"));
        finish(ApplyOutcome::Failed, tr("applying a config needs the access gate, the leases and the database (backups)"));
        return;
    }
    HostAccessRequest request;
    request.providerId = m_host.providerId;
    request.holder = leaseHolder(m_options.author);
    request.purpose = u"config "_s + m_options.kind;
    // Long enough for the health wait and a rollback's, so the lease cannot run out mid-way.
    request.ttlMs = qMax<qint64>(m_options.leaseTtlMs, 2 * qint64(m_options.healthTimeoutMs) + 5 * 60 * 1000);
    request.whenBusy = m_options.force ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse;
    auto decision = m_gate->acquireHostAccess(request);
    if (!decision) {
        step(ApplyStep::Lease, false, decision.error().message);
        finish(ApplyOutcome::Failed, decision.error().message);
        return;
    }
    m_result.access = enumNameString(HostAccessDecision::kOutcomeNames, decision->outcome);
    if (!decision->granted()) {
        step(ApplyStep::Lease, false, decision->reason);
        QString message = tr("%1 was not taken: %2").arg(m_host.providerId, decision->reason);
        if (decision->outcome == HostAccessDecision::Outcome::Busy)
            message += tr(" (force applies anyway, and is recorded as forced)");
        finish(ApplyOutcome::Refused, message);
        return;
    }
    m_leaseId = decision->lease->id;
    // The gate does not refuse a holder its own lease: two applies by one author that asked at
    // the same moment (or from two processes) both hold one now. The older lease wins.
    if (auto again = m_leases->active()) {
        for (const HostLease &other : std::as_const(*again)) {
            if (other.providerId == m_host.providerId && other.id < *m_leaseId) {
                releaseLease();
                m_result.access = enumNameString(HostAccessDecision::kOutcomeNames, HostAccessDecision::Outcome::Leased);
                step(ApplyStep::Lease, false, other.describe());
                finish(ApplyOutcome::Refused, tr("%1 is held by %2: try again when it is free").arg(m_host.providerId, other.describe()));
                return;
            }
        }
    }
    m_result.forced = decision->forced;
    leaseTaken(request.holder);
}

void ConfigApplyJob::leaseTaken(const QString &holder)
{
    step(ApplyStep::Lease, true, tr("lease %1 held as %2").arg(*m_leaseId).arg(holder));
    // The log's size now, so that a refused reload's line can be told from old ones.
    m_health.measureLogs(m_host.baseUrl, m_host.apiKey);
}

void ConfigApplyJob::afterBackup(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        step(ApplyStep::Backup, false, r.message);
        finish(ApplyOutcome::Failed, tr("could not back up %1 on the host (nothing was written): %2").arg(m_host.configPath, r.message));
        return;
    }
    m_result.hostBackupPath = r.backupPath;
    ConfigVersion version;
    version.providerId = m_host.providerId;
    version.configPath = m_host.configPath;
    version.ts = nowMs();
    version.sha256 = m_result.currentSha256;
    version.content = m_old;
    version.author = m_options.author;
    version.reason = m_options.reason;
    version.hostBackupPath = r.backupPath;
    auto saved = ConfigVersionStore::saveVersion(*m_database, version);
    if (!saved) {
        step(ApplyStep::Backup, false, saved.error().message);
        finish(ApplyOutcome::Failed, tr("could not keep the backup in the database (nothing was written): %1").arg(saved.error().message));
        return;
    }
    m_result.backupId = *saved;
    step(ApplyStep::Backup, true, tr("%1 on the host, version %2 in the database").arg(r.backupPath).arg(*saved));
    m_waiting = Waiting::Write;
    m_file.write(m_new, m_result.currentSha256);
}

void ConfigApplyJob::afterWrite(const RemoteConfigResult &r)
{
    if (r.changedSinceRead) {
        step(ApplyStep::Write, false, r.message);
        finish(ApplyOutcome::Refused, r.message);
        return;
    }
    if (r.failure == SshFailure::CommandFailed) {
        // The script failed before its rename: the file is as it was.
        step(ApplyStep::Write, false, r.message);
        finish(ApplyOutcome::Failed, tr("could not write %1 on the host; it is unchanged: %2").arg(m_host.configPath, r.message));
        return;
    }
    if (!r.ok()) {
        // The connection failed: the rename may or may not have happened. Look.
        step(ApplyStep::Write, false, r.message);
        m_waiting = Waiting::WriteCheck;
        m_file.read();
        return;
    }
    step(ApplyStep::Write, true, tr("sha256 %1").arg(r.sha256));
    reload();
}

void ConfigApplyJob::afterWriteCheck(const RemoteConfigResult &r)
{
    if (r.ok() && r.sha256 == m_result.currentSha256) {
        step(ApplyStep::Write, false, tr("the host's file is unchanged"));
        finish(ApplyOutcome::Failed, tr("the connection failed while writing; %1 is unchanged").arg(m_host.configPath));
    } else if (r.ok() && r.sha256 == m_result.newSha256) {
        step(ApplyStep::Write, true, tr("the new file is in place although the connection failed"));
        reload();
    } else {
        m_result.hostFileKnown = false;
        step(ApplyStep::Write, false,
             r.ok() ? tr("the host's file is neither the old nor the new text (sha256 %1)").arg(r.sha256) : r.message);
        finish(ApplyOutcome::Failed,
               tr("the connection failed while writing and the host's file could not be checked: look at %1 (backup %2)")
                   .arg(m_host.configPath, m_result.hostBackupPath));
    }
}

void ConfigApplyJob::reload()
{
    m_waiting = Waiting::Reload;
    m_file.reload(m_host.reload);
}

void ConfigApplyJob::afterReload(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        step(ApplyStep::Reload, false, r.message);
        rollback(tr("the reload failed: %1").arg(r.message));
        return;
    }
    step(ApplyStep::Reload, true, enumNameString(kReloadKindNames, m_host.reload.kind));
    waitHealthy(listedModels(m_new));
}

void ConfigApplyJob::waitHealthy(const QStringList &models)
{
    HostHealthCheck check;
    check.baseUrl = m_host.baseUrl;
    check.apiKey = m_host.apiKey;
    check.expectedModels = models;
    // The rollback's wait ignores the log: the refusal that caused it is in there already.
    check.logOffset = m_waiting == Waiting::Reload ? m_logOffset : -1;
    check.timeoutMs = m_options.healthTimeoutMs;
    check.settleMs = m_options.settleMs;
    m_health.start(check);
}

void ConfigApplyJob::afterHealth(bool healthy, const QString &message)
{
    m_waiting = Waiting::Nothing;
    if (healthy) {
        step(ApplyStep::Health, true, tr("healthy, %n model(s) listed", nullptr, int(listedModels(m_new).size())));
        finish(ApplyOutcome::Applied, tr("applied: %1 is healthy with the new config").arg(m_host.providerId));
        return;
    }
    step(ApplyStep::Health, false, message);
    rollback(message);
}

void ConfigApplyJob::rollback(const QString &why)
{
    m_rollbackReason = why;
    m_waiting = Waiting::Rollback;
    m_file.write(m_old, m_result.newSha256);
}

void ConfigApplyJob::afterRollbackWrite(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        m_result.hostFileKnown = false;
        step(ApplyStep::Rollback, false, r.message);
        finish(ApplyOutcome::RollbackFailed,
               tr("not applied (%1), and putting the old file back failed: %2; the backup is %3 (version %4)")
                   .arg(m_rollbackReason, r.message, m_result.hostBackupPath)
                   .arg(m_result.backupId));
        return;
    }
    step(ApplyStep::Rollback, true, tr("the old file is back (sha256 %1)").arg(m_result.currentSha256));
    m_waiting = Waiting::RollbackReload;
    m_file.reload(m_host.reload);
}

void ConfigApplyJob::afterRollbackReload(const RemoteConfigResult &r)
{
    if (!r.ok()) {
        m_waiting = Waiting::Nothing;
        step(ApplyStep::RollbackReload, false, r.message);
        finish(ApplyOutcome::RollbackFailed,
               tr("not applied (%1); the old file is back but reloading it failed: %2").arg(m_rollbackReason, r.message));
        return;
    }
    step(ApplyStep::RollbackReload, true, enumNameString(kReloadKindNames, m_host.reload.kind));
    waitHealthy(listedModels(m_old));
}

void ConfigApplyJob::afterRollbackHealth(bool healthy, const QString &message)
{
    m_waiting = Waiting::Nothing;
    step(ApplyStep::RollbackHealth, healthy, message);
    if (healthy)
        finish(ApplyOutcome::RolledBack, tr("not applied: %1; the old config is back and the host is healthy").arg(m_rollbackReason));
    else
        finish(ApplyOutcome::RollbackFailed,
               tr("not applied: %1; the old file is back but the host is not healthy with it either: %2").arg(m_rollbackReason, message));
}

void ConfigApplyJob::releaseLease()
{
    if (m_leaseId && m_gated && m_leases)
        (void)m_leases->release(*m_leaseId);
    else if (m_leaseId && m_database)
        (void)HostLease::release(*m_database, *m_leaseId, nowMs());
    m_leaseId.reset();
}

void ConfigApplyJob::finish(ApplyOutcome outcome, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    releaseLease();
    m_result.outcome = outcome;
    m_result.message = message;
    if (m_database && m_options.mode == ConfigApplyOptions::Mode::Apply) {
        ConfigApplyRecord record;
        record.providerId = m_host.providerId;
        record.kind = m_options.kind;
        record.startedAt = m_startedAt;
        record.finishedAt = nowMs();
        record.author = m_options.author;
        record.reason = m_options.reason;
        record.outcome = enumNameString(kApplyOutcomeNames, outcome);
        record.oldSha256 = m_result.currentSha256;
        record.newSha256 = m_result.newSha256;
        if (m_result.backupId)
            record.backupId = m_result.backupId;
        record.message = message;
        record.steps = m_result.stepsJson();
        if (auto id = ConfigVersionStore::recordApply(*m_database, record))
            m_result.recordId = *id;
    }
    Q_EMIT finished(m_result);
}

} // namespace boo
