// boocontrol: the command line, the choice between QApplication and QCoreApplication, and the
// wiring of the modules for each mode. Everything else lives in core/, models/ and views/.

#include "app/benchcommand.h"
#include "app/configcommand.h"
#include "app/evalcommand.h"
#include "app/keyscommand.h"
#include "core/actions/leasebook.h"
#include "core/alerts/alertconfig.h"
#include "core/alerts/alertdelivery.h"
#include "core/alerts/alertservice.h"
#include "core/bench/benchjobs.h"
#include "core/client/cockpitsettings.h"
#include "core/common/logging.h"
#include "core/gateway/gateway.h"
#include "core/providers/providerregistry.h"
#include "core/remote/configjobs.h"
#include "core/runtime/fleetruntime.h"
#include "core/server/benchapi.h"
#include "core/server/configapi.h"
#include "core/server/controlserver.h"
#include "core/server/leasesapi.h"
#ifdef Q_OS_LINUX
#include "core/server/epolleventdispatcher.h"
#endif
#include "core/common/terminationsignals.h"
#include "core/server/alertsapi.h"
#include "core/server/benchregressionalerts.h"
#include "core/server/configrollbackalerts.h"
#include "core/server/keylimitalerts.h"
#include "core/server/listenaddress.h"
#include "core/sim/simfleet.h"
#include "core/sim/simfleetthread.h"
#include "core/store/retentionspec.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#if BOO_WITH_GUI
#include "core/client/remotefleetclient.h"
#include "views/desktopapp.h"

#include <QApplication>
#endif

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Translation context for the command line (lupdate needs a named context, not a lambda).
struct Cli
{
    Q_DECLARE_TR_FUNCTIONS(Cli)
};

struct CommandLine
{
    bool serve = false;
    bool demo = false;
    QString attachUrl;
    boo::DatabaseUrl database;
    bool databaseExplicit = false;
    QString providersPath;
    bool providersExplicit = false;
    boo::ListenAddress listen;
    QString token;
    qint64 maxBodyBytes = boo::GatewayOptions().maxBodyBytes;
    boo::RetentionPolicy retention; // --serve's windows; the desktop keeps them in its settings
    boo::HttpServerLimits limits;
    boo::AlertConfig alerts; // --alerts FILE: sinks, retries, rule thresholds (docs/alerts.md)
};

bool hasFlag(int argc, char **argv, std::initializer_list<const char *> flags)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : flags) {
            if (std::strcmp(argv[i], flag) == 0)
                return true;
        }
    }
    return false;
}

// --serve waits with epoll (core/server/epolleventdispatcher.h); BOO_EVENT_LOOP=qt keeps Qt's
// own loop, to compare or to rule ours out. Must happen before the application object exists.
void installServerEventLoop(int argc, char **argv)
{
#ifdef Q_OS_LINUX
    if (hasFlag(argc, argv, {"--serve"}) && qgetenv("BOO_EVENT_LOOP") != "qt") {
        if (auto *dispatcher = boo::EpollEventDispatcher::create())
            QCoreApplication::setEventDispatcher(dispatcher);
    }
#else
    Q_UNUSED(argc);
    Q_UNUSED(argv);
#endif
}

#if BOO_WITH_GUI
// Modes that print and exit, or run headless, must not need a display: decide before the
// application object exists (QApplication aborts without one).
bool runsWithoutDisplay(int argc, char **argv)
{
    return boo::KeysCommand::requested(argc, argv) || hasFlag(argc, argv, {"--serve", "--help", "-h", "--help-all", "--version", "-v"});
}

// QApplication aborts with a platform-plugin message when there is no display; say it plainly.
bool displayAvailable()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
#else
    return true;
#endif
}
#endif

int fail(const QString &message, int exitCode = 2)
{
    std::fprintf(stderr, "boocontrol: %s\n", qUtf8Printable(message));
    return exitCode;
}

