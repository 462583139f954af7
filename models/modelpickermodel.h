#pragma once

#include "core/store/modelpreferencestore.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QTimer>

namespace boo {

class FleetState;

// Every model of the fleet for a picker (Playground, and later Bench and Routing): a header row
// per provider with its models under it, a "Favorites" group pinned on top, hidden models left
// out (unless showHidden), and a search filter. Flat rows rather than a tree so that a combo box
// and a list view show it alike; header rows are not selectable.
//
// The marks are the operator's (model_preferences): the model changes them at once and reports
// preferenceEdited() so that the owner stores them; setPreferences() loads what was stored.
class ModelPickerModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class RowKind { Header, Model };
    enum Roles {
        KindRole = Qt::UserRole + 1, // RowKind as int
        ProviderRole,
        ModelRole,
        TargetRole, // "provider/model", as the gateway names it
        LoadedRole,
        FavoriteRole,
        HiddenRole,
    };

    explicit ModelPickerModel(FleetState *fleet, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ModelPickerModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    void setFilterText(const QString &text);
    QString filterText() const { return m_filter; }
    void setShowHidden(bool show);
    void setPreferences(const QList<ModelPreference> &preferences);

    void setFavorite(const QString &provider, const QString &model, bool favorite);
    void setHidden(const QString &provider, const QString &model, bool hidden);
    bool isFavorite(const QString &provider, const QString &model) const;
    bool isHidden(const QString &provider, const QString &model) const;

    // The row of "provider/model" (the first, a favorite's in its pinned group), or -1.
    int rowOf(const QString &provider, const QString &model) const;

Q_SIGNALS:
    void preferenceEdited(const boo::ModelPreference &preference);

private:
    struct Row
    {
        RowKind kind = RowKind::Model;
        QString provider;
        QString model;
        QString name;
        bool loaded = false;
        bool pinned = false; // in the Favorites group

        friend bool operator==(const Row &, const Row &) = default;
    };

    void scheduleRebuild();
    void rebuild();
    bool matches(const Row &row) const;
    ModelPreference &mark(const QString &provider, const QString &model);

    QPointer<FleetState> m_fleet;
    QList<Row> m_rows;
    QHash<QString, ModelPreference> m_prefs; // by "provider/model"
    QString m_filter;
    bool m_showHidden = false;
    QTimer m_rebuildTimer;
};

} // namespace boo
