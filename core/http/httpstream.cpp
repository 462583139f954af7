#include "core/http/httpstream.h"

#include "core/http/httpconnection.h"

namespace boo {

HttpStream::HttpStream(HttpConnection *connection, quint64 exchange)
    : m_connection(connection)
    , m_exchange(exchange)
{
}

HttpStream::~HttpStream()
{
    end();
}

bool HttpStream::isOpen() const
{
    const auto *c = static_cast<HttpConnection *>(m_connection.data());
    return m_open && c && c->isCurrent(m_exchange);
}

bool HttpStream::write(QByteArrayView data)
{
    if (!m_open)
        return false;
    auto *c = static_cast<HttpConnection *>(m_connection.data());
    if (!c || !c->writeStream(m_exchange, data))
        return false;
    m_bytesWritten += data.size();
    return true;
}

void HttpStream::end()
{
    if (!m_open)
        return;
    m_open = false;
    if (auto *c = static_cast<HttpConnection *>(m_connection.data()))
        c->endStream(m_exchange);
}

void HttpStream::abort()
{
    if (!m_open)
        return;
    m_open = false;
    if (auto *c = static_cast<HttpConnection *>(m_connection.data()))
        c->abortStream(m_exchange);
}

qint64 HttpStream::bytesPending() const
{
    const auto *c = static_cast<HttpConnection *>(m_connection.data());
    return (m_open && c) ? c->bytesToWrite() : 0;
}

void HttpStream::markGone(bool notify)
{
    if (!m_open)
        return;
    m_open = false;
    m_connection = nullptr;
    // Last statement: a receiver may delete this stream from its slot.
    if (notify)
        Q_EMIT clientGone();
}

} // namespace boo
