#pragma once

#include "core/common/result.h"
#include "core/gateway/consumerkey.h"
#include "core/gateway/consumerkeyedit.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace boo {

// The form of a consumer key: a new one (name and source too) or the limits of an existing
// one. 0 in a limit means no limit; an empty expiry means never. Input is checked as the
// server checks it, and the dialog stays open with the reason while something is wrong.
class KeyDialog final : public QDialog
{
    Q_OBJECT

public:
    // Create a key.
    explicit KeyDialog(QWidget *parent = nullptr);
    // Edit `key`'s limits, models and expiry.
    explicit KeyDialog(const ConsumerKey &key, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(KeyDialog)

    Result<ConsumerKeySpec> spec() const;
    // What differs from the key being edited (empty when nothing does).
    Result<ConsumerKeyEdit> edit() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *sourceEdit() const { return m_source; }
    QSpinBox *rpmBox() const { return m_rpm; }
    QSpinBox *tpmBox() const { return m_tpm; }
    QSpinBox *budgetBox() const { return m_budget; }
    QLineEdit *modelsEdit() const { return m_models; }
    QLineEdit *expiresEdit() const { return m_expires; }

    void accept() override;

private:
    void build(bool creating);

    std::optional<ConsumerKey> m_original;
    QLineEdit *m_name;
    QLineEdit *m_source;
    QSpinBox *m_rpm;
    QSpinBox *m_tpm;
    QSpinBox *m_budget;
    QLineEdit *m_models;
    QLineEdit *m_expires;
    QCheckBox *m_subSource;
    QLabel *m_problem;
};

} // namespace boo
