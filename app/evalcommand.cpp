#include "app/evalcommand.h"

#include "app/evalrun.h"
#include "core/providers/providerregistry.h"

#include "core/evals/evalsuiteparser.h"
#include "core/evals/suitecheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

// Translation context for these commands (lupdate needs a named one).
struct EvalCli
{
    Q_DECLARE_TR_FUNCTIONS(EvalCli)
};

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoSandbox = 3;

void print(std::FILE *stream, const QString &text)
{
    std::fputs(qUtf8Printable(text), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

int usageError(const QString &message)
{
    print(stderr, u"boocontrol eval: "_s + message);
    print(stderr, EvalCli::tr("usage: boocontrol eval --check-suite SUITE.yaml [--json FILE] [--concurrency N]"));
    print(stderr,
          EvalCli::tr("       boocontrol eval SUITE.yaml --targets PROVIDER/MODEL,... [--json FILE] [--db URL] [--providers FILE] "
                      "[--demo] [--force] [--concurrency N]"));
    return kExitUsage;
}

// `--json -` writes to stdout; a file is replaced whole or not at all.
bool writeJson(const QString &path, const QJsonDocument &document)
{
    const QByteArray bytes = document.toJson(QJsonDocument::Indented);
    if (path == u"-") {
        std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        print(stderr, EvalCli::tr("boocontrol eval: cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

int checkSuites(const QString &path, const QString &jsonPath, int concurrency)
{
    const auto suites = EvalSuiteParser::parseFile(path);
    if (!suites) {
        print(stderr, u"boocontrol eval: "_s + suites.error().message);
        return kExitUsage;
    }
    bool anyCode = false;
    for (const EvalSuite &suite : *suites)
        anyCode = anyCode || suite.kind == EvalKind::Code;
    std::optional<CodeSandbox> sandbox;
    if (anyCode) {
        auto located = CodeSandbox::locate();
        if (!located) {
            print(stderr, u"boocontrol eval: "_s + located.error().message);
            return kExitNoSandbox;
        }
        sandbox.emplace(*located);
    }

    const bool jsonToStdout = jsonPath == u"-";
    std::FILE *text = jsonToStdout ? stderr : stdout;
    QJsonArray tasks;
    int passed = 0;
    int total = 0;
    for (const EvalSuite &suite : *suites) {
        if (suite.kind != EvalKind::Code) {
            print(text,
                  EvalCli::tr("%1 (version %2): a chat suite, nothing to run; its judge scores the answers")
                      .arg(suite.name)
                      .arg(suite.version));
            continue;
        }
        for (const TaskCheck &check : checkSuiteReferences(suite, *sandbox, concurrency)) {
            ++total;
            if (check.verdict == SandboxVerdict::Passed)
                ++passed;
            tasks.append(check.toJson());
            const QString verdict = enumName(kSandboxVerdictNames, check.verdict).toString();
            QString line
                = u"%1/%2  %3  %4 s"_s.arg(suite.name, check.id, verdict.leftJustified(10)).arg(check.elapsedMs / 1000.0, 0, 'f', 2);
            if (!check.detail.isEmpty())
                line += u"  "_s + check.detail;
            print(text, line);
        }
    }
    print(text, EvalCli::tr("%1: %2 of %3 references passed their tests").arg(path).arg(passed).arg(total));
    if (!jsonPath.isEmpty() && !writeJson(jsonPath, QJsonDocument(QJsonObject{{u"tasks"_s, tasks}})))
        return kExitUsage;
    return passed == total ? kExitPassed : kExitFailed;
}

} // namespace

bool isEvalCommand(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], "eval") == 0;
}

int runEvalCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"boocontrol"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(BOO_VERSION_STRING));
    QCommandLineParser parser;
    parser.setApplicationDescription(EvalCli::tr("Quality evals. --check-suite runs every code task's reference with its tests in "
                                                 "the bubblewrap sandbox, proving the suite before a model is scored with it."));
    parser.addHelpOption();
    const QCommandLineOption check(u"check-suite"_s, EvalCli::tr("Check the suite file's references in the sandbox."),
                                   EvalCli::tr("SUITE.yaml"));
    const QCommandLineOption json(u"json"_s, EvalCli::tr("Write {\"tasks\": [{\"id\", \"verdict\", \"detail\"}]} to FILE (- for stdout)."),
                                  EvalCli::tr("FILE"));
    const QCommandLineOption concurrency(u"concurrency"_s, EvalCli::tr("Sandboxes running at once (1 to 64, default 4)."), EvalCli::tr("N"),
                                         u"4"_s);
    const QCommandLineOption targets(
        u"targets"_s, EvalCli::tr("Run the suite file against these targets (provider/model, comma-separated)."), EvalCli::tr("LIST"));
    const QCommandLineOption db(u"db"_s, EvalCli::tr("History database URL for the run and its results (default: the local SQLite file)."),
                                EvalCli::tr("URL"));
    const QCommandLineOption providers(u"providers"_s, EvalCli::tr("Provider registry file (default: the user's providers.yaml)."),
                                       EvalCli::tr("FILE"));
    const QCommandLineOption demo(u"demo"_s, EvalCli::tr("Run against the simulated demo fleet (its own demo.sqlite unless --db)."));
    const QCommandLineOption force(u"force"_s,
                                   EvalCli::tr("Run on hosts that are serving live traffic (never on a host leased by another)."));
    parser.addOptions({check, json, concurrency, targets, db, providers, demo, force});
    parser.addPositionalArgument(u"eval"_s, EvalCli::tr("The command."), u"eval"_s);
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        print(stdout, parser.helpText());
        return kExitPassed;
    }
    QStringList arguments = parser.positionalArguments();
    arguments.removeFirst(); // "eval"
    bool ok = false;
    const int workers = parser.value(concurrency).toInt(&ok);
    if (!ok || workers < 1 || workers > 64)
        return usageError(EvalCli::tr("--concurrency must be a whole number from 1 to 64"));
    if (!parser.isSet(check)) {
        if (arguments.isEmpty())
            return usageError(EvalCli::tr("a suite file (or --check-suite SUITE.yaml) is needed"));
        if (arguments.size() > 1)
            return usageError(EvalCli::tr("unexpected argument '%1'").arg(arguments.at(1)));
        EvalRunArgs run;
        run.suitePath = arguments.constFirst();
        run.targets = parser.value(targets).split(u',', Qt::SkipEmptyParts);
        if (run.targets.isEmpty())
            return usageError(EvalCli::tr("--targets is needed: the models to run the suite against"));
        run.jsonPath = parser.value(json);
        run.db = parser.value(db);
        run.demo = parser.isSet(demo);
        run.force = parser.isSet(force);
        run.providersPath = parser.isSet(providers) ? parser.value(providers) : ProviderRegistry::defaultPath();
        run.concurrency = workers;
        return runEvalSuites(run);
    }
    if (!arguments.isEmpty())
        return usageError(EvalCli::tr("unexpected argument '%1'").arg(arguments.constFirst()));
    return checkSuites(parser.value(check), parser.value(json), workers);
}

} // namespace boo
