#include "core/http/websocketconnection.h"

#include "core/http/httplog.h"

#include <QCryptographicHash>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace boo {

namespace {

enum Opcode : quint8 { Text = 0x1, Close = 0x8, Ping = 0x9, Pong = 0xA };

} // namespace

int WebSocketConnection::checkHandshake(const HttpRequest &request, QByteArray *accept)
{
    const HttpHeaders &h = request.headers();
    if (request.method() != "GET" || request.versionMinor() < 1 || !h.hasToken("upgrade", "websocket")
        || !h.hasToken("connection", "upgrade") || h.values("sec-websocket-key").size() != 1)
        return 400;
    if (h.value("sec-websocket-version").trimmed() != "13")
        return 426;
    const QByteArray key = h.value("sec-websocket-key").trimmed();
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return 400;
    const QByteArray keyed = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    *accept = QCryptographicHash::hash(keyed, QCryptographicHash::Sha1).toBase64();
    return 0;
}

WebSocketConnection::WebSocketConnection(QTcpSocket *socket, HttpRequest request, QByteArray accept, WebSocketFrameParser::Limits limits,
                                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_request(std::move(request))
    , m_accept(std::move(accept))
    , m_parser(limits)
{
    m_socket->setParent(this);
    // Frames are read as they come; the parser holds at most the limits.
    m_socket->setReadBufferSize(64 * 1024);
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, &WebSocketConnection::abort);
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &WebSocketConnection::teardown);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::shutdownWhenSent);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            teardown();
    });
}

WebSocketConnection::~WebSocketConnection() = default;

void WebSocketConnection::start()
{
    if (m_state != State::Created)
        return;
    m_state = State::Open;
    m_socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + m_accept
                    + "\r\n\r\n");
    m_socket->flush();
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_state == State::Closed ? 0 : m_socket->bytesToWrite();
}

void WebSocketConnection::writeFrame(quint8 opcode, QByteArrayView payload)
{
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame += char(0x80 | opcode);
    const qint64 n = payload.size();
    if (n < 126) {
        frame += char(n);
    } else if (n <= 0xffff) {
        frame += char(126);
        frame += char(n >> 8);
        frame += char(n & 0xff);
    } else {
        frame += char(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame += char((n >> shift) & 0xff);
    }
    frame += payload;
    m_socket->write(frame);
}

void WebSocketConnection::sendText(QByteArrayView utf8)
{
    if (m_state != State::Open)
        return;
    writeFrame(Text, utf8);
}

void WebSocketConnection::close(quint16 code, QByteArrayView reason)
{
    if (m_state != State::Open)
        return;
    QByteArray payload;
    if (code != 1005) { // "no status": an empty close frame
        payload += char(code >> 8);
        payload += char(code & 0xff);
        payload += reason.first(qMin<qsizetype>(reason.size(), 123));
    }
    writeFrame(Close, payload);
    m_socket->flush();
    // Nothing more is read as frames. The write side closes once the close frame is out; what
    // the client still sends is dropped until it closes too, or the linger time runs out.
    m_state = State::Closing;
    m_lingerTimer.start(kCloseLingerMs);
    shutdownWhenSent();
    onReadyRead();
}

void WebSocketConnection::shutdownWhenSent()
{
    if (m_state != State::Closing || m_writeShut || m_socket->bytesToWrite() > 0)
        return;
    m_writeShut = true;
#ifdef Q_OS_UNIX
    if (::shutdown(int(m_socket->socketDescriptor()), SHUT_WR) == 0)
        return;
#endif
    m_socket->disconnectFromHost();
}

void WebSocketConnection::abort()
{
    if (m_state == State::Closed)
        return;
    m_socket->abort();
    teardown();
}

void WebSocketConnection::onReadyRead()
{
    if (m_state == State::Closing) {
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    if (m_state != State::Open)
        return;
    // Whatever is available: the parser takes what it needs and buffers at most the limits.
    const QByteArray data = m_socket->read(m_socket->bytesAvailable());
    QByteArrayView rest(data);
    while (m_state == State::Open) {
        WebSocketFrameParser::Event e = m_parser.next(rest);
        rest = rest.sliced(e.consumed);
        switch (e.kind) {
        case WebSocketFrameParser::Event::Kind::NeedMore: return;
        case WebSocketFrameParser::Event::Kind::Text: Q_EMIT textReceived(e.payload); break;
        case WebSocketFrameParser::Event::Kind::Binary: break; // nothing here takes binary messages
        case WebSocketFrameParser::Event::Kind::Ping: writeFrame(Pong, e.payload); break;
        case WebSocketFrameParser::Event::Kind::Pong: break;
        case WebSocketFrameParser::Event::Kind::Close:
            // Echo the client's code (RFC 6455 §5.5.1), then close.
            close(e.closeCode);
            return;
        case WebSocketFrameParser::Event::Kind::Failed:
            qCDebug(lcHttp).noquote() << "WebSocket client broke the protocol:" << m_parser.reason();
            close(m_parser.closeCode(), QByteArrayView(m_parser.reason().data(), m_parser.reason().size()));
            return;
        }
    }
}

void WebSocketConnection::teardown()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_lingerTimer.stop();
    Q_EMIT disconnected();
}

} // namespace boo
