#include "core/http/httpconnection.h"

#include "core/http/chunkedencoder.h"
#include "core/http/httplog.h"
#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"
#include "core/http/websocketconnection.h"
#include "core/http/writebatch.h"

#include <QDateTime>
#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// IMF-fixdate (RFC 9110 §5.6.7), cached per second: it is on every response.
QByteArray httpDate()
{
    static thread_local qint64 cachedSecond = -1;
    static thread_local QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const QDateTime dt = QDateTime::fromSecsSinceEpoch(now, Qt::UTC);
        const QDate d = dt.date();
        const QTime t = dt.time();
        cached = QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()).rightJustified(2, '0') + ' '
            + months[d.month() - 1] + ' ' + QByteArray::number(d.year()) + ' ' + QByteArray::number(t.hour()).rightJustified(2, '0') + ':'
            + QByteArray::number(t.minute()).rightJustified(2, '0') + ':' + QByteArray::number(t.second()).rightJustified(2, '0') + " GMT";
        cachedSecond = now;
    }
    return cached;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, QString peer, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_limits(server->limits())
    , m_peer(std::move(peer))
    , m_parser({m_limits.maxHeadBytes, m_limits.maxBodyBytes, m_limits.maxHeaderFields})
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::teardown);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "connection error:" << m_socket->errorString();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            teardown();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        halfCloseWhenSent();
        if (m_stream && m_socket->bytesToWrite() == 0)
            Q_EMIT m_stream->drained();
        // Pipelined requests held back while answers queued up may go on now.
        if (m_state == State::Head && m_socket->bytesAvailable() > 0 && m_socket->bytesToWrite() <= m_limits.maxPendingOutputBytes)
            processInput();
    });
}

HttpConnection::~HttpConnection()
{
    if (m_stream)
        m_stream->markGone(false);
}

void HttpConnection::start()
{
    // A head must fit in the socket buffer to be peeked whole; the rest of the bound is for
    // body reads.
    const qsizetype limit = m_limits.maxHeadBytes;
    m_socket->setReadBufferSize(qMax<qint64>(limit + 4096, 256 * 1024));
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // A new connection must deliver its first header block within the header timeout.
    arm(TimerMode::Header);
    processInput();
}

void HttpConnection::abort()
{
    if (m_state == State::Closed)
        return;
    // What was written is sent before the reset, also when a WriteBatch held it back: a client
    // whose response broke off must see the part that came, not an empty reply.
    m_socket->flush();
    m_socket->abort();
    teardown();
}

bool HttpConnection::isIdle() const
{
    return m_state == State::Head && !m_processing && m_socket->bytesAvailable() == 0;
}

bool HttpConnection::isCurrent(quint64 exchange) const
{
    return exchange == m_exchange && (m_state == State::Handling || m_state == State::Streaming);
}

qint64 HttpConnection::bytesToWrite() const
{
    return m_state == State::Closed ? 0 : m_socket->bytesToWrite();
}

void HttpConnection::onReadyRead()
{
    if (m_state == State::Head || m_state == State::Body)
        processInput();
    else if (m_state == State::Lingering)
        drainLingering();
    // Otherwise input waits in the socket buffer (bounded by the read buffer size) until the
    // current response has completed.
}

void HttpConnection::processInput()
{
    if (m_processing) {
        m_reprocess = true;
        return;
    }
    m_processing = true;
    QPointer<HttpConnection> guard(this);
    do {
        m_reprocess = false;
        bool progress = true;
        while (progress && guard && (m_state == State::Head || m_state == State::Body)) {
            // A client that pipelines requests without reading the answers would make us queue
            // them without bound: the next request waits until the answers have drained.
            if (m_state == State::Head && m_socket->bytesToWrite() > m_limits.maxPendingOutputBytes)
                break;
            progress = m_state == State::Head ? processHead() : processBody();
            if (guard && m_state == State::Handling)
                dispatch();
        }
    } while (guard && m_reprocess);
    if (guard)
        m_processing = false;
}

