#pragma once

#include "core/common/result.h"
#include "core/protocol/capture.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableWidget;

namespace boo {

class CockpitBackend;

// The capture inspector (a side drawer): what llama-swap sent upstream and what came back for
// one request — headers with secrets redacted, bodies decoded and, when JSON, pretty-printed and
// highlighted; a streamed answer put back together with its timings; "copy as curl". When the
// host no longer holds the capture (its buffer is small and in memory) it says so plainly.
class CaptureInspector final : public QWidget
{
    Q_OBJECT

public:
    explicit CaptureInspector(CockpitBackend *backend, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CaptureInspector)

    void showCapture(const QString &hostId, qint64 captureId);
    // Shows a capture that is already at hand (tests, and the answer of showCapture()).
    void setCapture(const QString &hostId, const Result<Capture> &capture);

    bool isLoading() const { return m_loading; }
    QString message() const;
    QString curlCommand() const { return m_curl; }
    QTabWidget *tabs() const { return m_tabs; }
    QPlainTextEdit *requestBody() const { return m_requestBody; }
    QPlainTextEdit *responseBody() const { return m_responseBody; }
    QPlainTextEdit *streamMessage() const { return m_stream; }
    QTableWidget *requestHeaders() const { return m_requestHeaders; }

    // Values of headers that carry credentials, hidden even if a host did not redact them.
    static QString shownHeaderValue(const QString &name, const QString &value);
    // A body for reading: pretty JSON, or text, or a note for binary data.
    static QString bodyText(const std::optional<QByteArray> &body);

private:
    void fillHeaders(QTableWidget *table, const QMap<QString, QString> &headers);

    QPointer<CockpitBackend> m_backend;
    QLabel *m_title;
    QStackedWidget *m_stack;
    QLabel *m_state;
    QTabWidget *m_tabs;
    QTableWidget *m_requestHeaders;
    QPlainTextEdit *m_requestBody;
    QTableWidget *m_responseHeaders;
    QPlainTextEdit *m_responseBody;
    QLabel *m_timings;
    QPlainTextEdit *m_stream;
    QPushButton *m_copyCurl;
    QString m_curl;
    QString m_hostId;
    qint64 m_captureId = -1;
    bool m_loading = false;
};

} // namespace boo
