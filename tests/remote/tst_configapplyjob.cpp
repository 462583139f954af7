// The config apply pipeline end to end: a real sshd on loopback (tests/remote/testsshd.h), a
// llama-swap stand-in that reloads its YAML file when it changes and refuses one it cannot load
// (tests/remote/llamaswapsim.cpp), a real SQLite database for leases and backups.

#include "core/actions/hostlease.h"
#include "core/remote/configapplyjob.h"
#include "core/remote/configversionstore.h"
#include "core/remote/hostkeytrust.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"
#include "testsshd.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

const QByteArray kBefore = "# two models\nmodels:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                           "  b:\n    cmd: llama-server --port ${PORT} -m b.gguf\n";
const QByteArray kGood = "# three models\nmodels:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                         "  b:\n    cmd: llama-server --port ${PORT} -m b.gguf\n"
                         "  c:\n    cmd: llama-server --port ${PORT} -m c.gguf\n";
// Valid for our validator; the host refuses it (a model file it cannot use).
const QByteArray kHostRefuses = "models:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                                "  broken:\n    cmd: llama-server --port ${PORT} -m gone.gguf\n    metadata:\n      standin: refuse\n";
// Loaded, and then the host never answers /health again.
const QByteArray kHostHangs = "models:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                              "  heavy:\n    cmd: llama-server --port ${PORT} -m heavy.gguf\n    metadata:\n      standin: hang\n";

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

ConfigApplyResult run(ConfigApplyJob &job, const QByteArray &text, const ConfigApplyOptions &options)
{
    QSignalSpy spy(&job, &ConfigApplyJob::finished);
    job.start(text, options);
    if (spy.isEmpty() && !spy.wait(120000))
        qFatal("the apply job did not finish");
    return job.result();
}

QStringList stepNames(const ConfigApplyResult &result)
{
    QStringList names;
    for (const ApplyStepRecord &s : result.steps)
        names << enumNameString(kApplyStepNames, s.step) + (s.ok ? u""_s : u"!"_s);
    return names;
}

// One stand-in host in its own folder, started on its config file.
class StandinHost
{
public:
    StandinHost(const QString &folder, const QByteArray &config)
        : m_path(folder + u"/config.yaml"_s)
    {
        QDir().mkpath(folder);
        if (!writeFile(m_path, config))
            qFatal("cannot write the stand-in's config");
        m_process.start(QStringLiteral(BOO_LLAMA_SWAP_SIM), {u"--config"_s, m_path});
        m_process.setReadChannel(QProcess::StandardOutput);
        QByteArray out;
        while (!out.contains('\n') && m_process.waitForReadyRead(10000))
            out += m_process.readAllStandardOutput();
        if (!out.startsWith("listening "))
            qFatal("the stand-in did not start: %s", m_process.readAllStandardError().constData());
        m_port = out.mid(10).trimmed().toInt();
    }
    ~StandinHost()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    Q_DISABLE_COPY_MOVE(StandinHost)

    const QString &path() const { return m_path; }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    QByteArray log() { return m_process.readAllStandardError(); }

private:
    QString m_path;
    QProcess m_process;
    int m_port = 0;
};

} // namespace

