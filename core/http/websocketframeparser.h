#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>

namespace boo {

// Incremental reader of the WebSocket frames a client sends to our server (RFC 6455 §5): bytes
// in, whole messages and control frames out. Pure (no sockets), so it is tested split at every
// byte boundary and fuzzed.
//
// A server's reading is strict: every client frame must be masked (§5.1, else 1002), reserved
// bits must be clear (no extension is ever negotiated), control frames are whole and at most 125
// bytes, continuation frames must continue something, lengths use their shortest encoding, and
// text is UTF-8 (1007). Sizes are checked from the frame header, before a byte of the payload is
// buffered: a frame or a message over its limit is refused with 1009 at once, so what a peer
// announces never makes us hold more than the limits.
class WebSocketFrameParser final
{
public:
    // Close codes of RFC 6455 §7.4.1 this parser reports.
    static constexpr quint16 kProtocolError = 1002;
    static constexpr quint16 kInvalidPayload = 1007;
    static constexpr quint16 kMessageTooBig = 1009;

    struct Limits
    {
        qint64 maxFrameBytes = 4096;   // payload of one frame
        qint64 maxMessageBytes = 4096; // payload of a whole (fragmented) message
        bool requireMask = true;       // a server must refuse unmasked client frames
    };

    struct Event
    {
        enum class Kind {
            NeedMore, // the input is used up
            Text,     // payload: a whole text message (valid UTF-8)
            Binary,   // payload: a whole binary message
            Ping,     // payload: the ping's data, to be echoed in a pong
            Pong,
            Close,  // closeCode (1005 when the frame had none) and payload = the reason
            Failed, // closeCode() and reason() say why; the connection must be closed
        };
        Kind kind = Kind::NeedMore;
        qsizetype consumed = 0;
        QByteArray payload;
        quint16 closeCode = 0;
    };

    WebSocketFrameParser() = default;
    explicit WebSocketFrameParser(Limits limits)
        : m_limits(limits)
    {
    }

    // Reads from the start of `input` up to the end of the next message or control frame, an
    // error, or the end of the input. After Failed or Close nothing more is read.
    Event next(QByteArrayView input);

    quint16 closeCode() const { return m_errorCode; }
    QLatin1StringView reason() const { return m_reason; }

private:
    enum class State { Header, Payload, Finished };

    Event fail(quint16 code, QLatin1StringView reason, qsizetype consumed);
    // The header in m_header is complete: checks it and prepares for the payload.
    bool acceptHeader(qsizetype consumed, Event *failed);
    Event finishFrame(qsizetype consumed);
    // How many header bytes the frame needs, given what is in m_header so far.
    int headerSize() const;

    Limits m_limits;
    State m_state = State::Header;
    unsigned char m_header[14] = {};
    int m_headerBytes = 0;
    // The frame being read.
    quint8 m_opcode = 0;
    bool m_fin = false;
    qint64 m_payloadLength = 0;
    unsigned char m_mask[4] = {};
    bool m_masked = false;
    QByteArray m_frame; // its payload so far, unmasked
    // A fragmented data message in progress (opcode 1 or 2; 0 when none).
    quint8 m_messageOpcode = 0;
    QByteArray m_message;
    quint16 m_errorCode = 0;
    QLatin1StringView m_reason;
};

} // namespace boo
