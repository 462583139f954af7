#include "views/playgroundview.h"

#include "core/client/cockpitbackend.h"
#include "models/modelpickermodel.h"
#include "views/playgroundside.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A spin box whose lowest value means "not set": the host's default applies.
template <typename Box, typename Value>
Box *optionalBox(QWidget *parent, Value unset, Value max, const QString &name)
{
    auto *box = new Box(parent);
    box->setRange(unset, max);
    box->setValue(unset);
    box->setSpecialValueText(PlaygroundView::tr("default"));
    box->setObjectName(name);
    return box;
}

} // namespace

PlaygroundView::PlaygroundView(CockpitBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_picker(new ModelPickerModel(backend->fleet(), this))
    , m_sideA(new PlaygroundSide(tr("A"), backend, m_picker, &m_nam, this))
    , m_sideB(new PlaygroundSide(tr("B"), backend, m_picker, &m_nam, this))
    , m_search(new QLineEdit(this))
    , m_showHidden(new QCheckBox(tr("Show hidden"), this))
    , m_compare(new QCheckBox(tr("Compare A/B"), this))
    , m_prompt(new QPlainTextEdit(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stopButton(new QPushButton(tr("Stop"), this))
    , m_swap(new QPushButton(tr("Swap sides"), this))
    , m_problem(new QLabel(this))
{
    m_sideA->setObjectName(u"sideA"_s);
    m_sideB->setObjectName(u"sideB"_s);
    m_search->setObjectName(u"pickerSearch"_s);
    m_search->setPlaceholderText(tr("Search models"));
    m_search->setClearButtonEnabled(true);
    m_compare->setObjectName(u"compare"_s);
    m_prompt->setObjectName(u"prompt"_s);
    m_prompt->setPlaceholderText(tr("Ask something…"));
    m_prompt->setMaximumHeight(90);
    m_send->setObjectName(u"send"_s);
    m_send->setDefault(true);
    m_stopButton->setObjectName(u"stop"_s);
    m_swap->setObjectName(u"swap"_s);
    m_problem->setObjectName(u"problem"_s);
    m_problem->setWordWrap(true);
    auto *favorite = new QPushButton(tr("★ Favorite A"), this);
    favorite->setCheckable(false);
    favorite->setToolTip(tr("Pin side A's model on top of every picker, or unpin it"));
    auto *hide = new QPushButton(tr("Hide A"), this);
    hide->setToolTip(tr("Hide side A's model from the pickers (it stays on the host), or show it again"));
    auto *curl = new QPushButton(tr("Copy as curl"), this);
    curl->setObjectName(u"copyCurl"_s);
    auto *clear = new QPushButton(tr("New chat"), this);

    auto *pickerBar = new QHBoxLayout;
    pickerBar->addWidget(m_search, 1);
    pickerBar->addWidget(m_showHidden);
    pickerBar->addWidget(favorite);
    pickerBar->addWidget(hide);
    pickerBar->addWidget(m_compare);
    pickerBar->addWidget(m_swap);

    auto *sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(m_sideA);
    sides->addWidget(m_sideB);

    auto *promptBar = new QHBoxLayout;
    promptBar->addWidget(m_prompt, 1);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(curl);
    buttons->addWidget(clear);
    buttons->addStretch();
    promptBar->addLayout(buttons);

    auto *chat = new QVBoxLayout;
    chat->addLayout(pickerBar);
    chat->addWidget(sides, 1);
    chat->addWidget(m_problem);
    chat->addLayout(promptBar);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(chat, 1);
    layout->addWidget(buildParameters());

    connect(m_search, &QLineEdit::textChanged, m_picker, &ModelPickerModel::setFilterText);
    connect(m_showHidden, &QCheckBox::toggled, m_picker, &ModelPickerModel::setShowHidden);
    connect(m_compare, &QCheckBox::toggled, this, &PlaygroundView::setComparing);
    connect(m_swap, &QPushButton::clicked, this, &PlaygroundView::swapSides);
    connect(m_send, &QPushButton::clicked, this, &PlaygroundView::send);
    connect(m_stopButton, &QPushButton::clicked, this, &PlaygroundView::stop);
    connect(curl, &QPushButton::clicked, this, [this] { copyAsCurl(); });
    connect(clear, &QPushButton::clicked, this, [this] {
        m_sideA->clearConversation();
        m_sideB->clearConversation();
    });
    connect(favorite, &QPushButton::clicked, this, [this] { editMark(true); });
    connect(hide, &QPushButton::clicked, this, [this] { editMark(false); });
    connect(m_sideA, &PlaygroundSide::streamingChanged, this, &PlaygroundView::updateButtons);
    connect(m_sideB, &PlaygroundSide::streamingChanged, this, &PlaygroundView::updateButtons);
    connect(m_picker, &ModelPickerModel::preferenceEdited, this, [this](const ModelPreference &p) {
        m_backend->saveModelPreference(p, this, [this](Result<void> saved) {
            if (!saved)
                m_problem->setText(tr("The mark was not stored: %1").arg(saved.error().message));
        });
    });
    m_backend->loadModelPreferences(this, [this](Result<QList<ModelPreference>> loaded) {
        // Without stored marks the picker still works: nothing is pinned or hidden.
        if (loaded)
            m_picker->setPreferences(*loaded);
    });
    setComparing(false);
}

QWidget *PlaygroundView::buildParameters()
{
    auto *panel = new QWidget(this);
    panel->setObjectName(u"parameters"_s);
    panel->setMaximumWidth(300);
    m_system = new QPlainTextEdit(panel);
    m_system->setObjectName(u"systemPrompt"_s);
    m_system->setPlaceholderText(tr("System prompt"));
    m_system->setMaximumHeight(100);
    m_temperature = optionalBox<QDoubleSpinBox>(panel, -0.05, 2.0, u"temperature"_s);
    m_temperature->setSingleStep(0.05);
    m_topP = optionalBox<QDoubleSpinBox>(panel, -0.05, 1.0, u"topP"_s);
    m_topP->setSingleStep(0.05);
    m_topK = optionalBox<QSpinBox>(panel, -1, 1000, u"topK"_s);
    m_maxTokens = optionalBox<QSpinBox>(panel, 0, 1 << 20, u"maxTokens"_s);
    m_seed = new QLineEdit(panel);
    m_seed->setObjectName(u"seed"_s);
    m_seed->setPlaceholderText(tr("random"));
    m_stop = new QLineEdit(panel);
    m_stop->setObjectName(u"stopSequences"_s);
    m_stop->setPlaceholderText(tr("comma-separated"));
    m_extras = new QPlainTextEdit(panel);
    m_extras->setObjectName(u"extras"_s);
    m_extras->setPlaceholderText(tr("Extra JSON, e.g. {\"min_p\": 0.05}"));
    m_extras->setMaximumHeight(80);

    auto *outer = new QVBoxLayout(panel);
    auto *form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch();
    form->addRow(m_system);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Top P"), m_topP);
    form->addRow(tr("Top K"), m_topK);
    form->addRow(tr("Max tokens"), m_maxTokens);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Stop"), m_stop);
    form->addRow(m_extras);
    return panel;
}

Result<ChatRequest> PlaygroundView::parameters() const
{
    ChatRequest r;
    r.systemPrompt = m_system->toPlainText().trimmed();
    if (m_temperature->value() > m_temperature->minimum())
        r.temperature = m_temperature->value();
    if (m_topP->value() > m_topP->minimum())
        r.topP = m_topP->value();
    if (m_topK->value() > m_topK->minimum())
        r.topK = m_topK->value();
    if (m_maxTokens->value() > m_maxTokens->minimum())
        r.maxTokens = m_maxTokens->value();
    if (const QString seed = m_seed->text().trimmed(); !seed.isEmpty()) {
        bool ok = false;
        r.seed = seed.toLongLong(&ok);
        if (!ok)
            return makeError(u"chat.seed"_s, tr("The seed must be a whole number"));
    }
    for (const QString &s : m_stop->text().split(u',', Qt::SkipEmptyParts)) {
        if (!s.trimmed().isEmpty())
            r.stop << s.trimmed();
    }
    auto extras = ChatRequest::parseExtras(m_extras->toPlainText());
    if (!extras)
        return extras.error();
    r.extras = *extras;
    return r;
}

void PlaygroundView::send()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty())
        return;
    const Result<ChatRequest> params = parameters();
    if (!params) {
        m_problem->setText(params.error().message);
        return;
    }
    m_problem->clear();
    bool sent = m_sideA->send(prompt, *params);
    if (m_compare->isChecked())
        sent = m_sideB->send(prompt, *params) || sent;
    if (sent)
        m_prompt->clear();
    updateButtons();
}

void PlaygroundView::stop()
{
    m_sideA->stop();
    m_sideB->stop();
}

void PlaygroundView::setComparing(bool compare)
{
    if (m_compare->isChecked() != compare)
        m_compare->setChecked(compare); // toggled() calls back here
    m_sideB->setVisible(compare);
    m_swap->setEnabled(compare);
}

void PlaygroundView::swapSides()
{
    const QString provider = m_sideA->provider();
    const QString model = m_sideA->model();
    m_sideA->pick(m_sideB->provider(), m_sideB->model());
    m_sideB->pick(provider, model);
}

QString PlaygroundView::copyAsCurl()
{
    const Result<ChatRequest> params = parameters();
    if (!params) {
        m_problem->setText(params.error().message);
        return {};
    }
    const QString prompt = m_prompt->toPlainText().trimmed();
    QStringList commands;
    for (PlaygroundSide *side : {m_sideA, m_sideB}) {
        if (side == m_sideB && !m_compare->isChecked())
            break;
        const Result<ChatTarget> target = side->target();
        if (!target) {
            m_problem->setText(target.error().message);
            return {};
        }
        commands << target->curlCommand(side->requestFor(prompt, *params));
    }
    const QString text = commands.join(u'\n');
    QApplication::clipboard()->setText(text);
    m_problem->setText(tr("Copied %n curl command(s) to the clipboard", nullptr, int(commands.size())));
    return text;
}

void PlaygroundView::editMark(bool favorite)
{
    const QString provider = m_sideA->provider();
    const QString model = m_sideA->model();
    if (provider.isEmpty())
        return;
    if (favorite)
        m_picker->setFavorite(provider, model, !m_picker->isFavorite(provider, model));
    else
        m_picker->setHidden(provider, model, !m_picker->isHidden(provider, model));
}

void PlaygroundView::updateButtons()
{
    const bool streaming = m_sideA->isStreaming() || m_sideB->isStreaming();
    m_stopButton->setEnabled(streaming);
}

} // namespace boo
