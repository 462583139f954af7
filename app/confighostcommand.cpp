#include "app/confighostcommand.h"

#include "core/providers/providerfileparser.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/remote/configapplyjob.h"
#include "core/remote/configversionstore.h"
#include "core/remote/hostkeytrust.h"
#include "core/store/database.h"
#include "core/store/databaseurl.h"
#include "core/store/migrations.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

struct ConfigHostCli
{
    Q_DECLARE_TR_FUNCTIONS(ConfigHostCli)
};

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;
constexpr int kExitFailed = 4;
constexpr int kExitRolledBack = 5;
constexpr int kExitRollbackFailed = 6;

void print(std::FILE *stream, const QString &text)
{
    std::fputs(qUtf8Printable(text), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

int fail(const QString &message, int code)
{
    print(stderr, u"boocontrol config: "_s + message);
    return code;
}

void printJson(const QJsonObject &object)
{
    print(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed());
}

int exitFor(ApplyOutcome outcome)
{
    switch (outcome) {
    case ApplyOutcome::Previewed:
    case ApplyOutcome::Unchanged:
    case ApplyOutcome::Applied: return kExitOk;
    case ApplyOutcome::Invalid: return kExitInvalid;
    case ApplyOutcome::Refused: return kExitRefused;
    case ApplyOutcome::Failed: return kExitFailed;
    case ApplyOutcome::RolledBack: return kExitRolledBack;
    case ApplyOutcome::RollbackFailed: return kExitRollbackFailed;
    }
    return kExitFailed;
}

Result<std::unique_ptr<Database>> openDatabase(const QString &url)
{
    DatabaseUrl where = DatabaseUrl::defaultSqlite();
    if (!url.isEmpty()) {
        auto parsed = DatabaseUrl::parse(url);
        if (!parsed)
            return parsed.error();
        where = *parsed;
    }
    auto db = Database::open(where, u"config"_s);
    if (!db)
        return db.error();
    if (auto migrated = Migrations::migrate(**db); !migrated)
        return migrated.error();
    return db;
}

Result<ProviderConfig> findProvider(const ConfigHostOptions &options, const QString &id)
{
    const QString path = options.providers.isEmpty() ? ProviderRegistry::defaultPath() : options.providers;
    const ProviderFile file = ProviderFileParser::read(path);
    for (const ProviderConfig &p : file.providers) {
        if (p.id == id)
            return p;
    }
    QStringList problems;
    for (const ProviderFileProblem &problem : file.problems)
        problems << problem.toString();
    return makeError(
        u"config.host"_s,
        ConfigHostCli::tr("no host \"%1\" in %2%3").arg(id, path, problems.isEmpty() ? QString() : u": "_s + problems.join(u"; "_s)));
}

Result<ConfigHost> hostFor(const ConfigHostOptions &options, const QString &id)
{
    auto provider = findProvider(options, id);
    if (!provider)
        return provider.error();
    const auto key = provider->apiKey ? SecretResolver::resolveNow(*provider->apiKey) : Result<QString>(QString());
    if (!key)
        return makeError(u"config.host"_s, u"%1: %2"_s.arg(id, key.error().message));
    return ConfigHost::fromProvider(*provider, options.knownHosts.isEmpty() ? ConfigHost::defaultKnownHostsFile() : options.knownHosts,
                                    *key);
}

// Asks on the terminal; never when stdin is not one (scripts say --yes).
bool confirm(const QString &question)
{
    if (!isatty(STDIN_FILENO))
        return false;
    std::fputs(qUtf8Printable(question + u" [y/N] "_s), stdout);
    std::fflush(stdout);
    char answer[16] = {};
    if (!std::fgets(answer, sizeof answer, stdin))
        return false;
    return answer[0] == 'y' || answer[0] == 'Y';
}

ConfigApplyResult runJob(const ConfigHost &host, Database *db, const QByteArray &text, const ConfigApplyOptions &options, bool showSteps)
{
    ConfigApplyJob job(host, db);
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &ConfigApplyJob::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    if (showSteps) {
        QObject::connect(&job, &ConfigApplyJob::stepFinished, &job, [](const ApplyStepRecord &step) {
            print(stdout,
                  u"  %1 %2%3"_s.arg(step.ok ? u"ok    "_s : u"FAILED"_s, enumNameString(kApplyStepNames, step.step),
                                     step.message.isEmpty() ? QString() : u": "_s + step.message));
        });
    }
    job.start(text, options);
    // An invalid file is refused before anything asynchronous starts.
    if (!done)
        loop.exec();
    return job.result();
}

QString author()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? u"cli"_s : user;
}

// diff, apply and rollback: preview, ask (or --yes), apply what was previewed.
int change(const ConfigHostOptions &options, const ConfigHost &host, Database *db, const QByteArray &text, const QString &kind)
{
    ConfigApplyOptions preview;
    preview.mode = ConfigApplyOptions::Mode::Preview;
    preview.author = author();
    preview.validationBlocks = kind != u"restore"_s;
    const ConfigApplyResult seen = runJob(host, db, text, preview, false);
    if (options.command == u"diff"_s || seen.outcome != ApplyOutcome::Previewed) {
        if (options.json) {
            printJson(seen.toJson());
        } else {
            for (const ConfigFinding &finding : seen.report.findings)
                print(stdout, finding.toText(host.configPath));
            if (!seen.diff.isEmpty())
                print(stdout, seen.diff.trimmed());
            if (seen.outcome != ApplyOutcome::Previewed)
                print(seen.succeeded() ? stdout : stderr, seen.message);
        }
        return exitFor(seen.outcome);
    }
    if (!options.json) {
        for (const ConfigFinding &finding : seen.report.findings)
            print(stdout, finding.toText(host.configPath));
        print(stdout, seen.diff.trimmed());
    }
    if (!options.yes && !confirm(ConfigHostCli::tr("Apply this change to %1:%2?").arg(host.providerId, host.configPath)))
        return fail(ConfigHostCli::tr("not applied (confirm on a terminal, or give --yes)"), kExitRefused);

    ConfigApplyOptions apply;
    apply.kind = kind;
    apply.author = author();
    apply.reason = options.reason;
    apply.expectedCurrentSha256 = seen.currentSha256;
    apply.validationBlocks = preview.validationBlocks;
    apply.healthTimeoutMs = host.healthTimeoutMs;
    const ConfigApplyResult result = runJob(host, db, text, apply, !options.json);
    if (options.json)
        printJson(result.toJson());
    else
        print(result.succeeded() ? stdout : stderr, result.message);
    return exitFor(result.outcome);
}

int backups(const ConfigHostOptions &options, Database &db, const QString &hostId)
{
    auto versions = ConfigVersionStore::versions(db, hostId);
    if (!versions)
        return fail(versions.error().message, kExitUsage);
    if (options.json) {
        QJsonArray list;
        for (const ConfigVersion &v : std::as_const(*versions))
            list.append(v.toJson());
        printJson(QJsonObject{{u"host"_s, hostId}, {u"backups"_s, list}});
        return kExitOk;
    }
    if (versions->isEmpty())
        print(stdout, ConfigHostCli::tr("no backups of %1 yet").arg(hostId));
    for (const ConfigVersion &v : std::as_const(*versions)) {
        print(stdout,
              u"%1  %2  %3  %4  %5"_s.arg(QString::number(v.id).rightJustified(5),
                                          QDateTime::fromMSecsSinceEpoch(v.ts, Qt::UTC).toString(Qt::ISODate), v.sha256.left(12), v.author,
                                          v.hostBackupPath));
    }
    return kExitOk;
}

int trust(const ConfigHostOptions &options, const ConfigHost &host)
{
    HostKeyTrust scanner;
    QEventLoop loop;
    HostKeyScanResult scanned;
    QObject::connect(&scanner, &HostKeyTrust::scanned, &loop, [&](const HostKeyScanResult &r) {
        scanned = r;
        loop.quit();
    });
    scanner.scan(host.ssh.target, 10);
    loop.exec();
    if (!scanned.error.isEmpty())
        return fail(scanned.error, kExitFailed);
    print(stdout,
          ConfigHostCli::tr("%1 offers these host keys; compare them with `ssh-keygen -lf` on the host:").arg(host.ssh.target.toString()));
    for (const HostKey &key : std::as_const(scanned.keys))
        print(stdout, u"  %1 %2"_s.arg(key.type, key.fingerprint));
    if (!options.yes && !confirm(ConfigHostCli::tr("Trust these keys for %1?").arg(host.providerId)))
        return fail(ConfigHostCli::tr("not trusted (confirm on a terminal, or give --yes)"), kExitRefused);
    if (auto added = HostKeyTrust::trust(host.ssh.knownHostsFile, scanned.keys); !added)
        return fail(added.error().message, kExitUsage);
    print(stdout, ConfigHostCli::tr("trusted, in %1").arg(host.ssh.knownHostsFile));
    return kExitOk;
}

} // namespace

