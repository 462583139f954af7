#include "core/providers/providerfilewriter.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QByteArray providersJson(const QByteArray &entries)
{
    return "{\"providers\": [" + entries + "]}";
}

const QByteArray kGood = "{\"id\":\"gpu1\",\"name\":\"GPU "
                         "1\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://10.0.0.5:8080/"
                         "\",\"enabled\":true,\"apiKey\":\"env:GPU1_KEY\",\"tags\":[\"code\",\"fast\"]}";
const QByteArray kOther = "{\"id\":\"mac\",\"kind\":\"llama-swap\",\"baseUrl\":\"https://mac.lan/llama\"}";

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path + u".tmp"_s);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    // Replace the file the way editors do (rename over it), which drops inotify watches.
    QFile::remove(path);
    QVERIFY(QFile::rename(file.fileName(), path));
}

} // namespace

class TestProviderRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RegistryChange>(); }

    void parsesTheShippedExample()
    {
        const ProviderFile file
            = ProviderFileParser::read(QStringLiteral(BOO_TEST_DATA_DIR) + u"/../../resources/llama-providers.example.json"_s);
        QVERIFY2(file.problems.isEmpty(), qPrintable(file.problems.isEmpty() ? QString() : file.problems.first().toString()));
        QCOMPARE(file.providers.size(), 3);
        const ProviderConfig &first = file.providers.at(0);
        QCOMPARE(first.id, u"gpu-box-1"_s);
        QCOMPARE(first.kind, ProviderKind::LlamaSwap);
        QCOMPARE(first.baseUrl, QUrl(u"http://10.0.0.11:8080"_s));
        QCOMPARE(first.apiKey, (ApiKeyRef{ApiKeyRef::Store::Environment, u"GPU_BOX_1_KEY"_s}));
        QCOMPARE(file.providers.at(1).apiKey, (ApiKeyRef{ApiKeyRef::Store::Keychain, u"mac-studio"_s}));
        QCOMPARE(file.providers.at(2).kind, ProviderKind::OpenAi);
        QCOMPARE(file.providers.at(2).enabled, false);
    }

    void defaultsAndNormalisation()
    {
        const ProviderFile file = ProviderFileParser::parse(providersJson(kGood + ',' + kOther), u"p.json"_s);
        QVERIFY(file.problems.isEmpty());
        QCOMPARE(file.providers.size(), 2);
        QCOMPARE(file.providers.at(0).baseUrl.toString(), u"http://10.0.0.5:8080"_s); // trailing slash dropped
        QCOMPARE(file.providers.at(0).tags, (QStringList{u"code"_s, u"fast"_s}));
        QCOMPARE(file.providers.at(1).name, u"mac"_s); // name defaults to id
        QCOMPARE(file.providers.at(1).enabled, true);  // enabled defaults to true
        QCOMPARE(file.providers.at(1).baseUrl.toString(), u"https://mac.lan/llama"_s);
        QVERIFY(!file.providers.at(1).apiKey.has_value());
    }

    void badEntriesAreNamedAndSkipped_data()
    {
        QTest::addColumn<QByteArray>("entry");
        QTest::addColumn<QString>("problem");
        QTest::newRow("plain secret")
            << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"apiKey\":\"sk-12345\"}")
            << u"p.json: provider \"x\": field \"apiKey\": plain-text secrets are not accepted in the providers file: "
               u"store the key in the system keychain and write \"keychain:NAME\", or in an environment variable and write \"env:NAME\""_s;
        QTest::newRow("empty env name") << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"apiKey\":\"env:\"}")
                                        << u"p.json: provider \"x\": field \"apiKey\": 'env:' names no variable or keychain entry"_s;
        QTest::newRow("missing id") << QByteArray("{\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\"}")
                                    << u"p.json: provider \"#2\": field \"id\": is required"_s;
        QTest::newRow("id with slash")
            << QByteArray("{\"id\":\"a/b\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\"}")
            << u"p.json: provider \"a/b\": field \"id\": 'a/b' must be 1-64 letters, digits, '.', '_' or '-' (no '/')"_s;
        QTest::newRow("unknown kind")
            << QByteArray("{\"id\":\"x\",\"kind\":\"ollama\",\"baseUrl\":\"http://h\"}")
            << u"p.json: provider \"x\": field \"kind\": unknown kind 'ollama' (use llama-swap, openai or boocontrol-gateway)"_s;
        QTest::newRow("bad url") << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"ftp://h\"}")
                                 << u"p.json: provider \"x\": field \"baseUrl\": 'ftp://h' is not an http:// or https:// URL with a host"_s;
        QTest::newRow("url without host")
            << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://\"}")
            << u"p.json: provider \"x\": field \"baseUrl\": 'http://' is not an http:// or https:// URL with a host"_s;
        QTest::newRow("enabled not bool") << QByteArray(
            "{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"enabled\":\"yes\"}")
                                          << u"p.json: provider \"x\": field \"enabled\": must be true or false"_s;
        QTest::newRow("tags not list") << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"tags\":\"code\"}")
                                       << u"p.json: provider \"x\": field \"tags\": must be a list of non-empty strings"_s;
        QTest::newRow("duplicate id")
            << QByteArray("{\"id\":\"gpu1\",\"kind\":\"openai\",\"baseUrl\":\"http://other\"}")
            << u"p.json: provider \"gpu1\": field \"id\": duplicate id; only the first provider with this id is loaded"_s;
        QTest::newRow("not an object") << QByteArray("\"gpu2\"") << u"p.json: provider \"#2\": must be a JSON object"_s;
        QTest::newRow("ssh not object") << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"ssh\":\"u@h\"}")
                                        << u"p.json: provider \"x\": field \"ssh\": must be an object {\"target\", \"identityFile\", "
                                           u"\"configPath\", \"reload\"}"_s;
        QTest::newRow("ssh without config path")
            << QByteArray("{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"ssh\":{\"target\":\"u@h\"}}")
            << u"p.json: provider \"x\": field \"ssh.configPath\": must be a non-empty string"_s;
        QTest::newRow("ssh keep not a number") << QByteArray(
            "{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"ssh\":{\"target\":\"u@h\",\"configPath\":\"/c.yaml\","
            "\"keepBackups\":0}}") << u"p.json: provider \"x\": field \"ssh.keepBackups\": must be a whole number from 1 to 1000"_s;
    }

    void sshSettingsRoundTrip()
    {
        const QByteArray entry
            = "{\"id\":\"x\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://h\",\"ssh\":{\"target\":\"llm@gpu1:2222\","
              "\"identityFile\":\"/k\",\"configPath\":\"/etc/llama-swap/config.yaml\",\"reload\":\"sighup\",\"keepBackups\":3}}";
        const ProviderFile file = ProviderFileParser::parse(providersJson(entry), u"p.json"_s);
        QVERIFY(file.problems.isEmpty());
        QVERIFY(file.providers.first().ssh);
        const ProviderSsh &ssh = *file.providers.first().ssh;
        QCOMPARE(ssh.target, u"llm@gpu1:2222"_s);
        QCOMPARE(ssh.configPath, u"/etc/llama-swap/config.yaml"_s);
        QCOMPARE(ssh.reload, u"sighup"_s);
        QCOMPARE(ssh.keepBackups, 3);
        QCOMPARE(ssh.healthTimeoutSeconds, 60);
        // Written back by the settings dialog, the ssh settings survive.
        const ProviderFile again = ProviderFileParser::parse(ProviderFileWriter::toJson(file.providers, {}), u"p.json"_s);
        QCOMPARE(again.providers, file.providers);
    }

    void badEntriesAreNamedAndSkipped()
    {
        QFETCH(QByteArray, entry);
        QFETCH(QString, problem);
        const ProviderFile file = ProviderFileParser::parse(providersJson(kGood + ',' + entry + ',' + kOther), u"p.json"_s);
        QVERIFY(!file.unreadable);
        QCOMPARE(file.problems.size(), 1);
        QCOMPARE(file.problems.first().toString(), problem);
        // The valid providers of the same file still load.
        QCOMPARE(file.providers.size(), 2);
        QCOMPARE(file.providers.at(0).id, u"gpu1"_s);
        QCOMPARE(file.providers.at(0).kind, ProviderKind::LlamaSwap);
        QCOMPARE(file.providers.at(1).id, u"mac"_s);
    }

    void unusableFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("bad json") << QByteArray("{\"providers\": [") << u"p.json: not valid JSON at byte"_s;
        QTest::newRow("array") << QByteArray("[]") << u"p.json: must contain a JSON object"_s;
        QTest::newRow("no list") << QByteArray("{\"hosts\": []}") << u"p.json: must have a \"providers\" list"_s;
    }

    void unusableFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        const ProviderFile file = ProviderFileParser::parse(content, u"p.json"_s);
        QVERIFY(file.unreadable);
        QVERIFY(file.providers.isEmpty());
        QCOMPARE(file.problems.size(), 1);
        QVERIFY2(file.problems.first().toString().startsWith(problem), qPrintable(file.problems.first().toString()));
    }

    void diffNamesAddedRemovedChanged()
    {
        const auto before = ProviderFileParser::parse(providersJson(kGood + ',' + kOther), u"p"_s).providers;
        QByteArray changedGood = kGood;
        changedGood.replace("GPU 1", "GPU one");
        const auto after = ProviderFileParser::parse(
                               providersJson(changedGood + ",{\"id\":\"new\",\"kind\":\"openai\",\"baseUrl\":\"https://api.x\"}"), u"p"_s)
                               .providers;
        const RegistryChange change = diffProviders(before, after);
        QCOMPARE(change.added.size(), 1);
        QCOMPARE(change.added.first().id, u"new"_s);
        QCOMPARE(change.removed.size(), 1);
        QCOMPARE(change.removed.first().id, u"mac"_s);
        QCOMPARE(change.changed.size(), 1);
        QCOMPARE(change.changed.first().name, u"GPU one"_s);
        QVERIFY(diffProviders(after, after).isEmpty());
    }

    void reloadsWhenTheFileChanges()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"llama-providers.json"_s);
        writeFile(path, providersJson(kGood));

        ProviderRegistry registry(path);
        QSignalSpy changed(&registry, &ProviderRegistry::providersChanged);
        QSignalSpy problems(&registry, &ProviderRegistry::problemsChanged);
        const RegistryChange initial = registry.reload();
        QCOMPARE(initial.added.size(), 1);
        QCOMPARE(registry.providers().size(), 1);
        registry.startWatching();
        changed.clear();

        writeFile(path, providersJson(kGood + ',' + kOther));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
        auto change = changed.takeFirst().at(0).value<RegistryChange>();
        QCOMPARE(change.added.size(), 1);
        QCOMPARE(change.added.first().id, u"mac"_s);
        QCOMPARE(registry.providers().size(), 2);
        QVERIFY(registry.provider(u"mac"_s).has_value());

        // A typo keeps the last good providers in force and reports the problem.
        writeFile(path, "{\"providers\": [ oops");
        QTRY_VERIFY_WITH_TIMEOUT(!registry.problems().isEmpty(), 5000);
        QCOMPARE(registry.providers().size(), 2);
        QCOMPARE(changed.count(), 0);
        QVERIFY(!problems.isEmpty());

        // Fixing the file applies the change and clears the problem.
        writeFile(path, providersJson(kOther));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
        change = changed.takeFirst().at(0).value<RegistryChange>();
        QCOMPARE(change.removed.size(), 1);
        QCOMPARE(change.removed.first().id, u"gpu1"_s);
        QVERIFY(registry.problems().isEmpty());
    }

    void missingFileIsReportedNotFatal()
    {
        QTemporaryDir dir;
        ProviderRegistry registry(dir.filePath(u"absent.json"_s));
        QVERIFY(registry.reload().isEmpty());
        QVERIFY(registry.providers().isEmpty());
        QCOMPARE(registry.problems().size(), 1);
        QVERIFY(registry.problems().first().message.startsWith(u"does not exist"_s));
    }

    void resolvesEnvironmentSecrets()
    {
        qputenv("BOO_TEST_SECRET_KEY", "s3cret-value");
        SecretResolver resolver;
        std::optional<Result<QString>> got;
        resolver.resolve(ApiKeyRef{ApiKeyRef::Store::Environment, u"BOO_TEST_SECRET_KEY"_s}, [&](Result<QString> r) { got = r; });
        QVERIFY(got.has_value() && got->ok());
        QCOMPARE(got->value(), u"s3cret-value"_s);

        got.reset();
        resolver.resolve(ApiKeyRef{ApiKeyRef::Store::Environment, u"BOO_TEST_SECRET_UNSET"_s}, [&](Result<QString> r) { got = r; });
        QVERIFY(got.has_value() && !got->ok());
        QCOMPARE(got->error().message, u"environment variable BOO_TEST_SECRET_UNSET is not set (or empty)"_s);
    }

    void missingKeychainEntryIsAClearError()
    {
        // Wherever this runs (a desktop keychain, or a server without one) an entry that does
        // not exist must come back as an error that names it, never as an empty key.
        SecretResolver resolver;
        std::optional<Result<QString>> got;
        resolver.resolve(ApiKeyRef{ApiKeyRef::Store::Keychain, u"boo-test-no-such-entry"_s}, [&](Result<QString> r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 15000);
        QVERIFY(!got->ok());
        QCOMPARE(got->error().code, u"secret.keychain"_s);
        QVERIFY2(got->error().message.contains(u"'boo-test-no-such-entry'"_s), qPrintable(got->error().message));
    }
};

QTEST_GUILESS_MAIN(TestProviderRegistry)
#include "tst_providerregistry.moc"
