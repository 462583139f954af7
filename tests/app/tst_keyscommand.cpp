// `boocontrol keys ...` as a user runs it: the real executable against SQLite (and Postgres
// when BOO_TEST_PG is set), and against a running `boocontrol --serve --demo` that must follow
// what the command changes within a second.
#include "core/gateway/consumerkey.h"
#include "core/store/database.h"
#include "tests/common/testdatabases.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::test::TestDatabase;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

QProcessEnvironment environment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/data"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, home);
    return env;
}

Run keys(const QStringList &args, const QString &home)
{
    QProcess process;
    process.setProcessEnvironment(environment(home));
    process.start(QStringLiteral(BOO_EXECUTABLE), QStringList{u"keys"_s} + args);
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

QString firstLine(const QString &text)
{
    return text.section(u'\n', 0, 0);
}

QString dbUrl(const TestDatabase &db)
{
    // The test databases have no password, so the display form is the whole URL.
    return db.url().displayString();
}

QByteArray storedHash(const TestDatabase &db, const QString &name)
{
    auto conn = boo::Database::open(db.url(), u"check"_s);
    if (!conn)
        return {};
    auto q = (*conn)->exec(u"SELECT key_hash FROM consumer_keys WHERE name = ?"_s, {name});
    return q && q->next() ? q->value(0).toString().toLatin1() : QByteArray();
}

} // namespace

class TestKeysCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

