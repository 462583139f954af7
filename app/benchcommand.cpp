#include "app/benchcommand.h"

#include "app/benchdevicecommand.h"
#include "app/benchhostwatch.h"
#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/bench/benchhostaccess.h"
#include "core/bench/benchregression.h"
#include "core/bench/benchrunner.h"
#include "core/bench/benchstore.h"
#include "core/bench/benchsuiteparser.h"
#include "core/providers/providerfileparser.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/store/database.h"
#include "core/store/databaseurl.h"
#include "core/store/migrations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Translation context for the bench command line.
struct BenchCli
{
    Q_DECLARE_TR_FUNCTIONS(BenchCli)
};

// Exit codes (docs/bench.md).
constexpr int kExitOk = 0;
constexpr int kExitUnavailable = 1; // database, providers, demo fleet or a host unreachable
constexpr int kExitUsage = 2;       // bad command line or suite file
constexpr int kExitRefused = 3;     // a host was refused: leased by another run, busy, down
constexpr int kExitRegression = 4;  // --baseline given and a cell regressed
constexpr int kExitNoSuccess = 5;   // a cell where every request failed

// How long the command watches its hosts' traffic before it asks for them.
constexpr int kHostWatchMs = 10000;

int fail(const QString &message, int code)
{
    std::fprintf(stderr, "boocontrol bench: %s\n", qUtf8Printable(message));
    return code;
}