class TestConfigApplyJob : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;
    SshSettings m_settings;
    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;

    ConfigHost hostFor(const StandinHost &standin, const QString &id) const
    {
        ConfigHost host;
        host.providerId = id;
        host.ssh = m_settings;
        host.configPath = standin.path();
        host.reload = ReloadMethod{ReloadKind::Watch, {}};
        host.baseUrl = standin.url();
        host.keepBackups = 3;
        return host;
    }

    static ConfigApplyOptions quick()
    {
        ConfigApplyOptions options;
        options.author = u"test"_s;
        options.reason = u"tst_configapplyjob"_s;
        options.healthTimeoutMs = 5000;
        options.settleMs = 800;
        return options;
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
    }

    void listedModels()
    {
        QCOMPARE(ConfigApplyJob::listedModels(kGood), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(ConfigApplyJob::listedModels("models:\n  a:\n    cmd: x ${PORT}\n  h:\n    cmd: y ${PORT}\n    unlisted: true\n"),
                 QStringList{u"a"_s});
        QVERIFY(ConfigApplyJob::listedModels("models: [").isEmpty());
    }

    void goodChangeApplies()
    {
        StandinHost standin(m_sshd.path(u"good"_s), kBefore);
        ConfigApplyJob job(hostFor(standin, u"good"_s), m_db.get());
        const ConfigApplyResult result = run(job, kGood, quick());
        QVERIFY2(result.outcome == ApplyOutcome::Applied, qPrintable(result.message + u" | "_s + stepNames(result).join(u' ')));
        QCOMPARE(stepNames(result),
                 (QStringList{u"validate"_s, u"read"_s, u"diff"_s, u"environment"_s, u"lease"_s, u"backup"_s, u"write"_s, u"reload"_s,
                              u"health"_s}));
        QCOMPARE(readFile(standin.path()), kGood);
        QVERIFY(result.diff.contains(u"+  c:"_s));
        // The backup, on the host and in the database, is the file as it was.
        QVERIFY(result.hostBackupPath.startsWith(standin.path() + u".boocontrol-"_s));
        QCOMPARE(readFile(result.hostBackupPath), kBefore);
        const auto version = ConfigVersionStore::version(*m_db, u"good"_s, result.backupId);
        QVERIFY(version && *version);
        QCOMPARE((*version)->content, kBefore);
        QCOMPARE((*version)->author, u"test"_s);
        // Every step is recorded, and the lease is free again.
        const auto applies = ConfigVersionStore::applies(*m_db, u"good"_s);
        QVERIFY(applies && !applies->isEmpty());
        QCOMPARE(applies->constFirst().outcome, u"applied"_s);
        QCOMPARE(applies->constFirst().steps.size(), result.steps.size());
        const auto leases = HostLease::active(*m_db, QDateTime::currentMSecsSinceEpoch());
        QVERIFY(leases);
        for (const HostLease &lease : *leases)
            QVERIFY(lease.providerId != u"good"_s);

        // The same text again: nothing to do, nothing backed up.
        ConfigApplyJob again(hostFor(standin, u"good"_s), m_db.get());
        QCOMPARE(run(again, kGood, quick()).outcome, ApplyOutcome::Unchanged);
    }

    void hostRefusesRollsBack()
    {
        StandinHost standin(m_sshd.path(u"refuse"_s), kBefore);
        ConfigApplyJob job(hostFor(standin, u"refuse"_s), m_db.get());
        const ConfigApplyResult result = run(job, kHostRefuses, quick());
        QVERIFY2(result.outcome == ApplyOutcome::RolledBack, qPrintable(result.message));
        QVERIFY2(result.message.contains(u"failed to reload config"_s), qPrintable(result.message));
        QCOMPARE(stepNames(result).mid(6),
                 (QStringList{u"write"_s, u"reload"_s, u"health!"_s, u"rollback"_s, u"rollback-reload"_s, u"rollback-health"_s}));
        QCOMPARE(readFile(standin.path()), kBefore);
    }

    void hostNeverComesBackRollsBack()
    {
        StandinHost standin(m_sshd.path(u"hang"_s), kBefore);
        ConfigApplyJob job(hostFor(standin, u"hang"_s), m_db.get());
        const ConfigApplyResult result = run(job, kHostHangs, quick());
        QVERIFY2(result.outcome == ApplyOutcome::RolledBack, qPrintable(result.message));
        QVERIFY2(result.message.contains(u"did not come back"_s), qPrintable(result.message));
        QCOMPARE(readFile(standin.path()), kBefore);
        const auto applies = ConfigVersionStore::applies(*m_db, u"hang"_s);
        QVERIFY(applies && !applies->isEmpty());
        QCOMPARE(applies->constFirst().outcome, u"rolled-back"_s);
    }

    void invalidTextNeverLeavesTheMachine()
    {
        StandinHost standin(m_sshd.path(u"invalid"_s), kBefore);
        ConfigApplyJob job(hostFor(standin, u"invalid"_s), m_db.get());
        const ConfigApplyResult result = run(job, "models:\n  a:\n    cmd: llama-server -m a.gguf\n", quick());
        QCOMPARE(result.outcome, ApplyOutcome::Invalid);
        QCOMPARE(stepNames(result), QStringList{u"validate!"_s});
        QVERIFY(!result.report.valid());
        QCOMPARE(readFile(standin.path()), kBefore);
    }

    void unsetEnvironmentIsRefused()
    {
        StandinHost standin(m_sshd.path(u"env"_s), kBefore);
        ConfigApplyJob job(hostFor(standin, u"env"_s), m_db.get());
        const ConfigApplyResult result
            = run(job, "models:\n  a:\n    cmd: llama-server --port ${PORT} -m ${env.BOO_TEST_SURELY_UNSET_VARIABLE}\n", quick());
        QVERIFY2(result.outcome == ApplyOutcome::Invalid, qPrintable(result.message));
        QVERIFY2(stepNames(result).contains(u"environment!"_s), qPrintable(stepNames(result).join(u' ')));
        QCOMPARE(readFile(standin.path()), kBefore);
    }

    void secondApplyToTheSameHostIsRefused()
    {
        StandinHost standin(m_sshd.path(u"two"_s), kBefore);
        ConfigApplyJob first(hostFor(standin, u"two"_s), m_db.get());
        ConfigApplyOptions slow = quick();
        slow.settleMs = 4000; // the first holds the host well past the second's read
        QSignalSpy firstDone(&first, &ConfigApplyJob::finished);
        QSignalSpy firstSteps(&first, &ConfigApplyJob::stepFinished);
        first.start(kGood, slow);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(firstSteps.cbegin(), firstSteps.cend(),
                        [](const QList<QVariant> &args) { return args.first().value<ApplyStepRecord>().step == ApplyStep::Lease; }),
            60000);
        ConfigApplyJob second(hostFor(standin, u"two"_s), m_db.get());
        const ConfigApplyResult refused = run(second, kGood + "# another edit\n", quick());
        QVERIFY2(refused.outcome == ApplyOutcome::Refused, qPrintable(refused.message));
        QVERIFY2(refused.message.contains(u"config:test"_s), qPrintable(refused.message));
        QVERIFY(firstDone.wait(60000));
        QCOMPARE(first.result().outcome, ApplyOutcome::Applied);
        QCOMPARE(readFile(standin.path()), kGood);
    }

    void previewAndItsToken()
    {
        StandinHost standin(m_sshd.path(u"preview"_s), kBefore);
        ConfigApplyOptions preview = quick();
        preview.mode = ConfigApplyOptions::Mode::Preview;
        ConfigApplyJob look(hostFor(standin, u"preview"_s), m_db.get());
        const ConfigApplyResult seen = run(look, kGood, preview);
        QCOMPARE(seen.outcome, ApplyOutcome::Previewed);
        QCOMPARE(seen.currentSha256, RemoteConfigFile::sha256(kBefore));
        QCOMPARE(readFile(standin.path()), kBefore);

        // Someone edits the file after the preview: the apply with the preview's token refuses.
        QVERIFY(writeFile(standin.path(), kBefore + "# edited by hand\n"));
        ConfigApplyOptions confirmed = quick();
        confirmed.expectedCurrentSha256 = seen.currentSha256;
        ConfigApplyJob apply(hostFor(standin, u"preview"_s), m_db.get());
        const ConfigApplyResult result = run(apply, kGood, confirmed);
        QCOMPARE(result.outcome, ApplyOutcome::Refused);
        QVERIFY(result.diff.contains(u"-# edited by hand"_s));
        QCOMPARE(readFile(standin.path()), kBefore + "# edited by hand\n");
    }

    void connectionDroppedMidWriteChangesNothing()
    {
        // ssh whose input ends after 40 bytes: the remote side sees a short, clean end of file,
        // which is what a dropped connection looks like to `cat`.
        const QString wrapper = m_sshd.path(u"short-ssh"_s);
        QVERIFY(writeFile(wrapper, "#!/bin/sh\nhead -c 40 | ssh \"$@\"\n"));
        QVERIFY(QFile::setPermissions(wrapper, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        StandinHost standin(m_sshd.path(u"drop"_s), kBefore);
        ConfigHost host = hostFor(standin, u"drop"_s);
        host.ssh.sshProgram = wrapper;
        ConfigApplyJob job(host, m_db.get());
        const ConfigApplyResult result = run(job, kGood, quick());
        QVERIFY2(result.outcome == ApplyOutcome::Failed, qPrintable(result.message));
        QVERIFY2(result.message.contains(u"incomplete"_s), qPrintable(result.message));
        QCOMPARE(readFile(standin.path()), kBefore);
        // No temporary file is left next to it.
        const QStringList left = QDir(m_sshd.path(u"drop"_s)).entryList(QDir::Files | QDir::Hidden);
        for (const QString &name : left)
            QVERIFY2(!name.contains(u".boocontrol."_s), qPrintable(name));
    }

    void rollbackThatCannotReloadSaysSo()
    {
        // SIGHUP to a process that is not there: the reload fails, the old file goes back, and
        // reloading it fails too: the operator is told the file is back but the host is not.
        StandinHost standin(m_sshd.path(u"nohup"_s), kBefore);
        ConfigHost host = hostFor(standin, u"nohup"_s);
        host.reload = ReloadMethod{ReloadKind::Sighup, {}};
        host.processName = u"boo-no-such"_s;
        ConfigApplyJob job(host, m_db.get());
        const ConfigApplyResult result = run(job, kGood, quick());
        QVERIFY2(result.outcome == ApplyOutcome::RollbackFailed, qPrintable(result.message));
        QVERIFY2(result.message.contains(u"old file is back"_s), qPrintable(result.message));
        QCOMPARE(readFile(standin.path()), kBefore);
    }

    void backupsOnTheHostAreKept()
    {
        StandinHost standin(m_sshd.path(u"keep"_s), kBefore);
        ConfigHost host = hostFor(standin, u"keep"_s);
        host.keepBackups = 2;
        for (int i = 0; i < 3; ++i) {
            ConfigApplyJob job(host, m_db.get());
            ConfigApplyOptions options = quick();
            options.settleMs = 200;
            const ConfigApplyResult result = run(job, kGood + "# edit " + QByteArray::number(i) + '\n', options);
            QVERIFY2(result.outcome == ApplyOutcome::Applied, qPrintable(result.message));
        }
        const QStringList backups = QDir(m_sshd.path(u"keep"_s)).entryList({u"config.yaml.boocontrol-*.bak"_s}, QDir::Files);
        QCOMPARE(backups.size(), 2);
        const auto versions = ConfigVersionStore::versions(*m_db, u"keep"_s);
        QVERIFY(versions);
        QCOMPARE(versions->size(), 3); // the database keeps every one
    }
};

QTEST_GUILESS_MAIN(TestConfigApplyJob)
#include "tst_configapplyjob.moc"
