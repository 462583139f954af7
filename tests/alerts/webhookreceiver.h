#pragma once

// A real HTTP receiver on 127.0.0.1 for the alert sinks: the project's own HttpServer, a route
// that records every request and answers from a script (status codes, Retry-After) or not at
// all (a hung receiver). The tests deliver to it over the loopback.

#include "core/http/httpresponder.h"
#include "core/http/httpserver.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QUrl>

#include <deque>
#include <memory>

namespace alerttest {

using namespace Qt::StringLiterals;

struct Received
{
    QByteArray method;
    QString path;
    QByteArray rawQuery;
    boo::HttpHeaders headers;
    QByteArray body;
    qint64 atMs = 0; // since the receiver started

    QByteArray header(QByteArrayView name) const { return headers.value(name); }
};

class WebhookReceiver
{
public:
    struct Answer
    {
        Answer(int status = 200, QByteArray body = "ok", QByteArray retryAfter = {}, bool hang = false)
            : status(status)
            , body(std::move(body))
            , retryAfter(std::move(retryAfter))
            , hang(hang)
        {
        }
        static Answer never() { return Answer(0, {}, {}, true); }

        int status;
        QByteArray body;
        QByteArray retryAfter;
        bool hang; // never answer
    };

    WebhookReceiver()
    {
        m_clock.start();
        auto handler = [this](const boo::HttpRequest &r, boo::HttpResponder responder) {
            m_received.push_back(Received{r.method(), r.path(), r.rawQuery(), r.headers(), r.body(), m_clock.elapsed()});
            Answer answer;
            if (!m_script.empty()) {
                answer = m_script.front();
                m_script.pop_front();
            }
            if (answer.hang) {
                m_hung.push_back(std::make_unique<boo::HttpResponder>(std::move(responder)));
                return;
            }
            boo::HttpResponse response = boo::HttpResponse::text(answer.status, answer.body);
            if (!answer.retryAfter.isEmpty())
                response.setHeader("Retry-After", answer.retryAfter);
            responder.respond(std::move(response));
        };
        m_server.route("POST", u"/{path...}"_s, handler);
        m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
    }

    bool isListening() const { return m_server.isListening(); }
    QUrl url(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path)); }
    // The next answers, in order; when the script runs out the answer is 200 "ok".
    void script(std::initializer_list<Answer> answers) { m_script.insert(m_script.end(), answers); }
    void close() { m_server.close(); }
    const std::vector<Received> &received() const { return m_received; }
    qsizetype count() const { return qsizetype(m_received.size()); }

private:
    boo::HttpServer m_server;
    QElapsedTimer m_clock;
    std::deque<Answer> m_script;
    std::vector<Received> m_received;
    std::vector<std::unique_ptr<boo::HttpResponder>> m_hung;
};

} // namespace alerttest