// The system's language, or the one chosen in Settings (ui/language, read here only: a change
// applies from the next start). The default locale follows it, so numbers and dates match the
// words. English has a translation too: the plural forms of "%n request(s)".
void installTranslations(QCoreApplication &app)
{
    const QSettings settings;
    const QLocale locale = boo::CockpitSettings::uiLocale(boo::CockpitSettings::storedLanguage(settings));
    QLocale::setDefault(locale);
    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    auto *ownTranslator = new QTranslator(&app);
    if (ownTranslator->load(boo::CockpitSettings::translationLocale(locale), u"boocontrol"_s, u"_"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(ownTranslator);
}

boo::Result<CommandLine> parseCommandLine(const QCoreApplication &app, QCommandLineParser &parser)
{
    parser.setApplicationDescription(Cli::tr("BooControl: watch, record and steer a fleet of llama-swap inference hosts.\n"
                                             "Serving benchmarks: boocontrol bench --help. Quality evals: boocontrol eval --help."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serve(u"serve"_s,
                                   Cli::tr("Run headless: ingest, history, gateway and control API on --listen. Needs no display."));
    const QCommandLineOption demo(u"demo"_s,
                                  Cli::tr("Use a simulated fleet of llama-swap hosts on loopback instead of the configured providers."));
    const QCommandLineOption attach(u"attach"_s, Cli::tr("Show the fleet of a remote 'boocontrol --serve' (e.g. ws://server:9503)."),
                                    Cli::tr("URL"));
    const QCommandLineOption db(u"db"_s,
                                Cli::tr("History database: sqlite:/path/file.sqlite or postgres://user:pass@host:port/db. Default: %1.")
                                    .arg(boo::DatabaseUrl::defaultSqlite().displayString()),
                                Cli::tr("URL"));
    const QCommandLineOption providers(
        u"providers"_s, Cli::tr("Provider registry file. Default: %1.").arg(boo::ProviderRegistry::defaultPath()), Cli::tr("FILE"));
    const QCommandLineOption listen(u"listen"_s, Cli::tr("Address and port of the server in --serve mode."), Cli::tr("ADDR:PORT"),
                                    u"127.0.0.1:9503"_s);
    const QCommandLineOption tokenFile(u"token-file"_s,
                                       Cli::tr("File holding the bearer token clients of --serve must send (or set BOO_TOKEN). "
                                               "Required when --listen is not a loopback address. With --attach: "
                                               "the token to send to the server."),
                                       Cli::tr("FILE"));
    const QCommandLineOption maxBody(u"max-body-mb"_s,
                                     Cli::tr("Largest request body the gateway (/v1/*) accepts, in MiB; larger ones get 413 "
                                             "before they are read. Default: 32."),
                                     Cli::tr("MIB"));
    const QCommandLineOption retention(u"retention"_s,
                                       Cli::tr("How long --serve keeps history, in days per kind, e.g. requests=30,raw-perf=2 "
                                               "(keys: requests, model-events, raw-perf, perf-rollup). Default: %1.")
                                           .arg(boo::RetentionSpec::describe(boo::RetentionPolicy())),
                                       Cli::tr("SPEC"));
    QStringList limitNames;
    for (const boo::HttpServerLimits::Field &field : boo::HttpServerLimits::fields())
        limitNames << u"%1 (%2, default %3)"_s.arg(field.name, field.description).arg(field.defaultValue);
    const QCommandLineOption httpLimit(
        u"http-limit"_s, Cli::tr("Set a limit of the --serve listener, repeatable (docs/security.md): %1.").arg(limitNames.join(u"; "_s)),
        Cli::tr("NAME=VALUE"));
    const QCommandLineOption alerts(u"alerts"_s,
                                    Cli::tr("Alerts file of --serve: webhook sinks (json, ntfy, gotify, slack), retries and rule "
                                            "thresholds (docs/alerts.md)."),
                                    Cli::tr("FILE"));
    parser.addOptions({serve, demo, attach, db, providers, listen, tokenFile, maxBody, httpLimit, retention, alerts});
    parser.process(app);

    if (!parser.positionalArguments().isEmpty())
        return boo::makeError(u"cli"_s, Cli::tr("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().constFirst()));

    CommandLine cli;
    cli.serve = parser.isSet(serve);
    cli.demo = parser.isSet(demo);
    cli.attachUrl = parser.value(attach);
    if (cli.serve && parser.isSet(attach))
        return boo::makeError(u"cli"_s, Cli::tr("--attach shows a remote server's fleet and cannot be combined with --serve"));
    if (parser.isSet(db)) {
        auto url = boo::DatabaseUrl::parse(parser.value(db));
        if (!url)
            return url.error();
        cli.database = *url;
        cli.databaseExplicit = true;
    } else {
        cli.database = boo::DatabaseUrl::defaultSqlite();
    }
    cli.providersExplicit = parser.isSet(providers);
    cli.providersPath = cli.providersExplicit ? parser.value(providers) : boo::ProviderRegistry::defaultPath();
    if (cli.providersExplicit && !QFileInfo::exists(cli.providersPath))
        return boo::makeError(u"cli"_s, Cli::tr("--providers: file '%1' does not exist").arg(cli.providersPath));
    auto address = boo::ListenAddress::parse(parser.value(listen));
    if (!address)
        return address.error();
    cli.listen = *address;
    if (parser.isSet(tokenFile)) {
        QFile file(parser.value(tokenFile));
        if (!file.open(QIODevice::ReadOnly))
            return boo::makeError(u"cli"_s, Cli::tr("--token-file: cannot read '%1': %2").arg(file.fileName(), file.errorString()));
        cli.token = QString::fromUtf8(file.readAll()).trimmed();
        if (cli.token.isEmpty())
            return boo::makeError(u"cli"_s, Cli::tr("--token-file: '%1' is empty").arg(file.fileName()));
    } else {
        cli.token = qEnvironmentVariable("BOO_TOKEN").trimmed();
    }
    if (parser.isSet(maxBody)) {
        bool ok = false;
        const int mib = parser.value(maxBody).toInt(&ok);
        if (!ok || mib < 1 || mib > 4096)
            return boo::makeError(u"cli"_s,
                                  Cli::tr("--max-body-mb '%1': expected a whole number of MiB from 1 to 4096").arg(parser.value(maxBody)));
        cli.maxBodyBytes = qint64(mib) * 1024 * 1024;
    }
    if (parser.isSet(retention)) {
        // The desktop's windows are in its Settings dialog; two places to set them would disagree.
        if (!cli.serve)
            return boo::makeError(u"cli"_s, Cli::tr("--retention applies to --serve; the desktop sets it in Settings"));
        auto policy = boo::RetentionSpec::parse(parser.value(retention));
        if (!policy)
            return policy.error();
        cli.retention = *policy;
    }
    if (parser.isSet(alerts)) {
        // The desktop shows alerts in its tray; webhooks go out from the one server, not from each cockpit.
        if (!cli.serve)
            return boo::makeError(u"cli"_s, Cli::tr("--alerts applies to --serve; the desktop sends no webhooks"));
        auto config = boo::AlertConfig::load(parser.value(alerts));
        if (!config)
            return boo::makeError(config.error().code, u"--alerts "_s + config.error().message);
        cli.alerts = *config;
    }
    for (const QString &assignment : parser.values(httpLimit)) {
        if (auto applied = cli.limits.apply(assignment); !applied)
            return boo::makeError(u"cli"_s, u"--http-limit "_s + applied.error().message);
    }
    return cli;
}

// --demo: three simulated llama-swap hosts on loopback, in their own thread, as providers. Their
// API keys go through the environment like any other key (the registry never holds secrets).
boo::Result<QList<boo::ProviderConfig>> startDemoFleet(boo::SimFleetThread &fleet)
{
    auto endpoints = fleet.start(boo::SimFleet::demoPreset());
    if (!endpoints)
        return endpoints.error();
    QList<boo::ProviderConfig> providers;
    for (const boo::SimFleetEndpoint &endpoint : *endpoints) {
        boo::ProviderConfig provider;
        provider.id = endpoint.name;
        provider.name = Cli::tr("%1 (simulated, %2)").arg(endpoint.name, endpoint.compat);
        provider.baseUrl = endpoint.baseUrl;
        provider.tags = {u"demo"_s};
        if (!endpoint.apiKey.isEmpty()) {
            const QString variable = u"BOO_DEMO_KEY_"_s + endpoint.name.toUpper().replace(u'-', u'_');
            qputenv(variable.toLocal8Bit().constData(), endpoint.apiKey.toUtf8());
            provider.apiKey = boo::ApiKeyRef{boo::ApiKeyRef::Store::Environment, variable};
        }
        providers << provider;
    }
    return providers;
}

// The in-process fleet of `--serve` and of the desktop: the configured providers, or with
// --demo the simulated fleet (started here) and its own database file.
boo::Result<boo::RuntimeOptions> runtimeOptions(const CommandLine &cli, boo::SimFleetThread &demoFleet)
{
    boo::RuntimeOptions options;
    options.database = cli.database;
    options.providersPath = cli.providersPath;
    options.history.retention = cli.retention;
    if (cli.demo) {
        auto providers = startDemoFleet(demoFleet);
        if (!providers)
            return boo::makeError(providers.error().code, u"--demo: "_s + providers.error().message);
        options.fixedProviders = *providers;
        // Simulated history does not belong in the user's real database.
        if (!cli.databaseExplicit)
            options.database.sqlitePath = QFileInfo(options.database.sqlitePath).absolutePath() + u"/demo.sqlite"_s;
    }
    return options;
}

// `boocontrol --serve`: the live ingest, the history and the control API on one listener.
int runServe(const CommandLine &cli, QCoreApplication &app)
{
    boo::SimFleetThread demoFleet;
    auto prepared = runtimeOptions(cli, demoFleet);
    if (!prepared)
        return fail(prepared.error().message, 1);
    const boo::RuntimeOptions &options = *prepared;
    auto runtime = boo::FleetRuntime::create(options);
    if (!runtime)
        return fail(runtime.error().message, 1);
    // The gateway before the server that serves it: the server goes first at the end.
    boo::GatewayOptions gatewayOptions;
    gatewayOptions.maxBodyBytes = cli.maxBodyBytes;
    boo::Gateway gateway((*runtime)->fleet(), (*runtime)->registry(), (*runtime)->access(), (*runtime)->secrets(), (*runtime)->database(),
                         gatewayOptions);
    if (auto ready = gateway.start(); !ready)
        return fail(ready.error().message, 1);
    boo::ControlServer server((*runtime)->fleet(), (*runtime)->ingest(), (*runtime)->writer(), (*runtime)->database(),
                              {cli.listen, cli.token, options.database.displayString(), cli.limits});
    server.setHostServices((*runtime)->access(), (*runtime)->actions());
    server.addGateway(&gateway);
    boo::LeasesApi::install(server.http(), (*runtime)->accessGate(), (*runtime)->leases());
    // Benchmark runs started through the API (POST /api/bench/runs), refused over live traffic
    // unless forced, their progress on the WebSocket.
    boo::BenchJobs benchJobs((*runtime)->database(), (*runtime)->registry(), (*runtime)->access(), (*runtime)->accessGate(),
                             (*runtime)->leases());
    boo::BenchApi::installRuns(&server, &benchJobs);
    // Host config changes over SSH (GET/POST /api/hosts/{id}/config…), through the same gate.
    boo::ConfigJobs configJobs(
        (*runtime)->database(), (*runtime)->accessGate(), (*runtime)->leases(),
        boo::ConfigJobs::registryLookup((*runtime)->registry(), (*runtime)->access(), boo::ConfigHost::defaultKnownHostsFile()));
    boo::ConfigApi::install(&server, &configJobs);
    // A lease granted here reaches the gateway at once, not at its next periodic read.
    QObject::connect((*runtime)->leases(), &boo::LeaseBook::changed, &gateway, &boo::Gateway::refreshLeases);
    server.addMetricsSource([recorder = QPointer<boo::HistoryRecorder>((*runtime)->recorder())] {
        return recorder ? recorder->attributionMetricsText() : QByteArray();
    });
    boo::AlertService alerts((*runtime)->fleet(), cli.alerts);
    boo::AlertsApi::install(server.http(), alerts.delivery());
    boo::KeyLimitAlerts::install(gateway.keys(), alerts.monitor());
    boo::BenchRegressionAlerts::install(&benchJobs, alerts.monitor());
    boo::ConfigRollbackAlerts::install(&configJobs, alerts.monitor());
    server.addMetricsSource(
        [delivery = QPointer<boo::AlertDelivery>(alerts.delivery())] { return delivery ? delivery->metricsText() : QByteArray(); });
    if (auto started = server.start(); !started)
        return fail(started.error().message, 1);
    (*runtime)->start();
    qCInfo(lcApp).noquote() << "serving the gateway and the control API on"
                            << u"http://%1:%2"_s.arg(cli.listen.address.toString()).arg(server.port())
                            << (cli.token.isEmpty() ? "(no token)" : "(token required)");
    qCInfo(lcApp).noquote() << "keeping history:" << boo::RetentionSpec::describe(cli.retention);
    qCInfo(lcApp).noquote() << "alert sinks:" << cli.alerts.sinks.size() << "(GET /api/alerts)";
    boo::quitOnTerminationSignals(&app);
    const int exitCode = app.exec();
    qCInfo(lcApp) << "stopping";
    (*runtime)->stop();
    return exitCode;
}

#if BOO_WITH_GUI
// `boocontrol [--demo | --attach URL]`: the desktop cockpit (views/desktopapp.h).
int runDesktop(const CommandLine &cli, QApplication &app)
{
    boo::DesktopOptions desktop;
    desktop.attachUrl = cli.attachUrl;
    desktop.token = cli.token;
    desktop.demo = cli.demo;
    desktop.databaseExplicit = cli.databaseExplicit;
    if (!cli.attachUrl.isEmpty()) {
        if (auto url = boo::RemoteFleetClient::controlUrl(cli.attachUrl); !url)
            return fail(url.error().message);
        return boo::DesktopApp::run(app, desktop);
    }
    boo::SimFleetThread demoFleet;
    auto prepared = runtimeOptions(cli, demoFleet);
    if (!prepared)
        return fail(prepared.error().message, 1);
    desktop.runtime = *prepared;
    return boo::DesktopApp::run(app, desktop);
}
#endif

} // namespace

int main(int argc, char *argv[])
{
    if (boo::isConfigCommand(argc, argv)) // prints and exits: no display, database or network
        return boo::runConfigCommand(argc, argv);
    if (boo::isEvalCommand(argc, argv)) // the sandbox only: no display, database or network
        return boo::runEvalCommand(argc, argv);
    // `boocontrol bench ...` is a command line of its own (app/benchcommand.h), never a GUI.
    if (argc > 1 && std::strcmp(argv[1], "bench") == 0)
        return boo::runBenchCommand(argc, argv);
    std::unique_ptr<QCoreApplication> app;
    installServerEventLoop(argc, argv);
#if BOO_WITH_GUI
    if (!runsWithoutDisplay(argc, argv)) {
        if (!displayAvailable())
            return fail(Cli::tr("no display found (DISPLAY and WAYLAND_DISPLAY are unset): use --serve for the headless "
                                "server, or set QT_QPA_PLATFORM=offscreen"));
        app = std::make_unique<QApplication>(argc, argv);
    }
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"boocontrol"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(BOO_VERSION_STRING));
    QCoreApplication::setOrganizationDomain(u"boocontrol.dev"_s);
    installTranslations(*app);
    if (boo::KeysCommand::requested(argc, argv))
        return boo::KeysCommand::run(*app);

    QCommandLineParser parser;
    auto parsed = parseCommandLine(*app, parser);
    if (!parsed)
        return fail(parsed.error().message);
    const CommandLine &cli = *parsed;
    if (cli.serve)
        return runServe(cli, *app);
#if BOO_WITH_GUI
    return runDesktop(cli, static_cast<QApplication &>(*app));
#else
    return fail(Cli::tr("this build has no desktop cockpit (it was built with -DBOO_GUI=OFF); use --serve"), 3);
#endif
}
