#include "core/remote/hosthealthwait.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QNetworkRequest requestFor(const QUrl &baseUrl, const QString &path, const QString &apiKey, int timeoutMs)
{
    QUrl url = baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path);
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    if (!apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    return request;
}

} // namespace

HostHealthWait::HostHealthWait(QObject *parent)
    : QObject(parent)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &HostHealthWait::poll);
}

void HostHealthWait::measureLogs(const QUrl &baseUrl, const QString &apiKey)
{
    QNetworkReply *reply = m_nam.get(requestFor(baseUrl, u"/logs"_s, apiKey, 5000));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const bool ok = reply->error() == QNetworkReply::NoError;
        Q_EMIT logsMeasured(ok ? reply->readAll().size() : -1);
    });
}

void HostHealthWait::start(const HostHealthCheck &check)
{
    m_check = check;
    m_running = true;
    m_lastProblem.clear();
    m_healthySince.invalidate();
    m_elapsed.start();
    poll();
}

void HostHealthWait::poll()
{
    if (!m_running)
        return;
    if (m_elapsed.elapsed() >= m_check.timeoutMs) {
        finish(false, tr("the host did not come back healthy within %1 s: %2").arg(m_check.timeoutMs / 1000.0).arg(m_lastProblem));
        return;
    }
    get(Probe::Health);
}

void HostHealthWait::get(Probe probe)
{
    static const QString paths[] = {u"/health"_s, u"/v1/models"_s, u"/logs"_s};
    const int remaining = int(qMax<qint64>(500, m_check.timeoutMs - m_elapsed.elapsed()));
    m_reply = m_nam.get(requestFor(m_check.baseUrl, paths[int(probe)], m_check.apiKey, qMin(remaining, 5000)));
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, probe] { onReply(reply, probe); });
}

void HostHealthWait::onReply(QNetworkReply *reply, Probe probe)
{
    reply->deleteLater();
    if (!m_running)
        return;
    if (reply->error() != QNetworkReply::NoError && probe == Probe::Logs && reply->error() != QNetworkReply::ConnectionRefusedError) {
        // A host that does not serve its log (a proxy in front, an old release) is judged on the rest.
        get(Probe::Models);
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        notYet(u"%1: %2"_s.arg(reply->url().path(), reply->errorString()));
        return;
    }
    const QByteArray body = reply->readAll();
    switch (probe) {
    case Probe::Health: get(Probe::Logs); return;
    case Probe::Logs: {
        // A refused reload leaves the old config answering: only the log tells. Looked at before
        // the model list, which may never match then.
        if (m_check.logOffset >= 0) {
            const QByteArray since = body.size() >= m_check.logOffset ? body.mid(m_check.logOffset) : body;
            const qsizetype at = since.indexOf(kReloadFailedLine);
            if (at >= 0) {
                const qsizetype start = since.lastIndexOf('\n', at) + 1;
                const qsizetype end = since.indexOf('\n', at);
                finish(false,
                       tr("the host refused the new config and kept the old one: %1")
                           .arg(QString::fromUtf8(since.mid(start, end < 0 ? -1 : end - start)).trimmed()));
                return;
            }
        }
        get(Probe::Models);
        return;
    }
    case Probe::Models: {
        QSet<QString> listed;
        for (const QJsonValue &model : QJsonDocument::fromJson(body).object().value(u"data"_s).toArray())
            listed.insert(model.toObject().value(u"id"_s).toString());
        QStringList missing;
        for (const QString &id : std::as_const(m_check.expectedModels)) {
            if (!listed.contains(id))
                missing << id;
        }
        if (!missing.isEmpty()) {
            notYet(tr("/v1/models does not list %1").arg(missing.join(u", "_s)));
            return;
        }
        if (!m_healthySince.isValid())
            m_healthySince.start();
        if (m_healthySince.elapsed() >= m_check.settleMs) {
            finish(true, {});
            return;
        }
        m_pollTimer.start(m_check.pollMs);
        return;
    }
    }
}

void HostHealthWait::notYet(const QString &why)
{
    m_lastProblem = why;
    m_healthySince.invalidate();
    m_pollTimer.start(m_check.pollMs);
}

void HostHealthWait::finish(bool healthy, const QString &message)
{
    m_running = false;
    m_pollTimer.stop();
    if (m_reply)
        m_reply->abort();
    Q_EMIT finished(healthy, message);
}

} // namespace boo
