#include "core/fleet/eventstream.h"

#include "core/protocol/apierror.h"

using namespace Qt::StringLiterals;

namespace boo {

EventStream::EventStream(QObject *parent)
    : QObject(parent)
{
}

EventStream::~EventStream()
{
    close();
}

QByteArray EventStream::httpRequest(const QNetworkRequest &request)
{
    const QUrl url = request.url();
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    const bool tls = url.scheme() == u"https"_s;
    const int defaultPort = tls ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 literal
    QByteArray out = "GET " + target + " HTTP/1.1\r\nHost: " + host;
    if (url.port(defaultPort) != defaultPort)
        out += ':' + QByteArray::number(url.port());
    out += "\r\n";
    bool hasAuthorization = false;
    for (const QByteArray &name : request.rawHeaderList()) {
        hasAuthorization = hasAuthorization || name.compare("Authorization", Qt::CaseInsensitive) == 0;
        out += name + ": " + request.rawHeader(name) + "\r\n";
    }
    if (!hasAuthorization && !url.userName().isEmpty())
        out += "Authorization: Basic " + (url.userName() + u':' + url.password()).toUtf8().toBase64() + "\r\n";
    return out + "\r\n";
}

void EventStream::open(const QNetworkRequest &request, int headerTimeoutMs)
{
    close();
    m_parser.reset();
    m_status = 0;
    m_errorBody.clear();
    m_lastByte.start();
    const QUrl url = request.url();
    m_shownUrl = url.adjusted(QUrl::RemoveUserInfo).toString();
    m_headerTimeoutMs = headerTimeoutMs;
    const bool tls = url.scheme() == u"https"_s;
    m_connection = new UpstreamConnection(UpstreamOrigin{url.host(), quint16(url.port(tls ? 443 : 80)), tls}, this);
    UpstreamTimeouts timeouts;
    timeouts.connectMs = headerTimeoutMs;
    timeouts.headerMs = headerTimeoutMs;
    timeouts.idleMs = 0; // llama-swap sends no heartbeat
    m_connection->send(httpRequest(request), false, timeouts, this);
}

void EventStream::close()
{
    if (!m_connection)
        return;
    UpstreamConnection *connection = m_connection;
    m_connection = nullptr;
    connection->abortExchange();
    // Later: close() may run inside one of the connection's own callbacks.
    connection->deleteLater();
}

void EventStream::upstreamHead(int status, const HttpHeaders &)
{
    m_lastByte.start();
    m_status = status;
    // A refusal (401, 404, ...) is reported with its body once it has arrived.
    if (status == 200)
        Q_EMIT opened();
}

void EventStream::upstreamBody(QByteArrayView piece)
{
    m_lastByte.start();
    if (m_status != 200) {
        m_errorBody.append(piece.first(qMin(piece.size(), kErrorBodyBytes - m_errorBody.size())));
        return;
    }
    const QList<SseEvent> events = m_parser.feed(piece);
    for (const SseEvent &event : events) {
        if (event.event != "message" && !event.event.isEmpty())
            continue; // llama-swap sends only "message"; anything else is not ours to read
        auto decoded = m_decoder.decode(event);
        if (decoded)
            Q_EMIT received(*decoded);
        else
            Q_EMIT malformed(decoded.error());
        if (!m_connection)
            return; // a handler closed the stream
    }
}

void EventStream::upstreamComplete()
{
    if (m_status != 200) {
        const auto apiError = ApiError::fromBody(m_errorBody);
        const QString why = apiError ? apiError->message : QString::fromUtf8(m_errorBody.left(200)).trimmed();
        fail(makeError(m_status == 401 || m_status == 403 ? u"net.unauthorized"_s : u"net.status"_s,
                       u"GET %1: HTTP %2 %3"_s.arg(m_shownUrl).arg(m_status).arg(why)));
        return;
    }
    fail(makeError(u"net.closed"_s, u"the host closed the event stream"_s));
}

void EventStream::upstreamFailed(UpstreamFailure failure, const QString &message)
{
    if (failure == UpstreamFailure::ConnectTimeout) {
        fail(makeError(u"net.timeout"_s, u"GET %1: no connection within %2 ms"_s.arg(m_shownUrl).arg(m_headerTimeoutMs)));
        return;
    }
    if (failure == UpstreamFailure::HeaderTimeout) {
        fail(makeError(u"net.timeout"_s, u"GET %1: connected, but no answer within %2 ms"_s.arg(m_shownUrl).arg(m_headerTimeoutMs)));
        return;
    }
    fail(makeError(u"net.failed"_s, u"GET %1: %2"_s.arg(m_shownUrl, message)));
}

void EventStream::fail(const Error &error)
{
    if (!m_connection)
        return;
    close();
    Q_EMIT lost(error);
}

} // namespace boo
