#include "models/requestratemodel.h"

#include "core/client/historysource.h"
#include "core/fleet/fleetstate.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

bool earlier(const RatePoint &a, const RatePoint &b)
{
    return std::tie(a.ts, a.host) < std::tie(b.ts, b.host);
}

} // namespace

qint64 RequestRateModel::bucketFor(qint64 spanMs)
{
    constexpr qint64 hour = 3600'000;
    if (spanMs <= 6 * hour)
        return 60'000;
    if (spanMs <= 48 * hour)
        return 5 * 60'000;
    return hour;
}

RequestRateModel::RequestRateModel(FleetState *fleet, HistorySource *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_history(history)
{
    connect(fleet, &FleetState::changed, this, &RequestRateModel::onChanged);
}

void RequestRateModel::setRange(qint64 fromMs, qint64 toMs, bool live)
{
    m_window = TimeWindow{fromMs, toMs, live};
    refresh();
}

void RequestRateModel::refresh()
{
    if (!m_history)
        return;
    m_window.followClock();
    m_bucketMs = bucketFor(m_window.spanMs());
    RateFilter filter{QString(), m_window.fromMs - m_window.fromMs % m_bucketMs, m_window.toMs + m_bucketMs, m_bucketMs};
    m_loading = true;
    const quint64 generation = ++m_generation;
    m_history->rate(filter, this, [this, generation](Result<QList<RatePoint>> points) {
        if (generation != m_generation)
            return;
        m_loading = false;
        beginResetModel();
        if (points) {
            m_lastError.clear();
            m_points = *points;
            std::stable_sort(m_points.begin(), m_points.end(), earlier);
        } else {
            m_lastError = points.error().message;
            m_points.clear();
        }
        endResetModel();
        Q_EMIT loaded();
    });
}

void RequestRateModel::onChanged(const FleetDelta &delta)
{
    const auto *finished = delta.as<RequestsFinished>();
    if (!finished || !m_window.live || m_loading)
        return;
    for (const ActivityEntry &e : finished->rows) {
        RatePoint key{delta.hostId, e.timestampMs - e.timestampMs % m_bucketMs, 0, 0, 0};
        if (key.ts < m_window.fromMs - m_bucketMs)
            continue;
        auto at = std::lower_bound(m_points.begin(), m_points.end(), key, earlier);
        int row = int(at - m_points.begin());
        if (at == m_points.end() || at->ts != key.ts || at->host != key.host) {
            beginInsertRows({}, row, row);
            m_points.insert(row, key);
            endInsertRows();
        }
        RatePoint &p = m_points[row];
        ++p.requests;
        p.inputTokens += e.inputTokens.value_or(0);
        p.outputTokens += e.outputTokens.value_or(0);
        Q_EMIT dataChanged(index(row, RequestsPerMinuteColumn), index(row, OutputTokensPerMinuteColumn));
    }
    m_window.toMs = std::max(m_window.toMs, QDateTime::currentMSecsSinceEpoch());
}

int RequestRateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int RequestRateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestRateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != ValueRole)
        return {};
    const RatePoint &p = m_points.at(index.row());
    const double minutes = double(m_bucketMs) / 60'000.0;
    switch (index.column()) {
    case HostColumn: return p.host;
    case TimeColumn: return role == ValueRole ? QVariant(p.ts) : QVariant(QDateTime::fromMSecsSinceEpoch(p.ts));
    case RequestsPerMinuteColumn: return double(p.requests) / minutes;
    case InputTokensPerMinuteColumn: return double(p.inputTokens) / minutes;
    case OutputTokensPerMinuteColumn: return double(p.outputTokens) / minutes;
    }
    return {};
}

QVariant RequestRateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case HostColumn: return tr("Host");
    case TimeColumn: return tr("Time");
    case RequestsPerMinuteColumn: return tr("Requests/min");
    case InputTokensPerMinuteColumn: return tr("Input tokens/min");
    case OutputTokensPerMinuteColumn: return tr("Output tokens/min");
    }
    return {};
}

} // namespace boo