void out(const QString &text)
{
    std::fputs(qUtf8Printable(text), stdout);
    std::fflush(stdout);
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QString pad(const QString &text, int width)
{
    return text.leftJustified(width);
}

// The table `bench run` and `bench show` print: one line per cell.
QString cellTable(const BenchRunResult &run)
{
    QString text = u"%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13\n"_s
                       .arg(pad(u"target"_s, 28), pad(u"load"_s, 11), pad(u"prompt"_s, 6), pad(u"req"_s, 5), pad(u"err"_s, 4),
                            pad(u"ttft p50/p99 ms"_s, 17), pad(u"tpot p50"_s, 8), pad(u"itl p50"_s, 7), pad(u"e2e p50"_s, 8),
                            pad(u"req/s"_s, 7), pad(u"out tok/s"_s, 9), pad(u"goodput"_s, 7))
                       .arg(u"foreign  flags"_s);
    for (const BenchCell &c : run.cells) {
        const QString ttft = c.ttftMs.count ? fixed(c.ttftMs.p50) + u" / "_s + fixed(c.ttftMs.p99) : u"-"_s;
        text += u"%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13\n"_s
                    .arg(pad(c.target.text, 28), pad(c.loadLabel(), 11), pad(QString::number(c.promptTokens), 6),
                         pad(QString::number(c.requests), 5), pad(QString::number(c.errors), 4), pad(ttft, 17),
                         pad(c.tpotMs.count ? fixed(c.tpotMs.p50, 2) : u"-"_s, 8), pad(c.itlMs.count ? fixed(c.itlMs.p50, 2) : u"-"_s, 7),
                         pad(c.e2eMs.count ? fixed(c.e2eMs.p50) : u"-"_s, 8), pad(fixed(c.reqPerS, 2), 7))
                    .arg(pad(fixed(c.outputTokPerS), 9), pad(fixed(c.goodputReqPerS, 2), 7),
                         pad(c.foreignRequests ? QString::number(*c.foreignRequests) : u"?"_s, 8) + u' ' + c.flags.join(u','));
    }
    for (auto it = run.coldStartMs.cbegin(); it != run.coldStartMs.cend(); ++it)
        text += u"cold start %1: %2 ms\n"_s.arg(it.key(), fixed(it.value()));
    for (auto it = run.coldStartErrors.cbegin(); it != run.coldStartErrors.cend(); ++it)
        text += u"cold start %1: not measured (%2)\n"_s.arg(it.key(), it.value());
    return text;
}

Result<std::unique_ptr<Database>> openDatabase(const QString &url, bool demo)
{
    DatabaseUrl where = DatabaseUrl::defaultSqlite();
    if (!url.isEmpty()) {
        auto parsed = DatabaseUrl::parse(url);
        if (!parsed)
            return parsed.error();
        where = *parsed;
    } else if (demo) {
        // Measurements of simulated hosts do not belong in the user's real history.
        where.sqlitePath = QFileInfo(where.sqlitePath).absolutePath() + u"/demo.sqlite"_s;
    }
    auto db = Database::open(where, u"bench"_s);
    if (!db)
        return db.error();
    if (auto migrated = Migrations::migrate(**db); !migrated)
        return migrated.error();
    return db;
}

struct RunOptions
{
    QString suitePath;
    QString db;
    bool store = true;
    QString providersPath;
    bool providersExplicit = false;
    bool demo = false;
    bool force = false;
    QString server;
    QString token;
    QString jsonPath;
    std::optional<qint64> baseline;
};

// The routes of every target: through the gateway of --server, or straight to the hosts of the
// registry (or of --demo). A virtual model needs a gateway.
Result<QMap<QString, BenchTargetRoute>> routesFor(const BenchSuite &suite, const RunOptions &options,
                                                  const QList<ProviderConfig> &providers)
{
    QMap<QString, BenchTargetRoute> routes;
    QMap<QString, ProviderConfig> byId;
    for (const ProviderConfig &p : providers)
        byId.insert(p.id, p);
    const auto hostOf = [&](const ProviderConfig &p) -> Result<HostEndpoint> {
        const auto key = p.apiKey ? SecretResolver::resolveNow(*p.apiKey) : Result<QString>(QString());
        if (!key)
            return makeError(u"bench.provider"_s, u"provider %1: %2"_s.arg(p.id, key.error().message));
        return HostEndpoint(p.baseUrl, *key);
    };
    for (const BenchTarget &target : suite.targets) {
        BenchTargetRoute route;
        route.endpoint.source = u"bench:"_s + suite.name;
        const bool known = !target.isVirtual() && byId.contains(target.provider);
        if (known) {
            auto host = hostOf(byId[target.provider]);
            if (!host)
                return host.error();
            route.host = *host;
            route.endpoint.providerId = target.provider;
        }
        if (!options.server.isEmpty()) {
            ProviderConfig gateway;
            gateway.id = options.server;
            gateway.baseUrl = QUrl(options.server);
            route.endpoint.upstream = UpstreamTarget::fromProvider(gateway, options.token);
            route.endpoint.viaGateway = true;
            route.endpoint.wireModel = target.text;
        } else if (target.isVirtual()) {
            return makeError(
                u"bench.target"_s,
                BenchCli::tr("target %1 is a virtual model: it needs a gateway (--server URL of a boocontrol --serve)").arg(target.text));
        } else if (!known) {
            return makeError(u"bench.target"_s,
                             BenchCli::tr("target %1: there is no provider \"%2\" in %3")
                                 .arg(target.text, target.provider, options.demo ? u"the demo fleet"_s : options.providersPath));
        } else {
            route.endpoint.upstream = UpstreamTarget::fromProvider(byId[target.provider], route.host->apiKey());
            route.endpoint.wireModel = target.model;
        }
        routes.insert(target.text, route);
    }
    return routes;
}

// A progress bar on a terminal, a line per cell otherwise (CI logs).
class ProgressPrinter
{
public:
    ProgressPrinter()
        : m_tty(isatty(fileno(stderr)) != 0)
    {
    }

    void update(int ended, int planned, const QString &cell)
    {
        if (!m_tty) {
            if (cell != m_lastCell) {
                std::fprintf(stderr, "bench: %s\n", qUtf8Printable(cell));
                m_lastCell = cell;
            }
            return;
        }
        const int width = 30;
        const int filled = planned > 0 ? ended * width / planned : 0;
        const QString bar = QString(filled, u'#') + QString(width - filled, u'.');
        std::fprintf(stderr, "\r[%s] %3d%% %d/%d %s\x1b[K", qUtf8Printable(bar), planned ? ended * 100 / planned : 0, ended, planned,
                     qUtf8Printable(cell));
    }
    void done()
    {
        if (m_tty)
            std::fputs("\n", stderr);
    }

private:
    bool m_tty;
    QString m_lastCell;
};

int runSuite(const RunOptions &options)
{
    auto suite = BenchSuiteParser::parseFile(options.suitePath);
    if (!suite)
        return fail(suite.error().message, kExitUsage);
    QFile source(options.suitePath);
    const QString suiteSource = source.open(QIODevice::ReadOnly) ? QString::fromUtf8(source.readAll()) : QString();

    std::unique_ptr<Database> db;
    if (options.store) {
        auto opened = openDatabase(options.db, options.demo);
        if (!opened)
            return fail(opened.error().message, kExitUnavailable);
        db = std::move(*opened);
    }

    SimFleetThread demo;
    QList<ProviderConfig> providers;
    if (options.demo) {
        auto endpoints = demo.start(SimFleet::demoPreset(0));
        if (!endpoints)
            return fail(u"--demo: "_s + endpoints.error().message, kExitUnavailable);
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
    } else if (options.providersExplicit || QFileInfo::exists(options.providersPath)) {
        const ProviderFile file = ProviderFileParser::read(options.providersPath);
        for (const ProviderFileProblem &problem : file.problems)
            std::fprintf(stderr, "boocontrol bench: %s\n", qUtf8Printable(problem.toString()));
        providers = file.providers;
    }
    auto routes = routesFor(*suite, options, providers);
    if (!routes)
        return fail(routes.error().message, kExitUsage);

    // Every host measured directly goes through the AccessGate (docs/bench.md, "host access"):
    // watched for a moment to see its traffic, then leased to this run or refused. Without a
    // history database (--no-store) the leases live in a throwaway one: the traffic check holds.
    QTemporaryDir scratch;
    std::unique_ptr<Database> scratchDb;
    Database *leaseDb = db.get();
    if (!leaseDb) {
        DatabaseUrl where = DatabaseUrl::defaultSqlite();
        where.sqlitePath = scratch.filePath(u"leases.sqlite"_s);
        auto opened = Database::open(where, u"bench-leases"_s);
        if (!opened || !Migrations::migrate(**opened))
            return fail(BenchCli::tr("cannot open a scratch database for the host leases"), kExitUnavailable);
        scratchDb = std::move(*opened);
        leaseDb = scratchDb.get();
    }
    const QList<BenchHostClaim> claims = BenchHostAccess::claimsFor(*suite, *routes);
    QList<ProviderConfig> watched;
    QStringList claimedIds;
    for (const BenchHostClaim &claim : claims)
        claimedIds << claim.providerId;
    for (const ProviderConfig &p : std::as_const(providers)) {
        if (claimedIds.contains(p.id))
            watched << p;
    }
    BenchHostWatch watch(watched);
    watch.waitUntilSeen(claimedIds, kHostWatchMs);
    LeaseBook leaseBook(leaseDb);
    AccessGate gate(watch.fleet(), &leaseBook, leaseDb);
    BenchHostAccess access(&gate, &leaseBook);
    auto granted = access.acquire(claims, u"bench:"_s + suite->name,
                                  options.force ? HostAccessRequest::WhenBusy::Force : HostAccessRequest::WhenBusy::Refuse);
    if (!granted) {
        QString message = BenchCli::tr("refused: %1").arg(granted.error().message);
        if (granted.error().code == u"bench.busy")
            message += BenchCli::tr(" (--force runs anyway, and is recorded as forced)");
        return fail(message, granted.error().code.startsWith(u"bench.") ? kExitRefused : kExitUnavailable);
    }
    for (const HostAccessDecision &decision : std::as_const(*granted)) {
        if (decision.forced)
            std::fprintf(stderr, "boocontrol bench: %s: %s\n", qUtf8Printable(decision.lease->providerId), qUtf8Printable(decision.reason));
    }

    BenchRunner runner(*suite, *routes);
    ProgressPrinter progress;
    QObject::connect(&runner, &BenchRunner::progress,
                     [&progress](int ended, int planned, const QString &cell) { progress.update(ended, planned, cell); });
    QEventLoop loop;
    QObject::connect(&runner, &BenchRunner::finished, &loop, &QEventLoop::quit);
    runner.start();
    loop.exec();
    progress.done();
    access.release();

    BenchRunResult run = runner.result();
    if (!options.server.isEmpty())
        run.via = options.server;
    int exitCode = kExitOk;
    QList<BenchRegressionFinding> findings;
    if (db) {
        auto id = BenchStore::save(*db, run, suiteSource);
        if (!id)
            return fail(BenchCli::tr("the run could not be stored: %1").arg(id.error().message), kExitUnavailable);
        run.id = *id;
        std::optional<qint64> baselineId = options.baseline;
        if (!baselineId) {
            auto found = BenchStore::baselineFor(*db, suite->name, run.id);
            if (found)
                baselineId = *found;
        }
        if (baselineId) {
            auto baseline = BenchStore::load(*db, *baselineId);
            if (!baseline)
                return fail(BenchCli::tr("--baseline: %1").arg(baseline.error().message), kExitUsage);
            if (baseline->suite.name != suite->name)
                return fail(BenchCli::tr("--baseline: run %1 is of suite \"%2\", not \"%3\"")
                                .arg(*baselineId)
                                .arg(baseline->suite.name, suite->name),
                            kExitUsage);
            findings = BenchRegression::compare(run, *baseline);
            (void)BenchStore::recordComparison(*db, run.id, *baselineId, int(findings.size()));
            // The comparison added flags: store them with the cells.
            if (auto flagged = BenchStore::updateCells(*db, run); !flagged)
                return fail(flagged.error().message, kExitUnavailable);
            if (options.baseline && !findings.isEmpty())
                exitCode = kExitRegression;
        }
    }

    const QByteArray json = QJsonDocument(run.toJson()).toJson(QJsonDocument::Indented);
    const bool jsonToStdout = options.jsonPath == u"-";
    QString report = u"suite %1, run %2 (%3)\n"_s.arg(suite->name, run.id ? QString::number(run.id) : u"not stored"_s, run.via);
    report += cellTable(run);
    for (const BenchRegressionFinding &f : findings)
        report += u"regression: "_s + f.describe() + u'\n';
    if (jsonToStdout) {
        std::fputs(qUtf8Printable(report), stderr);
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
    } else {
        out(report);
        if (!options.jsonPath.isEmpty()) {
            QFile file(options.jsonPath);
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size())
                return fail(BenchCli::tr("--json: cannot write %1: %2").arg(options.jsonPath, file.errorString()), kExitUnavailable);
        }
    }
    if (exitCode == kExitOk) {
        for (const BenchCell &cell : run.cells) {
            if (cell.requests > 0 && cell.errors == cell.requests)
                exitCode = kExitNoSuccess;
        }
    }
    return exitCode;
}

