#include "models/tokentotalsmodel.h"

#include "core/client/historysource.h"
#include "core/client/routingsource.h"
#include "core/fleet/fleetstate.h"
#include "core/history/historymapping.h"

#include <QFont>
#include <QLocale>
#include <QMap>

using namespace Qt::StringLiterals;

namespace boo {

TokenTotalsModel::TokenTotalsModel(FleetState *fleet, HistorySource *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_history(history)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TokenTotalsModel::refresh);
    connect(fleet, &FleetState::changed, this, &TokenTotalsModel::onChanged);
    refresh();
}

void TokenTotalsModel::setFilter(const RequestFilter &filter)
{
    m_filter = filter;
    m_filter.beforeId.reset();
    refresh();
}

void TokenTotalsModel::setKeySource(RoutingSource *routing)
{
    m_routing = routing;
    refresh();
}

QString TokenTotalsModel::keyOfSource(const QString &source, const QList<ConsumerKey> &keys)
{
    QStringList names;
    qsizetype best = -1;
    for (const ConsumerKey &key : keys) {
        const QString &own = key.spec.source;
        const bool matches = source == own || (key.spec.allowSubSource && source.startsWith(own + u'/'));
        if (!matches || own.size() < best)
            continue;
        if (own.size() > best)
            names.clear();
        best = own.size();
        names << key.name();
    }
    return names.join(u", "_s);
}

void TokenTotalsModel::refresh()
{
    m_refreshTimer.stop();
    if (!m_history)
        return;
    const quint64 generation = ++m_generation;
    if (m_routing) {
        m_routing->keys(this, [this, generation](Result<QList<RoutingSource::KeyRow>> rows) {
            if (generation != m_generation || !rows)
                return; // no key rows is better than an error in the totals
            m_keys.clear();
            for (const RoutingSource::KeyRow &row : *rows)
                m_keys << row.key;
            apply();
        });
    }
    m_history->totals(m_filter, this, [this, generation](Result<QList<RequestTotal>> totals) {
        if (generation != m_generation)
            return;
        if (!totals) {
            m_lastError = totals.error().message;
            Q_EMIT loaded();
            return;
        }
        m_lastError.clear();
        m_totals = *totals;
        apply();
        Q_EMIT loaded();
    });
}

void TokenTotalsModel::onChanged(const FleetDelta &delta)
{
    const auto *finished = delta.as<RequestsFinished>();
    if (!finished || m_refreshTimer.isActive())
        return;
    // New rows reach the database through the writer a moment later: read after a pause, and
    // at most once per pause however many requests finish.
    for (const ActivityEntry &entry : finished->rows) {
        if (RequestQuery::matches(m_filter, toRequestRow(delta.hostId, entry))) {
            m_refreshTimer.start();
            return;
        }
    }
}

void TokenTotalsModel::apply()
{
    const QList<RequestTotal> &totals = m_totals;
    Row total{Group::Total, tr("All requests"), 0, 0, 0, 0};
    QMap<QString, Row> sources, keys, models;
    QHash<QString, QString> keyOf; // source -> key name(s), computed once per source
    for (const RequestTotal &t : totals) {
        QList<Row *> rows{&total, &sources[t.source], &models[t.model]};
        if (!m_keys.isEmpty()) {
            auto known = keyOf.constFind(t.source);
            if (known == keyOf.constEnd())
                known = keyOf.insert(t.source, keyOfSource(t.source, m_keys));
            if (!known->isEmpty())
                rows << &keys[*known];
        }
        for (Row *row : rows) {
            row->requests += t.requests;
            row->input += t.inputTokens;
            row->cached += t.cachedTokens;
            row->output += t.outputTokens;
        }
    }
    QList<Row> rows{total};
    auto add = [&rows](QMap<QString, Row> &groups, Group group, const QString &emptyName) {
        QList<Row> sorted;
        for (auto it = groups.begin(); it != groups.end(); ++it) {
            it->group = group;
            it->name = it.key().isEmpty() ? emptyName : it.key();
            sorted << *it;
        }
        std::stable_sort(sorted.begin(), sorted.end(), [](const Row &a, const Row &b) { return a.output + a.input > b.output + b.input; });
        rows << sorted;
    };
    add(sources, Group::Source, tr("(not attributed)"));
    add(keys, Group::Key, QString());
    add(models, Group::Model, tr("(no model)"));
    if (totals.isEmpty())
        rows = {total};
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int TokenTotalsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TokenTotalsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenTotalsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    if (role == GroupRole)
        return int(row.group);
    if (role == Qt::TextAlignmentRole)
        return column >= RequestsColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::FontRole && row.group == Group::Total) {
        QFont font;
        font.setBold(true);
        return font;
    }
    const qint64 numbers[] = {row.requests, row.input, row.cached, row.output};
    if (role == SortRole)
        return column >= RequestsColumn ? QVariant(numbers[column - RequestsColumn]) : data(index, Qt::DisplayRole);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case GroupColumn:
        switch (row.group) {
        case Group::Total: return tr("Total");
        case Group::Source: return tr("Source");
        case Group::Key: return tr("Key");
        case Group::Model: return tr("Model");
        }
        return {};
    case NameColumn: return row.name;
    default: return QLocale().toString(numbers[column - RequestsColumn]);
    }
}

QVariant TokenTotalsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case GroupColumn: return tr("By");
    case NameColumn: return tr("Name");
    case RequestsColumn: return tr("Requests");
    case InputColumn: return tr("Input tokens");
    case CachedColumn: return tr("Cached tokens");
    case OutputColumn: return tr("Output tokens");
    }
    return {};
}

} // namespace boo
