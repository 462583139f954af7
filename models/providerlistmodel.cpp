#include "models/providerlistmodel.h"

#include "core/providers/providerregistry.h"

using namespace Qt::StringLiterals;

namespace boo {

ProviderListModel::ProviderListModel(ProviderRegistry *registry, QObject *parent)
    : QAbstractTableModel(parent)
    , m_registry(registry)
    , m_providers(registry->providers())
{
    // The list is a handful of rows that change when a person edits a file: a reset is right.
    connect(registry, &ProviderRegistry::providersChanged, this, &ProviderListModel::refresh);
}

void ProviderListModel::refresh()
{
    if (!m_registry)
        return;
    beginResetModel();
    m_providers = m_registry->providers();
    endResetModel();
}

int ProviderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_providers.size());
}

int ProviderListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProviderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProviderConfig &p = m_providers.at(index.row());
    if (role == ProviderIdRole)
        return p.id;
    if (role == Qt::CheckStateRole && index.column() == EnabledColumn)
        return p.enabled ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case IdColumn: return p.id;
    case NameColumn: return p.name;
    case KindColumn: return providerKindName(p.kind);
    case BaseUrlColumn: return p.baseUrl.toString();
    case EnabledColumn: return p.enabled ? tr("enabled") : tr("disabled");
    case ApiKeyColumn: return p.apiKey ? p.apiKey->toString() : QString();
    case TagsColumn: return p.tags.join(u", "_s);
    }
    return {};
}

QVariant ProviderListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("Id");
    case NameColumn: return tr("Name");
    case KindColumn: return tr("Kind");
    case BaseUrlColumn: return tr("Base URL");
    case EnabledColumn: return tr("State");
    case ApiKeyColumn: return tr("API key");
    case TagsColumn: return tr("Tags");
    }
    return {};
}

} // namespace boo
