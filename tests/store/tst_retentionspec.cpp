#include "core/store/retentionspec.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::RetentionPolicy;
using boo::RetentionSpec;

namespace {
constexpr qint64 kDay = RetentionPolicy::kDayMs;
}

class TestRetentionSpec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesWindows_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<qint64>("requestsDays");
        QTest::addColumn<qint64>("modelEventsDays");
        QTest::addColumn<qint64>("rawPerfDays");
        QTest::addColumn<qint64>("perfRollupDays");

        const RetentionPolicy d;
        QTest::newRow("one key keeps the others")
            << u"requests=30"_s << 30LL << d.modelEventsMs / kDay << d.rawPerfMs / kDay << d.perfRollupMs / kDay;
        QTest::newRow("all keys, spaces, d suffix")
            << u" requests=7d , model-events = 14, raw-perf=1d,perf-rollup=60 "_s << 7LL << 14LL << 1LL << 60LL;
        QTest::newRow("largest") << u"requests=1000000"_s << 1'000'000LL << d.modelEventsMs / kDay << d.rawPerfMs / kDay
                                 << d.perfRollupMs / kDay;
    }

    void parsesWindows()
    {
        QFETCH(QString, spec);
        const auto policy = RetentionSpec::parse(spec);
        QVERIFY2(policy.ok(), qPrintable(policy.ok() ? QString() : policy.error().message));
        QTEST(policy->requestsMs / kDay, "requestsDays");
        QTEST(policy->modelEventsMs / kDay, "modelEventsDays");
        QTEST(policy->rawPerfMs / kDay, "rawPerfDays");
        QTEST(policy->perfRollupMs / kDay, "perfRollupDays");
    }

    void rejectsWhatWouldDeleteHistoryByMistake_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << u""_s << u"--retention: empty"_s;
        QTest::newRow("unknown key") << u"request=30"_s << u"--retention: unknown window 'request' (keys: requests, model-events"_s;
        QTest::newRow("no value") << u"requests"_s << u"--retention: 'requests' has no value"_s;
        QTest::newRow("zero") << u"requests=0"_s << u"'requests=0': expected a whole number of days from 1 to 1000000"_s;
        QTest::newRow("unit") << u"requests=30h"_s << u"'requests=30h': expected a whole number of days"_s;
        QTest::newRow("fraction") << u"requests=1.5"_s << u"'requests=1.5': expected a whole number of days"_s;
        QTest::newRow("negative") << u"raw-perf=-1"_s << u"'raw-perf=-1': expected a whole number of days"_s;
        QTest::newRow("too large") << u"requests=1000001"_s << u"'requests=1000001': expected a whole number of days"_s;
        QTest::newRow("empty item") << u"requests=30,"_s << u"--retention: unknown window ''"_s;
        QTest::newRow("rollup shorter than raw")
            << u"raw-perf=10,perf-rollup=5"_s << u"--retention: perf-rollup (5 d) must be at least raw-perf (10 d)"_s;
    }

    void rejectsWhatWouldDeleteHistoryByMistake()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        const auto policy = RetentionSpec::parse(spec);
        QVERIFY(!policy.ok());
        QCOMPARE(policy.error().code, u"cli.retention"_s);
        QVERIFY2(policy.error().message.contains(message), qPrintable(policy.error().message));
    }

    void describesThePolicy()
    {
        const auto policy = RetentionSpec::parse(u"requests=30,model-events=60,raw-perf=3,perf-rollup=365"_s);
        QVERIFY(policy.ok());
        QCOMPARE(RetentionSpec::describe(*policy), u"requests 30 d, model events 60 d, raw GPU samples 3 d, GPU rollups 365 d"_s);
    }
};

QTEST_GUILESS_MAIN(TestRetentionSpec)
#include "tst_retentionspec.moc"
