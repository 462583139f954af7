#include "views/benchview.h"

#include "core/client/benchsource.h"
#include "core/client/cockpitbackend.h"
#include "models/benchcellmodel.h"
#include "models/modelpickermodel.h"

#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr int kRunIdRole = Qt::UserRole + 1;

// "1, 4, 16" -> [1, 4, 16]; empty on anything that is not a positive whole number.
QList<int> numbers(const QString &text)
{
    QList<int> out;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n <= 0)
            return {};
        out << n;
    }
    return out;
}

QString yamlList(const QList<int> &values)
{
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return u"["_s + parts.join(u", "_s) + u"]"_s;
}

// A double-quoted YAML scalar (JSON's escaping is YAML's).
QString quoted(const QString &text)
{
    QString out = text;
    out.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u'"' + out + u'"';
}

} // namespace

BenchView::BenchView(CockpitBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_source(backend->bench())
    , m_picker(new ModelPickerModel(backend->fleet(), this))
    , m_cells(new BenchCellModel(this))
    , m_search(new QLineEdit(this))
    , m_targets(new QListView(this))
    , m_suiteTabs(new QTabWidget(this))
    , m_name(new QLineEdit(u"desktop"_s, this))
    , m_concurrency(new QLineEdit(u"1, 4"_s, this))
    , m_promptSizes(new QLineEdit(u"128"_s, this))
    , m_maxTokens(new QSpinBox(this))
    , m_repetitions(new QSpinBox(this))
    , m_yaml(new QPlainTextEdit(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_history(new QListWidget(this))
    , m_baseline(new QPushButton(tr("Make baseline"), this))
{
    m_search->setObjectName(u"benchSearch"_s);
    m_search->setPlaceholderText(tr("Search models"));
    m_search->setClearButtonEnabled(true);
    m_targets->setObjectName(u"benchTargets"_s);
    m_targets->setModel(m_picker);
    m_targets->setSelectionMode(QAbstractItemView::MultiSelection);
    m_targets->setToolTip(tr("The models to measure: click to pick several"));
    m_run->setObjectName(u"benchRun"_s);
    m_cancel->setObjectName(u"benchCancel"_s);
    m_progress->setObjectName(u"benchProgress"_s);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status->setObjectName(u"benchStatus"_s);
    m_status->setWordWrap(true);
    m_table->setObjectName(u"benchCells"_s);
    m_table->setModel(m_cells);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setObjectName(u"benchHistory"_s);
    m_baseline->setObjectName(u"benchBaseline"_s);
    m_baseline->setToolTip(tr("Later runs of this suite are compared with the selected run"));

    auto *left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Targets"), this));
    left->addWidget(m_search);
    left->addWidget(m_targets, 1);
    m_suiteTabs->addTab(buildForm(), tr("Form"));
    m_yaml->setObjectName(u"benchYaml"_s);
    m_yaml->setPlaceholderText(tr("Paste a suite file (docs/bench.md); it is run instead of the form while this tab is shown"));
    m_suiteTabs->addTab(m_yaml, tr("Suite YAML"));
    m_suiteTabs->setObjectName(u"benchSuiteTabs"_s);
    left->addWidget(m_suiteTabs);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addWidget(m_status);
    auto *leftWidget = new QWidget(this);
    leftWidget->setLayout(left);

    auto *right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("Results"), this));
    right->addWidget(m_table, 3);
    auto *historyBar = new QHBoxLayout;
    historyBar->addWidget(new QLabel(tr("Runs"), this));
    historyBar->addStretch(1);
    historyBar->addWidget(m_baseline);
    right->addLayout(historyBar);
    right->addWidget(m_history, 2);
    auto *rightWidget = new QWidget(this);
    rightWidget->setLayout(right);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(leftWidget);
    splitter->addWidget(rightWidget);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_search, &QLineEdit::textChanged, m_picker, &ModelPickerModel::setFilterText);
    // The picker resets whenever a model loads or unloads: keep the targets picked.
    connect(m_targets->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BenchView::rememberSelection);
    connect(m_picker, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_restoring = true; });
    connect(m_picker, &QAbstractItemModel::modelReset, this, &BenchView::restoreSelection);
    connect(m_run, &QPushButton::clicked, this, &BenchView::runSuite);
    connect(m_cancel, &QPushButton::clicked, this, &BenchView::cancelRun);
    connect(m_baseline, &QPushButton::clicked, this, &BenchView::makeBaseline);
    connect(m_history, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        m_baseline->setEnabled(item != nullptr);
        if (item)
            showRun(item->data(kRunIdRole).toLongLong());
    });
    m_backend->loadModelPreferences(this, [this](Result<QList<ModelPreference>> prefs) {
        if (prefs)
            m_picker->setPreferences(*prefs);
    });
    setRunning(false);
    m_baseline->setEnabled(false);
    if (!m_source) {
        m_run->setEnabled(false);
        m_status->setText(tr("Benchmarks run from a cockpit with its own fleet, or with 'boocontrol bench --server' against an "
                             "attached server."));
        return;
    }
    connect(m_source, &BenchSource::jobChanged, this, &BenchView::onJob);
    refreshHistory();
}

