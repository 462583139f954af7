#include "core/gateway/usagescanner.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

std::optional<qint64> count(const QJsonObject &usage, const QString &name)
{
    const QJsonValue v = usage.value(name);
    if (!v.isDouble() || v.toDouble() < 0)
        return std::nullopt;
    return qint64(v.toDouble());
}

} // namespace

std::optional<ReportedUsage> UsageScanner::fromJson(QByteArrayView json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray());
    const QJsonValue usage = doc.object().value(u"usage"_s);
    if (!usage.isObject())
        return std::nullopt;
    const auto prompt = count(usage.toObject(), u"prompt_tokens"_s);
    const auto completion = count(usage.toObject(), u"completion_tokens"_s);
    const auto total = count(usage.toObject(), u"total_tokens"_s);
    if (!prompt && !completion && !total)
        return std::nullopt;
    ReportedUsage reported;
    reported.inputTokens = prompt.value_or(0);
    // A host that only gives the total: the rest of it is output.
    reported.outputTokens = completion.value_or(total ? std::max<qint64>(0, *total - reported.inputTokens) : 0);
    return reported;
}

void UsageScanner::feed(QByteArrayView data)
{
    if (!m_sse) {
        if (m_overflow || m_body.size() + data.size() > kMaxJsonBody) {
            m_overflow = true; // too large to read twice: the caller falls back to its estimate
            m_body.clear();
            return;
        }
        m_body.append(data.data(), data.size());
        return;
    }
    if (!data.contains("\"usage\""))
        return;
    // The last event that mentions usage wins (a later chunk repeats the final count). An SSE
    // event's JSON is on its `data:` lines; llama-server writes one per event.
    qsizetype from = 0;
    while (from < data.size()) {
        qsizetype end = data.indexOf('\n', from);
        if (end < 0)
            end = data.size();
        const QByteArrayView line = data.sliced(from, end - from).trimmed();
        from = end + 1;
        if (line.startsWith("data:") && line.contains("\"usage\"")) {
            if (auto usage = fromJson(line.sliced(5).trimmed()))
                m_found = usage;
        }
    }
}

std::optional<ReportedUsage> UsageScanner::finish()
{
    if (!m_sse && !m_overflow && !m_body.isEmpty())
        m_found = fromJson(m_body);
    m_body.clear();
    return m_found;
}

} // namespace boo
