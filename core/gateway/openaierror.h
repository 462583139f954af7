#pragma once

#include "core/http/httpresponse.h"

#include <QString>

namespace boo {

// Errors of the gateway (/v1/*, /upstream/*) in the shape OpenAI's API and its client
// libraries understand:
//   {"error": {"message": "...", "type": "invalid_request_error", "param": null, "code": "model_not_found"}}
// The control API (/api/*) keeps its own shape (apireply.h); clients of the gateway are chat
// apps and SDKs that only know OpenAI's.
namespace openaierror {

// The `type` OpenAI uses for a status: 401/403 authentication_error, 429 rate_limit_error,
// 5xx server_error (api_error in OpenAI's own docs, server_error in llama-swap's), else
// invalid_request_error.
QString typeForStatus(int status);
QByteArray body(int status, const QString &code, const QString &message, const QString &param = {});
HttpResponse response(int status, const QString &code, const QString &message, const QString &param = {});
// The same error as one SSE event followed by the end marker, for streams that already began.
QByteArray streamEvent(int status, const QString &code, const QString &message);

} // namespace openaierror
} // namespace boo
