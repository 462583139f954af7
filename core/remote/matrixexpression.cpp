#include "core/remote/matrixexpression.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

bool isNameCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

// Keeps only combinations that are not a subset of another: a set allowing more running models
// answers every question a smaller one would.
MatrixExpression::Masks maximal(MatrixExpression::Masks masks)
{
    std::sort(masks.begin(), masks.end());
    masks.erase(std::unique(masks.begin(), masks.end()), masks.end());
    MatrixExpression::Masks kept;
    for (std::uint64_t mask : masks) {
        const bool covered
            = std::any_of(masks.begin(), masks.end(), [&](std::uint64_t other) { return other != mask && (mask & other) == mask; });
        if (!covered)
            kept.push_back(mask);
    }
    return kept;
}

} // namespace

class MatrixExpressionParser
{
public:
    explicit MatrixExpressionParser(const QString &text)
        : m_text(text)
    {
    }

    Result<MatrixExpression> run()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return fail(u"the expression is empty"_s);
        auto root = parseOr();
        if (!root)
            return root.error();
        skipSpace();
        if (m_pos < m_text.size())
            return fail(u"unexpected '%1' at position %2"_s.arg(m_text.at(m_pos)).arg(m_pos + 1));
        m_expression.m_root = *root;
        return m_expression;
    }

private:
    using Kind = MatrixExpression::Node::Kind;

    Error fail(const QString &message) const { return makeError(u"config.matrix-syntax"_s, message); }

    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }

    bool accept(QChar c)
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text.at(m_pos) == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    int add(Kind kind, QString name, std::vector<int> children = {})
    {
        m_expression.m_nodes.push_back({kind, std::move(name), std::move(children)});
        return int(m_expression.m_nodes.size()) - 1;
    }

    Result<int> parseList(Kind kind, QChar separator, Result<int> (MatrixExpressionParser::*parseOne)())
    {
        auto first = (this->*parseOne)();
        if (!first)
            return first;
        std::vector<int> children{*first};
        while (accept(separator)) {
            auto next = (this->*parseOne)();
            if (!next)
                return next;
            children.push_back(*next);
        }
        return children.size() == 1 ? children.front() : add(kind, {}, std::move(children));
    }

    Result<int> parseOr() { return parseList(Kind::Or, u'|', &MatrixExpressionParser::parseAnd); }
    Result<int> parseAnd() { return parseList(Kind::And, u'&', &MatrixExpressionParser::parseAtom); }

    QString readName()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && isNameCharacter(m_text.at(m_pos)))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }

    Result<int> parseAtom()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return fail(u"the expression ends where a name, '+set' or '(' was expected"_s);
        if (accept(u'(')) {
            auto inner = parseOr();
            if (!inner)
                return inner;
            if (!accept(u')'))
                return fail(u"missing ')'"_s);
            return inner;
        }
        if (accept(u'+')) {
            const QString name = readName();
            if (name.isEmpty())
                return fail(u"a set name must follow '+' at position %1"_s.arg(m_pos + 1));
            return add(Kind::Reference, name);
        }
        const QString name = readName();
        if (name.isEmpty())
            return fail(u"unexpected '%1' at position %2"_s.arg(m_text.at(m_pos)).arg(m_pos + 1));
        return add(Kind::Leaf, name);
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    MatrixExpression m_expression;
};

Result<MatrixExpression> MatrixExpression::parse(const QString &text)
{
    return MatrixExpressionParser(text).run();
}

QStringList MatrixExpression::identifiers() const
{
    QStringList names;
    for (const Node &node : m_nodes) {
        if (node.kind == Node::Kind::Leaf && !names.contains(node.name))
            names << node.name;
    }
    return names;
}

QStringList MatrixExpression::references() const
{
    QStringList names;
    for (const Node &node : m_nodes) {
        if (node.kind == Node::Kind::Reference && !names.contains(node.name))
            names << node.name;
    }
    return names;
}

MatrixExpression::Masks MatrixExpression::combinations(const std::function<std::uint64_t(const QString &)> &identifierBits,
                                                       const std::function<Masks(const QString &)> &referenced) const
{
    return m_root < 0 ? Masks{} : evaluate(m_root, identifierBits, referenced);
}

MatrixExpression::Masks MatrixExpression::evaluate(int index, const std::function<std::uint64_t(const QString &)> &identifierBits,
                                                   const std::function<Masks(const QString &)> &referenced) const
{
    const Node &node = m_nodes[std::size_t(index)];
    switch (node.kind) {
    case Node::Kind::Leaf: return {identifierBits(node.name)};
    case Node::Kind::Reference: return referenced(node.name);
    case Node::Kind::Or: {
        Masks all;
        for (int child : node.children) {
            const Masks masks = evaluate(child, identifierBits, referenced);
            all.insert(all.end(), masks.begin(), masks.end());
        }
        return maximal(std::move(all));
    }
    case Node::Kind::And: {
        Masks product{0};
        for (int child : node.children) {
            const Masks masks = evaluate(child, identifierBits, referenced);
            Masks next;
            for (std::uint64_t left : product) {
                for (std::uint64_t right : masks)
                    next.push_back(left | right);
            }
            product = maximal(std::move(next));
        }
        return product;
    }
    }
    return {};
}

} // namespace boo
