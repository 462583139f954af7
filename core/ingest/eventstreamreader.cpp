#include "core/ingest/eventstreamreader.h"

#include "core/protocol/apierror.h"

#include <QDeadlineTimer>

using namespace Qt::StringLiterals;

namespace boo {

EventStreamReader::EventStreamReader()
    : m_deliveryTimer(this) // a child, so that it moves to the reader's thread with it
{
    touch();
    m_deliveryTimer.setSingleShot(true);
    m_deliveryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_deliveryTimer, &QTimer::timeout, this, &EventStreamReader::deliver);
}

EventStreamReader::~EventStreamReader()
{
    close();
}

void EventStreamReader::touch()
{
    m_lastByteMs.store(QDeadlineTimer::current().deadline(), std::memory_order_relaxed);
}

void EventStreamReader::open(const Target &target, quint64 generation)
{
    close();
    m_target = target;
    m_generation = generation;
    m_parser.reset();
    m_status = 0;
    m_errorBody.clear();
    touch();
    m_connection = new UpstreamConnection(target.origin, this);
    UpstreamTimeouts timeouts;
    timeouts.connectMs = target.headerTimeoutMs;
    timeouts.headerMs = target.headerTimeoutMs;
    timeouts.idleMs = 0; // llama-swap sends no heartbeat
    m_connection->send(target.request, false, timeouts, this);
}

void EventStreamReader::close()
{
    m_deliveryTimer.stop();
    m_batch = {};
    m_handOver->paused = false;
    if (!m_connection)
        return;
    UpstreamConnection *connection = m_connection;
    m_connection = nullptr;
    connection->abortExchange();
    // Later: close() may run inside one of the connection's own callbacks.
    connection->deleteLater();
}

void EventStreamReader::upstreamHead(int status, const HttpHeaders &)
{
    touch();
    m_status = status;
    // A refusal (401, 404, ...) is reported with its body once it has arrived.
    if (status == 200)
        Q_EMIT opened(m_generation);
}

void EventStreamReader::upstreamBody(QByteArrayView piece)
{
    touch();
    if (m_status != 200) {
        m_errorBody.append(piece.first(qMin(piece.size(), kErrorBodyBytes - m_errorBody.size())));
        return;
    }
    for (const SseEvent &event : m_parser.feed(piece)) {
        if (event.event != "message" && !event.event.isEmpty())
            continue; // llama-swap sends only "message"; anything else is not ours to read
        m_batch.items.append(m_decoder.decode(event));
    }
    if (m_batch.items.isEmpty() || m_deliveryTimer.isActive())
        return;
    const qint64 sinceLast = m_lastDelivery.isValid() ? m_lastDelivery.elapsed() : kHandOverEveryMs;
    if (sinceLast >= kHandOverEveryMs)
        deliver();
    else
        m_deliveryTimer.start(int(kHandOverEveryMs - sinceLast));
}

void EventStreamReader::deliver()
{
    if (m_batch.items.isEmpty())
        return;
    m_lastDelivery.start();
    const qint64 untaken = m_handOver->untaken.fetch_add(m_batch.items.size()) + m_batch.items.size();
    if (untaken > kMaxUntakenEvents && m_connection && !m_handOver->paused) {
        m_handOver->paused = true;
        m_connection->setPaused(true);
    }
    Q_EMIT received(m_generation, std::exchange(m_batch, {}));
}

void EventStreamReader::resumeIfTaken()
{
    if (!m_handOver->paused || m_handOver->untaken > kMaxUntakenEvents / 2)
        return;
    m_handOver->paused = false;
    if (m_connection)
        m_connection->setPaused(false);
}

void EventStreamReader::upstreamComplete()
{
    if (m_status != 200) {
        const auto apiError = ApiError::fromBody(m_errorBody);
        const QString why = apiError ? apiError->message : QString::fromUtf8(m_errorBody.left(200)).trimmed();
        fail(makeError(m_status == 401 || m_status == 403 ? u"net.unauthorized"_s : u"net.status"_s,
                       u"GET %1: HTTP %2 %3"_s.arg(m_target.shownUrl).arg(m_status).arg(why)));
        return;
    }
    fail(makeError(u"net.closed"_s, u"the host closed the event stream"_s));
}

void EventStreamReader::upstreamFailed(UpstreamFailure failure, const QString &message)
{
    const QString &url = m_target.shownUrl;
    if (failure == UpstreamFailure::ConnectTimeout) {
        fail(makeError(u"net.timeout"_s, u"GET %1: no connection within %2 ms"_s.arg(url).arg(m_target.headerTimeoutMs)));
        return;
    }
    if (failure == UpstreamFailure::HeaderTimeout) {
        fail(makeError(u"net.timeout"_s, u"GET %1: connected, but no answer within %2 ms"_s.arg(url).arg(m_target.headerTimeoutMs)));
        return;
    }
    fail(makeError(u"net.failed"_s, u"GET %1: %2"_s.arg(url, message)));
}

void EventStreamReader::fail(const Error &error)
{
    if (!m_connection)
        return;
    deliver(); // what arrived before the end, first
    close();
    Q_EMIT lost(m_generation, error);
}

} // namespace boo
