#include "core/history/sourceattributor.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

constexpr qint64 kT = 1'790'000'000'000;

RequestRow row(qint64 id, qint64 tsMs, qint64 durationMs, int status = 200, const QString &model = u"m"_s)
{
    RequestRow r;
    r.providerId = u"h"_s;
    r.swapEntryId = id;
    r.ts = tsMs / 1000 * 1000; // llama-swap keeps whole seconds
    r.model = model;
    r.respStatusCode = status;
    r.durationMs = durationMs;
    return r;
}

} // namespace

class TestSourceAttributor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowAfterAttempt()
    {
        SourceAttributor a;
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"aider"_s, kT + 100);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 900);
        QList<RequestRow> rows{row(1, kT + 905, 800), row(2, kT + 950, 5, 200, u"other"_s)};
        a.annotate(u"h"_s, rows, kT + 1000);
        QCOMPARE(rows.at(0).source, u"aider"_s);
        QVERIFY(rows.at(1).source.isEmpty()); // another model: not ours
        QCOMPARE(a.counters().matched, 1);
        QCOMPARE(a.pendingCount(), 0);
    }

    // Only one attempt can have made a row that took longer than the other attempt lasted.
    void durationAndStatusRuleAttemptsOut()
    {
        SourceAttributor a;
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"short"_s, kT + 700);
        a.attemptStarted(u"h"_s, u"m"_s, u"d2.1"_s, u"long"_s, kT - 5000);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 800);
        a.attemptEnded(u"h"_s, u"m"_s, u"d2.1"_s, 200, kT + 850);
        QList<RequestRow> rows{row(1, kT + 850, 5850), row(2, kT + 800, 100)};
        a.annotate(u"h"_s, rows, kT + 1000);
        QCOMPARE(rows.at(0).source, u"long"_s);
        QCOMPARE(rows.at(1).source, u"short"_s); // the only one left

        a.attemptStarted(u"h"_s, u"m"_s, u"d3.1"_s, u"failed"_s, kT + 2000);
        a.attemptEnded(u"h"_s, u"m"_s, u"d3.1"_s, 503, kT + 2100);
        QList<RequestRow> wrongStatus{row(3, kT + 2100, 100, 200)};
        a.annotate(u"h"_s, wrongStatus, kT + 2200);
        QVERIFY(wrongStatus.first().source.isEmpty());
    }

    // Two consumers on the same host and model at the same time: timing cannot tell, so the
    // rows' captures are read, and their X-Boo-Dispatch-Id names the attempt.
    void severalFitReadTheCapture()
    {
        SourceAttributor a;
        QList<RequestRow> asked, late;
        a.setCaptureRequest([&asked](const RequestRow &r) { asked << r; });
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"first"_s, kT + 100);
        a.attemptStarted(u"h"_s, u"m"_s, u"d2.1"_s, u"second"_s, kT + 120);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 900);
        a.attemptEnded(u"h"_s, u"m"_s, u"d2.1"_s, 200, kT + 910);
        QList<RequestRow> rows{row(1, kT + 900, 780), row(2, kT + 910, 785)};
        a.annotate(u"h"_s, rows, kT + 1000);
        QVERIFY(rows.at(0).source.isEmpty() && rows.at(1).source.isEmpty()); // stored as they are, for now
        QCOMPARE(asked.size(), 2);
        QCOMPARE(a.counters().matched, 0);
        // Row 1 was the second consumer's, whatever its timing suggested.
        a.captureRead(asked.at(0), u"d2.1"_s);
        a.captureRead(asked.at(1), u"d1.1"_s);
        QCOMPARE(late.size(), 2);
        QCOMPARE(late.at(0).swapEntryId, 1);
        QCOMPARE(late.at(0).source, u"second"_s);
        QCOMPARE(late.at(1).source, u"first"_s);
        QCOMPARE(a.counters().matchedByCapture, 2);
        QCOMPARE(a.pendingCount(), 0);
    }

    // A row while two attempts run is not held for either: it is read from the capture at once.
    void rowWhileSeveralRun()
    {
        SourceAttributor a;
        QList<RequestRow> asked;
        a.setCaptureRequest([&asked](const RequestRow &r) { asked << r; });
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"x"_s, kT + 100);
        a.attemptStarted(u"h"_s, u"m"_s, u"d2.1"_s, u"y"_s, kT + 100);
        QList<RequestRow> rows{row(1, kT + 500, 380)};
        a.annotate(u"h"_s, rows, kT + 510);
        QCOMPARE(asked.size(), 1);
        a.captureRead(asked.first(), QString()); // no X-Boo-Dispatch-Id: another client of the host
        QCOMPARE(a.counters().notGateway, 1);
        QCOMPARE(a.pendingCount(), 2);
    }

    // No capture (disabled, evicted, or no way to read it): the row is left unattributed and
    // counted, never guessed.
    void withoutCapturesAmbiguousRowsStayUnattributed()
    {
        SourceAttributor a;
        QList<RequestRow> late;
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"first"_s, kT + 100);
        a.attemptStarted(u"h"_s, u"m"_s, u"d2.1"_s, u"second"_s, kT + 120);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 900);
        a.attemptEnded(u"h"_s, u"m"_s, u"d2.1"_s, 200, kT + 910);
        QList<RequestRow> rows{row(1, kT + 900, 780), row(2, kT + 910, 785)};
        a.annotate(u"h"_s, rows, kT + 1000); // no capture request set
        QVERIFY(rows.at(0).source.isEmpty() && rows.at(1).source.isEmpty());
        QVERIFY(late.isEmpty());
        QCOMPARE(a.counters().ambiguous, 2);
        a.captureRead(rows.at(0), std::nullopt); // what a host without the capture answers
        QCOMPARE(a.counters().ambiguous, 3);
        QVERIFY(late.isEmpty());
    }

    void rowBeforeAttemptEnds()
    {
        SourceAttributor a;
        QList<RequestRow> late;
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"script"_s, kT + 100);
        QList<RequestRow> rows{row(7, kT + 500, 400)};
        a.annotate(u"h"_s, rows, kT + 510);
        QVERIFY(rows.first().source.isEmpty()); // not known yet: queued as is
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 520);
        QCOMPARE(late.size(), 1);
        QCOMPARE(late.first().swapEntryId, 7);
        QCOMPARE(late.first().source, u"script"_s);
        QCOMPARE(a.counters().matchedLate, 1);
    }

    void rowsOfIdleModelsAreNotHeld()
    {
        SourceAttributor a;
        int late = 0;
        a.setLateSink([&late](const RequestRow &) { ++late; });
        QList<RequestRow> rows{row(1, kT, 10)};
        a.annotate(u"h"_s, rows, kT); // nobody is running on h/m: not held
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"x"_s, kT - 10);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT);
        QCOMPARE(late, 0);
    }

    // A refused connection leaves no row on the host; the attempt must not keep the key "busy",
    // or a later direct request's row would be held and could be taken for the gateway's.
    void abandonedAttemptsHoldNoRows()
    {
        SourceAttributor a;
        QList<RequestRow> late;
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"gateway-client"_s, kT + 100);
        QList<RequestRow> direct{row(1, kT + 500, 400)};
        a.annotate(u"h"_s, direct, kT + 510); // held: it fits the running attempt
        a.attemptAbandoned(u"h"_s, u"m"_s, u"d1.1"_s);
        a.attemptStarted(u"h"_s, u"m"_s, u"d2.1"_s, u"gateway-client"_s, kT + 1100);
        a.attemptEnded(u"h"_s, u"m"_s, u"d2.1"_s, 200, kT + 1520);
        QVERIFY(late.isEmpty()); // the direct row was stored as it was, not given our source
        QList<RequestRow> ours{row(2, kT + 1520, 420)};
        a.annotate(u"h"_s, ours, kT + 1600);
        QCOMPARE(ours.first().source, u"gateway-client"_s);
    }

    void unmatchedAttemptsExpire()
    {
        SourceAttributor::Options options;
        options.keepMs = 1000;
        SourceAttributor a(options);
        a.attemptStarted(u"h"_s, u"m"_s, u"d1.1"_s, u"x"_s, kT);
        a.attemptEnded(u"h"_s, u"m"_s, u"d1.1"_s, 200, kT + 10);
        QCOMPARE(a.pendingCount(), 1);
        QList<RequestRow> none;
        a.annotate(u"h"_s, none, kT + 5000);
        QCOMPARE(a.pendingCount(), 0);
        QCOMPARE(a.counters().expired, 1);
    }
};

QTEST_GUILESS_MAIN(TestSourceAttributor)
#include "tst_sourceattributor.moc"
