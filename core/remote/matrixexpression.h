#pragma once

#include "core/common/result.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <vector>

namespace boo {

// One set expression of llama-swap's swap matrix: `(g | q) & v & +other`: `&` models that run
// together, `|` alternatives, `()` grouping, `+name` the expression of another set. Names are
// letters, digits, `_`, `-` and `.`. Parsed to check what the loader checks (syntax, names,
// references) and to answer "may these models run together?" for spillover selectors.
class MatrixExpression final
{
public:
    static Result<MatrixExpression> parse(const QString &text);

    // Model or var names used directly, and sets referenced with `+`, in order of appearance.
    QStringList identifiers() const;
    QStringList references() const;

    // The combinations this expression allows, each as a bit mask over `relevant` (bit i set:
    // relevant[i] is in it), subsets of another combination left out. `identifierBits` gives
    // the bit of a name (0 when irrelevant); `referenced` the combinations of a `+set`.
    using Masks = std::vector<std::uint64_t>;
    Masks combinations(const std::function<std::uint64_t(const QString &)> &identifierBits,
                       const std::function<Masks(const QString &)> &referenced) const;

private:
    struct Node
    {
        enum class Kind { Leaf, Reference, And, Or } kind = Kind::Leaf;
        QString name;
        std::vector<int> children;
    };
    friend class MatrixExpressionParser;

    Masks evaluate(int index, const std::function<std::uint64_t(const QString &)> &identifierBits,
                   const std::function<Masks(const QString &)> &referenced) const;

    std::vector<Node> m_nodes;
    int m_root = -1;
};

} // namespace boo
