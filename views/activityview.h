#pragma once

#include "core/store/requestquery.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;

namespace boo {

class ActivityModel;
class FleetState;
class TokenTotalsModel;

// The Activity tab: filters, the virtual request table (in-flight requests on top), and token
// totals per source and per model for the filtered range. Filters, column widths and the
// splitter persist in QSettings.
class ActivityView final : public QWidget
{
    Q_OBJECT

public:
    ActivityView(ActivityModel *model, TokenTotalsModel *totals, FleetState *fleet, QWidget *parent = nullptr);
    ~ActivityView() override;
    Q_DISABLE_COPY_MOVE(ActivityView)

    QTableView *table() const { return m_table; }
    QTableView *totalsTable() const { return m_totals; }
    QLineEdit *textFilter() const { return m_text; }
    void focusFilter();
    void refresh();
    // The filter the controls describe now.
    RequestFilter currentFilter() const;

Q_SIGNALS:
    void captureRequested(const QString &hostId, qint64 captureId);
    void cancelRequested(const QString &hostId, const QString &requestId);

private:
    void applyFilter();
    void refreshChoices();
    void onActivated(const QModelIndex &index);
    void showContextMenu(const QPoint &pos);
    void updateStatus();
    void saveState() const;
    void restoreState();

    ActivityModel *m_model;
    TokenTotalsModel *m_totalsModel;
    FleetState *m_fleet;
    QComboBox *m_host;
    QComboBox *m_modelFilter;
    QComboBox *m_status;
    QLineEdit *m_source;
    QLineEdit *m_text;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QSplitter *m_splitter;
    QTableView *m_table;
    QTableView *m_totals;
    QLabel *m_statusLine;
    QTimer m_debounce;
};

} // namespace boo
