// The real cockpit window on a real X display (Xvfb under ./scripts/test), watching simulated
// llama-swap hosts run by the boo-simfleet program: every tab is shown, checked for what it must
// show, and saved as a screenshot (to $BOO_SCREENSHOT_DIR when set: docs/screenshots).

#include "core/client/localbackend.h"
#include "core/fleet/fleetstate.h"
#include "core/runtime/fleetruntime.h"
#include "models/actionhistorymodel.h"
#include "models/activitymodel.h"
#include "models/logmodel.h"
#include "models/modelpickermodel.h"
#include "models/rankingmodel.h"
#include "models/routepolicylistmodel.h"
#include "views/activityview.h"
#include "views/captureinspector.h"
#include "views/fleetsummarystrip.h"
#include "views/fleetview.h"
#include "views/hostcard.h"
#include "views/logsview.h"
#include "views/mainwindow.h"
#include "views/metricchart.h"
#include "views/performanceview.h"
#include "views/playgroundside.h"
#include "views/playgroundview.h"
#include "views/routingview.h"

#include <QDoubleSpinBox>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestCockpitWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_sims;
    QUrl m_control;
    QNetworkAccessManager m_nam;
    std::unique_ptr<FleetRuntime> m_runtime;
    std::unique_ptr<LocalBackend> m_backend;
    std::unique_ptr<MainWindow> m_window;
    QString m_shots;

    void post(const QString &path, const QByteArray &body)
    {
        QNetworkRequest request(m_control.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        QNetworkReply *reply = m_nam.post(request, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        QVERIFY2(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() / 100 == 2, reply->readAll().constData());
        reply->deleteLater();
    }

    void shoot(const QString &name)
    {
        QTest::qWait(300); // let the last batches and repaints land
        const QImage image = m_window->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY2(image.save(m_shots + u'/' + name), qPrintable(m_shots + u'/' + name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QGuiApplication::platformName() != u"xcb"_s) {
            if (qEnvironmentVariableIntValue("BOO_TEST_XVFB_REQUIRED"))
                QFAIL("no X display: ./scripts/test starts Xvfb and exports DISPLAY");
            QSKIP("needs an X display (DISPLAY); ./scripts/test starts Xvfb");
        }
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
        m_shots = qEnvironmentVariable("BOO_SCREENSHOT_DIR", QStringLiteral(BOO_TEST_SCREENSHOT_DIR));
        QVERIFY(QDir().mkpath(m_shots));

        m_sims.start(QStringLiteral(BOO_SIMFLEET), {u"--demo"_s});
        QVERIFY(m_sims.waitForStarted());
        QList<ProviderConfig> providers;
        QVERIFY(QTest::qWaitFor(
            [&] {
                while (m_sims.canReadLine()) {
                    const QStringList parts = QString::fromUtf8(m_sims.readLine()).trimmed().split(u' ');
                    if (parts.value(0) == u"control"_s) {
                        m_control = QUrl(parts.value(1));
                        return true;
                    }
                    ProviderConfig p;
                    p.id = parts.value(0);
                    p.name = parts.value(0);
                    p.baseUrl = QUrl(parts.value(1));
                    providers << p;
                }
                return false;
            },
            10000));
        QCOMPARE(providers.size(), 3);

        RuntimeOptions options;
        options.database.sqlitePath = m_dir.filePath(u"history.sqlite"_s);
        options.providersPath = m_dir.filePath(u"providers.json"_s);
        options.fixedProviders = providers;
        options.ingest.timings.perfIntervalMs = 1000;
        auto runtime = FleetRuntime::create(options);
        QVERIFY2(runtime.ok(), qPrintable(runtime.ok() ? QString() : runtime.error().message));
        m_runtime = std::move(runtime).value();
        m_runtime->start();
        m_backend = std::make_unique<LocalBackend>(m_runtime.get());
        m_window = std::make_unique<MainWindow>(m_backend.get(), m_runtime->registry(), QString(), CockpitSettings());
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        post(u"/traffic"_s, "{\"count\": 12}");
        // For the documentation's screenshots (scripts/screenshots): let the demo fleet run a
        // while, so that the charts and tables have something to show.
        if (const int warmup = qEnvironmentVariableIntValue("BOO_SCREENSHOT_WARMUP_S"); warmup > 0)
            QTest::qWait(warmup * 1000);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_backend.reset();
        if (m_runtime)
            m_runtime->stop();
        m_runtime.reset();
        if (m_sims.state() == QProcess::Running) {
            post(u"/quit"_s, {});
            if (!m_sims.waitForFinished(5000))
                m_sims.kill();
        }
    }

    void fleetTabShowsACardPerHost()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::FleetTab);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->fleetView()->cards().size(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->statusText().startsWith(u"Hosts 3/3 up"_s), 15000);
        for (HostCard *card : m_window->fleetView()->cards()) {
            QTRY_VERIFY_WITH_TIMEOUT(!card->host().models.isEmpty() && !card->host().gpus.isEmpty(), 15000);
            QVERIFY(card->isVisible());
            QVERIFY(card->width() >= HostCard::kWidth - 1);
        }
        QCOMPARE(m_window->fleetView()->cards().at(0)->host().id, u"gpu-box"_s);
        // The summary strip: the fleet's totals, the same as the cards and the status bar.
        const FleetSummaryStrip *strip = m_window->fleetView()->summaryStrip();
        QTRY_COMPARE_WITH_TIMEOUT(strip->summary().hostsUp, 3, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(strip->summary().gpus == 4 && strip->summary().vramTotalMb > 0, 15000);
        QCOMPARE(strip->value(u"hosts"_s)->text(), u"3/3 up"_s);
        shoot(u"fleet.png"_s);
    }

    void activityTabShowsRequests()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::ActivityTab);
        QTableView *table = m_window->activityView()->table();
        QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() >= 8, 30000);
        QVERIFY(!table->model()->index(0, ActivityModel::ModelColumn).data().toString().isEmpty());
        QVERIFY(m_window->activityView()->totalsTable()->model()->rowCount() >= 2);
        shoot(u"activity.png"_s);
    }

    void inspectorShowsACapture()
    {
        QAbstractItemModel *model = m_window->activityView()->table()->model();
        QModelIndex captured;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     for (int row = 0; row < model->rowCount() && !captured.isValid(); ++row) {
                                         if (model->index(row, 0).data(ActivityModel::CaptureIdRole).isValid())
                                             captured = model->index(row, 0);
                                     }
                                     return captured.isValid();
                                 }()),
                                 10000);
        m_window->openCapture(captured.data(ActivityModel::HostIdRole).toString(),
                              captured.data(ActivityModel::CaptureIdRole).toLongLong());
        QVERIFY(m_window->inspectorDock()->isVisible());
        QTRY_VERIFY(!m_window->inspector()->isLoading());
        QVERIFY2(m_window->inspector()->message().isEmpty(), qPrintable(m_window->inspector()->message()));
        QVERIFY(m_window->inspector()->requestBody()->toPlainText().contains(u"\"messages\""_s));
        QVERIFY(m_window->inspector()->curlCommand().startsWith(u"curl "_s));
        shoot(u"inspector.png"_s);
        m_window->inspectorDock()->hide();
    }

    void performanceTabDrawsTimelines()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::PerformanceTab);
        m_window->performanceView()->findChild<QComboBox *>(u"perfRange"_s)->setCurrentIndex(0); // 15 minutes
        const QList<MetricChart *> charts = m_window->performanceView()->charts();
        QCOMPARE(charts.size(), 6);
        // VRAM: gpu-box has two GPUs, the others one each.
        QTRY_VERIFY_WITH_TIMEOUT(charts.at(0)->seriesCount() == 4 && charts.at(0)->pointCount() >= 8, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(charts.at(4)->seriesCount() >= 1, 20000);
        // The unit stays in the title once data is drawn (the axes carry numbers only).
        QCOMPARE(charts.at(0)->chart()->title(), u"%1 (GB)"_s.arg(charts.at(0)->title()));
        shoot(u"performance.png"_s);
    }

    void logsTabFollowsALog()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::LogsTab);
        LogsView *logs = m_window->logsView();
        logs->select(u"gpu-box"_s, u"proxy"_s);
        // Our own polling is in the host's access log under our name, and hidden unless asked for.
        logs->hideOwnRequests()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > 5, 15000);
        QVERIFY(logs->model()->plainText().contains(u"[INFO]"_s));
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->plainText().contains(u"\"BooControl/"_s), 15000);
        QVERIFY(!logs->model()->plainText().contains(u"Mozilla"_s));
        logs->hideOwnRequests()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > 0, 15000);
        QVERIFY(!logs->model()->plainText().contains(u"\"BooControl/"_s));
        shoot(u"logs.png"_s);
    }

    void routingTabRanksTheFleet()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::RoutingTab);
        RoutingView *routing = m_window->routingView();
        QTRY_COMPARE_WITH_TIMEOUT(routing->policyModel()->rowCount(), 4, 5000); // the built-ins
        routing->selectPolicy(0);
        QSignalSpy answered(routing, &RoutingView::answered);
        routing->testSelected();
        QVERIFY(answered.wait(5000));
        QVERIFY(routing->rankingModel()->rowCount() > 0);
        shoot(u"routing.png"_s);
    }

    void playgroundComparesTwoHosts()
    {
        PlaygroundView *playground = m_window->playgroundView();
        m_window->findChild<QTabWidget *>()->setCurrentWidget(playground);
        ModelPickerModel *picker = playground->picker();
        // A model of one host on side A, a model of another host on side B; loaded ones first,
        // so that the picture shows answers rather than a cold start.
        QStringList targets;
        QTRY_VERIFY_WITH_TIMEOUT(picker->rowCount() > 3, 10000);
        for (const bool loadedOnly : {true, false}) {
            for (int row = 0; row < picker->rowCount() && targets.size() < 2; ++row) {
                const QModelIndex index = picker->index(row);
                if (index.data(ModelPickerModel::KindRole).toInt() != int(ModelPickerModel::RowKind::Model))
                    continue;
                if (loadedOnly && !index.data(ModelPickerModel::LoadedRole).toBool())
                    continue;
                const QString target = index.data(ModelPickerModel::TargetRole).toString();
                if (targets.isEmpty() || (targets.size() == 1 && target.section(u'/', 0, 0) != targets.at(0).section(u'/', 0, 0)))
                    targets << target;
            }
        }
        QCOMPARE(targets.size(), 2);
        playground->sideA()->pick(targets.at(0).section(u'/', 0, 0), targets.at(0).section(u'/', 1));
        playground->sideB()->pick(targets.at(1).section(u'/', 0, 0), targets.at(1).section(u'/', 1));
        playground->setComparing(true);
        playground->findChild<QSpinBox *>(u"maxTokens"_s)->setValue(48);
        playground->findChild<QDoubleSpinBox *>(u"temperature"_s)->setValue(0.7);
        playground->findChild<QPlainTextEdit *>(u"systemPrompt"_s)->setPlainText(u"You are a concise assistant."_s);
        playground->findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Explain KV caching in two sentences."_s);
        playground->send();
        QTRY_VERIFY_WITH_TIMEOUT(!playground->sideA()->isStreaming() && !playground->sideB()->isStreaming(), 60000);
        QVERIFY2(playground->sideA()->statsText().contains(u"TTFT"_s), qPrintable(playground->sideA()->statsText()));
        QVERIFY2(playground->sideB()->statsText().contains(u"TTFT"_s), qPrintable(playground->sideB()->statsText()));
        shoot(u"playground.png"_s);
    }

    void actionsFromACardReachTheHistory()
    {
        m_window->tabs()->setCurrentIndex(MainWindow::FleetTab);
        HostAction warm;
        warm.hostId = u"mini-box"_s;
        warm.kind = HostAction::Kind::Warm;
        warm.model = u"llama-3.2-3b"_s;
        m_window->submitAction(warm, false);
        ActionHistoryModel *history = m_window->actionHistory();
        QTRY_VERIFY_WITH_TIMEOUT(
            history->rowCount() >= 1 && history->index(0, ActionHistoryModel::StateColumn).data().toString() == u"done"_s, 30000);
        HostCard *card = m_window->fleetView()->cards().at(2);
        QCOMPARE(card->host().id, u"mini-box"_s);
        QTRY_VERIFY(card->jobText().contains(u"warm llama-3.2-3b done"_s));
    }

    void darkPalette()
    {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb0));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Mid, QColor(0x44, 0x44, 0x44));
        const QPalette light = QApplication::palette();
        QApplication::setPalette(dark);
        m_window->tabs()->setCurrentIndex(MainWindow::FleetTab);
        QTest::qWait(200); // the palette reaches the widgets as events
        const QImage card = m_window->fleetView()->cards().at(0)->grab().toImage();
        QVERIFY(card.pixelColor(card.width() / 2, card.height() - 4).lightness() < 100);
        shoot(u"fleet-dark.png"_s);
        QApplication::setPalette(light);
    }
};

int main(int argc, char *argv[])
{
    // Without a display the test skips (or fails when ./scripts/test promised one), instead of
    // QApplication aborting before any test could say why.
    if (!qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"boocontrol-test"_s);
    TestCockpitWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_cockpitwindow.moc"
