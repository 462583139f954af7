#pragma once

#include <QSortFilterProxyModel>

namespace boo {

// The hosts of a FleetModel that match the operator's filter (Ctrl+F on the Fleet tab): text
// in the id, name, version or any model id; and a scope the fleet summary's tiles pick (only
// hosts that need attention — not connected, or a suspected gap in their history —, that
// hold loaded models, that are serving requests).
class FleetFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Scope { AllHosts, NeedsAttention, ModelsLoaded, Serving };

    explicit FleetFilterProxy(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(FleetFilterProxy)

    void setText(const QString &text);
    QString text() const { return m_text; }
    void setScope(Scope scope);
    Scope scope() const { return m_scope; }
    // The "only hosts that need attention" check box: the NeedsAttention scope.
    void setProblemsOnly(bool problemsOnly) { setScope(problemsOnly ? Scope::NeedsAttention : Scope::AllHosts); }
    bool problemsOnly() const { return m_scope == Scope::NeedsAttention; }

Q_SIGNALS:
    void scopeChanged(boo::FleetFilterProxy::Scope scope);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    Scope m_scope = Scope::AllHosts;
};

} // namespace boo
