// The Keys page of the Routing tab, on the desktop's own database (LocalRoutingSource) and on an
// attached server (RemoteRoutingSource against a real ControlServer with a gateway, /api/keys):
// the same actions, the same table. With BOO_SCREENSHOT_DIR set (under Xvfb) it also saves
// keys.png of the page.
#include "core/client/localroutingsource.h"
#include "core/client/remoteroutingsource.h"
#include "core/gateway/consumerkeystore.h"
#include "core/gateway/keylimiter.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "models/consumerkeymodel.h"
#include "tests/common/gatewayharness.h"
#include "tests/common/testdatabases.h"
#include "views/keydialog.h"
#include "views/keysecretdialog.h"
#include "views/keysview.h"
#include "views/routingview.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::GatewayHarness;
using boo::test::TestDatabase;

namespace {

bool answer(KeysView &view, const std::function<void()> &action)
{
    QSignalSpy answered(&view, &KeysView::answered);
    action();
    return answered.wait(10000);
}

QString cell(const KeysView &view, const QString &name, int column)
{
    const int row = view.model()->rowOf(name);
    return row < 0 ? QString() : view.model()->index(row, column).data().toString();
}

} // namespace

class TestKeysView : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<GatewayHarness> m_server;
    QNetworkAccessManager m_nam;

    // A local source on its own database, or a remote one on a running server's.
    std::unique_ptr<RoutingSource> makeSource(bool remote)
    {
        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        m_db = std::move(Database::open(m_tdb->url(), u"view"_s)).value();
        if (!Migrations::migrate(*m_db))
            qFatal("migrate");
        if (!remote)
            return std::make_unique<LocalRoutingSource>(m_db.get(), nullptr, nullptr);
        m_server = std::make_unique<GatewayHarness>(m_tdb->url(), QList<SimHostConfig>{}, GatewayHarness::fastOptions(), u"op"_s);
        if (!m_server->start())
            qFatal("server");
        return std::make_unique<RemoteRoutingSource>(HostEndpoint(QUrl(m_server->baseUrl()), u"op"_s), &m_nam);
    }

