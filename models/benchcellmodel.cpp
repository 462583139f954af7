#include "models/benchcellmodel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

bool regressed(const BenchCell &cell)
{
    return std::any_of(cell.flags.cbegin(), cell.flags.cend(), [](const QString &f) { return f.startsWith(u"regression"); });
}

} // namespace

BenchCellModel::BenchCellModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int BenchCellModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_run.cells.size());
}

int BenchCellModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BenchCellModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const BenchCell &c = m_run.cells.at(index.row());
    if (role == RegressionRole)
        return regressed(c);
    if (role == Qt::ForegroundRole && regressed(c))
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role == Qt::TextAlignmentRole && index.column() >= PromptColumn && index.column() <= ErrorsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    const bool hasLatency = c.ttftMs.count > 0;
    if (role == SortRole) {
        switch (index.column()) {
        case PromptColumn: return c.promptTokens;
        case TtftP50Column: return c.ttftMs.p50;
        case TtftP99Column: return c.ttftMs.p99;
        case TokPerSColumn: return c.outputTokPerS;
        case ReqPerSColumn: return c.reqPerS;
        case ErrorsColumn: return c.errors;
        default: break;
        }
        role = Qt::DisplayRole;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case TargetColumn: return c.target.text;
    case LoadColumn: return c.loadLabel();
    case PromptColumn: return c.promptTokens;
    case TtftP50Column: return hasLatency ? QString::number(c.ttftMs.p50, 'f', 1) : u"–"_s;
    case TtftP99Column: return hasLatency ? QString::number(c.ttftMs.p99, 'f', 1) : u"–"_s;
    case TokPerSColumn: return QString::number(c.outputTokPerS, 'f', 1);
    case ReqPerSColumn: return QString::number(c.reqPerS, 'f', 2);
    case ErrorsColumn: return u"%1 / %2"_s.arg(c.errors).arg(c.requests);
    case FlagsColumn: return c.flags.join(u", "_s);
    default: return {};
    }
}

QVariant BenchCellModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TargetColumn: return tr("Target");
    case LoadColumn: return tr("Load");
    case PromptColumn: return tr("Prompt");
    case TtftP50Column: return tr("TTFT p50 (ms)");
    case TtftP99Column: return tr("TTFT p99 (ms)");
    case TokPerSColumn: return tr("Tokens/s");
    case ReqPerSColumn: return tr("Requests/s");
    case ErrorsColumn: return tr("Errors");
    case FlagsColumn: return tr("Flags");
    default: return {};
    }
}

void BenchCellModel::setRun(const BenchRunResult &run)
{
    beginResetModel();
    m_run = run;
    endResetModel();
}

void BenchCellModel::clear()
{
    setRun(BenchRunResult{});
}

} // namespace boo
