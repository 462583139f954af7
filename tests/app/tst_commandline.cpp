// Runs the real boocontrol executable and checks what a user sees on the command line.

#include "core/store/database.h"
#include "core/store/hoststable.h"
#include "core/store/migrations.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
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

QProcessEnvironment environment(const QString &home, const QString &platform)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // No display, and a private home so that defaults never touch the real user's files.
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, home);
    // English, whatever the machine speaks (the texts checked here are the English ones).
    for (const QString &variable : {u"LANGUAGE"_s, u"LC_ALL"_s, u"LC_MESSAGES"_s, u"LC_NUMERIC"_s, u"LC_TIME"_s})
        env.remove(variable);
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    if (!platform.isEmpty())
        env.insert(u"QT_QPA_PLATFORM"_s, platform);
    return env;
}

Run runBoocontrol(const QStringList &args, const QString &home, const QString &platform = {},
                  const QList<std::pair<QString, QString>> &extraEnvironment = {})
{
    QProcess process;
    QProcessEnvironment env = environment(home, platform);
    for (const auto &[name, value] : extraEnvironment)
        env.insert(name, value);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BOO_EXECUTABLE), args);
    Run run;
    if (!process.waitForFinished(30000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

private Q_SLOTS:
    void helpListsEveryOptionWithoutADisplay()
    {
        const Run run = runBoocontrol({u"--help"_s}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        for (const QString &option : {u"--serve"_s, u"--demo"_s, u"--attach <URL>"_s, u"--db <URL>"_s, u"--providers <FILE>"_s,
                                      u"--listen <ADDR:PORT>"_s, u"--version"_s})
            QVERIFY2(run.out.contains(option), qPrintable(option));
        // The help text wraps long paths, so compare without whitespace.
        QString unwrapped = run.out;
        unwrapped.remove(u' ').remove(u'\n');
        QVERIFY2(unwrapped.contains(u"sqlite:"_s + m_home.path() + u"/data/boocontrol/history.sqlite"_s), qPrintable(run.out));
    }

    // The system's language, unless Settings → Language chose one (ui/language): the help text is
    // the first thing it shows, and needs no display.
    void languageFollowsTheSystemUnlessChosen_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("chosen");
        QTest::addColumn<bool>("german");
        QTest::newRow("German system") << u"de_DE.UTF-8"_s << QString() << true;
        QTest::newRow("English system") << u"en_US.UTF-8"_s << QString() << false;
        QTest::newRow("Deutsch chosen") << u"en_US.UTF-8"_s << u"de"_s << true;
        QTest::newRow("English chosen") << u"de_DE.UTF-8"_s << u"en"_s << false;
    }
    void languageFollowsTheSystemUnlessChosen()
    {
        QFETCH(QString, lang);
        QFETCH(QString, chosen);
        QFETCH(bool, german);
        QTemporaryDir home;
        if (!chosen.isEmpty()) {
            QVERIFY(QDir().mkpath(home.filePath(u"config/boocontrol.dev"_s)));
            QFile config(home.filePath(u"config/boocontrol.dev/boocontrol.conf"_s));
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write("[ui]\nlanguage=" + chosen.toUtf8() + "\n");
        }
        const Run run = runBoocontrol({u"--help"_s}, home.path(), {}, {{u"LANG"_s, lang}});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.contains(u"eine Flotte von llama-swap-Inferenz-Hosts"_s), german);
        QCOMPARE(run.out.contains(u"watch, record and steer a fleet"_s), !german);
    }

    void version()
    {
        const Run run = runBoocontrol({u"--version"_s}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), u"boocontrol "_s + QStringLiteral(BOO_VERSION_STRING));
    }

    void badArgumentsFailClearly_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("db scheme")
            << QStringList{u"--serve"_s, u"--db"_s, u"mysql://root:pw@h/db"_s}
            << u"boocontrol: database URL 'mysql://root:***@h/db' has unsupported scheme 'mysql' (use sqlite: or postgres://)"_s;
        QTest::newRow("listen") << QStringList{u"--serve"_s, u"--listen"_s, u"localhost"_s}
                                << u"boocontrol: --listen 'localhost': no port (expected ADDR:PORT, e.g. 127.0.0.1:9503 or [::1]:9503)"_s;
        QTest::newRow("max body") << QStringList{u"--serve"_s, u"--max-body-mb"_s, u"0"_s}
                                  << u"boocontrol: --max-body-mb '0': expected a whole number of MiB from 1 to 4096"_s;
        QTest::newRow("listen port")
            << QStringList{u"--serve"_s, u"--listen"_s, u"127.0.0.1:70000"_s}
            << u"boocontrol: --listen '127.0.0.1:70000': port must be 1-65535 (expected ADDR:PORT, e.g. 127.0.0.1:9503 or [::1]:9503)"_s;
        QTest::newRow("providers file") << QStringList{u"--serve"_s, u"--providers"_s, u"/nonexistent/p.json"_s}
                                        << u"boocontrol: --providers: file '/nonexistent/p.json' does not exist"_s;
        QTest::newRow("positional") << QStringList{u"--serve"_s, u"extra"_s} << u"boocontrol: unexpected argument 'extra' (see --help)"_s;
        QTest::newRow("attach address") << QStringList{u"--attach"_s, u"server:9503"_s}
                                        << u"boocontrol: --attach: 'server:9503' is not a server address; give the WebSocket URL of a "
                                           u"'boocontrol --serve', e.g. ws://server:9503"_s;
        QTest::newRow("attach and serve") << QStringList{u"--serve"_s, u"--attach"_s, u"ws://h:9503"_s}
                                          << u"boocontrol: --attach shows a remote server's fleet and cannot be combined with --serve"_s;
        QTest::newRow("retention key") << QStringList{u"--serve"_s, u"--retention"_s, u"request=30"_s}
                                       << u"boocontrol: --retention: unknown window 'request' (keys: requests, model-events, "_s
                                          u"raw-perf, perf-rollup)"_s;
        QTest::newRow("retention days") << QStringList{u"--serve"_s, u"--retention"_s, u"requests=0"_s}
                                        << u"boocontrol: --retention: 'requests=0': expected a whole number of days"_s;
        QTest::newRow("retention on the desktop") << QStringList{u"--retention"_s, u"requests=30"_s}
                                                  << u"boocontrol: --retention applies to --serve; the desktop sets it in Settings"_s;
        QTest::newRow("alerts file") << QStringList{u"--serve"_s, u"--alerts"_s, u"/nonexistent/alerts.json"_s}
                                     << u"boocontrol: --alerts /nonexistent/alerts.json: cannot read the alerts file"_s;
        QTest::newRow("alerts on the desktop") << QStringList{u"--alerts"_s, u"/nonexistent/alerts.json"_s}
                                               << u"boocontrol: --alerts applies to --serve; the desktop sends no webhooks"_s;
        QTest::newRow("no display") << QStringList{}
                                    << u"boocontrol: no display found (DISPLAY and WAYLAND_DISPLAY are unset): use --serve for the "
                                       u"headless server, or set QT_QPA_PLATFORM=offscreen"_s;
    }

    void badArgumentsFailClearly()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QByteArray row = QTest::currentDataTag();
        if (!BOO_EXECUTABLE_HAS_GUI && (row == "attach address" || row == "no display")) {
            // A build without the desktop (-DBOO_GUI=OFF, the sanitizer pass) says so instead.
            const Run run = runBoocontrol(args, m_home.path());
            QCOMPARE(run.exitCode, 3);
            QVERIFY2(run.err.contains(u"this build has no desktop cockpit"_s), qPrintable(run.err));
            return;
        }
        // Checks of desktop options need the application object of the desktop, but no window.
        const QByteArray tag = QTest::currentDataTag();
        const bool desktop = tag == "attach address" || tag == "retention on the desktop" || tag == "alerts on the desktop";
        const Run run = runBoocontrol(args, m_home.path(), desktop ? u"offscreen"_s : QString());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void badAlertsFileNamesPathAndField()
    {
        const QString path = m_home.filePath(u"alerts.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"sinks\": [{\"name\": \"phone\", \"type\": \"ntfy\", \"url\": \"http://n.example/t\", \"cooldown_s\": -1}]}");
        file.close();
        const Run run = runBoocontrol({u"--serve"_s, u"--alerts"_s, path}, m_home.path());
        QCOMPARE(run.exitCode, 2);
        const QString expected = u"boocontrol: --alerts %1: sink 1 (\"phone\"): field \"cooldown_s\""_s.arg(path);
        QVERIFY2(run.err.contains(expected), qPrintable(run.err));
    }

    void serveSaysHowLongItKeepsHistory()
    {
        QTemporaryDir dir;
        QTcpServer probe; // a free port for --listen
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const QString listen = u"127.0.0.1:%1"_s.arg(probe.serverPort());
        probe.close();
        QProcess process;
        QProcessEnvironment env = environment(m_home.path(), QString());
        env.remove(u"QT_LOGGING_RULES"_s); // ctest hides info lines; this one is the subject
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(BOO_EXECUTABLE),
                      {u"--serve"_s, u"--demo"_s, u"--db"_s, u"sqlite:"_s + dir.filePath(u"h.sqlite"_s), u"--listen"_s, listen,
                       u"--retention"_s, u"requests=5,raw-perf=1"_s});
        QVERIFY(process.waitForStarted());
        QString err;
        // Whether the line came or not, stop the server before judging (a failed check would leave it running).
        const bool announced = QTest::qWaitFor(
            [&] {
                err += QString::fromUtf8(process.readAllStandardError());
                return err.contains(u"keeping history:"_s) || process.state() == QProcess::NotRunning;
            },
            20000);
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
        err += QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(announced, qPrintable(err));
        QVERIFY2(err.contains(u"keeping history: requests 5 d, model events 90 d, raw GPU samples 1 d, GPU rollups 400 d"_s),
                 qPrintable(err));
        QCOMPARE(process.exitCode(), 0);
    }

    void unreachableDatabaseNamesTheUrl()
    {
        const Run run = runBoocontrol({u"--serve"_s, u"--db"_s, u"postgres://boo:hunter2@127.0.0.1:1/h"_s}, m_home.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"cannot connect to postgres://boo:***@127.0.0.1:1/h"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"hunter2"_s));
    }

    void preparesDatabaseAndRegistersProviders()
    {
        if (!BOO_EXECUTABLE_HAS_GUI)
            QSKIP("runs the desktop cockpit, which a -DBOO_GUI=OFF build does not have");
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"h.sqlite"_s);
        const QString providers = dir.filePath(u"p.json"_s);
        QFile file(providers);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"providers\":[{\"id\":\"gpu1\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://10.0.0.5:8080\"},"
                   "{\"id\":\"bad\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"apiKey\":\"sk-plain\"}]}");
        file.close();

        // The desktop cockpit (offscreen here) prepares the store and registers the providers as
        // it starts, reports the bad entry, and stops cleanly on SIGTERM.
        QProcess process;
        process.setProcessEnvironment(environment(m_home.path(), u"offscreen"_s));
        process.start(QStringLiteral(BOO_EXECUTABLE), {u"--db"_s, u"sqlite:"_s + dbPath, u"--providers"_s, providers});
        QVERIFY(process.waitForStarted());
        QVERIFY(QTest::qWaitFor(
            [&] {
                boo::DatabaseUrl probe;
                probe.sqlitePath = dbPath;
                auto db = QFile::exists(dbPath) ? boo::Database::open(probe, u"probe"_s)
                                                : boo::Result<std::unique_ptr<boo::Database>>(boo::Error{});
                if (!db)
                    return false;
                const auto hosts = boo::HostsTable::all(**db);
                return hosts.ok() && !hosts->isEmpty();
            },
            20000));
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(u"provider \"bad\": field \"apiKey\": plain-text secrets are not accepted"_s), qPrintable(err));

        boo::DatabaseUrl url;
        url.sqlitePath = dbPath;
        auto db = boo::Database::open(url, u"check"_s);
        QVERIFY(db.ok());
        QCOMPARE(*boo::Migrations::currentVersion(**db), boo::Migrations::latestVersion());
        const auto hosts = boo::HostsTable::all(**db);
        QVERIFY(hosts.ok());
        QCOMPARE(hosts->size(), 1);
        QCOMPARE(hosts->first().providerId, u"gpu1"_s);
        QCOMPARE(hosts->first().baseUrl, u"http://10.0.0.5:8080"_s);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
