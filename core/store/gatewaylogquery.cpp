#include "core/store/gatewaylogquery.h"

#include "core/common/jsonreader.h"
#include "core/common/rfc3339formatter.h"
#include "core/protocol/httpstatusclass.h"
#include "core/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QString kColumns = u"id, dispatch_id, ts, source, requested_model, policy, endpoint, stream, candidates, attempts_detail, "
                         u"attempts, chosen_provider, chosen_model, status, ttft_ms, total_ms, overhead_ms, error, consumer_key"_s;

GatewayLogEntry readEntry(const QSqlQuery &q)
{
    GatewayLogEntry e;
    e.id = q.value(0).toLongLong();
    GatewayDispatchRow &r = e.row;
    r.dispatchId = q.value(1).toString();
    r.ts = q.value(2).toLongLong();
    r.source = q.value(3).toString();
    r.requestedModel = q.value(4).toString();
    r.policy = q.value(5).toString();
    r.endpoint = q.value(6).toString();
    r.stream = q.value(7).toInt() != 0;
    r.candidatesJson = q.value(8).toString();
    r.attemptsJson = q.value(9).toString();
    r.attempts = q.value(10).toInt();
    r.chosenProvider = q.value(11).toString();
    r.chosenModel = q.value(12).toString();
    r.status = q.value(13).toInt();
    if (!q.value(14).isNull())
        r.ttftMs = q.value(14).toDouble();
    r.totalMs = q.value(15).toDouble();
    r.overheadMs = q.value(16).toDouble();
    r.error = q.value(17).toString();
    r.consumerKey = q.value(18).toString();
    return e;
}

void addRange(QStringList &where, QVariantList &binds, std::optional<qint64> sinceMs, std::optional<qint64> untilMs)
{
    if (sinceMs) {
        where << u"ts >= ?"_s;
        binds << *sinceMs;
    }
    if (untilMs) {
        where << u"ts < ?"_s;
        binds << *untilMs;
    }
}

QString whereClause(const QStringList &where)
{
    return where.isEmpty() ? QString() : u"WHERE "_s + where.join(u" AND "_s);
}

} // namespace

QJsonObject GatewayLogEntry::toJson() const
{
    QJsonObject o{{u"id"_s, id},
                  {u"dispatch_id"_s, row.dispatchId},
                  {u"ts"_s, row.ts},
                  {u"time"_s, Rfc3339Formatter::utcMs(row.ts, Rfc3339Formatter::Fraction::Millis)},
                  {u"source"_s, row.source},
                  {u"model"_s, row.requestedModel},
                  {u"policy"_s, row.policy.isEmpty() ? QJsonValue() : QJsonValue(row.policy)},
                  {u"endpoint"_s, row.endpoint},
                  {u"stream"_s, row.stream},
                  {u"candidates"_s, QJsonDocument::fromJson(row.candidatesJson.toUtf8()).array()},
                  {u"attempts"_s, QJsonDocument::fromJson(row.attemptsJson.toUtf8()).array()},
                  {u"host"_s, row.chosenProvider.isEmpty() ? QJsonValue() : QJsonValue(row.chosenProvider)},
                  {u"host_model"_s, row.chosenModel.isEmpty() ? QJsonValue() : QJsonValue(row.chosenModel)},
                  {u"status"_s, row.status},
                  {u"ttft_ms"_s, row.ttftMs ? QJsonValue(*row.ttftMs) : QJsonValue()},
                  {u"total_ms"_s, row.totalMs},
                  {u"overhead_ms"_s, row.overheadMs}};
    if (!row.error.isEmpty())
        o.insert(u"error"_s, row.error);
    if (!row.consumerKey.isEmpty())
        o.insert(u"consumer_key"_s, row.consumerKey);
    return o;
}

Result<GatewayLogEntry> GatewayLogEntry::fromJson(const QJsonObject &object)
{
    constexpr JsonErrorCodes kWireCodes{"routing.wire", "routing.wire", "routing.wire"};
    JsonReader f(object, u"log entry"_s, kWireCodes);
    GatewayLogEntry e;
    GatewayDispatchRow &r = e.row;
    e.id = f.integer(u"id"_s, JsonReader::Required);
    r.dispatchId = f.string(u"dispatch_id"_s, JsonReader::Required);
    r.ts = f.integer(u"ts"_s, JsonReader::Required);
    r.source = f.string(u"source"_s);
    r.requestedModel = f.string(u"model"_s);
    r.policy = f.string(u"policy"_s); // null for direct ids
    r.endpoint = f.string(u"endpoint"_s);
    r.stream = f.boolean(u"stream"_s);
    const QJsonArray candidates = f.array(u"candidates"_s);
    const QJsonArray attempts = f.array(u"attempts"_s);
    r.chosenProvider = f.string(u"host"_s); // null when no attempt succeeded
    r.chosenModel = f.string(u"host_model"_s);
    r.status = int(f.integerIn(u"status"_s, 0, 999).value_or(0));
    r.ttftMs = f.optionalNumber(u"ttft_ms"_s);
    r.totalMs = f.number(u"total_ms"_s);
    r.overheadMs = f.number(u"overhead_ms"_s);
    r.error = f.string(u"error"_s);
    r.consumerKey = f.string(u"consumer_key"_s);
    if (!f.failed() && e.id <= 0)
        f.failValue(u"id"_s, u"is %1, expected an id >= 1"_s.arg(e.id));
    if (!f.failed() && r.dispatchId.isEmpty())
        f.failValue(u"dispatch_id"_s, u"is empty"_s);
    if (f.failed())
        return f.error();
    r.candidatesJson = QString::fromUtf8(QJsonDocument(candidates).toJson(QJsonDocument::Compact));
    r.attemptsJson = QString::fromUtf8(QJsonDocument(attempts).toJson(QJsonDocument::Compact));
    r.attempts = int(attempts.size());
    return e;
}

