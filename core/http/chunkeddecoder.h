#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>

#include <limits>

namespace boo {

// Decoder of the chunked transfer coding (RFC 9112 §7.1), shared by the request parser of our
// server and the response parser of the upstream connection.
//
// Pure and incremental: next() reads a prefix of its input and returns one step. Chunk data
// comes back as a view into that input, and size lines are parsed byte by byte as they arrive,
// so the decoder never copies or allocates, however the input is split. Memory stays fixed
// whatever the peer sends: trailer fields are counted and dropped, never stored.
//
// Syntax accepted (RFC 9112 §7.1, strictly, because two parsers that frame the same bytes
// differently are how requests are smuggled): a chunk size of 1 to 15 hex digits (no sign, no 0x,
// no leading whitespace), optional SP/HTAB after it, then chunk extensions that follow the
// grammar (`;name`, `;name=token`, `;name="quoted"`; ignored); every line ends in CRLF, a bare LF
// or CR is an error; trailer lines are counted and dropped.
class ChunkedDecoder final
{
public:
    struct Limits
    {
        // A chunk-size line with its extensions and its line end.
        qsizetype maxLineBytes = 4096;
        // All trailer lines together with the blank line that ends the message.
        qsizetype maxTrailerBytes = 64 * 1024;
        // The sum of all chunk sizes; checked at each size line, before any of the data arrives.
        qint64 maxBodyBytes = std::numeric_limits<qint64>::max();
    };

    enum class Error {
        None,
        BadSize,         // not 1..15 hex digits, or extensions that break the grammar
        LineTooLong,     // a chunk-size line longer than maxLineBytes
        MissingCrlf,     // chunk data not followed by CRLF (more data than announced)
        TrailerTooLarge, // trailer lines beyond maxTrailerBytes
        BodyTooLarge,    // the announced sizes add up to more than maxBodyBytes
        BareLineEnd,     // a size or trailer line that ends in LF without CR
    };

    struct Step
    {
        enum class Kind {
            NeedMore, // the input is used up; feed the next bytes
            Data,     // `data` holds chunk bytes (never empty), a view into the input
            Done,     // the message ended; bytes after `consumed` belong to the next one
            Failed,   // error() says why; the stream cannot be resynchronised
        };
        Kind kind = Kind::NeedMore;
        qsizetype consumed = 0; // bytes of the input this step used, `data` included
        QByteArrayView data;
    };

    ChunkedDecoder() = default;
    explicit ChunkedDecoder(Limits limits)
        : m_limits(limits)
    {
    }

    // Reads from the start of `input` up to the end of the next piece of chunk data, the end of
    // the message, an error, or the end of the input. Done and Failed repeat with consumed = 0.
    // A Data step that used up the input needs no further call: NeedMore would follow.
    Step next(QByteArrayView input)
    {
        // Inline for the bytes inside a chunk, which is where most reads of a stream land.
        if (m_state == State::Data && !input.isEmpty()) {
            const qsizetype take = m_remaining < input.size() ? qsizetype(m_remaining) : input.size();
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::DataCr;
            return {Step::Kind::Data, take, input.first(take)};
        }
        return nextOutsideData(input);
    }

    void reset();
    void reset(Limits limits);

    Error error() const { return m_error; }
    static QLatin1StringView message(Error error);
    bool isDone() const { return m_state == State::Done; }
    // Bytes of the current chunk not yet returned: 0 right after a Data step that completed it.
    qint64 chunkRemaining() const { return m_remaining; }
    // The sum of the chunk sizes read so far.
    qint64 bodyBytes() const { return m_bodyBytes; }

private:
    enum class State : quint8 { Size, Data, DataCr, DataLf, Trailer, Done, Failed }; // Done, Failed last
    // Where in `1a3 ;name=value;x="q"` the size line is; Cr is a CR that must be the line's last
    // byte. Bad waits for the line end to report it, so that an overlong line is reported as such
    // whatever it contains.
    enum class SizePart : quint8 {
        Digits,
        TrailingSpace,
        ExtStart,
        ExtName,
        ExtNameEnd,
        ExtValueStart,
        ExtToken,
        ExtQuoted,
        ExtQuotedEscape,
        ExtValueEnd,
        Cr,
        Bad,
    };

    Step nextOutsideData(QByteArrayView input);
    Step fail(Error error, qsizetype consumed);
    void readSizeLine(const char *from, const char *to);
    // The size line ended: moves on to Data or Trailer.
    bool acceptSize();

    Limits m_limits;
    State m_state = State::Size;
    SizePart m_sizePart = SizePart::Digits;
    Error m_sizeError = Error::None; // why the size line went Bad
    bool m_lastWasCr = false;        // of the current trailer line
    int m_sizeDigits = 0;
    Error m_error = Error::None;
    qint64 m_size = 0;      // of the chunk whose size line is being read
    qint64 m_remaining = 0; // of the chunk whose data is being read
    qint64 m_bodyBytes = 0;
    qsizetype m_lineBytes = 0; // of the current size or trailer line, its LF excluded
    qsizetype m_trailerBytes = 0;
};

} // namespace boo
