#include "views/providerdialog.h"

#include "core/providers/hostprobe.h"
#include "core/providers/secretresolver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {
enum KeyStore { NoKey, EnvironmentKey, KeychainKey };
}

ProviderDialog::ProviderDialog(SecretResolver *secrets, const QStringList &takenIds, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_takenIds(takenIds)
    , m_nam(new QNetworkAccessManager(this))
    , m_id(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_enabled(new QCheckBox(tr("Watch this host"), this))
    , m_keyStore(new QComboBox(this))
    , m_keyName(new QLineEdit(this))
    , m_secret(new QLineEdit(this))
    , m_tags(new QLineEdit(this))
    , m_testResult(new QLabel(this))
{
    setWindowTitle(tr("Provider"));
    m_id->setPlaceholderText(tr("gpu-box-1"));
    m_url->setPlaceholderText(tr("http://10.0.0.11:8080"));
    for (const EnumName<ProviderKind> &kind : kProviderKindNames)
        m_kind->addItem(kind.name.toString(), int(kind.value));
    m_enabled->setChecked(true);
    m_keyStore->addItem(tr("No API key"), NoKey);
    m_keyStore->addItem(tr("Environment variable"), EnvironmentKey);
    m_keyStore->addItem(tr("System keychain"), KeychainKey);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("the key (stored in the keychain, never in the file)"));
    m_tags->setPlaceholderText(tr("code, fast"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("Id"), m_id);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Base URL"), m_url);
    form->addRow(QString(), m_enabled);
    form->addRow(tr("API key"), m_keyStore);
    form->addRow(tr("Variable / entry"), m_keyName);
    form->addRow(tr("Key"), m_secret);
    form->addRow(tr("Tags"), m_tags);

    auto *test = new QPushButton(tr("Test connection"), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProviderDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ProviderDialog::reject);
    connect(test, &QPushButton::clicked, this, &ProviderDialog::testConnection);
    connect(m_keyStore, &QComboBox::currentIndexChanged, this, &ProviderDialog::updateKeyFields);
    connect(m_id, &QLineEdit::textChanged, this, [this](const QString &id) {
        // A keychain entry named after the provider unless the user chose another name.
        if (m_keyStore->currentData().toInt() == KeychainKey && (m_keyName->text().isEmpty() || m_keyName->isModified() == false))
            m_keyName->setText(u"provider/"_s + id);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(test, 0, Qt::AlignLeft);
    layout->addWidget(m_testResult);
    layout->addWidget(buttons);
    updateKeyFields();
}

void ProviderDialog::updateKeyFields()
{
    const int store = m_keyStore->currentData().toInt();
    m_keyName->setEnabled(store != NoKey);
    m_secret->setEnabled(store == KeychainKey);
    m_keyName->setPlaceholderText(store == EnvironmentKey ? tr("GPU_BOX_1_KEY") : tr("provider/gpu-box-1"));
    if (store == KeychainKey && m_keyName->text().isEmpty())
        m_keyName->setText(u"provider/"_s + m_id->text());
}

void ProviderDialog::setProvider(const ProviderConfig &p)
{
    m_editing = true;
    m_takenIds.removeAll(p.id);
    m_id->setText(p.id);
    m_id->setReadOnly(true); // history is stored under the id
    m_name->setText(p.name);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(int(p.kind))));
    m_url->setText(p.baseUrl.toString());
    m_enabled->setChecked(p.enabled);
    m_keyStore->setCurrentIndex(!p.apiKey ? NoKey : p.apiKey->store == ApiKeyRef::Store::Environment ? EnvironmentKey : KeychainKey);
    m_keyName->setText(p.apiKey ? p.apiKey->name : QString());
    m_keyName->setModified(true);
    m_secret->setPlaceholderText(tr("leave empty to keep the stored key"));
    m_tags->setText(p.tags.join(u", "_s));
    updateKeyFields();
}

QString ProviderDialog::problem() const
{
    static const QRegularExpression idPattern(u"^[A-Za-z0-9._-]{1,64}$"_s);
    const QString id = m_id->text().trimmed();
    if (!idPattern.match(id).hasMatch())
        return tr("The id must be 1 to 64 letters, digits, '.', '_' or '-'.");
    if (m_takenIds.contains(id))
        return tr("Another provider already has the id '%1'.").arg(id);
    const QUrl url(m_url->text().trimmed());
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s))
        return tr("The base URL must be http:// or https:// with a host, e.g. http://10.0.0.11:8080.");
    if (m_keyStore->currentData().toInt() != NoKey && m_keyName->text().trimmed().isEmpty())
        return tr("Name the environment variable or keychain entry that holds the key.");
    if (m_keyStore->currentData().toInt() == KeychainKey && !m_editing && m_secret->text().isEmpty())
        return tr("Enter the key to store in the keychain.");
    return {};
}

std::optional<ProviderConfig> ProviderDialog::provider() const
{
    if (!problem().isEmpty())
        return std::nullopt;
    ProviderConfig p;
    p.id = m_id->text().trimmed();
    p.name = m_name->text().trimmed().isEmpty() ? p.id : m_name->text().trimmed();
    p.kind = ProviderKind(m_kind->currentData().toInt());
    QString url = m_url->text().trimmed();
    while (url.endsWith(u'/'))
        url.chop(1);
    p.baseUrl = QUrl(url);
    p.enabled = m_enabled->isChecked();
    const int store = m_keyStore->currentData().toInt();
    if (store != NoKey)
        p.apiKey
            = ApiKeyRef{store == EnvironmentKey ? ApiKeyRef::Store::Environment : ApiKeyRef::Store::Keychain, m_keyName->text().trimmed()};
    for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts))
        p.tags << tag.trimmed();
    return p;
}

QString ProviderDialog::keychainSecret() const
{
    return m_keyStore->currentData().toInt() == KeychainKey ? m_secret->text() : QString();
}

void ProviderDialog::testConnection()
{
    const auto p = provider();
    if (!p && m_url->text().trimmed().isEmpty()) {
        m_testResult->setText(problem());
        return;
    }
    const QUrl url(m_url->text().trimmed());
    m_testResult->setText(tr("Asking %1 \u2026").arg(url.toDisplayString()));
    auto probe = [this, url](const QString &key) {
        HostProbe::probe(m_nam, url, key, this, [this](Result<VersionInfo> version) {
            m_testResult->setText(version ? tr("Connected: llama-swap %1").arg(version->version)
                                          : tr("Failed: %1").arg(version.error().message));
        });
    };
    const int store = m_keyStore->currentData().toInt();
    if (store == NoKey)
        return probe({});
    if (store == KeychainKey && !m_secret->text().isEmpty())
        return probe(m_secret->text());
    const ApiKeyRef ref{store == EnvironmentKey ? ApiKeyRef::Store::Environment : ApiKeyRef::Store::Keychain, m_keyName->text().trimmed()};
    m_secrets->resolve(ref, [self = QPointer<ProviderDialog>(this), probe](Result<QString> key) {
        if (!self)
            return; // closed before the keychain answered
        if (!key) {
            self->m_testResult->setText(tr("Failed: %1").arg(key.error().message));
            return;
        }
        probe(*key);
    });
}

void ProviderDialog::accept()
{
    if (const QString why = problem(); !why.isEmpty()) {
        m_testResult->setText(why);
        return;
    }
    QDialog::accept();
}

} // namespace boo
