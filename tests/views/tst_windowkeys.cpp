// The window's keyboard and its place on the screen: Ctrl+Tab / Ctrl+PgDown and back switch
// tabs wherever the focus is, Ctrl+1... jump to a tab, the size and position are remembered, and
// a first start opens at a size that suits the screen.
#include "core/client/localhistorysource.h"
#include "core/fleet/fleetstate.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"
#include "tests/views/fleetandhistorybackend.h"
#include "views/activityview.h"
#include "views/fleetview.h"
#include "views/mainwindow.h"

#include <QLineEdit>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::FleetAndHistoryBackend;
using boo::test::TestDatabase;

class TestWindowKeys : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<LocalHistorySource> m_history;
    FleetState m_fleet;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        QVERIFY(Migrations::migrate(**Database::open(m_tdb->url(), u"m"_s)).ok());
        m_history = std::make_unique<LocalHistorySource>(m_tdb->url());
        m_fleet.addHost(u"h1"_s, u"Host one"_s, u"http://h1"_s);
    }

    void initialSizeSuitsTheScreen_data()
    {
        QTest::addColumn<QSize>("available");
        QTest::addColumn<QSize>("expected");
        // A 1600x1000 screen less a 40 px panel: all of the wanted size fits.
        QTest::newRow("1600x1000") << QSize(1600, 960) << QSize(1440, 864);
        QTest::newRow("large") << QSize(2560, 1400) << QSize(1440, 900);
        QTest::newRow("small laptop") << QSize(1366, 728) << QSize(1256, 655);
    }
    void initialSizeSuitsTheScreen()
    {
        QFETCH(QSize, available);
        QFETCH(QSize, expected);
        QCOMPARE(MainWindow::initialSize(available), expected);
    }

    void tabsFromTheKeyboard()
    {
        FleetAndHistoryBackend backend(&m_fleet, m_history.get());
        MainWindow window(&backend, nullptr, QString(), CockpitSettings{});
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTabWidget *tabs = window.tabs();
        const int count = tabs->count();
        QVERIFY(count >= 4);
        tabs->setCurrentIndex(MainWindow::FleetTab);
        // Focus in a text field, which would keep Ctrl+Tab for the focus chain.
        window.fleetView()->focusFilter();
        QTRY_VERIFY(window.fleetView()->filterField()->hasFocus());

        QTest::keyClick(window.fleetView()->filterField(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), int(MainWindow::ActivityTab));
        QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), int(MainWindow::PerformanceTab));
        QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), int(MainWindow::ActivityTab));
        QTest::keyClick(&window, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(tabs->currentIndex(), int(MainWindow::FleetTab));
        // Backwards from the first: the last.
        QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), count - 1);
        QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 0);
        // Ctrl+<n> jumps to tab n.
        for (int tab = count - 1; tab >= 0; --tab) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + tab), Qt::ControlModifier);
            QCOMPARE(tabs->currentIndex(), tab);
        }
    }

    void remembersSizeAndPlace()
    {
        QSettings().remove(u"window"_s);
        FleetAndHistoryBackend backend(&m_fleet, m_history.get());
        QRect placed;
        {
            MainWindow first(&backend, nullptr, QString(), CockpitSettings{});
            // A first start: centred on the screen, at the size it suits (never below the
            // window's minimum: the offscreen test screen is only 800x600).
            const QRect available = first.screen()->availableGeometry();
            const QSize wanted = MainWindow::initialSize(available.size());
            const QSize least = first.minimumSizeHint();
            QVERIFY2(first.width() >= wanted.width() && first.width() <= std::max(wanted.width(), least.width())
                         && first.height() >= wanted.height() && first.height() <= std::max(wanted.height(), least.height()),
                     qPrintable(u"%1x%2"_s.arg(first.width()).arg(first.height())));
            QVERIFY((first.geometry().center() - available.center()).manhattanLength() <= 2);
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            const QSize chosen = QSize(1210, 790).expandedTo(first.minimumSizeHint());
            first.setGeometry(QRect(available.topLeft() + QPoint(30, 20), chosen));
            QTRY_COMPARE(first.size(), chosen);
            first.tabs()->setCurrentIndex(MainWindow::LogsTab);
            placed = first.geometry();
            first.close();
        }
        MainWindow again(&backend, nullptr, QString(), CockpitSettings{});
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), placed.size());
        QCOMPARE(again.geometry().topLeft(), placed.topLeft());
        QCOMPARE(again.tabs()->currentIndex(), int(MainWindow::LogsTab));
    }
};

QTEST_MAIN(TestWindowKeys)
#include "tst_windowkeys.moc"
