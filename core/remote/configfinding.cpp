#include "core/remote/configfinding.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject ConfigFinding::toJson() const
{
    return QJsonObject{{u"path"_s, path}, {u"line"_s, mark.line}, {u"column"_s, mark.column}, {u"rule"_s, rule}, {u"message"_s, message}};
}

QString ConfigFinding::toText(const QString &fileName) const
{
    QString text = fileName;
    if (mark.line > 0)
        text += u':' + QString::number(mark.line) + u':' + QString::number(mark.column);
    text += u": "_s + enumNameString(kFindingSeverityNames, severity) + u": "_s;
    if (!path.isEmpty())
        text += path + u": "_s;
    return text + message + u" ["_s + rule + u']';
}

QList<ConfigFinding> ConfigReport::errors() const
{
    QList<ConfigFinding> result;
    for (const ConfigFinding &finding : findings) {
        if (finding.severity == FindingSeverity::Error)
            result << finding;
    }
    return result;
}

QList<ConfigFinding> ConfigReport::warnings() const
{
    QList<ConfigFinding> result;
    for (const ConfigFinding &finding : findings) {
        if (finding.severity == FindingSeverity::Warning)
            result << finding;
    }
    return result;
}

QJsonObject ConfigReport::toJson() const
{
    QJsonArray errorList;
    QJsonArray warningList;
    for (const ConfigFinding &finding : findings)
        (finding.severity == FindingSeverity::Error ? errorList : warningList).append(finding.toJson());
    return QJsonObject{{u"valid"_s, valid()}, {u"errors"_s, errorList}, {u"warnings"_s, warningList}};
}

namespace {

// A block mapping or list starts on the line after its key; the key is where a reader looks.
SourceMark placeOf(const ConfigNode &at)
{
    return !at.isScalar() && at.keyMark.line > 0 ? at.keyMark : at.mark;
}

} // namespace

void FindingSink::error(const QString &rule, const ConfigNode &at, const QString &message)
{
    add({FindingSeverity::Error, rule, at.displayPath(), placeOf(at), message});
}

void FindingSink::warning(const QString &rule, const ConfigNode &at, const QString &message)
{
    add({FindingSeverity::Warning, rule, at.displayPath(), placeOf(at), message});
}

void FindingSink::atKey(FindingSeverity severity, const QString &rule, const ConfigNode &value, const QString &message)
{
    add({severity, rule, value.displayPath(), value.keyMark.line > 0 ? value.keyMark : value.mark, message});
}

void FindingSink::add(ConfigFinding finding)
{
    m_findings << std::move(finding);
}

QList<ConfigFinding> FindingSink::take()
{
    QList<ConfigFinding> result = std::move(m_findings);
    m_findings.clear();
    std::stable_sort(result.begin(), result.end(), [](const ConfigFinding &a, const ConfigFinding &b) {
        return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
    });
    QList<ConfigFinding> unique;
    for (ConfigFinding &finding : result) {
        if (!unique.contains(finding))
            unique << std::move(finding);
    }
    return unique;
}

} // namespace boo
