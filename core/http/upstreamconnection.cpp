#include "core/http/upstreamconnection.h"

#include "core/common/monotonic.h"
#include "core/http/writebatch.h"

#include <QPointer>
#include <QTcpSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qsizetype kReadChunk = 64 * 1024;

} // namespace

QString UpstreamOrigin::key() const
{
    return (tls ? u"https://"_s : u"http://"_s) + host + u':' + QString::number(port);
}

QString upstreamFailureName(UpstreamFailure failure)
{
    return enumNameString(kUpstreamFailureNames, failure);
}

UpstreamConnection::UpstreamConnection(UpstreamOrigin origin, QObject *parent)
    : QObject(parent)
    , m_origin(std::move(origin))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamConnection::onTimeout);
    m_sink.head = [this](int status, const HttpHeaders &headers) {
        if (m_listener)
            m_listener->upstreamHead(status, headers);
    };
    m_sink.body = [this](QByteArrayView piece) {
        if (m_listener)
            m_listener->upstreamBody(piece);
    };
}

UpstreamConnection::~UpstreamConnection()
{
    m_listener = nullptr;
    if (m_socket)
        m_socket->disconnect(this);
}

bool UpstreamConnection::isReusable() const
{
    return m_phase == Phase::Idle && m_connected && m_socket && m_socket->state() == QAbstractSocket::ConnectedState
        && m_socket->bytesAvailable() == 0;
}

void UpstreamConnection::send(const QByteArray &request, bool headRequest, UpstreamTimeouts timeouts, Listener *listener)
{
    Q_ASSERT(m_phase == Phase::Idle);
    m_listener = listener;
    m_request = request;
    m_headRequest = headRequest;
    m_timeouts = timeouts;
    m_sentAtNs = 0;
    m_firstByteNs = 0;
    m_paused = false;
    m_parser.reset(headRequest);
    if (m_connected && m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        writeRequest();
        return;
    }
    startConnect();
}

void UpstreamConnection::startConnect()
{
    m_phase = Phase::Connecting;
    m_connected = false;
#if QT_CONFIG(ssl)
    if (m_origin.tls) {
        auto *ssl = new QSslSocket(this);
        m_socket = ssl;
        connect(ssl, &QSslSocket::encrypted, this, &UpstreamConnection::onConnected);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            finish(false, UpstreamFailure::Connect, u"TLS: "_s + (errors.isEmpty() ? QString() : errors.first().errorString()));
        });
    } else
#endif
    {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamConnection::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    m_socket->setReadBufferSize(kReadChunk * 4);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
    m_timer.start(m_timeouts.connectMs);
#if QT_CONFIG(ssl)
    if (m_origin.tls) {
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port);
        return;
    }
#endif
    if (m_origin.tls) {
        finish(false, UpstreamFailure::Connect, u"this build has no TLS support"_s);
        return;
    }
    m_socket->connectToHost(m_origin.host, m_origin.port);
}

void UpstreamConnection::onConnected()
{
    m_connected = true;
    // Small SSE chunks must leave at once: Nagle would hold them back for an ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_phase == Phase::Connecting)
        writeRequest();
}

void UpstreamConnection::writeRequest()
{
    m_phase = Phase::Waiting;
    m_socket->write(m_request);
    m_socket->flush();
    m_request.clear();
    m_sentAtNs = steadyNs();
    m_timer.start(m_timeouts.headerMs);
}

