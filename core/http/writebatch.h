#pragma once

#include <QList>
#include <QPointer>

class QTcpSocket;

namespace boo {

// Sends what is written to client sockets during one piece of work in one write per socket.
//
// HttpConnection pushes every write out at once (time to first byte matters). While the gateway
// handles one read from a host, though, it often writes the same client twice or three times:
// the response head with the body, then the end of the chunked body. Opening a batch around the
// handling of that read holds those flushes back to the batch's end, still in the same pass of
// the event loop, so the client gets them in one segment and the server pays one system call.
//
// A stream that ends is sent at once (HttpConnection::endStream), so that the handler's work
// after its response does not delay it. Batches are per thread and may nest; the outermost one
// flushes.
class WriteBatch final
{
public:
    WriteBatch();
    ~WriteBatch();
    Q_DISABLE_COPY_MOVE(WriteBatch)

    // True when a batch is open on this thread: it flushes `socket` when it ends, the caller
    // should not. False: flush now.
    static bool defer(QTcpSocket *socket);

private:
    bool m_outermost;
    QList<QPointer<QTcpSocket>> m_sockets;
};

} // namespace boo
