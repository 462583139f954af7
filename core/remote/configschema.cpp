#include "core/remote/configschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <valijson/adapters/qtjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

const QString kBundledPath = u":/boocontrol/remote/llama-swap-config.schema.json"_s;

// valijson reports every enclosing property and item that failed because something inside it
// did; only the innermost error says what is wrong. Unknown keys are reported by our own walk.
bool isSummaryOfInnerErrors(const std::string &description)
{
    static const char *const prefixes[] = {
        "Failed to validate against schema associated with property name",
        "Failed to validate item #",
        "Failed to validate against additional properties schema",
        "Failed to validate against schema associated with pattern",
        "Failed to validate against dependent schema",
        "Object contains a property that could not be validated",
    };
    for (const char *prefix : prefixes) {
        if (description.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

QString kindName(const ConfigNode &node)
{
    switch (node.kind) {
    case ConfigNode::Kind::Null: return u"nothing (null)"_s;
    case ConfigNode::Kind::Bool: return u"a boolean"_s;
    case ConfigNode::Kind::Integer: return u"an integer"_s;
    case ConfigNode::Kind::Float: return u"a number"_s;
    case ConfigNode::Kind::String: return u"a string"_s;
    case ConfigNode::Kind::Map: return u"a mapping"_s;
    case ConfigNode::Kind::Sequence: return u"a list"_s;
    }
    return {};
}

QString typeNames(const QJsonValue &type)
{
    QStringList names;
    const QJsonArray list = type.isArray() ? type.toArray() : QJsonArray{type};
    for (const QJsonValue &name : list) {
        const QString text = name.toString();
        names << (text == u"object"_s ? u"a mapping"_s : text == u"array"_s ? u"a list"_s : text);
    }
    return names.join(u" or "_s);
}

} // namespace

struct ConfigSchema::Compiled
{
    valijson::Schema schema;
};

ConfigSchema::ConfigSchema(QJsonObject document, std::unique_ptr<Compiled> compiled)
    : m_document(std::move(document))
    , m_compiled(std::move(compiled))
{
}

ConfigSchema::~ConfigSchema() = default;

Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject())
        return makeError(u"config.schema"_s, u"the config schema is not a JSON object: %1"_s.arg(parseError.errorString()));
    auto compiled = std::make_unique<Compiled>();
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        const QJsonValue root(document.object());
        valijson::adapters::QtJsonAdapter adapter(root);
        parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception &e) {
        return makeError(u"config.schema"_s, u"the config schema does not compile: %1"_s.arg(QString::fromStdString(e.what())));
    }
    return std::shared_ptr<const ConfigSchema>(new ConfigSchema(document.object(), std::move(compiled)));
}

Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::bundled()
{
    static std::once_flag once;
    static std::optional<Result<std::shared_ptr<const ConfigSchema>>> cached;
    std::call_once(once, [] {
        QFile file(kBundledPath);
        if (!file.open(QIODevice::ReadOnly))
            cached.emplace(makeError(u"config.schema"_s, u"the bundled config schema is missing (%1)"_s.arg(kBundledPath)));
        else
            cached.emplace(fromJson(file.readAll()));
    });
    return *cached;
}

void ConfigSchema::validate(const ConfigNode &root, FindingSink &sink) const
{
    const QJsonValue instance = root.toJson();
    valijson::adapters::QtJsonAdapter adapter(instance);
    valijson::Validator validator;
    valijson::ValidationResults results;
    try {
        validator.validate(m_compiled->schema, adapter, &results);
    } catch (const std::exception &e) {
        sink.error(u"schema"_s, root, u"could not be checked against the schema: %1"_s.arg(QString::fromStdString(e.what())));
        return;
    }
    for (const valijson::ValidationResults::Error &error : results) {
        if (isSummaryOfInnerErrors(error.description))
            continue;
        QStringList path;
        for (const std::string &segment : error.context) {
            if (segment == "<root>")
                continue;
            QString text = QString::fromStdString(segment);
            if (text.startsWith(u'[') && text.endsWith(u']'))
                text = text.mid(1, text.size() - 2);
            path << text;
        }
        // Sequence items are "[n]" in ConfigNode paths.
        const ConfigNode *node = &root;
        QStringList nodePath;
        for (const QString &segment : path) {
            const QString step = node && node->isSequence() ? u'[' + segment + u']' : segment;
            nodePath << step;
            node = node ? node->find({step}) : nullptr;
        }
        // A value from ${env.NAME} is not known until the host's environment is: not judged.
        if (node && node->isString() && node->scalar.contains(u"${env."_s))
            continue;
        ConfigNode located = node ? *node : root;
        located.path = nodePath;
        if (!node)
            located.mark = {};
        sink.error(u"schema"_s, located, describe(located, QString::fromStdString(error.description)));
    }
    reportUnknownKeys(root, m_document, sink);
}