void UpstreamConnection::onReadyRead()
{
    if (m_phase != Phase::Waiting && m_phase != Phase::Receiving) {
        // Bytes between exchanges: the host broke the protocol; this connection is done.
        m_socket->abort();
        return;
    }
    if (m_paused)
        return;
    if (m_readBuffer.size() != kReadChunk)
        m_readBuffer.resize(kReadChunk);
    // What the listener writes to its client while handling these reads leaves in one write.
    WriteBatch batch;
    QPointer<UpstreamConnection> guard(this);
    for (;;) {
        const qint64 n = m_socket->read(m_readBuffer.data(), kReadChunk);
        if (n <= 0)
            break;
        m_lastReadNs = steadyNs();
        if (m_phase == Phase::Waiting) {
            m_firstByteNs = m_lastReadNs;
            m_phase = Phase::Receiving;
            // Restarted lazily in onTimeout(): re-arming a timer on every read would cost more
            // than the read.
            if (m_timeouts.idleMs > 0)
                m_timer.start(m_timeouts.idleMs);
            else
                m_timer.stop();
        }
        m_parser.feed(QByteArrayView(m_readBuffer.constData(), n), m_sink);
        // The listener may have aborted us from a callback.
        if (!guard || !m_listener || m_phase == Phase::Idle)
            return;
        m_listener->upstreamReadDone();
        if (!guard || !m_listener || m_phase == Phase::Idle)
            return;
        if (m_parser.state() == UpstreamResponseParser::State::Failed) {
            finish(false, UpstreamFailure::Protocol, m_parser.error());
            return;
        }
        if (m_parser.state() == UpstreamResponseParser::State::Done) {
            if (!m_parser.keepAlive() || m_socket->bytesAvailable() > 0)
                m_connected = false;
            finish(true);
            return;
        }
        if (m_paused)
            return;
    }
}

void UpstreamConnection::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && m_socket && m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &UpstreamConnection::onReadyRead, Qt::QueuedConnection);
}

void UpstreamConnection::onDisconnected()
{
    m_connected = false;
    if (m_phase == Phase::Receiving || m_phase == Phase::Waiting) {
        m_paused = false;
        if (m_socket->bytesAvailable() > 0)
            onReadyRead();
        if (m_phase == Phase::Idle)
            return;
        m_parser.finishOnClose();
        if (m_parser.state() == UpstreamResponseParser::State::Done)
            finish(true);
        else
            finish(false, UpstreamFailure::Reset, m_parser.error());
        return;
    }
    if (m_phase == Phase::Idle)
        Q_EMIT closed();
}

void UpstreamConnection::onSocketError()
{
    if (m_phase == Phase::Connecting) {
        finish(false, UpstreamFailure::Connect, m_socket->errorString());
        return;
    }
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return; // onDisconnected() decides whether the body was complete
    if (m_phase == Phase::Waiting || m_phase == Phase::Receiving) {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            onDisconnected();
        return;
    }
    m_connected = false;
    Q_EMIT closed();
}

void UpstreamConnection::onTimeout()
{
    switch (m_phase) {
    case Phase::Connecting:
        finish(false, UpstreamFailure::ConnectTimeout, u"no connection within %1 ms"_s.arg(m_timeouts.connectMs));
        return;
    case Phase::Waiting: finish(false, UpstreamFailure::HeaderTimeout, u"no response within %1 ms"_s.arg(m_timeouts.headerMs)); return;
    case Phase::Receiving: {
        const qint64 silentMs = (steadyNs() - m_lastReadNs) / 1000000;
        if (silentMs < m_timeouts.idleMs) {
            m_timer.start(int(m_timeouts.idleMs - silentMs));
            return;
        }
        finish(false, UpstreamFailure::Idle, u"the response went silent for %1 ms"_s.arg(m_timeouts.idleMs));
        return;
    }
    case Phase::Idle: return;
    }
}

void UpstreamConnection::finish(bool ok, UpstreamFailure failure, const QString &message)
{
    if (m_phase == Phase::Idle)
        return;
    m_phase = Phase::Idle;
    m_timer.stop();
    Listener *listener = m_listener;
    m_listener = nullptr;
    if (!ok) {
        m_connected = false;
        if (m_socket)
            m_socket->abort();
    }
    QPointer<UpstreamConnection> guard(this);
    if (listener) {
        if (ok)
            listener->upstreamComplete();
        else
            listener->upstreamFailed(failure, message);
    }
    if (guard)
        Q_EMIT exchangeDone();
}

void UpstreamConnection::abortExchange()
{
    m_listener = nullptr;
    m_connected = false;
    m_timer.stop();
    const bool busy = m_phase != Phase::Idle;
    m_phase = Phase::Idle;
    if (m_socket)
        m_socket->abort();
    if (busy)
        Q_EMIT exchangeDone();
}

} // namespace boo
