#include "core/http/messageframing.h"

#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr QLatin1StringView kMessages[] = {
    "no error"_L1,
    "bad Content-Length"_L1,
    "conflicting Content-Length"_L1,
    "ambiguous message length: Content-Length and Transfer-Encoding"_L1,
    "Transfer-Encoding must end in chunked"_L1,
    "unsupported transfer coding"_L1,
    "Transfer-Encoding on HTTP/1.0"_L1,
};
static_assert(std::size(kMessages) == size_t(MessageFraming::Error::TransferCodingOnHttp10) + 1);

MessageFraming failed(MessageFraming::Error error)
{
    MessageFraming f;
    f.error = error;
    return f;
}

// The codings of all Transfer-Encoding fields, in order (empty list elements are skipped, as
// RFC 9110 §5.6.1 asks of a recipient).
QList<QByteArray> codings(const HttpHeaders &headers)
{
    QList<QByteArray> out;
    for (const QByteArray &field : headers.values("transfer-encoding")) {
        for (const QByteArray &item : field.split(',')) {
            const QByteArray coding = item.trimmed().toLower();
            if (!coding.isEmpty())
                out.append(coding);
        }
    }
    return out;
}

// Every Content-Length value (each field may hold a list), all equal; -1 without the field.
MessageFraming::Error contentLength(const HttpHeaders &headers, qint64 *length)
{
    *length = -1;
    for (const QByteArray &field : headers.values("content-length")) {
        for (const QByteArray &item : field.split(',')) {
            const QByteArray digits = item.trimmed();
            if (digits.isEmpty() || digits.size() > 18)
                return MessageFraming::Error::BadContentLength;
            qint64 v = 0;
            for (char c : digits) {
                if (c < '0' || c > '9')
                    return MessageFraming::Error::BadContentLength;
                v = v * 10 + (c - '0');
            }
            if (*length >= 0 && v != *length)
                return MessageFraming::Error::ConflictingContentLength;
            *length = v;
        }
    }
    return MessageFraming::Error::None;
}

MessageFraming decide(const HttpHeaders &headers, bool untilCloseWithoutLength)
{
    const bool hasTransferEncoding = headers.contains("transfer-encoding");
    qint64 length = -1;
    const MessageFraming::Error lengthError = contentLength(headers, &length);
    if (hasTransferEncoding) {
        if (headers.contains("content-length"))
            return failed(MessageFraming::Error::LengthAndChunked);
        const QList<QByteArray> list = codings(headers);
        if (list.isEmpty() || list.last() != "chunked" || list.count("chunked"_ba) != 1)
            return failed(MessageFraming::Error::ChunkedNotFinal);
        if (list.size() != 1)
            return failed(MessageFraming::Error::UnsupportedCoding);
        MessageFraming f;
        f.kind = MessageFraming::Kind::Chunked;
        return f;
    }
    if (lengthError != MessageFraming::Error::None)
        return failed(lengthError);
    MessageFraming f;
    if (length > 0) {
        f.kind = MessageFraming::Kind::Length;
        f.length = length;
    } else if (length == 0) {
        f.length = 0;
    } else if (untilCloseWithoutLength) {
        f.kind = MessageFraming::Kind::UntilClose;
    }
    return f;
}

} // namespace

QLatin1StringView MessageFraming::message(Error error)
{
    return kMessages[size_t(error)];
}

MessageFraming MessageFraming::forRequest(const HttpHeaders &headers, int versionMinor)
{
    if (versionMinor == 0 && headers.contains("transfer-encoding"))
        return failed(Error::TransferCodingOnHttp10);
    return decide(headers, false);
}

MessageFraming MessageFraming::forResponse(const HttpHeaders &headers, bool noBody)
{
    // Even where the fields describe no body, fields that contradict each other mean a peer
    // that frames differently from us: refuse the response rather than guess.
    MessageFraming f = decide(headers, true);
    if (f.ok() && noBody) {
        f.kind = Kind::None;
        f.length = -1;
    }
    return f;
}

} // namespace boo
