#include "models/routepolicylistmodel.h"

using namespace Qt::StringLiterals;

namespace boo {

RoutePolicyListModel::RoutePolicyListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RoutePolicyListModel::setPolicies(const QList<RoutePolicy> &policies)
{
    beginResetModel();
    m_policies = policies;
    endResetModel();
    setDirty(false);
}

QList<RoutePolicy> RoutePolicyListModel::policies() const
{
    QList<RoutePolicy> out = m_policies;
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i].position = int(i);
    return out;
}

const RoutePolicy *RoutePolicyListModel::policy(int row) const
{
    return row >= 0 && row < m_policies.size() ? &m_policies.at(row) : nullptr;
}

bool RoutePolicyListModel::nameTaken(const QString &name, int exceptRow) const
{
    for (qsizetype i = 0; i < m_policies.size(); ++i) {
        if (i != exceptRow && m_policies.at(i).name == name)
            return true;
    }
    return false;
}

bool RoutePolicyListModel::setPolicy(int row, const RoutePolicy &policy)
{
    if (!this->policy(row) || nameTaken(policy.name, row) || !RoutePolicy::validateName(policy.name))
        return false;
    if (m_policies.at(row) == policy)
        return true;
    m_policies[row] = policy;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    setDirty(true);
    return true;
}

int RoutePolicyListModel::addPolicy(const QString &baseName)
{
    QString name = baseName;
    for (int n = 2; nameTaken(name, -1); ++n)
        name = baseName + u'-' + QString::number(n);
    RoutePolicy p;
    p.name = name;
    p.candidates << *CandidateSpec::parse(u"*/*"_s);
    const int row = int(m_policies.size());
    beginInsertRows({}, row, row);
    m_policies << p;
    endInsertRows();
    setDirty(true);
    return row;
}

bool RoutePolicyListModel::moveCandidate(int row, int from, int to)
{
    if (!policy(row))
        return false;
    QList<CandidateSpec> &list = m_policies[row].candidates;
    if (from < 0 || from >= list.size() || to < 0 || to >= list.size() || from == to)
        return false;
    list.move(from, to);
    Q_EMIT dataChanged(index(row, CandidatesColumn), index(row, CandidatesColumn));
    setDirty(true);
    return true;
}

QString RoutePolicyListModel::strategyText(RouteStrategy strategy)
{
    switch (strategy) {
    case RouteStrategy::Ranked: return tr("ranked");
    case RouteStrategy::Ordered: return tr("ordered");
    case RouteStrategy::Fastest: return tr("fastest");
    case RouteStrategy::Cheapest: return tr("cheapest");
    }
    return routeStrategyName(strategy);
}

QString RoutePolicyListModel::ruleSummary(const RoutePolicy &p)
{
    QStringList parts;
    parts << (p.rule.models.isEmpty() ? p.name : p.rule.models.join(u", "_s));
    if (!p.rule.sources.isEmpty())
        parts << tr("from %1").arg(p.rule.sources.join(u", "_s));
    if (p.rule.tools == RouteRule::Tools::Required)
        parts << tr("tools required");
    else if (p.rule.tools == RouteRule::Tools::Absent)
        parts << tr("no tools");
    if (p.rule.minPromptTokens)
        parts << tr("≥ %1 tokens").arg(*p.rule.minPromptTokens);
    if (p.rule.maxPromptTokens)
        parts << tr("≤ %1 tokens").arg(*p.rule.maxPromptTokens);
    return parts.join(u" · "_s);
}

int RoutePolicyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_policies.size());
}

int RoutePolicyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoutePolicyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoutePolicy &p = m_policies.at(index.row());
    if (role == PolicyNameRole)
        return p.name;
    if (role == BuiltInRole)
        return p.builtIn;
    if (role == Qt::CheckStateRole && index.column() == EnabledColumn)
        return p.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == NameColumn)
        return p.description;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case NameColumn: return p.name;
    case StrategyColumn: return strategyText(p.strategy);
    case CandidatesColumn: {
        QStringList texts;
        for (const CandidateSpec &c : p.candidates)
            texts << c.text;
        return texts.join(u", "_s);
    }
    case RuleColumn: return ruleSummary(p);
    case EnabledColumn: return {};
    }
    return {};
}

QVariant RoutePolicyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Virtual model");
    case StrategyColumn: return tr("Strategy");
    case CandidatesColumn: return tr("Candidates");
    case RuleColumn: return tr("Takes");
    case EnabledColumn: return tr("On");
    }
    return {};
}

Qt::ItemFlags RoutePolicyListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == EnabledColumn)
        f |= Qt::ItemIsUserCheckable;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool RoutePolicyListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    RoutePolicy p = m_policies.at(index.row());
    if (index.column() == EnabledColumn && role == Qt::CheckStateRole)
        p.enabled = value.value<Qt::CheckState>() == Qt::Checked;
    else if (index.column() == NameColumn && role == Qt::EditRole)
        p.name = value.toString().trimmed();
    else
        return false;
    return setPolicy(index.row(), p);
}

bool RoutePolicyListModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_policies.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_policies.remove(row, count);
    endRemoveRows();
    setDirty(true);
    return true;
}

bool RoutePolicyListModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                                    int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 || sourceRow >= m_policies.size()
        || destinationChild < 0 || destinationChild > m_policies.size() || destinationChild == sourceRow
        || destinationChild == sourceRow + 1)
        return false;
    if (!beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild))
        return false;
    m_policies.move(sourceRow, destinationChild > sourceRow ? destinationChild - 1 : destinationChild);
    endMoveRows();
    setDirty(true);
    return true;
}

void RoutePolicyListModel::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

} // namespace boo
