#pragma once

#include "core/http/httpresponse.h"
#include "core/sim/simconfig.h"

namespace boo {

class HttpRequest;

// llama-swap's SendError (reference §0.1): the body follows the request's Accept header
// (text/plain, text/html, else JSON); the JSON shape depends on the release.
class SimErrors final
{
public:
    // `accept`: the request's Accept header (empty for internal traffic: JSON).
    static HttpResponse response(const QByteArray &accept, SimCompat compat, int status, const QString &message,
                                 const QString &codeOverride = {});
    static HttpResponse response(const HttpRequest &request, SimCompat compat, int status, const QString &message);
    // What llama-swap's recorder stores as error_msg for a non-200 body (reference §4.2).
    static QString extractMessage(int status, const QByteArray &body);
    static QByteArray jsonBody(SimCompat compat, int status, const QString &message, const QString &codeOverride = {});
    static QString errorType(int status);
    static QString errorCode(int status);
};

} // namespace boo
