#pragma once

#include <QObject>
#include <QPointer>

namespace boo {

class ActionQueue;
class HostAccess;
class HttpRequest;
class HttpResponder;
class HttpServer;

// The routes of the control API that reach through to the hosts, so that an attached cockpit
// can do everything a local one does:
//   POST /api/actions                              warm, unload, unload all, cancel (queued)
//   GET  /api/hosts/{host}/captures/{id}           the host's capture, passed through
//   GET  /api/hosts/{host}/logs/{source...}        the host's live log stream, passed through
class ControlHostRoutes final : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxActionBodyBytes = 4096;
    // A log reader further behind than this is cut off rather than buffered without bound.
    static constexpr qint64 kMaxLogBacklogBytes = 4 * 1024 * 1024;

    ControlHostRoutes(HttpServer *http, HostAccess *access, ActionQueue *actions, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ControlHostRoutes)

private:
    void submitAction(const HttpRequest &request, HttpResponder responder);
    void capture(const HttpRequest &request, HttpResponder responder);
    void logs(const HttpRequest &request, HttpResponder responder);

    QPointer<HostAccess> m_access;
    QPointer<ActionQueue> m_actions;
};

} // namespace boo
