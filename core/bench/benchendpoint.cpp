#include "core/bench/benchendpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

QByteArray BenchEndpoint::chatRequest(const QString &prompt, int maxTokens, bool ignoreEos) const
{
    const QJsonObject message{{u"role"_s, u"user"_s}, {u"content"_s, prompt}};
    QJsonObject body{
        {u"model"_s, wireModel},
        {u"messages"_s, QJsonArray{message}},
        {u"max_tokens"_s, maxTokens},
        {u"stream"_s, true},
        {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}},
        {u"temperature"_s, 0},
    };
    if (ignoreEos)
        body.insert(u"ignore_eos"_s, true);
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray out;
    out.reserve(json.size() + 320);
    out += "POST " + upstream.pathFor(u"/v1/chat/completions"_s) + " HTTP/1.1\r\nHost: " + upstream.hostHeader + "\r\n";
    if (!upstream.authorization.isEmpty())
        out += "Authorization: " + upstream.authorization + "\r\n";
    out += "X-Boo-Source: " + source.toUtf8() + "\r\n";
    out += "Content-Type: application/json\r\nAccept: text/event-stream\r\n";
    out += "Content-Length: " + QByteArray::number(json.size()) + "\r\n\r\n";
    out += json;
    return out;
}

} // namespace boo