private Q_SLOTS:
    void createListRotateRevoke_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void createListRotateRevoke()
    {
        auto db = TestDatabase::createForCurrentRow();
        if (!db)
            return;
        const QString url = dbUrl(*db);
        Run run = keys({u"create"_s, u"notes"_s, u"--source"_s, u"notes-app"_s, u"--rpm"_s, u"60"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        const QString secret = firstLine(run.out);
        QVERIFY2(secret.startsWith(u"boo_sk_"_s) && secret.size() == 50, qPrintable(run.out));
        QVERIFY2(run.err.contains(u"only time the key is shown"_s), qPrintable(run.err));
        QCOMPARE(storedHash(*db, u"notes"_s), boo::ConsumerKey::hashSecret(secret));

        run = keys({u"create"_s, u"notes"_s, u"--source"_s, u"x"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(u"exists already"_s), qPrintable(run.err));

        run = keys({u"create"_s, u"web"_s, u"--source"_s, u"web-ui"_s, u"--json"_s, u"--models"_s, u"auto,auto:code"_s, u"--expires"_s,
                    u"2099-01-01"_s, u"--allow-sub-source"_s, u"--tpm"_s, u"1000"_s, u"--budget"_s, u"50000"_s, u"--db"_s, url},
                   m_home.path());
        QCOMPARE(run.exitCode, 0);
        const QJsonObject created = run.json();
        QCOMPARE(created.keys(), (QStringList{u"key"_s, u"name"_s, u"source"_s}));
        QCOMPARE(created.value(u"name"_s).toString(), u"web"_s);
        QCOMPARE(created.value(u"source"_s).toString(), u"web-ui"_s);
        QVERIFY(created.value(u"key"_s).toString().startsWith(u"boo_sk_"_s));

        run = keys({u"list"_s, u"--json"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY(!run.out.contains(secret));
        QVERIFY(!run.out.contains(QString::fromLatin1(boo::ConsumerKey::hashSecret(secret))));
        const QJsonArray listed = run.json().value(u"keys"_s).toArray();
        QCOMPARE(listed.size(), 2);
        const auto web = boo::ConsumerKey::fromJson(listed.at(1).toObject());
        QVERIFY(web.ok());
        QCOMPARE(web->spec.models, (QStringList{u"auto"_s, u"auto:code"_s}));
        QCOMPARE(web->spec.tpm, std::optional<qint64>(1000));
        QCOMPARE(web->spec.tokensPerDay, std::optional<qint64>(50000));
        QCOMPARE(web->spec.expiresAtMs, std::optional<qint64>(4'070'908'800'000));
        QVERIFY(web->spec.allowSubSource);

        run = keys({u"list"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(firstLine(run.out).startsWith(u"NAME"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(secret.left(12) + u"..."_s), qPrintable(run.out));
        QVERIFY(!run.out.contains(secret));

        run = keys({u"rotate"_s, u"notes"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        const QString rotated = firstLine(run.out);
        QVERIFY(rotated.startsWith(u"boo_sk_"_s) && rotated != secret);
        QCOMPARE(storedHash(*db, u"notes"_s), boo::ConsumerKey::hashSecret(rotated));

        run = keys({u"revoke"_s, u"notes"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        run = keys({u"list"_s, u"--json"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.json().value(u"keys"_s).toArray().at(0).toObject().value(u"state"_s).toString(), u"revoked"_s);
        QCOMPARE(keys({u"rotate"_s, u"notes"_s, u"--db"_s, url}, m_home.path()).exitCode, 4);
        QCOMPARE(keys({u"revoke"_s, u"nope"_s, u"--db"_s, url}, m_home.path()).exitCode, 4);
    }

    void setChangesLimits_data()
    {
        TestDatabase::addDialectColumn();
        TestDatabase::addDialectRows();
    }
    void setChangesLimits()
    {
        auto db = TestDatabase::createForCurrentRow();
        if (!db)
            return;
        const QString url = dbUrl(*db);
        QCOMPARE(
            keys({u"create"_s, u"s"_s, u"--source"_s, u"s-app"_s, u"--rpm"_s, u"60"_s, u"--tpm"_s, u"100"_s, u"--db"_s, url}, m_home.path())
                .exitCode,
            0);
        const QByteArray hashBefore = storedHash(*db, u"s"_s);
        Run run = keys({u"set"_s, u"s"_s, u"--rpm"_s, u"5"_s, u"--tpm"_s, u"none"_s, u"--models"_s, u"auto*,h1/*"_s, u"--expires"_s,
                        u"2099-01-01"_s, u"--disable"_s, u"--json"_s, u"--db"_s, url},
                       m_home.path());
        QCOMPARE(run.exitCode, 0);
        auto key = boo::ConsumerKey::fromJson(run.json());
        QVERIFY2(key.ok(), qPrintable(run.out));
        QCOMPARE(key->spec.rpm, std::optional<qint64>(5));
        QCOMPARE(key->spec.tpm, std::optional<qint64>());
        QCOMPARE(key->spec.models, (QStringList{u"auto*"_s, u"h1/*"_s}));
        QCOMPARE(key->spec.expiresAtMs, std::optional<qint64>(4'070'908'800'000));
        QVERIFY(key->disabled);
        QCOMPARE(run.json().value(u"state"_s).toString(), u"disabled"_s);
        QCOMPARE(storedHash(*db, u"s"_s), hashBefore); // the secret stays

        run = keys({u"set"_s, u"s"_s, u"--enable"_s, u"--expires"_s, u"never"_s, u"--models"_s, u"none"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(u"active"_s), qPrintable(run.out));
        key = boo::ConsumerKey::fromJson(
            keys({u"list"_s, u"--json"_s, u"--db"_s, url}, m_home.path()).json().value(u"keys"_s).toArray().first().toObject());
        QVERIFY(!key->disabled);
        QVERIFY(key->spec.models.isEmpty());
        QCOMPARE(key->spec.expiresAtMs, std::optional<qint64>());
        QCOMPARE(key->spec.rpm, std::optional<qint64>(5));

        run = keys({u"set"_s, u"nope"_s, u"--rpm"_s, u"5"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(u"no consumer key named \"nope\""_s), qPrintable(run.err));
        QCOMPARE(keys({u"revoke"_s, u"s"_s, u"--db"_s, url}, m_home.path()).exitCode, 0);
        run = keys({u"set"_s, u"s"_s, u"--enable"_s, u"--db"_s, url}, m_home.path());
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(u"revoked"_s), qPrintable(run.err));
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << 2 << u"expected create, list, set, revoke or rotate"_s;
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s} << 2 << u"expected create, list, set, revoke or rotate"_s;
        QTest::newRow("no source") << QStringList{u"create"_s, u"x"_s} << 2 << u"create needs --source"_s;
        QTest::newRow("no name") << QStringList{u"revoke"_s} << 2 << u"revoke needs exactly one key name"_s;
        QTest::newRow("zero rpm") << QStringList{u"create"_s, u"x"_s, u"--source"_s, u"s"_s, u"--rpm"_s, u"0"_s} << 2
                                  << u"--rpm '0': expected a whole number of at least 1"_s;
        QTest::newRow("bad name") << QStringList{u"create"_s, u"x y"_s, u"--source"_s, u"s"_s} << 2 << u"may only contain"_s;
        QTest::newRow("reserved name") << QStringList{u"create"_s, u"usage"_s, u"--source"_s, u"s"_s} << 2
                                       << u"the key name \"usage\" is reserved"_s;
        QTest::newRow("bad expiry") << QStringList{u"create"_s, u"x"_s, u"--source"_s, u"s"_s, u"--expires"_s, u"tomorrow"_s} << 2
                                    << u"--expires: \"tomorrow\" is neither a date"_s;
        QTest::newRow("option of create") << QStringList{u"list"_s, u"--rpm"_s, u"5"_s} << 2 << u"--rpm applies to create and set"_s;
        QTest::newRow("source of set") << QStringList{u"set"_s, u"x"_s, u"--source"_s, u"s"_s} << 2 << u"--source applies to create"_s;
        QTest::newRow("disable of create") << QStringList{u"create"_s, u"x"_s, u"--source"_s, u"s"_s, u"--disable"_s} << 2
                                           << u"--disable applies to set"_s;
        QTest::newRow("set nothing") << QStringList{u"set"_s, u"x"_s} << 2 << u"set needs something to change"_s;
        QTest::newRow("set both") << QStringList{u"set"_s, u"x"_s, u"--disable"_s, u"--enable"_s} << 2
                                  << u"--disable and --enable exclude each other"_s;
        QTest::newRow("set zero") << QStringList{u"set"_s, u"x"_s, u"--tpm"_s, u"0"_s} << 2 << u"(or 'none' for no limit)"_s;
        QTest::newRow("set bad expiry") << QStringList{u"set"_s, u"x"_s, u"--expires"_s, u"soon"_s} << 2 << u"(or 'never')"_s;
        QTest::newRow("unknown option") << QStringList{u"list"_s, u"--frob"_s} << 2 << u"Unknown option 'frob'"_s;
        QTest::newRow("database down") << QStringList{u"list"_s, u"--db"_s, u"postgres://boo:hunter2@127.0.0.1:1/h"_s} << 1
                                       << u"127.0.0.1"_s;
    }
    void badCommandLines()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run run = keys(args, m_home.path());
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.startsWith(u"boocontrol keys: "_s) && run.err.contains(message), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"hunter2"_s));
        QVERIFY(run.out.isEmpty());
    }

    void defaultDatabaseIsTheServers()
    {
        QTemporaryDir home;
        const Run run = keys({u"create"_s, u"a"_s, u"--source"_s, u"s"_s}, home.path());
        QCOMPARE(run.exitCode, 0);
        QVERIFY(QFile::exists(home.path() + u"/data/boocontrol/history.sqlite"_s));
        QCOMPARE(keys({u"list"_s, u"--json"_s}, home.path()).json().value(u"keys"_s).toArray().size(), 1);
    }

    // A running server follows the command line: a key created, then revoked, in another process.
    void aRunningServerFollowsWithinASecond()
    {
        QTemporaryDir dir;
        const QString url = u"sqlite:"_s + dir.filePath(u"h.sqlite"_s);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        QProcess server;
        server.setProcessEnvironment(environment(m_home.path()));
        server.start(QStringLiteral(BOO_EXECUTABLE),
                     {u"--serve"_s, u"--demo"_s, u"--db"_s, url, u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)});
        QVERIFY(server.waitForStarted());
        QNetworkAccessManager nam;
        // A chat with a demo model may wait for a cold start: the timing checks use /v1/models,
        // which answers at once and wants the same key.
        const auto status = [&](const QString &secret, bool chat = false) {
            QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/%2"_s.arg(port).arg(chat ? u"chat/completions"_s : u"models"_s)));
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            if (!secret.isEmpty())
                request.setRawHeader("Authorization", "Bearer " + secret.toUtf8());
            QNetworkReply *reply = chat
                ? nam.post(request, R"({"model":"auto","max_tokens":2,"messages":[{"role":"user","content":"hi"}]})"_ba)
                : nam.get(request);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(30000);
            const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return code;
        };
        const auto msUntil = [&](const QString &secret, int wanted) {
            QElapsedTimer clock;
            clock.start();
            while (clock.elapsed() < 5000) {
                if (status(secret) == wanted)
                    return clock.elapsed();
                QTest::qWait(20);
            }
            return qint64(-1);
        };
        // The demo fleet answers without a key until one exists.
        const bool up = QTest::qWaitFor([&] { return status({}) == 200; }, 30000);

        const Run created = keys({u"create"_s, u"app"_s, u"--source"_s, u"app"_s, u"--db"_s, url}, m_home.path());
        const qint64 closed = up ? msUntil({}, 401) : -1;
        const int withKey = status(firstLine(created.out), true);
        const Run disabled = keys({u"set"_s, u"app"_s, u"--disable"_s, u"--db"_s, url}, m_home.path());
        const qint64 off = up ? msUntil(firstLine(created.out), 401) : -1;
        const Run enabled = keys({u"set"_s, u"app"_s, u"--enable"_s, u"--db"_s, url}, m_home.path());
        const qint64 on = up ? msUntil(firstLine(created.out), 200) : -1;
        const Run revoked = keys({u"revoke"_s, u"app"_s, u"--db"_s, url}, m_home.path());
        const qint64 refused = up ? msUntil(firstLine(created.out), 401) : -1;

        server.terminate();
        QVERIFY(server.waitForFinished(20000));
        QVERIFY2(up, qPrintable(QString::fromUtf8(server.readAllStandardError())));
        QCOMPARE(created.exitCode, 0);
        QCOMPARE(revoked.exitCode, 0);
        QVERIFY2(closed >= 0 && closed < 1000, qPrintable(QString::number(closed)));
        QCOMPARE(withKey, 200);
        QCOMPARE(disabled.exitCode, 0);
        QCOMPARE(enabled.exitCode, 0);
        QVERIFY2(off >= 0 && off < 1000, qPrintable(QString::number(off)));
        QVERIFY2(on >= 0 && on < 1000, qPrintable(QString::number(on)));
        QVERIFY2(refused >= 0 && refused < 1000, qPrintable(QString::number(refused)));
    }
};

QTEST_GUILESS_MAIN(TestKeysCommand)
#include "tst_keyscommand.moc"
