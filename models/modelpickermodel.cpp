#include "models/modelpickermodel.h"

#include "core/fleet/fleetstate.h"

#include <QDateTime>
#include <QFont>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString keyOf(const QString &provider, const QString &model)
{
    return provider + u'/' + model;
}

} // namespace

ModelPickerModel::ModelPickerModel(FleetState *fleet, QObject *parent)
    : QAbstractListModel(parent)
    , m_fleet(fleet)
{
    // Fleet deltas arrive many times a second (in-flight counts, GPU samples); the picker only
    // cares about models and their state, so it looks again a little later, once.
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(150);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &ModelPickerModel::rebuild);
    if (fleet) {
        connect(fleet, &FleetState::changed, this, &ModelPickerModel::scheduleRebuild);
        connect(fleet, &FleetState::hostAdded, this, &ModelPickerModel::scheduleRebuild);
        connect(fleet, &FleetState::hostRemoved, this, &ModelPickerModel::scheduleRebuild);
        connect(fleet, &FleetState::reset, this, &ModelPickerModel::scheduleRebuild);
    }
    rebuild();
}

int ModelPickerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

Qt::ItemFlags ModelPickerModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    if (m_rows.at(index.row()).kind == RowKind::Header)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QVariant ModelPickerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows.at(index.row());
    const bool header = row.kind == RowKind::Header;
    switch (role) {
    case Qt::DisplayRole:
        if (header)
            return row.pinned ? tr("★ Favorites") : row.provider;
        return u"%1%2 — %3"_s.arg(row.pinned ? row.provider + u'/' : QString(), row.name, row.loaded ? tr("loaded") : tr("cold"));
    case Qt::ToolTipRole: return header ? QVariant() : QVariant(keyOf(row.provider, row.model));
    case Qt::FontRole:
        if (header) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        if (!header && isHidden(row.provider, row.model))
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case KindRole: return int(row.kind);
    case ProviderRole: return row.provider;
    case ModelRole: return header ? QVariant() : QVariant(row.model);
    case TargetRole: return header ? QVariant() : QVariant(keyOf(row.provider, row.model));
    case LoadedRole: return row.loaded;
    case FavoriteRole: return !header && isFavorite(row.provider, row.model);
    case HiddenRole: return !header && isHidden(row.provider, row.model);
    default: return {};
    }
}

void ModelPickerModel::setFilterText(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    rebuild();
}

void ModelPickerModel::setShowHidden(bool show)
{
    if (show == m_showHidden)
        return;
    m_showHidden = show;
    rebuild();
}

void ModelPickerModel::setPreferences(const QList<ModelPreference> &preferences)
{
    m_prefs.clear();
    for (const ModelPreference &p : preferences)
        m_prefs.insert(keyOf(p.provider, p.model), p);
    rebuild();
}

ModelPreference &ModelPickerModel::mark(const QString &provider, const QString &model)
{
    ModelPreference &p = m_prefs[keyOf(provider, model)];
    p.provider = provider;
    p.model = model;
    p.updatedAtMs = QDateTime::currentMSecsSinceEpoch();
    return p;
}

void ModelPickerModel::setFavorite(const QString &provider, const QString &model, bool favorite)
{
    if (isFavorite(provider, model) == favorite)
        return;
    ModelPreference &p = mark(provider, model);
    p.favorite = favorite;
    const ModelPreference edited = p;
    rebuild();
    Q_EMIT preferenceEdited(edited);
}

void ModelPickerModel::setHidden(const QString &provider, const QString &model, bool hidden)
{
    if (isHidden(provider, model) == hidden)
        return;
    ModelPreference &p = mark(provider, model);
    p.hidden = hidden;
    const ModelPreference edited = p;
    rebuild();
    Q_EMIT preferenceEdited(edited);
}

bool ModelPickerModel::isFavorite(const QString &provider, const QString &model) const
{
    return m_prefs.value(keyOf(provider, model)).favorite;
}

bool ModelPickerModel::isHidden(const QString &provider, const QString &model) const
{
    return m_prefs.value(keyOf(provider, model)).hidden;
}

int ModelPickerModel::rowOf(const QString &provider, const QString &model) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).kind == RowKind::Model && m_rows.at(i).provider == provider && m_rows.at(i).model == model)
            return i;
    }
    return -1;
}

void ModelPickerModel::scheduleRebuild()
{
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

bool ModelPickerModel::matches(const Row &row) const
{
    if (m_filter.isEmpty())
        return true;
    const QString needle = m_filter.trimmed();
    return row.provider.contains(needle, Qt::CaseInsensitive) || row.model.contains(needle, Qt::CaseInsensitive)
        || row.name.contains(needle, Qt::CaseInsensitive);
}

void ModelPickerModel::rebuild()
{
    m_rebuildTimer.stop();
    QList<Row> favorites;
    QList<Row> grouped;
    if (m_fleet) {
        QStringList hosts = m_fleet->hostIds();
        std::sort(hosts.begin(), hosts.end());
        for (const QString &hostId : std::as_const(hosts)) {
            const std::optional<HostState> host = m_fleet->host(hostId);
            if (!host)
                continue;
            QList<Row> models;
            for (const HostedModel &m : host->models) {
                Row row{RowKind::Model, hostId, m.id, m.name.isEmpty() ? m.id : m.name, m.isLoaded(), false};
                if (!matches(row) || (isHidden(hostId, m.id) && !m_showHidden))
                    continue;
                if (isFavorite(hostId, m.id)) {
                    row.pinned = true;
                    favorites << row;
                } else {
                    models << row;
                }
            }
            if (models.isEmpty())
                continue;
            std::sort(models.begin(), models.end(), [](const Row &a, const Row &b) { return a.model < b.model; });
            grouped << Row{RowKind::Header, hostId, {}, {}, false, false};
            grouped << models;
        }
    }
    QList<Row> rows;
    if (!favorites.isEmpty()) {
        rows << Row{RowKind::Header, {}, {}, {}, false, true};
        rows << favorites;
    }
    rows << grouped;
    if (rows == m_rows)
        return;
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

} // namespace boo
