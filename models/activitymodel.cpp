#include "models/activitymodel.h"

#include "core/client/historysource.h"
#include "core/fleet/fleetstate.h"
#include "core/history/historymapping.h"
#include "core/protocol/httpstatusclass.h"
#include "models/formatting.h"

#include <QColor>
#include <QDateTime>
#include <QFont>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

bool isNumeric(int column)
{
    switch (column) {
    case ActivityModel::StatusColumn:
    case ActivityModel::InputColumn:
    case ActivityModel::CachedColumn:
    case ActivityModel::OutputColumn:
    case ActivityModel::PromptSpeedColumn:
    case ActivityModel::GenerationSpeedColumn:
    case ActivityModel::DurationColumn: return true;
    default: return false;
    }
}

template <typename T>
QVariant optionalNumber(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

} // namespace

ActivityModel::ActivityModel(FleetState *fleet, HistorySource *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_fleet(fleet)
    , m_history(history)
{
    m_insertTimer.setSingleShot(true);
    m_insertTimer.setInterval(kInsertIntervalMs);
    connect(&m_insertTimer, &QTimer::timeout, this, &ActivityModel::flushPending);
    m_elapsedTimer.setInterval(kElapsedTickMs);
    connect(&m_elapsedTimer, &QTimer::timeout, this, [this] {
        if (!m_inflight.isEmpty())
            Q_EMIT dataChanged(index(0, StatusColumn), index(int(m_inflight.size()) - 1, DurationColumn), {Qt::DisplayRole});
    });
    m_elapsedTimer.start();
    // Growing a set of 100,000 keys rehashes all of them at once: reserve what the cap allows,
    // so that a live burst never pays for it.
    m_keys.reserve(kMaxRows + 2 * kPageSize);
    connect(fleet, &FleetState::changed, this, &ActivityModel::onChanged);
    connect(fleet, &FleetState::reset, this, &ActivityModel::rebuildInFlight);
    rebuildInFlight();
    requestPage();
}

void ActivityModel::setFilter(const RequestFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    m_filter.beforeId.reset();
    m_filter.limit = kPageSize;
    m_rows.clear();
    m_keys.clear();
    m_pending.clear();
    ++m_generation;
    m_fetching = false;
    m_exhausted = false;
    m_beforeId.reset();
    m_untilMs.reset();
    m_windowStartMs.reset();
    // A text search cannot use an index: it reads the newest hour first, then older and older
    // spans, so that the first matches show at once even when the history holds millions.
    if (!m_filter.text.isEmpty()) {
        m_windowSpanMs = kSearchWindowMs;
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - m_windowSpanMs;
        if (!m_filter.sinceMs || *m_filter.sinceMs < start)
            m_windowStartMs = start;
    }
    m_lastError.clear();
    m_inflight.clear();
    endResetModel();
    rebuildInFlight();
    requestPage();
}

void ActivityModel::refresh()
{
    setFilter(m_filter);
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_inflight.size() + m_rows.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool ActivityModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && !m_fetching && m_history;
}

void ActivityModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        requestPage();
}

void ActivityModel::requestPage()
{
    if (m_fetching || m_exhausted || !m_history)
        return;
    RequestFilter page = m_filter;
    page.limit = kPageSize;
    page.beforeId = m_beforeId;
    if (m_untilMs)
        page.untilMs = m_filter.untilMs ? std::min(*m_filter.untilMs, *m_untilMs) : *m_untilMs;
    if (m_windowStartMs)
        page.sinceMs = m_windowStartMs;
    m_fetching = true;
    const quint64 generation = m_generation;
    m_history->requests(page, this, [this, generation](Result<RequestPage> result) { onPage(generation, std::move(result)); });
}