QString ConfigSchema::describe(const ConfigNode &node, const QString &description) const
{
    const QJsonObject schema = subschemaAt(node.path);
    if (description.startsWith(u"Value type not permitted"_s) && schema.contains(u"type"_s))
        return u"expected %1, found %2"_s.arg(typeNames(schema.value(u"type"_s)), kindName(node));
    if (description.startsWith(u"Failed to match against any enum values"_s)) {
        QStringList names;
        for (const QJsonValue &value : schema.value(u"enum"_s).toArray())
            names << value.toString();
        return u"'%1' is not one of: %2"_s.arg(node.scalar, names.join(u", "_s));
    }
    // valijson's wording, said the way the rest of the findings say things.
    const auto number = [&](const char16_t *key) { return QString::number(schema.value(key).toDouble()); };
    const QString found = node.isScalar() ? node.scalar : kindName(node);
    QString text = description;
    if (description.startsWith(u"Expected number greater than or equal to"_s) && schema.contains(u"minimum"_s))
        text = u"must be %1 or more, found %2"_s.arg(number(u"minimum"), found);
    else if (description.startsWith(u"Expected number less than or equal to"_s) && schema.contains(u"maximum"_s))
        text = u"must be %1 or less, found %2"_s.arg(number(u"maximum"), found);
    else if (description.startsWith(u"String should be no fewer than"_s) && schema.value(u"minLength"_s).toInt() == 1)
        text = u"must not be empty"_s;
    else if (description.startsWith(u"Array should contain no fewer than"_s))
        text = u"must list at least %1"_s.arg(number(u"minItems"));
    else if (description.startsWith(u"Object should have no fewer than"_s))
        text = u"must have at least %1 entry"_s.arg(number(u"minProperties"));
    else if (description.startsWith(u"Failed to match regex"_s))
        text = u"'%1' is not in the expected form"_s.arg(found);
    else if (description.startsWith(u"Missing required property"_s))
        text = u"the required key %1 is missing"_s.arg(description.section(u' ', 3).chopped(1));
    if (schema.contains(u"description"_s))
        text += u" (%1)"_s.arg(schema.value(u"description"_s).toString());
    return text;
}

QJsonObject ConfigSchema::resolve(QJsonObject schema) const
{
    // Our schema only refers to its own definitions; a few hops at most.
    for (int hops = 0; hops < 8 && schema.contains(u"$ref"_s); ++hops) {
        const QString ref = schema.value(u"$ref"_s).toString();
        if (!ref.startsWith(u"#/definitions/"_s))
            return {};
        schema = m_document.value(u"definitions"_s).toObject().value(ref.mid(14)).toObject();
    }
    return schema;
}

QJsonObject ConfigSchema::subschemaAt(const QStringList &path) const
{
    QJsonObject schema = resolve(m_document);
    for (const QString &segment : path) {
        if (segment.startsWith(u'[')) {
            schema = resolve(schema.value(u"items"_s).toObject());
        } else if (schema.value(u"properties"_s).toObject().contains(segment)) {
            schema = resolve(schema.value(u"properties"_s).toObject().value(segment).toObject());
        } else {
            schema = resolve(schema.value(u"additionalProperties"_s).toObject());
        }
        if (schema.isEmpty())
            return {};
    }
    return schema;
}

void ConfigSchema::reportUnknownKeys(const ConfigNode &node, const QJsonObject &schema, FindingSink &sink) const
{
    const QJsonObject resolved = resolve(schema);
    if (node.isSequence()) {
        const QJsonObject items = resolved.value(u"items"_s).toObject();
        for (const ConfigNode &item : node.items)
            reportUnknownKeys(item, items, sink);
        return;
    }
    if (!node.isMap())
        return;
    const QJsonObject properties = resolved.value(u"properties"_s).toObject();
    const QJsonValue additional = resolved.value(u"additionalProperties"_s);
    for (const auto &[key, value] : node.entries) {
        if (properties.contains(key)) {
            reportUnknownKeys(value, properties.value(key).toObject(), sink);
        } else if (additional.isObject()) {
            reportUnknownKeys(value, additional.toObject(), sink);
        } else if (additional.isBool() && !additional.toBool()) {
            QString message = u"llama-swap does not know the key '%1' and ignores it"_s.arg(key);
            for (auto it = properties.begin(); it != properties.end(); ++it) {
                if (it.key().compare(key, Qt::CaseInsensitive) == 0
                    || QString(it.key()).remove(u'_').compare(QString(key).remove(u'_'), Qt::CaseInsensitive) == 0) {
                    message += u" (did you mean '%1'?)"_s.arg(it.key());
                    break;
                }
            }
            sink.atKey(FindingSeverity::Warning, u"unknown-key"_s, value, message);
        }
    }
}

} // namespace boo
