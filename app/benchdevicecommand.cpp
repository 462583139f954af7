#include "app/benchdevicecommand.h"

#include "app/benchhostwatch.h"
#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/providers/providerfileparser.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/remote/llamabenchjob.h"
#include "core/store/database.h"
#include "core/store/databaseurl.h"
#include "core/store/migrations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

struct DeviceBenchCli
{
    Q_DECLARE_TR_FUNCTIONS(DeviceBenchCli)
};

// The exit codes of `bench run` (docs/bench.md).
constexpr int kExitOk = 0;
constexpr int kExitUnavailable = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;
constexpr int kExitNoSuccess = 5;
constexpr int kHostWatchMs = 10000;

struct DeviceBenchOptions
{
    QString target; // HOST/MODEL, or HOST with modelPath
    QString modelPath;
    QString flags;
    QString program;
    QString db;
    QString providersPath;
    QString knownHosts;
    bool force = false;
    bool json = false;
    int timeoutSeconds = 1800;
};

int fail(const QString &message, int code)
{
    std::fprintf(stderr, "boocontrol bench device: %s\n", qUtf8Printable(message));
    return code;
}

Result<ProviderConfig> findProvider(const QString &path, const QString &id)
{
    const ProviderFile file = ProviderFileParser::read(path);
    for (const ProviderConfig &p : file.providers) {
        if (p.id == id)
            return p;
    }
    return makeError(u"bench.target"_s, DeviceBenchCli::tr("no host \"%1\" in %2").arg(id, path));
}

// "qwen3 8B Q4_K - Medium  pp512  10843.21 ± 35.12": one line per test.
QString table(const LlamaBenchResult &result)
{
    QString text;
    QString lastBuild;
    for (const LlamaBenchRecord &r : result.run.records) {
        const QString build
            = DeviceBenchCli::tr("build %1 (%2), %3, %4, ngl %5")
                  .arg(r.buildCommit.isEmpty() ? u"?"_s : r.buildCommit)
                  .arg(r.buildNumber)
                  .arg(r.backends.isEmpty() ? u"?"_s : r.backends, r.gpuInfo.isEmpty() ? DeviceBenchCli::tr("no GPU reported") : r.gpuInfo)
                  .arg(r.nGpuLayers);
        if (build != lastBuild) {
            text += build + u'\n';
            lastBuild = build;
        }
        text += u"  %1 %2 %3 ± %4 t/s\n"_s.arg(r.modelType.leftJustified(32), r.testName().leftJustified(16))
                    .arg(r.avgTs, 10, 'f', 2)
                    .arg(r.stddevTs, 0, 'f', 2);
    }
    return text;
}

int runDeviceBench(const DeviceBenchOptions &options)
{
    const QString hostId = options.target.section(u'/', 0, 0);
    const QString model = options.target.section(u'/', 1);
    if (hostId.isEmpty() || (model.isEmpty() && options.modelPath.isEmpty()))
        return fail(DeviceBenchCli::tr("say HOST/MODEL (a model of the host's llama-swap config) or HOST with --model-path"), kExitUsage);

    const QString providersPath = options.providersPath.isEmpty() ? ProviderRegistry::defaultPath() : options.providersPath;
    auto provider = findProvider(providersPath, hostId);
    if (!provider)
        return fail(provider.error().message, kExitUsage);
    const auto key = provider->apiKey ? SecretResolver::resolveNow(*provider->apiKey) : Result<QString>(QString());
    if (!key)
        return fail(u"%1: %2"_s.arg(hostId, key.error().message), kExitUnavailable);
    auto host = ConfigHost::fromProvider(*provider, options.knownHosts.isEmpty() ? ConfigHost::defaultKnownHostsFile() : options.knownHosts,
                                         *key);
    if (!host)
        return fail(host.error().message, kExitUsage);

    DatabaseUrl where = DatabaseUrl::defaultSqlite();
    if (!options.db.isEmpty()) {
        auto parsed = DatabaseUrl::parse(options.db);
        if (!parsed)
            return fail(parsed.error().message, kExitUsage);
        where = *parsed;
    }
    auto db = Database::open(where, u"bench-device"_s);
    if (!db)
        return fail(db.error().message, kExitUnavailable);
    if (auto migrated = Migrations::migrate(**db); !migrated)
        return fail(migrated.error().message, kExitUnavailable);

    // The host's traffic, watched for a moment, is what the gate decides on (as in `bench run`).
    BenchHostWatch watch({*provider});
    watch.waitUntilSeen({hostId}, kHostWatchMs);
    LeaseBook leases(db->get());
    AccessGate gate(watch.fleet(), &leases, db->get());

    LlamaBenchOptions jobOptions;
    jobOptions.model = model;
    jobOptions.modelPath = options.modelPath;
    jobOptions.flags = options.flags;
    jobOptions.program = options.program;
    jobOptions.force = options.force;
    jobOptions.timeoutMs = options.timeoutSeconds * 1000;
    LlamaBenchJob job(*host, &gate, &leases, db->get());
    QEventLoop loop;
    QObject::connect(&job, &LlamaBenchJob::finished, &loop, &QEventLoop::quit);
    job.start(jobOptions);
    if (job.result().run.finishedAt == 0)
        loop.exec();
    const LlamaBenchResult &result = job.result();

    if (options.json) {
        QJsonObject o = result.run.toJson();
        o.insert(u"dropped_flags"_s, QJsonArray::fromStringList(result.plan.dropped));
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        std::fprintf(stderr, "%s\n", qUtf8Printable(DeviceBenchCli::tr("on %1: %2").arg(hostId, result.run.command)));
        if (!result.plan.dropped.isEmpty())
            std::fprintf(stderr, "%s\n",
                         qUtf8Printable(DeviceBenchCli::tr("not for llama-bench, left out: %1").arg(result.plan.dropped.join(u' '))));
        if (!result.run.records.isEmpty()) {
            std::fputs(qUtf8Printable(DeviceBenchCli::tr("%1/%2, run %3%4\n")
                                          .arg(hostId, model.isEmpty() ? result.run.modelPath : model,
                                               result.run.id ? QString::number(result.run.id) : DeviceBenchCli::tr("not stored"),
                                               result.run.forced ? DeviceBenchCli::tr(" (forced over live traffic)") : QString())),
                       stdout);
            std::fputs(qUtf8Printable(table(result)), stdout);
        }
    }
    for (const LlamaBenchProblem &p : result.run.problems)
        std::fprintf(stderr, "boocontrol bench device: %s\n", qUtf8Printable(p.message));
    if (!result.stderrTail.isEmpty() && result.outcome != LlamaBenchOutcome::Done)
        std::fprintf(stderr, "%s\n", qUtf8Printable(result.stderrTail));
    switch (result.outcome) {
    case LlamaBenchOutcome::Done: return kExitOk;
    case LlamaBenchOutcome::Empty: return fail(result.run.message, kExitNoSuccess);
    case LlamaBenchOutcome::Refused:
        return fail(DeviceBenchCli::tr("refused: %1%2")
                        .arg(result.run.message,
                             options.force ? QString() : DeviceBenchCli::tr(" (--force runs anyway, and is recorded as forced)")),
                    kExitRefused);
    case LlamaBenchOutcome::Failed: break;
    }
    return fail(result.run.message, kExitUnavailable);
}

} // namespace

int runBenchDeviceCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        DeviceBenchCli::tr("Device numbers: llama-bench on a llama-swap host over SSH, with the host leased (docs/bench.md).\n\n"
                           "  boocontrol bench device HOST/MODEL   the model's file and flags from the host's config\n"
                           "  boocontrol bench device HOST --model-path /models/x.gguf"));
    parser.addHelpOption();
    parser.addPositionalArgument(u"target"_s, DeviceBenchCli::tr("HOST/MODEL, or HOST with --model-path"));
    const QCommandLineOption modelPath(u"model-path"_s, DeviceBenchCli::tr("The model file on the host (the config is not read)."),
                                       u"PATH"_s);
    const QCommandLineOption flags(
        u"flags"_s, DeviceBenchCli::tr("llama-bench flags, as one string: they replace those taken from the model's cmd."), u"FLAGS"_s);
    const QCommandLineOption program(
        u"llama-bench"_s, DeviceBenchCli::tr("llama-bench on the host (default: next to llama-server, else on PATH)."), u"PATH"_s);
    const QCommandLineOption db(u"db"_s, DeviceBenchCli::tr("Database URL (sqlite:/path or postgres://...); default the user's history."),
                                u"URL"_s);
    const QCommandLineOption providers(u"providers"_s, DeviceBenchCli::tr("Provider registry file."), u"FILE"_s);
    const QCommandLineOption knownHosts(u"known-hosts"_s, DeviceBenchCli::tr("BooControl's known_hosts file (default: its own)."),
                                        u"FILE"_s);
    const QCommandLineOption timeout(u"timeout"_s, DeviceBenchCli::tr("Stop llama-bench after this many seconds (default 1800)."),
                                     u"SECONDS"_s, u"1800"_s);
    const QCommandLineOption force(
        u"force"_s, DeviceBenchCli::tr("Run even while the host serves traffic (recorded as forced; never over another holder's lease)."));
    const QCommandLineOption json(u"json"_s, DeviceBenchCli::tr("The run as JSON on standard output."));
    parser.addOptions({modelPath, flags, program, db, providers, knownHosts, timeout, force, json});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), kExitUsage);
    if (parser.isSet(u"help"_s)) {
        std::fputs(qUtf8Printable(parser.helpText()), stdout);
        return kExitOk;
    }
    QStringList positional = parser.positionalArguments();
    positional.removeFirst(); // "device"
    if (positional.size() != 1)
        return fail(DeviceBenchCli::tr("device takes one HOST/MODEL (see --help)"), kExitUsage);
    DeviceBenchOptions options;
    options.target = positional.constFirst();
    options.modelPath = parser.value(modelPath);
    options.flags = parser.value(flags);
    options.program = parser.value(program);
    options.db = parser.value(db);
    options.providersPath = parser.value(providers);
    options.knownHosts = parser.value(knownHosts);
    options.force = parser.isSet(force);
    options.json = parser.isSet(json);
    bool ok = false;
    options.timeoutSeconds = parser.value(timeout).toInt(&ok);
    if (!ok || options.timeoutSeconds <= 0)
        return fail(DeviceBenchCli::tr("--timeout '%1': expected seconds").arg(parser.value(timeout)), kExitUsage);
    return runDeviceBench(options);
}

} // namespace boo