void ActivityModel::onPage(quint64 generation, Result<RequestPage> page)
{
    if (generation != m_generation)
        return; // an answer for a filter (or a window) that is gone
    m_fetching = false;
    if (!page) {
        // Not retried by scrolling (that would loop on a broken database); F5 starts over.
        m_exhausted = true;
        m_lastError = page.error().message;
        Q_EMIT loadFailed(m_lastError);
        return;
    }
    m_lastError.clear();
    QList<Row> fresh;
    fresh.reserve(page->rows.size());
    for (const StoredRequest &stored : std::as_const(page->rows)) {
        Row row{stored.id, stored.row};
        const Key key = keyOf(row.request);
        if (m_keys.contains(key))
            continue; // already shown as a live row
        row.request.providerId = intern(row.request.providerId);
        row.request.model = intern(row.request.model);
        row.request.reqPath = intern(row.request.reqPath);
        row.request.respContentType = intern(row.request.respContentType);
        row.request.source = intern(row.request.source);
        m_keys.insert(key);
        fresh << row;
    }
    if (page->nextBeforeId) {
        m_beforeId = page->nextBeforeId;
        m_untilMs.reset();
    } else if (m_windowStartMs) {
        // This span is read: go on before it, with a wider one (the whole rest, eventually).
        m_beforeId.reset();
        m_untilMs = *m_windowStartMs;
        m_windowSpanMs *= 8;
        const qint64 start = *m_windowStartMs - m_windowSpanMs;
        if (m_windowSpanMs > kSearchWindowMs * 8 * 8 * 8 * 8 || (m_filter.sinceMs && *m_filter.sinceMs >= start))
            m_windowStartMs.reset();
        else
            m_windowStartMs = start;
    } else {
        m_exhausted = true;
    }
    if (!fresh.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(fresh);
        endInsertRows();
    } else if (!m_exhausted) {
        requestPage(); // a page of rows we already had: the view will not ask again by itself
    }
    Q_EMIT pageLoaded(int(fresh.size()));
}

void ActivityModel::onChanged(const FleetDelta &delta)
{
    // New rows are inserted; a host's new state may change the in-flight rows.
    if (const auto *finished = delta.as<RequestsFinished>()) {
        for (const ActivityEntry &entry : finished->rows) {
            RequestRow row = toRequestRow(delta.hostId, entry);
            if (RequestQuery::matches(m_filter, row))
                m_pending << row;
        }
    } else if (!delta.is<HostChanged>() && !delta.is<HostRemoved>()) {
        return;
    }
    if (!m_insertTimer.isActive())
        m_insertTimer.start();
}

