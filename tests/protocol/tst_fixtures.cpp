// Guards the fixture directory: every file below tests/data/llama-swap must be known here and
// decode without error with the decoder for its endpoint, so a fixture added later cannot sit
// untested. (The values inside each file are asserted by the per-decoder tests.)
#include "core/protocol/activitypage.h"
#include "core/protocol/activitystats.h"
#include "core/protocol/apierror.h"
#include "core/protocol/capture.h"
#include "core/protocol/eventdecoder.h"
#include "core/protocol/hardwareinfo.h"
#include "core/protocol/modelinfo.h"
#include "core/protocol/performancesnapshot.h"
#include "core/protocol/runningmodel.h"
#include "core/protocol/sseparser.h"
#include "core/protocol/versioninfo.h"
#include "testfixtures.h"

#include <QDir>
#include <QDirIterator>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// Empty string = decoded fine; otherwise the error message.
using Check = std::function<QString(const QByteArray &)>;

template <typename T>
QString messageOf(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().message;
}

QString decodeEvents(const QByteArray &stream)
{
    SseParser parser;
    EventDecoder decoder;
    const auto events = parser.feed(stream);
    if (events.isEmpty())
        return u"no events"_s;
    for (const SseEvent &event : events) {
        const auto result = decoder.decode(event);
        if (!result.ok())
            return result.error().message;
    }
    return decoder.unknownTypeCount() == 0 ? QString() : u"unknown event types"_s;
}

QMap<QString, Check> checks()
{
    const Check page = [](const QByteArray &b) { return messageOf(ActivityPage::fromJson(b)); };
    const Check perf = [](const QByteArray &b) { return messageOf(PerformanceSnapshot::fromJson(b)); };
    const Check capture = [](const QByteArray &b) { return messageOf(Capture::fromJson(b)); };
    const Check version = [](const QByteArray &b) { return messageOf(VersionInfo::fromJson(b)); };
    const Check error = [](const QByteArray &b) { return messageOf(ApiError::fromBody(b)); };
    const Check running = [](const QByteArray &b) { return messageOf(RunningModel::listFromJson(b)); };
    const Check models = [](const QByteArray &b) { return messageOf(ModelInfo::listFromJson(b)); };
    const Check sse = &decodeEvents;
    const Check raw = [](const QByteArray &b) { return SseParser().feed(b).isEmpty() ? u"no events"_s : QString(); };
    return {
        {u"api-capture.json"_s, capture},
        {u"api-events.sse"_s, sse},
        {u"api-hardware.json"_s, [](const QByteArray &b) { return messageOf(HardwareInfo::fromJson(b)); }},
        {u"api-metrics-activity.json"_s, page},
        {u"api-metrics-stats.json"_s, [](const QByteArray &b) { return messageOf(ActivityStats::fromJson(b)); }},
        {u"api-performance.json"_s, perf},
        {u"running.json"_s, running},
        {u"v1-models.json"_s, models},
        {u"older/api-capture-no-body.json"_s, capture},
        {u"older/api-metrics-activity-empty.json"_s, page},
        {u"older/api-performance-after.json"_s, perf},
        {u"older/api-performance-disabled.json"_s, perf},
        {u"older/api-performance-nulls.json"_s, perf},
        {u"older/api-version-dev.json"_s, version},
        {u"older/api-version-make.json"_s, version},
        {u"older/api-version-v235.json"_s, version},
        {u"older/api-version-v236.json"_s, version},
        {u"older/error-404-page.txt"_s, error},
        {u"older/error-html.html"_s, error},
        {u"older/error-object-envelope.json"_s, error},
        {u"older/error-plain.txt"_s, error},
        {u"older/error-string-envelope.json"_s, error},
        {u"older/running-idle.json"_s, running},
        {u"older/v1-models-without-status.json"_s, models},
        {u"older/v234-events.sse"_s, sse},
        {u"older/v235-api-metrics.json"_s, [](const QByteArray &b) { return messageOf(ActivityEntry::listFromLegacyMetricsJson(b)); }},
        {u"older/v235-events.sse"_s, sse},
        {u"synthetic/tricky.sse"_s, raw}, // framing only: its events are not llama-swap envelopes
    };
}

} // namespace

class TestFixtures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFixtureIsKnownAndDecodes();
};

void TestFixtures::everyFixtureIsKnownAndDecodes()
{
    const QString root = QStringLiteral(BOO_TEST_DATA_DIR "/llama-swap");
    const QMap<QString, Check> known = checks();
    QStringList seen;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(root).relativeFilePath(it.next());
        seen << relative;
        QVERIFY2(known.contains(relative), qPrintable(u"fixture %1 is not covered by a decoder test"_s.arg(relative)));
        const QString problem = known.value(relative)(readFixture(relative));
        QVERIFY2(problem.isEmpty(), qPrintable(relative + u": "_s + problem));
    }
    seen.sort();
    QCOMPARE(seen, known.keys());
}

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"
