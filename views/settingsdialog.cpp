#include "views/settingsdialog.h"

#include "core/providers/providerfilewriter.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/store/database.h"
#include "models/providerlistmodel.h"
#include "views/providerdialog.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QSpinBox *days(int value, int max, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(1, max);
    box->setSuffix(SettingsDialog::tr(" days"));
    box->setValue(value);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(ProviderRegistry *registry, const QString &providersNote, const CockpitSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_registry(registry)
    , m_secrets(new SecretResolver(qApp))
{
    // Keychain writes finish after the dialog closed; the resolver outlives it a little.
    connect(this, &QObject::destroyed, m_secrets, [secrets = m_secrets] { QTimer::singleShot(30'000, secrets, &QObject::deleteLater); });
    setWindowTitle(tr("Settings"));
    m_editable = registry && providersNote.isEmpty();
    auto *tabs = new QTabWidget(this);
    tabs->addTab(providersPage(providersNote), tr("Providers"));
    tabs->addTab(databasePage(settings), tr("Database"));
    tabs->addTab(retentionPage(settings), tr("Retention"));
    tabs->addTab(alertsPage(settings), tr("Alerts"));
    tabs->addTab(languagePage(settings), tr("Language"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    resize(760, 480);
}

QWidget *SettingsDialog::providersPage(const QString &note)
{
    auto *page = new QWidget(this);
    m_table = new QTableView(page);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_providersStatus = new QLabel(page);
    m_providersStatus->setWordWrap(true);
    m_providersStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (m_registry) {
        m_providers = new ProviderListModel(m_registry, this);
        m_table->setModel(m_providers);
    }
    auto *add = new QPushButton(tr("Add\u2026"), page);
    auto *edit = new QPushButton(tr("Edit\u2026"), page);
    auto *toggle = new QPushButton(tr("Enable / disable"), page);
    auto *remove = new QPushButton(tr("Remove"), page);
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {add, edit, toggle, remove}) {
        buttons->addWidget(b);
        b->setEnabled(m_editable);
    }
    buttons->addStretch(1);
    connect(add, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (const ProviderConfig &p : m_registry->providers())
            ids << p.id;
        ProviderDialog dialog(m_secrets, ids, this);
        if (dialog.exec() == QDialog::Accepted)
            addProvider(*dialog.provider(), dialog.keychainSecret());
    });
    connect(edit, &QPushButton::clicked, this, &SettingsDialog::editSelected);
    connect(m_table, &QTableView::doubleClicked, this, [this] {
        if (m_editable)
            editSelected();
    });
    connect(toggle, &QPushButton::clicked, this, [this] {
        if (const auto p = selectedProvider())
            setProviderEnabled(p->id, !p->enabled);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (const auto p = selectedProvider())
            removeProvider(p->id);
    });

    if (!note.isEmpty()) {
        m_providersStatus->setText(note);
    } else if (m_registry && !m_registry->problems().isEmpty()) {
        // Rewriting the file from what could be read would drop the entries that could not.
        m_editable = false;
        for (QPushButton *b : {add, edit, toggle, remove})
            b->setEnabled(false);
        m_providersStatus->setText(tr("%1 has entries that cannot be read (%2). Fix them in the file; until then it is not "
                                      "edited here, so that nothing in it is lost.")
                                       .arg(m_registry->path(), m_registry->problems().constFirst().toString()));
    } else if (m_registry) {
        m_providersStatus->setText(tr("Changes are written to %1 at once and picked up by the running cockpit.").arg(m_registry->path()));
    }
    auto *row = new QHBoxLayout;
    row->addWidget(m_table, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(row);
    layout->addWidget(m_providersStatus);
    return page;
}

QWidget *SettingsDialog::databasePage(const CockpitSettings &settings)
{
    auto *page = new QWidget(this);
    m_databaseUrl = new QLineEdit(page);
    m_databaseUrl->setObjectName(u"databaseUrl"_s);
    m_databaseUrl->setPlaceholderText(DatabaseUrl::defaultSqlite().displayString());
    if (settings.database) {
        DatabaseUrl shown = *settings.database;
        m_databasePassword = shown.password;
        m_databaseUrl->setText(shown.displayString());
    }
    m_databaseStatus = new QLabel(page);
    m_databaseStatus->setWordWrap(true);
    auto *test = new QPushButton(tr("Test connection"), page);
    connect(test, &QPushButton::clicked, this, &SettingsDialog::testDatabase);
    auto *form = new QFormLayout(page);
    form->addRow(tr("History database"), m_databaseUrl);
    form->addRow(QString(), test);
    form->addRow(QString(), m_databaseStatus);
    form->addRow(QString(),
                 new QLabel(tr("sqlite:/path/file.sqlite or postgres://user:password@host:5432/db. Empty: the "
                               "default file. Used from the next start (--db overrides it); a password is kept "
                               "in the system keychain."),
                            page));
    for (QLabel *label : page->findChildren<QLabel *>())
        label->setWordWrap(true);
    return page;
}

QWidget *SettingsDialog::retentionPage(const CockpitSettings &settings)
{
    auto *page = new QWidget(this);
    constexpr qint64 day = RetentionPolicy::kDayMs;
    m_rawPerfDays = days(int(settings.retention.rawPerfMs / day), 90, page);
    m_rollupDays = days(int(settings.retention.perfRollupMs / day), 3650, page);
    m_requestDays = days(int(settings.retention.requestsMs / day), 3650, page);
    m_modelEventDays = days(int(settings.retention.modelEventsMs / day), 3650, page);
    auto *form = new QFormLayout(page);
    form->addRow(tr("Raw GPU samples"), m_rawPerfDays);
    form->addRow(tr("5-minute GPU rollups"), m_rollupDays);
    form->addRow(tr("Requests"), m_requestDays);
    form->addRow(tr("Model state changes"), m_modelEventDays);
    auto *note = new QLabel(tr("Older raw samples are rolled into 5-minute buckets, then removed. Retention runs hourly in "
                               "the process that writes the history; these windows apply from the next start of this "
                               "cockpit (a server you attach to keeps its own)."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    return page;
}

QWidget *SettingsDialog::alertsPage(const CockpitSettings &settings)
{
    auto *page = new QWidget(this);
    m_vramPercent = new QDoubleSpinBox(page);
    m_vramPercent->setRange(10, 100);
    m_vramPercent->setSuffix(u" %"_s);
    m_vramPercent->setValue(settings.alerts.vramPercent);
    m_temperature = new QDoubleSpinBox(page);
    m_temperature->setRange(30, 120);
    m_temperature->setSuffix(u" \u00b0C"_s);
    m_temperature->setValue(settings.alerts.temperatureC);
    auto *form = new QFormLayout(page);
    form->addRow(tr("VRAM used above"), m_vramPercent);
    form->addRow(tr("GPU temperature above"), m_temperature);
    auto *note = new QLabel(tr("A host going down, coming back, or a GPU over a threshold shows a desktop notification "
                               "and an entry in the action history."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    return page;
}

QWidget *SettingsDialog::languagePage(const CockpitSettings &settings)
{
    auto *page = new QWidget(this);
    m_language = new QComboBox(page);
    m_language->setObjectName(u"language"_s);
    // Each language by its own name, so that whoever cannot read the current one finds theirs.
    const QString systemName = QLocale::system().nativeLanguageName();
    m_language->addItem(systemName.isEmpty() ? tr("System language") : tr("System language (%1)").arg(systemName), QString());
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Deutsch"_s, u"de"_s);
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language)));
    auto *form = new QFormLayout(page);
    form->addRow(tr("Language"), m_language);
    auto *note = new QLabel(tr("Words, numbers and dates follow the language chosen here. It applies from the next start "
                               "of BooControl."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    return page;
}

CockpitSettings SettingsDialog::settings() const
{
    CockpitSettings s;
    const QString url = m_databaseUrl->text().trimmed();
    if (!url.isEmpty()) {
        if (auto parsed = DatabaseUrl::parse(url)) {
            s.database = *parsed;
            if (s.database->password == u"***"_s)
                s.database->password = m_databasePassword;
        }
    }
    constexpr qint64 day = RetentionPolicy::kDayMs;
    s.retention.rawPerfMs = m_rawPerfDays->value() * day;
    s.retention.perfRollupMs = m_rollupDays->value() * day;
    s.retention.requestsMs = m_requestDays->value() * day;
    s.retention.modelEventsMs = m_modelEventDays->value() * day;
    s.alerts.vramPercent = m_vramPercent->value();
    s.alerts.temperatureC = m_temperature->value();
    s.language = m_language->currentData().toString();
    return s;
}

QString SettingsDialog::providersStatus() const
{
    return m_providersStatus->text();
}

std::optional<ProviderConfig> SettingsDialog::selectedProvider() const
{
    if (!m_registry || !m_table->currentIndex().isValid())
        return std::nullopt;
    return m_registry->provider(m_table->currentIndex().data(ProviderListModel::ProviderIdRole).toString());
}

void SettingsDialog::editSelected()
{
    const auto p = selectedProvider();
    if (!p)
        return;
    ProviderDialog dialog(m_secrets, {}, this);
    dialog.setProvider(*p);
    if (dialog.exec() == QDialog::Accepted)
        replaceProvider(*dialog.provider(), dialog.keychainSecret());
}

bool SettingsDialog::write(const QList<ProviderConfig> &providers)
{
    if (!m_editable || !m_registry)
        return false;
    if (auto written = ProviderFileWriter::write(m_registry->path(), providers); !written) {
        m_providersStatus->setText(written.error().message);
        return false;
    }
    m_registry->reload(); // at once; the file watcher would follow a moment later
    m_providersStatus->setText(tr("Saved to %1.").arg(m_registry->path()));
    return true;
}

void SettingsDialog::storeSecret(const QString &name, const QString &secret)
{
    if (secret.isEmpty())
        return;
    m_secrets->storeInKeychain(name, secret, [label = QPointer<QLabel>(m_providersStatus), name](Result<void> stored) {
        if (label && !stored)
            label->setText(stored.error().message);
        else if (label)
            label->setText(label->text() + u' ' + tr("The key is in the system keychain as '%1'.").arg(name));
    });
}

bool SettingsDialog::addProvider(const ProviderConfig &provider, const QString &keychainSecret)
{
    if (!m_registry)
        return false;
    QList<ProviderConfig> providers = m_registry->providers();
    providers << provider;
    if (!write(providers))
        return false;
    if (provider.apiKey && provider.apiKey->store == ApiKeyRef::Store::Keychain)
        storeSecret(provider.apiKey->name, keychainSecret);
    return true;
}

bool SettingsDialog::replaceProvider(const ProviderConfig &provider, const QString &keychainSecret)
{
    if (!m_registry)
        return false;
    QList<ProviderConfig> providers = m_registry->providers();
    for (ProviderConfig &p : providers) {
        if (p.id == provider.id)
            p = provider;
    }
    if (!write(providers))
        return false;
    if (provider.apiKey && provider.apiKey->store == ApiKeyRef::Store::Keychain)
        storeSecret(provider.apiKey->name, keychainSecret);
    return true;
}

bool SettingsDialog::setProviderEnabled(const QString &id, bool enabled)
{
    if (!m_registry)
        return false;
    QList<ProviderConfig> providers = m_registry->providers();
    for (ProviderConfig &p : providers) {
        if (p.id == id)
            p.enabled = enabled;
    }
    return write(providers);
}

bool SettingsDialog::removeProvider(const QString &id)
{
    if (!m_registry)
        return false;
    QList<ProviderConfig> providers = m_registry->providers();
    providers.removeIf([&](const ProviderConfig &p) { return p.id == id; });
    return write(providers);
}

void SettingsDialog::testDatabase()
{
    const QString text = m_databaseUrl->text().trimmed();
    auto url = text.isEmpty() ? Result<DatabaseUrl>(DatabaseUrl::defaultSqlite()) : DatabaseUrl::parse(text);
    if (!url) {
        m_databaseStatus->setText(url.error().message);
        return;
    }
    DatabaseUrl target = *url;
    if (target.password == u"***"_s)
        target.password = m_databasePassword;
    m_databaseStatus->setText(tr("Connecting to %1\u2026").arg(target.displayString()));
    // Connecting can take seconds (a Postgres host that does not answer): not on this thread.
    auto *worker = QThread::create([target, label = QPointer<QLabel>(m_databaseStatus)] {
        auto db = Database::open(target, u"settings-test"_s);
        const QString result = db ? (*db)->ping() ? tr("Connected to %1.").arg(target.displayString())
                                                  : tr("Opened %1, but a query failed.").arg(target.displayString())
                                  : db.error().message;
        QMetaObject::invokeMethod(qApp, [label, result] {
            if (label)
                label->setText(result);
        });
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void SettingsDialog::accept()
{
    const CockpitSettings s = settings();
    if (!m_databaseUrl->text().trimmed().isEmpty() && !s.database) {
        m_databaseStatus->setText(DatabaseUrl::parse(m_databaseUrl->text().trimmed()).error().message);
        return;
    }
    QSettings store;
    s.save(store);
    if (s.database && !s.database->password.isEmpty())
        m_secrets->storeInKeychain(QString::fromLatin1(CockpitSettings::kDatabasePasswordEntry), s.database->password, [](Result<void>) {});
    Q_EMIT settingsSaved(s);
    QDialog::accept();
}

} // namespace boo
