#include "models/consumerkeymodel.h"

#include "models/formatting.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace boo {

ConsumerKeyModel::ConsumerKeyModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ConsumerKeyModel::setKeys(const QList<RoutingSource::KeyRow> &rows, qint64 nowMs)
{
    beginResetModel();
    m_rows = rows;
    m_nowMs = nowMs;
    endResetModel();
}

void ConsumerKeyModel::updateKey(const ConsumerKey &key)
{
    const int at = rowOf(key.name());
    if (at < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows << RoutingSource::KeyRow{key, {}};
        endInsertRows();
        return;
    }
    m_rows[at].key = key;
    Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1), {Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, StateRole});
}

const RoutingSource::KeyRow *ConsumerKeyModel::row(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ConsumerKeyModel::rowOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key.name() == name)
            return int(i);
    }
    return -1;
}

QString ConsumerKeyModel::limitsText(const ConsumerKey &key)
{
    QStringList parts;
    if (key.spec.rpm)
        parts << tr("%1 req/min").arg(*key.spec.rpm);
    if (key.spec.tpm)
        parts << tr("%1 tok/min").arg(*key.spec.tpm);
    if (key.spec.tokensPerDay)
        parts << tr("%1 tok/day").arg(*key.spec.tokensPerDay);
    if (!key.spec.models.isEmpty())
        parts << key.spec.models.join(u", "_s);
    if (key.spec.expiresAtMs)
        parts << tr("until %1").arg(formatting::timestamp(*key.spec.expiresAtMs));
    return parts.isEmpty() ? tr("no limits") : parts.join(u" · "_s);
}

QString ConsumerKeyModel::stateText(ConsumerKeyState state)
{
    switch (state) {
    case ConsumerKeyState::Active: return tr("active");
    case ConsumerKeyState::Expired: return tr("expired");
    case ConsumerKeyState::Disabled: return tr("disabled");
    case ConsumerKeyState::Revoked: return tr("revoked");
    }
    return {};
}

int ConsumerKeyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConsumerKeyModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConsumerKeyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoutingSource::KeyRow &r = m_rows.at(index.row());
    const ConsumerKey &key = r.key;
    const ConsumerKeyState state = key.state(m_nowMs);
    if (role == KeyNameRole)
        return key.name();
    if (role == StateRole)
        return int(state);
    if (role == Qt::ForegroundRole && state != ConsumerKeyState::Active)
        return QBrush(QColor(0x88, 0x88, 0x88));
    if (role == Qt::ToolTipRole && index.column() == NameColumn)
        return tr("Key %1... created %2").arg(key.keyPrefix, formatting::timestamp(key.createdAtMs));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn: return key.name();
    case SourceColumn: return QString(key.spec.source + (key.spec.allowSubSource ? u"/*"_s : QString()));
    case LimitsColumn: return limitsText(key);
    case TodayColumn: {
        const qint64 tokens = r.today.inputTokens + r.today.outputTokens;
        QString text = tr("%n request(s), %1 tokens", nullptr, int(r.today.requests)).arg(tokens);
        if (key.spec.tokensPerDay)
            text += tr(" (%1% of the budget)").arg(tokens * 100 / *key.spec.tokensPerDay);
        if (r.today.limited > 0)
            text += tr(", %n limited", nullptr, int(r.today.limited));
        return text;
    }
    case LastUsedColumn: return key.lastUsedAtMs ? formatting::ago(*key.lastUsedAtMs, m_nowMs) : tr("never");
    case StateColumn: return stateText(state);
    }
    return {};
}

QVariant ConsumerKeyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case SourceColumn: return tr("Source");
    case LimitsColumn: return tr("Limits");
    case TodayColumn: return tr("Today");
    case LastUsedColumn: return tr("Last used");
    case StateColumn: return tr("State");
    }
    return {};
}

} // namespace boo
