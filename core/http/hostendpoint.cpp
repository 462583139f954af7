#include "core/http/hostendpoint.h"

#include "core/http/useragent.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace boo {

HostEndpoint::HostEndpoint(QUrl baseUrl, QString apiKey)
    : m_baseUrl(std::move(baseUrl))
    , m_apiKey(std::move(apiKey))
{
}

QUrl HostEndpoint::url(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QNetworkRequest HostEndpoint::request(const QString &path, const QUrlQuery &query, int timeoutMs) const
{
    QNetworkRequest request(url(path, query));
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setRawHeader("Accept", "application/json");
    // Otherwise QNAM says "Mozilla/5.0"; the event stream copies the raw headers, so it says ours too.
    request.setRawHeader("User-Agent", booUserAgent());
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_apiKey.toUtf8());
    return request;
}

QNetworkRequest HostEndpoint::streamRequest(const QString &path) const
{
    QNetworkRequest request = this->request(path, {}, 0);
    // llama-swap sends no heartbeat: a stream may be silent for minutes. Liveness comes from
    // the idle watchdog and /health probes, never from a transfer timeout.
    request.setTransferTimeout(0);
    request.setRawHeader("Accept", "text/event-stream");
    return request;
}

Error HostEndpoint::networkError(QNetworkReply *reply, const QByteArray &method)
{
    QString why = reply->errorString();
    if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError)
        why = u"no answer in time"_s;
    const QUrl shown = reply->url().adjusted(QUrl::RemoveUserInfo);
    return makeError(u"net.failed"_s, u"%1 %2: %3"_s.arg(QString::fromLatin1(method), shown.toString(), why));
}

QNetworkReply *HostEndpoint::send(QNetworkAccessManager *nam, const QByteArray &method, const QString &path, const QUrlQuery &query,
                                  int timeoutMs, QObject *context, Callback done, const QByteArray &body) const
{
    QNetworkRequest built = request(path, query, timeoutMs);
    // Every body we send is JSON (actions); llama-swap reads the model from it.
    if (!body.isEmpty())
        built.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    QNetworkReply *reply = nam->sendCustomRequest(built, method, body);
    auto answered = std::make_shared<QMetaObject::Connection>();
    *answered = QObject::connect(reply, &QNetworkReply::finished, context, [reply, method, done = std::move(done)] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        // An HTTP error status is an answer (the caller reads it); no status at all is a failure.
        if (!status.isValid()) {
            done(networkError(reply, method));
            return;
        }
        HostResponse response;
        response.status = status.toInt();
        response.body = reply->readAll();
        response.contentType = reply->rawHeader("Content-Type");
        bool ok = false;
        const int retryAfter = reply->rawHeader("Retry-After").toInt(&ok);
        if (ok)
            response.retryAfterSeconds = retryAfter;
        done(response);
    });
    // The callback's owner may go away first: never leave a reply running for nobody. The
    // callback is cut off before the abort, because abort() emits finished() at once — into an
    // owner that is half destroyed by then.
    QObject::connect(context, &QObject::destroyed, reply, [reply, answered] {
        QObject::disconnect(*answered);
        reply->abort();
        reply->deleteLater();
    });
    return reply;
}

} // namespace boo