bool HttpConnection::processHead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available == 0)
        return false;
    // The header timeout runs from the first byte of a request, not from the latest one, so a
    // client trickling bytes cannot hold the connection forever.
    if (m_timerMode != TimerMode::Header)
        arm(TimerMode::Header);
    // Peek until the head is whole: nothing is consumed from a head that never completes.
    const QByteArray peeked = m_socket->peek(qMin<qint64>(available, m_limits.maxHeadBytes + 4));
    const qsizetype headEnd = HttpRequestParser::findHeadEnd(peeked);
    if (headEnd < 0) {
        if (peeked.size() >= m_limits.maxHeadBytes) {
            sendError(431);
            return false;
        }
        // Leading blank lines can be dropped safely; they would otherwise pin the buffer.
        qsizetype blanks = 0;
        while (blanks < peeked.size() && (peeked[blanks] == '\r' || peeked[blanks] == '\n'))
            ++blanks;
        if (blanks == peeked.size() && blanks > 0)
            m_socket->skip(blanks);
        return false;
    }

    m_parser.reset();
    m_parser.setMaxBodyBytes(m_limits.maxBodyBytes);
    qsizetype consumed = 0;
    const auto event = m_parser.feed(QByteArrayView(peeked).first(headEnd), &consumed);
    if (event == HttpRequestParser::Event::Failed) {
        sendError(m_parser.errorStatus());
        return false;
    }
    Q_ASSERT(event == HttpRequestParser::Event::HeadComplete && consumed == headEnd);
    m_socket->skip(headEnd);

    // Decide on the head alone, before a byte of the body is read: the pre-routing hook
    // (authorisation) first, then WebSocket upgrades, then the body limit of the route.
    if (authorizeHead())
        return false;
    const HttpRequest &head = m_parser.request();
    if (head.method() == "GET" && head.headers().hasToken("upgrade", "websocket")) {
        if (const HttpServer::WebSocketHandler *handler = m_server->webSocketHandlerFor(head.path())) {
            upgrade(*handler);
            return false;
        }
    }
    const qint64 routeLimit = m_server->bodyLimitFor(head.method(), head.rawPath());
    m_parser.setMaxBodyBytes(routeLimit);
    if (m_parser.contentLength() > routeLimit) {
        // Refuse before reading a single body byte.
        sendError(413);
        return false;
    }
    if (m_parser.expectsContinue() && m_parser.hasBody())
        write("HTTP/1.1 100 Continue\r\n\r\n");
    m_state = State::Body;
    m_bodyStarted.start();
    arm(TimerMode::Body);
    return true;
}

bool HttpConnection::authorizeHead()
{
    // The head is an exchange of its own for the hook; if the hook lets it pass, the request
    // gets a new exchange number once whole, so a responder the hook kept can never answer it.
    beginExchange(m_parser.request());
    m_bodyUnread = m_parser.hasBody();
    // Answering now leaves the body unread: then the connection cannot carry another request.
    m_closeAfter = m_closeAfter || m_bodyUnread;
    QPointer<HttpConnection> guard(this);
    bool answered = false;
    {
        HttpResponder responder(this, m_exchange);
        answered = m_server->handleHead(m_request, responder);
        if (!guard)
            return true;
        if (!answered && m_state == State::Handling)
            m_state = State::Head; // the unused responder must not answer while it goes
    }
    if (!guard)
        return true;
    if (answered || m_state != State::Head) {
        if (m_state == State::Handling) // claimed but unanswered: the hook broke its contract
            respond(m_exchange, HttpResponse::text(500, "500 Internal Server Error\n"_ba));
        return true;
    }
    m_bodyUnread = false;
    m_request = HttpRequest();
    return false;
}

void HttpConnection::upgrade(const HttpServer::WebSocketHandler &handler)
{
    QByteArray accept;
    const HttpRequest &head = m_parser.request();
    const int refusal = m_parser.hasBody() ? 400 : WebSocketConnection::checkHandshake(head, &accept);
    if (refusal != 0) {
        sendError(refusal);
        return;
    }
    arm(TimerMode::None);
    m_state = State::Closed;
    m_upgraded = true;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->setReadBufferSize(0);
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    HttpRequest request = head;
    request.setPeer(socket->peerAddress(), socket->peerPort());
    WebSocketFrameParser::Limits limits;
    limits.maxFrameBytes = m_limits.webSocketMaxMessageBytes;
    limits.maxMessageBytes = m_limits.webSocketMaxMessageBytes;
    auto *ws = new WebSocketConnection(socket, std::move(request), accept, limits);
    HttpServer *server = m_server;
    const QString peer = m_peer;
    Q_EMIT closed();
    server->adoptWebSocket(ws, peer, handler);
}

void HttpConnection::beginExchange(const HttpRequest &request)
{
    m_request = request;
    m_request.setPeer(m_socket->peerAddress(), m_socket->peerPort());
    m_isHead = m_request.method() == "HEAD";
    ++m_requests;
    m_closeAfter = !m_request.wantsKeepAlive() || m_requests >= m_limits.maxRequestsPerConnection;
    m_status = 0;
    m_bodyBytes = 0;
    m_chunked = false;
    m_started.start();
    ++m_exchange;
    m_state = State::Handling;
}

