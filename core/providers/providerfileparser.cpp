#include "core/providers/providerfileparser.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Ids appear in gateway model names (<id>/<model>) and URLs: keep them simple and slash-free.
const QRegularExpression &idPattern()
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"_s);
    return pattern;
}

class EntryReader
{
public:
    EntryReader(const QJsonObject &entry, const QString &file, const QString &label)
        : m_entry(entry)
        , m_file(file)
        , m_label(label)
    {
    }

    void problem(const QString &field, const QString &message) { m_problems << ProviderFileProblem{m_file, m_label, field, message}; }
    const QList<ProviderFileProblem> &problems() const { return m_problems; }

    std::optional<QString> requiredString(const QString &field)
    {
        const QJsonValue value = m_entry.value(field);
        if (value.isUndefined()) {
            problem(field, u"is required"_s);
            return std::nullopt;
        }
        if (!value.isString() || value.toString().trimmed().isEmpty()) {
            problem(field, u"must be a non-empty string"_s);
            return std::nullopt;
        }
        return value.toString().trimmed();
    }

    std::optional<QJsonValue> optional(const QString &field)
    {
        const QJsonValue value = m_entry.value(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        return value;
    }

private:
    const QJsonObject &m_entry;
    QString m_file;
    QString m_label;
    QList<ProviderFileProblem> m_problems;
};

std::optional<QUrl> parseBaseUrl(EntryReader &reader, const QString &text)
{
    QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s) || url.host().isEmpty()) {
        reader.problem(u"baseUrl"_s, u"'%1' is not an http:// or https:// URL with a host"_s.arg(text));
        return std::nullopt;
    }
    if (url.hasQuery() || url.hasFragment()) {
        reader.problem(u"baseUrl"_s, u"'%1' must not carry a query or fragment"_s.arg(text));
        return std::nullopt;
    }
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

std::optional<ApiKeyRef> parseApiKey(EntryReader &reader, const QJsonValue &value)
{
    static const QString howTo = u"store the key in the system keychain and write \"keychain:NAME\", "
                                 u"or in an environment variable and write \"env:NAME\""_s;
    if (!value.isString()) {
        reader.problem(u"apiKey"_s, u"must be a string: "_s + howTo);
        return std::nullopt;
    }
    const QString text = value.toString().trimmed();
    const qsizetype colon = text.indexOf(u':');
    const auto store = colon < 0 ? std::optional<ApiKeyRef::Store>() : enumFromName(ApiKeyRef::kStoreNames, QStringView(text).left(colon));
    if (store) {
        const QString name = text.mid(colon + 1).trimmed();
        if (name.isEmpty()) {
            reader.problem(u"apiKey"_s, u"'%1' names no variable or keychain entry"_s.arg(text));
            return std::nullopt;
        }
        return ApiKeyRef{*store, name};
    }
    reader.problem(u"apiKey"_s, u"plain-text secrets are not accepted in the providers file: "_s + howTo);
    return std::nullopt;
}

std::optional<ProviderSsh> parseSsh(EntryReader &reader, const QJsonValue &value)
{
    if (!value.isObject()) {
        reader.problem(u"ssh"_s, u"must be an object {\"target\", \"identityFile\", \"configPath\", \"reload\"}"_s);
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    ProviderSsh ssh;
    const auto text = [&](const QString &key, QString *into, bool required) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() && !required)
            return;
        if (!v.isString() || v.toString().trimmed().isEmpty())
            reader.problem(u"ssh."_s + key, u"must be a non-empty string"_s);
        else
            *into = v.toString().trimmed();
    };
    const auto number = [&](const QString &key, int *into, int min, int max) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return;
        if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max || v.toDouble() != double(v.toInt()))
            reader.problem(u"ssh."_s + key, u"must be a whole number from %1 to %2"_s.arg(min).arg(max));
        else
            *into = v.toInt();
    };
    text(u"target"_s, &ssh.target, true);
    text(u"identityFile"_s, &ssh.identityFile, false);
    text(u"configPath"_s, &ssh.configPath, true);
    text(u"reload"_s, &ssh.reload, false);
    text(u"process"_s, &ssh.processName, false);
    number(u"keepBackups"_s, &ssh.keepBackups, 1, 1000);
    number(u"healthTimeoutSeconds"_s, &ssh.healthTimeoutSeconds, 5, 3600);
    if (ssh.identityFile.startsWith(u"keychain:"_s))
        reader.problem(u"ssh.identityFile"_s, u"keychain: references are not supported yet; give the path of a key file"_s);
    return ssh;
}

