// llama-bench over SSH against the real sshd on loopback (tests/remote/testsshd.h): stand-in
// llama-bench scripts on the "host" print JSON lines shaped like llama-bench's (the fixture in
// tests/data/llamabench), fail, hang or are missing; the host is held through a real AccessGate
// and LeaseBook on SQLite, and the runs are stored (migration 12) on SQLite and, with
// BOO_TEST_PG, on Postgres.

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/fleet/fleetstate.h"
#include "core/remote/hostkeytrust.h"
#include "core/remote/llamabenchjob.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"
#include "testsshd.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

QByteArray fixture()
{
    QFile file(QFINDTESTDATA("../data/llamabench/rtx4090-qwen3-8b.jsonl"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeExecutable(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return false;
    file.close();
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

// A stand-in llama-bench: keeps its arguments (one per line) beside itself, prints `out` on
// stdout and `err` on stderr, then exits with `exitCode`.
QByteArray standin(const QByteArray &out, const QByteArray &err = {}, int exitCode = 0, const QByteArray &before = {})
{
    return "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args.txt\"\n" + before + "cat <<'BOO_OUT'\n" + out + "BOO_OUT\n"
        + (err.isEmpty() ? QByteArray() : "echo '" + err + "' >&2\n") + "exit " + QByteArray::number(exitCode) + "\n";
}

LlamaBenchResult runJob(LlamaBenchJob &job, const LlamaBenchOptions &options)
{
    LlamaBenchResult result;
    result.run.message = u"no answer"_s;
    bool done = false;
    QEventLoop loop;
    QObject::connect(&job, &LlamaBenchJob::finished, &loop, [&](const LlamaBenchResult &r) {
        result = r;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(90000, &loop, &QEventLoop::quit);
    job.start(options); // a refusal answers at once
    if (!done)
        loop.exec();
    return result;
}

QString describe(const LlamaBenchResult &r)
{
    return enumNameString(kLlamaBenchOutcomeNames, r.outcome) + u": "_s + r.run.message + u" | "_s + r.stderrTail;
}

} // namespace

class TestLlamaBenchJob : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;
    SshSettings m_settings;
    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FleetState> m_fleet;
    std::unique_ptr<LeaseBook> m_leases;
    std::unique_ptr<AccessGate> m_gate;

    ConfigHost host(const QString &configPath = {}) const
    {
        ConfigHost h;
        h.providerId = u"gpu1"_s;
        h.ssh = m_settings;
        h.configPath = configPath;
        return h;
    }

    QString args(const QString &dir) const
    {
        QFile file(m_sshd.path(dir + u"/args.txt"_s));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    qint64 activeLeases() const
    {
        auto active = m_leases->active();
        return active ? active->size() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_sshd.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        m_settings = m_sshd.settings();
        const QString untrusted = m_sshd.trustHostKey(m_settings.knownHostsFile);
        QVERIFY2(untrusted.isEmpty(), qPrintable(untrusted));

        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        auto db = Database::open(m_tdb->url(), u"test"_s);
        QVERIFY(db);
        QVERIFY(Migrations::migrate(**db));
        m_db = std::move(db).value();
        // The host as the gate sees it: watched, connected, quiet.
        m_fleet = std::make_unique<FleetState>();
        m_fleet->addHost(u"gpu1"_s, u"gpu1"_s, u"http://127.0.0.1:1"_s);
        m_fleet->setLiveness(u"gpu1"_s, Liveness::Connected, QDateTime::currentMSecsSinceEpoch());
        m_leases = std::make_unique<LeaseBook>(m_db.get());
        m_gate = std::make_unique<AccessGate>(m_fleet.get(), m_leases.get(), m_db.get());
    }

    void init() { QCOMPARE(activeLeases(), 0); }

    void planFromHostConfigRunsAndStores()
    {
        const QString bin = m_sshd.path(u"cfg/bin"_s);
        QVERIFY(writeExecutable(bin + u"/llama-server"_s, "#!/bin/sh\nexit 1\n"));
        QVERIFY(writeExecutable(bin + u"/llama-bench"_s, standin(fixture())));
        const QString config = m_sshd.path(u"cfg/config.yaml"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("macros:\n  bin: " + bin.toUtf8()
                   + "\nmodels:\n  qwen3-8b:\n    cmd: >\n      ${bin}/llama-server --port ${PORT}\n"
                     "      -m /models/Qwen3-8B-Q4_K_M.gguf -ngl 99 -fa on -c 16384\n");
        file.close();

        LlamaBenchJob job(host(config), m_gate.get(), m_leases.get(), m_db.get());
        LlamaBenchOptions options;
        options.model = u"qwen3-8b"_s;
        // While it runs the host is held: a second holder is refused.
        bool heldDuring = false;
        QTimer probe;
        connect(&probe, &QTimer::timeout, this, [&] {
            if (activeLeases() == 1)
                heldDuring = true;
        });
        probe.start(20);
        const LlamaBenchResult result = runJob(job, options);
        probe.stop();
        QVERIFY2(result.outcome == LlamaBenchOutcome::Done, qPrintable(describe(result)));
        QVERIFY(heldDuring);
        QCOMPARE(activeLeases(), 0);
        QCOMPARE(result.plan.program, bin + u"/llama-bench"_s);
        QCOMPARE(args(u"cfg/bin"_s).split(u'\n', Qt::SkipEmptyParts),
                 (QStringList{u"-m"_s, u"/models/Qwen3-8B-Q4_K_M.gguf"_s, u"-ngl"_s, u"99"_s, u"-fa"_s, u"on"_s, u"-o"_s, u"jsonl"_s}));
        QCOMPARE(result.run.records.size(), 2);
        QVERIFY(result.run.problems.isEmpty());
        QVERIFY(!result.run.forced);
        QVERIFY(result.run.id > 0);

        const auto stored = LlamaBenchStore::load(*m_db, result.run.id);
        QVERIFY(stored);
        QCOMPARE(stored->outcome, u"done"_s);
        QCOMPARE(stored->model, u"qwen3-8b"_s);
        QCOMPARE(stored->modelPath, u"/models/Qwen3-8B-Q4_K_M.gguf"_s);
        QCOMPARE(stored->records.size(), 2);
        QCOMPARE(stored->records.at(1).testName(), u"tg128"_s);
        QCOMPARE(stored->records.at(1).avgTs, 141.376514);
        QCOMPARE(stored->records.at(0).raw, result.run.records.at(0).raw);
        const auto listed = LlamaBenchStore::results(*m_db, u"gpu1"_s, u"qwen3-8b"_s, 10);
        QVERIFY(listed);
        QCOMPARE(listed->size(), 2);
        QCOMPARE(listed->first().runId, result.run.id);
        // The gate recorded its decision.
        auto decisions = m_gate->recentDecisions(1);
        QVERIFY(decisions && !decisions->isEmpty());
        QCOMPARE(decisions->first().value(u"purpose"_s).toString(), u"llama-bench"_s);
    }

    void operatorPathAndFlags()
    {
        const QString dir = u"op"_s;
        QVERIFY(writeExecutable(m_sshd.path(dir + u"/llama-bench"_s), standin(fixture())));
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.modelPath = u"/data/my model.gguf"_s;
        options.flags = u"-p 256 -n 64 -ngl '10,20'"_s;
        options.program = m_sshd.path(dir + u"/llama-bench"_s);
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Done, qPrintable(describe(result)));
        QCOMPARE(result.run.id, 0); // no database: not stored
        QCOMPARE(args(dir).split(u'\n', Qt::SkipEmptyParts),
                 (QStringList{u"-m"_s, u"/data/my model.gguf"_s, u"-p"_s, u"256"_s, u"-n"_s, u"64"_s, u"-ngl"_s, u"10,20"_s, u"-o"_s,
                              u"jsonl"_s}));
    }

    void malformedLineIsReported()
    {
        const QByteArray lines = fixture().split('\n').first() + "\nnot json at all\n{\"n_prompt\": 0, \"n_gen\": 1\n";
        QVERIFY(writeExecutable(m_sshd.path(u"bad/llama-bench"_s), standin(lines)));
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), m_db.get());
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"bad/llama-bench"_s);
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Done, qPrintable(describe(result)));
        QCOMPARE(result.run.records.size(), 1);
        QCOMPARE(result.run.problems.size(), 2);
        QCOMPARE(result.run.problems.at(0).line, 2);
        QCOMPARE(result.run.problems.at(1).line, 3);
        const auto stored = LlamaBenchStore::load(*m_db, result.run.id);
        QVERIFY(stored);
        QCOMPARE(stored->problems.size(), 2);
        QCOMPARE(stored->problems.at(0).line, 2);
    }

    void nonZeroExitFails()
    {
        QVERIFY(writeExecutable(m_sshd.path(u"exit/llama-bench"_s),
                                standin(fixture().split('\n').first() + "\n", "error: failed to load model '/m.gguf'", 1)));
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), m_db.get());
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"exit/llama-bench"_s);
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Failed, qPrintable(describe(result)));
        QVERIFY2(result.run.message.contains(u"failed to load model"_s), qPrintable(result.run.message));
        QCOMPARE(result.run.records.size(), 1); // what it printed before failing is kept
        const auto stored = LlamaBenchStore::load(*m_db, result.run.id);
        QVERIFY(stored);
        QCOMPARE(stored->outcome, u"failed"_s);
        QCOMPARE(activeLeases(), 0);
    }

    void emptyOutput()
    {
        QVERIFY(writeExecutable(m_sshd.path(u"empty/llama-bench"_s), standin("main: no tests\n")));
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"empty/llama-bench"_s);
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Empty, qPrintable(describe(result)));
        QCOMPARE(result.run.problems.size(), 1);
    }

    void missingBinary()
    {
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"nowhere/llama-bench"_s);
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Failed, qPrintable(describe(result)));
        QVERIFY2(result.run.message.contains(u"not found on the host"_s), qPrintable(result.run.message));
        QCOMPARE(activeLeases(), 0);
    }

    void timeoutStopsTheRun()
    {
        QVERIFY(writeExecutable(m_sshd.path(u"slow/llama-bench"_s), "#!/bin/sh\nexec sleep 20\n"));
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"slow/llama-bench"_s);
        options.timeoutMs = 3000;
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Failed, qPrintable(describe(result)));
        QVERIFY(result.run.finishedAt - result.run.startedAt < 15000);
        QCOMPARE(activeLeases(), 0);
    }

    void configWithoutTheModel()
    {
        const QString config = m_sshd.path(u"nomodel.yaml"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("models:\n  other:\n    cmd: llama-server --port ${PORT} -m /o.gguf\n");
        file.close();
        LlamaBenchJob job(host(config), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.model = u"qwen3-8b"_s;
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Failed, qPrintable(describe(result)));
        QVERIFY2(result.run.message.contains(u"no model \"qwen3-8b\""_s), qPrintable(result.run.message));
    }

    void busyHostIsRefusedUnlessForced()
    {
        QVERIFY(writeExecutable(m_sshd.path(u"busy/llama-bench"_s), standin(fixture())));
        InFlightUpdate busy;
        busy.operation = InFlightUpdate::Operation::Count;
        busy.shape = InFlightUpdate::Shape::Total;
        busy.total = 2;
        m_fleet->applyInFlight(u"gpu1"_s, busy);
        QCOMPARE(m_fleet->host(u"gpu1"_s)->inflightCount, 2);
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"busy/llama-bench"_s);
        {
            LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), m_db.get());
            const LlamaBenchResult refused = runJob(job, options);
            QVERIFY2(refused.outcome == LlamaBenchOutcome::Refused, qPrintable(describe(refused)));
            QVERIFY2(refused.run.message.contains(u"serving 2"_s), qPrintable(refused.run.message));
            QCOMPARE(refused.run.id, 0);        // nothing measured, nothing stored
            QVERIFY(args(u"busy"_s).isEmpty()); // llama-bench never ran
        }
        {
            options.force = true;
            LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), m_db.get());
            const LlamaBenchResult forced = runJob(job, options);
            QVERIFY2(forced.outcome == LlamaBenchOutcome::Done, qPrintable(describe(forced)));
            QVERIFY(forced.run.forced);
            QVERIFY(LlamaBenchStore::load(*m_db, forced.run.id)->forced);
        }
        busy.total = 0;
        m_fleet->applyInFlight(u"gpu1"_s, busy);
    }

    void anotherHolderIsNeverOverridden()
    {
        HostAccessRequest other;
        other.providerId = u"gpu1"_s;
        other.holder = u"bench:someone-else"_s;
        other.purpose = u"benchmark"_s;
        auto held = m_gate->acquireHostAccess(other);
        QVERIFY(held && held->granted());
        LlamaBenchJob job(host(), m_gate.get(), m_leases.get(), nullptr);
        LlamaBenchOptions options;
        options.modelPath = u"/m.gguf"_s;
        options.program = m_sshd.path(u"nowhere/llama-bench"_s);
        options.force = true;
        const LlamaBenchResult result = runJob(job, options);
        QVERIFY2(result.outcome == LlamaBenchOutcome::Refused, qPrintable(describe(result)));
        QVERIFY(m_leases->release(held->lease->id));
    }

    void storeRoundTrip_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }

    // Migration 12 on both dialects, without SSH.
    void storeRoundTrip()
    {
        const auto tdb = TestDatabase::createForCurrentRow();
        if (!tdb)
            return;
        auto db = Database::open(tdb->url(), u"test"_s);
        QVERIFY(db);
        QVERIFY(Migrations::migrate(**db));
        LlamaBenchRun run;
        run.providerId = u"gpu2"_s;
        run.modelPath = u"/m.gguf"_s; // no model id, no message: stored as ''
        run.command = u"llama-bench -m /m.gguf -o jsonl"_s;
        run.startedAt = 1'790'000'000'000;
        run.finishedAt = run.startedAt + 60'000;
        run.outcome = u"done"_s;
        run.problems << LlamaBenchProblem{3, u"line 3 is not a llama-bench result"_s};
        run.records = LlamaBenchParser::parse(fixture()).records;
        QCOMPARE(run.records.size(), 2);
        const auto id = LlamaBenchStore::save(**db, run);
        QVERIFY(id);
        const auto back = LlamaBenchStore::load(**db, *id);
        QVERIFY(back);
        QCOMPARE(back->providerId, run.providerId);
        QCOMPARE(back->model, QString());
        QCOMPARE(back->finishedAt, run.finishedAt);
        QCOMPARE(back->problems.size(), 1);
        QCOMPARE(back->problems.first().line, 3);
        QCOMPARE(back->records.size(), 2);
        QCOMPARE(back->records.at(0).avgTs, run.records.at(0).avgTs);
        QCOMPARE(back->records.at(0).modelType, u"qwen3 8B Q4_K - Medium"_s);
        QCOMPARE(tdb->count(u"bench_device_results"_s), 2);
        const auto any = LlamaBenchStore::results(**db, {}, {}, 1);
        QVERIFY(any);
        QCOMPARE(any->size(), 1);
        QCOMPARE(any->first().ts, run.finishedAt);
        QVERIFY(LlamaBenchStore::results(**db, u"other"_s, {}, 10)->isEmpty());
        QCOMPARE(LlamaBenchStore::load(**db, *id + 100).error().code, u"bench.unknown_run"_s);
    }
};

QTEST_GUILESS_MAIN(TestLlamaBenchJob)
#include "tst_llamabenchjob.moc"
