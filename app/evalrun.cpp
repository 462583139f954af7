#include "app/evalrun.h"

#include "core/actions/accessgate.h"
#include "core/evals/evalrunner.h"
#include "core/evals/evalsuiteparser.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/runtime/fleetruntime.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/store/databaseurl.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

struct EvalRunCli
{
    Q_DECLARE_TR_FUNCTIONS(EvalRunCli)
};

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1; // a refused host, a failed request, the database
constexpr int kExitUsage = 2;
constexpr int kExitNoSandbox = 3;
constexpr int kConnectWaitMs = 15'000;

int fail(const QString &message, int status)
{
    std::fprintf(stderr, "boocontrol eval: %s\n", qUtf8Printable(message));
    return status;
}

// Waits until every host the targets name is connected (the access gate refuses a host it has
// not seen up); returns false after kConnectWaitMs.
bool waitConnected(FleetState *fleet, const QStringList &providers)
{
    const QDeadlineTimer deadline(kConnectWaitMs);
    while (!deadline.hasExpired()) {
        const bool all = std::all_of(providers.cbegin(), providers.cend(), [fleet](const QString &id) {
            const auto host = fleet->host(id);
            return host && host->liveness == Liveness::Connected;
        });
        if (all)
            return true;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return false;
}

} // namespace

int runEvalSuites(const EvalRunArgs &args)
{
    auto suites = EvalSuiteParser::parseFile(args.suitePath);
    if (!suites)
        return fail(suites.error().message, kExitUsage);
    auto sandbox = CodeSandbox::locate();
    if (!sandbox)
        return fail(sandbox.error().message, kExitNoSandbox);

    RuntimeOptions options;
    options.database = DatabaseUrl::defaultSqlite();
    if (!args.db.isEmpty()) {
        auto parsed = DatabaseUrl::parse(args.db);
        if (!parsed)
            return fail(parsed.error().message, kExitUsage);
        options.database = *parsed;
    } else if (args.demo) {
        // Scores of simulated models do not belong in the user's real history.
        options.database.sqlitePath = QFileInfo(options.database.sqlitePath).absolutePath() + u"/demo.sqlite"_s;
    }
    SimFleetThread demo;
    if (args.demo) {
        auto endpoints = demo.start(SimFleet::demoPreset(0));
        if (!endpoints)
            return fail(u"--demo: "_s + endpoints.error().message, kExitFailed);
        QList<ProviderConfig> providers;
        for (const SimFleetEndpoint &e : *endpoints) {
            ProviderConfig p;
            p.id = e.name;
            p.name = e.name;
            p.baseUrl = e.baseUrl;
            if (!e.apiKey.isEmpty()) {
                const QString variable = u"BOO_DEMO_KEY_"_s + e.name.toUpper().replace(u'-', u'_');
                qputenv(variable.toLocal8Bit().constData(), e.apiKey.toUtf8());
                p.apiKey = ApiKeyRef{ApiKeyRef::Store::Environment, variable};
            }
            providers << p;
        }
        options.fixedProviders = providers;
    } else {
        options.providersPath = args.providersPath;
    }
    auto runtime = FleetRuntime::create(options);
    if (!runtime)
        return fail(runtime.error().message, kExitFailed);
    FleetRuntime &rt = **runtime;

    // Targets: provider/model straight to the host; virtual models need the gateway (not yet).
    QList<EvalTargetRoute> routes;
    QStringList providerIds;
    for (const QString &target : args.targets) {
        const qsizetype slash = target.indexOf(u'/');
        if (slash <= 0 || slash == target.size() - 1)
            return fail(EvalRunCli::tr("target %1 is not provider/model (virtual models are not supported by eval yet)").arg(target),
                        kExitUsage);
        const QString providerId = target.left(slash);
        const auto provider = std::find_if(rt.registry()->providers().cbegin(), rt.registry()->providers().cend(),
                                           [&](const ProviderConfig &p) { return p.id == providerId; });
        if (provider == rt.registry()->providers().cend())
            return fail(EvalRunCli::tr("target %1: there is no provider \"%2\"").arg(target, providerId), kExitUsage);
        const auto key = provider->apiKey ? SecretResolver::resolveNow(*provider->apiKey) : Result<QString>(QString());
        if (!key)
            return fail(u"provider %1: %2"_s.arg(providerId, key.error().message), kExitFailed);
        EvalTargetRoute route;
        route.target = target;
        route.providerId = providerId;
        route.model = target.mid(slash + 1);
        route.endpoint.upstream = UpstreamTarget::fromProvider(*provider, *key);
        route.endpoint.wireModel = route.model;
        route.endpoint.providerId = providerId;
        routes << route;
        providerIds << providerId;
    }
    rt.start();
    if (!waitConnected(rt.fleet(), providerIds)) {
        rt.stop();
        return fail(EvalRunCli::tr("not every target's host answered within %1 s").arg(kConnectWaitMs / 1000), kExitFailed);
    }

    const bool jsonToStdout = args.jsonPath == u"-";
    std::FILE *text = jsonToStdout ? stderr : stdout;
    QJsonArray runs;
    bool failed = false;
    EvalRunOptions runOptions;
    runOptions.concurrency = args.concurrency;
    runOptions.force = args.force;
    for (const EvalSuite &suite : std::as_const(*suites)) {
        for (EvalTargetRoute &route : routes)
            route.endpoint.source = u"eval:"_s + suite.name;
        EvalRunner runner(suite, routes, rt.accessGate(), rt.leases(), rt.database(), *sandbox, runOptions);
        QEventLoop loop;
        QObject::connect(&runner, &EvalRunner::finished, &loop, &QEventLoop::quit);
        runner.start();
        loop.exec();
        const EvalRunOutcome &outcome = runner.outcome();
        QJsonArray scores;
        for (const EvalTargetScore &score : outcome.scores) {
            std::fprintf(text, "%s (version %d)  %s  pass@1 %.3f  (%d of %d answers passed)\n", qUtf8Printable(suite.name), suite.version,
                         qUtf8Printable(score.target), score.passAt1, score.passed, score.answers);
            scores.append(QJsonObject{
                {u"target"_s, score.target}, {u"pass_at_1"_s, score.passAt1}, {u"passed"_s, score.passed}, {u"answers"_s, score.answers}});
        }
        for (const QString &error : outcome.errors)
            std::fprintf(stderr, "boocontrol eval: %s: %s\n", qUtf8Printable(suite.name), qUtf8Printable(error));
        failed = failed || !outcome.ok();
        runs.append(QJsonObject{{u"suite"_s, suite.name},
                                {u"version"_s, suite.version},
                                {u"run_id"_s, outcome.runId},
                                {u"scores"_s, scores},
                                {u"errors"_s, QJsonArray::fromStringList(outcome.errors)}});
    }
    std::fflush(text);
    rt.stop();
    if (!args.jsonPath.isEmpty()) {
        const QByteArray bytes = QJsonDocument(QJsonObject{{u"runs"_s, runs}}).toJson(QJsonDocument::Indented);
        if (jsonToStdout) {
            std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
        } else {
            QSaveFile file(args.jsonPath);
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
                return fail(EvalRunCli::tr("cannot write %1: %2").arg(args.jsonPath, file.errorString()), kExitUsage);
        }
    }
    return failed ? kExitFailed : kExitOk;
}

} // namespace boo
