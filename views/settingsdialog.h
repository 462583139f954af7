#pragma once

#include "core/client/cockpitsettings.h"
#include "core/providers/providerconfig.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace boo {

class ProviderListModel;
class ProviderRegistry;
class SecretResolver;

// Settings: providers (add, edit, disable, test the connection; every change is written to the
// registry file at once, which the running ingest picks up), the history database (with a
// connection test; used from the next start), retention windows, alert thresholds and the
// language (from the next start). Secrets go to the system keychain only.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    // `registry` null or `providersNote` non-empty: providers are shown but not editable here
    // (the demo's simulated fleet, or a server's providers in attached mode).
    SettingsDialog(ProviderRegistry *registry, const QString &providersNote, const CockpitSettings &settings, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SettingsDialog)

    CockpitSettings settings() const;
    QString providersStatus() const;
    QTableView *providersTable() const { return m_table; }

    // Provider edits, as the buttons do them (also used by tests).
    bool addProvider(const ProviderConfig &provider, const QString &keychainSecret = {});
    bool replaceProvider(const ProviderConfig &provider, const QString &keychainSecret = {});
    bool setProviderEnabled(const QString &id, bool enabled);
    bool removeProvider(const QString &id);
    void testDatabase();

    void accept() override;

Q_SIGNALS:
    void settingsSaved(const boo::CockpitSettings &settings);

private:
    QWidget *providersPage(const QString &note);
    QWidget *databasePage(const CockpitSettings &settings);
    QWidget *retentionPage(const CockpitSettings &settings);
    QWidget *alertsPage(const CockpitSettings &settings);
    QWidget *languagePage(const CockpitSettings &settings);
    bool write(const QList<ProviderConfig> &providers);
    void storeSecret(const QString &name, const QString &secret);
    std::optional<ProviderConfig> selectedProvider() const;
    void editSelected();

    QPointer<ProviderRegistry> m_registry;
    SecretResolver *m_secrets;
    ProviderListModel *m_providers = nullptr;
    bool m_editable = false;
    QTableView *m_table = nullptr;
    QLabel *m_providersStatus = nullptr;
    QLineEdit *m_databaseUrl = nullptr;
    QLabel *m_databaseStatus = nullptr;
    QSpinBox *m_rawPerfDays = nullptr;
    QSpinBox *m_rollupDays = nullptr;
    QSpinBox *m_requestDays = nullptr;
    QSpinBox *m_modelEventDays = nullptr;
    QDoubleSpinBox *m_vramPercent = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QComboBox *m_language = nullptr;
    QString m_databasePassword;
};

} // namespace boo
