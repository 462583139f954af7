// EventStream on a raw loopback socket: the request it sends, frames split anywhere across
// chunks, an error status with its body, a host that closes, and one that never answers.
#include "core/http/chunkedencoder.h"
#include "core/ingest/eventstream.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <thread>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// Accepts one connection, keeps what the client sent, answers with what the test writes.
class RawHost : public QObject
{
public:
    RawHost() { m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path)); }
    QTcpSocket *accept()
    {
        if (!m_server.hasPendingConnections() && !m_server.waitForNewConnection(5000))
            return nullptr;
        QTcpSocket *socket = m_server.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { received += socket->readAll(); });
        return socket;
    }
    QByteArray received;

private:
    QTcpServer m_server;
};

QByteArray chunk(const QByteArray &data)
{
    QByteArray out;
    ChunkedEncoder::appendChunk(out, data);
    return out;
}

QByteArray eventFrame(const QByteArray &type, const QByteArray &inner)
{
    // llama-swap's envelope: the message data is a JSON string inside the event's JSON.
    QByteArray escaped = inner;
    escaped.replace('\\', "\\\\").replace('"', "\\\"");
    return "data: {\"type\":\"" + type + "\",\"data\":\"" + escaped + "\"}\n\n";
}

} // namespace

class TestEventStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestCarriesHostQueryAndCredentials()
    {
        QNetworkRequest request(QUrl(u"http://ops:s%20cret@gpu1.lan:8080/base/api/events?x=1"_s));
        request.setRawHeader("Accept", "text/event-stream");
        const QByteArray sent = EventStream::httpRequest(request);
        QVERIFY2(sent.startsWith("GET /base/api/events?x=1 HTTP/1.1\r\nHost: gpu1.lan:8080\r\n"), sent.constData());
        QVERIFY(sent.contains("Accept: text/event-stream\r\n"));
        QVERIFY(sent.contains(QByteArray("Authorization: Basic " + QByteArray("ops:s cret").toBase64() + "\r\n")));
        QVERIFY(sent.endsWith("\r\n\r\n"));

        // A bearer key wins over credentials in the URL; the default port is not named.
        QNetworkRequest bearer(QUrl(u"http://ops:x@gpu1.lan/api/events"_s));
        bearer.setRawHeader("Authorization", "Bearer k");
        const QByteArray second = EventStream::httpRequest(bearer);
        QVERIFY(second.contains("Host: gpu1.lan\r\n"));
        QCOMPARE(second.count("Authorization:"), 1);

        const QByteArray v6 = EventStream::httpRequest(QNetworkRequest(QUrl(u"http://[::1]:9292/api/events"_s)));
        QVERIFY2(v6.contains("Host: [::1]:9292\r\n"), v6.constData());
    }

    void framesSplitAcrossChunksAreDecodedThenCloseIsReported()
    {
        RawHost host;
        EventStream stream;
        QSignalSpy opened(&stream, &EventStream::opened);
        QSignalSpy received(&stream, &EventStream::received);
        QSignalSpy malformed(&stream, &EventStream::malformed);
        QSignalSpy lost(&stream, &EventStream::lost);
        QNetworkRequest request(host.url(u"/api/events"_s));
        request.setRawHeader("Authorization", "Bearer secret");
        stream.open(request, 2000);
        QTcpSocket *socket = host.accept();
        QVERIFY(socket);
        QTRY_VERIFY(host.received.endsWith("\r\n\r\n"));
        QVERIFY(host.received.contains("Authorization: Bearer secret\r\n"));

        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray frames = eventFrame("inflight", "{\"total\":2}") + eventFrame("activity", "{\"id\":7}") + "data: {not json\n\n";
        // Three chunks cut in the middle of frames, written apart.
        for (const QByteArray &piece : {frames.left(10), frames.mid(10, 40), frames.mid(50)}) {
            socket->write(chunk(piece));
            socket->flush();
            QTest::qWait(20);
        }
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(opened.size(), 1);
        QTRY_COMPARE(malformed.size(), 1);
        QVERIFY(stream.isOpen());

        socket->write("0\r\n\r\n");
        socket->flush();
        QTRY_COMPARE(lost.size(), 1);
        QCOMPARE(lost.at(0).at(0).value<Error>().code, u"net.closed"_s);
        QVERIFY(!stream.isOpen());
    }

    // Events read apart are handed over in batches (at most one per few ms): none is lost or
    // reordered, and the loss of the stream comes after the last of them.
    void eventsArriveInOrderAcrossHandOvers()
    {
        RawHost host;
        EventStream stream;
        QList<qint64> ids;
        bool lostAfterEvents = false;
        connect(&stream, &EventStream::received, &stream, [&ids](const HostEvent &event) {
            if (const auto *activity = std::get_if<ActivityEvent>(&event))
                ids << activity->id;
        });
        connect(&stream, &EventStream::lost, &stream, [&ids, &lostAfterEvents] { lostAfterEvents = ids.size() == 200; });
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 2000);
        QTcpSocket *socket = host.accept();
        QVERIFY(socket);
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int write = 0; write < 20; ++write) {
            QByteArray frames;
            for (int i = 0; i < 10; ++i)
                frames += eventFrame("activity", "{\"id\":" + QByteArray::number(write * 10 + i) + "}");
            socket->write(chunk(frames));
            socket->flush();
            QTest::qWait(1);
        }
        socket->write("0\r\n\r\n");
        socket->flush();
        QTRY_VERIFY(!stream.isOpen());
        QList<qint64> expected;
        for (int i = 0; i < 200; ++i)
            expected << i;
        QCOMPARE(ids, expected);
        QVERIFY(lostAfterEvents);
    }

    // The owner's thread busy (here: blocked) while a host floods its stream: the reader stops
    // reading after kMaxUntakenEvents, so the host's sends block instead of our memory growing;
    // once the owner takes the events, reading resumes and nothing sent is lost.
    void readerStopsReadingWhileTheOwnerFallsBehind()
    {
        RawHost host;
        EventStream stream;
        qint64 received = 0;
        connect(&stream, &EventStream::received, &stream, [&received] { ++received; });
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 2000);
        QTcpSocket *socket = host.accept();
        QVERIFY(socket);
        QTRY_VERIFY(host.received.endsWith("\r\n\r\n"));
        const int fd = int(socket->socketDescriptor());
        const QByteArray head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        QCOMPARE(::send(fd, head.constData(), size_t(head.size()), 0), ssize_t(head.size()));

        // 200 events per chunk; the sender gives up once the socket stays full for 300 ms.
        QByteArray frames;
        for (int i = 0; i < 200; ++i)
            frames += eventFrame("activity", "{\"id\":" + QByteArray::number(i) + "}");
        const QByteArray piece = chunk(frames);
        // 40 MB: far more than the limit plus what the socket buffers on both sides can hold.
        const qint64 maxChunks = 40 * 1024 * 1024 / piece.size();
        qint64 chunksSent = 0;
        bool blocked = false;
        // Blocking sends (QTcpSocket made the socket non-blocking), each waiting at most 300 ms.
        const int flags = ::fcntl(fd, F_GETFL);
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        const auto restore = qScopeGuard([fd, flags] { ::fcntl(fd, F_SETFL, flags); });
        std::thread sender([&] {
            const timeval timeout{0, 300 * 1000};
            ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
            for (; chunksSent < maxChunks; ++chunksSent) {
                qsizetype offset = 0;
                while (offset < piece.size()) {
                    const ssize_t n = ::send(fd, piece.constData() + offset, size_t(piece.size() - offset), MSG_NOSIGNAL);
                    if (n <= 0) {
                        blocked = true;
                        return; // a chunk cut short: only whole chunks count below
                    }
                    offset += n;
                }
            }
        });
        sender.join(); // this thread takes no events meanwhile
        QVERIFY2(blocked, "the reader kept reading although its owner took nothing");
        QVERIFY(chunksSent < maxChunks);

        QTRY_VERIFY_WITH_TIMEOUT(received >= chunksSent * 200, 10000);
        QVERIFY(stream.isOpen());
    }

    // The reader decodes on its own thread and may have a read's worth of events, or a loss,
    // on the way when the owner closes: none of it may be signalled after close().
    void nothingIsSignalledAfterClose()
    {
        RawHost host;
        EventStream stream;
        QSignalSpy received(&stream, &EventStream::received);
        QSignalSpy lost(&stream, &EventStream::lost);
        connect(&stream, &EventStream::received, &stream, [&stream] { stream.close(); });
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 2000);
        QTcpSocket *socket = host.accept();
        QVERIFY(socket);
        QByteArray frames;
        for (int i = 0; i < 50; ++i)
            frames += eventFrame("activity", "{\"id\":" + QByteArray::number(i) + "}");
        // One write: the fifty events arrive in one read, then the host hangs up.
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(frames) + "0\r\n\r\n");
        socket->flush();
        QTRY_COMPARE(received.size(), 1);
        QTest::qWait(200);
        QCOMPARE(received.size(), 1);
        QCOMPARE(lost.size(), 0);
        QVERIFY(!stream.isOpen());

        // Reopened, the stream reads the new connection only.
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 2000);
        QTcpSocket *second = host.accept();
        QVERIFY(second);
        second->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(eventFrame("activity", "{\"id\":99}")));
        second->flush();
        QTRY_COMPARE(received.size(), 2);
        const HostEvent event = received.at(1).at(0).value<HostEvent>();
        QVERIFY(std::holds_alternative<ActivityEvent>(event));
        QCOMPARE(std::get<ActivityEvent>(event).id, 99);
    }

    void refusalIsReportedWithTheHostsMessage()
    {
        RawHost host;
        EventStream stream;
        QSignalSpy opened(&stream, &EventStream::opened);
        QSignalSpy lost(&stream, &EventStream::lost);
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 2000);
        QTcpSocket *socket = host.accept();
        QVERIFY(socket);
        const QByteArray body = "{\"error\":{\"message\":\"invalid api key\"}}";
        socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                      + "\r\n\r\n" + body);
        socket->flush();
        QTRY_COMPARE(lost.size(), 1);
        const Error error = lost.at(0).at(0).value<Error>();
        QCOMPARE(error.code, u"net.unauthorized"_s);
        QVERIFY2(error.message.contains(u"HTTP 401"_s) && error.message.contains(u"invalid api key"_s), qPrintable(error.message));
        QCOMPARE(opened.size(), 0);
    }

    void hostThatNeverAnswersTimesOut()
    {
        RawHost host;
        EventStream stream;
        QSignalSpy lost(&stream, &EventStream::lost);
        stream.open(QNetworkRequest(host.url(u"/api/events"_s)), 300);
        QVERIFY(host.accept());
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 3000);
        QCOMPARE(lost.at(0).at(0).value<Error>().code, u"net.timeout"_s);
    }

    void refusedConnectionNamesTheUrl()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            closedPort = probe.serverPort();
        }
        EventStream stream;
        QSignalSpy lost(&stream, &EventStream::lost);
        stream.open(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/api/events"_s.arg(closedPort))), 2000);
        QTRY_COMPARE(lost.size(), 1);
        const Error error = lost.at(0).at(0).value<Error>();
        QCOMPARE(error.code, u"net.failed"_s);
        QVERIFY2(error.message.contains(u"127.0.0.1:%1/api/events"_s.arg(closedPort)), qPrintable(error.message));
    }
};

QTEST_GUILESS_MAIN(TestEventStream)
#include "tst_eventstream.moc"
