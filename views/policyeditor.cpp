#include "views/policyeditor.h"

#include "models/routepolicylistmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    }
    return out;
}

QSpinBox *tokenBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 10'000'000);
    box->setSingleStep(1000);
    box->setSpecialValueText(PolicyEditor::tr("none"));
    return box;
}

} // namespace

PolicyEditor::PolicyEditor(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_strategy(new QComboBox(this))
    , m_enabled(new QCheckBox(tr("Enabled"), this))
    , m_models(new QLineEdit(this))
    , m_sources(new QLineEdit(this))
    , m_minTokens(tokenBox(this))
    , m_maxTokens(tokenBox(this))
    , m_tools(new QComboBox(this))
    , m_candidates(new QListWidget(this))
    , m_newCandidate(new QLineEdit(this))
{
    for (RouteStrategy s : {RouteStrategy::Ranked, RouteStrategy::Ordered, RouteStrategy::Fastest, RouteStrategy::Cheapest})
        m_strategy->addItem(RoutePolicyListModel::strategyText(s), int(s));
    m_strategy->setToolTip(tr("ranked: loaded and idle first, then free capacity, then cold starts\n"
                              "ordered: the candidate order first\nfastest: the fastest recent decode speed first\n"
                              "cheapest: local hosts before cloud providers"));
    m_tools->addItem(tr("with or without tools"), int(RouteRule::Tools::Any));
    m_tools->addItem(tr("only with tools"), int(RouteRule::Tools::Required));
    m_tools->addItem(tr("only without tools"), int(RouteRule::Tools::Absent));
    m_models->setPlaceholderText(tr("its own name; or ids and patterns, comma-separated"));
    m_sources->setPlaceholderText(tr("any X-Boo-Source; or patterns, comma-separated"));
    m_newCandidate->setPlaceholderText(tr("provider/model, */model, tag:code/*"));

    auto *form = new QFormLayout;
    form->addRow(tr("Virtual model"), m_name);
    form->addRow(tr("Description"), m_description);
    form->addRow(tr("Strategy"), m_strategy);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("Takes models"), m_models);
    form->addRow(tr("From sources"), m_sources);
    auto *tokens = new QHBoxLayout;
    tokens->addWidget(m_minTokens);
    tokens->addWidget(m_maxTokens);
    form->addRow(tr("Prompt tokens (min, max)"), tokens);
    form->addRow(tr("Tools"), m_tools);

    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *up = new QPushButton(tr("Up"), this);
    auto *down = new QPushButton(tr("Down"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newCandidate, 1);
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(up);
    buttons->addWidget(down);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_candidates, 1);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, [this] { addCandidate(m_newCandidate->text()); });
    connect(m_newCandidate, &QLineEdit::returnPressed, this, [this] { addCandidate(m_newCandidate->text()); });
    connect(remove, &QPushButton::clicked, this, &PolicyEditor::removeSelectedCandidate);
    connect(up, &QPushButton::clicked, this, [this] { moveSelectedCandidate(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelectedCandidate(1); });
    for (QLineEdit *e : {m_name, m_description, m_models, m_sources})
        connect(e, &QLineEdit::textEdited, this, &PolicyEditor::changed);
    for (QComboBox *c : {m_strategy, m_tools})
        connect(c, &QComboBox::currentIndexChanged, this, &PolicyEditor::changed);
    for (QSpinBox *s : {m_minTokens, m_maxTokens})
        connect(s, &QSpinBox::valueChanged, this, &PolicyEditor::changed);
    connect(m_enabled, &QCheckBox::toggled, this, &PolicyEditor::changed);
}

void PolicyEditor::changed()
{
    if (!m_loading)
        Q_EMIT edited();
}

void PolicyEditor::setPolicy(const RoutePolicy &policy)
{
    m_loading = true;
    m_original = policy;
    m_name->setText(policy.name);
    m_description->setText(policy.description);
    m_strategy->setCurrentIndex(m_strategy->findData(int(policy.strategy)));
    m_enabled->setChecked(policy.enabled);
    m_models->setText(policy.rule.models.join(u", "_s));
    m_sources->setText(policy.rule.sources.join(u", "_s));
    m_minTokens->setValue(int(policy.rule.minPromptTokens.value_or(0)));
    m_maxTokens->setValue(int(policy.rule.maxPromptTokens.value_or(0)));
    m_tools->setCurrentIndex(m_tools->findData(int(policy.rule.tools)));
    m_candidates->clear();
    for (const CandidateSpec &c : policy.candidates)
        m_candidates->addItem(c.text);
    m_loading = false;
}

QStringList PolicyEditor::candidates() const
{
    QStringList out;
    for (int i = 0; i < m_candidates->count(); ++i)
        out << m_candidates->item(i)->text();
    return out;
}

Result<RoutePolicy> PolicyEditor::policy() const
{
    RoutePolicy p = m_original;
    p.name = m_name->text().trimmed();
    if (auto valid = RoutePolicy::validateName(p.name); !valid)
        return valid.error();
    p.description = m_description->text().trimmed();
    p.strategy = RouteStrategy(m_strategy->currentData().toInt());
    p.enabled = m_enabled->isChecked();
    p.rule.models = splitList(m_models->text());
    p.rule.sources = splitList(m_sources->text());
    p.rule.minPromptTokens = m_minTokens->value() > 0 ? std::optional<qint64>(m_minTokens->value()) : std::nullopt;
    p.rule.maxPromptTokens = m_maxTokens->value() > 0 ? std::optional<qint64>(m_maxTokens->value()) : std::nullopt;
    if (p.rule.minPromptTokens && p.rule.maxPromptTokens && *p.rule.minPromptTokens > *p.rule.maxPromptTokens)
        return makeError(u"policy.field"_s, tr("the smallest prompt is larger than the largest"));
    p.rule.tools = RouteRule::Tools(m_tools->currentData().toInt());
    p.candidates.clear();
    for (const QString &text : candidates()) {
        auto spec = CandidateSpec::parse(text);
        if (!spec)
            return spec.error();
        p.candidates << *spec;
    }
    if (p.candidates.isEmpty())
        return makeError(u"policy.candidate"_s, tr("a policy needs at least one candidate"));
    return p;
}

void PolicyEditor::selectCandidate(int row)
{
    m_candidates->setCurrentRow(row);
}

void PolicyEditor::addCandidate(const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    const int at = m_candidates->currentRow() >= 0 ? m_candidates->currentRow() + 1 : m_candidates->count();
    m_candidates->insertItem(at, text.trimmed());
    m_candidates->setCurrentRow(at);
    m_newCandidate->clear();
    changed();
}

void PolicyEditor::removeSelectedCandidate()
{
    const int row = m_candidates->currentRow();
    if (row < 0)
        return;
    delete m_candidates->takeItem(row);
    changed();
}

void PolicyEditor::moveSelectedCandidate(int delta)
{
    const int row = m_candidates->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_candidates->count())
        return;
    QListWidgetItem *item = m_candidates->takeItem(row);
    m_candidates->insertItem(to, item);
    m_candidates->setCurrentRow(to);
    changed();
}

} // namespace boo
