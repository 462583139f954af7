#include "core/http/websocketframeparser.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

enum Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

constexpr bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(QByteArrayView s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const auto *end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int more = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((c & 0xe0) == 0xc0) {
            more = 1;
            cp = c & 0x1f;
            min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2;
            cp = c & 0x0f;
            min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (end - p <= more)
            return false;
        for (int i = 1; i <= more; ++i) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += more + 1;
    }
    return true;
}

// Close codes a peer may send (RFC 6455 §7.4; 1004-1006 and 1015 never go on the wire).
bool isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

} // namespace

WebSocketFrameParser::Event WebSocketFrameParser::fail(quint16 code, QLatin1StringView reason, qsizetype consumed)
{
    m_state = State::Finished;
    m_errorCode = code;
    m_reason = reason;
    m_frame.clear();
    m_message.clear();
    Event e;
    e.kind = Event::Kind::Failed;
    e.consumed = consumed;
    e.closeCode = code;
    return e;
}

int WebSocketFrameParser::headerSize() const
{
    if (m_headerBytes < 2)
        return 2;
    const int len7 = m_header[1] & 0x7f;
    return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((m_header[1] & 0x80) ? 4 : 0);
}

bool WebSocketFrameParser::acceptHeader(qsizetype consumed, Event *failed)
{
    const auto bad = [&](quint16 code, QLatin1StringView why) {
        *failed = fail(code, why, consumed);
        return false;
    };
    m_fin = m_header[0] & 0x80;
    m_opcode = m_header[0] & 0x0f;
    m_masked = m_header[1] & 0x80;
    const int len7 = m_header[1] & 0x7f;
    int at = 2;
    if (len7 == 126) {
        m_payloadLength = (qint64(m_header[2]) << 8) | m_header[3];
        at = 4;
        if (m_payloadLength < 126)
            return bad(kProtocolError, "payload length not in its shortest form"_L1);
    } else if (len7 == 127) {
        if (m_header[2] & 0x80)
            return bad(kProtocolError, "payload length with its top bit set"_L1);
        m_payloadLength = 0;
        for (int i = 2; i < 10; ++i)
            m_payloadLength = (m_payloadLength << 8) | m_header[i];
        at = 10;
        if (m_payloadLength <= 0xffff)
            return bad(kProtocolError, "payload length not in its shortest form"_L1);
    } else {
        m_payloadLength = len7;
    }
    if (m_masked) {
        for (int i = 0; i < 4; ++i)
            m_mask[i] = m_header[at + i];
    }
    if (!isControl(m_opcode)) {
        // From the header alone: nothing of an oversize frame or message is ever buffered.
        if (m_payloadLength > m_limits.maxFrameBytes)
            return bad(kMessageTooBig, "frame too big"_L1);
        if (qint64(m_message.size()) + m_payloadLength > m_limits.maxMessageBytes)
            return bad(kMessageTooBig, "message too big"_L1);
    }
    m_frame.clear();
    m_frame.reserve(qsizetype(m_payloadLength));
    return true;
}

