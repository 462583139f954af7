#include "core/remote/matrixsets.h"

using namespace Qt::StringLiterals;

namespace boo {

MatrixSets::MatrixSets(const ConfigNode &matrix)
{
    if (const ConfigNode *vars = matrix.child(u"vars"); vars && vars->isMap()) {
        for (const auto &[name, model] : vars->entries)
            m_vars.insert(name, model.text());
    }
    if (const ConfigNode *sets = matrix.child(u"sets"); sets && sets->isMap()) {
        for (const auto &[name, value] : sets->entries) {
            Set set{name, &value, std::nullopt};
            if (value.isString()) {
                if (auto parsed = MatrixExpression::parse(value.scalar))
                    set.expression = *parsed;
            }
            m_sets.push_back(std::move(set));
        }
    }
}

const MatrixSets::Set *MatrixSets::set(const QString &name) const
{
    for (const Set &set : m_sets) {
        if (set.name == name)
            return &set;
    }
    return nullptr;
}

QStringList MatrixSets::cycleThrough(const QString &name) const
{
    // Depth-first from `name`; a path that comes back to it is the cycle.
    std::function<bool(const QString &, QStringList &)> search = [&](const QString &current, QStringList &path) {
        const Set *set = this->set(current);
        if (!set || !set->expression)
            return false;
        for (const QString &next : set->expression->references()) {
            if (next == name)
                return true;
            if (path.contains(next))
                continue;
            path << next;
            if (search(next, path))
                return true;
            path.removeLast();
        }
        return false;
    };
    QStringList path{name};
    return search(name, path) ? path : QStringList{};
}

MatrixExpression::Masks MatrixSets::combinationsOf(const QString &setName, const QStringList &models, QStringList &visiting) const
{
    const Set *set = this->set(setName);
    if (!set || !set->expression || visiting.contains(setName))
        return {0};
    visiting << setName;
    const auto bits = [&](const QString &identifier) -> std::uint64_t {
        const qsizetype index = models.indexOf(modelOf(identifier));
        return index < 0 ? 0 : std::uint64_t(1) << index;
    };
    const auto referenced = [&](const QString &name) { return combinationsOf(name, models, visiting); };
    MatrixExpression::Masks masks = set->expression->combinations(bits, referenced);
    visiting.removeLast();
    return masks;
}

bool MatrixSets::canContainAll(const QStringList &models) const
{
    if (models.isEmpty() || models.size() > 64)
        return models.isEmpty();
    const std::uint64_t all = models.size() == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << models.size()) - 1;
    for (const Set &set : m_sets) {
        QStringList visiting;
        for (std::uint64_t mask : combinationsOf(set.name, models, visiting)) {
            if ((mask & all) == all)
                return true;
        }
    }
    return false;
}

} // namespace boo
