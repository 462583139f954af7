#include "core/http/httpresponder.h"

#include "core/http/httpconnection.h"
#include "core/http/httpstream.h"

using namespace Qt::StringLiterals;

namespace boo {

HttpResponder::HttpResponder(HttpConnection *connection, quint64 exchange)
    : m_connection(connection)
    , m_exchange(exchange)
    , m_pending(true)
{
}

HttpResponder::HttpResponder(HttpResponder &&other) noexcept
    : m_connection(std::move(other.m_connection))
    , m_exchange(other.m_exchange)
    , m_pending(std::exchange(other.m_pending, false))
{
    other.m_connection = nullptr;
}

HttpResponder &HttpResponder::operator=(HttpResponder &&other) noexcept
{
    if (this != &other) {
        release();
        m_connection = std::move(other.m_connection);
        other.m_connection = nullptr;
        m_exchange = other.m_exchange;
        m_pending = std::exchange(other.m_pending, false);
    }
    return *this;
}

HttpResponder::~HttpResponder()
{
    release();
}

void HttpResponder::release()
{
    if (!m_pending)
        return;
    m_pending = false;
    if (HttpConnection *c = connection())
        c->respond(m_exchange, HttpResponse::text(500, "500 Internal Server Error: the request was not answered"_ba));
}

HttpConnection *HttpResponder::connection() const
{
    auto *c = static_cast<HttpConnection *>(m_connection.data());
    return (c && !c->isClosed()) ? c : nullptr;
}

bool HttpResponder::isClientConnected() const
{
    const HttpConnection *c = connection();
    return c && c->isCurrent(m_exchange);
}

QObject *HttpResponder::connectionContext() const
{
    return connection();
}

void HttpResponder::respond(HttpResponse response)
{
    if (!m_pending)
        return;
    m_pending = false;
    if (HttpConnection *c = connection())
        c->respond(m_exchange, std::move(response));
}

void HttpResponder::respond(int status, QByteArray contentType, QByteArray body)
{
    respond(HttpResponse(status, std::move(contentType), std::move(body)));
}

std::unique_ptr<HttpStream> HttpResponder::startStream(int status, HttpHeaders headers, QByteArrayView firstPiece)
{
    if (!m_pending)
        return nullptr;
    m_pending = false;
    if (HttpConnection *c = connection())
        return c->startStream(m_exchange, status, std::move(headers), firstPiece);
    return nullptr;
}

} // namespace boo
