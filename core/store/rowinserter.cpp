#include "core/store/rowinserter.h"

#include "core/store/database.h"

#include <QSqlError>

#include <array>
#include <bit>

using namespace Qt::StringLiterals;

namespace boo {

static_assert(std::has_single_bit(unsigned(RowInserter::kRowsPerStatement)), "full chunks must be one of the power-of-two sizes");

namespace {

template <typename T>
QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

// One destination table per kind of HistoryRow, in the order of the variant's alternatives.
struct TableSpec
{
    QString name;
    QStringList columns;
    QString onConflict; // appended to the INSERT
    int rowsPerStatement;
};

QStringList requestColumns()
{
    return {u"provider_id"_s,
            u"swap_entry_id"_s,
            u"ts"_s,
            u"model"_s,
            u"req_path"_s,
            u"resp_content_type"_s,
            u"resp_status_code"_s,
            u"cache_tokens"_s,
            u"draft_tokens"_s,
            u"draft_acc_tokens"_s,
            u"input_tokens"_s,
            u"output_tokens"_s,
            u"prompt_per_second"_s,
            u"tokens_per_second"_s,
            u"duration_ms"_s,
            u"has_capture"_s,
            u"error_msg"_s,
            u"metadata"_s,
            u"source"_s,
            u"caller"_s,
            u"ingested_at"_s};
}

const std::array<TableSpec, std::variant_size_v<HistoryRow>> &tableSpecs()
{
    static const std::array<TableSpec, std::variant_size_v<HistoryRow>> specs{{
        {u"control_requests"_s, requestColumns(), u"ON CONFLICT DO NOTHING"_s, RowInserter::kRowsPerStatement},
        {u"control_perf_samples"_s, QStringList{u"provider_id"_s, u"gpu"_s, u"ts"_s, u"name"_s, u"uuid"_s} + perfMetricColumns(),
         u"ON CONFLICT DO NOTHING"_s, RowInserter::kRowsPerStatement},
        {u"control_model_events"_s,
         {u"provider_id"_s, u"model"_s, u"state"_s, u"previous_state"_s, u"ts"_s},
         u"ON CONFLICT DO NOTHING"_s,
         RowInserter::kRowsPerStatement},
        {u"control_host_events"_s,
         {u"provider_id"_s, u"ts"_s, u"kind"_s, u"detail"_s},
         u"ON CONFLICT DO NOTHING"_s,
         RowInserter::kRowsPerStatement},
        // One row per statement: an upsert may not touch the same row twice in one statement.
        {u"control_hosts"_s,
         {u"provider_id"_s, u"name"_s, u"kind"_s, u"base_url"_s, u"created_at"_s, u"updated_at"_s, u"last_seen_at"_s, u"version"_s,
          u"gap_suspected"_s, u"gap_suspected_at"_s},
         u"ON CONFLICT (provider_id) DO UPDATE SET %1"_s,
         1},
        {u"gateway_dispatch_log"_s,
         {u"dispatch_id"_s, u"ts"_s, u"source"_s, u"requested_model"_s, u"policy"_s, u"endpoint"_s, u"stream"_s, u"candidates"_s,
          u"attempts_detail"_s, u"attempts"_s, u"chosen_provider"_s, u"chosen_model"_s, u"status"_s, u"ttft_ms"_s, u"total_ms"_s,
          u"overhead_ms"_s, u"error"_s, u"consumer_key"_s},
         u"ON CONFLICT DO NOTHING"_s,
         RowInserter::kRowsPerStatement},
        // One row per statement, like hosts: an upsert may not touch the same row twice in one
        // statement, and the plain row may sit in the same batch.
        {u"control_requests"_s, requestColumns(),
         u"ON CONFLICT (provider_id, swap_entry_id, ts) DO UPDATE SET source = excluded.source "
         u"WHERE control_requests.source IS NULL"_s,
         1},
    }};
    return specs;
}

// Rows written over an existing host keep facts the new row does not carry, and never move
// last_seen_at backwards (a replayed old status row must not undo a newer one).
QString hostStatusUpdates(const Database &db)
{
    return u"last_seen_at = %1, version = CASE WHEN excluded.version = '' THEN control_hosts.version ELSE excluded.version END, "
           u"gap_suspected = excluded.gap_suspected, "
           u"gap_suspected_at = COALESCE(excluded.gap_suspected_at, control_hosts.gap_suspected_at)"_s.arg(
               db.greatest(u"excluded.last_seen_at"_s, u"control_hosts.last_seen_at"_s));
}

void appendValues(QVariantList &out, const RequestRow &r, qint64 nowMs)
{
    out << r.providerId << r.swapEntryId << r.ts << r.model << r.reqPath << r.respContentType << r.respStatusCode << nullable(r.cacheTokens)
        << nullable(r.draftTokens) << nullable(r.draftAcceptedTokens) << nullable(r.inputTokens) << nullable(r.outputTokens)
        << nullable(r.promptPerSecond) << nullable(r.tokensPerSecond) << r.durationMs << (r.hasCapture ? 1 : 0)
        << nullableText(r.errorMessage) << nullableText(r.metadataJson) << nullableText(r.source) << nullableText(r.caller) << nowMs;
}

void appendValues(QVariantList &out, const PerfSampleRow &r, qint64)
{
    out << r.providerId << r.gpu << r.ts << r.name << r.uuid << nullable(r.tempC) << nullable(r.vramTempC) << nullable(r.gpuUtilPct)
        << nullable(r.memUtilPct) << nullable(r.memUsedMb) << nullable(r.memTotalMb) << nullable(r.fanSpeedPct) << nullable(r.powerDrawW);
}

void appendValues(QVariantList &out, const ModelEventRow &r, qint64)
{
    out << r.providerId << r.model << r.state << nullableText(r.previousState) << r.ts;
}

void appendValues(QVariantList &out, const HostEventRow &r, qint64)
{
    out << r.providerId << r.ts << r.kind << r.detail;
}

void appendValues(QVariantList &out, const HostStatusRow &r, qint64 nowMs)
{
    out << r.providerId << r.name << r.kind << r.baseUrl << nowMs << nowMs << nullable(r.lastSeenAt) << r.version
        << (r.gapSuspected ? 1 : 0) << nullable(r.gapSuspectedAt);
}

void appendValues(QVariantList &out, const GatewayDispatchRow &r, qint64)
{
    out << r.dispatchId << r.ts << r.source << r.requestedModel << nullableText(r.policy) << r.endpoint << (r.stream ? 1 : 0)
        << r.candidatesJson << r.attemptsJson << r.attempts << nullableText(r.chosenProvider) << nullableText(r.chosenModel) << r.status
        << nullable(r.ttftMs) << r.totalMs << r.overheadMs << nullableText(r.error) << nullableText(r.consumerKey);
}

void appendValues(QVariantList &out, const AttributedRequestRow &r, qint64 nowMs)
{
    appendValues(out, r.row, nowMs);
}

} // namespace

RowInserter::RowInserter(Database &db)
    : m_db(db)
{
}

Result<QSqlQuery *> RowInserter::statement(std::size_t table, int rowCount)
{
    const auto key = std::make_pair(table, rowCount);
    if (auto it = m_statements.find(key); it != m_statements.end())
        return &it->second;

    const TableSpec &spec = tableSpecs().at(table);
    const QString onConflict = spec.onConflict.contains(u"%1"_s) ? spec.onConflict.arg(hostStatusUpdates(m_db)) : spec.onConflict;
    const QString tuple = u'(' + QStringList(spec.columns.size(), u"?"_s).join(u',') + u')';
    const QString sql = u"INSERT INTO %1 (%2) VALUES %3 %4"_s.arg(spec.name, spec.columns.join(u','),
                                                                  QStringList(rowCount, tuple).join(u','), onConflict);
    QSqlQuery query(m_db.connection());
    if (!query.prepare(sql))
        return m_db.errorFrom(query.lastError(), sql);
    return &m_statements.emplace(key, std::move(query)).first->second;
}

Result<qint64> RowInserter::insertChunk(std::size_t table, const QVariantList &values, qsizetype first, int rowCount)
{
    auto prepared = statement(table, rowCount);
    if (!prepared)
        return prepared.error();
    QSqlQuery *query = *prepared;
    const qsizetype count = qsizetype(rowCount) * tableSpecs().at(table).columns.size();
    for (qsizetype i = 0; i < count; ++i)
        query->bindValue(int(i), values.at(first + i));
    if (!query->exec())
        return m_db.errorFrom(query->lastError(), query->lastQuery().left(80));
    const qint64 affected = query->numRowsAffected();
    query->finish();
    return affected < 0 ? 0 : affected;
}

Result<qint64> RowInserter::insert(std::span<const HistoryRow> rows, qint64 nowMs)
{
    // Gather by table, keeping each table's rows in arrival order.
    struct Pending
    {
        QVariantList values;
        int count = 0;
    };
    std::array<Pending, std::variant_size_v<HistoryRow>> pending;
    qint64 inserted = 0;

    auto flush = [&](std::size_t table) -> Result<void> {
        Pending &p = pending[table];
        const qsizetype columns = tableSpecs().at(table).columns.size();
        qsizetype first = 0;
        for (int left = p.count; left > 0;) {
            const int chunk = int(std::bit_floor(unsigned(left)));
            auto r = insertChunk(table, p.values, first, chunk);
            if (!r)
                return r.error();
            inserted += *r;
            first += chunk * columns;
            left -= chunk;
        }
        p.values.clear();
        p.count = 0;
        return {};
    };

    for (const HistoryRow &row : rows) {
        const std::size_t table = row.index();
        std::visit([&](const auto &r) { appendValues(pending[table].values, r, nowMs); }, row);
        if (++pending[table].count == tableSpecs().at(table).rowsPerStatement) {
            if (auto flushed = flush(table); !flushed)
                return flushed.error();
        }
    }
    for (std::size_t table = 0; table < pending.size(); ++table) {
        if (auto flushed = flush(table); !flushed)
            return flushed.error();
    }
    return inserted;
}

} // namespace boo
