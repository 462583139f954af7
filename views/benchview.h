#pragma once

#include "core/bench/benchjobs.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace boo {

class BenchCellModel;
class BenchSource;
class CockpitBackend;
class ModelPickerModel;

// The Bench tab: pick targets with the grouped model picker and the loads in a form (or paste a
// suite file), run it, follow its progress, read the cells (TTFT, tokens/s, requests/s, errors,
// regression flags against the suite's baseline), browse earlier runs and mark one as baseline.
// Runs go through the host access gate: a busy host asks the operator first (docs/bench.md).
class BenchView final : public QWidget
{
    Q_OBJECT

public:
    explicit BenchView(CockpitBackend *backend, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BenchView)

    ModelPickerModel *picker() const { return m_picker; }
    BenchCellModel *cells() const { return m_cells; }
    // The suite the Run button would start: the pasted YAML, or the form's as YAML; or what is
    // wrong with the form.
    Result<QByteArray> suiteText() const;
    // Selects "provider/model" in the target list (tests, screenshots).
    void selectTarget(const QString &target);
    QString currentJobId() const { return m_jobId; }
    QString statusText() const;

public Q_SLOTS:
    void runSuite();
    void cancelRun();
    void refreshHistory();
    void makeBaseline();

private:
    QWidget *buildForm();
    void start(const QByteArray &suite, bool force);
    void onJob(const BenchJob &job);
    void showRun(qint64 runId);
    void setRunning(bool running);
    void rememberSelection();
    void restoreSelection();

    CockpitBackend *m_backend;
    BenchSource *m_source;
    ModelPickerModel *m_picker;
    BenchCellModel *m_cells;
    QLineEdit *m_search;
    QListView *m_targets;
    QTabWidget *m_suiteTabs;
    QLineEdit *m_name;
    QLineEdit *m_concurrency;
    QLineEdit *m_promptSizes;
    QSpinBox *m_maxTokens;
    QSpinBox *m_repetitions;
    QPlainTextEdit *m_yaml;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    QTableView *m_table;
    QListWidget *m_history;
    QPushButton *m_baseline;
    QString m_jobId;
    QStringList m_selected; // "provider/model": kept across the picker's resets
    bool m_restoring = false;
};

} // namespace boo
