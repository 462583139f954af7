#include "app/configcommand.h"

#include "core/remote/configvalidator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

// Translation context for these commands (lupdate needs a named one).
struct ConfigCli
{
    Q_DECLARE_TR_FUNCTIONS(ConfigCli)
};

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

int usageError(const QString &message)
{
    std::fprintf(stderr, "boocontrol config: %s\n%s\n", qUtf8Printable(message),
                 qUtf8Printable(ConfigCli::tr("usage: boocontrol config validate FILE.yaml [--json]")));
    return kExitUsage;
}

void print(std::FILE *stream, const QString &text)
{
    std::fputs(qUtf8Printable(text), stream);
    std::fputc('\n', stream);
}

int validate(const QString &path, bool json)
{
    const auto report = ConfigValidator::validateFile(path);
    if (!report) {
        print(stderr, u"boocontrol config validate: "_s + report.error().message);
        return kExitUsage;
    }
    if (json) {
        print(stdout, QString::fromUtf8(QJsonDocument(report->toJson()).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        for (const ConfigFinding &finding : report->findings)
            print(stdout, finding.toText(path));
        const auto errors = report->errors().size();
        const auto warnings = report->warnings().size();
        print(stdout,
              report->valid()
                  ? ConfigCli::tr("%1: valid for llama-swap (%n warning(s))", nullptr, int(warnings)).arg(path)
                  : ConfigCli::tr("%1: llama-swap would refuse this file: %2 error(s), %3 warning(s)").arg(path).arg(errors).arg(warnings));
    }
    return report->valid() ? kExitValid : kExitInvalid;
}

} // namespace

bool isConfigCommand(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], "config") == 0;
}

int runConfigCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"boocontrol"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(BOO_VERSION_STRING));
    QCommandLineParser parser;
    parser.setApplicationDescription(ConfigCli::tr("Check a llama-swap config file the way llama-swap's loader would, without a host."));
    parser.addHelpOption();
    const QCommandLineOption json(u"json"_s, ConfigCli::tr("Print {\"valid\", \"errors\", \"warnings\"} as JSON."));
    parser.addOption(json);
    parser.addPositionalArgument(u"validate"_s, ConfigCli::tr("The command: validate."), u"config validate"_s);
    parser.addPositionalArgument(u"FILE.yaml"_s, ConfigCli::tr("The llama-swap config file."));
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        print(stdout, parser.helpText());
        return kExitValid;
    }
    QStringList arguments = parser.positionalArguments();
    arguments.removeFirst(); // "config"
    if (arguments.isEmpty() || arguments.constFirst() != u"validate"_s)
        return usageError(arguments.isEmpty() ? ConfigCli::tr("a command is needed")
                                              : ConfigCli::tr("unknown command '%1'").arg(arguments.constFirst()));
    if (arguments.size() != 2)
        return usageError(ConfigCli::tr("validate takes exactly one file"));
    return validate(arguments.at(1), parser.isSet(json));
}

} // namespace boo
