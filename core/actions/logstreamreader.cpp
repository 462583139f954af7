#include "core/actions/logstreamreader.h"

#include "core/protocol/apierror.h"

#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace boo {

LogStreamReader::LogStreamReader(QNetworkReply *reply, QObject *parent)
    : QObject(parent)
    , m_reply(reply)
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::readyRead, this, &LogStreamReader::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &LogStreamReader::onFinished);
}

LogStreamReader::~LogStreamReader()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void LogStreamReader::onReadyRead()
{
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An error answer is read whole in onFinished; it is not log text.
    if (status != 200)
        return;
    const QList<LogLine> lines = m_splitter.feed(QByteArrayView(m_reply->readAll()));
    if (!lines.isEmpty())
        Q_EMIT linesReceived(lines);
}

void LogStreamReader::onFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    QString error;
    if (!status.isValid()) {
        error = reply->errorString();
    } else if (status.toInt() != 200) {
        const auto apiError = ApiError::fromBody(reply->readAll());
        error = u"HTTP %1: %2"_s.arg(status.toInt()).arg(apiError ? apiError->message : QString());
    } else {
        const QList<LogLine> lines = m_splitter.feed(QByteArrayView(reply->readAll())) + m_splitter.flush();
        if (!lines.isEmpty())
            Q_EMIT linesReceived(lines);
        if (reply->error() != QNetworkReply::NoError && reply->error() != QNetworkReply::OperationCanceledError)
            error = reply->errorString();
    }
    Q_EMIT ended(error);
}

} // namespace boo
