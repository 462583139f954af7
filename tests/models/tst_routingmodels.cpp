#include "models/dispatchlogfiltermodel.h"
#include "models/dispatchlogmodel.h"
#include "models/rankingmodel.h"
#include "models/routepolicylistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

RoutePolicy policy(const QString &name, const QStringList &candidates)
{
    RoutePolicy p;
    p.name = name;
    for (const QString &c : candidates)
        p.candidates << *CandidateSpec::parse(c);
    return p;
}

GatewayLogEntry entry(qint64 id, const QString &source, const QString &policy, int status)
{
    GatewayLogEntry e;
    e.id = id;
    e.row.dispatchId = u"d%1"_s.arg(id);
    e.row.ts = 1'790'000'000'000 + id;
    e.row.source = source;
    e.row.requestedModel = u"auto"_s;
    e.row.policy = policy;
    e.row.status = status;
    e.row.chosenProvider = u"h1"_s;
    e.row.chosenModel = u"m"_s;
    e.row.attempts = 1;
    e.row.overheadMs = 0.2;
    e.row.totalMs = 10;
    return e;
}

QStringList names(const RoutePolicyListModel &m)
{
    QStringList out;
    for (const RoutePolicy &p : m.policies())
        out << p.name;
    return out;
}

} // namespace

class TestRoutingModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void policiesEditReorderAndTrackDirtiness()
    {
        RoutePolicyListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy dirty(&model, &RoutePolicyListModel::dirtyChanged);
        model.setPolicies({policy(u"auto"_s, {u"*/*"_s}), policy(u"auto:code"_s, {u"*/*coder*"_s, u"*/*"_s}), policy(u"x"_s, {u"a/b"_s})});
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(!model.isDirty());
        QCOMPARE(model.index(1, RoutePolicyListModel::CandidatesColumn).data().toString(), u"*/*coder*, */*"_s);
        QCOMPARE(model.index(0, RoutePolicyListModel::RuleColumn).data().toString(), u"auto"_s);

        QVERIFY(model.moveRows({}, 2, 1, {}, 0));
        QCOMPARE(names(model), (QStringList{u"x"_s, u"auto"_s, u"auto:code"_s}));
        QVERIFY(model.isDirty());
        QCOMPARE(dirty.size(), 1);
        QCOMPARE(model.policies().at(2).position, 2);
        QVERIFY(model.moveRows({}, 0, 1, {}, 3));
        QCOMPARE(names(model), (QStringList{u"auto"_s, u"auto:code"_s, u"x"_s}));
        QVERIFY(!model.moveRows({}, 0, 1, {}, 1)); // a move onto itself

        QVERIFY(!model.setData(model.index(0, RoutePolicyListModel::NameColumn), u"x"_s));   // taken
        QVERIFY(!model.setData(model.index(0, RoutePolicyListModel::NameColumn), u"a/b"_s)); // not a name
        QVERIFY(model.setData(model.index(2, RoutePolicyListModel::EnabledColumn), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!model.policy(2)->enabled);

        QVERIFY(model.moveCandidate(1, 1, 0));
        QCOMPARE(model.policy(1)->candidates.first().text, u"*/*"_s);
        QVERIFY(!model.moveCandidate(1, 0, 5));

        const int added = model.addPolicy(u"auto"_s);
        QCOMPARE(model.policy(added)->name, u"auto-2"_s);
        QVERIFY(model.removeRows(0, 2));
        QCOMPARE(names(model), (QStringList{u"x"_s, u"auto-2"_s}));
        QVERIFY(!model.removeRows(1, 5));

        RoutePolicy edited = *model.policy(0);
        edited.rule.tools = RouteRule::Tools::Required;
        edited.rule.maxPromptTokens = 9000;
        QVERIFY(model.setPolicy(0, edited));
        QVERIFY(model.index(0, RoutePolicyListModel::RuleColumn).data().toString().contains(u"9000"_s));
        model.setPolicies(model.policies());
        QVERIFY(!model.isDirty());
    }

    void rankingShowsRankedThenSkipped()
    {
        RankingModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Ranking r;
        RankedCandidate a;
        a.providerId = u"h1"_s;
        a.model = u"m"_s;
        a.tier = CandidateTier::Cold;
        a.why = u"cold: loads in ~2.0 s"_s;
        a.spec = u"*/*"_s;
        r.ranked << a;
        r.skipped.append({u"*/*"_s, u"h2"_s, u"m"_s, u"the host is down"_s});
        model.setRanking(r);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, RankingModel::RankColumn).data().toInt(), 1);
        QCOMPARE(model.index(0, RankingModel::TierColumn).data().toString(), u"cold"_s);
        QCOMPARE(model.index(1, RankingModel::ModelColumn).data().toString(), u"h2/m"_s);
        QVERIFY(model.index(1, 0).data(RankingModel::SkippedRole).toBool());
        QCOMPARE(model.index(1, RankingModel::WhyColumn).data().toString(), u"the host is down"_s);
        model.setRanking({});
        QCOMPARE(model.rowCount(), 0);
    }

    void dispatchLogPagesAndFilters()
    {
        DispatchLogModel model;
        DispatchLogFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries({entry(5, u"aider"_s, u"auto"_s, 200), entry(4, u"web"_s, u"auto:code"_s, 502)});
        model.appendOlder({entry(3, u"aider"_s, QString(), 429)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.oldestId(), std::optional<qint64>(3));
        QCOMPARE(model.index(2, DispatchLogModel::PolicyColumn).data().toString(), u"(direct)"_s);
        QCOMPARE(model.index(0, DispatchLogModel::HostColumn).data().toString(), u"h1/m"_s);

        filter.setText(u"AIDER"_s);
        QCOMPARE(filter.rowCount(), 2);
        filter.setStatusClass(4);
        QCOMPARE(filter.rowCount(), 1);
        filter.setText({});
        filter.setStatusClass(5);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, DispatchLogModel::SourceColumn).data().toString(), u"web"_s);
        filter.setStatusClass(std::nullopt);
        filter.sort(DispatchLogModel::TimeColumn, Qt::AscendingOrder);
        QCOMPARE(filter.index(0, DispatchLogModel::TimeColumn).data(DispatchLogModel::SortRole).toLongLong(), 1'790'000'000'003);

        QList<GatewayLogEntry> many;
        for (int i = 0; i < DispatchLogModel::kMaxRows + 10; ++i)
            many << entry(10000 - i, u"s"_s, u"auto"_s, 200);
        model.appendOlder(many);
        QCOMPARE(model.rowCount(), DispatchLogModel::kMaxRows);
    }
};

QTEST_MAIN(TestRoutingModels)
#include "tst_routingmodels.moc"
