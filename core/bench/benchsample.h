#pragma once

#include "core/common/enumnames.h"

#include <QList>
#include <QString>

#include <optional>

namespace boo {

// Why a benchmark request did not count as a success. Kinds, not messages: cells count errors by
// kind, and the kinds are stored.
enum class BenchErrorKind {
    None,
    Connect,     // refused or unreachable: the host never saw the request
    Timeout,     // no answer head, first token or next chunk in time
    Http429,     // the host (or gateway) shed the request
    Http4xx,     // refused as a bad request (a wrong model name, a missing key)
    Http5xx,     // failed on the host
    Reset,       // the connection broke before the answer was complete
    StreamError, // an error event inside the stream (the gateway's upstream_failed)
    Incomplete,  // the stream ended without [DONE] (a model process that died mid-answer)
    Protocol,    // not HTTP, not an event stream, or not JSON inside
};
inline constexpr EnumName<BenchErrorKind> kBenchErrorKindNames[] = {
    {BenchErrorKind::None, u"none"},         {BenchErrorKind::Connect, u"connect"},          {BenchErrorKind::Timeout, u"timeout"},
    {BenchErrorKind::Http429, u"http_429"},  {BenchErrorKind::Http4xx, u"http_4xx"},         {BenchErrorKind::Http5xx, u"http_5xx"},
    {BenchErrorKind::Reset, u"reset"},       {BenchErrorKind::StreamError, u"stream_error"}, {BenchErrorKind::Incomplete, u"incomplete"},
    {BenchErrorKind::Protocol, u"protocol"},
};
QString benchErrorKindName(BenchErrorKind kind);

// One measured request, as the client saw it (all times in ms from the moment its bytes went
// out), plus the host's own account (`timings`) when it sent one.
struct BenchSample
{
    int repetition = 0;     // 0-based; -1 for warmup and cold-start requests
    int index = 0;          // the prompt index (which synthetic prompt it sent)
    qint64 startedAtMs = 0; // UTC epoch ms when it was sent
    int status = 0;         // HTTP status; 0 when no answer head came
    BenchErrorKind error = BenchErrorKind::None;
    QString errorMessage;
    QString host; // the provider that answered (X-Boo-Host through a gateway)

    std::optional<double> ttftMs;    // sent -> first content token
    double e2eMs = 0;                // sent -> last byte of the answer
    QList<double> itlMs;             // gaps between consecutive content chunks
    int outputTokens = 0;            // usage.completion_tokens, else content chunks counted
    std::optional<int> promptTokens; // usage.prompt_tokens
    bool outputTokensFromUsage = false;
    // The answer's text, kept only when the sender asked for it (evals score it; benchmarks
    // would only hold thousands of texts nobody reads).
    bool keepContent = false;
    QString content;

    std::optional<double> hostPromptPerSecond;    // timings.prompt_per_second
    std::optional<double> hostPredictedPerSecond; // timings.predicted_per_second
    std::optional<double> hostPromptMs;           // timings.prompt_ms

    bool ok() const { return error == BenchErrorKind::None; }
    // (e2e − TTFT) / (output tokens − 1): the decode time per token after the first.
    std::optional<double> tpotMs() const;
};

} // namespace boo
