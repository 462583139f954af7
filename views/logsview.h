#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace boo {

class CockpitBackend;
class LogDelegate;
class LogFeed;
class LogModel;

// The Logs tab: per host the live tail of proxy, upstream or one model's log (the last lines
// on join), ANSI colours rendered, search, paused while the operator reads further up and
// resumed at the bottom, copy and save; the host's access lines of BooControl's own requests
// left out unless asked for.
class LogsView final : public QWidget
{
    Q_OBJECT

public:
    explicit LogsView(CockpitBackend *backend, QWidget *parent = nullptr);
    ~LogsView() override;
    Q_DISABLE_COPY_MOVE(LogsView)

    LogModel *model() const { return m_model; }
    LogFeed *feed() const { return m_feed; }
    QListView *list() const { return m_list; }
    QLineEdit *searchField() const { return m_search; }
    QCheckBox *hideOwnRequests() const { return m_hideOwn; }
    void select(const QString &hostId, const QString &source);
    void focusFilter();
    void refresh();
    // Jumps to the next (or previous) line that matches the search text.
    bool findNext(bool forward = true);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refreshHosts();
    void refreshSources();
    void onSourceChosen();
    void onScrolled();
    void updatePauseLabel();
    void copy();
    void save();

    CockpitBackend *m_backend;
    LogModel *m_model;
    LogFeed *m_feed;
    LogDelegate *m_delegate;
    QComboBox *m_host;
    QComboBox *m_source;
    QLineEdit *m_search;
    QCheckBox *m_hideOwn;
    QLabel *m_paused;
    QLabel *m_problem;
    QListView *m_list;
};

} // namespace boo
