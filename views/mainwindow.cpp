#include "views/mainwindow.h"

#include "core/actions/actionqueue.h"
#include "core/alerts/alertmonitor.h"
#include "core/client/cockpitbackend.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "models/actionhistorymodel.h"
#include "models/activitymodel.h"
#include "models/fleetmodel.h"
#include "models/formatting.h"
#include "models/perfseriesmodel.h"
#include "models/requestratemodel.h"
#include "models/tokentotalsmodel.h"
#include "views/activityview.h"
#include "views/benchview.h"
#include "views/captureinspector.h"
#include "views/fleetsummarystrip.h"
#include "views/fleetview.h"
#include "views/logsview.h"
#include "views/performanceview.h"
#include "views/playgroundview.h"
#include "views/routingview.h"
#include "views/settingsdialog.h"
#include "views/traynotifier.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace boo {

MainWindow::MainWindow(CockpitBackend *backend, ProviderRegistry *registry, const QString &providersNote, const CockpitSettings &settings,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
    , m_registry(registry)
    , m_providersNote(providersNote)
    , m_settings(settings)
    , m_fleetModel(new FleetModel(backend->fleet(), this))
    , m_activityModel(new ActivityModel(backend->fleet(), backend->history(), this))
    , m_totalsModel(new TokenTotalsModel(backend->fleet(), backend->history(), this))
    , m_perfModel(new PerfSeriesModel(backend->fleet(), backend->history(), this))
    , m_rateModel(new RequestRateModel(backend->fleet(), backend->history(), this))
    , m_history(new ActionHistoryModel(backend->fleet(), this))
    , m_alerts(new AlertMonitor(backend->fleet(), this))
    , m_tabs(new QTabWidget(this))
    , m_fleetView(new FleetView(m_fleetModel, this))
    , m_activityView(new ActivityView(m_activityModel, m_totalsModel, backend->fleet(), this))
    , m_performanceView(new PerformanceView(m_perfModel, m_rateModel, backend->fleet(), this))
    , m_logsView(new LogsView(backend, this))
    , m_inspector(new CaptureInspector(backend, this))
    , m_inspectorDock(new QDockWidget(tr("Capture inspector"), this))
    , m_historyDock(new QDockWidget(tr("Action history"), this))
    , m_historyTable(new QTableView(this))
    , m_tray(new TrayNotifier(this, this))
    , m_hostsLabel(new QLabel(this))
    , m_rateLabel(new QLabel(this))
    , m_databaseLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
{
    setWindowTitle(backend->attachedServer().isEmpty() ? tr("BooControl") : tr("BooControl \u2014 %1").arg(backend->attachedServer()));
    setObjectName(u"mainWindow"_s);
    m_tabs->addTab(m_fleetView, tr("&Fleet"));
    m_tabs->addTab(m_activityView, tr("&Activity"));
    m_tabs->addTab(m_performanceView, tr("&Performance"));
    m_tabs->addTab(m_logsView, tr("&Logs"));
    if (backend->routing()) {
        m_totalsModel->setKeySource(backend->routing());
        m_routingView = new RoutingView(backend->routing(), this);
        m_tabs->addTab(m_routingView, tr("&Routing"));
        m_routingView->reload();
    }
    m_playgroundView = new PlaygroundView(backend, this);
    m_tabs->addTab(m_playgroundView, tr("Pla&yground"));
    m_benchView = new BenchView(backend, this);
    m_tabs->addTab(m_benchView, tr("&Bench"));
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);

    m_inspectorDock->setObjectName(u"inspectorDock"_s);
    m_inspectorDock->setWidget(m_inspector);
    m_inspectorDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    m_inspectorDock->hide();

    m_historyTable->setModel(m_history);
    m_historyTable->setObjectName(u"historyTable"_s);
    m_historyTable->verticalHeader()->setVisible(false);
    m_historyTable->horizontalHeader()->setStretchLastSection(true);
    m_historyTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyTable->setColumnWidth(ActionHistoryModel::WhatColumn, 200);
    m_historyDock->setObjectName(u"historyDock"_s);
    m_historyDock->setWidget(m_historyTable);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    m_historyDock->hide();

    for (QLabel *label : {m_hostsLabel, m_rateLabel, m_databaseLabel, m_serverLabel})
        statusBar()->addPermanentWidget(label);
    m_hostsLabel->setObjectName(u"statusHosts"_s);
    m_rateLabel->setObjectName(u"statusRate"_s);

    connect(m_fleetView, &FleetView::actionRequested, this, [this](const HostAction &a) { submitAction(a); });
    connect(m_fleetView, &FleetView::gapAcknowledged, this, [this](const QString &hostId) {
        m_backend->acknowledgeGap(hostId, this, [this, hostId](Result<void> done) {
            if (!done)
                statusBar()->showMessage(tr("The gap of %1 was not acknowledged: %2").arg(hostId, done.error().message), 8000);
        });
    });
    connect(m_activityView, &ActivityView::captureRequested, this, &MainWindow::openCapture);
    connect(m_activityView, &ActivityView::cancelRequested, this, [this](const QString &host, const QString &id) {
        HostAction cancel;
        cancel.hostId = host;
        cancel.kind = HostAction::Kind::Cancel;
        cancel.requestId = id;
        submitAction(cancel);
    });
    connect(m_alerts, &AlertMonitor::alert, this, [this](const Alert &alert) {
        m_history->addAlert(alert);
        m_tray->notify(alert);
        statusBar()->showMessage(alert.describe(), 10000);
    });
    connect(backend, &CockpitBackend::statusChanged, this, &MainWindow::updateStatus);
    connect(m_fleetView->summaryStrip(), &FleetSummaryStrip::summaryChanged, this, &MainWindow::updateStatus);
    m_statusTimer.setInterval(1000); // the request rate is a reading of the last 60 s, by the second
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();

    buildMenus();
    applySettings(settings);
    QSettings store;
    if (!restoreGeometry(store.value(u"window/geometry"_s).toByteArray())) {
        // First start (or a stored geometry Qt cannot use): a good share of the screen, centred.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        const QSize size = initialSize(available.size()).expandedTo(minimumSizeHint());
        setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, available));
    }
    restoreState(store.value(u"window/state"_s).toByteArray());
    m_tabs->setCurrentIndex(store.value(u"window/tab"_s, 0).toInt());
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Also when the program ends without closing the window first (SIGTERM, Quit).
    saveWindow();
}

