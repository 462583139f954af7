// Socket notifiers: sockets, pipes, processes and regular files, changed from inside handlers.

#include "tests/server/epolltest.h"

using namespace Qt::StringLiterals;
using namespace epolltest;

void TestEpollEventDispatcher::tcpEchoRoundTrip()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QPointer<QTcpSocket> serverSide;
    connect(&server, &QTcpServer::newConnection, this, [&] {
        serverSide = server.nextPendingConnection();
        connect(serverSide, &QTcpSocket::readyRead, serverSide, [s = serverSide.data()] { s->write(s->readAll()); });
    });

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(client.state() == QAbstractSocket::ConnectedState && serverSide);
    // Small kernel buffers: the writes cannot complete at once and wait for write notifiers.
    for (QTcpSocket *s : {&client, serverSide.data()}) {
        s->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 16 * 1024);
        s->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 16 * 1024);
    }

    const QByteArray payload = pattern(400 * 1024);
    QByteArray echoed;
    connect(&client, &QTcpSocket::readyRead, this, [&] { echoed += client.readAll(); });
    QSignalSpy written(&client, &QTcpSocket::bytesWritten);
    QCOMPARE(client.write(payload), payload.size());
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 8000);
    QVERIFY(echoed == payload);
    QVERIFY2(written.count() > 1, "the payload went out in one write");

    QSignalSpy serverDisconnected(serverSide.data(), &QTcpSocket::disconnected);
    client.disconnectFromHost();
    QTRY_COMPARE(serverDisconnected.count(), 1);
}

void TestEpollEventDispatcher::notifierRemovedByAnotherHandlerIsNotActivated_data()
{
    QTest::addColumn<bool>("deleteIt"); // else disable it
    QTest::newRow("deleted") << true;
    QTest::newRow("disabled") << false;
}

void TestEpollEventDispatcher::notifierRemovedByAnotherHandlerIsNotActivated()
{
    QFETCH(bool, deleteIt);
    Pipe pipes[2];
    QPointer<QSocketNotifier> notifiers[2];
    // Gone before the pipes close, even when a check fails: a notifier must not outlive its fd.
    const auto cleanup = qScopeGuard([&] {
        for (const auto &n : notifiers)
            delete n.data();
    });
    int fired[2] = {0, 0};
    for (int i = 0; i < 2; ++i) {
        QVERIFY(pipes[i].write());
        notifiers[i] = new QSocketNotifier(pipes[i].readFd(), QSocketNotifier::Read, this);
        connect(notifiers[i], &QSocketNotifier::activated, this, [&, i] {
            ++fired[i];
            pipes[i].drain();
            // Both are ready in the same pass; the one not run yet must stay silent.
            QSocketNotifier *other = notifiers[1 - i];
            if (other && deleteIt)
                delete other;
            else if (other)
                other->setEnabled(false);
        });
    }
    QTRY_COMPARE(fired[0] + fired[1], 1);
    QTest::qWait(50);
    QCOMPARE(fired[0] + fired[1], 1);
    const int silent = fired[0] ? 1 : 0;
    QCOMPARE(notifiers[silent].isNull(), deleteIt);
    QVERIFY(isReadable(pipes[silent].readFd())); // it still had data: only its removal kept it quiet
}

void TestEpollEventDispatcher::nestedLoopInNotifierHandlerActivatesOthersOnce()
{
    Pipe pipes[2];
    std::unique_ptr<QSocketNotifier> notifiers[2]; // gone before the pipes close
    int fired[2] = {0, 0};
    int spurious = 0;
    bool nestedRan = false;
    for (int i = 0; i < 2; ++i) {
        QVERIFY(pipes[i].write());
        notifiers[i] = std::make_unique<QSocketNotifier>(pipes[i].readFd(), QSocketNotifier::Read);
        connect(notifiers[i].get(), &QSocketNotifier::activated, this, [&, i] {
            // Level-triggered: a pipe nobody else reads is readable whenever it is reported.
            if (!isReadable(pipes[i].readFd())) {
                ++spurious;
                return;
            }
            ++fired[i];
            pipes[i].drain();
            if (!nestedRan) {
                // The other pipe, ready in the same pass, is handled inside this nested loop.
                nestedRan = true;
                passesWhileRunning(30);
            }
        });
    }
    QTRY_COMPARE(fired[0] + fired[1], 2);
    QTest::qWait(50);
    QCOMPARE(fired[0], 1);
    QCOMPARE(fired[1], 1);
    QCOMPARE(spurious, 0);
}

