// `boocontrol bench` as a user runs it: the real executable against the --demo fleet, its JSON
// validated field by field, the stored runs listed and shown, a regression's exit code.

#include "core/actions/hostlease.h"
#include "core/store/database.h"
#include "core/store/databaseurl.h"
#include "core/store/migrations.h"

#include <QDateTime>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run boocontrol(const QStringList &args, const QString &home)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    env.remove(u"BOO_TOKEN"_s);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BOO_EXECUTABLE), QStringList{u"bench"_s} + args);
    Run run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString writeSuite(const QTemporaryDir &dir, const QString &name, const QByteArray &yaml)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// mini-box's llama-3.2-3b in the demo fleet, at two loads; max_tokens is the knob of the
// regression test (same suite name, four times the output: e2e and requests/s move far outside
// any spread).
QByteArray demoSuite(int maxTokens)
{
    return "name: demo-quick\ntargets: [mini-box/llama-3.2-3b]\nconcurrency: [1, 2]\nprompt_tokens: 64\nmax_tokens: "
        + QByteArray::number(maxTokens) + "\nrepetitions: 2\nwarmup: 1\nrequests: 4\ncold_start: true\nslo: {ttft_ms: 2000}\n";
}

void checkDistribution(const QJsonObject &cell, const QString &key)
{
    const QJsonObject d = cell.value(key).toObject();
    for (const QString &stat : {u"p50"_s, u"p90"_s, u"p99"_s, u"mean"_s, u"stddev"_s})
        QVERIFY2(d.value(stat).isDouble() && d.value(stat).toDouble() >= 0, qPrintable(key + u'.' + stat));
    QVERIFY(d.value(u"p50"_s).toDouble() <= d.value(u"p99"_s).toDouble());
}

} // namespace

class TestBenchCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoRunJsonListShowAndRegression()
    {
        QTemporaryDir home;
        const QString suite = writeSuite(home, u"quick.yaml"_s, demoSuite(16));
        const QString json = home.filePath(u"run.json"_s);
        const Run first = boocontrol({u"run"_s, suite, u"--demo"_s, u"--force"_s, u"--json"_s, json}, home.path());
        QVERIFY2(first.exitCode == 0, qPrintable(first.err + first.out));
        QVERIFY(first.out.contains(u"suite demo-quick, run 1"_s));
        QVERIFY(first.out.contains(u"mini-box/llama-3.2-3b"_s));

        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject run = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(run.value(u"run_id"_s).toInt(), 1);
        QCOMPARE(run.value(u"suite"_s).toString(), u"demo-quick"_s);
        const QJsonArray cells = run.value(u"cells"_s).toArray();
        QCOMPARE(cells.size(), 2);
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const QJsonObject cell = cells[i].toObject();
            QCOMPARE(cell.value(u"target"_s).toString(), u"mini-box/llama-3.2-3b"_s);
            QCOMPARE(cell.value(u"concurrency"_s).toInt(), int(i) + 1);
            QVERIFY(!cell.contains(u"rate"_s));
            QCOMPARE(cell.value(u"prompt_tokens"_s).toInt(), 64);
            QCOMPARE(cell.value(u"requests"_s).toInt(), 8);
            QCOMPARE(cell.value(u"errors"_s).toInt(), 0);
            for (const QString &key : {u"ttft_ms"_s, u"tpot_ms"_s, u"itl_ms"_s, u"e2e_ms"_s})
                checkDistribution(cell, key);
            QVERIFY(cell.value(u"req_per_s"_s).toDouble() > 0);
            QVERIFY(cell.value(u"output_tok_per_s"_s).toDouble() > 0);
            // TTFT of the demo's 3B model is ~0.1 s: every request meets the 2 s objective, unless
            // background traffic to another model made the host swap under the cell (flagged).
            if (cell.value(u"foreign_requests"_s).toInt() == 0)
                QCOMPARE(cell.value(u"goodput_req_per_s"_s).toDouble(), cell.value(u"req_per_s"_s).toDouble());
            else
                QVERIFY(cell.value(u"goodput_req_per_s"_s).toDouble() <= cell.value(u"req_per_s"_s).toDouble());
            // The demo hosts have background traffic of their own: counted, whatever it was.
            QVERIFY(cell.value(u"foreign_requests"_s).isDouble());
            QVERIFY(cell.value(u"flags"_s).isArray());
            QVERIFY(cell.value(u"host_predicted_per_second"_s).toDouble() > 0);
            QCOMPARE(cell.value(u"repetitions"_s).toArray().size(), 2);
        }
        QVERIFY(cells[0].toObject().value(u"e2e_ms"_s).toObject().value(u"p50"_s).toDouble()
                > cells[0].toObject().value(u"ttft_ms"_s).toObject().value(u"p50"_s).toDouble());
        QVERIFY(run.value(u"cold_start_ms"_s).toObject().value(u"mini-box/llama-3.2-3b"_s).toDouble() > 0);
        QCOMPARE(run.value(u"hosts"_s).toObject().value(u"mini-box"_s).toObject().value(u"version"_s).toString(), u"v250"_s);
        QVERIFY(run.value(u"formulas"_s).toObject().value(u"tpot_ms"_s).toString().contains(u"output tokens - 1"_s));

        // The demo hosts' background traffic may have come first: --force runs anyway (forced).
        // The run held a lease on the host it measured, and gave it back.
        {
            auto url = boo::DatabaseUrl::parse(u"sqlite:"_s + home.path() + u"/data/boocontrol/demo.sqlite"_s);
            QVERIFY(url);
            auto db = boo::Database::open(*url, u"test"_s);
            QVERIFY2(db, db ? "" : qPrintable(db.error().message));
            auto leases = (*db)->exec(u"SELECT provider_id, model, holder, released_at FROM control_host_leases"_s);
            QVERIFY(leases);
            QVERIFY(leases->next());
            QCOMPARE(leases->value(0).toString(), u"mini-box"_s);
            QCOMPARE(leases->value(1).toString(), u"llama-3.2-3b"_s);
            QCOMPARE(leases->value(2).toString(), u"bench:demo-quick"_s);
            QVERIFY(!leases->value(3).isNull());
            QVERIFY(!leases->next());
        }

        const Run list = boocontrol({u"list"_s, u"--demo"_s}, home.path());
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(u"demo-quick"_s), qPrintable(list.out));
        const Run show = boocontrol({u"show"_s, u"1"_s, u"--demo"_s}, home.path());
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains(u"host mini-box: llama-swap v250"_s));
        QVERIFY(show.out.contains(u"c=2"_s));
        const Run showJson = boocontrol({u"show"_s, u"1"_s, u"--demo"_s, u"--as-json"_s}, home.path());
        QCOMPARE(showJson.exitCode, 0);
        const QJsonObject shown = QJsonDocument::fromJson(showJson.out.toUtf8()).object();
        QCOMPARE(shown.value(u"run_id"_s).toInt(), 1);
        QCOMPARE(shown.value(u"cells"_s).toArray().size(), 2);
        QCOMPARE(shown.value(u"cells"_s).toArray()[1].toObject().value(u"ttft_ms"_s).toObject(),
                 cells[1].toObject().value(u"ttft_ms"_s).toObject());

        // Four times the output, same suite: against run 1 as the baseline that is a regression.
        writeSuite(home, u"quick.yaml"_s, demoSuite(64));
        const Run second
            = boocontrol({u"run"_s, suite, u"--demo"_s, u"--force"_s, u"--baseline"_s, u"1"_s, u"--json"_s, u"-"_s}, home.path());
        QVERIFY2(second.exitCode == 4, qPrintable(QString::number(second.exitCode) + second.err));
        QVERIFY2(second.err.contains(u"regression: mini-box/llama-3.2-3b c=1 p=64: e2e_p50_ms"_s), qPrintable(second.err));
        const QJsonObject secondRun = QJsonDocument::fromJson(second.out.toUtf8()).object();
        QCOMPARE(secondRun.value(u"run_id"_s).toInt(), 2);
        const QJsonArray flags = secondRun.value(u"cells"_s).toArray()[0].toObject().value(u"flags"_s).toArray();
        QVERIFY(flags.contains(u"regression:e2e_p50_ms"_s));
        const Run listed = boocontrol({u"list"_s, u"--demo"_s}, home.path());
        QVERIFY2(listed.out.contains(u"#1: "_s), qPrintable(listed.out));
        // Marking a baseline.
        const Run marked = boocontrol({u"baseline"_s, u"2"_s, u"--demo"_s}, home.path());
        QCOMPARE(marked.exitCode, 0);
        QVERIFY(boocontrol({u"list"_s, u"--demo"_s}, home.path()).out.contains(u"(baseline)"_s));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad suite") << QByteArray("name: x\ntargets: [h/m]\nconcurrency: [0]\n") << QStringList{u"--no-store"_s} << 2
                                   << u"s.yaml:3:15: concurrency[0]: 0 is out of range"_s;
        QTest::newRow("virtual without a gateway") << QByteArray("name: x\ntargets: [auto]\nconcurrency: 1\n") << QStringList{u"--demo"_s}
                                                   << 2 << u"target auto is a virtual model: it needs a gateway"_s;
        QTest::newRow("unknown provider") << QByteArray("name: x\ntargets: [nowhere/m]\nconcurrency: 1\n") << QStringList{u"--demo"_s} << 2
                                          << u"there is no provider \"nowhere\" in the demo fleet"_s;
        QTest::newRow("bad baseline") << QByteArray("name: x\ntargets: [h/m]\nconcurrency: 1\n") << QStringList{u"--baseline"_s, u"x"_s}
                                      << 2 << u"--baseline 'x': expected a run id"_s;
        QTest::newRow("bad server") << QByteArray("name: x\ntargets: [h/m]\nconcurrency: 1\n") << QStringList{u"--server"_s, u"ws://a"_s}
                                    << 2 << u"--server 'ws://a'"_s;
    }
    void refusals()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir home;
        const QString suite = writeSuite(home, u"s.yaml"_s, yaml);
        const Run run = boocontrol(QStringList{u"run"_s, suite} + args, home.path());
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    // Another holder's lease on the host refuses the run, --force or not (exit 3), and nothing is
    // stored; the refusal is recorded as a decision.
    void aLeasedHostRefusesTheRun()
    {
        QTemporaryDir home;
        const QString suite = writeSuite(home, u"quick.yaml"_s, demoSuite(16));
        const QString dbUrl = u"sqlite:"_s + home.filePath(u"h.sqlite"_s);
        {
            auto db = boo::Database::open(*boo::DatabaseUrl::parse(dbUrl), u"test"_s);
            QVERIFY(db);
            QVERIFY(boo::Migrations::migrate(**db));
            boo::HostLease lease;
            lease.providerId = u"mini-box"_s;
            lease.holder = u"operator"_s;
            lease.reason = u"maintenance"_s;
            lease.grantedAt = QDateTime::currentMSecsSinceEpoch();
            lease.expiresAt = lease.grantedAt + 600000;
            QVERIFY(boo::HostLease::grant(**db, lease));
        }
        const Run run = boocontrol({u"run"_s, suite, u"--demo"_s, u"--force"_s, u"--db"_s, dbUrl}, home.path());
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(u"refused: mini-box: held by operator (maintenance)"_s), qPrintable(run.err));
        auto db = boo::Database::open(*boo::DatabaseUrl::parse(dbUrl), u"test2"_s);
        QVERIFY(db);
        auto runs = (*db)->exec(u"SELECT COUNT(*) FROM bench_runs"_s);
        QVERIFY(runs && runs->next());
        QCOMPARE(runs->value(0).toInt(), 0);
        auto decided = (*db)->exec(u"SELECT outcome, holder FROM control_access_decisions"_s);
        QVERIFY(decided && decided->next());
        QCOMPARE(decided->value(0).toString(), u"leased"_s);
        QCOMPARE(decided->value(1).toString(), u"bench:demo-quick"_s);
    }

    void unknownRunAndCommand()
    {
        QTemporaryDir home;
        const Run show = boocontrol({u"show"_s, u"42"_s, u"--db"_s, u"sqlite:"_s + home.filePath(u"h.sqlite"_s)}, home.path());
        QCOMPARE(show.exitCode, 2);
        QVERIFY2(show.err.contains(u"there is no bench run 42"_s), qPrintable(show.err));
        const Run unknown = boocontrol({u"frobnicate"_s}, home.path());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(u"unknown command 'frobnicate'"_s));
        const Run help = boocontrol({u"--help"_s}, home.path());
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"boocontrol bench run SUITE.yaml"_s));
        QVERIFY(help.out.contains(u"boocontrol bench device HOST/MODEL"_s));
    }

    // `bench device`'s command line up to the host (the SSH run itself: tests/remote/tst_llamabenchjob).
    void deviceCommandLine()
    {
        QTemporaryDir home;
        const QString providers = writeSuite(home, u"providers.json"_s,
                                             "{\"providers\": [{\"id\": \"plain\", \"name\": \"plain\", \"kind\": \"llama-swap\", "
                                             "\"baseUrl\": \"http://127.0.0.1:9\", \"enabled\": true}]}");
        const QString db = u"sqlite:"_s + home.filePath(u"h.sqlite"_s);
        const Run help = boocontrol({u"device"_s, u"--help"_s}, home.path());
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"--model-path"_s) && help.out.contains(u"--flags"_s));
        const Run none = boocontrol({u"device"_s}, home.path());
        QCOMPARE(none.exitCode, 2);
        const Run noModel = boocontrol({u"device"_s, u"plain"_s, u"--providers"_s, providers}, home.path());
        QCOMPARE(noModel.exitCode, 2);
        QVERIFY2(noModel.err.contains(u"--model-path"_s), qPrintable(noModel.err));
        const Run unknown = boocontrol({u"device"_s, u"nohost/m"_s, u"--providers"_s, providers, u"--db"_s, db}, home.path());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains(u"no host \"nohost\""_s), qPrintable(unknown.err));
        const Run noSsh = boocontrol({u"device"_s, u"plain/m"_s, u"--providers"_s, providers, u"--db"_s, db}, home.path());
        QCOMPARE(noSsh.exitCode, 2);
        QVERIFY2(noSsh.err.contains(u"no \"ssh\" settings"_s), qPrintable(noSsh.err));
        const Run badTimeout = boocontrol({u"device"_s, u"plain/m"_s, u"--timeout"_s, u"soon"_s}, home.path());
        QCOMPARE(badTimeout.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestBenchCommand)
#include "tst_benchcommand.moc"
