#pragma once

#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"
#include "core/http/httpstream.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace boo::test {

// A llama-swap whose every answer the test decides: the connector tests need hosts that stall
// at chosen moments, refuse keys, restart between two requests — more control than a
// simulated host offers, and still a real server on loopback.
class ScriptedHost final : public QObject
{
    Q_OBJECT

public:
    struct Row
    {
        qint64 id;
        QString timestamp; // RFC 3339 as the host writes it
    };
    enum class Behaviour { Answer, Hang };

    explicit ScriptedHost(QObject *parent = nullptr);
    quint16 port() const { return m_server.serverPort(); }
    QUrl baseUrl() const;

    // What the routes do.
    Behaviour events = Behaviour::Answer; // /api/events: open a stream, or never answer
    Behaviour health = Behaviour::Answer;
    Behaviour activity = Behaviour::Answer;
    QByteArray requiredKey; // Bearer key the host insists on (empty: none)
    int versionStatus = 200;
    int retryAfterSeconds = -1;
    QList<Row> rows; // the activity store, oldest first

    int versionRequests = 0;
    QList<qint64> versionRequestTimes; // ms since construction
    int healthRequests = 0;

    // Sends one `event:message` frame on every open event stream.
    void send(const QString &type, const QByteArray &dataJson);
    void closeStreams();
    void answerHungActivityRequests();
    int openStreams() const;

private:
    void activityPage(const HttpRequest &request, HttpResponder responder);

    HttpServer m_server;
    std::vector<std::unique_ptr<HttpStream>> m_streams;
    std::vector<HttpResponder> m_hung;
    std::vector<std::pair<HttpRequest, HttpResponder>> m_hungActivity;
    QElapsedTimer m_clock;
};

} // namespace boo::test
