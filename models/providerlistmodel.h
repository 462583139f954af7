#pragma once

#include "core/providers/providerconfig.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace boo {

class ProviderRegistry;

// The configured providers as a table, kept in step with the registry file.
class ProviderListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { IdColumn, NameColumn, KindColumn, BaseUrlColumn, EnabledColumn, ApiKeyColumn, TagsColumn, ColumnCount };
    enum Roles { ProviderIdRole = Qt::UserRole + 1 };

    explicit ProviderListModel(ProviderRegistry *registry, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProviderListModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void refresh();

    QPointer<ProviderRegistry> m_registry;
    QList<ProviderConfig> m_providers;
};

} // namespace boo
