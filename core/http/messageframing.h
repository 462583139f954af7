#pragma once

#include "core/http/httpheaders.h"

#include <QLatin1StringView>

namespace boo {

// How long a message body is, decided from its header fields by the rules of RFC 9112 §6,
// read strictly and shared by our request parser and the upstream response parser: a message
// whose length two readers could disagree on is refused, never guessed.
//
//  * Transfer-Encoding and Content-Length together: refused (a classic smuggling vector).
//  * Transfer-Encoding must end in exactly one `chunked`; other codings are not decoded here.
//  * Content-Length: digits only; repeated values (in one field or several) must all agree.
class MessageFraming final
{
public:
    enum class Kind { None, Length, Chunked, UntilClose };
    enum class Error {
        None,
        BadContentLength,         // not 1 to 18 digits
        ConflictingContentLength, // values that differ
        LengthAndChunked,         // both Content-Length and Transfer-Encoding
        ChunkedNotFinal,          // Transfer-Encoding whose last coding is not `chunked` (400)
        UnsupportedCoding,        // a coding before `chunked` that we do not decode (501)
        TransferCodingOnHttp10,   // Transfer-Encoding on HTTP/1.0 (a request)
    };

    Kind kind = Kind::None;
    qint64 length = -1; // for Kind::Length (0 is Kind::None with length 0)
    Error error = Error::None;

    bool ok() const { return error == Error::None; }
    // A request without either field has no body; HTTP/1.0 requests cannot be chunked.
    static MessageFraming forRequest(const HttpHeaders &headers, int versionMinor);
    // A response without either field runs until the connection closes. `noBody`: a response
    // to HEAD, 1xx, 204 or 304, whose framing fields describe no body here.
    static MessageFraming forResponse(const HttpHeaders &headers, bool noBody);

    static QLatin1StringView message(Error error);
    // The status a server answers a request with this error: 501 for a coding it lacks, else 400.
    static int requestStatus(Error error) { return error == Error::UnsupportedCoding ? 501 : 400; }
};

} // namespace boo
