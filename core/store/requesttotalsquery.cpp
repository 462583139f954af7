#include "core/store/requesttotalsquery.h"

#include "core/protocol/jsonfields.h"
#include "core/store/database.h"

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject RequestTotal::toJson() const
{
    return {{u"source"_s, source.isEmpty() ? QJsonValue() : QJsonValue(source)},
            {u"model"_s, model},
            {u"requests"_s, requests},
            {u"input"_s, inputTokens},
            {u"cached"_s, cachedTokens},
            {u"output"_s, outputTokens}};
}

Result<RequestTotal> RequestTotal::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"request total"_s);
    RequestTotal t;
    t.source = f.nullableString(u"source"_s).value_or(QString());
    t.model = f.string(u"model"_s);
    t.requests = f.integer(u"requests"_s);
    t.inputTokens = f.integer(u"input"_s);
    t.cachedTokens = f.integer(u"cached"_s);
    t.outputTokens = f.integer(u"output"_s);
    if (f.failed())
        return f.error();
    return t;
}

Result<QList<RequestTotal>> RequestTotalsQuery::fetch(Database &db, const RequestFilter &filter)
{
    QVariantList binds;
    const QStringList where = RequestQuery::conditions(filter, binds);
    const QString sql = u"SELECT source, model, COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(cache_tokens), 0), "
                        u"COALESCE(SUM(output_tokens), 0) FROM control_requests %1 GROUP BY source, model ORDER BY source, model"_s.arg(
                            where.isEmpty() ? QString() : u"WHERE "_s + where.join(u" AND "_s));
    auto query = db.exec(sql, binds);
    if (!query)
        return query.error();
    QList<RequestTotal> totals;
    while (query->next()) {
        totals << RequestTotal{query->value(0).toString(),   query->value(1).toString(),   query->value(2).toLongLong(),
                               query->value(3).toLongLong(), query->value(4).toLongLong(), query->value(5).toLongLong()};
    }
    return totals;
}

} // namespace boo
