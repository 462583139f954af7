#include "core/client/chatrequest.h"

#include "core/common/jsonreader.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace boo {

QJsonObject ChatRequest::toJson(const QString &model) const
{
    QJsonObject body = extras;
    QJsonArray wire;
    if (!systemPrompt.isEmpty())
        wire.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, systemPrompt}});
    for (const ChatMessage &m : messages)
        wire.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
    const auto setUnlessExtra = [&](const QString &key, const QJsonValue &value) {
        if (!extras.contains(key))
            body.insert(key, value);
    };
    if (temperature)
        setUnlessExtra(u"temperature"_s, *temperature);
    if (topP)
        setUnlessExtra(u"top_p"_s, *topP);
    if (topK)
        setUnlessExtra(u"top_k"_s, *topK);
    if (maxTokens)
        setUnlessExtra(u"max_tokens"_s, *maxTokens);
    if (seed)
        setUnlessExtra(u"seed"_s, *seed);
    if (!stop.isEmpty())
        setUnlessExtra(u"stop"_s, QJsonArray::fromStringList(stop));
    // usage in the last chunk gives the exact token count for tokens/s (llama-server, vLLM).
    if (!extras.contains(u"stream_options"_s))
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    body.insert(u"model"_s, model);
    body.insert(u"messages"_s, wire);
    body.insert(u"stream"_s, true);
    return body;
}

Result<QJsonObject> ChatRequest::parseExtras(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QJsonObject{};
    static constexpr JsonErrorCodes codes{"chat.extras", "chat.extras", "chat.extras"};
    return JsonReader::parseObject(text.toUtf8(), u"the extra JSON parameters"_s, codes);
}

} // namespace boo
