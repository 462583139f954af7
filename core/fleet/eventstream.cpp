#include "core/fleet/eventstream.h"

#include "core/fleet/hostendpoint.h"
#include "core/protocol/apierror.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace boo {

EventStream::EventStream(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{
    m_headerTimer.setSingleShot(true);
    connect(&m_headerTimer, &QTimer::timeout, this, [this] {
        const QString url = m_reply ? m_reply->url().adjusted(QUrl::RemoveUserInfo).toString() : QString();
        fail(makeError(u"net.timeout"_s, u"GET %1: connected, but no answer within %2 ms"_s.arg(url).arg(m_headerTimer.interval())));
    });
}

EventStream::~EventStream()
{
    close();
}

void EventStream::open(const QNetworkRequest &request, int headerTimeoutMs)
{
    close();
    m_parser.reset();
    m_headersSeen = false;
    m_lastByte.start();
    m_reply = m_nam->get(request);
    // Bounded: when we fall behind a burst, the network stops reading instead of buffering
    // without limit, and the host drops events as its own queue fills (llama-swap's stream is
    // lossy by design; the connector catches up from the activity API).
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &EventStream::onHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &EventStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &EventStream::onFinished);
    m_headerTimer.start(headerTimeoutMs);
}

void EventStream::close()
{
    m_headerTimer.stop();
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void EventStream::onHeaders()
{
    if (!m_reply || m_headersSeen)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_headersSeen = true;
    m_headerTimer.stop();
    // A refusal (401, 404, ...) is reported with its body once it has arrived (onFinished).
    if (status.toInt() == 200)
        Q_EMIT opened();
}

void EventStream::onReadyRead()
{
    if (!m_reply)
        return;
    m_lastByte.start();
    if (!m_headersSeen)
        onHeaders();
    if (m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error body: read whole in onFinished
    const QByteArray bytes = m_reply->readAll();
    const QList<SseEvent> events = m_parser.feed(bytes);
    for (const SseEvent &event : events) {
        if (event.event != "message" && !event.event.isEmpty())
            continue; // llama-swap sends only "message"; anything else is not ours to read
        auto decoded = m_decoder.decode(event);
        if (decoded)
            Q_EMIT received(*decoded);
        else
            Q_EMIT malformed(decoded.error());
        if (!m_reply)
            return; // a handler closed the stream
    }
}

void EventStream::onFinished()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    Error error;
    if (status.isValid() && status.toInt() != 200) {
        const QByteArray body = reply->readAll();
        const auto apiError = ApiError::fromBody(body);
        const QString why = apiError ? apiError->message : QString::fromUtf8(body.left(200)).trimmed();
        error = makeError(status.toInt() == 401 || status.toInt() == 403 ? u"net.unauthorized"_s : u"net.status"_s,
                          u"GET %1: HTTP %2 %3"_s.arg(reply->url().adjusted(QUrl::RemoveUserInfo).toString())
                              .arg(status.toInt())
                              .arg(why));
    } else if (reply->error() != QNetworkReply::NoError) {
        error = HostEndpoint::networkError(reply, "GET");
    } else {
        error = makeError(u"net.closed"_s, u"the host closed the event stream"_s);
    }
    fail(error);
}

void EventStream::fail(const Error &error)
{
    if (!m_reply)
        return;
    close();
    Q_EMIT lost(error);
}

} // namespace boo
