#include "core/protocol/accesslogline.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestAccessLogLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("isAccess");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("userAgent");
        QTest::newRow("ours")
            << u"[INFO] Request 127.0.0.1 \"GET /api/metrics/activity?min_id=5&sort=id HTTP/1.1\" 200 412 \"BooControl/0.1.0\" 812µs"_s
            << true << u"GET"_s << u"/api/metrics/activity?min_id=5&sort=id"_s << 200 << u"BooControl/0.1.0"_s;
        QTest::newRow("browser") << u"[INFO] Request 10.0.0.7 \"GET /ui/ HTTP/2.0\" 304 0 \"Mozilla/5.0 (X11; Linux x86_64)\" 1.1ms"_s
                                 << true << u"GET"_s << u"/ui/"_s << 304 << u"Mozilla/5.0 (X11; Linux x86_64)"_s;
        QTest::newRow("timestamp before, empty agent")
            << u"2026-12-07 13:00:01 [INFO] Request ::1 \"POST /unload HTTP/1.1\" 200 2 \"\" 3ms"_s << true << u"POST"_s << u"/unload"_s
            << 200 << QString();
        QTest::newRow("escaped quote in agent") << u"[INFO] Request 1.2.3.4 \"GET / HTTP/1.1\" 200 5 \"a \\\"b\\\" c\" 4.8s"_s << true
                                                << u"GET"_s << u"/"_s << 200 << u"a \\\"b\\\" c"_s;
        QTest::newRow("not access") << u"[INFO] <qwen> Request to load model"_s << false << QString() << QString() << 0 << QString();
        QTest::newRow("model says Request") << u"srv  log_server_r: Request \"GET /health HTTP/1.1\" 200"_s << false << QString()
                                            << QString() << 0 << QString();
    }
    void parses()
    {
        QFETCH(QString, line);
        QFETCH(bool, isAccess);
        const auto parsed = AccessLogLine::parse(line);
        QCOMPARE(parsed.has_value(), isAccess);
        if (!parsed)
            return;
        QTEST(parsed->method, "method");
        QTEST(parsed->target, "target");
        QTEST(parsed->status, "status");
        QTEST(parsed->userAgent, "userAgent");
    }
};

QTEST_GUILESS_MAIN(TestAccessLogLine)
#include "tst_accesslogline.moc"
