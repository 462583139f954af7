#include "models/dispatchlogfiltermodel.h"

#include "models/dispatchlogmodel.h"

namespace boo {

DispatchLogFilterModel::DispatchLogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DispatchLogModel::SortRole);
}

void DispatchLogFilterModel::setText(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    invalidateFilter();
}

void DispatchLogFilterModel::setStatusClass(std::optional<int> statusClass)
{
    if (m_statusClass == statusClass)
        return;
    m_statusClass = statusClass;
    invalidateFilter();
}

bool DispatchLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (m_statusClass) {
        const int status
            = model->index(sourceRow, DispatchLogModel::StatusColumn, sourceParent).data(DispatchLogModel::StatusCodeRole).toInt();
        if (status / 100 != *m_statusClass)
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int column :
         {DispatchLogModel::SourceColumn, DispatchLogModel::ModelColumn, DispatchLogModel::PolicyColumn, DispatchLogModel::HostColumn}) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace boo