void ActivityModel::flushPending()
{
    m_insertTimer.stop();
    rebuildInFlight();
    if (m_pending.isEmpty())
        return;
    // Newest first, like the rest of the table; rows a page already brought are dropped.
    std::stable_sort(m_pending.begin(), m_pending.end(), [](const RequestRow &a, const RequestRow &b) { return a.ts > b.ts; });
    QList<Row> fresh;
    fresh.reserve(m_pending.size());
    for (RequestRow &request : m_pending) {
        const Key key = keyOf(request);
        if (m_keys.contains(key))
            continue;
        m_keys.insert(key);
        request.providerId = intern(request.providerId);
        request.model = intern(request.model);
        request.reqPath = intern(request.reqPath);
        request.respContentType = intern(request.respContentType);
        fresh << Row{0, std::move(request)};
    }
    m_pending.clear();
    if (fresh.isEmpty())
        return;
    const int first = int(m_inflight.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    // QList prepends into free space at its front: no copy of the rows already held.
    for (auto it = fresh.rbegin(); it != fresh.rend(); ++it)
        m_rows.prepend(std::move(*it));
    endInsertRows();
    trim();
}

void ActivityModel::trim()
{
    if (m_rows.size() <= m_maxRows)
        return;
    const int keep = m_maxRows;
    const int first = int(m_inflight.size()) + keep;
    beginRemoveRows({}, first, rowCount() - 1);
    for (qsizetype i = keep; i < m_rows.size(); ++i)
        m_keys.remove(keyOf(m_rows.at(i).request));
    m_rows.resize(keep);
    endRemoveRows();
    // Scrolling down reads the dropped rows again, after the last row kept.
    const Row &last = m_rows.constLast();
    if (last.storedId > 0) {
        m_beforeId = last.storedId;
        m_untilMs.reset();
    } else {
        m_beforeId.reset();
        m_untilMs = last.request.ts + 1; // rows of the same second that are kept are skipped by key
    }
    ++m_generation; // a page in flight was asked for after rows that are gone
    m_fetching = false;
    m_exhausted = false;
}

void ActivityModel::rebuildInFlight()
{
    QList<InFlight> next;
    if (m_fleet) {
        for (const QString &id : m_fleet->hostIds()) {
            if (!m_filter.host.isEmpty() && id != m_filter.host)
                continue;
            const auto host = m_fleet->host(id);
            for (const InFlightRequest &r : std::as_const(host->inflight)) {
                if (!m_filter.models.isEmpty() && !m_filter.models.contains(r.model))
                    continue;
                if (!m_filter.text.isEmpty() && !r.model.contains(m_filter.text, Qt::CaseInsensitive)
                    && !r.reqPath.contains(m_filter.text, Qt::CaseInsensitive))
                    continue;
                next << InFlight{id, r};
            }
        }
    }
    // Finished-request filters (status, time range, source) do not apply to running requests,
    // except that a range in the past shows none.
    if (m_filter.untilMs && *m_filter.untilMs < QDateTime::currentMSecsSinceEpoch())
        next.clear();
    std::stable_sort(next.begin(), next.end(),
                     [](const InFlight &a, const InFlight &b) { return a.request.timestampMs > b.request.timestampMs; });
    if (next == m_inflight)
        return;
    const bool sameRequests = next.size() == m_inflight.size()
        && std::equal(next.cbegin(), next.cend(), m_inflight.cbegin(),
                      [](const InFlight &a, const InFlight &b) { return a.host == b.host && a.request.id == b.request.id; });
    if (sameRequests) {
        m_inflight = next;
        Q_EMIT dataChanged(index(0, 0), index(int(m_inflight.size()) - 1, ColumnCount - 1));
        return;
    }
    if (!m_inflight.isEmpty()) {
        beginRemoveRows({}, 0, int(m_inflight.size()) - 1);
        m_inflight.clear();
        endRemoveRows();
    }
    if (!next.isEmpty()) {
        beginInsertRows({}, 0, int(next.size()) - 1);
        m_inflight = next;
        endInsertRows();
    }
}

QString ActivityModel::intern(const QString &text)
{
    if (text.isEmpty())
        return {};
    const auto it = m_strings.constFind(text);
    if (it != m_strings.cend())
        return *it;
    // Free text would grow the pool without bound; hosts, models and paths repeat.
    if (m_strings.size() < 10'000)
        m_strings.insert(text);
    return text;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.column() >= 0 && role == Qt::TextAlignmentRole)
        return isNumeric(index.column()) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    const int row = index.row();
    if (row < m_inflight.size())
        return inFlightData(m_inflight.at(row), index.column(), role);
    return finishedData(m_rows.at(row - m_inflight.size()), index.column(), role);
}

QVariant ActivityModel::finishedData(const Row &row, int column, int role) const
{
    const RequestRow &r = row.request;
    switch (role) {
    case RowKindRole: return int(RowKind::Finished);
    case HostIdRole: return r.providerId;
    case CaptureIdRole: return r.hasCapture ? QVariant(r.swapEntryId) : QVariant();
    case TimestampRole: return r.ts;
    case Qt::ForegroundRole:
        if (column != StatusColumn)
            return {};
        // A client that hung up (499) is not the host's fault: grey, not an error colour.
        switch (httpstatus::classify(r.respStatusCode)) {
        case httpstatus::StatusClass::ServerError: return QColor(0xd6, 0x3b, 0x3b);
        case httpstatus::StatusClass::ClientError: return QColor(0xd9, 0x7a, 0x1c);
        case httpstatus::StatusClass::ClientAbort: return QColor(0x80, 0x80, 0x80);
        case httpstatus::StatusClass::Success: return {};
        }
        return {};
    case Qt::ToolTipRole:
        if (column == SourceColumn && !r.caller.isEmpty())
            return tr("Caller as the host tagged it: %1").arg(r.caller);
        if (column == StatusColumn && httpstatus::isClientAbort(r.respStatusCode))
            return tr("The client went away before the response: an abort, not an error");
        if (!r.errorMessage.isEmpty())
            return r.errorMessage;
        if (column == CaptureColumn && r.hasCapture)
            return tr("Double-click to open the capture in the inspector");
        return {};
    case SortRole:
        switch (column) {
        case TimeColumn: return r.ts;
        case StatusColumn: return r.respStatusCode;
        case InputColumn: return optionalNumber(r.inputTokens);
        case CachedColumn: return optionalNumber(r.cacheTokens);
        case OutputColumn: return optionalNumber(r.outputTokens);
        case PromptSpeedColumn: return optionalNumber(r.promptPerSecond);
        case GenerationSpeedColumn: return optionalNumber(r.tokensPerSecond);
        case DurationColumn: return r.durationMs;
        default: return finishedData(row, column, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn: return formatting::timestamp(r.ts);
        case HostColumn: return r.providerId;
        case ModelColumn: return r.model;
        case PathColumn: return r.reqPath;
        case StatusColumn: return r.respStatusCode;
        case InputColumn: return formatting::count(r.inputTokens);
        case CachedColumn: return formatting::count(r.cacheTokens);
        case OutputColumn: return formatting::count(r.outputTokens);
        case PromptSpeedColumn: return formatting::speed(r.promptPerSecond);
        case GenerationSpeedColumn: return formatting::speed(r.tokensPerSecond);
        case DurationColumn: return formatting::duration(r.durationMs);
        case SourceColumn:
            // The host's own caller tag (llama-swap v251+ `src`) where we have no X-Boo-Source.
            if (r.caller.isEmpty())
                return r.source;
            return r.source.isEmpty() ? r.caller : tr("%1 (%2)").arg(r.source, r.caller);
        case CaptureColumn: return r.hasCapture ? tr("capture") : QString();
        }
        return {};
    }
    return {};
}

QVariant ActivityModel::inFlightData(const InFlight &row, int column, int role) const
{
    const InFlightRequest &r = row.request;
    const qint64 elapsed = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - r.timestampMs);
    switch (role) {
    case RowKindRole: return int(RowKind::InFlight);
    case HostIdRole: return row.host;
    case InFlightIdRole: return r.id;
    case TimestampRole: return r.timestampMs;
    case Qt::FontRole: {
        QFont font;
        font.setItalic(true);
        return font;
    }
    case Qt::ToolTipRole:
        return tr("In flight for %1 on %2; right-click or double-click to cancel").arg(formatting::duration(elapsed), row.host);
    case SortRole:
        if (column == DurationColumn)
            return elapsed;
        if (column == TimeColumn)
            return r.timestampMs;
        return inFlightData(row, column, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn: return formatting::timestamp(r.timestampMs);
        case HostColumn: return row.host;
        case ModelColumn: return r.model;
        case PathColumn: return r.reqPath;
        case StatusColumn: return r.respBytes.value_or(0) > 0 ? tr("running, %1").arg(formatting::bytes(*r.respBytes)) : tr("running");
        case DurationColumn: return formatting::duration(elapsed);
        case CaptureColumn: return tr("cancel");
        }
        return {};
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return isNumeric(section) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case CachedColumn: return tr("Prompt tokens served from the KV cache");
        case PromptSpeedColumn: return tr("Prompt processing speed, tokens per second");
        case GenerationSpeedColumn: return tr("Generation speed, tokens per second");
        case SourceColumn: return tr("X-Boo-Source of gateway traffic, or the host's caller tag (src)");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case HostColumn: return tr("Host");
    case ModelColumn: return tr("Model");
    case PathColumn: return tr("Path");
    case StatusColumn: return tr("Status");
    case InputColumn: return tr("Input");
    case CachedColumn: return tr("Cached");
    case OutputColumn: return tr("Output");
    case PromptSpeedColumn: return tr("Prompt tok/s");
    case GenerationSpeedColumn: return tr("Gen tok/s");
    case DurationColumn: return tr("Duration");
    case SourceColumn: return tr("Source");
    case CaptureColumn: return tr("Capture");
    }
    return {};
}

} // namespace boo
