#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace boo {

class DispatchLogView;
class KeysView;
class PolicyEditor;
class RankingModel;
class RoutePolicyListModel;
class RoutingSource;

// The Routing tab: the route policies (create, edit, reorder, enable; saved as a whole), a
// policy tested against the fleet as it is now (ranked candidates and why), the gateway's
// dispatch log and its consumer keys. Works the same on a local database and on an attached server (RoutingSource).
class RoutingView final : public QWidget
{
    Q_OBJECT

public:
    explicit RoutingView(RoutingSource *source, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RoutingView)

    // Reads the policies (and the log) again; unsaved edits are dropped.
    void reload();
    void save();
    void testSelected();
    void selectPolicy(int row);
    void addPolicy();
    void removeSelected();
    void moveSelected(int delta);

    RoutePolicyListModel *policyModel() const { return m_policies; }
    RankingModel *rankingModel() const { return m_ranking; }
    PolicyEditor *editor() const { return m_editor; }
    DispatchLogView *logView() const { return m_log; }
    KeysView *keysView() const { return m_keys; }
    QString message() const;
    int selectedRow() const;

Q_SIGNALS:
    // A policies load, save or test has answered.
    void answered();

private:
    void applyEditor();
    void showSelected();
    void setMessage(const QString &text);

    QPointer<RoutingSource> m_source;
    RoutePolicyListModel *m_policies;
    RankingModel *m_ranking;
    QTableView *m_policyTable;
    PolicyEditor *m_editor;
    QTableView *m_rankingTable;
    QLineEdit *m_testSource;
    QSpinBox *m_testTokens;
    QCheckBox *m_testTools;
    QComboBox *m_testEndpoint;
    QPushButton *m_save;
    QLabel *m_message;
    DispatchLogView *m_log;
    KeysView *m_keys;
    bool m_showing = false;
};

} // namespace boo
