#include "core/bench/suiteyamlreader.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QString position(const QString &fileName, const YAML::Mark &mark)
{
    if (mark.line < 0)
        return fileName;
    return u"%1:%2:%3"_s.arg(fileName).arg(mark.line + 1).arg(mark.column + 1);
}

} // namespace

SuiteYamlReader::SuiteYamlReader(QString errorCode, QString fileName)
    : m_errorCode(std::move(errorCode))
    , m_fileName(std::move(fileName))
{
}

void SuiteYamlReader::fail(const YAML::Node &node, const QString &path, const QString &problem) const
{
    throw Problem{makeError(m_errorCode, u"%1: %2%3: %4"_s.arg(position(m_fileName, node.Mark()), m_prefix, path, problem))};
}

Error SuiteYamlReader::invalidYaml(const YAML::Exception &e) const
{
    return makeError(m_errorCode, u"%1: not valid YAML: %2"_s.arg(position(m_fileName, e.mark), QString::fromStdString(e.msg)));
}

QString SuiteYamlReader::describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null: return u"empty"_s;
    case YAML::NodeType::Sequence: return u"a list"_s;
    case YAML::NodeType::Map: return u"a mapping"_s;
    case YAML::NodeType::Scalar: {
        const QString text = QString::fromStdString(node.Scalar()).left(60);
        return node.Tag() == "!" ? u"the quoted text \"%1\""_s.arg(text) : u"\"%1\""_s.arg(text);
    }
    default: return u"undefined"_s;
    }
}

QString SuiteYamlReader::plain(const YAML::Node &node, const QString &path, const QString &expected) const
{
    if (!node.IsScalar() || node.Tag() == "!")
        fail(node, path, u"is %1, expected %2"_s.arg(describe(node), expected));
    return QString::fromStdString(node.Scalar());
}

QString SuiteYamlReader::scalar(const YAML::Node &node, const QString &path) const
{
    if (!node.IsScalar())
        fail(node, path, u"is %1, expected text"_s.arg(describe(node)));
    return QString::fromStdString(node.Scalar());
}

qint64 SuiteYamlReader::integer(const YAML::Node &node, const QString &path, qint64 min, qint64 max) const
{
    const QString expected = u"a whole number from %1 to %2"_s.arg(min).arg(max);
    bool ok = false;
    const qint64 value = plain(node, path, expected).toLongLong(&ok);
    if (!ok)
        fail(node, path, u"is %1, expected %2"_s.arg(describe(node), expected));
    if (value < min || value > max)
        fail(node, path, u"%1 is out of range (%2 to %3)"_s.arg(value).arg(min).arg(max));
    return value;
}

double SuiteYamlReader::number(const YAML::Node &node, const QString &path, double min, double max) const
{
    const QString expected = u"a number from %1 to %2"_s.arg(min).arg(max);
    bool ok = false;
    const double value = plain(node, path, expected).toDouble(&ok);
    if (!ok || !std::isfinite(value))
        fail(node, path, u"is %1, expected %2"_s.arg(describe(node), expected));
    if (value < min || value > max)
        fail(node, path, u"%1 is out of range (%2 to %3)"_s.arg(value).arg(min).arg(max));
    return value;
}

bool SuiteYamlReader::boolean(const YAML::Node &node, const QString &path) const
{
    const QString value = plain(node, path, u"true or false"_s);
    if (value == u"true")
        return true;
    if (value == u"false")
        return false;
    fail(node, path, u"is %1, expected true or false"_s.arg(describe(node)));
}

std::map<QString, YAML::Node> SuiteYamlReader::mapping(const YAML::Node &node, const QString &path, const QStringList &known) const
{
    const QString where = path.isEmpty() ? u"suite"_s : path;
    if (!node.IsMap())
        fail(node, where, u"is %1, expected a mapping"_s.arg(describe(node)));
    std::map<QString, YAML::Node> keys;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first; // a copy: the iterator's pair is a temporary
        if (!key.IsScalar())
            fail(key, where, u"a key is %1, expected text"_s.arg(describe(key)));
        const QString name = QString::fromStdString(key.Scalar());
        const QString keyPath = path.isEmpty() ? name : path + u'.' + name;
        if (!known.contains(name))
            fail(key, keyPath, u"unknown key (known: %1)"_s.arg(known.join(u", "_s)));
        if (keys.count(name))
            fail(key, keyPath, u"appears twice"_s);
        keys.emplace(name, it->second);
    }
    return keys;
}

const QRegularExpression &SuiteYamlReader::namePattern()
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"_s);
    return pattern;
}

QString SuiteYamlReader::nameRule()
{
    return u"must be 1-64 letters, digits, '.', '_', ':' or '-'"_s;
}

} // namespace boo