bool HttpConnection::processBody()
{
    const qint64 available = m_socket->bytesAvailable();
    const QByteArray data = m_socket->peek(qMin<qint64>(available, 256 * 1024));
    qsizetype consumed = 0;
    const auto event = m_parser.feed(data, &consumed);
    if (consumed > 0)
        m_socket->skip(consumed);
    switch (event) {
    case HttpRequestParser::Event::NeedMore:
        if (consumed > 0)
            arm(TimerMode::Body); // a body must keep moving, and be whole in time
        return consumed > 0 && m_socket->bytesAvailable() > 0;
    case HttpRequestParser::Event::Failed: sendError(m_parser.errorStatus()); return false;
    case HttpRequestParser::Event::HeadComplete: Q_UNREACHABLE(); return false;
    case HttpRequestParser::Event::MessageComplete: break;
    }
    arm(TimerMode::None);
    --m_requests; // the head was counted when the hook saw it
    beginExchange(m_parser.takeRequest());
    return false;
}

void HttpConnection::dispatch()
{
    HttpServer *server = m_server;
    if (!server) {
        abort();
        return;
    }
    server->handleRequest(m_request, HttpResponder(this, m_exchange));
}

void HttpConnection::sendError(int status)
{
    arm(TimerMode::None);
    std::optional<HttpResponse> shaped;
    if (m_server && m_server->m_protocolErrors)
        shaped = m_server->m_protocolErrors(status, m_parser.request().rawPath());
    HttpResponse response = shaped
        ? std::move(*shaped)
        : HttpResponse(status, "text/plain; charset=utf-8"_ba, QByteArray::number(status) + ' ' + HttpResponse::reasonPhrase(status));
    m_closeAfter = true;
    m_isHead = false;
    write(QByteArray(head(status, response.headers(), response.body().size(), false) + response.body()));
    linger();
}

// The client may still be sending the body we refused (a 413 goes out before the body is
// read). Closing with unread input makes the kernel answer with a reset, which can destroy our
// response before the client reads it (RFC 9112 §9.6): stop sending, drop what still comes for
// a short while, then close, as nginx's lingering close does.
void HttpConnection::linger()
{
    m_state = State::Lingering;
    m_lingerBytes = 0;
    m_timerMode = TimerMode::Linger;
    m_timer.start(kLingerMs);
    halfCloseWhenSent();
    drainLingering();
}

void HttpConnection::halfCloseWhenSent()
{
    if (m_state != State::Lingering || m_halfClosed || m_socket->bytesToWrite() > 0)
        return;
    m_halfClosed = true;
#ifdef Q_OS_UNIX
    if (::shutdown(int(m_socket->socketDescriptor()), SHUT_WR) == 0)
        return;
#endif
    m_state = State::Closing;
    m_socket->disconnectFromHost();
}

void HttpConnection::drainLingering()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available > 0)
        m_lingerBytes += m_socket->skip(available);
    if (m_lingerBytes > kLingerMaxBytes)
        abort();
}

QByteArray HttpConnection::head(int status, HttpHeaders &headers, qint64 contentLength, bool chunked)
{
    if (headers.hasToken("connection", "close"))
        m_closeAfter = true;
    QByteArray head;
    head.reserve(256);
    head += "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpResponse::reasonPhrase(status) + "\r\n";
    headers.remove("content-length");
    headers.remove("transfer-encoding");
    if (m_closeAfter)
        headers.remove("connection");
    for (const auto &[name, value] : headers.entries())
        head += name + ": " + value + "\r\n";
    if (!headers.contains("date"))
        head += "Date: " + httpDate() + "\r\n";
    if (contentLength >= 0 && HttpResponse::statusAllowsBody(status))
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    if (chunked)
        head += "Transfer-Encoding: chunked\r\n";
    if (m_closeAfter)
        head += "Connection: close\r\n";
    else if (m_request.versionMinor() == 0 && !headers.contains("connection"))
        head += "Connection: keep-alive\r\n";
    head += "\r\n";
    m_status = status;
    return head;
}

void HttpConnection::write(QByteArrayView data)
{
    if (m_state == State::Closed || data.isEmpty())
        return;
    m_socket->write(data.data(), data.size());
    // Push it out now rather than on the next event-loop pass: time to first byte matters. In
    // a WriteBatch (the gateway handling one read from a host) it goes out at the batch's end.
    if (!WriteBatch::defer(m_socket))
        m_socket->flush();
}

void HttpConnection::respond(quint64 exchange, HttpResponse response)
{
    if (!isCurrent(exchange) || m_state != State::Handling)
        return;
    const int status = response.status();
    const bool bodyAllowed = HttpResponse::statusAllowsBody(status);
    QByteArray out = head(status, response.headers(), bodyAllowed ? response.body().size() : 0, false);
    if (!m_isHead && bodyAllowed) {
        out += response.body(); // one write, one segment
        m_bodyBytes = response.body().size();
    }
    write(out);
    finishExchange();
}

