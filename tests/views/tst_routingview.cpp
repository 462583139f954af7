#include "core/client/localroutingsource.h"
#include "core/fleet/fleetstate.h"
#include "core/gateway/policystore.h"
#include "core/providers/providerregistry.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "core/store/rowinserter.h"
#include "models/dispatchlogfiltermodel.h"
#include "models/dispatchlogmodel.h"
#include "models/rankingmodel.h"
#include "models/routepolicylistmodel.h"
#include "tests/common/testdatabases.h"
#include "views/dispatchlogview.h"
#include "views/policyeditor.h"
#include "views/routingview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

class TestRoutingView : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FleetState> m_fleet;
    std::unique_ptr<ProviderRegistry> m_registry;

    static bool answer(RoutingView &view, const std::function<void()> &action)
    {
        QSignalSpy answered(&view, &RoutingView::answered);
        action();
        return answered.wait(5000);
    }

private Q_SLOTS:
    void init()
    {
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        m_db = std::move(Database::open(m_tdb->url(), u"view"_s)).value();
        QVERIFY(Migrations::migrate(*m_db));
        m_fleet = std::make_unique<FleetState>();
        m_fleet->addHost(u"h1"_s, u"h1"_s, u"http://127.0.0.1:1"_s);
        m_fleet->setLiveness(u"h1"_s, Liveness::Connected, QDateTime::currentMSecsSinceEpoch());
        ModelStatus ready;
        ready.id = u"qwen3-8b"_s;
        ready.state = ModelState::Ready;
        ModelStatus cold;
        cold.id = u"qwen2.5-coder-7b"_s;
        cold.state = ModelState::Stopped;
        m_fleet->applyModelStatus(u"h1"_s, {ready, cold}, QDateTime::currentMSecsSinceEpoch());
        m_registry = std::make_unique<ProviderRegistry>(QString());
        ProviderConfig h1;
        h1.id = u"h1"_s;
        h1.name = h1.id;
        h1.baseUrl = QUrl(u"http://127.0.0.1:1"_s);
        m_registry->replaceProviders({h1});
    }
    void cleanup()
    {
        m_registry.reset();
        m_fleet.reset();
        m_db.reset();
        m_tdb.reset();
    }

    void editsReordersSavesAndTests()
    {
        LocalRoutingSource source(m_db.get(), m_fleet.get(), m_registry.get());
        RoutingView view(&source);
        QAbstractItemModelTester policiesTester(view.policyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester rankingTester(view.rankingModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.show();
        QVERIFY(answer(view, [&] { view.reload(); }));
        QCOMPARE(view.policyModel()->rowCount(), 4);
        QCOMPARE(view.selectedRow(), 0);
        QCOMPARE(view.editor()->policy()->name, u"auto"_s);

        // Edit the candidates of auto:code through the editor: prepend a direct one.
        view.selectPolicy(1);
        QCOMPARE(view.editor()->policy()->name, u"auto:code"_s);
        view.editor()->selectCandidate(0);
        view.editor()->addCandidate(u"h1/qwen3-8b"_s);
        view.editor()->moveSelectedCandidate(-1);
        QCOMPARE(view.editor()->candidates().first(), u"h1/qwen3-8b"_s);
        QVERIFY(view.policyModel()->isDirty());
        view.editor()->addCandidate(u"box"_s); // not a candidate: the model keeps the last good state
        QVERIFY(view.message().contains(u"box"_s));
        view.editor()->removeSelectedCandidate();

        // Reorder: auto:code first.
        view.moveSelected(-1);
        QCOMPARE(view.selectedRow(), 0);
        QVERIFY(answer(view, [&] { view.save(); }));
        QVERIFY2(view.message().startsWith(u"Saved"_s), qPrintable(view.message()));
        auto stored = PolicyStore::load(*m_db);
        QVERIFY(stored);
        QCOMPARE(stored->first().name, u"auto:code"_s);
        QCOMPARE(stored->first().candidates.first().text, u"h1/qwen3-8b"_s);
        QVERIFY(!view.policyModel()->isDirty());

        // Test the selected (edited) policy against the fleet.
        QVERIFY(answer(view, [&] { view.testSelected(); }));
        QCOMPARE(view.rankingModel()->rowCount(), 2);
        QCOMPARE(view.rankingModel()->index(0, RankingModel::ModelColumn).data().toString(), u"h1/qwen3-8b"_s);
        QCOMPARE(view.rankingModel()->index(0, RankingModel::TierColumn).data().toString(), u"idle"_s);

        // New policies get free names; deleting works on the selection.
        view.addPolicy();
        QCOMPARE(view.policyModel()->policy(view.selectedRow())->name, u"auto:new"_s);
        view.removeSelected();
        QCOMPARE(view.policyModel()->rowCount(), 4);
    }

    void dispatchLogWithFilters()
    {
        QList<HistoryRow> rows;
        for (int i = 0; i < 3; ++i) {
            GatewayDispatchRow r;
            r.dispatchId = u"d%1"_s.arg(i);
            r.ts = 1'790'000'000'000 + i;
            r.source = i == 2 ? u"web"_s : u"aider"_s;
            r.requestedModel = u"auto"_s;
            r.policy = u"auto"_s;
            r.endpoint = u"/v1/chat/completions"_s;
            r.candidatesJson = u"[{\"provider\":\"h1\",\"model\":\"m\",\"tier\":\"idle\",\"outcome\":\"ok\"}]"_s;
            r.attemptsJson = u"[{\"provider\":\"h1\",\"model\":\"m\",\"outcome\":\"ok\",\"ms\":7}]"_s;
            r.attempts = 1;
            r.chosenProvider = u"h1"_s;
            r.chosenModel = u"m"_s;
            r.status = i == 1 ? 502 : 200;
            r.totalMs = 7;
            rows << r;
        }
        RowInserter inserter(*m_db);
        QVERIFY(inserter.insert(rows, 0));

        LocalRoutingSource source(m_db.get(), m_fleet.get(), m_registry.get());
        DispatchLogView view(&source);
        QAbstractItemModelTester tester(view.filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&view, &DispatchLogView::loaded);
        view.refresh();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.logModel()->rowCount(), 3);
        view.filterEdit()->setText(u"web"_s);
        QCOMPARE(view.filterModel()->rowCount(), 1);
        view.filterEdit()->clear();
        view.statusBox()->setCurrentIndex(view.statusBox()->findData(5));
        QCOMPARE(view.filterModel()->rowCount(), 1);
        view.table()->setCurrentIndex(view.filterModel()->index(0, 0));
        QVERIFY(view.details().contains(u"h1/m: ok (7 ms)"_s));
        view.loadOlder();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.logModel()->rowCount(), 3); // nothing older
    }
};

QTEST_MAIN(TestRoutingView)
#include "tst_routingview.moc"
