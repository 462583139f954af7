#pragma once

#include "core/protocol/capture.h"

#include <QUrl>

namespace boo {

// "Copy as curl" for a capture: the request as it went upstream, against the host's base URL.
// Headers llama-swap redacted ("[REDACTED]"), and credential headers an older host did not,
// become a shell variable the user fills in, e.g. -H "Authorization: Bearer $LLAMA_SWAP_API_KEY":
// a copied command never carries a secret.
// Hop-by-hop and length headers are left out (curl sets them); the body goes through a quoted
// here-document so that any byte of JSON is safe in a POSIX shell.
class CurlCommand final
{
public:
    static QString fromCapture(const Capture &capture, const QUrl &baseUrl);
    // 'text' with single quotes escaped for a POSIX shell.
    static QString shellQuote(const QString &text);
};

} // namespace boo
