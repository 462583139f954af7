#include "core/ingest/eventstream.h"

#include "core/ingest/eventstreamreader.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QPointer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// One thread reads every host's event stream; it stops when the last stream is gone. Its
// readers are deleted there (deleteLater), at the latest when it finishes.
std::shared_ptr<QThread> sharedReaderThread()
{
    static QMutex mutex;
    static std::weak_ptr<QThread> shared;
    QMutexLocker lock(&mutex);
    if (auto thread = shared.lock())
        return thread;
    auto thread = std::shared_ptr<QThread>(new QThread, [](QThread *t) {
        t->quit();
        t->wait();
        delete t;
    });
    thread->setObjectName(u"boo-event-streams"_s);
    thread->start();
    shared = thread;
    return thread;
}

} // namespace

EventStream::EventStream(QObject *parent)
    : QObject(parent)
    , m_thread(sharedReaderThread())
    , m_reader(new EventStreamReader)
{
    m_reader->moveToThread(m_thread.get());
    connect(m_reader, &EventStreamReader::opened, this, &EventStream::onOpened);
    connect(m_reader, &EventStreamReader::received, this, &EventStream::onReceived);
    connect(m_reader, &EventStreamReader::lost, this, &EventStream::onLost);
}

EventStream::~EventStream()
{
    // The reader closes its connection as it is destroyed, on its own thread.
    m_reader->deleteLater();
}

QByteArray EventStream::httpRequest(const QNetworkRequest &request)
{
    const QUrl url = request.url();
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    const bool tls = url.scheme() == u"https"_s;
    const int defaultPort = tls ? 443 : 80;
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 literal
    QByteArray out = "GET " + target + " HTTP/1.1\r\nHost: " + host;
    if (url.port(defaultPort) != defaultPort)
        out += ':' + QByteArray::number(url.port());
    out += "\r\n";
    bool hasAuthorization = false;
    for (const QByteArray &name : request.rawHeaderList()) {
        hasAuthorization = hasAuthorization || name.compare("Authorization", Qt::CaseInsensitive) == 0;
        out += name + ": " + request.rawHeader(name) + "\r\n";
    }
    if (!hasAuthorization && !url.userName().isEmpty())
        out += "Authorization: Basic " + (url.userName() + u':' + url.password()).toUtf8().toBase64() + "\r\n";
    return out + "\r\n";
}

void EventStream::open(const QNetworkRequest &request, int headerTimeoutMs)
{
    const QUrl url = request.url();
    const bool tls = url.scheme() == u"https"_s;
    EventStreamReader::Target target{UpstreamOrigin{url.host(), quint16(url.port(tls ? 443 : 80)), tls}, httpRequest(request),
                                     url.adjusted(QUrl::RemoveUserInfo).toString(), headerTimeoutMs};
    const quint64 generation = ++m_generation;
    m_open = true;
    m_reader->touch();
    QMetaObject::invokeMethod(m_reader, [reader = m_reader, target = std::move(target), generation] { reader->open(target, generation); });
}

void EventStream::close()
{
    if (!m_open)
        return;
    m_open = false;
    ++m_generation;
    QMetaObject::invokeMethod(m_reader, [reader = m_reader] { reader->close(); });
}

qint64 EventStream::quietMs() const
{
    return m_open ? qMax<qint64>(0, QDeadlineTimer::current().deadline() - m_reader->lastByteMs()) : 0;
}

void EventStream::onOpened(quint64 generation)
{
    if (generation == m_generation && m_open)
        Q_EMIT opened();
}

void EventStream::onReceived(quint64 generation, const EventBatch &batch)
{
    const QPointer<EventStream> self(this); // a handler may delete this stream (its host removed)
    const std::shared_ptr<EventStreamReader::HandOver> handOver = m_reader->handOver(); // outlives a deleted this
    for (const Result<HostEvent> &item : batch.items) {
        if (!self || generation != m_generation || !m_open)
            break; // deleted, closed or reopened by a handler, or closed before this batch arrived
        if (item)
            Q_EMIT received(*item);
        else
            Q_EMIT malformed(item.error());
    }
    const qint64 untaken = handOver->untaken.fetch_sub(batch.items.size()) - batch.items.size();
    if (self && handOver->paused && untaken <= EventStreamReader::kMaxUntakenEvents / 2)
        QMetaObject::invokeMethod(m_reader, &EventStreamReader::resumeIfTaken);
}

void EventStream::onLost(quint64 generation, const Error &error)
{
    if (generation != m_generation || !m_open)
        return;
    m_open = false;
    ++m_generation;
    Q_EMIT lost(error);
}

} // namespace boo
