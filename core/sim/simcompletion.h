#pragma once

#include "core/common/enumnames.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace boo {

class GoJsonWriter;
struct SimActivityRow;

enum class SimEndpoint { ChatCompletions, Completions, Embeddings };
// The paths llama-server serves them on; "/completion" is its native alias of /v1/completions.
inline constexpr EnumName<SimEndpoint> kSimEndpointPaths[] = {
    {SimEndpoint::ChatCompletions, u"/v1/chat/completions"},
    {SimEndpoint::Completions, u"/v1/completions"},
    {SimEndpoint::Completions, u"/completion"},
    {SimEndpoint::Embeddings, u"/v1/embeddings"},
};

// What a simulated llama-server answers to one request, fully determined by these numbers
// and the seed, so any part of the body can be rendered again later (captures) without
// having been kept. Shapes follow llama-server: OpenAI chunks framed "data: <json>\n\n", the
// last content chunk carrying `usage` and `timings`, then "data: [DONE]".
struct SimCompletion
{
    SimEndpoint endpoint = SimEndpoint::ChatCompletions;
    QString model;
    bool stream = false;
    qint64 created = 0; // Unix seconds
    quint32 seed = 0;
    qint64 promptTokens = 0; // whole prompt, cached part included
    qint64 cacheTokens = 0;
    qint64 outputTokens = 0;
    double promptMs = 0;
    double predictedMs = 0;
    bool timings = true;
    bool speculative = false;
    // A scripted answer cut into tokens (see scriptPieces); empty: generated words.
    QStringList scripted;

    qint64 promptProcessed() const { return promptTokens - cacheTokens; }
    double promptPerSecond() const;
    double predictedPerSecond() const;
    qint64 draftTokens() const { return speculative ? outputTokens * 3 / 5 : 0; }
    qint64 draftAccepted() const { return speculative ? draftTokens() * 37 / 50 : 0; }
    QString completionId() const;
    QString tokenText(qint64 index) const;
    // A text as the tokens a stream sends: each piece is a word with the white space after it,
    // so that the pieces joined give the text back exactly.
    static QStringList scriptPieces(const QString &text);

    // Streaming pieces.
    QByteArray roleChunk() const; // chat only; empty otherwise
    QByteArray tokenChunk(qint64 index) const;
    QByteArray finalChunk() const;
    static QByteArray doneChunk();
    QByteArray streamBody() const;
    // Non-streaming body.
    QByteArray jsonBody() const;
    qint64 estimatedBodySize() const;

    QByteArray contentType() const;
    // Fills the token fields of an activity row the way llama-swap's recorder parses them.
    void fillRow(SimActivityRow &row) const;

private:
    void writeUsage(GoJsonWriter &w) const;
    void writeTimings(GoJsonWriter &w) const;
    QByteArray chunk(const QString &text, bool role, bool finish) const;
};

} // namespace boo
