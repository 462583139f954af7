#pragma once

#include "core/gateway/routepolicy.h"

#include <QAbstractTableModel>

namespace boo {

// The route policies being edited in the Routing tab, in rule order. Edits stay here (dirty)
// until the view saves them through a RoutingSource; reordering is moveRows().
class RoutePolicyListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { NameColumn, StrategyColumn, CandidatesColumn, RuleColumn, EnabledColumn, ColumnCount };
    enum Roles { PolicyNameRole = Qt::UserRole + 1, BuiltInRole };

    explicit RoutePolicyListModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RoutePolicyListModel)

    // Replaces everything with what the source holds; the model is clean afterwards.
    void setPolicies(const QList<RoutePolicy> &policies);
    // In rule order, positions renumbered.
    QList<RoutePolicy> policies() const;
    const RoutePolicy *policy(int row) const;
    // Replaces the policy in `row` (the editor's result). False for a bad row or a name that
    // another policy already has.
    bool setPolicy(int row, const RoutePolicy &policy);
    // Appends a new policy with a free name based on `baseName`; returns its row.
    int addPolicy(const QString &baseName);
    bool moveCandidate(int row, int from, int to);
    bool isDirty() const { return m_dirty; }
    // A one-line reading of a rule ("auto · tools required · ≤ 30000 tokens").
    static QString ruleSummary(const RoutePolicy &policy);
    // A strategy in the cockpit's language (policy files and the API keep the English keyword).
    static QString strategyText(RouteStrategy strategy);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                  int destinationChild) override;

Q_SIGNALS:
    void dirtyChanged(bool dirty);

private:
    void setDirty(bool dirty);
    bool nameTaken(const QString &name, int exceptRow) const;

    QList<RoutePolicy> m_policies;
    bool m_dirty = false;
};

} // namespace boo