private Q_SLOTS:
    void cleanup()
    {
        m_server.reset();
        m_db.reset();
        m_tdb.reset();
    }

    void everyAction_data()
    {
        QTest::addColumn<bool>("remote");
        QTest::newRow("local") << false;
        QTest::newRow("attached") << true;
    }
    void everyAction()
    {
        QFETCH(bool, remote);
        auto source = makeSource(remote);
        KeysView view(source.get());
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QStringList shown;
        view.setSecretPresenter([&](const QString &, const QString &secret) { shown << secret; });
        view.show();
        QVERIFY(answer(view, [&] { view.reload(); }));
        QCOMPARE(view.model()->rowCount(), 0);
        QVERIFY2(view.message().startsWith(u"No consumer keys yet"_s), qPrintable(view.message()));

        // Create: the secret is presented once, and it is the one the database knows by hash.
        ConsumerKeySpec spec;
        spec.name = u"notes"_s;
        spec.source = u"notes-app"_s;
        spec.rpm = 60;
        spec.tokensPerDay = 1000;
        QVERIFY(answer(view, [&] { view.create(spec); }));
        QCOMPARE(shown.size(), 1);
        QVERIFY(shown.first().startsWith(u"boo_sk_"_s));
        QCOMPARE(ConsumerKeyStore::find(*m_db, u"notes"_s)->keyHash, ConsumerKey::hashSecret(shown.first()));
        QCOMPARE(view.selectedName(), u"notes"_s);
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::LimitsColumn), u"60 req/min · 1000 tok/day"_s);
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::StateColumn), u"active"_s);
        QVERIFY(answer(view, [&] { view.create(spec); }));
        QVERIFY2(view.message().contains(u"exists already"_s), qPrintable(view.message()));
        QCOMPARE(shown.size(), 1);

        // Today's usage, as the gateway stores it.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(ConsumerKeyStore::addUsage(*m_db, {KeyUsageRow{u"notes"_s, now - now % 60'000, 3, 1, 200, 50, now}}));
        QVERIFY(answer(view, [&] { view.reload(); }));
        // (Plural forms come from the translations the program loads; the test has none.)
        const QString today = cell(view, u"notes"_s, ConsumerKeyModel::TodayColumn);
        QVERIFY2(today.startsWith(u"3 request"_s) && today.endsWith(u", 250 tokens (25% of the budget), 1 limited"_s), qPrintable(today));
        QVERIFY(cell(view, u"notes"_s, ConsumerKeyModel::LastUsedColumn) != u"never"_s);

        // Edit limits, disable, enable.
        ConsumerKeyEdit edit;
        edit.rpm = std::optional<qint64>();
        edit.tpm = std::optional<qint64>(5000);
        QVERIFY(answer(view, [&] { view.editSelected(edit); }));
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::LimitsColumn), u"5000 tok/min · 1000 tok/day"_s);
        QCOMPARE(ConsumerKeyStore::find(*m_db, u"notes"_s)->spec.tpm, std::optional<qint64>(5000));
        QVERIFY(answer(view, [&] { view.setSelectedDisabled(true); }));
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::StateColumn), u"disabled"_s);
        QVERIFY(ConsumerKeyStore::find(*m_db, u"notes"_s)->disabled);
        QVERIFY(answer(view, [&] { view.setSelectedDisabled(false); }));
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::StateColumn), u"active"_s);

        // Rotate: a second secret, shown once; the stored hash follows.
        QVERIFY(answer(view, [&] { view.rotateSelected(); }));
        QCOMPARE(shown.size(), 2);
        QVERIFY(shown.at(1) != shown.at(0));
        QCOMPARE(ConsumerKeyStore::find(*m_db, u"notes"_s)->keyHash, ConsumerKey::hashSecret(shown.at(1)));

        // Revoke: the row stays, revoked, and the actions are off for it.
        QVERIFY(answer(view, [&] { view.revokeSelected(); }));
        QCOMPARE(cell(view, u"notes"_s, ConsumerKeyModel::StateColumn), u"revoked"_s);
        QVERIFY(ConsumerKeyStore::find(*m_db, u"notes"_s)->revokedAtMs.has_value());
        for (QPushButton *b : view.findChildren<QPushButton *>()) {
            if (b->text() == u"Rotate"_s || b->text() == u"Revoke"_s || b->text() == u"Edit limits"_s)
                QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
        }
        QVERIFY(answer(view, [&] { view.rotateSelected(); }));
        QVERIFY2(view.message().startsWith(u"Not rotated"_s), qPrintable(view.message()));
    }

    // The dialogs: a limit of 0 is "no limit", bad input keeps the dialog open with the reason,
    // an edit carries only what changed; the secret dialog copies the key.
    void dialogs()
    {
        KeyDialog create;
        create.nameEdit()->setText(u"usage"_s);
        create.sourceEdit()->setText(u"s"_s);
        QVERIFY(!create.spec());
        QVERIFY(create.spec().error().message.contains(u"reserved"_s));
        create.nameEdit()->setText(u"ok"_s);
        create.rpmBox()->setValue(0);
        create.tpmBox()->setValue(900);
        create.modelsEdit()->setText(u"auto*, h1/q*"_s);
        create.expiresEdit()->setText(u"2099-01-01"_s);
        auto spec = create.spec();
        QVERIFY(spec);
        QCOMPARE(spec->rpm, std::optional<qint64>());
        QCOMPARE(spec->tpm, std::optional<qint64>(900));
        QCOMPARE(spec->models, (QStringList{u"auto*"_s, u"h1/q*"_s}));
        QCOMPARE(spec->expiresAtMs, std::optional<qint64>(4'070'908'800'000));
        create.expiresEdit()->setText(u"soon"_s);
        create.accept();
        QCOMPARE(create.result(), int(QDialog::Rejected)); // still open

        ConsumerKey key;
        key.spec.name = u"usage"_s;
        key.spec.source = u"legacy"_s;
        key.spec.rpm = 10;
        key.spec.expiresAtMs = 4'070'908'800'123;
        KeyDialog edit(key);
        QVERIFY(edit.nameEdit()->isReadOnly());
        QVERIFY(edit.edit()); // an older key of a now reserved name stays editable
        QVERIFY(edit.edit()->isEmpty());
        edit.rpmBox()->setValue(0);
        edit.budgetBox()->setValue(5000);
        auto changed = edit.edit();
        QVERIFY(changed);
        QCOMPARE(changed->rpm, ConsumerKeyEdit::Limit(std::optional<qint64>()));
        QCOMPARE(changed->tokensPerDay, ConsumerKeyEdit::Limit(std::optional<qint64>(5000)));
        QVERIFY(!changed->tpm && !changed->models && !changed->expiresAtMs);

        KeySecretDialog secret(u"k"_s, u"boo_sk_abc"_s);
        QCOMPARE(secret.shownSecret(), u"boo_sk_abc"_s);
        secret.copyToClipboard();
        QCOMPARE(QGuiApplication::clipboard()->text(), u"boo_sk_abc"_s);
    }

    // docs/screenshots/keys.png: the Routing tab's Keys page with a few keys.
    void screenshot()
    {
        const QString dir = qEnvironmentVariable("BOO_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("BOO_SCREENSHOT_DIR not set");
        auto source = makeSource(false);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const auto &[name, src, rpm, budget] :
             {std::tuple{u"notes-app"_s, u"notes-app"_s, 60, 500000}, std::tuple{u"ci-bot"_s, u"ci"_s, 0, 0},
              std::tuple{u"team-web"_s, u"web"_s, 120, 0}, std::tuple{u"old-script"_s, u"scripts"_s, 10, 0}}) {
            ConsumerKeySpec spec;
            spec.name = name;
            spec.source = src;
            if (rpm)
                spec.rpm = rpm;
            if (budget)
                spec.tokensPerDay = budget;
            if (name == u"team-web"_s) {
                spec.models = {u"auto"_s, u"auto:fast"_s};
                spec.allowSubSource = true;
            }
            QVERIFY(ConsumerKeyStore::create(*m_db, spec, now - 3'600'000));
        }
        ConsumerKeyEdit off;
        off.disabled = true;
        QVERIFY(ConsumerKeyStore::update(*m_db, u"ci-bot"_s, off, now));
        QVERIFY(ConsumerKeyStore::revoke(*m_db, u"old-script"_s, now));
        QVERIFY(ConsumerKeyStore::addUsage(*m_db,
                                           {KeyUsageRow{u"notes-app"_s, now - now % 60'000, 412, 3, 96'000, 31'000, now - 90'000},
                                            KeyUsageRow{u"team-web"_s, now - now % 60'000, 57, 0, 12'000, 8'000, now - 600'000}}));
        RoutingView routing(source.get());
        routing.resize(1200, 520);
        routing.findChild<QTabWidget *>()->setCurrentWidget(routing.keysView());
        routing.show();
        QVERIFY(answer(*routing.keysView(), [&] { routing.keysView()->reload(); }));
        routing.keysView()->selectKey(u"notes-app"_s);
        QTest::qWait(200);
        QVERIFY(routing.grab().save(dir + u"/keys.png"_s));
    }
};

QTEST_MAIN(TestKeysView)
#include "tst_keysview.moc"
