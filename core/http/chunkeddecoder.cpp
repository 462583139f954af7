#include "core/http/chunkeddecoder.h"

#include "core/common/hexdigit.h"
#include "core/http/httpsyntax.h"

#include <cstring>
#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

using Kind = ChunkedDecoder::Step::Kind;
using httpsyntax::isBlank;
using httpsyntax::isTokenChar;

// 15 hex digits are 2^60 - 1 bytes, far beyond any limit, and the value cannot overflow.
constexpr int kMaxSizeDigits = 15;

constexpr QLatin1StringView kMessages[] = {
    "no error"_L1,
    "bad chunk size or extension"_L1,
    "chunk size line too long"_L1,
    "missing CRLF after chunk data"_L1,
    "trailer block exceeds the limit"_L1,
    "chunked body exceeds the limit"_L1,
    "chunk line ends in a bare LF"_L1,
};
static_assert(std::size(kMessages) == size_t(ChunkedDecoder::Error::BareLineEnd) + 1);

// A byte that may follow a backslash in a quoted-string: HTAB, SP, VCHAR, obs-text.
constexpr bool isQuotedPairChar(char c)
{
    return httpsyntax::isFieldValueChar(c);
}

} // namespace

QLatin1StringView ChunkedDecoder::message(Error error)
{
    return kMessages[size_t(error)];
}

void ChunkedDecoder::reset()
{
    m_state = State::Size;
    m_sizePart = SizePart::Digits;
    m_sizeError = Error::None;
    m_lastWasCr = false;
    m_sizeDigits = 0;
    m_error = Error::None;
    m_size = 0;
    m_remaining = 0;
    m_bodyBytes = 0;
    m_lineBytes = 0;
    m_trailerBytes = 0;
}

void ChunkedDecoder::reset(Limits limits)
{
    m_limits = limits;
    reset();
}

ChunkedDecoder::Step ChunkedDecoder::fail(Error error, qsizetype consumed)
{
    m_state = State::Failed;
    m_error = error;
    return {Kind::Failed, consumed, {}};
}

void ChunkedDecoder::readSizeLine(const char *p, const char *end)
{
    m_lineBytes += end - p;
    for (; p != end && m_sizePart != SizePart::Bad; ++p) {
        const char c = *p;
        SizePart next = SizePart::Bad;
        switch (m_sizePart) {
        case SizePart::Digits:
            if (const int d = hexDigitValue(c); d >= 0) {
                if (++m_sizeDigits <= kMaxSizeDigits) {
                    m_size = m_size * 16 + d;
                    next = SizePart::Digits;
                }
            } else if (m_sizeDigits > 0) { // a sign, "0x", ';' or blank where the size should be
                next = isBlank(c) ? SizePart::TrailingSpace : c == ';' ? SizePart::ExtStart : c == '\r' ? SizePart::Cr : SizePart::Bad;
            }
            break;
        case SizePart::TrailingSpace:
        case SizePart::ExtNameEnd:
        case SizePart::ExtValueEnd:
            if (isBlank(c))
                next = m_sizePart;
            else if (c == ';')
                next = SizePart::ExtStart;
            else if (c == '\r')
                next = SizePart::Cr;
            else if (c == '=' && m_sizePart == SizePart::ExtNameEnd)
                next = SizePart::ExtValueStart;
            break;
        case SizePart::ExtStart: next = isBlank(c) ? SizePart::ExtStart : isTokenChar(c) ? SizePart::ExtName : SizePart::Bad; break;
        case SizePart::ExtName:
            if (isTokenChar(c))
                next = SizePart::ExtName;
            else if (isBlank(c))
                next = SizePart::ExtNameEnd;
            else if (c == '=')
                next = SizePart::ExtValueStart;
            else if (c == ';')
                next = SizePart::ExtStart;
            else if (c == '\r')
                next = SizePart::Cr;
            break;
        case SizePart::ExtValueStart:
            next = isBlank(c)    ? SizePart::ExtValueStart
                : c == '"'       ? SizePart::ExtQuoted
                : isTokenChar(c) ? SizePart::ExtToken
                                 : SizePart::Bad;
            break;
        case SizePart::ExtToken:
            if (isTokenChar(c))
                next = SizePart::ExtToken;
            else if (isBlank(c))
                next = SizePart::ExtValueEnd;
            else if (c == ';')
                next = SizePart::ExtStart;
            else if (c == '\r')
                next = SizePart::Cr;
            break;
        case SizePart::ExtQuoted:
            if (c == '"')
                next = SizePart::ExtValueEnd;
            else if (c == '\\')
                next = SizePart::ExtQuotedEscape;
            else if (httpsyntax::isQuotedTextChar(c))
                next = SizePart::ExtQuoted;
            break;
        case SizePart::ExtQuotedEscape: next = isQuotedPairChar(c) ? SizePart::ExtQuoted : SizePart::Bad; break;
        case SizePart::Cr: // a CR not followed by the LF that ends the line
        case SizePart::Bad: break;
        }
        m_sizePart = next;
    }
}

