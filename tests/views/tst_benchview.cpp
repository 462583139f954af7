// The Bench tab driven as a user would, in a cockpit with its own (simulated) fleet: a target
// picked, a suite run from the form and stored, a busy host confirmed in the dialog (forced), a
// pasted suite cancelled, a run made the baseline.

#include "core/actions/accessgate.h"
#include "core/client/localbackend.h"
#include "core/fleet/fleetstate.h"
#include "core/sim/simhost.h"
#include "core/store/database.h"
#include "models/benchcellmodel.h"
#include "models/modelpickermodel.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"
#include "views/benchview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace boo;

class TestBenchView : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<LocalBackend> m_backend;

    qint64 forcedDecisions() const
    {
        auto q = m_live->runtime()->database()->exec(u"SELECT COUNT(*) FROM control_access_decisions WHERE forced = 1"_s);
        return q && q->next() ? q->value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        // Only requests in flight make the host busy here: the bench's own finished requests
        // would otherwise count for a minute (the gate's quiet window).
        m_live->runtime()->accessGate()->setQuietWindowMs(0);
        m_backend = std::make_unique<LocalBackend>(m_live->runtime());
    }

    void runConfirmCancelBaseline()
    {
        BenchView view(m_backend.get());
        QAbstractItemModelTester tester(view.cells(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1200, 700);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.picker()->rowOf(u"h1"_s, u"qwen3-8b"_s) >= 0, 10000);
        auto *run = view.findChild<QPushButton *>(u"benchRun"_s);
        auto *cancel = view.findChild<QPushButton *>(u"benchCancel"_s);
        auto *history = view.findChild<QListWidget *>(u"benchHistory"_s);

        // Nothing picked: said so, nothing started.
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY2(view.statusText().contains(u"Pick at least one target"_s), qPrintable(view.statusText()));
        QVERIFY(view.currentJobId().isEmpty());

        view.selectTarget(u"h1/qwen3-8b"_s);
        view.findChild<QLineEdit *>(u"benchName"_s)->setText(u"ui-quick"_s);
        view.findChild<QLineEdit *>(u"benchConcurrency"_s)->setText(u"1, 2"_s);
        view.findChild<QLineEdit *>(u"benchPromptSizes"_s)->setText(u"32"_s);
        view.findChild<QSpinBox *>(u"benchMaxTokens"_s)->setValue(16);
        view.findChild<QSpinBox *>(u"benchRepetitions"_s)->setValue(1);
        const auto suite = view.suiteText();
        QVERIFY(suite);
        QVERIFY2(suite->contains("targets: [\"h1/qwen3-8b\"]") && suite->contains("concurrency: [1, 2]"), suite->constData());
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.statusText().startsWith(u"Finished: run 1"_s), 30000);
        QCOMPARE(view.cells()->rowCount(), 2);
        QCOMPARE(view.cells()->index(1, BenchCellModel::LoadColumn).data().toString(), u"c=2"_s);
        QVERIFY(view.cells()->index(0, BenchCellModel::TtftP50Column).data(BenchCellModel::SortRole).toDouble() > 0);
        QVERIFY(view.cells()->index(0, BenchCellModel::TokPerSColumn).data(BenchCellModel::SortRole).toDouble() > 0);
        QTRY_COMPARE(history->count(), 1);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(run->isEnabled());

        // A busy host asks first; "Yes" runs anyway, recorded as forced.
        SimTrafficSpec spec;
        spec.model = u"qwen3-8b"_s;
        spec.timing = SimTrafficSpec::Timing::RealTime;
        spec.maxTokens = 8000; // two seconds of decoding: the bench's requests may queue behind it
        m_live->host(u"h1"_s)->generateTraffic(spec);
        QTRY_VERIFY_WITH_TIMEOUT(m_live->fleet()->host(u"h1"_s)->inflightCount > 0, 10000);
        int asked = 0;
        QTimer answerer;
        connect(&answerer, &QTimer::timeout, this, [&asked] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                ++asked;
                box->button(QMessageBox::Yes)->click();
            }
        });
        answerer.start(50);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(view.statusText().startsWith(u"Finished: run 2"_s), qPrintable(view.statusText()), 30000);
        QCOMPARE(asked, 1);
        QCOMPARE(forcedDecisions(), 1);
        QTRY_COMPARE(history->count(), 2);

        // A pasted suite, long enough to be cancelled while it runs.
        auto *tabs = view.findChild<QTabWidget *>(u"benchSuiteTabs"_s);
        auto *yaml = view.findChild<QPlainTextEdit *>(u"benchYaml"_s);
        tabs->setCurrentWidget(yaml);
        yaml->setPlainText(u"name: ui-long\ntargets: [h1/qwen3-8b]\nconcurrency: 1\nprompt_tokens: 32\nmax_tokens: 2000\n"
                           u"repetitions: 5\nwarmup: 0\nrequests: 100\n"_s);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.statusText().startsWith(u"Running"_s), 10000);
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view.statusText(), u"Cancelled"_s, 10000);
        QCOMPARE(history->count(), 2); // a cancelled run is not stored
        answerer.stop();

        // Run 1 becomes the baseline of ui-quick.
        for (int i = 0; i < history->count(); ++i) {
            if (history->item(i)->text().startsWith(u"#1 "_s))
                history->setCurrentRow(i);
        }
        QTRY_COMPARE(view.cells()->rowCount(), 2);
        QTest::mouseClick(view.findChild<QPushButton *>(u"benchBaseline"_s), Qt::LeftButton);
        QTRY_VERIFY(view.statusText().contains(u"Run 1 is now the baseline"_s));
        QTRY_VERIFY(history->count() == 2 && history->findItems(u"#1 "_s, Qt::MatchStartsWith).value(0)
                    && history->findItems(u"#1 "_s, Qt::MatchStartsWith).constFirst()->text().endsWith(u"baseline"_s));
    }
};

QTEST_MAIN(TestBenchView)
#include "tst_benchview.moc"
