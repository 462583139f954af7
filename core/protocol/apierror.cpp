#include "core/protocol/apierror.h"

#include "core/protocol/jsonfields.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qsizetype MaxMessageLength = 2000; // a whole HTML page is no message

QString shorten(QString text)
{
    text = text.trimmed();
    if (text.size() > MaxMessageLength)
        text = text.left(MaxMessageLength) + u"..."_s;
    return text;
}

// Upstream servers put the message in different places; llama-swap looks at the same ones when
// it fills error_msg (reference §4.2), so we do too.
QString upstreamMessage(const QJsonObject &object)
{
    const QJsonValue error = object.value(u"error"_s);
    if (error.isObject() && error.toObject().value(u"message"_s).isString())
        return error.toObject().value(u"message"_s).toString();
    if (error.isString())
        return error.toString();
    for (const auto &key : {u"message"_s, u"detail"_s}) {
        if (object.value(key).isString())
            return object.value(key).toString();
    }
    return {};
}

ApiError fromText(const QByteArray &body)
{
    ApiError e;
    const QString text = QString::fromUtf8(body);
    static const QRegularExpression htmlParagraph(u"<p>(.*)</p>"_s, QRegularExpression::DotMatchesEverythingOption);
    if (text.contains(u"<html"_s, Qt::CaseInsensitive)) {
        e.format = ApiError::Format::Html;
        e.fromLlamaSwap = text.contains(u"<h1>llama-swap</h1>"_s);
        const auto match = htmlParagraph.match(text);
        QString message = match.hasMatch() ? match.captured(1) : text;
        message.replace(u"&lt;"_s, u"<"_s)
            .replace(u"&gt;"_s, u">"_s)
            .replace(u"&#34;"_s, u"\""_s)
            .replace(u"&#39;"_s, u"'"_s)
            .replace(u"&quot;"_s, u"\""_s)
            .replace(u"&amp;"_s, u"&"_s);
        e.message = shorten(message);
        return e;
    }
    e.format = ApiError::Format::PlainText;
    QString message = text.trimmed();
    if (message.startsWith(u"llama-swap: "_s)) {
        e.fromLlamaSwap = true;
        message = message.mid(12);
    }
    e.message = shorten(message);
    return e;
}

} // namespace

Result<ApiError> ApiError::fromBody(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return makeError(protocolerror::value(), u"error body: the body is empty"_s);
    const QByteArray trimmed = body.trimmed();
    if (!trimmed.startsWith('{'))
        return fromText(body);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(trimmed, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fromText(body); // e.g. a truncated body: still the best message we have

    const QJsonObject object = document.object();
    JsonFields f(object, u"error envelope"_s);
    ApiError e;
    e.fromLlamaSwap = object.value(u"src"_s) == QJsonValue(u"llama-swap"_s);
    const QJsonValue error = object.value(u"error"_s);
    if (e.fromLlamaSwap && error.isObject()) {
        JsonFields inner = f.child(u"error"_s, error.toObject());
        e.format = Format::Structured;
        e.message = shorten(inner.string(u"message"_s));
        e.type = inner.string(u"type"_s);
        e.code = inner.string(u"code"_s);
        if (inner.failed())
            return inner.error();
        return e;
    }
    if (e.fromLlamaSwap && error.isString()) {
        e.format = Format::Legacy;
        e.message = shorten(error.toString());
        return e;
    }
    if (e.fromLlamaSwap) {
        f.fail(u"error"_s, u"is %1, expected a string or an object"_s.arg(JsonFields::typeName(error)));
        return f.error();
    }
    e.format = Format::Upstream;
    e.message = shorten(upstreamMessage(object));
    if (e.message.isEmpty())
        e.message = shorten(QString::fromUtf8(trimmed));
    return e;
}

} // namespace boo