std::optional<ProviderConfig> parseEntry(EntryReader &reader)
{
    ProviderConfig provider;
    const auto id = reader.requiredString(u"id"_s);
    if (id && !idPattern().match(*id).hasMatch())
        reader.problem(u"id"_s, u"'%1' must be 1-64 letters, digits, '.', '_' or '-' (no '/')"_s.arg(*id));
    else if (id)
        provider.id = *id;

    if (const auto name = reader.optional(u"name"_s)) {
        if (!name->isString())
            reader.problem(u"name"_s, u"must be a string"_s);
        provider.name = name->toString().trimmed();
    }
    if (provider.name.isEmpty())
        provider.name = provider.id;

    if (const auto kind = reader.requiredString(u"kind"_s)) {
        if (const auto parsed = providerKindFromName(*kind))
            provider.kind = *parsed;
        else
            reader.problem(u"kind"_s, u"unknown kind '%1' (use %2)"_s.arg(*kind, enumChoices(kProviderKindNames)));
    }
    if (const auto url = reader.requiredString(u"baseUrl"_s)) {
        if (const auto parsed = parseBaseUrl(reader, *url))
            provider.baseUrl = *parsed;
    }
    if (const auto enabled = reader.optional(u"enabled"_s)) {
        if (!enabled->isBool())
            reader.problem(u"enabled"_s, u"must be true or false"_s);
        provider.enabled = enabled->toBool(true);
    }
    if (const auto key = reader.optional(u"apiKey"_s))
        provider.apiKey = parseApiKey(reader, *key);
    if (const auto tags = reader.optional(u"tags"_s)) {
        const QJsonArray array = tags->toArray();
        bool ok = tags->isArray();
        for (const QJsonValue &tag : array) {
            ok = ok && tag.isString() && !tag.toString().trimmed().isEmpty();
            provider.tags << tag.toString().trimmed();
        }
        if (!ok)
            reader.problem(u"tags"_s, u"must be a list of non-empty strings"_s);
    }
    if (const auto ssh = reader.optional(u"ssh"_s))
        provider.ssh = parseSsh(reader, *ssh);
    if (!reader.problems().isEmpty())
        return std::nullopt;
    return provider;
}

} // namespace

QString ProviderFileProblem::toString() const
{
    QString text = file;
    if (!provider.isEmpty())
        text += u": provider \"%1\""_s.arg(provider);
    if (!field.isEmpty())
        text += u": field \"%1\""_s.arg(field);
    return text + u": "_s + message;
}

ProviderFile ProviderFileParser::parse(const QByteArray &json, const QString &fileName)
{
    ProviderFile result;
    auto fatal = [&](const QString &message) {
        result.unreadable = true;
        result.problems << ProviderFileProblem{fileName, {}, {}, message};
        return result;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fatal(u"not valid JSON at byte %1: %2"_s.arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return fatal(u"must contain a JSON object {\"providers\": [...]}"_s);
    const QJsonValue list = doc.object().value(u"providers"_s);
    if (!list.isArray())
        return fatal(u"must have a \"providers\" list"_s);

    QSet<QString> seen;
    const QJsonArray entries = list.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const QString rawId = entry.value(u"id"_s).toString().trimmed();
        const QString label = rawId.isEmpty() ? u"#%1"_s.arg(i + 1) : rawId;
        EntryReader reader(entry, fileName, label);
        if (!entries.at(i).isObject()) {
            reader.problem({}, u"must be a JSON object"_s);
        } else if (auto provider = parseEntry(reader)) {
            if (seen.contains(provider->id)) {
                reader.problem(u"id"_s, u"duplicate id; only the first provider with this id is loaded"_s);
            } else {
                seen.insert(provider->id);
                result.providers << *provider;
            }
        }
        result.problems << reader.problems();
    }
    return result;
}

ProviderFile ProviderFileParser::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ProviderFile result;
        result.unreadable = true;
        result.problems << ProviderFileProblem{path, {}, {}, u"cannot be read: "_s + file.errorString()};
        return result;
    }
    return parse(file.readAll(), path);
}

} // namespace boo
