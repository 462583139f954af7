#pragma once

#include "core/common/result.h"
#include "core/remote/configfinding.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>

#include <optional>

namespace boo {

struct ConfigValidationOptions
{
    // The environment llama-swap will run with, when known (read over SSH before applying):
    // every ${env.NAME} must be set there, and is substituted as llama-swap does before the
    // rest is checked. Offline (nullopt) ${env.NAME} is left as written and not judged.
    std::optional<QHash<QString, QString>> hostEnvironment;
};

// Checks a llama-swap config file the way llama-swap's loader would take it, without a host:
// YAML syntax and duplicate keys, the macro pass, the bundled JSON Schema, and the loader's
// rules about names, groups, the matrix, peers, selectors and profiles. Errors are what makes
// llama-swap refuse the file (a reload then keeps the old config); warnings what it silently
// corrects or ignores. docs/remote.md lists every rule.
class ConfigValidator final
{
public:
    static ConfigReport validate(const QByteArray &text, const QString &fileName, const ConfigValidationOptions &options = {});
    // Error "config.unreadable" when the file cannot be read.
    static Result<ConfigReport> validateFile(const QString &path, const ConfigValidationOptions &options = {});

    // The NAMEs of every ${env.NAME} in the text (outside comments), in order of appearance:
    // what must be set on the host before the file is applied.
    static QStringList environmentReferences(const QByteArray &text);

    // Every rule id a finding can carry, in the order docs/remote.md lists them.
    static QStringList ruleIds();
};

} // namespace boo
