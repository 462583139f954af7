// boo-simfleet: simulated llama-swap hosts on loopback, with a JSON control API.
// See docs/simfleet.md.

#include "core/sim/simcontrolserver.h"
#include "core/sim/simfleet.h"
#include "core/sim/simhost.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"boo-simfleet"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(BOO_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Simulated llama-swap hosts for BooControl tests, demos and benchmarks."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(u"host"_s,
                                        u"A host: name=h1,port=18101,models=a:b[,compat=current|v250|v235][,api-key=K][,tz=+02:00]"
                                        "[,load-ms=N][,ttl-ms=N][,perf-ms=N][,gpus=N][,rpm=N][,version=V]. Repeatable."_s,
                                        u"spec"_s);
    const QCommandLineOption demoOption(u"demo"_s, u"Add the three demo hosts (gpu-box, mac-studio, mini-box)."_s);
    const QCommandLineOption basePortOption(u"demo-base-port"_s, u"First port of the demo hosts (default: any)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption controlOption(u"control-port"_s, u"Port of the control API on 127.0.0.1 (0: any)."_s, u"port"_s, u"0"_s);
    parser.addOptions({hostOption, demoOption, basePortOption, controlOption});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QList<boo::SimHostConfig> configs;
    if (parser.isSet(demoOption))
        configs = boo::SimFleet::demoPreset(quint16(parser.value(basePortOption).toUInt()));
    for (const QString &spec : parser.values(hostOption)) {
        const auto config = boo::SimHostConfig::fromSpec(spec);
        if (!config) {
            err << config.error().message << '\n';
            return 2;
        }
        configs.append(*config);
    }
    if (configs.isEmpty()) {
        err << "nothing to simulate: give --host or --demo (see --help)\n";
        return 2;
    }

    boo::SimFleet fleet;
    for (const boo::SimHostConfig &config : std::as_const(configs)) {
        if (!fleet.addHost(config)) {
            err << "duplicate host name: " << config.name << '\n';
            return 2;
        }
    }
    const auto started = fleet.startAll();
    if (!started) {
        err << started.error().message << '\n';
        return 1;
    }
    boo::SimControlServer control(&fleet);
    const auto listening = control.listen(QHostAddress::LocalHost, quint16(parser.value(controlOption).toUInt()));
    if (!listening) {
        err << listening.error().message << '\n';
        return 1;
    }
    QObject::connect(&control, &boo::SimControlServer::quitRequested, &app, &QCoreApplication::quit);

    for (const boo::SimHost *h : fleet.hosts()) {
        out << h->name() << ' ' << h->baseUrl().toString() << " compat=" << boo::simCompatName(h->compat()) << " version=" << h->version()
            << '\n';
    }
    out << "control http://127.0.0.1:" << control.port() << '\n';
    out.flush();
    return app.exec();
}
