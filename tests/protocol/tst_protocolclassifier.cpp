#include "core/protocol/protocolclassifier.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

using Endpoint = ProtocolClassifier::Endpoint;
using IdFilter = ProtocolClassifier::IdFilter;

class TestProtocolClassifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionFixtures_data();
    void versionFixtures();
    void versionStrings_data();
    void versionStrings();
    void classify_data();
    void classify();
    void judgeIdFilter_data();
    void judgeIdFilter();
    void malformedVersion();
};

void TestProtocolClassifier::versionFixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("commit");
    QTest::addColumn<int>("release"); // -1 = dev build
    QTest::addColumn<int>("commitsAfter");
    QTest::addColumn<int>("generation");
    QTest::newRow("make build") << u"older/api-version-make.json"_s << u"v250-5-g0bdb37"_s << u"0bdb37"_s << 250 << 5
                                << int(ProtocolGeneration::Current);
    QTest::newRow("v236") << u"older/api-version-v236.json"_s << u"v236"_s << u"a1b2c3d"_s << 236 << 0
                          << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("v235") << u"older/api-version-v235.json"_s << u"v235"_s << u"9f8e7d6"_s << 235 << 0
                          << int(ProtocolGeneration::Legacy235);
    QTest::newRow("dev") << u"older/api-version-dev.json"_s << u"0"_s << u"abcd1234"_s << -1 << 0 << int(ProtocolGeneration::Current);
}

void TestProtocolClassifier::versionFixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, version);
    QFETCH(QString, commit);
    QFETCH(int, release);
    QFETCH(int, commitsAfter);
    QFETCH(int, generation);
    const auto info = VersionInfo::fromJson(readFixture(file));
    QVERIFY2(info.ok(), info.ok() ? "" : qPrintable(info.error().message));
    QCOMPARE(info->version, version);
    QCOMPARE(info->commit, commit);
    QCOMPARE(info->release, release < 0 ? std::optional<int>() : std::optional<int>(release));
    QCOMPARE(info->isDevBuild(), release < 0);
    QCOMPARE(info->commitsAfterRelease, commitsAfter);
    QCOMPARE(int(ProtocolClassifier::classifyVersion(*info)), generation);
}

void TestProtocolClassifier::versionStrings_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("release");
    QTest::addColumn<int>("generation");
    QTest::newRow("v250") << u"v250"_s << 250 << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("v250-5-g0bdb37") << u"v250-5-g0bdb37"_s << 250 << int(ProtocolGeneration::Current);
    QTest::newRow("v251") << u"v251"_s << 251 << int(ProtocolGeneration::Current);
    QTest::newRow("v249-12-gabc-dirty") << u"v249-12-gabc123-dirty"_s << 249 << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("v240") << u"v240"_s << 240 << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("v236") << u"v236"_s << 236 << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("v235") << u"v235"_s << 235 << int(ProtocolGeneration::Legacy235);
    QTest::newRow("v235-3-gdeadbe") << u"v235-3-gdeadbe"_s << 235 << int(ProtocolGeneration::Legacy235);
    QTest::newRow("v212") << u"v212"_s << 212 << int(ProtocolGeneration::Legacy235);
    QTest::newRow("0") << u"0"_s << -1 << int(ProtocolGeneration::Current);
    QTest::newRow("unknown") << u"unknown"_s << -1 << int(ProtocolGeneration::Current);
    QTest::newRow("empty") << QString() << -1 << int(ProtocolGeneration::Current);
    QTest::newRow("semver-like") << u"1.2.3"_s << -1 << int(ProtocolGeneration::Current);
}

void TestProtocolClassifier::versionStrings()
{
    QFETCH(QString, version);
    QFETCH(int, release);
    QFETCH(int, generation);
    const VersionInfo info = VersionInfo::fromVersionString(version);
    QCOMPARE(info.release, release < 0 ? std::optional<int>() : std::optional<int>(release));
    QCOMPARE(int(ProtocolClassifier::classify(info, {})), generation);
}

