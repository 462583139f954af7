// The traces dropped events leave in the ones that arrive (EventSequenceCheck), and how often a
// connector may resynchronise after them (ResyncLimiter).

#include "core/ingest/eventsequencecheck.h"
#include "core/ingest/resynclimiter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

InFlightUpdate upsert(const QString &id)
{
    InFlightUpdate u;
    u.operation = InFlightUpdate::Operation::Upsert;
    InFlightRequest r;
    r.id = id;
    u.request = r;
    return u;
}

InFlightUpdate removal(const QString &id)
{
    InFlightUpdate u;
    u.operation = InFlightUpdate::Operation::Remove;
    u.removedId = id;
    return u;
}

InFlightUpdate snapshot()
{
    return InFlightUpdate{};
}

} // namespace

class TestEventSequenceCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void consecutiveActivityIdsAreNoLoss()
    {
        EventSequenceCheck check;
        QVERIFY(!check.activityAnnounced(41)); // the first one on a connection sets the start
        QVERIFY(!check.activityAnnounced(42));
        QVERIFY(!check.activityAnnounced(43));
        QCOMPARE(check.lastAnnouncedId(), 43);
    }

    void anActivityIdJumpIsALoss()
    {
        EventSequenceCheck check;
        QVERIFY(!check.activityAnnounced(7));
        const auto loss = check.activityAnnounced(10);
        QVERIFY(loss);
        QVERIFY2(loss->contains(u"8-9"_s), qPrintable(*loss));
        QVERIFY(!check.activityAnnounced(11));
        check.reset(); // a new connection: rows stored meanwhile were fetched, not announced
        QVERIFY(!check.activityAnnounced(500));
        QCOMPARE(check.lastAnnouncedId(), 500);
    }

    void inFlightIdsCountFromTheFirstNewOneAfterASnapshot()
    {
        EventSequenceCheck check;
        QVERIFY(!check.inFlight(snapshot()));
        // Requests 1-4 finished before the snapshot was taken: 5 is the first we see.
        QVERIFY(!check.inFlight(upsert(u"5"_s)));
        QVERIFY(!check.inFlight(upsert(u"5"_s))); // headers, bytes: the same request again
        QVERIFY(!check.inFlight(upsert(u"6"_s)));
        QVERIFY(!check.inFlight(removal(u"5"_s)));
        QVERIFY(!check.inFlight(removal(u"3"_s))); // one of the snapshot's
        const auto jump = check.inFlight(upsert(u"9"_s));
        QVERIFY(jump);
        QVERIFY2(jump->contains(u"7-8"_s), qPrintable(*jump));
    }

    void aRemoveOfAnIdNeverAnnouncedIsALoss()
    {
        EventSequenceCheck check;
        QVERIFY(!check.inFlight(upsert(u"1"_s)));
        QVERIFY(check.inFlight(removal(u"2"_s)));
        QVERIFY(!check.inFlight(upsert(u"3"_s))); // 2 was accounted for by its remove
    }

    void aSnapshotRestatesTheTruth()
    {
        EventSequenceCheck check;
        QVERIFY(!check.inFlight(upsert(u"1"_s)));
        QVERIFY(!check.inFlight(snapshot())); // llama-swap's recovery snapshot after its outbox overflowed
        QVERIFY(!check.inFlight(upsert(u"40"_s)));
        QVERIFY(!check.inFlight(removal(u"38"_s)));
        InFlightUpdate count;
        count.operation = InFlightUpdate::Operation::Count; // <= v234: only a count, no ids
        QVERIFY(!check.inFlight(count));
        QVERIFY(!check.inFlight(upsert(u"90"_s)));
    }

    void idsThatAreNotNumbersAreNotJudged()
    {
        EventSequenceCheck check;
        QVERIFY(!check.inFlight(upsert(u"abc"_s)));
        QVERIFY(!check.inFlight(upsert(u"1"_s)));
        QVERIFY(!check.inFlight(removal(u"x9"_s)));
        QVERIFY(!check.inFlight(upsert(u"2"_s)));
    }

    void resyncsWaitLongerWhileLossesContinue()
    {
        ResyncLimiter limiter({1000, 4000});
        QCOMPARE(limiter.delayMs(50'000), 0); // the first one runs at once
        limiter.recordResync(50'000);
        QCOMPARE(limiter.delayMs(50'200), 800);
        QCOMPARE(limiter.delayMs(51'000), 0);
        limiter.recordResync(51'000); // straight after the first: the host keeps losing
        QCOMPARE(limiter.intervalMs(), 2000);
        limiter.recordResync(53'000);
        QCOMPARE(limiter.intervalMs(), 4000);
        limiter.recordResync(57'000);
        QCOMPARE(limiter.intervalMs(), 4000); // capped
        QCOMPARE(limiter.delayMs(58'000), 3000);
        limiter.recordResync(70'000); // long after: calm again
        QCOMPARE(limiter.intervalMs(), 1000);
    }
};

QTEST_GUILESS_MAIN(TestEventSequenceCheck)
#include "tst_eventsequencecheck.moc"
