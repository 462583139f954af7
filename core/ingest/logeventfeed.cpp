#include "core/ingest/logeventfeed.h"

#include "core/common/logging.h"
#include "core/http/hostendpoint.h"
#include "core/ingest/eventstream.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace boo {

LogEventFeed::LogEventFeed(const HostEndpoint *endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_stream(new EventStream(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &LogEventFeed::open);
    connect(m_stream, &EventStream::opened, this, [this] {
        m_everOpened = true;
        Q_EMIT opened();
    });
    connect(m_stream, &EventStream::received, this, [this](const HostEvent &event) {
        if (const auto *log = std::get_if<LogDataEvent>(&event))
            Q_EMIT received(*log);
    });
    connect(m_stream, &EventStream::lost, this, &LogEventFeed::onLost);
}

LogEventFeed::~LogEventFeed() = default;

LogEventFeed::Mode LogEventFeed::modeForVersion(const std::optional<VersionInfo> &version)
{
    if (!version || !version->release)
        return Mode::Undecided;
    return *version->release >= kFirstSeparateRelease ? Mode::Separate : Mode::OnEvents;
}

void LogEventFeed::mainStreamOpened(const std::optional<VersionInfo> &version)
{
    stop();
    m_active = true;
    m_everOpened = false;
    // Decided again on every connection: a restarted host may run another release.
    m_mode = modeForVersion(version);
    if (m_mode == Mode::Separate)
        open();
}

void LogEventFeed::observe(const HostEvent &event)
{
    if (m_mode != Mode::Undecided || !m_active)
        return;
    // Every release before v259 opens its snapshot with the proxy log's history.
    if (std::holds_alternative<LogDataEvent>(event)) {
        m_mode = Mode::OnEvents;
        return;
    }
    m_mode = Mode::Separate;
    open();
}

void LogEventFeed::stop()
{
    m_active = false;
    m_retryTimer.stop();
    m_stream->close();
}

bool LogEventFeed::isStreaming() const
{
    return m_stream->isOpen();
}

void LogEventFeed::open()
{
    if (!m_active)
        return;
    QNetworkRequest request = m_endpoint->streamRequest(u"/api/events/logs"_s);
    QUrl url = request.url();
    // Only what /api/events used to carry; `http` (the access log) is not asked for.
    url.setQuery(u"stream=proxy&stream=upstream"_s);
    request.setUrl(url);
    m_stream->open(request, m_headerTimeoutMs);
}

void LogEventFeed::onLost(const Error &error)
{
    if (!m_active)
        return;
    if (!m_everOpened && error.code == u"net.status"_s) {
        // The host answered but has no such stream: its logs stay on /api/events.
        qCInfo(lcFleet).noquote() << "log stream refused, reading logs from /api/events:" << error.message;
        m_mode = Mode::OnEvents;
        return;
    }
    m_retryTimer.start(m_retryMs);
}

} // namespace boo
