#pragma once

#include "core/http/httpheaders.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>
#include <utility>

namespace boo {

// One parsed HTTP/1.x request. A plain value: handlers that answer later simply copy it
// (the body is implicitly shared, so copies are cheap).
class HttpRequest final
{
public:
    HttpRequest() = default;

    const QByteArray &method() const { return m_method; }
    // The request-target exactly as received ("/api/performance?after=2026-...%2B02:00").
    const QByteArray &target() const { return m_target; }
    // Path part of the target, still percent-encoded; routing splits this into segments
    // before decoding so that an encoded '/' stays inside its segment (as in Go's mux).
    const QByteArray &rawPath() const { return m_rawPath; }
    // Percent-decoded path (UTF-8).
    const QString &path() const { return m_path; }
    // Query string after '?', as received (empty when absent).
    const QByteArray &rawQuery() const { return m_rawQuery; }
    bool hasQuery() const { return m_hasQuery; }

    // The query with its encoding preserved: QUrlQuery never turns '+' into a space and never
    // turns "%2B" into '+', so callers see exactly what the client sent.
    QUrlQuery query() const;
    // Query values decoded the way Go's url.ParseQuery (and thus llama-swap) decodes them:
    // '+' is a space, "%2B" is a plus. A raw '+' in an RFC 3339 offset therefore arrives as a
    // space, which is why clients must percent-encode it. Pairs with bad escapes are skipped.
    bool hasQueryItem(QStringView name) const;
    QString queryValue(QStringView name) const;
    QStringList queryValues(QStringView name) const;
    const QList<std::pair<QString, QString>> &queryItems() const { return m_queryItems; }

    int versionMajor() const { return m_versionMajor; }
    int versionMinor() const { return m_versionMinor; }
    // "HTTP/1.1" or "HTTP/1.0".
    QByteArray protocol() const;

    const HttpHeaders &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const { return m_headers.value(name); }
    QByteArrayList headerValues(QByteArrayView name) const { return m_headers.values(name); }
    bool hasHeader(QByteArrayView name) const { return m_headers.contains(name); }

    const QByteArray &body() const { return m_body; }

    const QHostAddress &peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }

    // Values captured by `{name}` and `{name...}` in the matched route pattern.
    QString pathParam(QStringView name) const { return m_pathParams.value(name.toString()); }
    const QHash<QString, QString> &pathParams() const { return m_pathParams; }

    // Whether the client allows the connection to stay open after this exchange.
    bool wantsKeepAlive() const;

    // Setters, used by the parser and by code that builds requests without a socket.
    void setMethod(QByteArray method) { m_method = std::move(method); }
    // Splits and decodes the target; false when the path has a malformed percent escape.
    bool setTarget(QByteArray target);
    void setVersion(int major, int minor);
    void setHeaders(HttpHeaders headers) { m_headers = std::move(headers); }
    HttpHeaders &headersRef() { return m_headers; }
    void setBody(QByteArray body) { m_body = std::move(body); }
    void setPeer(QHostAddress address, quint16 port);
    void setPathParams(QHash<QString, QString> params) { m_pathParams = std::move(params); }

    // Percent-decodes `in`; '+' stays '+' unless `plusIsSpace`. nullopt on a bad escape.
    static std::optional<QByteArray> percentDecode(QByteArrayView in, bool plusIsSpace);

private:
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_rawPath;
    QString m_path;
    QByteArray m_rawQuery;
    bool m_hasQuery = false;
    QList<std::pair<QString, QString>> m_queryItems;
    int m_versionMajor = 1;
    int m_versionMinor = 1;
    HttpHeaders m_headers;
    QByteArray m_body;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QHash<QString, QString> m_pathParams;
};

} // namespace boo
