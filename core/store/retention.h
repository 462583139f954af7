#pragma once

#include "core/common/result.h"

#include <QMetaType>
#include <QString>

namespace boo {

class Database;

// How long each kind of history is kept. Raw GPU samples are rolled into 5-minute buckets
// (min/avg/max) once they are older than `rawPerfMs`; the rollups themselves live longer.
struct RetentionPolicy
{
    static constexpr qint64 kHourMs = 3600 * 1000;
    static constexpr qint64 kDayMs = 24 * kHourMs;

    qint64 rawPerfMs = 2 * kDayMs;
    qint64 perfRollupMs = 400 * kDayMs;
    qint64 requestsMs = 90 * kDayMs;
    qint64 modelEventsMs = 90 * kDayMs;
    int deleteChunkRows = 5000;
};

struct RetentionReport
{
    qint64 rawSamplesRolled = 0;   // raw rows folded into buckets and deleted
    qint64 bucketsTouched = 0;     // rollup rows inserted or merged
    qint64 hostHoursProcessed = 0; // one transaction each
    qint64 rollupsPruned = 0;
    qint64 requestsPruned = 0;
    qint64 modelEventsPruned = 0;
    QString error; // empty when the run completed
};

// Applies a RetentionPolicy to one database connection.
//
// Raw samples are processed per host and per whole hour, each hour in one transaction that
// merges its buckets into control_perf_rollup_5m and deletes exactly the rows it merged. A run
// that stops half-way therefore leaves every sample counted once (either still raw or in a
// bucket), and running the same window again finds no raw rows and changes nothing.
class Retention final
{
public:
    static constexpr qint64 kBucketMs = 5 * 60 * 1000;

    static RetentionReport run(Database &db, const RetentionPolicy &policy, qint64 nowMs);

private:
    static Result<void> rollUpPerf(Database &db, qint64 cutoffMs, RetentionReport &report);
    static Result<void> rollUpHostHour(Database &db, const QString &host, qint64 hourStart, RetentionReport &report);
    static Result<qint64> deleteInChunks(Database &db, const QString &table, const QString &keyColumn, qint64 cutoffMs, int chunkRows);
};

} // namespace boo

Q_DECLARE_METATYPE(boo::RetentionReport)
