#include "core/remote/configvalidator.h"

#include "core/remote/configrules.h"
#include "core/remote/configschema.h"
#include "core/remote/macroexpansion.h"
#include "core/remote/yamlconfigreader.h"

#include <QFile>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

const QRegularExpression &environmentPattern()
{
    static const QRegularExpression pattern(u"\\$\\{env\\.([a-zA-Z_][a-zA-Z0-9_]*)\\}"_s);
    return pattern;
}

// Calls `visit(name, node, inKey)` for every ${env.NAME} in a value or a mapping key.
template <typename Visit>
void forEachEnvironmentReference(const ConfigNode &node, Visit &&visit)
{
    const auto scan = [&](const QString &text, const ConfigNode &at, bool inKey) {
        auto matches = environmentPattern().globalMatch(text);
        while (matches.hasNext())
            visit(matches.next().captured(1), at, inKey);
    };
    if (node.isMap()) {
        for (const auto &[key, value] : node.entries) {
            scan(key, value, true);
            forEachEnvironmentReference(value, visit);
        }
    } else if (node.isSequence()) {
        for (const ConfigNode &item : node.items)
            forEachEnvironmentReference(item, visit);
    } else {
        scan(node.scalar, node, false);
    }
}

// llama-swap replaces ${env.NAME} in the text before parsing it, escaping \ and " (the value may
// sit in a double-quoted string) and refusing line breaks, which would change the structure.
bool substituteEnvironment(QByteArray &text, const ConfigNode &root, const QHash<QString, QString> &environment, FindingSink &sink)
{
    bool complete = true;
    forEachEnvironmentReference(root, [&](const QString &name, const ConfigNode &at, bool inKey) {
        const FindingSeverity error = FindingSeverity::Error;
        if (!environment.contains(name)) {
            sink.add({error, u"env-unset"_s, at.displayPath(), inKey ? at.keyMark : at.mark,
                      u"${env.%1}: %1 is not set in llama-swap's environment on the host, so llama-swap refuses the file"_s.arg(name)});
            complete = false;
        } else if (environment.value(name).contains(u'\n') || environment.value(name).contains(u'\r')
                   || environment.value(name).contains(QChar(0))) {
            sink.add({error, u"env-unset"_s, at.displayPath(), inKey ? at.keyMark : at.mark,
                      u"${env.%1}: the value on the host contains a line break, which llama-swap refuses"_s.arg(name)});
            complete = false;
        }
    });
    if (!complete)
        return false;
    QString substituted = QString::fromUtf8(text);
    for (auto it = environment.begin(); it != environment.end(); ++it) {
        QString value = it.value();
        value.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
        substituted.replace(u"${env."_s + it.key() + u'}', value);
    }
    text = substituted.toUtf8();
    return true;
}

void runRules(const ConfigNode &expanded, FindingSink &sink)
{
    const ConfigNames names(expanded);
    const RuleContext context{expanded, names, sink};
    for (const auto &rules : {modelNameRules(), routingRules(), referenceRules(), correctionRules()}) {
        for (const ConfigRule &rule : rules)
            rule.check(context);
    }
}

} // namespace

ConfigReport ConfigValidator::validate(const QByteArray &originalText, const QString &fileName, const ConfigValidationOptions &options)
{
    ConfigReport report;
    report.fileName = fileName;
    FindingSink sink;
    QByteArray text = originalText;
    SourceMark syntaxMark;
    auto document = YamlConfigReader::read(text, &syntaxMark);
    if (document && options.hostEnvironment) {
        if (substituteEnvironment(text, document->root, *options.hostEnvironment, sink))
            document = YamlConfigReader::read(text, &syntaxMark);
    }
    if (!document) {
        sink.add({FindingSeverity::Error, u"yaml-syntax"_s, {}, syntaxMark, u"not valid YAML: %1"_s.arg(document.error().message)});
        report.findings = sink.take();
        return report;
    }
    for (const ConfigFinding &finding : document->findings)
        sink.add(finding);
    ConfigNode &raw = document->root;
    if (raw.kind == ConfigNode::Kind::Null)
        raw.kind = ConfigNode::Kind::Map; // an empty file is an empty config to llama-swap

    const ConfigNode expanded = MacroExpansion::expand(raw, sink);
    if (auto schema = ConfigSchema::bundled())
        (*schema)->validate(expanded, sink);
    else
        sink.error(u"schema"_s, expanded, schema.error().message);
    if (expanded.isMap())
        runRules(expanded, sink);
    report.findings = sink.take();
    return report;
}

Result<ConfigReport> ConfigValidator::validateFile(const QString &path, const ConfigValidationOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"config.unreadable"_s, u"cannot read '%1': %2"_s.arg(path, file.errorString()));
    return validate(file.readAll(), path, options);
}

QStringList ConfigValidator::ruleIds()
{
    // Checked outside the rule tables: by the YAML reader, the macro pass, the schema and the
    // environment substitution.
    QStringList ids = {u"yaml-syntax"_s,
                       u"duplicate-key"_s,
                       u"schema"_s,
                       u"unknown-key"_s,
                       u"macro-name-invalid"_s,
                       u"macro-reserved-name"_s,
                       u"macro-self-reference"_s,
                       u"macro-defined-later"_s,
                       u"macro-unresolved"_s,
                       u"pid-outside-cmdstop"_s,
                       u"port-without-cmd"_s,
                       u"model-proxy-required"_s,
                       u"env-unset"_s};
    for (const auto &rules : {modelNameRules(), routingRules(), referenceRules(), correctionRules()}) {
        for (const ConfigRule &rule : rules)
            ids << rule.id.toString();
    }
    return ids;
}

QStringList ConfigValidator::environmentReferences(const QByteArray &text)
{
    QStringList names;
    const auto document = YamlConfigReader::read(text);
    if (!document)
        return names;
    forEachEnvironmentReference(document->root, [&](const QString &name, const ConfigNode &, bool) {
        if (!names.contains(name))
            names << name;
    });
    return names;
}

} // namespace boo
