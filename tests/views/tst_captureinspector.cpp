#include "core/protocol/capture.h"
#include "views/captureinspector.h"

#include <QFile>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestCaptureInspector : public QObject
{
    Q_OBJECT

    static Capture referenceCapture()
    {
        QFile file(QStringLiteral(BOO_TEST_DATA_DIR "/llama-swap/api-capture.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("no fixture");
        return *Capture::fromJson(file.readAll());
    }

private Q_SLOTS:
    void showsTheWholeExchange()
    {
        CaptureInspector inspector(nullptr);
        Capture capture = referenceCapture();
        capture.reqHeaders.insert(u"X-Api-Key"_s, u"sk-not-redacted-by-an-old-host"_s);
        inspector.setCapture(u"gpu1"_s, capture);
        QVERIFY(inspector.message().isEmpty());
        QTableWidget *headers = inspector.requestHeaders();
        QStringList shown;
        for (int row = 0; row < headers->rowCount(); ++row)
            shown << headers->item(row, 0)->text() + u": "_s + headers->item(row, 1)->text();
        QVERIFY(shown.contains(u"Authorization: [REDACTED]"_s));
        QVERIFY(shown.contains(u"X-Api-Key: [REDACTED]"_s)); // hidden even though the host did not
        QVERIFY(shown.contains(u"X-Session-Id: sess-7f3a"_s));
        // The body is pretty-printed JSON.
        QVERIFY(inspector.requestBody()->toPlainText().contains(u"\n    \"max_tokens\": 64,\n"_s));
        // The stream was put back together and its timings read.
        QVERIFY(inspector.tabs()->isTabEnabled(2));
        QCOMPARE(inspector.tabs()->currentIndex(), 2);
        QVERIFY(inspector.streamMessage()->toPlainText().contains(u"\"content\": \"Weights fill the card\""_s));
        QVERIFY(inspector.curlCommand().contains(u"$LLAMA_SWAP_API_KEY"_s));
        QVERIFY(!inspector.curlCommand().contains(u"sk-not-redacted"_s));
    }

    void saysWhenTheCaptureIsGone()
    {
        CaptureInspector inspector(nullptr);
        inspector.setCapture(u"gpu1"_s, makeError(u"capture.gone"_s, u"gone"_s));
        QVERIFY(inspector.message().contains(u"no longer on gpu1"_s));
        QVERIFY(inspector.message().contains(u"captureBuffer"_s));
        QVERIFY(inspector.curlCommand().isEmpty());
        inspector.setCapture(u"gpu1"_s, makeError(u"net.failed"_s, u"connection refused"_s));
        QCOMPARE(inspector.message(), u"The capture could not be fetched: connection refused"_s);
    }

    void bodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("stored");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not stored") << QByteArray() << false << u"(not stored"_s;
        QTest::newRow("empty") << QByteArray() << true << u"(empty)"_s;
        QTest::newRow("text") << "plain words"_ba << true << u"plain words"_s;
        QTest::newRow("binary") << QByteArray(400, '\xff') << true << u"400 bytes of binary data"_s;
    }

    void bodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, stored);
        QFETCH(QString, expected);
        const QString text = CaptureInspector::bodyText(stored ? std::optional<QByteArray>(body) : std::nullopt);
        QVERIFY2(text.contains(expected), qPrintable(text));
    }
};

QTEST_MAIN(TestCaptureInspector)
#include "tst_captureinspector.moc"
