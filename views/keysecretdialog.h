#pragma once

#include <QDialog>

class QLineEdit;

namespace boo {

// The one moment a consumer key is visible: after Create or Rotate. The key is shown read-only
// with a copy button and a warning that it cannot be shown again (only its hash is stored).
class KeySecretDialog final : public QDialog
{
    Q_OBJECT

public:
    KeySecretDialog(const QString &name, const QString &secret, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(KeySecretDialog)

    QString shownSecret() const;
    void copyToClipboard();

private:
    QLineEdit *m_secret;
};

} // namespace boo
