#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace boo {

// Token usage an OpenAI-compatible host reported for one answer: `usage.prompt_tokens` and
// `usage.completion_tokens` (embeddings report prompt tokens only).
struct ReportedUsage
{
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
};

// Finds the usage in an answer as the gateway relays it, for the token limits of consumer keys.
// A JSON answer is kept up to a cap and read at the end; a stream is handed over in whole SSE
// events, and only an event that mentions "usage" is parsed (llama-server and llama-swap put it
// in the last chunk), so a long stream costs one substring search per read.
class UsageScanner final
{
public:
    static constexpr qsizetype kMaxJsonBody = 4 * 1024 * 1024;

    explicit UsageScanner(bool sse)
        : m_sse(sse)
    {
    }

    // Whole SSE events (for a stream) or the next bytes of a JSON body.
    void feed(QByteArrayView data);
    // What the answer reported, once it is over; nullopt when it reported nothing readable.
    std::optional<ReportedUsage> finish();

    // The `usage` object of one JSON document.
    static std::optional<ReportedUsage> fromJson(QByteArrayView json);

private:
    bool m_sse;
    bool m_overflow = false;
    QByteArray m_body;
    std::optional<ReportedUsage> m_found;
};

} // namespace boo
