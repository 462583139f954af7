#pragma once

#include "core/protocol/loglinesplitter.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>

namespace boo {

// Turns a streaming log answer (llama-swap's /logs/stream/{id}, or the server's pass-through of
// it) into complete lines. Owns the reply; deleting the reader ends the stream.
class LogStreamReader final : public QObject
{
    Q_OBJECT

public:
    explicit LogStreamReader(QNetworkReply *reply, QObject *parent = nullptr);
    ~LogStreamReader() override;
    Q_DISABLE_COPY_MOVE(LogStreamReader)

Q_SIGNALS:
    void linesReceived(const QList<boo::LogLine> &lines);
    // The stream is over; `error` says why when it did not end normally.
    void ended(const QString &error);

private:
    void onReadyRead();
    void onFinished();

    QPointer<QNetworkReply> m_reply;
    LogLineSplitter m_splitter;
};

} // namespace boo
