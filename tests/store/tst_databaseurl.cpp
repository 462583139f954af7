#include "core/store/database.h"
#include "core/store/databaseurl.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::DatabaseUrl;
using boo::SqlDialect;

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValidUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<SqlDialect>("dialect");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("display");

        QTest::newRow("sqlite absolute") << u"sqlite:/var/lib/boo/h.sqlite"_s << SqlDialect::Sqlite << u"/var/lib/boo/h.sqlite"_s
                                         << QString() << 5432 << QString() << QString() << QString() << u"sqlite:/var/lib/boo/h.sqlite"_s;
        QTest::newRow("sqlite triple slash") << u"sqlite:///tmp/x.sqlite"_s << SqlDialect::Sqlite << u"/tmp/x.sqlite"_s << QString() << 5432
                                             << QString() << QString() << QString() << u"sqlite:/tmp/x.sqlite"_s;
        QTest::newRow("sqlite relative") << u"sqlite:data/x.sqlite"_s << SqlDialect::Sqlite
                                         << QDir::current().absoluteFilePath(u"data/x.sqlite"_s) << QString() << 5432 << QString()
                                         << QString() << QString() << u"sqlite:"_s + QDir::current().absoluteFilePath(u"data/x.sqlite"_s);
        QTest::newRow("postgres full") << u"postgres://boo:s3cr%40t@db.lan:6543/history"_s << SqlDialect::Postgres << QString()
                                       << u"db.lan"_s << 6543 << u"boo"_s << u"s3cr@t"_s << u"history"_s
                                       << u"postgres://boo:***@db.lan:6543/history"_s;
        QTest::newRow("postgresql scheme, default port, no password")
            << u"postgresql://boo@localhost/history"_s << SqlDialect::Postgres << QString() << u"localhost"_s << 5432 << u"boo"_s
            << QString() << u"history"_s << u"postgres://boo@localhost:5432/history"_s;
    }

    void parsesValidUrls()
    {
        QFETCH(QString, text);
        QFETCH(SqlDialect, dialect);
        QFETCH(QString, path);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        QFETCH(QString, display);

        const auto url = DatabaseUrl::parse(text);
        QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
        QCOMPARE(url->dialect, dialect);
        QCOMPARE(url->sqlitePath, path);
        QCOMPARE(url->host, host);
        QCOMPARE(url->port, port);
        QCOMPARE(url->user, user);
        QCOMPARE(url->password, password);
        QCOMPARE(url->databaseName, database);
        QCOMPARE(url->displayString(), display);
        QVERIFY(!url->displayString().contains(u"s3cr"_s));
    }

    void postgresOptions()
    {
        const auto url = DatabaseUrl::parse(u"postgres://u@h/d?sslmode=require&application_name=boo"_s);
        QVERIFY(url.ok());
        QCOMPARE(url->connectOptions, (QStringList{u"sslmode=require"_s, u"application_name=boo"_s, u"connect_timeout=5"_s}));

        const auto withTimeout = DatabaseUrl::parse(u"postgres://u@h/d?connect_timeout=2"_s);
        QVERIFY(withTimeout.ok());
        QCOMPARE(withTimeout->connectOptions, QStringList{u"connect_timeout=2"_s});
    }

    void rejectsBadUrls_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown scheme") << u"mysql://root:hunter2@h/db"_s << u"unsupported scheme 'mysql'"_s;
        QTest::newRow("not a url") << u"just words"_s << u"is not a URL"_s;
        QTest::newRow("postgres without db") << u"postgres://u:hunter2@h:5432/"_s << u"must name one database"_s;
        QTest::newRow("postgres without host") << u"postgres:///db"_s << u"has no host"_s;
        QTest::newRow("unknown pg option") << u"postgres://u:hunter2@h/db?sslmod=require"_s << u"unknown option 'sslmod'"_s;
        QTest::newRow("sqlite with host") << u"sqlite://host/file"_s << u"names a file, not a host"_s;
    }

    void rejectsBadUrls()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const auto url = DatabaseUrl::parse(text);
        QVERIFY(!url.ok());
        QCOMPARE(url.error().code, u"db.url"_s);
        QVERIFY2(url.error().message.contains(mentions), qPrintable(url.error().message));
        // The URL is named, its password never.
        QVERIFY2(!url.error().message.contains(u"hunter2"_s), qPrintable(url.error().message));
    }

    void unreachableServerNamesUrlWithoutPassword()
    {
        const auto url = DatabaseUrl::parse(u"postgres://boo:hunter2@127.0.0.1:1/history?connect_timeout=2"_s);
        QVERIFY(url.ok());
        const auto db = boo::Database::open(*url, u"test"_s);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, u"db.unavailable"_s);
        QVERIFY2(db.error().message.contains(u"postgres://boo:***@127.0.0.1:1/history"_s), qPrintable(db.error().message));
        QVERIFY(!db.error().message.contains(u"hunter2"_s));
    }

    void spillFileIsBesideSqliteDatabase()
    {
        const auto url = DatabaseUrl::parse(u"sqlite:/srv/boo/history.sqlite"_s);
        QVERIFY(url.ok());
        QCOMPARE(url->spillFilePath(), u"/srv/boo/history.sqlite.spill"_s);
        const auto pgA = DatabaseUrl::parse(u"postgres://u@a/db"_s);
        const auto pgB = DatabaseUrl::parse(u"postgres://u@b/db"_s);
        QVERIFY(pgA.ok() && pgB.ok());
        QVERIFY(pgA->spillFilePath() != pgB->spillFilePath());
    }
};

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