int listRuns(const QString &dbUrl, const QString &suite, bool demo)
{
    auto db = openDatabase(dbUrl, demo);
    if (!db)
        return fail(db.error().message, kExitUnavailable);
    auto runs = BenchStore::list(**db, suite, 100);
    if (!runs)
        return fail(runs.error().message, kExitUnavailable);
    out(u"%1 %2 %3 %4 %5 %6 %7\n"_s.arg(pad(u"run"_s, 6), pad(u"suite"_s, 20), pad(u"started (UTC)"_s, 21), pad(u"cells"_s, 6),
                                        pad(u"requests"_s, 9), pad(u"errors"_s, 7), u"compared with / regressions"_s));
    for (const BenchRunSummary &r : *runs) {
        QString comparison = r.comparedWith ? u"#%1: %2"_s.arg(*r.comparedWith).arg(r.regressions) : u"-"_s;
        if (r.baseline)
            comparison += u" (baseline)"_s;
        out(u"%1 %2 %3 %4 %5 %6 %7\n"_s.arg(pad(QString::number(r.id), 6), pad(r.suite, 20), pad(timeText(r.startedAtMs), 21),
                                            pad(QString::number(r.cells), 6), pad(QString::number(r.requests), 9),
                                            pad(QString::number(r.errors), 7), comparison));
    }
    return kExitOk;
}

