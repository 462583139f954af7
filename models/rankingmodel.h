#pragma once

#include "core/gateway/candidateranker.h"

#include <QAbstractTableModel>

namespace boo {

// A policy tested against the fleet: the ranked candidates in the order the gateway would try
// them, then the skipped ones with the reason.
class RankingModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { RankColumn, ModelColumn, TierColumn, WhyColumn, CandidateColumn, ColumnCount };
    enum Roles { SkippedRole = Qt::UserRole + 1, DirectIdRole };

    explicit RankingModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RankingModel)

    void setRanking(const Ranking &ranking);
    const Ranking &ranking() const { return m_ranking; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The tier in the cockpit's language (the wire and the API keep the English names).
    static QString tierText(CandidateTier tier);

private:
    Ranking m_ranking;
};

} // namespace boo
