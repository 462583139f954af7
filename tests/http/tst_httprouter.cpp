#include "core/http/httpresponder.h"
#include "core/http/httprouter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::HttpRouter;

class TestHttpRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void match_data();
    void match();
    void invalidPatterns_data();
    void invalidPatterns();
    void laterRouteReplacesEarlier();

private:
    HttpRouter m_router;
};

void TestHttpRouter::initTestCase()
{
    const QList<std::pair<QByteArray, QString>> routes = {
        {"GET"_ba, u"/health"_s},
        {"GET"_ba, u"/v1/models"_s},
        {"POST"_ba, u"/v1/chat/completions"_s},
        {"GET"_ba, u"/api/captures/{id}"_s},
        {"POST"_ba, u"/api/models/unload"_s},
        {"POST"_ba, u"/api/models/unload/{model...}"_s},
        {"GET"_ba, u"/logs/stream"_s},
        {"GET"_ba, u"/logs/stream/{id...}"_s},
        {QByteArray(), u"/upstream/{model...}"_s},
        {"GET"_ba, u"/ui/"_s},
        {"GET"_ba, u"/ui/{$}"_s},
        {"GET"_ba, u"/ui/{file}"_s},
        {"GET"_ba, u"/{$}"_s},
        {"POST"_ba, u"/api/inflight/{id}/cancel"_s},
        {"DELETE"_ba, u"/api/inflight/{id}/cancel"_s},
        {"GET"_ba, u"/static/"_s},
        {QByteArray(), u"/static/special"_s},
    };
    for (const auto &[method, pattern] : routes)
        QVERIFY(m_router.add(method, pattern, [](const boo::HttpRequest &, boo::HttpResponder) {}));
}

void TestHttpRouter::match_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("pattern");    // empty: no route
    QTest::addColumn<QString>("params");     // "k=v;k2=v2"
    QTest::addColumn<QByteArray>("allowed"); // for 405

    QTest::newRow("literal") << "GET"_ba
                             << "/health"_ba << u"/health"_s << QString() << QByteArray();
    QTest::newRow("head answers get") << "HEAD"_ba
                                      << "/health"_ba << u"/health"_s << QString() << QByteArray();
    QTest::newRow("wrong method") << "GET"_ba
                                  << "/v1/chat/completions"_ba << QString() << QString() << "POST"_ba;
    QTest::newRow("405 lists GET and HEAD") << "POST"_ba
                                            << "/health"_ba << QString() << QString() << "GET,HEAD"_ba;
    QTest::newRow("405 sorted") << "GET"_ba
                                << "/api/inflight/3/cancel"_ba << QString() << QString() << "DELETE,POST"_ba;
    QTest::newRow("unknown") << "GET"_ba
                             << "/nope"_ba << QString() << QString() << QByteArray();
    QTest::newRow("trailing slash is another path") << "GET"_ba
                                                    << "/health/"_ba << QString() << QString() << QByteArray();
    QTest::newRow("param") << "GET"_ba
                           << "/api/captures/1043"_ba << u"/api/captures/{id}"_s << u"id=1043"_s << QByteArray();
    QTest::newRow("param is decoded") << "GET"_ba
                                      << "/api/captures/a%2Fb"_ba << u"/api/captures/{id}"_s << u"id=a/b"_s << QByteArray();
    QTest::newRow("param needs a value") << "GET"_ba
                                         << "/api/captures/"_ba << QString() << QString() << QByteArray();
    QTest::newRow("exact beats rest") << "POST"_ba
                                      << "/api/models/unload"_ba << u"/api/models/unload"_s << QString() << QByteArray();
    QTest::newRow("rest with slashes") << "POST"_ba
                                       << "/api/models/unload/org/model%20x"_ba << u"/api/models/unload/{model...}"_s
                                       << u"model=org/model x"_s << QByteArray();
    QTest::newRow("rest may be empty") << "GET"_ba
                                       << "/logs/stream/"_ba << u"/logs/stream/{id...}"_s << u"id="_s << QByteArray();
    QTest::newRow("stream exact") << "GET"_ba
                                  << "/logs/stream"_ba << u"/logs/stream"_s << QString() << QByteArray();
    QTest::newRow("any method") << "PATCH"_ba
                                << "/upstream/m/x"_ba << u"/upstream/{model...}"_s << u"model=m/x"_s << QByteArray();
    QTest::newRow("prefix") << "GET"_ba
                            << "/ui/assets/app.js"_ba << u"/ui/"_s << QString() << QByteArray();
    QTest::newRow("param beats prefix") << "GET"_ba
                                        << "/ui/index.html"_ba << u"/ui/{file}"_s << u"file=index.html"_s << QByteArray();
    QTest::newRow("exact slash beats prefix") << "GET"_ba
                                              << "/ui/"_ba << u"/ui/{$}"_s << QString() << QByteArray();
    QTest::newRow("root exact") << "GET"_ba
                                << "/"_ba << u"/{$}"_s << QString() << QByteArray();
    QTest::newRow("prefix does not match dir without slash") << "GET"_ba
                                                             << "/ui"_ba << QString() << QString() << QByteArray();
    QTest::newRow("literal any-method beats GET prefix") << "POST"_ba
                                                         << "/static/special"_ba << u"/static/special"_s << QString() << QByteArray();
    QTest::newRow("prefix wrong method") << "POST"_ba
                                         << "/static/x"_ba << QString() << QString() << "GET,HEAD"_ba;
}

void TestHttpRouter::match()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QString, pattern);
    QFETCH(QString, params);
    QFETCH(QByteArray, allowed);

    const HttpRouter::Match m = m_router.match(method, path);
    QCOMPARE(m.route ? m.route->pattern : QString(), pattern);
    QCOMPARE(m.allowedMethods.join(','), allowed);
    QHash<QString, QString> expected;
    if (!params.isEmpty()) {
        for (const QString &kv : params.split(u';')) {
            const qsizetype eq = kv.indexOf(u'=');
            expected.insert(kv.first(eq), kv.sliced(eq + 1));
        }
    }
    QCOMPARE(m.params, expected);
}

void TestHttpRouter::invalidPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::newRow("relative") << u"health"_s;
    QTest::newRow("rest not last") << u"/a/{x...}/b"_s;
    QTest::newRow("partial segment") << u"/a/x{y}"_s;
    QTest::newRow("empty name") << u"/a/{}"_s;
    QTest::newRow("repeated name") << u"/a/{x}/{x}"_s;
    QTest::newRow("dollar mid-pattern") << u"/a/{$}/b"_s;
}

void TestHttpRouter::invalidPatterns()
{
    QFETCH(QString, pattern);
    HttpRouter router;
    QString error;
    QVERIFY(!router.add(
        "GET"_ba, pattern, [](const boo::HttpRequest &, boo::HttpResponder) {}, -1, &error));
    QVERIFY(error.contains(pattern));
}

void TestHttpRouter::laterRouteReplacesEarlier()
{
    HttpRouter router;
    QVERIFY(router.add("GET"_ba, u"/a"_s, {}, 10));
    QVERIFY(router.add("GET"_ba, u"/a"_s, {}, 20));
    QCOMPARE(router.match("GET", "/a").route->maxBodyBytes, 20);
}

QTEST_GUILESS_MAIN(TestHttpRouter)
#include "tst_httprouter.moc"