QWidget *BenchView::buildForm()
{
    auto *form = new QWidget(this);
    auto *layout = new QFormLayout(form);
    m_name->setObjectName(u"benchName"_s);
    m_concurrency->setObjectName(u"benchConcurrency"_s);
    m_concurrency->setToolTip(tr("Closed-loop clients per cell, separated by commas"));
    m_promptSizes->setObjectName(u"benchPromptSizes"_s);
    m_promptSizes->setToolTip(tr("Prompt sizes in tokens, separated by commas"));
    m_maxTokens->setObjectName(u"benchMaxTokens"_s);
    m_maxTokens->setRange(1, 32768);
    m_maxTokens->setValue(128);
    m_repetitions->setObjectName(u"benchRepetitions"_s);
    m_repetitions->setRange(1, 50);
    m_repetitions->setValue(3);
    layout->addRow(tr("Suite name"), m_name);
    layout->addRow(tr("Concurrency"), m_concurrency);
    layout->addRow(tr("Prompt sizes"), m_promptSizes);
    layout->addRow(tr("Max tokens"), m_maxTokens);
    layout->addRow(tr("Repetitions"), m_repetitions);
    return form;
}

Result<QByteArray> BenchView::suiteText() const
{
    if (m_suiteTabs->currentWidget() == m_yaml) {
        if (m_yaml->toPlainText().trimmed().isEmpty())
            return makeError(u"bench.form"_s, tr("Paste a suite file, or fill in the form."));
        return m_yaml->toPlainText().toUtf8();
    }
    QStringList targets;
    for (const QString &target : m_selected)
        targets << quoted(target);
    if (targets.isEmpty())
        return makeError(u"bench.form"_s, tr("Pick at least one target."));
    const QList<int> concurrency = numbers(m_concurrency->text());
    const QList<int> prompts = numbers(m_promptSizes->text());
    if (concurrency.isEmpty())
        return makeError(u"bench.form"_s, tr("Concurrency: whole numbers above 0, separated by commas."));
    if (prompts.isEmpty())
        return makeError(u"bench.form"_s, tr("Prompt sizes: whole numbers above 0, separated by commas."));
    const QString name = m_name->text().trimmed().isEmpty() ? u"desktop"_s : m_name->text().trimmed();
    const QString yaml = u"name: %1\ntargets: [%2]\nconcurrency: %3\nprompt_tokens: %4\nmax_tokens: %5\nrepetitions: %6\n"_s.arg(
        quoted(name), targets.join(u", "_s), yamlList(concurrency), yamlList(prompts), QString::number(m_maxTokens->value()),
        QString::number(m_repetitions->value()));
    return yaml.toUtf8();
}

void BenchView::selectTarget(const QString &target)
{
    for (int row = 0; row < m_picker->rowCount(); ++row) {
        const QModelIndex index = m_picker->index(row);
        if (index.data(ModelPickerModel::TargetRole).toString() == target) {
            m_targets->selectionModel()->select(index, QItemSelectionModel::Select);
            return;
        }
    }
}

void BenchView::rememberSelection()
{
    if (m_restoring)
        return;
    m_selected.clear();
    for (const QModelIndex &index : m_targets->selectionModel()->selectedIndexes()) {
        const QString target = index.data(ModelPickerModel::TargetRole).toString();
        if (!target.isEmpty() && !m_selected.contains(target))
            m_selected << target;
    }
}

void BenchView::restoreSelection()
{
    QItemSelection selection;
    for (int row = 0; row < m_picker->rowCount(); ++row) {
        const QModelIndex index = m_picker->index(row);
        if (m_selected.contains(index.data(ModelPickerModel::TargetRole).toString()))
            selection.select(index, index);
    }
    m_targets->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_restoring = false;
}

QString BenchView::statusText() const
{
    return m_status->text();
}

void BenchView::runSuite()
{
    auto suite = suiteText();
    if (!suite) {
        m_status->setText(suite.error().message);
        return;
    }
    start(*suite, false);
}

