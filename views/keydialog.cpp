#include "views/keydialog.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr int kMaxLimit = 2'000'000'000;

std::optional<qint64> limitOf(const QSpinBox *box)
{
    return box->value() > 0 ? std::optional<qint64>(box->value()) : std::nullopt;
}

QStringList patternsOf(const QLineEdit *edit)
{
    QStringList patterns;
    for (const QString &p : edit->text().split(u',', Qt::SkipEmptyParts)) {
        if (!p.trimmed().isEmpty())
            patterns << p.trimmed();
    }
    return patterns;
}

} // namespace

KeyDialog::KeyDialog(QWidget *parent)
    : QDialog(parent)
{
    build(true);
    setWindowTitle(tr("New consumer key"));
}

KeyDialog::KeyDialog(const ConsumerKey &key, QWidget *parent)
    : QDialog(parent)
    , m_original(key)
{
    build(false);
    setWindowTitle(tr("Limits of %1").arg(key.name()));
    m_name->setText(key.name());
    m_source->setText(key.spec.source);
    m_rpm->setValue(int(std::min<qint64>(key.spec.rpm.value_or(0), kMaxLimit)));
    m_tpm->setValue(int(std::min<qint64>(key.spec.tpm.value_or(0), kMaxLimit)));
    m_budget->setValue(int(std::min<qint64>(key.spec.tokensPerDay.value_or(0), kMaxLimit)));
    m_models->setText(key.spec.models.join(u", "_s));
    if (key.spec.expiresAtMs)
        m_expires->setText(QDateTime::fromMSecsSinceEpoch(*key.spec.expiresAtMs, Qt::UTC).toString(Qt::ISODateWithMs));
    m_subSource->setChecked(key.spec.allowSubSource);
}

void KeyDialog::build(bool creating)
{
    m_name = new QLineEdit(this);
    m_source = new QLineEdit(this);
    m_rpm = new QSpinBox(this);
    m_tpm = new QSpinBox(this);
    m_budget = new QSpinBox(this);
    m_models = new QLineEdit(this);
    m_expires = new QLineEdit(this);
    m_subSource = new QCheckBox(tr("X-Boo-Source adds a sub-source (source/sub)"), this);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"color: #c0392b;"_s);

    m_name->setReadOnly(!creating);
    m_source->setReadOnly(!creating);
    m_name->setPlaceholderText(tr("notes-app"));
    m_source->setPlaceholderText(tr("what its requests are counted as"));
    for (QSpinBox *box : {m_rpm, m_tpm, m_budget}) {
        box->setRange(0, kMaxLimit);
        box->setSpecialValueText(tr("no limit"));
        box->setGroupSeparatorShown(true);
    }
    m_tpm->setSingleStep(1000);
    m_budget->setSingleStep(10000);
    m_models->setPlaceholderText(tr("any model; or patterns such as auto*, h1/*"));
    m_expires->setPlaceholderText(tr("never; or YYYY-MM-DD (UTC) or an RFC 3339 time"));

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Source"), m_source);
    form->addRow(tr("Requests per minute"), m_rpm);
    form->addRow(tr("Tokens per minute"), m_tpm);
    form->addRow(tr("Tokens per day"), m_budget);
    form->addRow(tr("Models"), m_models);
    form->addRow(tr("Expires"), m_expires);
    form->addRow(QString(), m_subSource);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &KeyDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

Result<ConsumerKeySpec> KeyDialog::spec() const
{
    ConsumerKeySpec spec;
    spec.name = m_name->text().trimmed();
    spec.source = m_source->text().trimmed();
    spec.rpm = limitOf(m_rpm);
    spec.tpm = limitOf(m_tpm);
    spec.tokensPerDay = limitOf(m_budget);
    spec.models = patternsOf(m_models);
    spec.allowSubSource = m_subSource->isChecked();
    if (!m_expires->text().trimmed().isEmpty()) {
        auto at = ConsumerKeySpec::parseExpiry(m_expires->text());
        if (!at)
            return at.error();
        spec.expiresAtMs = *at;
    }
    if (auto valid = m_original ? spec.validateSettings() : spec.validate(); !valid)
        return valid.error();
    return spec;
}

Result<ConsumerKeyEdit> KeyDialog::edit() const
{
    auto wanted = spec();
    if (!wanted)
        return wanted.error();
    ConsumerKeyEdit edit;
    if (!m_original)
        return edit;
    const ConsumerKeySpec &was = m_original->spec;
    if (wanted->rpm != was.rpm)
        edit.rpm = wanted->rpm;
    if (wanted->tpm != was.tpm)
        edit.tpm = wanted->tpm;
    if (wanted->tokensPerDay != was.tokensPerDay)
        edit.tokensPerDay = wanted->tokensPerDay;
    if (wanted->expiresAtMs != was.expiresAtMs)
        edit.expiresAtMs = wanted->expiresAtMs;
    if (wanted->models != was.models)
        edit.models = wanted->models;
    if (wanted->allowSubSource != was.allowSubSource)
        edit.allowSubSource = wanted->allowSubSource;
    return edit;
}

void KeyDialog::accept()
{
    auto checked = spec();
    if (!checked) {
        m_problem->setText(checked.error().message);
        return;
    }
    QDialog::accept();
}

} // namespace boo
