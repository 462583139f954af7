#include "views/traynotifier.h"

#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace boo {

TrayNotifier::TrayNotifier(QWidget *window, QObject *parent)
    : QObject(parent)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
    m_tray->setToolTip(tr("BooControl"));
    auto *menu = new QMenu(window);
    menu->addAction(tr("Show BooControl"), window, [window] {
        window->showNormal();
        window->raise();
        window->activateWindow();
    });
    menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, window, [window](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            window->showNormal();
            window->activateWindow();
        }
    });
    m_tray->show();
}

void TrayNotifier::notify(const Alert &alert)
{
    if (!m_tray)
        return;
    QString title;
    switch (alert.kind) {
    case Alert::Kind::HostDown: title = tr("Host down"); break;
    case Alert::Kind::HostBack: title = tr("Host back"); break;
    case Alert::Kind::VramHigh: title = tr("VRAM almost full"); break;
    case Alert::Kind::TemperatureHigh: title = tr("GPU running hot"); break;
    case Alert::Kind::GapSuspected: title = tr("Activity gap suspected"); break;
    case Alert::Kind::ErrorRate: title = tr("High error rate"); break;
    case Alert::Kind::FailoverStorm: title = tr("Gateway failover storm"); break;
    case Alert::Kind::KeyLimited: title = tr("Consumer key limited"); break;
    case Alert::Kind::BenchRegression: title = tr("Benchmark regression"); break;
    case Alert::Kind::ConfigRollback: title = tr("Config rolled back"); break;
    case Alert::Kind::Test: title = tr("Test alert"); break;
    }
    QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Warning;
    switch (alert.severity()) {
    case AlertSeverity::Info: icon = QSystemTrayIcon::Information; break;
    case AlertSeverity::Warning: icon = QSystemTrayIcon::Warning; break;
    case AlertSeverity::Critical: icon = QSystemTrayIcon::Critical; break;
    }
    m_tray->showMessage(title, alert.describe(), icon, 8000);
}

} // namespace boo
