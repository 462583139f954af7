#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace boo {

class DispatchLogFilterModel;
class DispatchLogModel;
class RoutingSource;

// The gateway's dispatch log: newest first, filtered by text (source, model, policy, host) and
// status class, with every candidate and attempt of the selected request below.
class DispatchLogView final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 200;

    explicit DispatchLogView(RoutingSource *source, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DispatchLogView)

    void refresh();
    void loadOlder();

    DispatchLogModel *logModel() const { return m_model; }
    DispatchLogFilterModel *filterModel() const { return m_filter; }
    QLineEdit *filterEdit() const { return m_text; }
    QComboBox *statusBox() const { return m_status; }
    QTableView *table() const { return m_table; }
    QString details() const;

Q_SIGNALS:
    void loaded();

private:
    void showDetails();

    QPointer<RoutingSource> m_source;
    DispatchLogModel *m_model;
    DispatchLogFilterModel *m_filter;
    QLineEdit *m_text;
    QComboBox *m_status;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QLabel *m_message;
};

} // namespace boo
