#include "core/store/historyend.h"

#include "core/store/database.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace boo {

Result<HistoryEnd> HistoryEnd::read(Database &db, const QString &providerId)
{
    HistoryEnd end;
    auto newest = db.exec(u"SELECT swap_entry_id, ts FROM control_requests WHERE provider_id = ? "
                          u"ORDER BY ts DESC, swap_entry_id DESC LIMIT 1"_s,
                          {providerId});
    if (!newest)
        return newest.error();
    if (newest->next())
        end.lastRequest = Request{newest->value(0).toLongLong(), newest->value(1).toLongLong()};
    auto watermark = db.exec(u"SELECT MAX(ts) FROM control_perf_samples WHERE provider_id = ?"_s, {providerId});
    if (!watermark)
        return watermark.error();
    if (watermark->next() && !watermark->value(0).isNull())
        end.lastPerfSampleMs = watermark->value(0).toLongLong();
    return end;
}

} // namespace boo
