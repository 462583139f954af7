#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace boo {

struct ChatMessage
{
    QString role; // "user", "assistant" (the system prompt is ChatRequest::systemPrompt)
    QString content;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

// One turn of the Playground as an OpenAI chat request: the conversation, the sampling
// parameters the operator set (an unset one is left out, so the host's own default applies) and
// raw JSON extras for anything the form does not know (min_p, repeat_penalty, grammar, ...).
struct ChatRequest
{
    QList<ChatMessage> messages;
    QString systemPrompt;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<int> maxTokens;
    std::optional<qint64> seed;
    QStringList stop;
    QJsonObject extras;

    // The body for POST /v1/chat/completions with stream:true. Extras are merged last so that an
    // operator can override anything the form wrote, except `model`, `messages` and `stream`:
    // those decide where the request goes and how it is read.
    QJsonObject toJson(const QString &model) const;

    // The extras box: empty text is no extras; anything else must be one JSON object.
    static Result<QJsonObject> parseExtras(const QString &text);

    friend bool operator==(const ChatRequest &, const ChatRequest &) = default;
};

} // namespace boo