void TestEpollEventDispatcher::processOutputAndFinished()
{
    QProcess process;
    QByteArray output;
    connect(&process, &QProcess::readyReadStandardOutput, this, [&] { output += process.readAllStandardOutput(); });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(u"/bin/sh"_s, {u"-c"_s, u"echo hello; sleep 0.1; echo done"_s});
    QVERIFY(process.waitForStarted(5000));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    output += process.readAllStandardOutput();
    QCOMPARE(output, QByteArray("hello\ndone\n"));
}

void TestEpollEventDispatcher::regularFileNotifierActivatesAndCanBeDisabled()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QVERIFY(file.write("data") == 4 && file.flush());
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    int fired = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++fired;
        notifier.setEnabled(false);
    });
    QTRY_COMPARE(fired, 1);

    // Disabled, it must not keep the loop awake: an idle 100 ms loop sleeps and ends normally.
    QElapsedTimer clock;
    clock.start();
    const int passes = passesWhileRunning(100);
    QVERIFY(clock.elapsed() >= 100);
    QVERIFY2(passes < 50, qPrintable(u"%1 passes in 100 ms"_s.arg(passes)));
    QCOMPARE(fired, 1);

    // Enabled again it is ready again.
    notifier.setEnabled(true);
    QTRY_COMPARE(fired, 2);
}

void TestEpollEventDispatcher::interestChangedInAHandlerHoldsAtTheNextWait_data()
{
    // What the read handler does to the (always writable) socket's write notifier.
    QTest::addColumn<bool>("enable");
    QTest::addColumn<bool>("thenDisable");
    QTest::newRow("enabled: fires on the next pass") << true << false;
    QTest::newRow("enabled and disabled again: never fires") << true << true;
}

void TestEpollEventDispatcher::interestChangedInAHandlerHoldsAtTheNextWait()
{
    // Changes of a watched descriptor's interest are applied just before the wait (see the
    // header): they must hold there, whichever way they went in between.
    QFETCH(bool, enable);
    QFETCH(bool, thenDisable);
    int fds[2] = {-1, -1};
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    const auto closeFds = qScopeGuard([&] {
        ::close(fds[0]);
        ::close(fds[1]);
    });
    int reads = 0;
    int writes = 0;
    {
        QSocketNotifier reader(fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(fds[0], QSocketNotifier::Write);
        writer.setEnabled(false);
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            ++reads;
            char buffer[64];
            while (::read(fds[0], buffer, sizeof buffer) > 0) {}
            if (enable)
                writer.setEnabled(true);
            if (thenDisable)
                writer.setEnabled(false);
        });
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            ++writes;
            writer.setEnabled(false); // once is enough: a stale interest would spin here
        });
        // A write interest left in the kernel would end every wait at once: count the passes.
        int passes = 0;
        connect(dispatcher(), &QAbstractEventDispatcher::awake, &reader, [&] { ++passes; });
        QCOMPARE(::write(fds[1], "x", 1), 1);
        QTRY_COMPARE(reads, 1);
        const int passesBefore = passes;
        QEventLoop idle; // waits for events, as qWait does not
        QTimer::singleShot(50, &idle, &QEventLoop::quit);
        idle.exec();
        QCOMPARE(writes, thenDisable ? 0 : 1);
        QVERIFY2(passes - passesBefore < 40, qPrintable(u"%1 passes in 50 ms"_s.arg(passes - passesBefore)));
        // The read interest survived the write notifier's comings and goings.
        QCOMPARE(::write(fds[1], "y", 1), 1);
        QTRY_COMPARE(reads, 2);
        QTest::qWait(20);
        QCOMPARE(writes, thenDisable ? 0 : 2);
        QCOMPARE(reads, 2);
    }
}
