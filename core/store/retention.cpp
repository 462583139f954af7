#include "core/store/retention.h"

#include "core/store/database.h"
#include "core/store/historyrows.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 floorTo(qint64 value, qint64 step)
{
    return value - ((value % step) + step) % step;
}

// INSERT ... SELECT that aggregates one host-hour of raw samples and merges the result into
// existing buckets. Merging (instead of overwriting) keeps a bucket right when samples of the
// same bucket arrive late and are rolled in a later run.
QString mergeBucketsSql(const Database &db)
{
    QStringList targetColumns{u"provider_id"_s, u"gpu"_s, u"bucket"_s, u"samples"_s};
    QStringList aggregates{u"provider_id"_s, u"gpu"_s, u"(ts / %1) * %1"_s.arg(Retention::kBucketMs), u"COUNT(*)"_s};
    QStringList merges{u"samples = control_perf_rollup_5m.samples + excluded.samples"_s};
    for (const QString &m : perfMetricColumns()) {
        targetColumns << m + u"_min"_s << m + u"_avg"_s << m + u"_max"_s;
        aggregates << u"MIN(%1)"_s.arg(m) << u"AVG(%1)"_s.arg(m) << u"MAX(%1)"_s.arg(m);
        const QString oldMin = u"control_perf_rollup_5m.%1_min"_s.arg(m), newMin = u"excluded.%1_min"_s.arg(m);
        const QString oldMax = u"control_perf_rollup_5m.%1_max"_s.arg(m), newMax = u"excluded.%1_max"_s.arg(m);
        const QString oldAvg = u"control_perf_rollup_5m.%1_avg"_s.arg(m), newAvg = u"excluded.%1_avg"_s.arg(m);
        merges << u"%1_min = %2"_s.arg(m, db.least(oldMin, newMin)) << u"%1_max = %2"_s.arg(m, db.greatest(oldMax, newMax))
               << u"%1_avg = CASE WHEN %2 IS NULL THEN %3 WHEN %3 IS NULL THEN %2 ELSE (%2 * control_perf_rollup_5m.samples + "
                  u"%3 * excluded.samples) / (control_perf_rollup_5m.samples + excluded.samples) END"_s.arg(m, oldAvg, newAvg);
    }
    return u"INSERT INTO control_perf_rollup_5m (%1) SELECT %2 FROM control_perf_samples "
           u"WHERE provider_id = ? AND ts >= ? AND ts < ? GROUP BY provider_id, gpu, (ts / %3) * %3 "
           u"ON CONFLICT (provider_id, gpu, bucket) DO UPDATE SET %4"_s.arg(targetColumns.join(u", "_s), aggregates.join(u", "_s))
               .arg(Retention::kBucketMs)
               .arg(merges.join(u", "_s));
}

} // namespace

RetentionReport Retention::run(Database &db, const RetentionPolicy &policy, qint64 nowMs)
{
    RetentionReport report;
    auto fail = [&report](const Error &error) {
        report.error = error.message;
        return report;
    };

    // Whole hours only: an hour is rolled once every raw sample of it is past the window.
    if (auto r = rollUpPerf(db, floorTo(nowMs - policy.rawPerfMs, RetentionPolicy::kHourMs), report); !r)
        return fail(r.error());

    auto rollups = db.exec(u"DELETE FROM control_perf_rollup_5m WHERE bucket < ?"_s, {nowMs - policy.perfRollupMs});
    if (!rollups)
        return fail(rollups.error());
    report.rollupsPruned = std::max(0, rollups->numRowsAffected());

    auto requests = deleteInChunks(db, u"control_requests"_s, u"id"_s, nowMs - policy.requestsMs, policy.deleteChunkRows);
    if (!requests)
        return fail(requests.error());
    report.requestsPruned = *requests;

    auto events = deleteInChunks(db, u"control_model_events"_s, u"id"_s, nowMs - policy.modelEventsMs, policy.deleteChunkRows);
    if (!events)
        return fail(events.error());
    report.modelEventsPruned = *events;
    return report;
}

Result<void> Retention::rollUpPerf(Database &db, qint64 cutoffMs, RetentionReport &report)
{
    auto hosts = db.exec(u"SELECT DISTINCT provider_id FROM control_perf_samples WHERE ts < ?"_s, {cutoffMs});
    if (!hosts)
        return hosts.error();
    QStringList hostIds;
    while (hosts->next())
        hostIds << hosts->value(0).toString();
    hosts->finish();

    for (const QString &host : hostIds) {
        // Walk the host's hours through the index instead of scanning empty hours one by one.
        for (;;) {
            auto oldest = db.exec(u"SELECT MIN(ts) FROM control_perf_samples WHERE provider_id = ? AND ts < ?"_s, {host, cutoffMs});
            if (!oldest)
                return oldest.error();
            if (!oldest->next() || oldest->value(0).isNull())
                break;
            const qint64 hourStart = floorTo(oldest->value(0).toLongLong(), RetentionPolicy::kHourMs);
            oldest->finish();
            if (auto r = rollUpHostHour(db, host, hourStart, report); !r)
                return r;
        }
    }
    return {};
}

Result<void> Retention::rollUpHostHour(Database &db, const QString &host, qint64 hourStart, RetentionReport &report)
{
    const qint64 hourEnd = hourStart + RetentionPolicy::kHourMs;
    return db.inTransaction([&]() -> Result<void> {
        auto merged = db.exec(mergeBucketsSql(db), {host, hourStart, hourEnd});
        if (!merged)
            return merged.error();
        const qint64 buckets = std::max(0, merged->numRowsAffected());
        auto deleted
            = db.exec(u"DELETE FROM control_perf_samples WHERE provider_id = ? AND ts >= ? AND ts < ?"_s, {host, hourStart, hourEnd});
        if (!deleted)
            return deleted.error();
        report.bucketsTouched += buckets;
        report.rawSamplesRolled += std::max(0, deleted->numRowsAffected());
        ++report.hostHoursProcessed;
        return {};
    });
}

Result<qint64> Retention::deleteInChunks(Database &db, const QString &table, const QString &keyColumn, qint64 cutoffMs, int chunkRows)
{
    // Short transactions: a big prune must not hold the writer off for seconds.
    const QString sql = u"DELETE FROM %1 WHERE %2 IN (SELECT %2 FROM %1 WHERE ts < ? ORDER BY %2 LIMIT ?)"_s.arg(table, keyColumn);
    qint64 total = 0;
    for (;;) {
        auto deleted = db.exec(sql, {cutoffMs, chunkRows});
        if (!deleted)
            return deleted.error();
        const int n = deleted->numRowsAffected();
        if (n <= 0)
            break;
        total += n;
    }
    return total;
}

} // namespace boo
