// WriteBatch holds back the flush of sockets written while it is open, to its end (loopback
// sockets: what the peer receives, and when).
#include "core/http/writebatch.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace boo;

class TestWriteBatch : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void withoutBatchTheCallerFlushes();
    void batchFlushesAtItsEnd();
    void nestedBatchFlushesAtTheOutermostEnd();
    void socketDeletedInsideTheBatchIsSkipped();

private:
    // Writes as HttpConnection::write does.
    static void write(QTcpSocket *socket, const char *data)
    {
        socket->write(data);
        if (!WriteBatch::defer(socket))
            socket->flush();
    }
    QByteArray receivedWithin(int ms);

    QTcpServer m_server;
    std::unique_ptr<QTcpSocket> m_client; // the end we write to (the "client socket" of a server)
    QTcpSocket *m_peer = nullptr;         // the end that reads
};

void TestWriteBatch::init()
{
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
    auto connecting = std::make_unique<QTcpSocket>();
    connecting->connectToHost(QHostAddress::LocalHost, m_server.serverPort());
    QVERIFY(connecting->waitForConnected(5000));
    QVERIFY(m_server.waitForNewConnection(5000));
    m_peer = m_server.nextPendingConnection();
    m_client = std::move(connecting);
}

void TestWriteBatch::cleanup()
{
    m_client.reset();
    delete m_peer;
    m_peer = nullptr;
    m_server.close();
}

QByteArray TestWriteBatch::receivedWithin(int ms)
{
    m_peer->waitForReadyRead(ms);
    return m_peer->readAll();
}

void TestWriteBatch::withoutBatchTheCallerFlushes()
{
    write(m_client.get(), "head");
    QCOMPARE(m_client->bytesToWrite(), 0);
    QCOMPARE(receivedWithin(5000), QByteArray("head"));
}

void TestWriteBatch::batchFlushesAtItsEnd()
{
    {
        WriteBatch batch;
        write(m_client.get(), "head+body,");
        write(m_client.get(), "end");
        QCOMPARE(m_client->bytesToWrite(), 13); // held back
        QCOMPARE(receivedWithin(50), QByteArray());
    }
    QCOMPARE(m_client->bytesToWrite(), 0);
    QCOMPARE(receivedWithin(5000), QByteArray("head+body,end"));
}

void TestWriteBatch::nestedBatchFlushesAtTheOutermostEnd()
{
    {
        WriteBatch outer;
        {
            WriteBatch inner;
            write(m_client.get(), "a");
        }
        QCOMPARE(m_client->bytesToWrite(), 1);
        write(m_client.get(), "b");
    }
    QCOMPARE(m_client->bytesToWrite(), 0);
    QCOMPARE(receivedWithin(5000), QByteArray("ab"));
    // Closed: writes flush at once again.
    write(m_client.get(), "c");
    QCOMPARE(m_client->bytesToWrite(), 0);
}

void TestWriteBatch::socketDeletedInsideTheBatchIsSkipped()
{
    {
        WriteBatch batch;
        write(m_client.get(), "lost");
        m_client.reset(); // a connection aborted by a handler inside the batch
        // Its end must not touch the deleted socket (a crash, or a report under the asan preset).
    }
    QTRY_COMPARE(m_peer->state(), QAbstractSocket::UnconnectedState);
}

QTEST_GUILESS_MAIN(TestWriteBatch)
#include "tst_writebatch.moc"
