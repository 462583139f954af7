#pragma once

#include "core/fleet/fleetdelta.h"
#include "core/store/requestquery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <optional>

namespace boo {

class FleetState;
class HistorySource;

// The Activity table: requests in flight on top, then finished requests newest first — the
// live feed of FleetState followed by the stored history, read page by page as the view
// scrolls (canFetchMore/fetchMore with keyset cursors), so it opens at once on any amount of
// history and holds only what was looked at.
//
// The filter is pushed down to the history query and applied to live rows in memory with the
// same rules (RequestQuery::matches). A text search, which no index serves, reads the history
// in growing spans (an hour, 8 hours, 64 hours, ...), so its first page arrives at once. Live rows arrive in bursts: they are inserted with one
// beginInsertRows per kInsertIntervalMs, and rows a history page repeats are dropped by key.
// When more than kMaxRows are held, the oldest are let go; scrolling fetches them again.
class ActivityModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 500;
    static constexpr int kMaxRows = 100'000;
    static constexpr int kInsertIntervalMs = 100;
    static constexpr int kElapsedTickMs = 1000;
    static constexpr qint64 kSearchWindowMs = 3600'000; // the first span a text search reads

    enum Columns {
        TimeColumn,
        HostColumn,
        ModelColumn,
        PathColumn,
        StatusColumn,
        InputColumn,
        CachedColumn,
        OutputColumn,
        PromptSpeedColumn,
        GenerationSpeedColumn,
        DurationColumn,
        SourceColumn,
        CaptureColumn,
        ColumnCount
    };
    enum class RowKind { InFlight, Finished };
    enum Roles {
        RowKindRole = Qt::UserRole + 1, // int(RowKind)
        HostIdRole,
        CaptureIdRole,  // the activity id when the host keeps a capture, else invalid
        InFlightIdRole, // in-flight rows: the id to cancel
        TimestampRole,  // ms: finish time, or start time in flight
        SortRole,       // the raw number behind a cell
    };

    ActivityModel(FleetState *fleet, HistorySource *history, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ActivityModel)

    // Starts over with another filter (its cursor and limit are ignored).
    void setFilter(const RequestFilter &filter);
    const RequestFilter &filter() const { return m_filter; }
    // Reads the newest history again (F5).
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // The most finished rows held at once (kMaxRows; tests make it small).
    void setMaxRows(int rows) { m_maxRows = rows; }
    int inFlightCount() const { return int(m_inflight.size()); }
    bool isFetching() const { return m_fetching; }
    bool isExhausted() const { return m_exhausted; }
    // A text search still reading older history: where it has got to (empty when done or unbounded).
    std::optional<qint64> searchedSinceMs() const { return m_windowStartMs; }
    QString lastError() const { return m_lastError; }
    // Inserts the live rows that are waiting now (tests and benchmarks).
    void flushPending();

Q_SIGNALS:
    void pageLoaded(int rows);
    void loadFailed(const QString &error);

private:
    struct Row
    {
        qint64 storedId = 0; // the database row (the cursor); 0 for live rows
        RequestRow request;
    };
    struct InFlight
    {
        QString host;
        InFlightRequest request;
        friend bool operator==(const InFlight &, const InFlight &) = default;
    };
    struct Key
    {
        QString host;
        qint64 entryId = 0;
        qint64 ts = 0;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0) { return qHashMulti(seed, key.host, key.entryId, key.ts); }
    };
    static Key keyOf(const RequestRow &row) { return {row.providerId, row.swapEntryId, row.ts}; }

    void onChanged(const FleetDelta &delta);
    void rebuildInFlight();
    void requestPage();
    void onPage(quint64 generation, Result<RequestPage> page);
    void trim();
    QString intern(const QString &text);
    QVariant finishedData(const Row &row, int column, int role) const;
    QVariant inFlightData(const InFlight &row, int column, int role) const;

    QPointer<FleetState> m_fleet;
    QPointer<HistorySource> m_history;
    RequestFilter m_filter;
    QList<InFlight> m_inflight;  // newest first
    QList<Row> m_rows;           // newest first
    QSet<Key> m_keys;            // of m_rows
    QList<RequestRow> m_pending; // live rows waiting for the next insert, newest last
    QSet<QString> m_strings;     // hosts, models, paths: one copy each
    QTimer m_insertTimer;
    QTimer m_elapsedTimer;
    quint64 m_generation = 0;
    bool m_fetching = false;
    bool m_exhausted = false;
    std::optional<qint64> m_beforeId;      // cursor after a stored row
    std::optional<qint64> m_untilMs;       // cursor after a live row (its finish time + 1), or before a span
    std::optional<qint64> m_windowStartMs; // a text search reads [window start, cursor) first
    qint64 m_windowSpanMs = kSearchWindowMs;
    QString m_lastError;
    int m_maxRows = kMaxRows;
};

} // namespace boo
