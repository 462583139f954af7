#pragma once

#include "core/fleet/fleetdelta.h"
#include "core/gateway/consumerkey.h"
#include "core/store/requestquery.h"
#include "core/store/requesttotalsquery.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

namespace boo {

class FleetState;
class HistorySource;
class RoutingSource;

// Requests and tokens of the Activity filter's range: one total row, then one row per source,
// one per consumer key (when the gateway has keys) and one per model. A key's row sums the
// sources attributed to it: its own source and, when it allows them, its sub-sources. Computed by the history source (the whole range, not just the rows the
// table loaded) and read again a few seconds after new matching requests finished.
class TokenTotalsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kRefreshDelayMs = 3000;

    enum Columns { GroupColumn, NameColumn, RequestsColumn, InputColumn, CachedColumn, OutputColumn, ColumnCount };
    enum class Group { Total, Source, Key, Model };
    enum Roles { GroupRole = Qt::UserRole + 1, SortRole };

    TokenTotalsModel(FleetState *fleet, HistorySource *history, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TokenTotalsModel)

    void setFilter(const RequestFilter &filter);
    // Where the consumer keys come from (read again with every refresh); none: no key rows.
    void setKeySource(RoutingSource *routing);
    // The consumer key a source is attributed to: the key whose source it is or (sub-sources
    // allowed) starts with "<source>/"; the longest match wins; keys sharing a source are named
    // together ("a, b"). Empty when no key matches.
    static QString keyOfSource(const QString &source, const QList<ConsumerKey> &keys);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void loaded();

private:
    struct Row
    {
        Group group = Group::Total;
        QString name;
        qint64 requests = 0;
        qint64 input = 0;
        qint64 cached = 0;
        qint64 output = 0;
    };

    void onChanged(const FleetDelta &delta);
    void apply();

    QPointer<HistorySource> m_history;
    QPointer<RoutingSource> m_routing;
    QList<RequestTotal> m_totals;
    QList<ConsumerKey> m_keys;
    RequestFilter m_filter;
    QList<Row> m_rows;
    QTimer m_refreshTimer;
    quint64 m_generation = 0;
    QString m_lastError;
};

} // namespace boo
