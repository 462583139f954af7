#pragma once

#include "core/client/chatrequest.h"
#include "core/client/chattarget.h"
#include "core/common/result.h"
#include "core/protocol/sseparser.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;

namespace boo {

// What one streamed answer measured so far, all from this side of the wire (the host's own view
// is `timings`, passed through as it came).
struct ChatStats
{
    std::optional<double> ttftMs; // request sent -> first content (or reasoning) token
    int tokens = 0;               // content chunks so far; the usage's completion_tokens at the end
    double tokensPerSecond = 0;   // (tokens - 1) / (last token - first token): decode speed
    double elapsedMs = 0;         // request sent -> last chunk
    QJsonObject timings;          // llama-server: prompt_per_second, predicted_per_second, ...
    QJsonObject usage;
    QString finishReason;
    QString model; // as the answer named it (the gateway's choice for a virtual model)
};

// One streaming chat completion from the Playground: POST /v1/chat/completions with stream:true
// to a host or a gateway, read as server-sent events while they arrive. Exactly one of
// finished() or failed() ends every start(), cancel() included, so a view never waits forever.
// Streams have no transfer timeout (a long prompt may take minutes to its first token); an idle
// watchdog catches a host that went silent without closing the connection.
class ChatStream final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIdleTimeoutMs = 120000;
    static constexpr QByteArrayView kSource = "playground";

    explicit ChatStream(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~ChatStream() override;
    Q_DISABLE_COPY_MOVE(ChatStream)

    // Starts a new exchange; one still running is cancelled first (without a signal).
    void start(const ChatTarget &target, const ChatRequest &request);
    // Ends the exchange; failed() reports "chat.cancelled".
    void cancel();
    bool isRunning() const { return m_reply != nullptr; }

    const ChatStats &stats() const { return m_stats; }
    const QString &content() const { return m_content; }
    const QString &reasoning() const { return m_reasoning; }
    void setIdleTimeoutMs(int ms) { m_idle.setInterval(ms); }

    static QNetworkRequest buildRequest(const ChatTarget &target);

Q_SIGNALS:
    void contentDelta(const QString &text);
    void reasoningDelta(const QString &text);
    void statsChanged(const boo::ChatStats &stats);
    void finished(const boo::ChatStats &stats);
    void failed(const boo::Error &error);

private:
    void onReadyRead();
    void onFinished();
    void handleEvent(const SseEvent &event);
    void countToken(qint64 nowNs);
    void fail(Error error);
    void detach();
    double msSinceSent(qint64 nowNs) const;

    QNetworkAccessManager *m_nam;
    QPointer<QNetworkReply> m_reply;
    QTimer m_idle;
    SseParser m_parser;
    QByteArray m_errorBody; // the body of a non-200 answer, read whole
    std::optional<int> m_status;
    bool m_done = false;
    bool m_failed = false;
    QString m_url;
    qint64 m_sentNs = 0;
    qint64 m_firstTokenNs = 0;
    qint64 m_lastTokenNs = 0;
    ChatStats m_stats;
    QString m_content;
    QString m_reasoning;
};

} // namespace boo

Q_DECLARE_METATYPE(boo::ChatStats)