QSize MainWindow::initialSize(const QSize &available)
{
    // Room for four host cards in a row and the charts two by two, without covering a whole
    // large screen; on a small one, nearly all of it (the frame and a panel still fit).
    const QSize wanted(1440, 900);
    return wanted.boundedTo(QSize(available.width() * 92 / 100, available.height() * 90 / 100));
}

void MainWindow::saveWindow()
{
    QSettings store;
    store.setValue(u"window/geometry"_s, saveGeometry());
    store.setValue(u"window/state"_s, saveState());
    store.setValue(u"window/tab"_s, m_tabs->currentIndex());
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Settings\u2026"), QKeySequence::Preferences, this, &MainWindow::showSettings);
    file->addAction(tr("Send &Test Alert"), this, [this] {
        m_backend->sendTestAlert(this, [this](Result<QString> sent) {
            statusBar()->showMessage(sent ? *sent : tr("No test alert: %1").arg(sent.error().message), 10000);
        });
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    // Ctrl+1 ... Ctrl+9: the tabs as they are (their titles without the mnemonic).
    for (int tab = 0; tab < m_tabs->count() && tab < 9; ++tab) {
        const QString name = m_tabs->tabText(tab).remove(u'&');
        view->addAction(name, QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + tab)), this, [this, tab] { m_tabs->setCurrentIndex(tab); });
    }
    // Window-wide, so that they work wherever the focus is (a table or a search field would
    // otherwise keep Ctrl+Tab for itself or give it to the focus chain).
    QAction *next
        = view->addAction(tr("&Next tab"), this, [this] { m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count()); });
    next->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Tab), QKeySequence(Qt::CTRL | Qt::Key_PageDown)});
    QAction *previous = view->addAction(
        tr("P&revious tab"), this, [this] { m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count()); });
    previous->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Tab),
                            QKeySequence(Qt::CTRL | Qt::Key_PageUp)});
    view->addSeparator();
    view->addAction(tr("&Filter"), QKeySequence::Find, this, [this] {
        switch (m_tabs->currentIndex()) {
        case FleetTab: m_fleetView->focusFilter(); break;
        case ActivityTab: m_activityView->focusFilter(); break;
        case PerformanceTab: m_performanceView->focusFilter(); break;
        case LogsTab: m_logsView->focusFilter(); break;
        }
    });
    view->addAction(tr("&Refresh"), QKeySequence::Refresh, this, [this] {
        switch (m_tabs->currentIndex()) {
        case ActivityTab: m_activityView->refresh(); break;
        case PerformanceTab: m_performanceView->refresh(); break;
        case LogsTab: m_logsView->refresh(); break;
        case RoutingTab: m_routingView->reload(); break;
        default: m_fleetModel->flush(); break;
        }
        statusBar()->showMessage(tr("Refreshed"), 2000);
    });
    view->addSeparator();
    view->addAction(m_inspectorDock->toggleViewAction());
    QAction *history = m_historyDock->toggleViewAction();
    history->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    view->addAction(history);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About BooControl"), this, [this] {
        QMessageBox::about(this, tr("About BooControl"),
                           tr("<b>BooControl %1</b><p>A cockpit for a fleet of llama-swap inference hosts.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::applySettings(const CockpitSettings &settings)
{
    m_settings = settings;
    m_alerts->setThresholds(settings.alerts);
    m_fleetView->summaryStrip()->setThresholds({settings.alerts.vramPercent, settings.alerts.temperatureC});
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(m_registry, m_providersNote, m_settings, this);
    connect(&dialog, &SettingsDialog::settingsSaved, this, &MainWindow::applySettings);
    dialog.exec();
}

void MainWindow::submitAction(const HostAction &action, bool confirm)
{
    if (!m_backend)
        return;
    const auto host = m_backend->fleet()->host(action.hostId);
    if (confirm && host && ActionQueue::needsConfirmation(*host, action, QDateTime::currentMSecsSinceEpoch())) {
        const QString what = action.kind == HostAction::Kind::UnloadAll
            ? tr("Models on %1 served requests in the last minute.").arg(host->name)
            : tr("%1 on %2 served requests in the last minute.").arg(action.model, host->name);
        const auto answer = QMessageBox::question(
            this, tr("Take the model away?"), what + u"\n\n"_s + tr("Unloading it now takes it from whoever is using it. Unload anyway?"),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    if (confirm && action.kind == HostAction::Kind::Cancel) {
        const auto answer = QMessageBox::question(
            this, tr("Cancel request?"), tr("Cancel request %1 on %2? The client gets an error.").arg(action.requestId, action.hostId),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_backend->submit(action, this, [this, action](Result<HostAction> accepted) {
        if (!accepted) {
            m_history->addRefusal(action, accepted.error().message);
            statusBar()->showMessage(tr("Not queued: %1").arg(accepted.error().message), 8000);
        }
    });
}

void MainWindow::openCapture(const QString &hostId, qint64 captureId)
{
    const bool first = !m_inspectorDock->isVisible();
    m_inspectorDock->show();
    m_inspectorDock->raise();
    // A drawer too narrow to read JSON in is no use: give it a good share of the window.
    if (first && m_inspectorDock->width() < width() * 2 / 5)
        resizeDocks({m_inspectorDock}, {width() * 2 / 5}, Qt::Horizontal);
    m_inspector->showCapture(hostId, captureId);
}

void MainWindow::updateStatus()
{
    if (!m_backend)
        return;
    // The summary strip's own totals (the cards' readings summed, from the same host views), so
    // that the status bar and the strip never show two numbers for one thing.
    const FleetSummary &summary = m_fleetView->summaryStrip()->summary();
    m_hostsLabel->setText(tr("Hosts %1/%2 up").arg(summary.hostsUp).arg(summary.hosts));
    m_rateLabel->setText(formatting::requestRate(summary.rate.requests));
    const auto dbUp = m_backend->databaseUp();
    const QString state = !dbUp ? tr("connecting") : *dbUp ? tr("up") : tr("DOWN, rows are queued");
    m_databaseLabel->setText(tr("Database: %1 (%2)").arg(m_backend->databaseLabel(), state));
    const QString server = m_backend->attachedServer();
    if (server.isEmpty()) {
        m_serverLabel->setText(tr("Local ingest"));
    } else {
        const QString problem = m_backend->connectionProblem();
        m_serverLabel->setText(problem.isEmpty() ? tr("Attached to %1").arg(server) : tr("Server %1: %2").arg(server, problem));
    }
}

QString MainWindow::statusText() const
{
    return QStringList{m_hostsLabel->text(), m_rateLabel->text(), m_databaseLabel->text(), m_serverLabel->text()}.join(u" | "_s);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindow();
    QMainWindow::closeEvent(event);
}

} // namespace boo
