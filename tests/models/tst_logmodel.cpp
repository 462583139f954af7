#include "core/client/localbackend.h"
#include "core/fleet/fleetstate.h"
#include "models/ansiformatter.h"
#include "models/logfeed.h"
#include "models/logmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QList<LogLine> lines(int from, int count)
{
    QList<LogLine> out;
    for (int i = from; i < from + count; ++i)
        out << LogLineSplitter::makeLine(QByteArray(QByteArray("line ") + QByteArray::number(i)));
    return out;
}

} // namespace

class TestLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ansiColours_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("plain");
        QTest::addColumn<int>("ranges");
        QTest::newRow("none") << u"plain text"_s << u"plain text"_s << 0;
        QTest::newRow("red word") << u"a \x1b[31mred\x1b[0m b"_s << u"a red b"_s << 1;
        QTest::newRow("bold then colour") << u"\x1b[1mB\x1b[32mG\x1b[0m"_s << u"BG"_s << 2;
        QTest::newRow("256 and rgb") << u"\x1b[38;5;208mo\x1b[38;2;1;2;3mr\x1b[m"_s << u"or"_s << 2;
        QTest::newRow("cursor moves dropped") << u"x\x1b[2Ky\x1b]0;title\x07z"_s << u"xyz"_s << 0;
        QTest::newRow("unterminated") << u"ok\x1b[31"_s << u"ok"_s << 0;
        QTest::newRow("lone esc") << u"end\x1b"_s << u"end"_s << 0;
    }

    void ansiColours()
    {
        QFETCH(QString, text);
        QFETCH(QString, plain);
        QFETCH(int, ranges);
        const auto light = AnsiFormatter::format(text, false);
        QCOMPARE(light.plain, plain);
        // The same plain text as the protocol layer's, so search hits and formats line up.
        QCOMPARE(light.plain, LogLineSplitter::stripAnsi(text));
        QCOMPARE(light.formats.size(), ranges);
        if (QTest::currentDataTag() == "red word"_ba) {
            QCOMPARE(light.formats.at(0).start, 2);
            QCOMPARE(light.formats.at(0).length, 3);
            QCOMPARE(light.formats.at(0).format.foreground().color(), AnsiFormatter::basicColor(1, false));
            const auto dark = AnsiFormatter::format(text, true);
            QCOMPARE(dark.formats.at(0).format.foreground().color(), AnsiFormatter::basicColor(1, true));
            QVERIFY(AnsiFormatter::basicColor(1, true) != AnsiFormatter::basicColor(1, false));
        }
    }

    void appendsCapsAndFinds()
    {
        LogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLines(lines(0, 10));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendLines(lines(10, 5));
        model.appendLines(lines(15, 5));
        QCOMPARE(model.rowCount(), 10);
        QTRY_COMPARE(model.rowCount(), 20);
        QCOMPARE(inserted.size(), 1); // one batch
        model.appendLines(lines(20, LogModel::kMaxLines));
        model.flush();
        QCOMPARE(model.rowCount(), LogModel::kMaxLines);
        QCOMPARE(model.index(model.rowCount() - 1).data().toString(), u"line %1"_s.arg(20 + LogModel::kMaxLines - 1));
        QCOMPARE(model.index(0).data().toString(), u"line 20"_s);
        const int hit = model.find(u"LINE 2050"_s, 0);
        QCOMPARE(model.index(hit).data().toString(), u"line 2050"_s);
        QCOMPARE(model.find(u"line 20"_s, 1, false), 0); // backwards, wrapping
        QCOMPARE(model.find(u"nothing"_s, 0), -1);
        QCOMPARE(model.plainText({0, 1}), u"line 20\nline 21"_s);
    }

    void pauseHoldsNewLines()
    {
        LogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLines(lines(0, 3));
        model.setPaused(true);
        QSignalSpy pending(&model, &LogModel::pendingCountChanged);
        model.appendLines(lines(3, 4));
        QTest::qWait(2 * LogModel::kInsertIntervalMs);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.pendingCount(), 4);
        QCOMPARE(pending.constLast().at(0).toInt(), 4);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(model.index(6).data(LogModel::RawTextRole).toString(), u"line 6"_s);
        QVERIFY(model.index(0).data(LogModel::FormatsRole).canConvert<QList<QTextLayout::FormatRange>>());
    }

    void feedFollowsFleetLogs()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"h1"_s, u"http://h1"_s);
        fleet.appendLog(u"h1"_s, u"proxy"_s, lines(0, 5));
        fleet.appendLog(u"h1"_s, u"upstream"_s, lines(100, 2));
        LogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // A backend without a runtime is enough for the fleet's own logs.
        struct FleetOnly final : CockpitBackend
        {
            FleetState *state;
            explicit FleetOnly(FleetState *s)
                : state(s)
            {
            }
            FleetState *fleet() const override { return state; }
            HistorySource *history() const override { return nullptr; }
            void submit(const HostAction &, QObject *, ActionCallback) override {}
            void acknowledgeGap(const QString &, QObject *, DoneCallback) override {}
            void fetchCapture(const QString &, qint64, QObject *, CaptureCallback) override {}
            Result<LogStreamReader *> openModelLog(const QString &, const QString &, QObject *) override
            {
                return makeError(u"test"_s, u"no model logs here"_s);
            }
            QString databaseLabel() const override { return {}; }
            std::optional<bool> databaseUp() const override { return std::nullopt; }
        } backend(&fleet);
        LogFeed feed(&backend, &model);
        feed.setSource(u"h1"_s, u"proxy"_s);
        QCOMPARE(model.rowCount(), 5);
        fleet.appendLog(u"h1"_s, u"proxy"_s, lines(5, 2));
        fleet.appendLog(u"h1"_s, u"upstream"_s, lines(200, 9)); // another source
        model.flush();
        QCOMPARE(model.rowCount(), 7);
        fleet.appendLog(u"h1"_s, u"proxy"_s, lines(50, 1), true); // the host's history after a reconnect
        QCOMPARE(model.rowCount(), 1);
        feed.setSource(u"h1"_s, u"upstream"_s);
        QCOMPARE(model.rowCount(), 11);
        QSignalSpy problems(&feed, &LogFeed::problemChanged);
        feed.setSource(u"h1"_s, u"qwen"_s);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(feed.problem(), u"no model logs here"_s);
    }
};

QTEST_MAIN(TestLogModel)
#include "tst_logmodel.moc"
