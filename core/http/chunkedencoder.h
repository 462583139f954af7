#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace boo {

// Encoder of the chunked transfer coding (RFC 9112 §7.1): what ChunkedDecoder reads.
class ChunkedEncoder final
{
public:
    // The last chunk with an empty trailer: it ends the body.
    static constexpr QByteArrayView kLastChunk{"0\r\n\r\n"};

    // Appends `data` as one chunk: its size in lower-case hex, CRLF, the data, CRLF; written in
    // place, with one growth of `out` at most. Empty data appends nothing, because an empty
    // chunk would end the body. `data` must not point into `out`.
    static void appendChunk(QByteArray &out, QByteArrayView data);
};

} // namespace boo
