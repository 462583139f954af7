#pragma once

#include "core/alerts/alert.h"

#include <QObject>

class QSystemTrayIcon;
class QWidget;

namespace boo {

// Desktop notifications for alerts, through the system tray. Where there is no tray (some
// desktops, a virtual display), alerts still reach the action history; this just stays quiet.
class TrayNotifier final : public QObject
{
    Q_OBJECT

public:
    explicit TrayNotifier(QWidget *window, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(TrayNotifier)

    void notify(const Alert &alert);

private:
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace boo
