#pragma once

#include "core/store/gatewaylogquery.h"

#include <QAbstractTableModel>

namespace boo {

// The gateway's dispatch log, newest first, as pages arrive from a RoutingSource; older pages
// are appended in one batch each, and the oldest rows are dropped beyond kMaxRows.
class DispatchLogModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kMaxRows = 5000;

    enum Columns {
        TimeColumn,
        SourceColumn,
        ModelColumn,
        PolicyColumn,
        HostColumn,
        StatusColumn,
        AttemptsColumn,
        TtftColumn,
        OverheadColumn,
        TotalColumn,
        ColumnCount
    };
    enum Roles { DispatchIdRole = Qt::UserRole + 1, StatusCodeRole, CandidatesJsonRole, AttemptsJsonRole, ErrorRole, SortRole };

    explicit DispatchLogModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DispatchLogModel)

    void setEntries(const QList<GatewayLogEntry> &entries);
    void appendOlder(const QList<GatewayLogEntry> &entries);
    const GatewayLogEntry *entry(int row) const;
    std::optional<qint64> oldestId() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<GatewayLogEntry> m_entries;
};

} // namespace boo
