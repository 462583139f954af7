#pragma once

#include "core/common/enumnames.h"
#include "core/remote/confignode.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace boo {

// An error stops llama-swap from loading the file (a reload keeps the old config); a warning is
// something llama-swap accepts but silently corrects or ignores, which is rarely what was meant.
enum class FindingSeverity { Error, Warning };
inline constexpr EnumName<FindingSeverity> kFindingSeverityNames[] = {
    {FindingSeverity::Error, u"error"},
    {FindingSeverity::Warning, u"warning"},
};

// One thing the validator has to say about a llama-swap config: where (file, line, column, key
// path), which rule (a stable id from docs/remote.md) and what, in words.
struct ConfigFinding
{
    FindingSeverity severity = FindingSeverity::Error;
    QString rule;
    QString path; // "models.gpt.cmd"; empty for the document as a whole
    SourceMark mark;
    QString message;

    // {"path","line","column","rule","message"}
    QJsonObject toJson() const;
    // "config.yaml:12:5: error: models.gpt.cmd: ... [macro-unresolved]"
    QString toText(const QString &fileName) const;

    friend bool operator==(const ConfigFinding &, const ConfigFinding &) = default;
};

// What the validator found, errors and warnings in the order of the file.
struct ConfigReport
{
    QString fileName;
    QList<ConfigFinding> findings;

    bool valid() const { return errors().isEmpty(); }
    QList<ConfigFinding> errors() const;
    QList<ConfigFinding> warnings() const;
    // {"valid": bool, "errors": [...], "warnings": [...]}
    QJsonObject toJson() const;
};

// Collects findings while the rules run: one place that turns a node into path and mark.
class FindingSink
{
public:
    void error(const QString &rule, const ConfigNode &at, const QString &message);
    void warning(const QString &rule, const ConfigNode &at, const QString &message);
    // For a problem with a mapping key (unknown or duplicate keys): the key's own place.
    void atKey(FindingSeverity severity, const QString &rule, const ConfigNode &value, const QString &message);
    void add(ConfigFinding finding);

    const QList<ConfigFinding> &findings() const { return m_findings; }
    // Sorted by line and column, identical findings once.
    QList<ConfigFinding> take();

private:
    QList<ConfigFinding> m_findings;
};

} // namespace boo
