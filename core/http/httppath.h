#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>

namespace boo {

// The one reading of a request path that authorisation, routing, the WebSocket paths and the
// gateway's pass-through all decide on. A path that different readers could resolve to
// different resources is refused rather than normalised into one of them:
//  * dot-segments ("." and "..", also as %2e) — a proxy behind us, or the host's own router,
//    would resolve them and leave the prefix we checked (/upstream/m/../../api/...);
//  * encoded slashes and backslashes (%2f, %5c) and raw backslashes — one reader's segment is
//    another's two;
//  * encoded control characters (%00-%1f, %7f).
// Empty segments ("//") are collapsed: they name no resource of ours. Everything else keeps its
// encoding, so that "/api/ws/%63ontrol" still reaches /api/ws/control, where every reader
// (authorisation included) decodes it the same way.
class HttpPath final
{
public:
    enum class Error { None, NotAbsolute, BadEscape, DotSegment, EncodedSlash, ControlCharacter };

    struct Normalised
    {
        QByteArray path; // still percent-encoded; empty on error
        Error error = Error::None;
        bool ok() const { return error == Error::None; }
    };

    // `rawPath`: the path of a request-target, without the query. "*" (OPTIONS) passes as is.
    static Normalised normalise(QByteArrayView rawPath);
    static QLatin1StringView message(Error error);
};

} // namespace boo
