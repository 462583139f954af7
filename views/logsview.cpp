#include "views/logsview.h"

#include "core/client/cockpitbackend.h"
#include "core/fleet/fleetstate.h"
#include "models/logfeed.h"
#include "models/logmodel.h"
#include "views/cockpitpalette.h"
#include "views/logdelegate.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

LogsView::LogsView(CockpitBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_model(new LogModel(this))
    , m_feed(new LogFeed(backend, m_model, this))
    , m_delegate(new LogDelegate(this))
    , m_host(new QComboBox(this))
    , m_source(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_hideOwn(new QCheckBox(tr("Hide BooControl's own requests"), this))
    , m_paused(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_list(new QListView(this))
{
    m_host->setMinimumContentsLength(12);
    m_source->setMinimumContentsLength(16);
    m_source->setObjectName(u"logSource"_s);
    m_search->setPlaceholderText(tr("Search (Ctrl+F, Enter for the next match)"));
    m_search->setClearButtonEnabled(true);
    auto *previous = new QPushButton(tr("Previous"), this);
    auto *next = new QPushButton(tr("Next"), this);
    auto *copyButton = new QPushButton(tr("Copy"), this);
    auto *saveButton = new QPushButton(tr("Save\u2026"), this);
    copyButton->setToolTip(tr("Copy the selected lines, or the whole log when none is selected"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_host);
    bar->addWidget(m_source);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_hideOwn);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addWidget(copyButton);
    bar->addWidget(saveButton);

    m_list->setModel(m_model);
    m_list->setItemDelegate(m_delegate);
    m_list->setObjectName(u"logList"_s);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_paused->setObjectName(u"logPaused"_s);
    m_problem->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->addLayout(bar);
    layout->addWidget(m_problem);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_paused);

    connect(m_host, &QComboBox::currentIndexChanged, this, [this] {
        refreshSources();
        onSourceChosen();
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, &LogsView::onSourceChosen);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_delegate->setHighlight(text);
        m_list->viewport()->update();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    connect(previous, &QPushButton::clicked, this, [this] { findNext(false); });
    connect(next, &QPushButton::clicked, this, [this] { findNext(true); });
    connect(copyButton, &QPushButton::clicked, this, &LogsView::copy);
    connect(saveButton, &QPushButton::clicked, this, &LogsView::save);
    connect(m_list->verticalScrollBar(), &QScrollBar::valueChanged, this, &LogsView::onScrolled);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_model->isPaused())
            m_list->scrollToBottom();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_list->scrollToBottom(); });
    connect(m_model, &LogModel::pendingCountChanged, this, &LogsView::updatePauseLabel);
    connect(m_feed, &LogFeed::problemChanged, this, [this](const QString &problem) {
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
    });
    FleetState *fleet = backend->fleet();
    connect(fleet, &FleetState::hostAdded, this, &LogsView::refreshHosts);
    connect(fleet, &FleetState::hostRemoved, this, &LogsView::refreshHosts);
    connect(fleet, &FleetState::reset, this, &LogsView::refreshHosts);
    connect(fleet, &FleetState::changed, this, [this](const FleetDelta &delta) {
        // New models appear in the source list as the host reports them.
        const auto *host = delta.as<HostChanged>();
        if (host && delta.hostId == m_host->currentData().toString() && m_source->count() != host->host.models.size() + 2)
            refreshSources();
    });

    m_hideOwn->setObjectName(u"hideOwnRequests"_s);
    m_hideOwn->setToolTip(tr("Leave out the host's access-log lines of requests sent by BooControl (User-Agent BooControl/...): "
                             "its event stream, activity and GPU polls, actions"));
    m_hideOwn->setChecked(QSettings().value(u"logs/hideOwnRequests"_s, true).toBool());
    m_model->setHideOwnRequests(m_hideOwn->isChecked());
    connect(m_hideOwn, &QCheckBox::toggled, this, [this](bool hide) {
        m_model->setHideOwnRequests(hide);
        refresh(); // the lines already shown were filtered, or not, when they came
    });

    m_problem->setVisible(false);
    m_model->setDarkBackground(CockpitPalette::isDark(palette()));
    refreshHosts();
    QSettings settings;
    select(settings.value(u"logs/host"_s).toString(), settings.value(u"logs/source"_s, u"proxy"_s).toString());
    updatePauseLabel();
}

