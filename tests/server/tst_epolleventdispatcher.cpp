// The epoll event loop of --serve (core/server/epolleventdispatcher.h) under Qt's own rules. The
// tests are split by what the loop waits for: epolltimers.cpp, epollnotifiers.cpp, epollloops.cpp.

#include "tests/server/epolltest.h"

using namespace epolltest;

void TestEpollEventDispatcher::dispatcherIsInstalled()
{
    QVERIFY2(dispatcher(), QAbstractEventDispatcher::instance()->metaObject()->className());
}

// QTEST_GUILESS_MAIN would leave Qt's own dispatcher in place: install ours first.
int main(int argc, char *argv[])
{
    auto *epoll = boo::EpollEventDispatcher::create();
    if (!epoll)
        qFatal("the kernel refused an epoll or eventfd descriptor");
    QCoreApplication::setEventDispatcher(epoll);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
