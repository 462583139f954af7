#pragma once

#include "core/common/result.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QTableView;

namespace boo {

class ConsumerKeyModel;
struct ConsumerKeyEdit;
struct ConsumerKeySpec;
struct IssuedKey;
class RoutingSource;

// The Keys page of the Routing tab: the gateway's consumer keys (docs/keys.md) with their limits,
// today's usage and state; Create (the key shown once), Edit limits, Disable/Enable, Rotate and
// Revoke. The same on the desktop's own database and on an attached server (RoutingSource).
class KeysView final : public QWidget
{
    Q_OBJECT

public:
    explicit KeysView(RoutingSource *source, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(KeysView)

    void reload();
    // The actions without their dialogs (the buttons open the dialogs, then call these).
    void create(const ConsumerKeySpec &spec);
    void editSelected(const ConsumerKeyEdit &edit);
    void setSelectedDisabled(bool disabled);
    void rotateSelected();
    void revokeSelected();
    void selectKey(const QString &name);
    QString selectedName() const;

    ConsumerKeyModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString message() const;
    // Instead of the dialog that shows a new secret once (tests, screenshots).
    void setSecretPresenter(std::function<void(const QString &name, const QString &secret)> presenter);

Q_SIGNALS:
    // A read or change has answered.
    void answered();

private:
    void updateButtons();
    void setMessage(const QString &text);
    void showSecret(const IssuedKey &issued);
    void openCreateDialog();
    void openEditDialog();

    QPointer<RoutingSource> m_source;
    ConsumerKeyModel *m_model;
    QTableView *m_table;
    QPushButton *m_edit;
    QPushButton *m_toggle;
    QPushButton *m_rotate;
    QPushButton *m_revoke;
    QLabel *m_message;
    std::function<void(const QString &, const QString &)> m_presentSecret;
};

} // namespace boo
