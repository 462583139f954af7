#include "core/store/historyend.h"

#include "core/store/database.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace boo {

Result<std::optional<HistoryEnd::Request>> HistoryEnd::lastRequest(Database &db, const QString &providerId)
{
    auto newest = db.exec(u"SELECT swap_entry_id, ts FROM control_requests WHERE provider_id = ? "
                          u"ORDER BY ts DESC, swap_entry_id DESC LIMIT 1"_s,
                          {providerId});
    if (!newest)
        return newest.error();
    if (!newest->next())
        return std::optional<Request>();
    return std::optional<Request>(Request{newest->value(0).toLongLong(), newest->value(1).toLongLong()});
}

Result<std::optional<qint64>> HistoryEnd::lastPerfSampleMs(Database &db, const QString &providerId)
{
    auto watermark = db.exec(u"SELECT MAX(ts) FROM control_perf_samples WHERE provider_id = ?"_s, {providerId});
    if (!watermark)
        return watermark.error();
    if (!watermark->next() || watermark->value(0).isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(watermark->value(0).toLongLong());
}

Result<std::optional<qint64>> HistoryEnd::unacknowledgedGapMs(Database &db, const QString &providerId)
{
    auto gap = db.exec(u"SELECT gap_suspected_at FROM control_hosts WHERE provider_id = ? AND gap_suspected = 1"_s, {providerId});
    if (!gap)
        return gap.error();
    if (!gap->next())
        return std::optional<qint64>();
    // A gap from before its time was recorded still is one; it just has no time.
    return std::optional<qint64>(gap->value(0).isNull() ? 0 : gap->value(0).toLongLong());
}

} // namespace boo