QJsonObject SourceTotals::toJson() const
{
    return QJsonObject{{u"source"_s, source},
                       {u"requests"_s, requests},
                       {u"failed"_s, failed},
                       {u"aborted"_s, aborted},
                       {u"failovers"_s, failovers},
                       {u"overhead_ms_avg"_s, overheadMsAvg},
                       {u"host_requests"_s, hostRequests},
                       {u"input_tokens"_s, inputTokens},
                       {u"output_tokens"_s, outputTokens}};
}

Result<GatewayLogPage> GatewayLogQuery::fetch(Database &db, const GatewayLogFilter &filter)
{
    QStringList where;
    QVariantList binds;
    const auto exact = [&](const QString &column, const QString &value) {
        if (!value.isEmpty()) {
            where << column + u" = ?"_s;
            binds << value;
        }
    };
    exact(u"source"_s, filter.source);
    exact(u"requested_model"_s, filter.model);
    exact(u"policy"_s, filter.policy);
    exact(u"chosen_provider"_s, filter.provider);
    if (filter.statusClass) {
        where << u"status >= ? AND status < ?"_s;
        binds << *filter.statusClass * 100 << (*filter.statusClass + 1) * 100;
    }
    addRange(where, binds, filter.sinceMs, filter.untilMs);
    if (filter.beforeId) {
        auto cursor = db.exec(u"SELECT ts FROM gateway_dispatch_log WHERE id = ?"_s, {*filter.beforeId});
        if (!cursor)
            return cursor.error();
        if (!cursor->next())
            return makeError(u"query.cursor"_s, u"before_id %1 does not name a logged dispatch"_s.arg(*filter.beforeId));
        const qint64 ts = cursor->value(0).toLongLong();
        where << u"(ts < ? OR (ts = ? AND id < ?))"_s;
        binds << ts << ts << *filter.beforeId;
    }
    const int limit = std::clamp(filter.limit, 1, GatewayLogFilter::kMaxLimit);
    auto q = db.exec(
        u"SELECT %1 FROM gateway_dispatch_log %2 ORDER BY ts DESC, id DESC LIMIT %3"_s.arg(kColumns, whereClause(where)).arg(limit + 1),
        binds);
    if (!q)
        return q.error();
    GatewayLogPage page;
    while (q->next())
        page.entries << readEntry(*q);
    if (page.entries.size() > limit) {
        page.entries.removeLast();
        page.nextBeforeId = page.entries.constLast().id;
    }
    return page;
}

Result<QList<SourceTotals>> GatewayLogQuery::sourceTotals(Database &db, std::optional<qint64> sinceMs, std::optional<qint64> untilMs)
{
    QMap<QString, SourceTotals> totals;
    QStringList where;
    QVariantList binds;
    addRange(where, binds, sinceMs, untilMs);
    // A client that went away (499) is counted apart: an abort is not a failed dispatch.
    auto gateway = db.exec(u"SELECT source, COUNT(*), SUM(CASE WHEN status >= 400 AND status <> %2 THEN 1 ELSE 0 END), "
                           u"SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END), AVG(overhead_ms), "
                           u"SUM(CASE WHEN status = %2 THEN 1 ELSE 0 END) FROM gateway_dispatch_log %1 "
                           u"GROUP BY source"_s.arg(whereClause(where))
                               .arg(httpstatus::kClientClosedRequest),
                           binds);
    if (!gateway)
        return gateway.error();
    while (gateway->next()) {
        SourceTotals &t = totals[gateway->value(0).toString()];
        t.source = gateway->value(0).toString();
        t.requests = gateway->value(1).toLongLong();
        t.failed = gateway->value(2).toLongLong();
        t.failovers = gateway->value(3).toLongLong();
        t.overheadMsAvg = gateway->value(4).toDouble();
        t.aborted = gateway->value(5).toLongLong();
    }
    where.prepend(u"source IS NOT NULL"_s);
    auto hosts = db.exec(u"SELECT source, COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0) "
                         u"FROM control_requests %1 GROUP BY source"_s.arg(whereClause(where)),
                         binds);
    if (!hosts)
        return hosts.error();
    while (hosts->next()) {
        SourceTotals &t = totals[hosts->value(0).toString()];
        t.source = hosts->value(0).toString();
        t.hostRequests = hosts->value(1).toLongLong();
        t.inputTokens = hosts->value(2).toLongLong();
        t.outputTokens = hosts->value(3).toLongLong();
    }
    return totals.values();
}

} // namespace boo
