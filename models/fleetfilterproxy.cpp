#include "models/fleetfilterproxy.h"

#include "core/fleet/hoststate.h"
#include "models/fleetmodel.h"

namespace boo {

FleetFilterProxy::FleetFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Cards change every second (rates, GPU samples): re-check each changed row.
    setDynamicSortFilter(true);
}

void FleetFilterProxy::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void FleetFilterProxy::setProblemsOnly(bool problemsOnly)
{
    if (problemsOnly == m_problemsOnly)
        return;
    m_problemsOnly = problemsOnly;
    invalidateRowsFilter();
}

bool FleetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_problemsOnly) {
        const auto view = index.data(FleetModel::HostStateRole).value<HostState>();
        if (view.liveness == Liveness::Connected && !view.gapSuspected)
            return false;
    }
    const QString words = m_text.simplified();
    if (words.isEmpty())
        return true;
    const QString haystack = index.data(FleetModel::SearchTextRole).toString();
    const QStringList parts = words.split(u' ');
    return std::all_of(parts.cbegin(), parts.cend(), [&](const QString &w) { return haystack.contains(w, Qt::CaseInsensitive); });
}

} // namespace boo