int showRun(const QString &dbUrl, qint64 id, bool json, bool demo)
{
    auto db = openDatabase(dbUrl, demo);
    if (!db)
        return fail(db.error().message, kExitUnavailable);
    auto run = BenchStore::load(**db, id);
    if (!run)
        return fail(run.error().message, run.error().code == u"bench.unknown_run" ? kExitUsage : kExitUnavailable);
    if (json) {
        out(QString::fromUtf8(QJsonDocument(run->toJson()).toJson(QJsonDocument::Indented)));
        return kExitOk;
    }
    out(u"suite %1, run %2, %3 - %4 (%5)\n"_s.arg(run->suite.name)
            .arg(id)
            .arg(timeText(run->startedAtMs), timeText(run->finishedAtMs), run->via));
    for (const BenchHostInfo &host : std::as_const(run->hosts))
        out(u"host %1: llama-swap %2, %3\n"_s.arg(host.providerId, host.version.isEmpty() ? u"?"_s : host.version,
                                                  host.gpus.isEmpty() ? u"no GPU reported"_s : host.gpus.join(u", "_s)));
    out(cellTable(*run));
    return kExitOk;
}

int setBaseline(const QString &dbUrl, qint64 id, bool unset, bool demo)
{
    auto db = openDatabase(dbUrl, demo);
    if (!db)
        return fail(db.error().message, kExitUnavailable);
    if (auto marked = BenchStore::setBaseline(**db, id, !unset); !marked)
        return fail(marked.error().message, marked.error().code == u"bench.unknown_run" ? kExitUsage : kExitUnavailable);
    out(unset ? BenchCli::tr("run %1 is no longer a baseline\n").arg(id)
              : BenchCli::tr("run %1 is now the baseline of its suite\n").arg(id));
    return kExitOk;
}

} // namespace

int runBenchCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"boocontrol"_s);
    QCoreApplication::setOrganizationDomain(u"boocontrol.dev"_s);

    QStringList arguments = app.arguments();
    arguments.removeAt(1); // "bench"
    // `device` has options of its own (its --json is a switch, run's takes a file).
    if (arguments.value(1) == u"device")
        return runBenchDeviceCommand(arguments);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        BenchCli::tr("Serving benchmarks of llama-swap hosts (docs/bench.md).\n\n"
                     "  boocontrol bench run SUITE.yaml   run a suite (also: boocontrol bench SUITE.yaml)\n"
                     "  boocontrol bench list             stored runs, newest first\n"
                     "  boocontrol bench show RUN         a stored run's cells\n"
                     "  boocontrol bench baseline RUN     mark a run as its suite's baseline (--unset to undo)\n"
                     "  boocontrol bench device HOST/MODEL  llama-bench on the host over SSH (see bench device --help)"));
    parser.addHelpOption();
    parser.addPositionalArgument(u"command"_s, BenchCli::tr("run, list, show or baseline"));
    const QCommandLineOption db(u"db"_s, BenchCli::tr("Database URL (sqlite:/path or postgres://...); default the user's history."),
                                u"URL"_s);
    const QCommandLineOption providers(u"providers"_s, BenchCli::tr("Provider registry file."), u"FILE"_s);
    const QCommandLineOption demo(u"demo"_s, BenchCli::tr("Benchmark the simulated demo fleet (its own demo.sqlite unless --db)."));
    const QCommandLineOption server(u"server"_s, BenchCli::tr("Send every request through the gateway of this boocontrol --serve."),
                                    u"URL"_s);
    const QCommandLineOption tokenFile(u"token-file"_s, BenchCli::tr("Bearer token of --server (or BOO_TOKEN)."), u"FILE"_s);
    const QCommandLineOption json(
        u"json"_s, BenchCli::tr("Write the run as JSON to FILE ('-': standard output, the table to standard error)."), u"FILE"_s);
    const QCommandLineOption baseline(u"baseline"_s, BenchCli::tr("Compare with this run and exit with 4 on a regression."), u"RUN"_s);
    const QCommandLineOption noStore(u"no-store"_s, BenchCli::tr("Do not store the run (no database needed)."));
    const QCommandLineOption suiteFilter(u"suite"_s, BenchCli::tr("list: only runs of this suite."), u"NAME"_s);
    const QCommandLineOption showJson(u"as-json"_s, BenchCli::tr("show: the run as JSON."));
    const QCommandLineOption unset(u"unset"_s, BenchCli::tr("baseline: remove the mark."));
    const QCommandLineOption force(u"force"_s,
                                   BenchCli::tr("run: measure a host even while it serves other traffic (recorded as forced; "
                                                "never over another holder's lease)."));
    parser.addOptions({db, providers, demo, server, tokenFile, json, baseline, noStore, suiteFilter, showJson, unset, force});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), kExitUsage);
    if (parser.isSet(u"help"_s)) {
        out(parser.helpText());
        return kExitOk;
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(BenchCli::tr("say what to do: run SUITE.yaml, list, show RUN or baseline RUN (see --help)"), kExitUsage);
    QString command = positional.takeFirst();
    if (command.endsWith(u".yaml") || command.endsWith(u".yml")) {
        positional.prepend(command);
        command = u"run"_s;
    }
    const auto runId = [&]() -> std::optional<qint64> {
        bool ok = false;
        const qint64 id = positional.value(0).toLongLong(&ok);
        return ok && id > 0 && positional.size() == 1 ? std::optional(id) : std::nullopt;
    };

    if (command == u"run") {
        if (positional.size() != 1)
            return fail(BenchCli::tr("run takes one suite file"), kExitUsage);
        RunOptions options;
        options.suitePath = positional.constFirst();
        options.db = parser.value(db);
        options.store = !parser.isSet(noStore);
        options.providersExplicit = parser.isSet(providers);
        options.providersPath = options.providersExplicit ? parser.value(providers) : ProviderRegistry::defaultPath();
        options.demo = parser.isSet(demo);
        options.force = parser.isSet(force);
        options.server = parser.value(server);
        options.jsonPath = parser.value(json);
        if (options.demo && options.providersExplicit)
            return fail(BenchCli::tr("--demo benchmarks the simulated fleet; it cannot be combined with --providers"), kExitUsage);
        if (!options.server.isEmpty()) {
            const QUrl url(options.server);
            if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
                return fail(BenchCli::tr("--server '%1': expected http://host:port of a boocontrol --serve").arg(options.server),
                            kExitUsage);
        }
        options.token = qEnvironmentVariable("BOO_TOKEN");
        if (parser.isSet(tokenFile)) {
            QFile file(parser.value(tokenFile));
            if (!file.open(QIODevice::ReadOnly))
                return fail(BenchCli::tr("--token-file: cannot read '%1': %2").arg(file.fileName(), file.errorString()), kExitUsage);
            options.token = QString::fromUtf8(file.readAll()).trimmed();
        }
        if (parser.isSet(baseline)) {
            bool ok = false;
            const qint64 id = parser.value(baseline).toLongLong(&ok);
            if (!ok || id <= 0)
                return fail(BenchCli::tr("--baseline '%1': expected a run id (see bench list)").arg(parser.value(baseline)), kExitUsage);
            if (!options.store)
                return fail(BenchCli::tr("--baseline compares with stored runs; it cannot be combined with --no-store"), kExitUsage);
            options.baseline = id;
        }
        return runSuite(options);
    }
    if (command == u"list") {
        if (!positional.isEmpty())
            return fail(BenchCli::tr("list takes no arguments (use --suite NAME)"), kExitUsage);
        return listRuns(parser.value(db), parser.value(suiteFilter), parser.isSet(demo));
    }
    if (command == u"show" || command == u"baseline") {
        const auto id = runId();
        if (!id)
            return fail(BenchCli::tr("%1 takes one run id (see bench list)").arg(command), kExitUsage);
        if (command == u"show")
            return showRun(parser.value(db), *id, parser.isSet(showJson), parser.isSet(demo));
        return setBaseline(parser.value(db), *id, parser.isSet(unset), parser.isSet(demo));
    }
    return fail(BenchCli::tr("unknown command '%1': run, list, show or baseline").arg(command), kExitUsage);
}

} // namespace boo