int runConfigHostCommand(const ConfigHostOptions &options)
{
    const QString &command = options.command;
    const qsizetype wanted = command == u"backups"_s || command == u"trust"_s ? 1 : command == u"rollback"_s ? -1 : 2;
    if ((wanted > 0 && options.args.size() != wanted) || (wanted < 0 && (options.args.isEmpty() || options.args.size() > 2)))
        return fail(ConfigHostCli::tr("%1: wrong number of arguments (see boocontrol config --help)").arg(command), kExitUsage);
    const QString hostId = options.args.constFirst();

    auto db = openDatabase(options.db);
    if (!db)
        return fail(db.error().message, kExitUsage);
    if (command == u"backups"_s)
        return backups(options, **db, hostId);

    auto host = hostFor(options, hostId);
    if (!host)
        return fail(host.error().message, kExitUsage);
    if (command == u"trust"_s)
        return trust(options, *host);

    if (command == u"rollback"_s) {
        std::optional<ConfigVersion> version;
        if (options.args.size() == 2) {
            bool ok = false;
            const qint64 id = options.args.at(1).toLongLong(&ok);
            auto found = ok ? ConfigVersionStore::version(**db, hostId, id) : Result<std::optional<ConfigVersion>>(std::nullopt);
            if (!found)
                return fail(found.error().message, kExitUsage);
            version = *found;
        } else if (auto newest = ConfigVersionStore::versions(**db, hostId, 1); newest && !newest->isEmpty()) {
            auto found = ConfigVersionStore::version(**db, hostId, newest->constFirst().id);
            if (found)
                version = *found;
        }
        if (!version)
            return fail(ConfigHostCli::tr("no such backup of %1 (boocontrol config backups %1)").arg(hostId), kExitUsage);
        ConfigHostOptions restore = options;
        if (restore.reason.isEmpty())
            restore.reason = ConfigHostCli::tr("rollback to backup %1").arg(version->id);
        return change(restore, *host, db->get(), version->content, u"restore"_s);
    }

    QFile file(options.args.at(1));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ConfigHostCli::tr("cannot read %1: %2").arg(file.fileName(), file.errorString()), kExitUsage);
    return change(options, *host, db->get(), file.readAll(), u"apply"_s);
}

} // namespace boo
