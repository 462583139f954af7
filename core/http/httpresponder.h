#pragma once

#include "core/http/httpheaders.h"
#include "core/http/httpresponse.h"

#include <QPointer>

#include <memory>

namespace boo {

class HttpConnection;
class HttpStream;

// The one way to answer a request. Handed to the handler by value; the handler answers at
// once or moves it somewhere (a lambda, a waiting list) and answers later. Move-only, so a
// request is answered at most once. A responder that is destroyed without having answered
// sends 500, so a forgotten branch never leaves a client hanging. If the client is gone by
// the time the answer comes, answering is a harmless no-op.
class HttpResponder final
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 exchange);
    HttpResponder(HttpResponder &&other) noexcept;
    HttpResponder &operator=(HttpResponder &&other) noexcept;
    ~HttpResponder();
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;

    // True until respond()/startStream() was called (false for moved-from responders).
    bool isPending() const { return m_pending; }
    bool isClientConnected() const;
    // Destroyed when the client's connection closes: a context object for async work that
    // should stop when nobody waits for the answer any more. Null once the client is gone.
    QObject *connectionContext() const;

    void respond(HttpResponse response);
    void respond(int status, QByteArray contentType, QByteArray body);
    // Sends the status line and headers now and returns the body stream (chunked on
    // HTTP/1.1, raw until close on HTTP/1.0). Null when the client is already gone.
    // `firstPiece` goes out with the head in one write (a proxy's first byte costs one syscall).
    std::unique_ptr<HttpStream> startStream(int status, HttpHeaders headers = {}, QByteArrayView firstPiece = {});

private:
    HttpConnection *connection() const;
    void release();

    QPointer<QObject> m_connection;
    quint64 m_exchange = 0;
    bool m_pending = false;
};

} // namespace boo
