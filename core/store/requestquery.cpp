#include "core/store/requestquery.h"

#include "core/common/rfc3339formatter.h"
#include "core/protocol/jsonfields.h"
#include "core/store/database.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QString kColumns = u"id, provider_id, swap_entry_id, ts, model, req_path, resp_content_type, resp_status_code, "
                         u"cache_tokens, draft_tokens, draft_acc_tokens, input_tokens, output_tokens, prompt_per_second, "
                         u"tokens_per_second, duration_ms, has_capture, error_msg, metadata, source, caller"_s;

template <typename T>
std::optional<T> optionalValue(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.value<T>();
}

StoredRequest readRow(const QSqlQuery &q)
{
    StoredRequest s;
    s.id = q.value(0).toLongLong();
    RequestRow &r = s.row;
    r.providerId = q.value(1).toString();
    r.swapEntryId = q.value(2).toLongLong();
    r.ts = q.value(3).toLongLong();
    r.model = q.value(4).toString();
    r.reqPath = q.value(5).toString();
    r.respContentType = q.value(6).toString();
    r.respStatusCode = q.value(7).toInt();
    r.cacheTokens = optionalValue<qint64>(q.value(8));
    r.draftTokens = optionalValue<qint64>(q.value(9));
    r.draftAcceptedTokens = optionalValue<qint64>(q.value(10));
    r.inputTokens = optionalValue<qint64>(q.value(11));
    r.outputTokens = optionalValue<qint64>(q.value(12));
    r.promptPerSecond = optionalValue<double>(q.value(13));
    r.tokensPerSecond = optionalValue<double>(q.value(14));
    r.durationMs = q.value(15).toLongLong();
    r.hasCapture = q.value(16).toInt() != 0;
    r.errorMessage = q.value(17).toString();
    r.metadataJson = q.value(18).toString();
    r.source = q.value(19).toString();
    r.caller = q.value(20).toString();
    return s;
}

template <typename T>
QJsonValue jsonOrNull(const std::optional<T> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue();
}

} // namespace

QJsonObject StoredRequest::toJson() const
{
    const QJsonObject tokens{{u"cache"_s, jsonOrNull(row.cacheTokens)},
                             {u"draft"_s, jsonOrNull(row.draftTokens)},
                             {u"draft_accepted"_s, jsonOrNull(row.draftAcceptedTokens)},
                             {u"input"_s, jsonOrNull(row.inputTokens)},
                             {u"output"_s, jsonOrNull(row.outputTokens)}};
    QJsonObject o{{u"id"_s, id},
                  {u"host"_s, row.providerId},
                  {u"swap_entry_id"_s, row.swapEntryId},
                  {u"ts"_s, row.ts},
                  {u"time"_s, Rfc3339Formatter::utcMs(row.ts, Rfc3339Formatter::Fraction::Millis)},
                  {u"model"_s, row.model},
                  {u"req_path"_s, row.reqPath},
                  {u"resp_content_type"_s, row.respContentType},
                  {u"status"_s, row.respStatusCode},
                  {u"tokens"_s, tokens},
                  {u"prompt_per_second"_s, jsonOrNull(row.promptPerSecond)},
                  {u"tokens_per_second"_s, jsonOrNull(row.tokensPerSecond)},
                  {u"duration_ms"_s, row.durationMs},
                  {u"has_capture"_s, row.hasCapture},
                  {u"source"_s, row.source.isEmpty() ? QJsonValue() : QJsonValue(row.source)}};
    if (!row.errorMessage.isEmpty())
        o.insert(u"error_msg"_s, row.errorMessage);
    if (!row.caller.isEmpty())
        o.insert(u"caller"_s, row.caller);
    if (!row.metadataJson.isEmpty())
        o.insert(u"metadata"_s, QJsonDocument::fromJson(row.metadataJson.toUtf8()).object());
    return o;
}

Result<StoredRequest> StoredRequest::fromJson(const QJsonObject &object)
{
    JsonFields f(object, u"stored request"_s);
    StoredRequest s;
    RequestRow &r = s.row;
    s.id = f.integer(u"id"_s, JsonFields::Required);
    r.providerId = f.string(u"host"_s, JsonFields::Required);
    r.swapEntryId = f.integer(u"swap_entry_id"_s);
    r.ts = f.integer(u"ts"_s, JsonFields::Required);
    r.model = f.string(u"model"_s);
    r.reqPath = f.string(u"req_path"_s);
    r.respContentType = f.string(u"resp_content_type"_s);
    r.respStatusCode = int(f.integer(u"status"_s));
    JsonFields tokens = f.child(u"tokens"_s, f.object(u"tokens"_s));
    r.cacheTokens = tokens.optionalInteger(u"cache"_s);
    r.draftTokens = tokens.optionalInteger(u"draft"_s);
    r.draftAcceptedTokens = tokens.optionalInteger(u"draft_accepted"_s);
    r.inputTokens = tokens.optionalInteger(u"input"_s);
    r.outputTokens = tokens.optionalInteger(u"output"_s);
    if (tokens.failed())
        f.adopt(tokens.error());
    r.promptPerSecond = f.optionalNumber(u"prompt_per_second"_s);
    r.tokensPerSecond = f.optionalNumber(u"tokens_per_second"_s);
    r.durationMs = f.integer(u"duration_ms"_s);
    r.hasCapture = f.boolean(u"has_capture"_s);
    r.source = f.nullableString(u"source"_s).value_or(QString());
    r.errorMessage = f.string(u"error_msg"_s);
    r.caller = f.string(u"caller"_s);
    const QJsonObject metadata = f.object(u"metadata"_s);
    if (!metadata.isEmpty())
        r.metadataJson = QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact));
    if (f.failed())
        return f.error();
    return s;
}

