#include "core/providers/providerregistry.h"
#include "views/providerdialog.h"
#include "views/settingsdialog.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void write(const QString &path, const QByteArray &content)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write");
    f.write(content);
}

ProviderConfig provider(const QString &id)
{
    ProviderConfig p;
    p.id = id;
    p.name = id.toUpper();
    p.baseUrl = QUrl(u"http://"_s + id + u":8080"_s);
    p.apiKey = ApiKeyRef{ApiKeyRef::Store::Environment, u"KEY_"_s + id.toUpper()};
    p.tags = {u"code"_s};
    return p;
}

} // namespace

class TestSettingsDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"settings"_s)); }

    void providerEditsAreWrittenAtOnce()
    {
        const QString path = m_dir.filePath(u"providers.json"_s);
        write(path, "{\"comment\":\"kept\",\"providers\":[{\"id\":\"one\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://one:8080\"}]}");
        ProviderRegistry registry(path);
        registry.reload();
        SettingsDialog dialog(&registry, {}, CockpitSettings());
        QCOMPARE(dialog.providersTable()->model()->rowCount(), 1);

        QVERIFY(dialog.addProvider(provider(u"two"_s)));
        QCOMPARE(registry.providers().size(), 2); // read back at once
        QCOMPARE(dialog.providersTable()->model()->rowCount(), 2);
        QByteArray file = read(path);
        QVERIFY(file.contains("\"comment\": \"kept\""));
        QVERIFY(file.contains("\"apiKey\": \"env:KEY_TWO\""));

        QVERIFY(dialog.setProviderEnabled(u"one"_s, false));
        QCOMPARE(registry.provider(u"one"_s)->enabled, false);
        ProviderConfig changed = provider(u"two"_s);
        changed.baseUrl = QUrl(u"https://two.example:8443"_s);
        QVERIFY(dialog.replaceProvider(changed));
        QCOMPARE(registry.provider(u"two"_s)->baseUrl.toString(), u"https://two.example:8443"_s);
        QVERIFY(dialog.removeProvider(u"one"_s));
        QCOMPARE(registry.providers().size(), 1);
        QVERIFY(dialog.providersStatus().contains(u"Saved to"_s));
    }

    void unreadableEntriesStopEditing()
    {
        const QString path = m_dir.filePath(u"bad.json"_s);
        write(path,
              "{\"providers\":[{\"id\":\"one\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://one:8080\"},"
              "{\"id\":\"two\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://two\",\"apiKey\":\"sk-plain\"}]}");
        ProviderRegistry registry(path);
        registry.reload();
        SettingsDialog dialog(&registry, {}, CockpitSettings());
        QVERIFY(!dialog.addProvider(provider(u"three"_s)));
        QVERIFY(read(path).contains("sk-plain")); // untouched: nothing in it is lost
        QVERIFY(dialog.providersStatus().contains(u"cannot be read"_s));
    }

    void notEditableWithANote()
    {
        SettingsDialog dialog(nullptr, u"attached to ws://server:9503"_s, CockpitSettings());
        QVERIFY(!dialog.addProvider(provider(u"x"_s)));
        QCOMPARE(dialog.providersStatus(), u"attached to ws://server:9503"_s);
    }

    void settingsPersistWithoutPasswords()
    {
        CockpitSettings initial;
        initial.alerts.vramPercent = 90;
        SettingsDialog dialog(nullptr, u"-"_s, initial);
        dialog.findChild<QLineEdit *>(u"databaseUrl"_s)->setText(u"postgres://boo:hunter2@db.example:5432/history"_s);
        const CockpitSettings chosen = dialog.settings();
        QVERIFY(chosen.database.has_value());
        QCOMPARE(chosen.database->password, u"hunter2"_s);
        QCOMPARE(chosen.alerts.vramPercent, 90.0);
        QSettings store;
        chosen.save(store);
        store.sync();
        QVERIFY(!read(store.fileName()).contains("hunter2"));
        const CockpitSettings loaded = CockpitSettings::load(store);
        QCOMPARE(loaded.database->host, u"db.example"_s);
        QCOMPARE(loaded.database->password, QString()); // comes from the keychain
        QCOMPARE(loaded.alerts.vramPercent, 90.0);
        QCOMPARE(loaded.retention.requestsMs, RetentionPolicy().requestsMs);
    }

    // The language: the system's unless chosen, kept in QSettings, applied at the next start
    // (the dialog says so).
    void languageIsChosenForTheNextStart()
    {
        CockpitSettings initial;
        initial.language = u"en"_s;
        SettingsDialog dialog(nullptr, u"-"_s, initial);
        auto *language = dialog.findChild<QComboBox *>(u"language"_s);
        QVERIFY(language);
        QCOMPARE(language->count(), 3);
        QCOMPARE(language->currentData().toString(), u"en"_s);
        QCOMPARE(language->itemText(2), u"Deutsch"_s); // each language by its own name
        bool saysNextStart = false;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            saysNextStart |= label->text().contains(u"next start of BooControl"_s);
        QVERIFY(saysNextStart);
        language->setCurrentIndex(language->findData(u"de"_s));
        QCOMPARE(dialog.settings().language, u"de"_s);
        language->setCurrentIndex(0);
        QCOMPARE(dialog.settings().language, QString());
    }

    void providerDialogChecksItsFields()
    {
        ProviderDialog dialog(nullptr, {u"taken"_s});
        dialog.idField()->setText(u"taken"_s);
        dialog.urlField()->setText(u"http://h:8080/"_s);
        QVERIFY(dialog.problem().contains(u"already"_s));
        dialog.idField()->setText(u"new box"_s);
        QVERIFY(dialog.problem().contains(u"letters, digits"_s));
        dialog.idField()->setText(u"new-box"_s);
        QVERIFY(dialog.problem().isEmpty());
        QCOMPARE(dialog.provider()->baseUrl.toString(), u"http://h:8080"_s);
        dialog.keyStore()->setCurrentIndex(2); // keychain
        QCOMPARE(dialog.keyName()->text(), u"provider/new-box"_s);
        QVERIFY(dialog.problem().contains(u"Enter the key"_s));
        dialog.secretField()->setText(u"sk-123"_s);
        const auto p = dialog.provider();
        QVERIFY(p.has_value());
        QCOMPARE(p->apiKey->toString(), u"keychain:provider/new-box"_s);
        QCOMPARE(dialog.keychainSecret(), u"sk-123"_s);
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
