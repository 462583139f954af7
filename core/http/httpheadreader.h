#pragma once

#include "core/http/httpheaders.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>

namespace boo {

// Strict reading of an HTTP/1.1 head block (RFC 9112 §2.2, §5), shared by the request parser of
// our server and the response parser of the upstream connection, so that both read the same
// bytes the same way: every line ends in CRLF (a bare LF or CR is an error, not a line end), no
// obsolete line folding, field names are tokens, values hold no control characters, and the
// number of fields is bounded.
class HttpHeadReader final
{
public:
    enum class Error {
        None,
        Empty,         // no start line
        BareLineEnd,   // a line that ends in LF without CR, or a CR inside a line
        ObsoleteFold,  // a field line that starts with whitespace
        BadFieldName,  // no colon, or a name that is not a token (space before the colon)
        BadFieldValue, // a control character in a value
        TooManyFields, // more field lines than allowed (431)
    };

    // `head`: the start line, the field lines and the blank line that ends them, as found by
    // findHeadEnd(). On success *startLine is the first line without its CRLF and *fields holds
    // the fields in order, values without surrounding whitespace.
    static Error read(QByteArrayView head, qsizetype maxFields, QByteArrayView *startLine, HttpHeaders *fields);
    static QLatin1StringView message(Error error);

    // Offset just past the first blank line at or after `from` ("\n\n" or "\n\r\n", so that a
    // head with bare line ends is found and refused at once, not waited for), or -1.
    static qsizetype findBlankLine(QByteArrayView data, qsizetype from = 0);
};

} // namespace boo
