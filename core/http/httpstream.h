#pragma once

#include <QByteArrayView>
#include <QObject>
#include <QPointer>

namespace boo {

class HttpConnection;

// A response body sent piece by piece (SSE, log tails, proxied token streams). Owned by
// whoever writes to it. Destroying an open stream ends it properly; abort() instead resets
// the connection, which is how tests and the simulator model a host that dies mid-stream.
class HttpStream final : public QObject
{
    Q_OBJECT

public:
    ~HttpStream() override;
    Q_DISABLE_COPY_MOVE(HttpStream)

    // False once ended, aborted, or the client went away.
    bool isOpen() const;
    // Sends one piece at once (one chunk on HTTP/1.1). Empty pieces are skipped: an empty
    // chunk would end the body. Returns false when the stream is no longer open.
    bool write(QByteArrayView data);
    // Sends the terminating chunk; the connection may then serve its next request.
    void end();
    // Resets the connection without a proper end of body.
    void abort();
    // Bytes accepted but not yet handed to the operating system, for back-pressure.
    qint64 bytesPending() const;
    // Body bytes written so far (what a client has been sent, before chunk framing).
    qint64 bytesWritten() const { return m_bytesWritten; }

Q_SIGNALS:
    // The peer disconnected (or the server dropped the connection) before end().
    void clientGone();
    // The write buffer became empty.
    void drained();

private:
    friend class HttpConnection;
    HttpStream(HttpConnection *connection, quint64 exchange);
    void markGone(bool notify);

    QPointer<QObject> m_connection;
    quint64 m_exchange = 0;
    qint64 m_bytesWritten = 0;
    bool m_open = true;
};

} // namespace boo