std::unique_ptr<HttpStream> HttpConnection::startStream(quint64 exchange, int status, HttpHeaders headers, QByteArrayView firstPiece)
{
    if (!isCurrent(exchange) || m_state != State::Handling)
        return nullptr;
    // HTTP/1.0 has no chunked coding: the body runs until the connection closes.
    m_chunked = m_request.versionMinor() >= 1 && !m_isHead;
    if (!m_chunked)
        m_closeAfter = true;
    QByteArray out = head(status, headers, -1, m_chunked);
    if (!m_isHead && !firstPiece.isEmpty()) {
        appendChunk(out, firstPiece);
        m_bodyBytes += firstPiece.size();
    }
    write(out);
    std::unique_ptr<HttpStream> stream(new HttpStream(this, exchange));
    stream->m_bytesWritten = m_isHead ? 0 : firstPiece.size();
    m_stream = stream.get();
    m_state = State::Streaming;
    if (m_isHead) {
        // Nothing follows a HEAD response; tell the writer at once so it can clean up.
        HttpStream *s = stream.get();
        QMetaObject::invokeMethod(
            s, [s] { s->markGone(true); }, Qt::QueuedConnection);
        m_stream = nullptr;
        finishExchange();
    }
    return stream;
}

bool HttpConnection::writeStream(quint64 exchange, QByteArrayView data)
{
    if (!isCurrent(exchange) || m_state != State::Streaming)
        return false;
    if (data.isEmpty())
        return true;
    if (m_chunked) {
        QByteArray framed;
        appendChunk(framed, data);
        write(framed);
    } else {
        write(data);
    }
    m_bodyBytes += data.size();
    return true;
}

void HttpConnection::appendChunk(QByteArray &out, QByteArrayView data) const
{
    if (!m_chunked) {
        out += data;
        return;
    }
    ChunkedEncoder::appendChunk(out, data);
}

void HttpConnection::endStream(quint64 exchange)
{
    if (!isCurrent(exchange) || m_state != State::Streaming)
        return;
    if (m_chunked)
        write(ChunkedEncoder::kLastChunk);
    // The response is whole: send it now, also inside a WriteBatch. What the handler does after
    // ending its stream (the gateway's dispatch log, metrics) must not delay the client's last
    // byte, and with one stream at a time that is the next request's wait.
    m_socket->flush();
    m_stream = nullptr;
    finishExchange();
}

void HttpConnection::abortStream(quint64 exchange)
{
    if (!isCurrent(exchange) || m_state != State::Streaming)
        return;
    m_stream = nullptr;
    abort();
}

void HttpConnection::finishExchange()
{
    if (m_server)
        Q_EMIT m_server->requestFinished(m_request, m_status, m_bodyBytes, m_started.nsecsElapsed() / 1000);
    m_request = HttpRequest();
    if (m_bodyUnread || (m_closeAfter && m_socket->bytesAvailable() > 0)) {
        // Answered on the head, or pipelined requests wait unread: the client may still be
        // sending, and closing on unread input would reset the answer away.
        m_bodyUnread = false;
        linger();
        return;
    }
    if (m_closeAfter) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Head;
    arm(TimerMode::Idle);
    // Pipelined requests may already be waiting in the buffer. Deferred when the response came
    // from inside dispatch(): processInput() is running and will loop.
    if (m_processing)
        m_reprocess = true;
    else
        QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::arm(TimerMode mode)
{
    m_timerMode = mode;
    qint64 ms = 0;
    switch (mode) {
    case TimerMode::None:
    case TimerMode::Linger: m_timer.stop(); return;
    case TimerMode::Idle: ms = m_limits.idleTimeoutMs; break;
    case TimerMode::Header: ms = m_limits.headerTimeoutMs; break;
    case TimerMode::Body:
        // The next step, but never past the deadline of the whole body (slow bodies).
        ms = qMin<qint64>(m_limits.bodyIdleTimeoutMs, qMax<qint64>(1, m_limits.bodyTimeoutMs - m_bodyStarted.elapsed()));
        break;
    }
    if (ms <= 0)
        m_timer.stop();
    else
        m_timer.start(int(ms));
}

void HttpConnection::onTimeout()
{
    if (m_state == State::Lingering) {
        abort();
        return;
    }
    if (m_state != State::Head && m_state != State::Body)
        return;
    if (m_state == State::Head && m_socket->bytesAvailable() == 0) {
        // Nothing of a request has arrived: just close, as an idle keep-alive would.
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        return;
    }
    sendError(408);
}

void HttpConnection::teardown()
{
    if (m_state == State::Closed)
        return;
    const bool streaming = m_state == State::Streaming;
    m_state = State::Closed;
    arm(TimerMode::None);
    if (streaming && m_server)
        Q_EMIT m_server->requestFinished(m_request, m_status, m_bodyBytes, m_started.nsecsElapsed() / 1000);
    QPointer<HttpStream> stream = m_stream;
    m_stream = nullptr;
    Q_EMIT closed();
    if (stream)
        stream->markGone(true);
}

} // namespace boo