LogsView::~LogsView()
{
    QSettings settings;
    settings.setValue(u"logs/host"_s, m_host->currentData());
    settings.setValue(u"logs/source"_s, m_source->currentData());
    settings.setValue(u"logs/hideOwnRequests"_s, m_hideOwn->isChecked());
}

void LogsView::refreshHosts()
{
    const QString current = m_host->currentData().toString();
    {
        const QSignalBlocker block(m_host);
        m_host->clear();
        for (const QString &id : m_backend->fleet()->hostIds()) {
            const auto view = m_backend->fleet()->host(id);
            m_host->addItem(view->name.isEmpty() ? id : view->name, id);
        }
        m_host->setCurrentIndex(std::max(0, m_host->findData(current)));
    }
    refreshSources();
    onSourceChosen();
}

void LogsView::refreshSources()
{
    const QString current = m_source->currentData().toString();
    const QSignalBlocker block(m_source);
    m_source->clear();
    m_source->addItem(tr("proxy (llama-swap)"), u"proxy"_s);
    m_source->addItem(tr("upstream (all models)"), u"upstream"_s);
    if (const auto view = m_backend->fleet()->host(m_host->currentData().toString())) {
        for (const HostedModel &m : view->models) {
            if (m.peerId.isEmpty())
                m_source->addItem(tr("model: %1").arg(m.id), m.id);
        }
    }
    m_source->setCurrentIndex(std::max(0, m_source->findData(current)));
}

void LogsView::select(const QString &hostId, const QString &source)
{
    if (const int host = m_host->findData(hostId); host >= 0)
        m_host->setCurrentIndex(host);
    refreshSources();
    if (const int index = m_source->findData(source); index >= 0)
        m_source->setCurrentIndex(index);
    onSourceChosen();
}

void LogsView::onSourceChosen()
{
    m_model->setPaused(false);
    m_feed->setSource(m_host->currentData().toString(), m_source->currentData().toString());
    m_list->scrollToBottom();
}

void LogsView::onScrolled()
{
    // Reading further up holds the view still; back at the bottom it follows the log again.
    const QScrollBar *bar = m_list->verticalScrollBar();
    m_model->setPaused(bar->value() < bar->maximum());
    updatePauseLabel();
}

void LogsView::updatePauseLabel()
{
    if (!m_model->isPaused()) {
        m_paused->setText(tr("Following the log live."));
        return;
    }
    m_paused->setText(tr("Paused while you read: %n new lines waiting. Scroll to the bottom to resume.", nullptr, m_model->pendingCount()));
}

bool LogsView::findNext(bool forward)
{
    const int from = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : (forward ? -1 : 0);
    const int row = m_model->find(m_search->text(), from, forward);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void LogsView::copy()
{
    QList<int> rows;
    for (const QModelIndex &index : m_list->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QApplication::clipboard()->setText(m_model->plainText(rows));
}

void LogsView::save()
{
    const QString suggested = u"%1-%2.log"_s.arg(m_host->currentData().toString(), m_source->currentData().toString().replace(u'/', u'_'));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save log"), suggested, tr("Log files (*.log *.txt)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        QMessageBox::warning(this, tr("Save log"), tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    file.write(m_model->plainText().toUtf8());
    file.write("\n");
}

void LogsView::focusFilter()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LogsView::refresh()
{
    const QString host = m_host->currentData().toString();
    const QString source = m_source->currentData().toString();
    m_feed->setSource({}, {});
    m_feed->setSource(host, source);
}

void LogsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_model->setDarkBackground(CockpitPalette::isDark(palette()));
}

} // namespace boo
