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
    const bool bad = alert.kind != Alert::Kind::HostBack;
    QString title;
    switch (alert.kind) {
    case Alert::Kind::HostDown: title = tr("Host down"); break;
    case Alert::Kind::HostBack: title = tr("Host back"); break;
    case Alert::Kind::VramHigh: title = tr("VRAM almost full"); break;
    case Alert::Kind::TemperatureHigh: title = tr("GPU running hot"); break;
    }
    m_tray->showMessage(title, alert.describe(), bad ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 8000);
}

} // namespace boo
