#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QNetworkRequest>

#include <QUrl>
#include <QUrlQuery>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QObject;

namespace boo {

// What came back from a host: any HTTP status (the caller decides what a 404 means), its body.
struct HostResponse
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    int retryAfterSeconds = -1;
};

// How to talk to one host: its base URL and API key. Builds requests and runs short exchanges
// (polls, probes, fetches) with a transfer timeout; the long-lived event stream builds its own
// request from streamRequest() because it must never time out.
class HostEndpoint final
{
public:
    using Callback = std::function<void(Result<HostResponse>)>;

    HostEndpoint() = default;
    HostEndpoint(QUrl baseUrl, QString apiKey);

    const QUrl &baseUrl() const { return m_baseUrl; }
    void setApiKey(const QString &key) { m_apiKey = key; }
    // The resolved key (empty until resolved, or without one); the gateway sends it too.
    const QString &apiKey() const { return m_apiKey; }

    QUrl url(const QString &path, const QUrlQuery &query = {}) const;
    QNetworkRequest request(const QString &path, const QUrlQuery &query = {}, int timeoutMs = 5000) const;
    QNetworkRequest streamRequest(const QString &path) const;

    // GET (or another method; a body is sent as JSON) with a timeout. The callback runs on
    // `context`'s thread, and not at all when `context` is gone. Network failures become errors
    // that name the URL.
    QNetworkReply *send(QNetworkAccessManager *nam, const QByteArray &method, const QString &path, const QUrlQuery &query, int timeoutMs,
                        QObject *context, Callback done, const QByteArray &body = {}) const;

    // "GET http://h:8080/api/version: connection refused" style text for a failed reply.
    static Error networkError(QNetworkReply *reply, const QByteArray &method);

private:
    QUrl m_baseUrl;
    QString m_apiKey;
};

} // namespace boo
