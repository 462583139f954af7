#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace boo {

// The body of a failed llama-swap (or upstream) HTTP answer, in whichever of its shapes:
//   Structured  {"src":"llama-swap","error":{"message","type","param","code"}}   (after v250)
//   Legacy      {"src":"llama-swap","error":"<message>"}                       (<= v250)
//   Upstream    any other JSON with an error message (llama-server, vLLM, peers)
//   PlainText   "llama-swap: <message>", Go's "404 page not found\n", http.Error bodies
//   Html        the text/html variant; the message is taken from its <p>
struct ApiError
{
    enum class Format { Structured, Legacy, Upstream, PlainText, Html };

    Format format = Format::PlainText;
    bool fromLlamaSwap = false; // "src":"llama-swap" or the "llama-swap: " text prefix
    QString message;
    QString type; // structured only: invalid_request_error, server_error, ...
    QString code; // structured only: not_found, concurrency_limit, ...

    // Never fails on text: anything that is not JSON is a plain-text message. Fails only for an
    // empty body and for a llama-swap envelope whose `error` has an impossible type.
    static Result<ApiError> fromBody(const QByteArray &body);

    friend bool operator==(const ApiError &, const ApiError &) = default;
};

} // namespace boo