QStringList RequestQuery::conditions(const RequestFilter &filter, QVariantList &binds)
{
    QStringList where;
    if (!filter.host.isEmpty()) {
        where << u"provider_id = ?"_s;
        binds << filter.host;
    }
    if (!filter.models.isEmpty()) {
        where << u"model IN (%1)"_s.arg(QStringList(filter.models.size(), u"?"_s).join(u", "_s));
        for (const QString &model : filter.models)
            binds << model;
    }
    if (filter.source == u"-"_s) {
        where << u"source IS NULL"_s;
    } else if (!filter.source.isEmpty()) {
        where << u"source = ?"_s;
        binds << filter.source;
    }
    if (filter.sinceMs) {
        where << u"ts >= ?"_s;
        binds << *filter.sinceMs;
    }
    if (filter.untilMs) {
        where << u"ts < ?"_s;
        binds << *filter.untilMs;
    }
    if (filter.statusClass) {
        where << u"resp_status_code >= ? AND resp_status_code < ?"_s;
        binds << *filter.statusClass * 100 << (*filter.statusClass + 1) * 100;
    }
    if (!filter.text.isEmpty()) {
        // LIKE with our own escape character, so that '%' and '_' in the search are literal; and
        // on lower-cased text, because SQLite's LIKE ignores case and Postgres' does not (the
        // search must find the same rows on both, and the same as the live rows' filter).
        QString pattern = filter.text.toLower();
        pattern.replace(u'!', u"!!"_s).replace(u'%', u"!%"_s).replace(u'_', u"!_"_s);
        pattern = u'%' + pattern + u'%';
        where << u"(LOWER(model) LIKE ? ESCAPE '!' OR LOWER(req_path) LIKE ? ESCAPE '!' OR LOWER(error_msg) LIKE ? ESCAPE '!')"_s;
        binds << pattern << pattern << pattern;
    }
    return where;
}

bool RequestQuery::matches(const RequestFilter &filter, const RequestRow &row)
{
    if (!filter.host.isEmpty() && row.providerId != filter.host)
        return false;
    if (!filter.models.isEmpty() && !filter.models.contains(row.model))
        return false;
    if (filter.source == u"-"_s ? !row.source.isEmpty() : (!filter.source.isEmpty() && row.source != filter.source))
        return false;
    if ((filter.sinceMs && row.ts < *filter.sinceMs) || (filter.untilMs && row.ts >= *filter.untilMs))
        return false;
    if (filter.statusClass && (row.respStatusCode < *filter.statusClass * 100 || row.respStatusCode >= (*filter.statusClass + 1) * 100))
        return false;
    if (!filter.text.isEmpty()) {
        return row.model.contains(filter.text, Qt::CaseInsensitive) || row.reqPath.contains(filter.text, Qt::CaseInsensitive)
            || row.errorMessage.contains(filter.text, Qt::CaseInsensitive);
    }
    return true;
}

Result<RequestPage> RequestQuery::fetch(Database &db, const RequestFilter &filter)
{
    QVariantList binds;
    QStringList where = conditions(filter, binds);
    if (filter.beforeId) {
        auto cursor = db.exec(u"SELECT ts FROM control_requests WHERE id = ?"_s, {*filter.beforeId});
        if (!cursor)
            return cursor.error();
        if (!cursor->next())
            return makeError(u"query.cursor"_s, u"before_id %1 does not name a stored request"_s.arg(*filter.beforeId));
        const qint64 ts = cursor->value(0).toLongLong();
        where << u"(ts < ? OR (ts = ? AND id < ?))"_s;
        binds << ts << ts << *filter.beforeId;
    }
    const int limit = std::clamp(filter.limit, 1, RequestFilter::kMaxLimit);
    const QString sql = u"SELECT %1 FROM control_requests %2 ORDER BY ts DESC, id DESC LIMIT %3"_s
                            .arg(kColumns, where.isEmpty() ? QString() : u"WHERE "_s + where.join(u" AND "_s))
                            .arg(limit + 1);
    auto query = db.exec(sql, binds);
    if (!query)
        return query.error();
    RequestPage page;
    while (query->next())
        page.rows << readRow(*query);
    // One row more than asked tells whether another page exists.
    if (page.rows.size() > limit) {
        page.rows.removeLast();
        page.nextBeforeId = page.rows.constLast().id;
    }
    return page;
}

} // namespace boo
