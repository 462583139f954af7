#pragma once

#include "core/providers/providerconfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;

namespace boo {

class SecretResolver;

// Adds or edits one provider. The API key is never written to the providers file: it is taken
// from an environment variable or stored in the system keychain (QtKeychain, service
// "boocontrol"), and the file only names where it is. "Test connection" asks the host's
// /api/version with the key before anything is saved.
class ProviderDialog final : public QDialog
{
    Q_OBJECT

public:
    ProviderDialog(SecretResolver *secrets, const QStringList &takenIds, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProviderDialog)

    void setProvider(const ProviderConfig &provider);
    // The provider as entered; empty with a reason in problem() when it is not valid.
    std::optional<ProviderConfig> provider() const;
    QString problem() const;
    // A secret typed for a keychain key (stored by the caller when the dialog is accepted).
    QString keychainSecret() const;

    QLineEdit *idField() const { return m_id; }
    QLineEdit *urlField() const { return m_url; }
    QComboBox *keyStore() const { return m_keyStore; }
    QLineEdit *keyName() const { return m_keyName; }
    QLineEdit *secretField() const { return m_secret; }
    QLabel *testResult() const { return m_testResult; }
    void testConnection();

    void accept() override;

private:
    void updateKeyFields();

    SecretResolver *m_secrets;
    QStringList m_takenIds;
    QNetworkAccessManager *m_nam;
    QLineEdit *m_id;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QLineEdit *m_url;
    QCheckBox *m_enabled;
    QComboBox *m_keyStore;
    QLineEdit *m_keyName;
    QLineEdit *m_secret;
    QLineEdit *m_tags;
    QLabel *m_testResult;
    bool m_editing = false;
};

} // namespace boo
