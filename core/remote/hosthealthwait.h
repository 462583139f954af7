#pragma once

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QNetworkReply;

namespace boo {

// What the health wait after a config reload looks for on a llama-swap host.
struct HostHealthCheck
{
    QUrl baseUrl;
    QString apiKey;             // sent as a bearer token when set (llama-swap's apiKeys)
    QStringList expectedModels; // every one must be listed by GET /v1/models
    // Bytes of GET /logs before the change: a `failed to reload config` line after them means
    // the host refused the file and kept the old config (llama-swap only logs it). -1: unknown.
    qint64 logOffset = -1;
    int timeoutMs = 60000;
    // The host must stay healthy this long after it first looks so: a watcher may pick the
    // file up a moment after the old config already answered.
    int settleMs = 2000;
    int pollMs = 250;
};

// Polls a host until it answers GET /health, lists the expected models on GET /v1/models and
// shows no `failed to reload config` in GET /logs, steadily for settleMs; or until the timeout.
// Reports once through finished().
class HostHealthWait final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostHealthWait)

public:
    explicit HostHealthWait(QObject *parent = nullptr);

    void start(const HostHealthCheck &check);
    // GET /logs once: its size, for HostHealthCheck::logOffset; -1 when the host does not answer.
    void measureLogs(const QUrl &baseUrl, const QString &apiKey);

    static constexpr char kReloadFailedLine[] = "failed to reload config";

Q_SIGNALS:
    void finished(bool healthy, const QString &message);
    void logsMeasured(qint64 size);

private:
    enum class Probe { Health, Models, Logs };
    void poll();
    void get(Probe probe);
    void onReply(QNetworkReply *reply, Probe probe);
    void notYet(const QString &why);
    void finish(bool healthy, const QString &message);

    QNetworkAccessManager m_nam;
    HostHealthCheck m_check;
    QTimer m_pollTimer;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_healthySince;
    QString m_lastProblem;
    QPointer<QNetworkReply> m_reply;
    bool m_running = false;
};

} // namespace boo
