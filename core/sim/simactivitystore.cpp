#include "core/sim/simactivitystore.h"

#include "core/sim/gojsonwriter.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Compares one sort column; 0 when equal (the caller breaks ties by id).
int compareColumn(const SimActivityRow &a, const SimActivityRow &b, QStringView column)
{
    const auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (column == u"time")
        return cmp(a.timestampNs / 1000000000, b.timestampNs / 1000000000);
    if (column == u"model")
        return a.model.compare(b.model);
    if (column == u"req_path")
        return a.reqPath.compare(b.reqPath);
    if (column == u"resp_status_code")
        return cmp(a.status, b.status);
    if (column == u"resp_content_type")
        return a.respContentType.compare(b.respContentType);
    if (column == u"cached")
        return cmp(a.cacheTokens, b.cacheTokens);
    if (column == u"prompt")
        return cmp(a.inputTokens, b.inputTokens);
    if (column == u"generated")
        return cmp(a.outputTokens, b.outputTokens);
    if (column == u"drafted")
        return cmp(a.draftTokens, b.draftTokens);
    if (column == u"prompt_speed")
        return cmp(a.promptPerSecond, b.promptPerSecond);
    if (column == u"gen_speed")
        return cmp(a.tokensPerSecond, b.tokensPerSecond);
    if (column == u"duration")
        return cmp(a.durationMs, b.durationMs);
    return 0;
}

double percentile(const QList<double> &sorted, double p)
{
    const double rank = p / 100.0 * double(sorted.size() - 1);
    const auto lo = qsizetype(std::floor(rank));
    const auto hi = qMin(lo + 1, sorted.size() - 1);
    const double frac = rank - double(lo);
    return sorted.at(lo) + frac * (sorted.at(hi) - sorted.at(lo));
}

void writeHistogram(GoJsonWriter &w, QList<double> values)
{
    if (values.isEmpty()) {
        w.null();
        return;
    }
    std::sort(values.begin(), values.end());
    const double min = values.first();
    const double max = values.last();
    const auto n = values.size();
    int binCount = int(std::ceil(std::log2(double(n)))) + 1;
    binCount = qBound(5, binCount, 20);
    double binSize = (max - min) / binCount;
    if (min == max) {
        binCount = 1;
        binSize = 0;
    }
    QList<qint64> bins(binCount, 0);
    for (double v : values) {
        int bin = binSize > 0 ? int(std::floor((v - min) / binSize)) : 0;
        bins[qBound(0, bin, binCount - 1)] += 1;
    }
    w.beginObject();
    w.key(u"bins").beginArray();
    for (qint64 b : bins)
        w.integer(b);
    w.endArray();
    w.key(u"min").real(min);
    w.key(u"max").real(max);
    w.key(u"binSize").real(binSize);
    w.key(u"p50").real(percentile(values, 50));
    w.key(u"p95").real(percentile(values, 95));
    w.key(u"p99").real(percentile(values, 99));
    w.endObject();
}

} // namespace

SimActivityStore::SimActivityStore(int maxRows, qint64 firstId)
    : m_maxRows(maxRows > 0 ? maxRows : 1000)
    , m_nextId(firstId)
{
}

qint64 SimActivityStore::append(SimActivityRow row)
{
    row.id = m_nextId++;
    const qint64 id = row.id;
    m_rows.push_back(std::move(row));
    while (!m_rows.empty() && m_rows.front().id <= id - m_maxRows)
        m_rows.pop_front();
    return id;
}

void SimActivityStore::reset(qint64 firstId)
{
    m_rows.clear();
    m_nextId = firstId;
}

const SimActivityRow *SimActivityStore::find(qint64 id) const
{
    if (m_rows.empty() || id < m_rows.front().id || id > m_rows.back().id)
        return nullptr;
    // Ids are contiguous inside the ring.
    const SimActivityRow &row = m_rows[size_t(id - m_rows.front().id)];
    return row.id == id ? &row : nullptr;
}

SimActivityStore::Page SimActivityStore::select(const SimActivityQuery &q) const
{
    QList<const SimActivityRow *> matching;
    matching.reserve(qsizetype(m_rows.size()));
    for (const SimActivityRow &row : m_rows) {
        if (!q.models.isEmpty() && !q.models.contains(row.model))
            continue;
        const qint64 sec = row.timestampNs / 1000000000;
        if ((q.startSec && sec < *q.startSec) || (q.endSec && sec > *q.endSec))
            continue;
        if ((q.minId && row.id < *q.minId) || (q.maxId && row.id > *q.maxId))
            continue;
        matching.append(&row);
    }
    if (q.sort == u"id") {
        // Rows are stored in id order: the default sort needs no sorting at all, which keeps
        // paging through a large store linear (ingest benchmarks drain 50,000-row stores).
        if (!q.ascending)
            std::reverse(matching.begin(), matching.end());
    } else {
        const QString column = q.sort;
        std::sort(matching.begin(), matching.end(), [&](const SimActivityRow *a, const SimActivityRow *b) {
            int c = compareColumn(*a, *b, column);
            if (c == 0)
                c = a->id < b->id ? -1 : (a->id > b->id ? 1 : 0);
            return q.ascending ? c < 0 : c > 0;
        });
    }
    Page page;
    page.total = matching.size();
    const qint64 offset = qint64(q.page - 1) * q.limit;
    if (offset < matching.size())
        page.rows = matching.mid(offset, q.limit);
    return page;
}

QByteArray SimActivityStore::statsJson(const QString &model) const
{
    qint64 requests = 0, input = 0, output = 0, cache = 0;
    QList<double> promptSpeeds, genSpeeds;
    for (const SimActivityRow &row : m_rows) {
        if (!model.isEmpty() && row.model != model)
            continue;
        ++requests;
        input += row.inputTokens;
        output += row.outputTokens;
        if (row.cacheTokens > 0)
            cache += row.cacheTokens;
        if (row.promptPerSecond > 0)
            promptSpeeds.append(row.promptPerSecond);
        if (row.tokensPerSecond > 0)
            genSpeeds.append(row.tokensPerSecond);
    }
    GoJsonWriter w;
    w.beginObject();
    w.key(u"total_requests").integer(requests);
    w.key(u"total_input_tokens").integer(input);
    w.key(u"total_output_tokens").integer(output);
    w.key(u"total_cache_tokens").integer(cache);
    w.key(u"prompt_histogram");
    writeHistogram(w, promptSpeeds);
    w.key(u"gen_histogram");
    writeHistogram(w, genSpeeds);
    w.endObject();
    return w.take() + '\n';
}

} // namespace boo
