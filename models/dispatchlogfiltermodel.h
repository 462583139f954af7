#pragma once

#include <QSortFilterProxyModel>

#include <optional>

namespace boo {

// Filters and sorts the dispatch log in the view: text in source, model, policy or host
// (case-insensitive), and a status class (2 for 2xx, ...). Sorts by DispatchLogModel::SortRole.
class DispatchLogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DispatchLogFilterModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DispatchLogFilterModel)

    void setText(const QString &text);
    void setStatusClass(std::optional<int> statusClass);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    std::optional<int> m_statusClass;
};

} // namespace boo
