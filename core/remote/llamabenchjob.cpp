#include "core/remote/llamabenchjob.h"

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/actions/leasekeeper.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Long enough that a heartbeat every third of it never races a slow database.
constexpr qint64 kLeaseTtlMs = 120'000;
// What a shell says when the program is not there.
constexpr int kCommandNotFound = 127;

QString tail(const QByteArray &bytes, int lines)
{
    const QStringList all = QString::fromUtf8(bytes).trimmed().split(u'\n');
    return all.mid(qMax(0, int(all.size()) - lines)).join(u'\n');
}

} // namespace

LlamaBenchJob::LlamaBenchJob(ConfigHost host, AccessGate *gate, LeaseBook *leases, Database *database, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_gate(gate)
    , m_leases(leases)
    , m_database(database)
{
}

LlamaBenchJob::~LlamaBenchJob()
{
    // A job dropped mid-way (the program quits) kills llama-bench (the runner) and frees the host.
    m_runner.reset();
    if (m_keeper)
        m_keeper->release();
}

void LlamaBenchJob::start(const LlamaBenchOptions &options)
{
    m_options = options;
    m_result.run.providerId = m_host.providerId;
    m_result.run.model = options.model;
    m_result.run.startedAt = QDateTime::currentMSecsSinceEpoch();
    if (!options.modelPath.isEmpty()) {
        LlamaBenchPlan plan;
        plan.modelPath = options.modelPath;
        withPlan(plan);
        return;
    }
    if (options.model.isEmpty()) {
        finish(LlamaBenchOutcome::Failed, tr("name a model of the host's config or a model file on the host"));
        return;
    }
    if (m_host.configPath.isEmpty()) {
        finish(LlamaBenchOutcome::Failed,
               tr("%1 has no config path to read the model's cmd from: give the model file").arg(m_host.providerId));
        return;
    }
    m_file = std::make_unique<RemoteConfigFile>(m_host.ssh, m_host.configPath);
    connect(m_file.get(), &RemoteConfigFile::finished, this, &LlamaBenchJob::afterConfigRead);
    m_file->read();
}

void LlamaBenchJob::afterConfigRead(const RemoteConfigResult &read)
{
    if (!read.ok()) {
        finish(LlamaBenchOutcome::Failed, tr("could not read %1 on the host: %2").arg(m_host.configPath, read.message));
        return;
    }
    auto plan = LlamaBenchPlan::fromConfig(read.content, m_options.model);
    if (!plan) {
        finish(LlamaBenchOutcome::Failed, plan.error().message);
        return;
    }
    withPlan(*plan);
}

void LlamaBenchJob::withPlan(LlamaBenchPlan plan)
{
    if (!m_options.flags.trimmed().isEmpty()) {
        auto words = LlamaBenchPlan::splitWords(m_options.flags);
        if (!words) {
            finish(LlamaBenchOutcome::Failed, words.error().message);
            return;
        }
        // The operator's flags replace those of cmd: llama-bench runs every value of a flag
        // given twice, so keeping both would double the tests.
        plan.flags = *words;
    }
    if (!m_options.program.isEmpty())
        plan.program = m_options.program;
    m_result.plan = plan;
    m_result.run.modelPath = plan.modelPath;
    m_result.run.command = plan.shellCommand();

    if (!m_gate || !m_leases) {
        finish(LlamaBenchOutcome::Failed, tr("no access gate: a host is never measured without its lease"));
        return;
    }
    HostAccessRequest request;
    request.providerId = m_host.providerId;
    request.model = m_options.model;
    request.holder = m_options.holder;
    request.purpose = u"llama-bench"_s;
    request.ttlMs = kLeaseTtlMs;
    request.whenBusy = m_options.force ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse;
    auto decision = m_gate->acquireHostAccess(request);
    if (!decision) {
        finish(LlamaBenchOutcome::Failed, decision.error().message);
        return;
    }
    if (!decision->granted()) {
        finish(LlamaBenchOutcome::Refused, decision->reason);
        return;
    }
    m_result.run.forced = decision->forced;
    m_keeper = new LeaseKeeper(m_leases, *decision->lease, kLeaseTtlMs, this);
    connect(m_keeper, &LeaseKeeper::lost, this, [this](const QString &reason) {
        // An operator took the host back: llama-bench stops with the ssh client.
        m_runner.reset();
        finish(LlamaBenchOutcome::Failed, tr("the lease on %1 ended under the run: %2").arg(m_host.providerId, reason));
    });

    SshSettings settings = m_host.ssh;
    settings.commandTimeoutMs = m_options.timeoutMs;
    m_runner = std::make_unique<SshRunner>(settings);
    connect(m_runner.get(), &SshRunner::finished, this, &LlamaBenchJob::afterRun);
    m_runner->run(m_result.run.command);
}

void LlamaBenchJob::afterRun(const SshResult &ssh)
{
    const LlamaBenchOutput parsed = LlamaBenchParser::parse(ssh.out);
    m_result.run.records = parsed.records;
    m_result.run.problems = parsed.problems;
    m_result.stderrTail = tail(ssh.err, 5);
    if (ssh.failure == SshFailure::CommandFailed && ssh.exitCode == kCommandNotFound) {
        finish(LlamaBenchOutcome::Failed,
               tr("%1 was not found on the host: install llama-bench there or give its path").arg(m_result.plan.program));
        return;
    }
    if (!ssh.ok()) {
        finish(LlamaBenchOutcome::Failed, ssh.message);
        return;
    }
    if (parsed.records.isEmpty()) {
        finish(LlamaBenchOutcome::Empty,
               tr("llama-bench printed no result (%n line(s) not understood)", nullptr, int(parsed.problems.size())));
        return;
    }
    finish(LlamaBenchOutcome::Done, {});
}

void LlamaBenchJob::finish(LlamaBenchOutcome outcome, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    if (m_keeper)
        m_keeper->release();
    m_result.outcome = outcome;
    m_result.run.outcome = enumNameString(kLlamaBenchOutcomeNames, outcome);
    m_result.run.message = message;
    m_result.run.finishedAt = QDateTime::currentMSecsSinceEpoch();
    // A refusal measured nothing and the gate recorded it already; everything else is a run.
    if (m_database && outcome != LlamaBenchOutcome::Refused) {
        auto stored = LlamaBenchStore::save(*m_database, m_result.run);
        if (stored) {
            m_result.run.id = *stored;
        } else if (outcome == LlamaBenchOutcome::Done) {
            m_result.outcome = LlamaBenchOutcome::Failed;
            m_result.run.outcome = enumNameString(kLlamaBenchOutcomeNames, m_result.outcome);
            m_result.run.message = tr("the results could not be stored: %1").arg(stored.error().message);
        }
    }
    Q_EMIT finished(m_result);
}

} // namespace boo