void BenchView::start(const QByteArray &suite, bool force)
{
    m_run->setEnabled(false);
    m_status->setText(tr("Asking for the hosts…"));
    m_source->start(suite, force, this, [this, suite, force](Result<BenchJob> job) {
        if (!job && job.error().code == u"bench.needs_confirmation" && !force) {
            const auto answer = QMessageBox::question(
                this, tr("Host in use"),
                tr("%1\n\nA benchmark now would slow down its users and its figures would include their load. Run anyway?")
                    .arg(job.error().message));
            if (answer == QMessageBox::Yes)
                return start(suite, true);
            m_status->setText(tr("Not started: %1").arg(job.error().message));
            setRunning(false);
            return;
        }
        if (!job) {
            m_status->setText(tr("Not started: %1").arg(job.error().message));
            setRunning(false);
            return;
        }
        m_jobId = job->id;
        m_cells->clear();
        onJob(*job);
    });
}

void BenchView::cancelRun()
{
    if (m_jobId.isEmpty() || !m_source)
        return;
    m_source->cancel(m_jobId, this, [this](Result<BenchJob> job) {
        if (!job)
            m_status->setText(job.error().message);
    });
}

void BenchView::onJob(const BenchJob &job)
{
    if (job.id != m_jobId)
        return;
    m_progress->setRange(0, qMax(1, job.plannedRequests));
    m_progress->setValue(job.endedRequests);
    switch (job.state) {
    case BenchJob::State::Running: {
        setRunning(true);
        QString text = tr("Running %1: cell %2 of %3, %4 of %5 requests")
                           .arg(job.cell.isEmpty() ? job.suite : job.cell)
                           .arg(qMin(job.cellsDone + 1, job.cellsTotal))
                           .arg(job.cellsTotal)
                           .arg(job.endedRequests)
                           .arg(job.plannedRequests);
        if (job.etaSeconds)
            text += tr(", about %1 s left").arg(qRound(*job.etaSeconds));
        if (job.forced)
            text += tr(" (forced over live traffic)");
        m_status->setText(text);
        return;
    }
    case BenchJob::State::Finished:
        m_status->setText(job.regressions > 0
                              ? tr("Finished: run %1, %n regression(s) against the baseline", nullptr, job.regressions).arg(job.runId)
                              : tr("Finished: run %1, no regression against the baseline").arg(job.runId));
        break;
    case BenchJob::State::Cancelled: m_status->setText(tr("Cancelled")); break;
    case BenchJob::State::Failed: m_status->setText(tr("Failed: %1").arg(job.error)); break;
    }
    setRunning(false);
    m_jobId.clear();
    refreshHistory();
    if (job.runId)
        showRun(job.runId);
}

void BenchView::showRun(qint64 runId)
{
    m_source->run(runId, this, [this](Result<BenchRunResult> run) {
        if (run)
            m_cells->setRun(*run);
        else
            m_status->setText(run.error().message);
    });
}

void BenchView::refreshHistory()
{
    if (!m_source)
        return;
    m_source->runs(this, [this](Result<QList<BenchRunSummary>> runs) {
        if (!runs) {
            m_status->setText(runs.error().message);
            return;
        }
        const qint64 selected = m_history->currentItem() ? m_history->currentItem()->data(kRunIdRole).toLongLong() : 0;
        const QSignalBlocker blocker(m_history);
        m_history->clear();
        for (const BenchRunSummary &r : std::as_const(*runs)) {
            QString text = tr("#%1 %2 · %3 · %n cell(s)", nullptr, r.cells)
                               .arg(r.id)
                               .arg(r.suite, QDateTime::fromMSecsSinceEpoch(r.startedAtMs).toString(u"yyyy-MM-dd HH:mm"_s));
            if (r.baseline)
                text += tr(" · baseline");
            else if (r.comparedWith)
                text += tr(" · %n regression(s) vs #%1", nullptr, r.regressions).arg(*r.comparedWith);
            auto *item = new QListWidgetItem(text, m_history);
            item->setData(kRunIdRole, r.id);
            if (r.id == selected)
                m_history->setCurrentItem(item);
        }
        m_baseline->setEnabled(m_history->currentItem() != nullptr);
    });
}

void BenchView::makeBaseline()
{
    QListWidgetItem *item = m_history->currentItem();
    if (!item || !m_source)
        return;
    const qint64 id = item->data(kRunIdRole).toLongLong();
    m_source->setBaseline(id, this, [this, id](Result<bool> marked) {
        m_status->setText(marked ? tr("Run %1 is now the baseline of its suite").arg(id) : marked.error().message);
        refreshHistory();
    });
}

void BenchView::setRunning(bool running)
{
    m_run->setEnabled(!running && m_source);
    m_cancel->setEnabled(running);
}

} // namespace boo
