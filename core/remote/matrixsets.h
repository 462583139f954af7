#pragma once

#include "core/remote/confignode.h"
#include "core/remote/matrixexpression.h"

#include <QHash>

#include <functional>
#include <optional>

namespace boo {

// A swap matrix block (`vars`, `evict_costs`, `sets`) read for checking: each set's expression,
// the var → model mapping, and the answer to "is there one set in which all these models may
// run together?" (llama-swap's CanContainAll, asked for spillover selectors).
class MatrixSets final
{
public:
    explicit MatrixSets(const ConfigNode &matrix);

    struct Set
    {
        QString name;
        const ConfigNode *node = nullptr;
        std::optional<MatrixExpression> expression; // empty when it does not parse
    };
    const std::vector<Set> &sets() const { return m_sets; }
    const Set *set(const QString &name) const;
    // A var's model, or the name itself when it is not a var.
    QString modelOf(const QString &identifier) const { return m_vars.value(identifier, identifier); }
    bool isVar(const QString &identifier) const { return m_vars.contains(identifier); }

    // The sets of a reference cycle through `name` (empty when there is none).
    QStringList cycleThrough(const QString &name) const;
    // Whether some set allows all `models` (real model ids, at most 64) to run at once.
    bool canContainAll(const QStringList &models) const;

private:
    MatrixExpression::Masks combinationsOf(const QString &setName, const QStringList &models, QStringList &visiting) const;

    std::vector<Set> m_sets;
    QHash<QString, QString> m_vars;
};

} // namespace boo
