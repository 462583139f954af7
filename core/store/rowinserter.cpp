#include "core/store/rowinserter.h"

#include "core/store/database.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QStringList &requestColumns()
{
    static const QStringList columns{
        u"provider_id"_s,  u"swap_entry_id"_s,    u"ts"_s,           u"model"_s,
        u"req_path"_s,     u"resp_content_type"_s, u"resp_status_code"_s, u"cache_tokens"_s,
        u"draft_tokens"_s, u"draft_acc_tokens"_s, u"input_tokens"_s, u"output_tokens"_s,
        u"prompt_per_second"_s, u"tokens_per_second"_s, u"duration_ms"_s, u"has_capture"_s,
        u"error_msg"_s,    u"metadata"_s,         u"source"_s,       u"ingested_at"_s};
    return columns;
}

const QStringList &perfColumns()
{
    static const QStringList columns = QStringList{u"provider_id"_s, u"gpu"_s, u"ts"_s, u"name"_s, u"uuid"_s} + perfMetricColumns();
    return columns;
}

const QStringList &modelEventColumns()
{
    static const QStringList columns{u"provider_id"_s, u"model"_s, u"state"_s, u"previous_state"_s, u"ts"_s};
    return columns;
}

template <typename T>
QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

void appendValues(QVariantList &out, const RequestRow &r, qint64 nowMs)
{
    out << r.providerId << r.swapEntryId << r.ts << r.model << r.reqPath << r.respContentType << r.respStatusCode
        << nullable(r.cacheTokens) << nullable(r.draftTokens) << nullable(r.draftAcceptedTokens)
        << nullable(r.inputTokens) << nullable(r.outputTokens) << nullable(r.promptPerSecond)
        << nullable(r.tokensPerSecond) << r.durationMs << (r.hasCapture ? 1 : 0) << nullableText(r.errorMessage)
        << nullableText(r.metadataJson) << nullableText(r.source) << nowMs;
}

void appendValues(QVariantList &out, const PerfSampleRow &r)
{
    out << r.providerId << r.gpu << r.ts << r.name << r.uuid << nullable(r.tempC) << nullable(r.vramTempC)
        << nullable(r.gpuUtilPct) << nullable(r.memUtilPct) << nullable(r.memUsedMb) << nullable(r.memTotalMb)
        << nullable(r.fanSpeedPct) << nullable(r.powerDrawW);
}

void appendValues(QVariantList &out, const ModelEventRow &r)
{
    out << r.providerId << r.model << r.state << nullableText(r.previousState) << r.ts;
}

} // namespace

RowInserter::RowInserter(Database &db)
    : m_db(db)
{
}

Result<QSqlQuery *> RowInserter::statement(Table table, int rowCount)
{
    const auto key = std::make_pair(table, rowCount);
    if (auto it = m_statements.find(key); it != m_statements.end())
        return &it->second;

    const auto &[name, columns] = [table]() -> std::pair<QString, const QStringList &> {
        switch (table) {
        case Table::Requests: return {u"control_requests"_s, requestColumns()};
        case Table::PerfSamples: return {u"control_perf_samples"_s, perfColumns()};
        case Table::ModelEvents: return {u"control_model_events"_s, modelEventColumns()};
        }
        Q_UNREACHABLE();
    }();
    const QString tuple = u'(' + QStringList(columns.size(), u"?"_s).join(u',') + u')';
    const QString sql = u"INSERT INTO %1 (%2) VALUES %3 ON CONFLICT DO NOTHING"_s
                            .arg(name, columns.join(u','), QStringList(rowCount, tuple).join(u','));

    QSqlQuery query(m_db.connection());
    if (!query.prepare(sql))
        return m_db.errorFrom(query.lastError(), sql);
    return &m_statements.emplace(key, std::move(query)).first->second;
}

Result<qint64> RowInserter::insertChunk(Table table, const QVariantList &values, int rowCount)
{
    auto prepared = statement(table, rowCount);
    if (!prepared)
        return prepared.error();
    QSqlQuery *query = *prepared;
    for (qsizetype i = 0; i < values.size(); ++i)
        query->bindValue(int(i), values.at(i));
    if (!query->exec())
        return m_db.errorFrom(query->lastError(), query->lastQuery().left(80));
    const qint64 affected = query->numRowsAffected();
    query->finish();
    return affected < 0 ? 0 : affected;
}

Result<qint64> RowInserter::insert(std::span<const HistoryRow> rows, qint64 nowMs)
{
    // Gather by table, keeping each table's rows in arrival order.
    QVariantList requests, perf, events;
    int requestCount = 0, perfCount = 0, eventCount = 0;
    qint64 inserted = 0;

    auto flush = [&](Table table, QVariantList &values, int &count) -> Result<void> {
        if (count == 0)
            return {};
        auto r = insertChunk(table, values, count);
        if (!r)
            return r.error();
        inserted += *r;
        values.clear();
        count = 0;
        return {};
    };

    for (const HistoryRow &row : rows) {
        Result<void> flushed;
        if (const auto *request = std::get_if<RequestRow>(&row)) {
            appendValues(requests, *request, nowMs);
            if (++requestCount == kRowsPerStatement)
                flushed = flush(Table::Requests, requests, requestCount);
        } else if (const auto *sample = std::get_if<PerfSampleRow>(&row)) {
            appendValues(perf, *sample);
            if (++perfCount == kRowsPerStatement)
                flushed = flush(Table::PerfSamples, perf, perfCount);
        } else if (const auto *event = std::get_if<ModelEventRow>(&row)) {
            appendValues(events, *event);
            if (++eventCount == kRowsPerStatement)
                flushed = flush(Table::ModelEvents, events, eventCount);
        }
        if (!flushed)
            return flushed.error();
    }
    if (auto r = flush(Table::Requests, requests, requestCount); !r)
        return r.error();
    if (auto r = flush(Table::PerfSamples, perf, perfCount); !r)
        return r.error();
    if (auto r = flush(Table::ModelEvents, events, eventCount); !r)
        return r.error();
    return inserted;
}

} // namespace boo