void TestProtocolClassifier::classify_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("endpoint");
    QTest::addColumn<int>("idFilter");
    QTest::addColumn<int>("generation");
    QTest::newRow("dev build, activity 404") << u"0"_s << int(Endpoint::NotFound) << int(IdFilter::NotProbed)
                                             << int(ProtocolGeneration::Legacy235);
    QTest::newRow("dev build, filter ignored") << u"unknown"_s << int(Endpoint::Present) << int(IdFilter::Ignored)
                                               << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("dev build, filter honoured")
        << u"0"_s << int(Endpoint::Present) << int(IdFilter::Honoured) << int(ProtocolGeneration::Current);
    QTest::newRow("claims v251 but ignores min_id")
        << u"v251"_s << int(Endpoint::Present) << int(IdFilter::Ignored) << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("claims v240 but honours min_id")
        << u"v240"_s << int(Endpoint::Present) << int(IdFilter::Honoured) << int(ProtocolGeneration::Current);
    QTest::newRow("claims v235 but has activity")
        << u"v235"_s << int(Endpoint::Present) << int(IdFilter::NotProbed) << int(ProtocolGeneration::Paged236to250);
    QTest::newRow("claims v250 but activity 404")
        << u"v250"_s << int(Endpoint::NotFound) << int(IdFilter::NotProbed) << int(ProtocolGeneration::Legacy235);
    QTest::newRow("v250, empty probe") << u"v250"_s << int(Endpoint::Present) << int(IdFilter::NotProbed)
                                       << int(ProtocolGeneration::Paged236to250);
}

void TestProtocolClassifier::classify()
{
    QFETCH(QString, version);
    QFETCH(int, endpoint);
    QFETCH(int, idFilter);
    QFETCH(int, generation);
    ProtocolClassifier::Evidence evidence;
    evidence.activityEndpoint = Endpoint(endpoint);
    evidence.idFilter = IdFilter(idFilter);
    QCOMPARE(int(ProtocolClassifier::classify(VersionInfo::fromVersionString(version), evidence)), generation);
}

void TestProtocolClassifier::judgeIdFilter_data()
{
    QTest::addColumn<QList<qint64>>("ids");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("minId");
    QTest::addColumn<qint64>("maxId");
    QTest::addColumn<int>("verdict");
    QTest::newRow("exact row") << QList<qint64>{1043} << Q_INT64_C(1) << Q_INT64_C(1043) << Q_INT64_C(1043) << int(IdFilter::Honoured);
    QTest::newRow("rows outside range") << QList<qint64>{1043, 1042, 1041} << Q_INT64_C(1000) << Q_INT64_C(1043) << Q_INT64_C(1043)
                                        << int(IdFilter::Ignored);
    QTest::newRow("newest row only but total too big")
        << QList<qint64>{1043} << Q_INT64_C(1000) << Q_INT64_C(1043) << Q_INT64_C(1043) << int(IdFilter::Ignored);
    QTest::newRow("range inside") << QList<qint64>{12, 11, 10} << Q_INT64_C(3) << Q_INT64_C(10) << Q_INT64_C(20) << int(IdFilter::Honoured);
    QTest::newRow("empty store proves nothing")
        << QList<qint64>{} << Q_INT64_C(0) << Q_INT64_C(5) << Q_INT64_C(5) << int(IdFilter::NotProbed);
    QTest::newRow("extreme bounds") << QList<qint64>{7} << Q_INT64_C(1) << std::numeric_limits<qint64>::min()
                                    << std::numeric_limits<qint64>::max() << int(IdFilter::Honoured);
}

void TestProtocolClassifier::judgeIdFilter()
{
    QFETCH(QList<qint64>, ids);
    QFETCH(qint64, total);
    QFETCH(qint64, minId);
    QFETCH(qint64, maxId);
    QFETCH(int, verdict);
    ActivityPage page;
    page.total = total;
    for (qint64 id : ids) {
        ActivityEntry entry;
        entry.id = id;
        page.data << entry;
    }
    QCOMPARE(int(ProtocolClassifier::judgeIdFilter(page, minId, maxId)), verdict);

    // The fixture page (ids 1043..1041 of 1000 rows) answered to ?min_id=1043&max_id=1043.
    const auto fixture = ActivityPage::fromJson(readFixture(u"api-metrics-activity.json"_s));
    QVERIFY(fixture.ok());
    QCOMPARE(ProtocolClassifier::judgeIdFilter(*fixture, 1043, 1043), IdFilter::Ignored);
}

void TestProtocolClassifier::malformedVersion()
{
    const auto number = VersionInfo::fromJson(R"({"version":250})");
    QVERIFY(!number.ok());
    QCOMPARE(number.error().message, u"/api/version: field \"version\" is a number, expected a string"_s);
    const auto missing = VersionInfo::fromJson(R"({"commit":"x"})");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message, u"/api/version: field \"version\" is missing"_s);
    const auto html = VersionInfo::fromJson("<html>");
    QVERIFY(!html.ok());
    QCOMPARE(html.error().code, u"protocol.json"_s);
    QCOMPARE(protocolGenerationName(ProtocolGeneration::Paged236to250), u"v236-v250"_s);
}

QTEST_GUILESS_MAIN(TestProtocolClassifier)
#include "tst_protocolclassifier.moc"
