#pragma once

#include "core/http/httprequest.h"
#include "core/http/websocketframeparser.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace boo {

// The server side of one WebSocket (RFC 6455), taken over from an HttpConnection after the
// upgrade request was authorised: our own, so that what a client may send is bounded and read
// strictly (WebSocketFrameParser) — QWebSocketServer accepted unmasked frames and read a frame
// that claimed 100 MiB up to 32 MiB before giving up, with the socket left open.
//
// A protocol error closes with its code (1002, 1007, 1009) and then the socket: the close frame
// is sent, the write side shut, what still arrives is dropped for a moment, then the connection
// is reset. Pings are answered. The owner deletes the object after disconnected().
class WebSocketConnection final : public QObject
{
    Q_OBJECT

public:
    // Checks an upgrade request (RFC 6455 §4.2.1). Returns 0 and sets *accept to the
    // Sec-WebSocket-Accept value, or the status to refuse it with: 400, or 426 for a version
    // other than 13.
    static int checkHandshake(const HttpRequest &request, QByteArray *accept);

    // Takes ownership of `socket` (connected, signals free). Nothing is sent before start().
    WebSocketConnection(QTcpSocket *socket, HttpRequest request, QByteArray accept, WebSocketFrameParser::Limits limits,
                        QObject *parent = nullptr);
    ~WebSocketConnection() override;
    Q_DISABLE_COPY_MOVE(WebSocketConnection)

    // Sends the 101 answer and reads what the client sends (bytes already received included).
    void start();
    const HttpRequest &request() const { return m_request; }
    bool isOpen() const { return m_state == State::Open; }
    qint64 bytesToWrite() const;

    void sendText(QByteArrayView utf8);
    // Sends a close frame with `code` and closes the connection.
    void close(quint16 code, QByteArrayView reason = {});
    // Resets the connection now.
    void abort();

    static constexpr int kCloseLingerMs = 1000;

Q_SIGNALS:
    void textReceived(const QByteArray &utf8);
    // Once, when the connection is gone (closed by either side or reset).
    void disconnected();

private:
    enum class State { Created, Open, Closing, Closed };

    void onReadyRead();
    void writeFrame(quint8 opcode, QByteArrayView payload);
    void shutdownWhenSent();
    void teardown();

    QTcpSocket *m_socket;
    HttpRequest m_request;
    QByteArray m_accept;
    WebSocketFrameParser m_parser;
    State m_state = State::Created;
    bool m_writeShut = false;
    QTimer m_lingerTimer;
};

} // namespace boo
