// Every "now" figure of the cockpit reads one definition of a request rate (RequestRate:
// requests finished in the last 60 s). Given one history, the host cards, the status bar, the
// fleet summary, the Performance tab and /metrics must say the same.
#include "core/client/localhistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/fleet/fleetsummary.h"
#include "core/server/metricsexporter.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"
#include "tests/views/fleetandhistorybackend.h"
#include "views/fleetsummarystrip.h"
#include "views/fleetview.h"
#include "views/hostcard.h"
#include "views/mainwindow.h"
#include "views/performanceview.h"

#include <QDateTime>
#include <QLabel>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::FleetAndHistoryBackend;
using boo::test::TestDatabase;

namespace {

ActivityEntry finished(qint64 id, qint64 ts, qint64 outputTokens)
{
    ActivityEntry e;
    e.id = id;
    e.model = u"m"_s;
    e.timestampMs = ts;
    e.reqPath = u"/v1/chat/completions"_s;
    e.respStatusCode = 200;
    e.inputTokens = 10;
    e.outputTokens = outputTokens;
    return e;
}

// "12 req/min" -> 12 (the labels format numbers with the locale; the tests use small ones).
int leadingNumber(const QString &text, const QString &unit)
{
    const auto match = QRegularExpression(u"(\\d+) "_s + QRegularExpression::escape(unit)).match(text);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

double metric(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

} // namespace

class TestRateAgreement : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path()); }

    void everyFigureReadsTheSameRate()
    {
        auto tdb = TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(Migrations::migrate(**Database::open(tdb->url(), u"m"_s)).ok());
        LocalHistorySource history(tdb->url());
        FleetState fleet;
        fleet.addHost(u"h1"_s, u"Host one"_s, u"http://h1"_s);
        fleet.addHost(u"h2"_s, u"Host two"_s, u"http://h2"_s);
        // Away from the window's edges, so that the seconds the test takes cannot move a row out:
        // inside 10 s and 40 s ago, outside 75 s and 5 min ago (still in the per-minute history,
        // which a "current minute" reading would have shown or not depending on the clock).
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        fleet.addActivity(u"h1"_s,
                          {finished(1, now - 300'000, 50), finished(2, now - 75'000, 50), finished(3, now - 40'000, 30),
                           finished(4, now - 10'000, 30), finished(5, now - 9'000, 60)});
        fleet.addActivity(u"h2"_s, {finished(1, now - 70'000, 10), finished(2, now - 30'000, 120), finished(3, now - 1'000, 240)});
        const qint64 h1 = fleet.host(u"h1"_s)->rateAt(now).requests;
        const qint64 h2 = fleet.host(u"h2"_s)->rateAt(now).requests;
        QCOMPARE(h1, 3);
        QCOMPARE(h2, 2);

        FleetAndHistoryBackend backend(&fleet, &history);
        MainWindow window(&backend, nullptr, QString(), CockpitSettings{});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // Host cards.
        QTRY_COMPARE(window.fleetView()->cards().size(), 2);
        for (HostCard *card : window.fleetView()->cards()) {
            const QString id = card->objectName().mid(QStringLiteral("hostcard-").size());
            const auto *label = card->findChild<QLabel *>(u"requestRate"_s);
            QVERIFY(label);
            QCOMPARE(leadingNumber(label->text(), u"req/min"_s), id == u"h1"_s ? h1 : h2);
        }
        // Status bar: the fleet's sum.
        const auto *status = window.findChild<QLabel *>(u"statusRate"_s);
        QVERIFY(status);
        QTRY_COMPARE(leadingNumber(status->text(), u"req/min"_s), int(h1 + h2));
        // The fleet summary strip, and the summary /api/fleet serves.
        FleetSummaryStrip *strip = window.fleetView()->summaryStrip();
        QTRY_COMPARE(leadingNumber(strip->value(u"requests"_s)->text(), u"req/min"_s), int(h1 + h2));
        QCOMPARE(FleetSummary::of(fleet, QDateTime::currentMSecsSinceEpoch()).rate.requests, h1 + h2);
        QCOMPARE(strip->value(u"tokens"_s)->text(), u"8.0 tok/s"_s);
        // Performance tab: the hosts shown (all, then one).
        PerformanceView *performance = window.performanceView();
        QTRY_COMPARE(leadingNumber(performance->nowLabel()->text(), u"req/min"_s), int(h1 + h2));
        // Output tokens per second of the 60 s: (30 + 30 + 60 + 120 + 240) / 60 = 8.
        QVERIFY2(performance->nowLabel()->text().contains(u"8.0 tok/s"_s), qPrintable(performance->nowLabel()->text()));
        performance->setHostShown(u"h1"_s, false);
        QCOMPARE(leadingNumber(performance->nowLabel()->text(), u"req/min"_s), int(h2));
        performance->setHostShown(u"h1"_s, true);
        // /metrics.
        const QByteArray metrics = MetricsExporter::render({&fleet, {}, std::nullopt, 0, 0, QDateTime::currentMSecsSinceEpoch()});
        QCOMPARE(metric(metrics, "boo_host_requests_last_minute{host=\"h1\"}"), double(h1));
        QCOMPARE(metric(metrics, "boo_host_requests_last_minute{host=\"h2\"}"), double(h2));
        QCOMPARE(metric(metrics, "boo_host_output_tokens_per_second{host=\"h1\"}"), 2.0);
    }
};

QTEST_MAIN(TestRateAgreement)
#include "tst_rateagreement.moc"
