#pragma once

#include "core/common/result.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/versioninfo.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace boo {

class EventStream;
class HostEndpoint;

// Where a host's log lines come from. Up to v258 they are `logData` messages on /api/events;
// v259 moved them to their own stream, `GET /api/events/logs?stream=proxy&stream=upstream`
// (docs/protocol.md, "v251-v260"). The feed opens that second stream only on a host that serves
// it, never on an older one: a version of v259 or later says so; without a release number (dev
// builds) the /api/events snapshot decides, which opens with the log history on every older
// release. A host that refuses the route after all (an HTTP error before the stream ever opened)
// keeps its logs on /api/events.
class LogEventFeed final : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Undecided, OnEvents, Separate };
    static constexpr int kFirstSeparateRelease = 259;

    LogEventFeed(const HostEndpoint *endpoint, QObject *parent = nullptr);
    ~LogEventFeed() override;
    Q_DISABLE_COPY_MOVE(LogEventFeed)

    void setHeaderTimeoutMs(int ms) { m_headerTimeoutMs = ms; }
    void setRetryMs(int ms) { m_retryMs = ms; }

    // The host's /api/events (re)connected.
    void mainStreamOpened(const std::optional<VersionInfo> &version);
    // Every message of /api/events, until the mode is known.
    void observe(const HostEvent &event);
    // /api/events went away (or the connector stopped): the log stream goes with it.
    void stop();

    Mode mode() const { return m_mode; }
    bool isStreaming() const;

    static Mode modeForVersion(const std::optional<VersionInfo> &version);

Q_SIGNALS:
    // The log stream (re)connected: its first chunk of each source is that source's history.
    void opened();
    void received(const boo::LogDataEvent &event);

private:
    void open();
    void onLost(const Error &error);

    const HostEndpoint *m_endpoint;
    EventStream *m_stream;
    QTimer m_retryTimer;
    Mode m_mode = Mode::Undecided;
    bool m_everOpened = false; // since mainStreamOpened()
    bool m_active = false;     // between mainStreamOpened() and stop()
    int m_headerTimeoutMs = 5000;
    int m_retryMs = 2000;
};

} // namespace boo
