#pragma once

#include "core/http/httpheaders.h"

#include <QByteArray>

namespace boo {

// A complete response: status, header fields and body. The server adds Content-Length, Date
// and Connection itself; everything else is sent exactly as given.
class HttpResponse final
{
public:
    explicit HttpResponse(int status = 200);
    HttpResponse(int status, QByteArray contentType, QByteArray body);

    // "text/plain; charset=utf-8", the type Go's http.Error and text handlers use.
    static HttpResponse text(int status, QByteArray body);
    static HttpResponse json(int status, QByteArray body);

    int status() const { return m_status; }
    void setStatus(int status) { m_status = status; }
    const HttpHeaders &headers() const { return m_headers; }
    HttpHeaders &headers() { return m_headers; }
    void setHeader(QByteArray name, QByteArray value) { m_headers.set(std::move(name), std::move(value)); }
    const QByteArray &body() const { return m_body; }
    void setBody(QByteArray body) { m_body = std::move(body); }

    static QByteArray reasonPhrase(int status);
    // Statuses that never carry a body (RFC 9110 §6.4.1).
    static bool statusAllowsBody(int status);

private:
    int m_status;
    HttpHeaders m_headers;
    QByteArray m_body;
};

} // namespace boo
