#include "core/store/historyrows.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

// Rows spilled to disk while the database is away are our own JSON. One that does not read back
// exactly is corrupt: refused (SpillFile counts and skips it), never written with made-up values
// (a wrong-typed token count once read as "absent", a "200" status as 0).
class TestHistoryRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip()
    {
        RequestRow request;
        request.providerId = u"h1"_s;
        request.swapEntryId = 42;
        request.ts = 1'790'000'000'000;
        request.respStatusCode = 200;
        request.inputTokens = 512;
        request.tokensPerSecond = 38.25;
        request.hasCapture = true;
        GatewayDispatchRow dispatch;
        dispatch.dispatchId = u"d1"_s;
        dispatch.ts = 1'790'000'000'000;
        dispatch.stream = true;
        dispatch.ttftMs = 12.5;
        HostStatusRow status;
        status.providerId = u"h1"_s;
        status.lastSeenAt = 1'790'000'000'000;
        for (const HistoryRow &row :
             {HistoryRow{request}, HistoryRow{dispatch}, HistoryRow{status}, HistoryRow{AttributedRequestRow{request}}}) {
            const auto back = historyRowFromJson(historyRowToJson(row));
            QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
            QVERIFY(*back == row);
        }
    }

    void wrongTypesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        const auto request = [](const char *extra) -> QByteArray {
            return "{\"kind\":\"request\",\"provider\":\"h1\",\"id\":1,\"ts\":5"_ba + extra + '}';
        };
        QTest::newRow("status as string") << request(",\"status\":\"200\"") << u"field \"status\" is a string"_s;
        QTest::newRow("tokens as string") << request(",\"input\":\"512\"") << u"field \"input\" is a string"_s;
        QTest::newRow("speed as string") << request(",\"tps\":\"38\"") << u"field \"tps\" is a string"_s;
        QTest::newRow("capture as number") << request(",\"capture\":1") << u"field \"capture\" is a number"_s;
        QTest::newRow("id as string") << "{\"kind\":\"request\",\"provider\":\"h1\",\"id\":\"1\",\"ts\":5}"_ba
                                      << u"field \"id\" is a string"_s;
        QTest::newRow("no ts") << "{\"kind\":\"request\",\"provider\":\"h1\",\"id\":1}"_ba << u"field \"ts\" is missing"_s;
        QTest::newRow("dispatch stream as string")
            << "{\"kind\":\"dispatch\",\"id\":\"d1\",\"ts\":5,\"stream\":\"yes\"}"_ba << u"field \"stream\" is a string"_s;
        QTest::newRow("dispatch ttft as string")
            << "{\"kind\":\"dispatch\",\"id\":\"d1\",\"ts\":5,\"ttft_ms\":\"9\"}"_ba << u"field \"ttft_ms\" is a string"_s;
        QTest::newRow("perf metric as string") << "{\"kind\":\"perf\",\"provider\":\"h1\",\"gpu\":0,\"ts\":5,\"temp_c\":\"70\"}"_ba
                                               << u"field \"temp_c\" is a string"_s;
        QTest::newRow("host status seen as string")
            << "{\"kind\":\"host_status\",\"provider\":\"h1\",\"seen\":\"5\"}"_ba << u"field \"seen\" is a string"_s;
        QTest::newRow("kind as number") << "{\"kind\":3}"_ba << u"field \"kind\" is a number"_s;
        QTest::newRow("unknown kind") << "{\"kind\":\"telemetry\"}"_ba << u"unknown row kind 'telemetry'"_s;
    }
    void wrongTypesAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const auto row = historyRowFromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!row);
        QCOMPARE(row.error().code, u"spill.row"_s);
        QVERIFY2(row.error().message.contains(mentions), qPrintable(row.error().message));
    }
};

QTEST_GUILESS_MAIN(TestHistoryRows)
#include "tst_historyrows.moc"
