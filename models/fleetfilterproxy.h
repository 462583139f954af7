#pragma once

#include <QSortFilterProxyModel>

namespace boo {

// The hosts of a FleetModel that match the operator's filter (Ctrl+F on the Fleet tab): text
// in the id, name, version or any model id; optionally only hosts that need attention (not
// connected, or a suspected gap in their history).
class FleetFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FleetFilterProxy(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetFilterProxy)

    void setText(const QString &text);
    QString text() const { return m_text; }
    void setProblemsOnly(bool problemsOnly);
    bool problemsOnly() const { return m_problemsOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    bool m_problemsOnly = false;
};

} // namespace boo
