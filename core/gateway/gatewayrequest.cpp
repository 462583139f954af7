#include "core/gateway/gatewayrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

qint64 textChars(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().size();
    qint64 n = 0;
    if (value.isArray()) {
        // Lists of prompts, of content parts ({"type":"text","text":...}) or of token ids.
        for (const QJsonValue &item : value.toArray()) {
            if (item.isObject())
                n += textChars(item.toObject().value(u"text"_s));
            else if (item.isDouble())
                n += GatewayRequest::kCharsPerToken;
            else
                n += textChars(item);
        }
    }
    return n;
}

qsizetype skipSpace(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        ++i;
    return i;
}

// Index just past the string that starts at s[i] == '"'.
qsizetype skipString(QByteArrayView s, qsizetype i)
{
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return i + 1;
    }
    return s.size();
}

// Index just past the value that starts at s[i].
qsizetype skipValue(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return i;
    if (s[i] == '"')
        return skipString(s, i);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                i = skipString(s, i) - 1;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return s.size();
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
        ++i;
    return i;
}

} // namespace

QString gatewayEndpointPath(GatewayEndpoint endpoint)
{
    return enumNameString(kGatewayEndpointPaths, endpoint);
}

std::optional<std::pair<qsizetype, qsizetype>> GatewayRequest::topLevelValueSpan(QByteArrayView json, QByteArrayView key)
{
    std::optional<std::pair<qsizetype, qsizetype>> found;
    qsizetype i = skipSpace(json, 0);
    if (i >= json.size() || json[i] != '{')
        return found;
    i = skipSpace(json, i + 1);
    while (i < json.size() && json[i] == '"') {
        const qsizetype keyEnd = skipString(json, i);
        const QByteArrayView name = json.sliced(i + 1, qMax<qsizetype>(0, keyEnd - i - 2));
        i = skipSpace(json, keyEnd);
        if (i >= json.size() || json[i] != ':')
            return std::nullopt;
        i = skipSpace(json, i + 1);
        const qsizetype valueEnd = skipValue(json, i);
        if (name == key)
            found = std::make_pair(i, valueEnd); // a repeated key: the last one counts, as in QJsonDocument
        i = skipSpace(json, valueEnd);
        if (i < json.size() && json[i] == ',')
            i = skipSpace(json, i + 1);
    }
    return found;
}

Result<GatewayRequest> GatewayRequest::parse(GatewayEndpoint endpoint, const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        if (body.trimmed().isEmpty())
            return makeError(u"json.malformed"_s, u"the request body is empty: send a JSON object with at least \"model\""_s);
        return makeError(u"json.malformed"_s,
                         u"the request body is not valid JSON: %1 at byte %2"_s.arg(error.errorString()).arg(error.offset));
    }
    if (!document.isObject())
        return makeError(u"json.not_object"_s, u"the request body must be a JSON object"_s);
    const QJsonObject object = document.object();
    const QJsonValue model = object.value(u"model"_s);
    if (model.isUndefined() || model.isNull())
        return makeError(u"model.missing"_s, u"you must provide a model parameter (GET /v1/models lists them)"_s);
    if (!model.isString() || model.toString().isEmpty())
        return makeError(u"model.type"_s, u"\"model\" must be a non-empty string"_s);

    GatewayRequest r;
    r.m_endpoint = endpoint;
    r.m_body = body;
    r.m_model = model.toString();
    r.m_stream = endpoint != GatewayEndpoint::Embeddings && object.value(u"stream"_s).toBool();
    r.m_hasTools = !object.value(u"tools"_s).toArray().isEmpty() || !object.value(u"functions"_s).toArray().isEmpty();
    qint64 chars = textChars(object.value(u"prompt"_s)) + textChars(object.value(u"input"_s));
    for (const QJsonValue &message : object.value(u"messages"_s).toArray())
        chars += textChars(message.toObject().value(u"content"_s));
    r.m_promptTokens = (chars + kCharsPerToken - 1) / kCharsPerToken;
    r.m_modelSpan = topLevelValueSpan(body, "model");
    return r;
}

GatewayRequest GatewayRequest::passthrough(const QByteArray &body)
{
    GatewayRequest r;
    r.m_body = body;
    return r;
}

QByteArray GatewayRequest::bodyForModel(const QString &model) const
{
    if (m_endpoint == GatewayEndpoint::Upstream || model == m_model)
        return m_body;
    const QByteArray quoted = QJsonDocument(QJsonArray{model}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    if (m_modelSpan) {
        QByteArray out = m_body;
        out.replace(m_modelSpan->first, m_modelSpan->second - m_modelSpan->first, quoted);
        return out;
    }
    // The key was spelled with escapes: rebuild the document instead (rare).
    QJsonObject object = QJsonDocument::fromJson(m_body).object();
    object.insert(u"model"_s, model);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace boo
