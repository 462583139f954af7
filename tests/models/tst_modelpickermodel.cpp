// The grouped model picker over a live simulated fleet, with favorites and hidden models stored
// through the local backend in the runtime's database (model_preferences).

#include "core/actions/hostaccess.h"
#include "core/client/chatstream.h"
#include "core/client/localbackend.h"
#include "core/store/database.h"
#include "models/modelpickermodel.h"
#include "tests/common/livefleet.h"
#include "tests/sim/simtestsupport.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// "h1|h1/gpt-oss-20b|..." : headers by provider (★ for favorites), models as targets.
QString layout(const ModelPickerModel &m)
{
    QStringList out;
    for (int i = 0; i < m.rowCount(); ++i) {
        const QModelIndex index = m.index(i);
        if (index.data(ModelPickerModel::KindRole).toInt() == int(ModelPickerModel::RowKind::Header)) {
            const QString provider = index.data(ModelPickerModel::ProviderRole).toString();
            out << (provider.isEmpty() ? u"★"_s : provider);
        } else {
            out << index.data(ModelPickerModel::TargetRole).toString();
        }
    }
    return out.join(u'|');
}

} // namespace

class TestModelPickerModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<LocalBackend> m_backend;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_live = test::LiveFleet::start({simtest::fastHost(u"h1"_s), simtest::fastHost(u"h2"_s)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        m_backend = std::make_unique<LocalBackend>(m_live->runtime());
    }

    void storeRoundTrip()
    {
        Database &db = *m_live->runtime()->database();
        QVERIFY(ModelPreferenceStore::save(db, {u"hx"_s, u"m"_s, true, false, 5}).ok());
        QVERIFY(ModelPreferenceStore::save(db, {u"hx"_s, u"m"_s, true, true, 6}).ok()); // upsert
        auto loaded = ModelPreferenceStore::load(db);
        QVERIFY(loaded.ok());
        QCOMPARE(*loaded, (QList<ModelPreference>{{u"hx"_s, u"m"_s, true, true, 6}}));
        QVERIFY(ModelPreferenceStore::save(db, {u"hx"_s, u"m"_s, false, false, 7}).ok()); // no marks: no row
        QVERIFY(ModelPreferenceStore::load(db)->isEmpty());
        QCOMPARE(ModelPreferenceStore::save(db, {u""_s, u"m"_s, true, false, 1}).error().code, u"prefs.invalid"_s);
    }

    void groupsFiltersAndMarks()
    {
        ModelPickerModel model(m_live->fleet());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&model, &ModelPickerModel::preferenceEdited, this,
                [this](const ModelPreference &p) { m_backend->saveModelPreference(p, this, [](Result<void> r) { QVERIFY(r.ok()); }); });

        QTRY_COMPARE_WITH_TIMEOUT(layout(model), u"h1|h1/gpt-oss-20b|h1/qwen3-8b|h2|h2/gpt-oss-20b|h2/qwen3-8b"_s, 10000);
        QCOMPARE(model.flags(model.index(0)) & Qt::ItemIsSelectable, Qt::NoItemFlags);
        QVERIFY(model.flags(model.index(1)) & Qt::ItemIsSelectable);

        model.setFilterText(u"QWEN"_s);
        QCOMPARE(layout(model), u"h1|h1/qwen3-8b|h2|h2/qwen3-8b"_s);
        model.setFilterText(u"h2"_s);
        QCOMPARE(layout(model), u"h2|h2/gpt-oss-20b|h2/qwen3-8b"_s);
        model.setFilterText({});

        QSignalSpy edited(&model, &ModelPickerModel::preferenceEdited);
        model.setFavorite(u"h2"_s, u"qwen3-8b"_s, true);
        model.setHidden(u"h1"_s, u"gpt-oss-20b"_s, true);
        QCOMPARE(edited.size(), 2);
        QCOMPARE(layout(model), u"★|h2/qwen3-8b|h1|h1/qwen3-8b|h2|h2/gpt-oss-20b"_s);
        model.setShowHidden(true);
        QCOMPARE(layout(model), u"★|h2/qwen3-8b|h1|h1/gpt-oss-20b|h1/qwen3-8b|h2|h2/gpt-oss-20b"_s);
        QVERIFY(model.index(model.rowOf(u"h1"_s, u"gpt-oss-20b"_s)).data(ModelPickerModel::HiddenRole).toBool());
        model.setShowHidden(false);

        // A model that starts answering shows as loaded.
        const int row = model.rowOf(u"h1"_s, u"qwen3-8b"_s);
        QVERIFY(!model.index(row).data(ModelPickerModel::LoadedRole).toBool());
        QNetworkAccessManager nam;
        ChatStream stream(&nam);
        QSignalSpy finished(&stream, &ChatStream::finished);
        ChatRequest request;
        request.messages = {{u"user"_s, u"hi"_s}};
        request.maxTokens = 4;
        stream.start(*ChatTarget::direct(*m_live->runtime()->access(), u"h1"_s, u"qwen3-8b"_s), request);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(model.index(model.rowOf(u"h1"_s, u"qwen3-8b"_s)).data(ModelPickerModel::LoadedRole).toBool(), 10000);

        // The marks were stored: a new picker loads them.
        QTRY_COMPARE_WITH_TIMEOUT(ModelPreferenceStore::load(*m_live->runtime()->database())->size(), 2, 5000);
        ModelPickerModel again(m_live->fleet());
        bool loaded = false;
        m_backend->loadModelPreferences(this, [&](Result<QList<ModelPreference>> prefs) {
            QVERIFY(prefs.ok());
            again.setPreferences(*prefs);
            loaded = true;
        });
        QTRY_VERIFY(loaded);
        QCOMPARE(layout(again), u"★|h2/qwen3-8b|h1|h1/qwen3-8b|h2|h2/gpt-oss-20b"_s);
    }
};

QTEST_MAIN(TestModelPickerModel)
#include "tst_modelpickermodel.moc"