bool ChunkedDecoder::acceptSize()
{
    // The LF has come: the line is good when a CR just before it ended a well-formed size.
    const SizePart part = m_sizePart;
    const qint64 size = m_size;
    const bool digits = m_sizeDigits > 0;
    m_sizePart = SizePart::Digits;
    m_sizeDigits = 0;
    m_size = 0;
    m_lineBytes = 0;
    if (part != SizePart::Cr || !digits) {
        // "5\n": a size that would be fine with its CR is a bare line end, not a bad size.
        m_error = part == SizePart::Bad || !digits || part == SizePart::ExtStart || part == SizePart::ExtValueStart
                || part == SizePart::ExtQuoted || part == SizePart::ExtQuotedEscape
            ? Error::BadSize
            : Error::BareLineEnd;
        return false;
    }
    if (size == 0) {
        m_state = State::Trailer;
        return true;
    }
    // Refused at the size line, before a byte of the chunk is read (m_bodyBytes <= the limit).
    if (size > m_limits.maxBodyBytes - m_bodyBytes) {
        m_error = Error::BodyTooLarge;
        return false;
    }
    m_bodyBytes += size;
    m_remaining = size;
    m_state = State::Data;
    return true;
}

ChunkedDecoder::Step ChunkedDecoder::nextOutsideData(QByteArrayView input)
{
    const char *const data = input.data();
    const qsizetype size = input.size();
    qsizetype pos = 0;
    for (;;) {
        if (pos == size && m_state < State::Done)
            return {Kind::NeedMore, pos, {}};
        switch (m_state) {
        case State::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_remaining, size - pos));
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::DataCr;
            return {Kind::Data, pos + take, QByteArrayView(data + pos, take)};
        }
        case State::DataCr:
            // Exactly CRLF: anything else means the peer sent more than it announced, or frames
            // lines differently from a strict reader.
            if (data[pos] != '\r')
                return fail(Error::MissingCrlf, pos);
            m_state = State::DataLf;
            ++pos;
            break;
        case State::DataLf:
            if (data[pos] != '\n')
                return fail(Error::MissingCrlf, pos);
            m_state = State::Size;
            ++pos;
            break;
        case State::Size: {
            const auto *lf = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(size - pos)));
            readSizeLine(data + pos, lf ? lf : data + size);
            if (!lf) {
                // The line goes on in the next input. Fail as soon as its end can no longer fit.
                if (m_lineBytes >= m_limits.maxLineBytes)
                    return fail(Error::LineTooLong, pos);
                return {Kind::NeedMore, size, {}};
            }
            if (m_lineBytes + 1 > m_limits.maxLineBytes)
                return fail(Error::LineTooLong, pos);
            if (!acceptSize())
                return fail(m_error, pos);
            pos = lf - data + 1;
            break;
        }
        case State::Trailer: {
            // Trailer fields are counted and dropped: nothing here uses them, and keeping them
            // would let a peer make us store without bound.
            const auto *lf = static_cast<const char *>(std::memchr(data + pos, '\n', size_t(size - pos)));
            const qsizetype lineEnd = lf ? lf - data : size;
            const qsizetype used = (lf ? lineEnd + 1 : size) - pos;
            m_trailerBytes += used;
            if (m_trailerBytes > m_limits.maxTrailerBytes)
                return fail(Error::TrailerTooLarge, pos);
            if (lineEnd > pos)
                m_lastWasCr = data[lineEnd - 1] == '\r';
            m_lineBytes += lineEnd - pos;
            pos += used;
            if (!lf)
                break;
            if (!m_lastWasCr)
                return fail(Error::BareLineEnd, pos - 1);
            const bool blank = m_lineBytes == 1;
            m_lineBytes = 0;
            m_lastWasCr = false;
            if (blank) {
                m_state = State::Done;
                return {Kind::Done, pos, {}};
            }
            break;
        }
        case State::Done: return {Kind::Done, pos, {}};
        case State::Failed: return {Kind::Failed, pos, {}};
        }
    }
}

} // namespace boo
