#pragma once

#include "core/bench/benchrun.h"

#include <QAbstractTableModel>

namespace boo {

// The cells of one benchmark run for the Bench tab's results table: one row per cell (target ×
// load × prompt size) with the figures an operator compares first; the regression and
// foreign-traffic flags in the last column (and as a role for the row's colour).
class BenchCellModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        TargetColumn,
        LoadColumn,
        PromptColumn,
        TtftP50Column,
        TtftP99Column,
        TokPerSColumn,
        ReqPerSColumn,
        ErrorsColumn,
        FlagsColumn,
        ColumnCount
    };
    enum Roles {
        RegressionRole = Qt::UserRole + 1, // bool: a metric moved beyond the baseline's spread
        SortRole,                          // the raw number behind a figure
    };

    explicit BenchCellModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BenchCellModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setRun(const BenchRunResult &run);
    void clear();
    const BenchRunResult &run() const { return m_run; }

private:
    BenchRunResult m_run;
};

} // namespace boo
