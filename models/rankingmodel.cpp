#include "models/rankingmodel.h"

#include "models/formatting.h"

#include <QBrush>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace boo {

RankingModel::RankingModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RankingModel::setRanking(const Ranking &ranking)
{
    beginResetModel();
    m_ranking = ranking;
    endResetModel();
}

int RankingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ranking.ranked.size() + m_ranking.skipped.size());
}

int RankingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RankingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const bool skipped = row >= m_ranking.ranked.size();
    if (role == SkippedRole)
        return skipped;
    if (skipped) {
        const SkippedCandidate &s = m_ranking.skipped.at(row - m_ranking.ranked.size());
        if (role == DirectIdRole)
            return QString(s.providerId + u'/' + s.model);
        if (role == Qt::ForegroundRole)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return {};
        switch (index.column()) {
        case RankColumn: return formatting::unknown();
        case ModelColumn: return QString(s.providerId + u'/' + s.model);
        case TierColumn: return tr("skipped");
        case WhyColumn: return s.reason;
        case CandidateColumn: return s.spec;
        }
        return {};
    }
    const RankedCandidate &c = m_ranking.ranked.at(row);
    if (role == DirectIdRole)
        return c.directId();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case RankColumn: return row + 1;
    case ModelColumn: return c.directId();
    case TierColumn: return tierText(c.tier);
    case WhyColumn: return c.why;
    case CandidateColumn: return c.spec;
    }
    return {};
}

QString RankingModel::tierText(CandidateTier tier)
{
    switch (tier) {
    case CandidateTier::Idle: return tr("idle");
    case CandidateTier::Busy: return tr("busy");
    case CandidateTier::Loading: return tr("loading");
    case CandidateTier::Cold: return tr("cold");
    case CandidateTier::Saturated: return tr("saturated");
    case CandidateTier::Cloud: return tr("cloud");
    }
    return candidateTierName(tier);
}

QVariant RankingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn: return tr("#");
    case ModelColumn: return tr("Host / model");
    case TierColumn: return tr("Tier");
    case WhyColumn: return tr("Why");
    case CandidateColumn: return tr("From candidate");
    }
    return {};
}

} // namespace boo
