#include "views/captureinspector.h"

#include "core/client/cockpitbackend.h"
#include "core/fleet/fleetstate.h"
#include "core/protocol/curlcommand.h"
#include "core/protocol/streamedresponse.h"
#include "views/syntaxhighlighting.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QPlainTextEdit *codeView(QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    attachHighlighter(edit->document(), u"JSON"_s);
    return edit;
}

QTableWidget *headerTable(QWidget *parent)
{
    auto *table = new QTableWidget(0, 2, parent);
    table->setHorizontalHeaderLabels({CaptureInspector::tr("Header"), CaptureInspector::tr("Value")});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->setVisible(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    return table;
}

QWidget *headersAndBody(QTableWidget *headers, QPlainTextEdit *body, QWidget *parent)
{
    auto *split = new QSplitter(Qt::Vertical, parent);
    split->addWidget(headers);
    split->addWidget(body);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    return split;
}

} // namespace

CaptureInspector::CaptureInspector(CockpitBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_title(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_state(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_requestHeaders(headerTable(this))
    , m_requestBody(codeView(this))
    , m_responseHeaders(headerTable(this))
    , m_responseBody(codeView(this))
    , m_timings(new QLabel(this))
    , m_stream(codeView(this))
    , m_copyCurl(new QPushButton(tr("Copy as curl"), this))
{
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_state->setWordWrap(true);
    m_state->setAlignment(Qt::AlignCenter);
    m_state->setObjectName(u"inspectorState"_s);
    m_timings->setWordWrap(true);
    m_timings->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *streamPage = new QWidget(this);
    auto *streamLayout = new QVBoxLayout(streamPage);
    streamLayout->setContentsMargins(0, 0, 0, 0);
    streamLayout->addWidget(m_timings);
    streamLayout->addWidget(m_stream, 1);
    m_tabs->addTab(headersAndBody(m_requestHeaders, m_requestBody, this), tr("Request"));
    m_tabs->addTab(headersAndBody(m_responseHeaders, m_responseBody, this), tr("Response"));
    m_tabs->addTab(streamPage, tr("Streamed message"));
    m_stack->addWidget(m_state);
    m_stack->addWidget(m_tabs);

    auto *copyResponse = new QPushButton(tr("Copy response"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyCurl);
    buttons->addWidget(copyResponse);
    buttons->addStretch(1);
    connect(m_copyCurl, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_curl); });
    connect(copyResponse, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_responseBody->toPlainText()); });
    m_copyCurl->setToolTip(tr("The request as a curl command; the API key stays a shell variable ($LLAMA_SWAP_API_KEY)"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);

    m_title->setText(tr("No capture selected"));
    m_state->setText(tr("Double-click a request with a capture on the Activity tab to inspect it here."));
    m_copyCurl->setEnabled(false);
}

QString CaptureInspector::message() const
{
    return m_stack->currentWidget() == m_state ? m_state->text() : QString();
}

void CaptureInspector::showCapture(const QString &hostId, qint64 captureId)
{
    m_hostId = hostId;
    m_captureId = captureId;
    m_loading = true;
    m_title->setText(tr("Request %1 on %2").arg(captureId).arg(hostId));
    m_state->setText(tr("Fetching the capture from %1\u2026").arg(hostId));
    m_stack->setCurrentWidget(m_state);
    m_copyCurl->setEnabled(false);
    if (!m_backend)
        return;
    m_backend->fetchCapture(hostId, captureId, this, [this, hostId, captureId](Result<Capture> capture) {
        if (hostId != m_hostId || captureId != m_captureId)
            return; // another request was chosen meanwhile
        setCapture(hostId, capture);
    });
}

QString CaptureInspector::shownHeaderValue(const QString &name, const QString &value)
{
    static const QStringList secret{u"authorization"_s, u"proxy-authorization"_s, u"x-api-key"_s, u"api-key"_s,
                                    u"cookie"_s,        u"set-cookie"_s};
    return secret.contains(name.toLower()) && value != u"[REDACTED]"_s ? u"[REDACTED]"_s : value;
}

QString CaptureInspector::bodyText(const std::optional<QByteArray> &body)
{
    if (!body)
        return tr("(not stored: llama-swap keeps no body for failed requests and for some routes)");
    if (body->isEmpty())
        return tr("(empty)");
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(*body, &error);
    if (error.error == QJsonParseError::NoError)
        return QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    const QString text = QString::fromUtf8(*body);
    // Decoding replaced bytes: this is binary (audio, images), not text to read.
    if (text.count(QChar::ReplacementCharacter) > body->size() / 100 + 1)
        return tr("(%1 bytes of binary data)").arg(QLocale().toString(body->size()));
    return text;
}

void CaptureInspector::fillHeaders(QTableWidget *table, const QMap<QString, QString> &headers)
{
    table->setRowCount(int(headers.size()));
    int row = 0;
    for (auto it = headers.cbegin(); it != headers.cend(); ++it, ++row) {
        table->setItem(row, 0, new QTableWidgetItem(it.key()));
        table->setItem(row, 1, new QTableWidgetItem(shownHeaderValue(it.key(), it.value())));
    }
    table->resizeColumnToContents(0);
}

void CaptureInspector::setCapture(const QString &hostId, const Result<Capture> &capture)
{
    m_loading = false;
    m_hostId = hostId;
    if (!capture) {
        m_curl.clear();
        m_copyCurl->setEnabled(false);
        m_state->setText(capture.error().code == u"capture.gone"_s
                             ? tr("This capture is no longer on %1.\n\nllama-swap keeps captures in a small in-memory "
                                  "buffer (5 MB by default, captureBuffer in its config), drops the oldest first and "
                                  "loses them all when it restarts. The request itself stays in the history.")
                                   .arg(hostId)
                             : tr("The capture could not be fetched: %1").arg(capture.error().message));
        m_stack->setCurrentWidget(m_state);
        return;
    }
    const Capture &c = *capture;
    m_captureId = c.id;
    m_title->setText(tr("Request %1 on %2: %3").arg(c.id).arg(hostId, c.reqPath));
    fillHeaders(m_requestHeaders, c.reqHeaders);
    fillHeaders(m_responseHeaders, c.respHeaders.value_or(QMap<QString, QString>()));
    m_requestBody->setPlainText(bodyText(c.reqBody));
    m_responseBody->setPlainText(bodyText(c.respBody));

    const auto stream = c.respBody ? StreamedResponse::fromSse(*c.respBody) : std::nullopt;
    m_tabs->setTabEnabled(2, stream.has_value());
    if (stream) {
        m_stream->setPlainText(QString::fromUtf8(QJsonDocument(stream->toMessageJson()).toJson(QJsonDocument::Indented)));
        QStringList facts{tr("%n chunks", nullptr, stream->chunks)};
        if (!stream->finishReason.isEmpty())
            facts << tr("finish: %1").arg(stream->finishReason);
        const QJsonObject t = stream->timings;
        if (!t.isEmpty()) {
            facts << tr("prompt %1 tokens in %2 ms (%3 tok/s)")
                         .arg(t.value(u"prompt_n"_s).toInt())
                         .arg(QLocale().toString(t.value(u"prompt_ms"_s).toDouble(), 'f', 0))
                         .arg(QLocale().toString(t.value(u"prompt_per_second"_s).toDouble(), 'f', 1));
            facts << tr("generated %1 tokens in %2 ms (%3 tok/s)")
                         .arg(t.value(u"predicted_n"_s).toInt())
                         .arg(QLocale().toString(t.value(u"predicted_ms"_s).toDouble(), 'f', 0))
                         .arg(QLocale().toString(t.value(u"predicted_per_second"_s).toDouble(), 'f', 1));
            if (t.contains(u"draft_n"_s))
                facts << tr("draft %1 accepted of %2").arg(t.value(u"draft_n_accepted"_s).toInt()).arg(t.value(u"draft_n"_s).toInt());
        }
        if (!stream->error.isEmpty())
            facts << tr("error: %1").arg(stream->error);
        if (!stream->done)
            facts << tr("the stream ended without [DONE]");
        m_timings->setText(facts.join(u" · "_s));
    } else {
        m_stream->clear();
        m_timings->clear();
    }
    const auto host = m_backend && m_backend->fleet() ? m_backend->fleet()->host(hostId) : std::nullopt;
    m_curl = CurlCommand::fromCapture(c, QUrl(host ? host->baseUrl : u"http://HOST:8080"_s));
    m_copyCurl->setEnabled(true);
    m_stack->setCurrentWidget(m_tabs);
    m_tabs->setCurrentIndex(stream ? 2 : 1);
}

} // namespace boo
