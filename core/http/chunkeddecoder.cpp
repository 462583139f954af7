#include "core/http/chunkeddecoder.h"

#include "core/common/hexdigit.h"

#include <cstring>
#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

using Kind = ChunkedDecoder::Step::Kind;

// 15 hex digits are 2^60 - 1 bytes, far beyond any limit, and the value cannot overflow.
constexpr int kMaxSizeDigits = 15;

// The whitespace QByteArrayView::trimmed() removes: the parsers before this one accepted it
// around the size.
constexpr bool isSpace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

constexpr QLatin1StringView kMessages[] = {
    "no error"_L1,
    "bad chunk size"_L1,
    "chunk size line too long"_L1,
    "missing CRLF after chunk data"_L1,
    "trailer block exceeds the limit"_L1,
    "chunked body exceeds the limit"_L1,
};
static_assert(std::size(kMessages) == size_t(ChunkedDecoder::Error::BodyTooLarge) + 1);

} // namespace

QLatin1StringView ChunkedDecoder::message(Error error)
{
    return kMessages[size_t(error)];
}

void ChunkedDecoder::reset()
{
    m_state = State::Size;
    m_sizePart = SizePart::LeadingSpace;
    m_trailerLineStartsWithCr = false;
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
    for (; p != end; ++p) {
        const char c = *p;
        switch (m_sizePart) {
        case SizePart::LeadingSpace:
            if (isSpace(c))
                break;
            m_sizePart = SizePart::Digits;
            [[fallthrough]];
        case SizePart::Digits:
            if (const int d = hexDigitValue(c); d >= 0) {
                if (++m_sizeDigits > kMaxSizeDigits)
                    m_sizePart = SizePart::Bad;
                else
                    m_size = m_size * 16 + d;
                break;
            }
            if (m_sizeDigits == 0) { // a sign, "0x", ';' or junk where the size should be
                m_sizePart = SizePart::Bad;
                break;
            }
            m_sizePart = SizePart::TrailingSpace;
            [[fallthrough]];
        case SizePart::TrailingSpace:
            if (!isSpace(c))
                m_sizePart = c == ';' ? SizePart::Extensions : SizePart::Bad;
            break;
        case SizePart::Extensions:
        case SizePart::Bad: return; // nothing later on the line changes the verdict
        }
    }
}

bool ChunkedDecoder::acceptSize()
{
    const bool valid = m_sizeDigits > 0 && m_sizePart != SizePart::Bad;
    const qint64 size = m_size;
    m_sizePart = SizePart::LeadingSpace;
    m_sizeDigits = 0;
    m_size = 0;
    m_lineBytes = 0;
    if (!valid) {
        m_error = Error::BadSize;
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
            // Exactly CRLF or LF: anything else means the peer sent more than it announced.
            if (data[pos] == '\r')
                m_state = State::DataLf;
            else if (data[pos] == '\n')
                m_state = State::Size;
            else
                return fail(Error::MissingCrlf, pos);
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
            if (m_lineBytes == 0 && lineEnd > pos)
                m_trailerLineStartsWithCr = data[pos] == '\r';
            m_lineBytes += lineEnd - pos;
            pos += used;
            if (!lf)
                break;
            const bool blank = m_lineBytes == 0 || (m_lineBytes == 1 && m_trailerLineStartsWithCr);
            m_lineBytes = 0;
            m_trailerLineStartsWithCr = false;
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
