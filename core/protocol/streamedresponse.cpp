#include "core/protocol/streamedresponse.h"

#include "core/protocol/sseparser.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Tool call deltas arrive in pieces per index: the id and name once, the arguments in parts.
void mergeToolCall(QList<QJsonObject> &calls, const QJsonObject &delta)
{
    const int index = delta.value(u"index"_s).toInt(int(calls.size()));
    while (calls.size() <= index)
        calls << QJsonObject{{u"type"_s, u"function"_s}};
    QJsonObject &call = calls[index];
    if (delta.contains(u"id"_s))
        call.insert(u"id"_s, delta.value(u"id"_s));
    const QJsonObject function = delta.value(u"function"_s).toObject();
    QJsonObject merged = call.value(u"function"_s).toObject();
    if (function.contains(u"name"_s))
        merged.insert(u"name"_s, QString(merged.value(u"name"_s).toString() + function.value(u"name"_s).toString()));
    if (function.contains(u"arguments"_s))
        merged.insert(u"arguments"_s, QString(merged.value(u"arguments"_s).toString() + function.value(u"arguments"_s).toString()));
    call.insert(u"function"_s, merged);
}

} // namespace

std::optional<StreamedResponse> StreamedResponse::fromSse(const QByteArray &body)
{
    SseParser parser;
    QList<SseEvent> events = parser.feed(body);
    events += parser.feed("\n\n"); // a body cut without its final blank line still counts
    StreamedResponse r;
    for (const SseEvent &event : std::as_const(events)) {
        const QByteArray data = event.data.trimmed();
        if (data == "[DONE]") {
            r.done = true;
            continue;
        }
        const QJsonObject chunk = QJsonDocument::fromJson(data).object();
        if (chunk.isEmpty())
            continue;
        ++r.chunks;
        if (chunk.contains(u"error"_s)) {
            const QJsonValue error = chunk.value(u"error"_s);
            r.error = error.isObject() ? error.toObject().value(u"message"_s).toString() : error.toString();
        }
        if (r.id.isEmpty())
            r.id = chunk.value(u"id"_s).toString();
        if (r.model.isEmpty())
            r.model = chunk.value(u"model"_s).toString();
        if (chunk.value(u"usage"_s).isObject())
            r.usage = chunk.value(u"usage"_s).toObject();
        if (chunk.value(u"timings"_s).isObject())
            r.timings = chunk.value(u"timings"_s).toObject();
        for (const QJsonValue &value : chunk.value(u"choices"_s).toArray()) {
            const QJsonObject choice = value.toObject();
            if (choice.value(u"index"_s).toInt() != 0)
                continue; // n > 1 is rare; the first choice is what a client shows
            const QJsonObject delta = choice.value(u"delta"_s).toObject();
            if (delta.value(u"role"_s).isString())
                r.role = delta.value(u"role"_s).toString();
            r.content += delta.value(u"content"_s).toString();
            r.reasoning += delta.value(u"reasoning_content"_s).toString();
            r.content += choice.value(u"text"_s).toString(); // /v1/completions
            for (const QJsonValue &call : delta.value(u"tool_calls"_s).toArray())
                mergeToolCall(r.toolCalls, call.toObject());
            if (choice.value(u"finish_reason"_s).isString())
                r.finishReason = choice.value(u"finish_reason"_s).toString();
        }
    }
    if (r.chunks == 0)
        return std::nullopt;
    return r;
}

QJsonObject StreamedResponse::toMessageJson() const
{
    QJsonObject message{{u"role"_s, role.isEmpty() ? u"assistant"_s : role}, {u"content"_s, content}};
    if (!reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, reasoning);
    if (!toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const QJsonObject &call : toolCalls)
            calls.append(call);
        message.insert(u"tool_calls"_s, calls);
    }
    QJsonObject out{{u"id"_s, id},
                    {u"model"_s, model},
                    {u"object"_s, u"chat.completion"_s},
                    {u"choices"_s,
                     QJsonArray{QJsonObject{{u"index"_s, 0},
                                            {u"message"_s, message},
                                            {u"finish_reason"_s, finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)}}}}};
    if (!usage.isEmpty())
        out.insert(u"usage"_s, usage);
    if (!timings.isEmpty())
        out.insert(u"timings"_s, timings);
    return out;
}

} // namespace boo
