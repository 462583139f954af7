#include "models/fleetfilterproxy.h"

#include "core/fleet/hoststate.h"
#include "models/fleetmodel.h"

#include <QDateTime>

#include <algorithm>

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

void FleetFilterProxy::setScope(Scope scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    invalidateRowsFilter();
    Q_EMIT scopeChanged(scope);
}

namespace {

bool inScope(const HostState &view, FleetFilterProxy::Scope scope)
{
    switch (scope) {
    case FleetFilterProxy::Scope::AllHosts: return true;
    case FleetFilterProxy::Scope::NeedsAttention: return view.needsAttention();
    case FleetFilterProxy::Scope::ModelsLoaded:
        return std::any_of(view.models.cbegin(), view.models.cend(), [](const HostedModel &m) { return m.isLoaded(); });
    case FleetFilterProxy::Scope::Serving:
        // Busy now, or finished requests within the rate window (the cards' "req/min").
        return view.inflightCount > 0 || view.rateAt(QDateTime::currentMSecsSinceEpoch()).requests > 0;
    }
    return true;
}

} // namespace

bool FleetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_scope != Scope::AllHosts && !inScope(index.data(FleetModel::HostStateRole).value<HostState>(), m_scope))
        return false;
    const QString words = m_text.simplified();
    if (words.isEmpty())
        return true;
    const QString haystack = index.data(FleetModel::SearchTextRole).toString();
    const QStringList parts = words.split(u' ');
    return std::all_of(parts.cbegin(), parts.cend(), [&](const QString &w) { return haystack.contains(w, Qt::CaseInsensitive); });
}

} // namespace boo
