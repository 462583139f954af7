#pragma once

#include "core/actions/hostaction.h"
#include "core/client/cockpitsettings.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QDockWidget;
class QLabel;
class QTabWidget;
class QTableView;

namespace boo {

class ActionHistoryModel;
class ActivityModel;
class ActivityView;
class AlertMonitor;
class CaptureInspector;
class CockpitBackend;
class FleetModel;
class FleetView;
class LogsView;
class BenchView;
class PlaygroundView;
class RoutingView;
class PerfSeriesModel;
class PerformanceView;
class ProviderRegistry;
class RequestRateModel;
class TokenTotalsModel;
class TrayNotifier;

// The desktop cockpit's window: the Fleet, Activity, Performance and Logs tabs, the capture
// inspector as a side drawer, the action history, and a status bar (hosts up, requests per
// minute, database, attached server). Ctrl+F filters the current tab, Ctrl+1..9 jump to a tab,
// Ctrl+Tab / Ctrl+PgDown and back switch tabs, F5 refreshes. Size, position, layout, column
// widths and filters persist between runs.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum Tab { FleetTab, ActivityTab, PerformanceTab, LogsTab, RoutingTab };

    // `registry` and `providersNote` as SettingsDialog takes them.
    MainWindow(CockpitBackend *backend, ProviderRegistry *registry, const QString &providersNote, const CockpitSettings &settings,
               QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    QTabWidget *tabs() const { return m_tabs; }
    FleetView *fleetView() const { return m_fleetView; }
    ActivityView *activityView() const { return m_activityView; }
    PerformanceView *performanceView() const { return m_performanceView; }
    LogsView *logsView() const { return m_logsView; }
    RoutingView *routingView() const { return m_routingView; }
    PlaygroundView *playgroundView() const { return m_playgroundView; }
    BenchView *benchView() const { return m_benchView; }
    CaptureInspector *inspector() const { return m_inspector; }
    QDockWidget *inspectorDock() const { return m_inspectorDock; }
    ActionHistoryModel *actionHistory() const { return m_history; }
    QString statusText() const;
    // The window's size at its first start on a screen with `available` room.
    static QSize initialSize(const QSize &available);

    // Submits an action, asking first when it would take a model away from its traffic
    // (`confirm` false: as if the operator said yes; tests).
    void submitAction(const HostAction &action, bool confirm = true);
    void openCapture(const QString &hostId, qint64 captureId);
    void showSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void updateStatus();
    void saveWindow();
    void applySettings(const CockpitSettings &settings);

    QPointer<CockpitBackend> m_backend;
    QPointer<ProviderRegistry> m_registry;
    QString m_providersNote;
    CockpitSettings m_settings;
    FleetModel *m_fleetModel;
    ActivityModel *m_activityModel;
    TokenTotalsModel *m_totalsModel;
    PerfSeriesModel *m_perfModel;
    RequestRateModel *m_rateModel;
    ActionHistoryModel *m_history;
    AlertMonitor *m_alerts;
    QTabWidget *m_tabs;
    FleetView *m_fleetView;
    ActivityView *m_activityView;
    PerformanceView *m_performanceView;
    LogsView *m_logsView;
    RoutingView *m_routingView = nullptr;
    PlaygroundView *m_playgroundView = nullptr;
    BenchView *m_benchView = nullptr;
    CaptureInspector *m_inspector;
    QDockWidget *m_inspectorDock;
    QDockWidget *m_historyDock;
    QTableView *m_historyTable;
    TrayNotifier *m_tray;
    QLabel *m_hostsLabel;
    QLabel *m_rateLabel;
    QLabel *m_databaseLabel;
    QLabel *m_serverLabel;
    QTimer m_statusTimer;
};

} // namespace boo
