#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace boo {

// A streamed (SSE) OpenAI-style answer put back together: the chunks of a chat completion (or
// a text completion) merged into the message the client ended up with, plus what the last
// chunks carried (finish reason, usage, llama-server's timings). For the capture inspector.
struct StreamedResponse
{
    int chunks = 0;    // data events with JSON
    bool done = false; // the stream ended with "data: [DONE]"
    QString id;
    QString model;
    QString role;
    QString content;
    QString reasoning;            // reasoning_content (thinking models)
    QList<QJsonObject> toolCalls; // merged by index
    QString finishReason;
    QJsonObject usage;
    QJsonObject timings; // llama-server: prompt_n, prompt_ms, predicted_per_second, ...
    QString error;       // an error event's message, if the stream carried one

    // Empty when the body is not an event stream of JSON chunks.
    static std::optional<StreamedResponse> fromSse(const QByteArray &body);

    // The final message as one chat.completion-like object (what a non-streaming call returns).
    QJsonObject toMessageJson() const;
};

} // namespace boo