WebSocketFrameParser::Event WebSocketFrameParser::finishFrame(qsizetype consumed)
{
    m_state = State::Header;
    m_headerBytes = 0;
    Event e;
    e.consumed = consumed;
    switch (m_opcode) {
    case Close: {
        if (m_frame.size() == 1)
            return fail(kProtocolError, "close frame with a one-byte payload"_L1, consumed);
        e.closeCode = 1005; // no status code was present
        if (m_frame.size() >= 2) {
            e.closeCode = quint16((quint8(m_frame[0]) << 8) | quint8(m_frame[1]));
            if (!isValidCloseCode(e.closeCode))
                return fail(kProtocolError, "invalid close code"_L1, consumed);
            if (!isValidUtf8(QByteArrayView(m_frame).sliced(2)))
                return fail(kInvalidPayload, "close reason is not UTF-8"_L1, consumed);
            e.payload = m_frame.sliced(2);
        }
        m_state = State::Finished;
        e.kind = Event::Kind::Close;
        return e;
    }
    case Ping:
        e.kind = Event::Kind::Ping;
        e.payload = std::exchange(m_frame, {});
        return e;
    case Pong:
        e.kind = Event::Kind::Pong;
        e.payload = std::exchange(m_frame, {});
        return e;
    default: break;
    }
    // A data frame: the first of a message (Text, Binary) or its continuation.
    if (m_opcode != Continuation)
        m_messageOpcode = m_opcode;
    m_message += m_frame;
    m_frame.clear();
    if (!m_fin) {
        e.kind = Event::Kind::NeedMore;
        return e;
    }
    const quint8 opcode = std::exchange(m_messageOpcode, quint8(0));
    e.payload = std::exchange(m_message, {});
    if (opcode == Text && !isValidUtf8(e.payload))
        return fail(kInvalidPayload, "text message is not UTF-8"_L1, consumed);
    e.kind = opcode == Text ? Event::Kind::Text : Event::Kind::Binary;
    return e;
}

WebSocketFrameParser::Event WebSocketFrameParser::next(QByteArrayView input)
{
    qsizetype pos = 0;
    for (;;) {
        switch (m_state) {
        case State::Finished: {
            Event e;
            e.kind = m_errorCode ? Event::Kind::Failed : Event::Kind::NeedMore;
            e.closeCode = m_errorCode;
            return e;
        }
        case State::Header: {
            while (m_headerBytes < headerSize()) {
                if (pos == input.size())
                    return Event{Event::Kind::NeedMore, pos, {}, 0};
                m_header[m_headerBytes++] = static_cast<unsigned char>(input[pos++]);
                if (m_headerBytes != 2)
                    continue;
                // The first two bytes say enough to refuse most bad frames before the rest.
                const quint8 opcode = m_header[0] & 0x0f;
                const bool fin = m_header[0] & 0x80;
                if (m_header[0] & 0x70)
                    return fail(kProtocolError, "reserved bits set"_L1, pos);
                if ((opcode > Binary && opcode < Close) || opcode > Pong)
                    return fail(kProtocolError, "unknown opcode"_L1, pos);
                if (isControl(opcode) && (!fin || (m_header[1] & 0x7f) > 125))
                    return fail(kProtocolError, "fragmented or oversize control frame"_L1, pos);
                if (m_limits.requireMask && !(m_header[1] & 0x80))
                    return fail(kProtocolError, "client frames must be masked"_L1, pos);
                if (opcode == Continuation && m_messageOpcode == 0)
                    return fail(kProtocolError, "continuation frame without a message"_L1, pos);
                if ((opcode == Text || opcode == Binary) && m_messageOpcode != 0)
                    return fail(kProtocolError, "new message inside a fragmented one"_L1, pos);
            }
            Event failed;
            if (!acceptHeader(pos, &failed))
                return failed;
            if (m_payloadLength > 0) {
                m_state = State::Payload;
                break;
            }
            Event e = finishFrame(pos);
            if (e.kind != Event::Kind::NeedMore)
                return e;
            break;
        }
        case State::Payload: {
            const qsizetype take = qsizetype(qMin<qint64>(m_payloadLength - m_frame.size(), input.size() - pos));
            const qsizetype from = m_frame.size();
            m_frame.append(input.data() + pos, take);
            if (m_masked) {
                char *data = m_frame.data();
                for (qsizetype i = from; i < from + take; ++i)
                    data[i] = char(data[i] ^ m_mask[i % 4]);
            }
            pos += take;
            if (m_frame.size() < m_payloadLength)
                return Event{Event::Kind::NeedMore, pos, {}, 0};
            Event e = finishFrame(pos);
            if (e.kind != Event::Kind::NeedMore)
                return e;
            break;
        }
        }
    }
}

} // namespace boo
