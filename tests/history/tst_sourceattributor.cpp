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
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"aider"_s, 200, kT + 100, kT + 900);
        QList<RequestRow> rows{row(1, kT + 905, 800), row(2, kT + 950, 5, 200, u"other"_s)};
        a.annotate(u"h"_s, rows, kT + 1000);
        QCOMPARE(rows.at(0).source, u"aider"_s);
        QVERIFY(rows.at(1).source.isEmpty()); // another model: not ours
        QCOMPARE(a.counters().matched, 1);
        QCOMPARE(a.pendingCount(), 0);
    }

    // Two sources finishing in the same second: status and duration tell them apart.
    void closestMatchWins()
    {
        SourceAttributor a;
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"short"_s, 200, kT + 700, kT + 800);
        a.attemptEnded(u"h"_s, u"m"_s, u"long"_s, 200, kT - 5000, kT + 850);
        QList<RequestRow> rows{row(1, kT + 850, 5850), row(2, kT + 800, 100)};
        a.annotate(u"h"_s, rows, kT + 1000);
        QCOMPARE(rows.at(0).source, u"long"_s);
        QCOMPARE(rows.at(1).source, u"short"_s);

        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"failed"_s, 503, kT + 2000, kT + 2100);
        QList<RequestRow> wrongStatus{row(3, kT + 2100, 100, 200)};
        a.annotate(u"h"_s, wrongStatus, kT + 2200);
        QVERIFY(wrongStatus.first().source.isEmpty());
    }

    void rowBeforeAttemptEnds()
    {
        SourceAttributor a;
        QList<RequestRow> late;
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s);
        QList<RequestRow> rows{row(7, kT + 500, 400)};
        a.annotate(u"h"_s, rows, kT + 510);
        QVERIFY(rows.first().source.isEmpty()); // not known yet: queued as is
        a.attemptEnded(u"h"_s, u"m"_s, u"script"_s, 200, kT + 100, kT + 520);
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
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"x"_s, 200, kT - 10, kT);
        QCOMPARE(late, 0);
    }

    // A refused connection leaves no row on the host; the attempt must not keep the key "busy",
    // or a later direct request's row would be held and could be taken for the gateway's.
    void abandonedAttemptsHoldNoRows()
    {
        SourceAttributor a;
        QList<RequestRow> late;
        a.setLateSink([&late](const RequestRow &r) { late << r; });
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptAbandoned(u"h"_s, u"m"_s);
        QList<RequestRow> direct{row(1, kT + 500, 400)};
        a.annotate(u"h"_s, direct, kT + 510); // a client of the host, not of the gateway
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"gateway-client"_s, 200, kT + 100, kT + 520);
        QVERIFY(late.isEmpty()); // the direct row was stored as it was, not given our source
        QList<RequestRow> ours{row(2, kT + 520, 420)};
        a.annotate(u"h"_s, ours, kT + 600);
        QCOMPARE(ours.first().source, u"gateway-client"_s);
    }

    void unmatchedAttemptsExpire()
    {
        SourceAttributor::Options options;
        options.keepMs = 1000;
        SourceAttributor a(options);
        a.attemptStarted(u"h"_s, u"m"_s);
        a.attemptEnded(u"h"_s, u"m"_s, u"x"_s, 200, kT, kT + 10);
        QCOMPARE(a.pendingCount(), 1);
        QList<RequestRow> none;
        a.annotate(u"h"_s, none, kT + 5000);
        QCOMPARE(a.pendingCount(), 0);
        QCOMPARE(a.counters().expired, 1);
    }
};

QTEST_GUILESS_MAIN(TestSourceAttributor)
#include "tst_sourceattributor.moc"
