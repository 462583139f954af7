#pragma once

#include "core/client/routingsource.h"

#include <QAbstractTableModel>

namespace boo {

// The gateway's consumer keys on the Keys page: limits, today's usage, last use and state.
// Never a secret: the rows come from ConsumerKey, which holds none.
class ConsumerKeyModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { NameColumn, SourceColumn, LimitsColumn, TodayColumn, LastUsedColumn, StateColumn, ColumnCount };
    enum Roles { KeyNameRole = Qt::UserRole + 1, StateRole };

    explicit ConsumerKeyModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ConsumerKeyModel)

    // `nowMs` decides states (expired) and "ago" texts.
    void setKeys(const QList<RoutingSource::KeyRow> &rows, qint64 nowMs);
    // Replaces one key after an edit, a rotation or a revocation (added when new).
    void updateKey(const ConsumerKey &key);
    const RoutingSource::KeyRow *row(int row) const;
    int rowOf(const QString &name) const;

    // "60 req/min · 20000 tok/min · 500000 tok/day · auto*" or "no limits".
    static QString limitsText(const ConsumerKey &key);
    static QString stateText(ConsumerKeyState state);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RoutingSource::KeyRow> m_rows;
    qint64 m_nowMs = 0;
};

} // namespace boo
