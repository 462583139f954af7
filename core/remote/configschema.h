#pragma once

#include "core/common/result.h"
#include "core/remote/configfinding.h"
#include "core/remote/confignode.h"

#include <QByteArray>
#include <QJsonObject>

#include <memory>

namespace boo {

// The JSON Schema of llama-swap's config (resources/llama-swap-config.schema.json, draft-07,
// compiled in), checked with valijson. Two kinds of finding come out of it:
//   * rule "schema" (error): a value of the wrong type, out of range, not among the accepted
//     names, a required key missing — what makes llama-swap's typed decode or loader fail;
//   * rule "unknown-key" (warning): a key the schema does not list, which llama-swap silently
//     ignores (usually a typo). valijson names only the first such key of an object, so they
//     are found by walking the document beside the schema instead.
class ConfigSchema final
{
public:
    ~ConfigSchema();
    Q_DISABLE_COPY_MOVE(ConfigSchema)

    // The schema compiled into the program (parsed once).
    static Result<std::shared_ptr<const ConfigSchema>> bundled();
    static Result<std::shared_ptr<const ConfigSchema>> fromJson(const QByteArray &json);

    void validate(const ConfigNode &root, FindingSink &sink) const;

private:
    struct Compiled;
    explicit ConfigSchema(QJsonObject document, std::unique_ptr<Compiled> compiled);

    // The subschema that applies at `path`, with $ref followed; empty when none does.
    QJsonObject subschemaAt(const QStringList &path) const;
    QJsonObject resolve(QJsonObject schema) const;
    void reportUnknownKeys(const ConfigNode &node, const QJsonObject &schema, FindingSink &sink) const;
    QString describe(const ConfigNode &node, const QString &description) const;

    QJsonObject m_document;
    std::unique_ptr<Compiled> m_compiled;
};

} // namespace boo
