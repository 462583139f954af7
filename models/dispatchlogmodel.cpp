#include "models/dispatchlogmodel.h"

#include "models/formatting.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString milliseconds(double ms)
{
    return formatting::number(ms, ms < 10 ? 2 : 0);
}

} // namespace

DispatchLogModel::DispatchLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DispatchLogModel::setEntries(const QList<GatewayLogEntry> &entries)
{
    beginResetModel();
    m_entries = entries.mid(0, kMaxRows);
    endResetModel();
}

void DispatchLogModel::appendOlder(const QList<GatewayLogEntry> &entries)
{
    const int room = kMaxRows - int(m_entries.size());
    const QList<GatewayLogEntry> taken = entries.mid(0, qMax(0, room));
    if (taken.isEmpty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(taken.size()) - 1);
    m_entries += taken;
    endInsertRows();
}

const GatewayLogEntry *DispatchLogModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

std::optional<qint64> DispatchLogModel::oldestId() const
{
    return m_entries.isEmpty() ? std::nullopt : std::optional<qint64>(m_entries.constLast().id);
}

int DispatchLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int DispatchLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DispatchLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const GatewayDispatchRow &r = m_entries.at(index.row()).row;
    switch (role) {
    case DispatchIdRole: return r.dispatchId;
    case StatusCodeRole: return r.status;
    case CandidatesJsonRole: return r.candidatesJson;
    case AttemptsJsonRole: return r.attemptsJson;
    case ErrorRole: return r.error;
    case SortRole:
        switch (index.column()) {
        case TimeColumn: return r.ts;
        case StatusColumn: return r.status;
        case AttemptsColumn: return r.attempts;
        case TtftColumn: return r.ttftMs.value_or(-1);
        case OverheadColumn: return r.overheadMs;
        case TotalColumn: return r.totalMs;
        default: break;
        }
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole: return r.error.isEmpty() ? QVariant() : QVariant(r.error);
    case Qt::TextAlignmentRole: return index.column() >= StatusColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (index.column()) {
    case TimeColumn: return formatting::timestamp(r.ts);
    case SourceColumn: return r.source;
    case ModelColumn: return r.requestedModel;
    case PolicyColumn: return r.policy.isEmpty() ? tr("(direct)") : r.policy;
    case HostColumn: return r.chosenProvider.isEmpty() ? formatting::unknown() : QString(r.chosenProvider + u'/' + r.chosenModel);
    case StatusColumn: return r.status;
    case AttemptsColumn: return r.attempts;
    case TtftColumn: return r.ttftMs ? milliseconds(*r.ttftMs) : formatting::unknown();
    case OverheadColumn: return milliseconds(r.overheadMs);
    case TotalColumn: return milliseconds(r.totalMs);
    }
    return {};
}

QVariant DispatchLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case SourceColumn: return tr("Source");
    case ModelColumn: return tr("Asked for");
    case PolicyColumn: return tr("Policy");
    case HostColumn: return tr("Served by");
    case StatusColumn: return tr("Status");
    case AttemptsColumn: return tr("Attempts");
    case TtftColumn: return tr("TTFT ms");
    case OverheadColumn: return tr("Overhead ms");
    case TotalColumn: return tr("Total ms");
    }
    return {};
}

} // namespace boo
