#include "views/playgroundside.h"

#include "core/client/cockpitbackend.h"
#include "models/modelpickermodel.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

PlaygroundSide::PlaygroundSide(const QString &title, CockpitBackend *backend, ModelPickerModel *picker, QNetworkAccessManager *nam,
                               QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_picker(picker)
    , m_stream(new ChatStream(nam, this))
    , m_title(title)
    , m_heading(new QLabel(this))
    , m_combo(new QComboBox(this))
    , m_output(new QPlainTextEdit(this))
    , m_stats(new QLabel(this))
    , m_hostStats(new QLabel(this))
{
    m_combo->setModel(picker);
    m_combo->setObjectName(u"picker"_s);
    m_combo->setMinimumContentsLength(24);
    m_output->setReadOnly(true);
    m_output->setObjectName(u"output"_s);
    m_stats->setObjectName(u"stats"_s);
    m_hostStats->setObjectName(u"hostStats"_s);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hostStats->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addWidget(m_combo);
    layout->addWidget(m_output, 1);
    layout->addWidget(m_stats);
    layout->addWidget(m_hostStats);

    connect(m_combo, &QComboBox::currentIndexChanged, this, &PlaygroundSide::onPickerIndex);
    // The picker resets when models come and go or a filter changes: keep what was picked.
    connect(picker, &QAbstractItemModel::modelReset, this, &PlaygroundSide::restorePick);
    connect(m_stream, &ChatStream::contentDelta, this, &PlaygroundSide::appendText);
    connect(m_stream, &ChatStream::reasoningDelta, this, &PlaygroundSide::appendText);
    connect(m_stream, &ChatStream::statsChanged, this, &PlaygroundSide::showStats);
    connect(m_stream, &ChatStream::finished, this, [this](const ChatStats &stats) {
        showStats(stats);
        m_history << ChatMessage{u"user"_s, m_pendingPrompt} << ChatMessage{u"assistant"_s, m_stream->content()};
        Q_EMIT streamingChanged(false);
    });
    connect(m_stream, &ChatStream::failed, this, [this](const Error &error) {
        m_hostStats->setText(tr("Failed: %1").arg(error.message));
        Q_EMIT streamingChanged(false);
    });
    restorePick();
}

void PlaygroundSide::pick(const QString &provider, const QString &model)
{
    m_provider = provider;
    m_model = model;
    restorePick();
}

void PlaygroundSide::restorePick()
{
    int row = m_provider.isEmpty() ? -1 : m_picker->rowOf(m_provider, m_model);
    if (row < 0 && m_provider.isEmpty()) {
        // Nothing picked yet: the first model, so a newcomer can type and send at once.
        for (int i = 0; i < m_picker->rowCount() && row < 0; ++i) {
            if (m_picker->index(i).data(ModelPickerModel::KindRole).toInt() == int(ModelPickerModel::RowKind::Model))
                row = i;
        }
    }
    const QSignalBlocker block(m_combo);
    m_combo->setCurrentIndex(row);
    if (row >= 0 && m_provider.isEmpty()) {
        m_provider = m_picker->index(row).data(ModelPickerModel::ProviderRole).toString();
        m_model = m_picker->index(row).data(ModelPickerModel::ModelRole).toString();
    }
    showTitle();
}

// The closed combo shows the model's name only; with the same model on two hosts the heading
// says which host each side talks to.
void PlaygroundSide::showTitle()
{
    const QString where = m_provider.isEmpty() ? QString() : u" · "_s + m_provider + u'/' + m_model;
    m_heading->setText(u"<b>%1</b>%2"_s.arg(m_title.toHtmlEscaped(), where.toHtmlEscaped()));
}

void PlaygroundSide::onPickerIndex(int row)
{
    const QModelIndex index = m_picker->index(row);
    if (index.data(ModelPickerModel::KindRole).toInt() != int(ModelPickerModel::RowKind::Model)) {
        restorePick(); // a group header is not a model
        return;
    }
    m_provider = index.data(ModelPickerModel::ProviderRole).toString();
    m_model = index.data(ModelPickerModel::ModelRole).toString();
    showTitle();
}

Result<ChatTarget> PlaygroundSide::target() const
{
    if (m_provider.isEmpty())
        return makeError(u"chat.no_model"_s, tr("Pick a model first"));
    return m_backend->chatTarget(m_provider, m_model);
}

ChatRequest PlaygroundSide::requestFor(const QString &prompt, const ChatRequest &parameters) const
{
    ChatRequest request = parameters;
    request.messages = m_history;
    request.messages << ChatMessage{u"user"_s, prompt};
    return request;
}

bool PlaygroundSide::send(const QString &prompt, const ChatRequest &parameters)
{
    const Result<ChatTarget> where = target();
    if (!where) {
        m_hostStats->setText(where.error().message);
        return false;
    }
    m_pendingPrompt = prompt;
    if (!m_output->document()->isEmpty())
        m_output->appendPlainText(QString());
    m_output->appendPlainText(tr("> %1").arg(prompt));
    m_output->appendPlainText(QString());
    m_stats->setText(tr("Waiting for the first token from %1…").arg(where->label()));
    m_hostStats->clear();
    m_stream->start(*where, requestFor(prompt, parameters));
    Q_EMIT streamingChanged(true);
    return true;
}

void PlaygroundSide::stop()
{
    m_stream->cancel();
}

void PlaygroundSide::clearConversation()
{
    stop();
    m_history.clear();
    m_output->clear();
    m_stats->clear();
    m_hostStats->clear();
}

void PlaygroundSide::appendText(const QString &text)
{
    QScrollBar *bar = m_output->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString PlaygroundSide::transcript() const
{
    return m_output->toPlainText();
}

QString PlaygroundSide::statsText() const
{
    return m_stats->text() + u'\n' + m_hostStats->text();
}

void PlaygroundSide::showStats(const ChatStats &stats)
{
    if (!stats.ttftMs)
        return;
    m_stats->setText(tr("TTFT %1 ms · %2 tok/s · %n token(s)", nullptr, stats.tokens)
                         .arg(QString::number(*stats.ttftMs, 'f', 0), QString::number(stats.tokensPerSecond, 'f', 1)));
    const double prompt = stats.timings.value(u"prompt_per_second"_s).toDouble(-1);
    const double predicted = stats.timings.value(u"predicted_per_second"_s).toDouble(-1);
    if (prompt > 0 || predicted > 0) {
        m_hostStats->setText(tr("Host: prompt %1 tok/s · generation %2 tok/s")
                                 .arg(prompt > 0 ? QString::number(prompt, 'f', 1) : tr("n/a"),
                                      predicted > 0 ? QString::number(predicted, 'f', 1) : tr("n/a")));
    }
}

} // namespace boo
