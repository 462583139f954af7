#include "core/client/cockpitbackend.h"
#include "core/fleet/fleetstate.h"
#include "models/logfeed.h"
#include "models/logmodel.h"
#include "views/logsview.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// The fleet's own logs need nothing but a FleetState behind the backend interface.
class FleetOnlyBackend final : public CockpitBackend
{
public:
    explicit FleetOnlyBackend(FleetState *fleet)
        : m_fleet(fleet)
    {
    }
    FleetState *fleet() const override { return m_fleet; }
    HistorySource *history() const override { return nullptr; }
    void submit(const HostAction &, QObject *, ActionCallback) override {}
    void acknowledgeGap(const QString &, QObject *, DoneCallback) override {}
    void fetchCapture(const QString &, qint64, QObject *, CaptureCallback) override {}
    Result<LogStreamReader *> openModelLog(const QString &, const QString &, QObject *) override
    {
        return makeError(u"test"_s, u"no model logs"_s);
    }
    QString databaseLabel() const override { return {}; }
    std::optional<bool> databaseUp() const override { return std::nullopt; }

private:
    FleetState *m_fleet;
};

QList<LogLine> lines(int from, int count)
{
    QList<LogLine> out;
    for (int i = from; i < from + count; ++i)
        out << LogLineSplitter::makeLine(QByteArray(QByteArray("\x1b[32m[INFO]\x1b[0m line ") + QByteArray::number(i)));
    return out;
}

} // namespace

class TestLogsView : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path()); }

    void followsPausesAndSearches()
    {
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"Host"_s, u"http://h1"_s);
        fleet.appendLog(u"h1"_s, u"proxy"_s, lines(0, 300));
        FleetOnlyBackend backend(&fleet);
        LogsView view(&backend);
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.select(u"h1"_s, u"proxy"_s);
        QCOMPARE(view.model()->rowCount(), 300);
        QCOMPARE(view.model()->index(0).data().toString(), u"[INFO] line 0"_s); // colours rendered, not shown as codes
        QScrollBar *bar = view.list()->verticalScrollBar();
        QTRY_COMPARE(bar->value(), bar->maximum()); // following the tail

        bar->setValue(0); // the operator scrolls up to read
        QVERIFY(view.model()->isPaused());
        fleet.appendLog(u"h1"_s, u"proxy"_s, lines(300, 5));
        QTest::qWait(2 * LogModel::kInsertIntervalMs);
        QCOMPARE(view.model()->rowCount(), 300);
        QCOMPARE(view.model()->pendingCount(), 5);
        bar->setValue(bar->maximum()); // back at the bottom: resumes
        QCOMPARE(view.model()->rowCount(), 305);
        QTRY_COMPARE(bar->value(), bar->maximum());

        view.searchField()->setText(u"line 42"_s);
        QVERIFY(view.findNext());
        QCOMPARE(view.list()->currentIndex().row(), 42);
        view.searchField()->setText(u"no such text"_s);
        QVERIFY(!view.findNext());

        // The view's choice persists.
        view.select(u"h1"_s, u"upstream"_s);
        QCOMPARE(view.model()->rowCount(), 0);
        QCOMPARE(view.feed()->source(), u"upstream"_s);
    }

    // The host's access lines of our own polling are left out by default; the switch shows them.
    void hidesOwnRequestsUntilAsked()
    {
        QSettings().remove(u"logs"_s);
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"Host"_s, u"http://h1"_s);
        const QByteArray own = "\x1b[32m[INFO]\x1b[0m Request 127.0.0.1 \"GET /running HTTP/1.1\" 200 98 \"BooControl/0.1.0\" 1.2ms";
        const QByteArray client = "[INFO] Request 10.0.0.9 \"POST /v1/chat/completions HTTP/1.1\" 200 812 \"OpenAI/JS 4.0\" 2.412s";
        const QByteArray swap = "[INFO] <qwen> Loading model, swapping out gemma";
        fleet.appendLog(u"h1"_s, u"proxy"_s,
                        {LogLineSplitter::makeLine(own), LogLineSplitter::makeLine(client), LogLineSplitter::makeLine(swap)});
        FleetOnlyBackend backend(&fleet);
        LogsView view(&backend);
        view.select(u"h1"_s, u"proxy"_s);
        QVERIFY(view.hideOwnRequests()->isChecked());
        QCOMPARE(view.model()->rowCount(), 2);
        QVERIFY(view.model()->plainText().contains(u"OpenAI/JS"_s));
        QVERIFY(!view.model()->plainText().contains(u"BooControl/"_s));
        // Live lines too.
        fleet.appendLog(u"h1"_s, u"proxy"_s, {LogLineSplitter::makeLine(own), LogLineSplitter::makeLine(client)});
        view.model()->flush();
        QCOMPARE(view.model()->rowCount(), 3);
        QCOMPARE(view.model()->hiddenCount(), 2);

        view.hideOwnRequests()->setChecked(false);
        QTRY_COMPARE(view.model()->rowCount(), 5);
        QCOMPARE(view.model()->plainText().count(u"BooControl/"_s), 2);
    }
};

QTEST_MAIN(TestLogsView)
#include "tst_logsview.moc"
