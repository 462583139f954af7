#include "core/http/writebatch.h"

#include <QTcpSocket>

namespace boo {

namespace {
thread_local WriteBatch *t_open = nullptr;
}

WriteBatch::WriteBatch()
    : m_outermost(t_open == nullptr)
{
    if (m_outermost)
        t_open = this;
}

WriteBatch::~WriteBatch()
{
    if (!m_outermost)
        return;
    t_open = nullptr;
    // Flushing may run handlers (bytesWritten) that write again: they flush at once now.
    const QList<QPointer<QTcpSocket>> sockets = std::move(m_sockets);
    for (const QPointer<QTcpSocket> &socket : sockets) {
        if (socket)
            socket->flush();
    }
}

bool WriteBatch::defer(QTcpSocket *socket)
{
    if (!t_open)
        return false;
    // A batch holds a handful of sockets (usually one): a linear check is the cheapest.
    for (const QPointer<QTcpSocket> &held : std::as_const(t_open->m_sockets)) {
        if (held == socket)
            return true;
    }
    t_open->m_sockets.append(socket);
    return true;
}

} // namespace boo
